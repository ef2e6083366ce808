"""Dutch catalogue for the rules of the set-up services (administrations, bank groups, bank
accounts, invoice types, the first-run wizard): every template of
services/organisation/rule_texts.py. A template's placeholders are the values of the rule
(a length, a bank's name), kept as they are."""

NL: dict[str, str] = {
    # --- any text
    "is required": "is verplicht",
    "is {n} characters long (maximum {max})": "is {n} tekens lang (maximaal {max})",
    "must not contain control characters ({char})": "mag geen stuurtekens bevatten ({char})",
    "must not contain bidirectional text controls ({char})": (
        "mag geen tekens voor tekstrichting bevatten ({char})"
    ),
    "must be UTF-8 text (byte {byte} is not)": "moet UTF-8-tekst zijn (byte {byte} is dat niet)",
    "must be valid text ({char} is not a character)": "moet geldige tekst zijn ({char} is geen teken)",
    # --- codes, names, the creditor identifier and KvK number
    "is empty": "is leeg",
    "use 1-20 letters, digits, - or _, starting with a letter or digit": (
        "gebruik 1-20 letters, cijfers, - of _, te beginnen met een letter of cijfer"
    ),
    "has no letters or digits left after transliteration to the SEPA character set": (
        "houdt geen letters of cijfers over na omzetting naar de SEPA-tekenset"
    ),
    "format is country code, 2 check digits, 3-character business code, national identifier": (
        "de opbouw is landcode, 2 controlecijfers, zakelijke code van 3 tekens, nationaal nummer"
    ),
    "a Dutch creditor identifier is NLkkZZZ + KvK number (8 digits) + 4 digits (19 characters)": (
        "een Nederlands incassant-ID is NLkkZZZ + KvK-nummer (8 cijfers) + 4 cijfers (19 tekens)"
    ),
    "check digits (ISO 7064 MOD 97-10, business code excluded) do not match": (
        "de controlecijfers (ISO 7064 MOD 97-10, zonder de zakelijke code) kloppen niet"
    ),
    "must be 8 digits (the Chamber of Commerce number)": "moet uit 8 cijfers bestaan (het KvK-nummer)",
    "does not match the KvK number {kvk} inside the creditor identifier {creditor_id}": (
        "past niet bij het KvK-nummer {kvk} in het incassant-ID {creditor_id}"
    ),
    "must be a two-letter ISO 3166 country code": "moet een landcode van twee letters zijn (ISO 3166)",
    # --- bank groups
    "must be one of {choices}": "moet een van deze zijn: {choices}",
    "must be 02 or 08 (pain.008.001.02 or pain.008.001.08)": (
        "moet 02 of 08 zijn (pain.008.001.02 of pain.008.001.08)"
    ),
    "{bank} (profile {profile}) accepts only {versions} ({source})": (
        "{bank} (profiel {profile}) accepteert alleen {versions} ({source})"
    ),
    "must be a whole number from {low} to {high}": "moet een geheel getal van {low} tot en met {high} zijn",
    "must be a whole number of TARGET2 days from {low} to {high}": (
        "moet een geheel aantal TARGET2-dagen van {low} tot en met {high} zijn"
    ),
    "does not exist (create it first, or mount the share)": (
        "bestaat niet (maak de map eerst aan, of koppel de share)"
    ),
    "is not a directory": "is geen map",
    "is not writable for this user": "is niet beschrijfbaar voor deze gebruiker",
    "cannot be split into arguments ({error}): check the quotes": (
        "is niet in argumenten te splitsen ({error}): controleer de aanhalingstekens"
    ),
    "must be an argument list": "moet een lijst van argumenten zijn",
    "has no program to run": "noemt geen programma om uit te voeren",
    "must contain {file}, where the path of the file goes (arguments, no shell)": (
        "moet {file} bevatten, waar het pad van het bestand komt (argumenten, geen shell)"
    ),
    # --- bank accounts
    "checksum (MOD 97-10) does not match": "controlegetal (MOD 97-10) klopt niet",
    "unknown country code {code}": "onbekende landcode {code}",
    "has {n} characters; a {country} IBAN has {length}": "heeft {n} tekens; een {country}-IBAN heeft er {length}",
    "invalid structure ({error})": "ongeldige opbouw ({error})",
    "is not in the SEPA zone: a collection account must be": (
        "ligt niet in het SEPA-gebied: een incassorekening moet daar liggen"
    ),
    "must be 8 or 11 characters": "moet 8 of 11 tekens lang zijn",
    "is not a BIC (4 bank, 2 country, 2 location, optional 3 branch characters)": (
        "is geen BIC (4 tekens bank, 2 land, 2 plaats, eventueel 3 filiaal)"
    ),
    "does not fit the {version} BIC pattern (first six characters letters); use pain.008.001.08": (
        "past niet in het BIC-patroon van {version} (de eerste zes tekens letters); gebruik pain.008.001.08"
    ),
    "must be pain.008.001.02 or pain.008.001.08": "moet pain.008.001.02 of pain.008.001.08 zijn",
    "must be a list of names": "moet een lijst van namen zijn",
    "is not an amount with at most 2 decimals": "is geen bedrag met hoogstens 2 decimalen",
    "must be between 0,01 and 999.999.999,99": "moet tussen 0,01 en 999.999.999,99 liggen",
    # --- warnings while typing
    "business code {code} is not ZZZ, the code Dutch banks issue; a strict `incasso sepa check` "
    "reports it: use the identifier exactly as the bank issued it": (
        "zakelijke code {code} is niet ZZZ, de code die Nederlandse banken uitgeven; een strikte "
        "`incasso sepa check` meldt dat: gebruik het ID precies zoals de bank het heeft toegekend"
    ),
    "ends in {suffix}, not the usual 0000: make sure it is the identifier the bank issued": (
        "eindigt op {suffix}, niet op het gebruikelijke 0000: controleer dat het het ID van de bank is"
    ),
    "{n} is above the {max} transactions per file {bank} accepts ({source}): the bank may refuse the file": (
        "{n} is meer dan de {max} transacties per bestand die {bank} accepteert ({source}): de bank "
        "kan het bestand weigeren"
    ),
    "{n} is fewer than the {days} days of profile {profile} ({source}): a file may reach the bank after "
    "its cut-off": (
        "{n} is minder dan de {days} dagen van profiel {profile} ({source}): een bestand kan de bank "
        "na het sluitingstijdstip bereiken"
    ),
    "program {program} is not found on this host: sending from here will fail": (
        "programma {program} is op deze host niet gevonden: verzenden vanaf hier zal mislukken"
    ),
    "the account is at {bank}, but bank group {group} has profile {profile} ({name}): a bank accepts "
    "files only for the accounts it holds": (
        "de rekening is bij {bank}, maar bankgroep {group} heeft profiel {profile} ({name}): een bank "
        "accepteert alleen bestanden voor rekeningen die zij zelf voert"
    ),
    # --- when storing
    "is already used by another administration": "is al in gebruik bij een andere administratie",
    "is already used by another bank group": "is al in gebruik bij een andere bankgroep",
    "is already a bank account (administration {code})": "is al een bankrekening (administratie {code})",
    "is already a bank account": "is al een bankrekening",
    "is already an invoice type of administration {code}": "is al een factuursoort van administratie {code}",
    "no administration has this code": "geen administratie heeft deze code",
    "no bank group has this code": "geen bankgroep heeft deze code",
    "is required with a street or postcode (a structured address needs the town)": (
        "is verplicht bij een straat of postcode (een gestructureerd adres heeft een plaats nodig)"
    ),
    "mandate references would clash under it (references are unique per creditor identifier): {references}": (
        "machtigingskenmerken zouden ermee botsen (kenmerken zijn uniek per incassant-ID): {references}"
    ),
    "cannot be derived from the IBAN: the file names no creditor BIC (IBAN-only)": (
        "is niet uit de IBAN af te leiden: het bestand noemt geen BIC van de incassant (alleen IBAN)"
    ),
    "is above the maximum per month: the month's limit decides": (
        "ligt boven het maximum per maand: de maandlimiet beslist"
    ),
    "{n} collected mandate(s) carry the old creditor identifier/name (OrgnlCdtrSchmeId) with their "
    "next collection; tell the debtors of the change": (
        "{n} geïncasseerde machtiging(en) vermelden bij hun volgende incasso het oude incassant-ID/de "
        "oude naam (OrgnlCdtrSchmeId); informeer de debiteuren over de wijziging"
    ),
}
