"""Dutch catalogue for the first-run wizard and the admin screens (administrations, bank groups,
bank accounts, invoice types, users)."""

NL: dict[str, str] = {
    # --- the admin area's lists and keys
    "Active": "Actief",
    "Details": "Details",
    "Deactivate": "Deactiveren",
    "Bank": "Bank",
    "IBAN": "IBAN",
    "BIC": "BIC",
    "Bank account": "Bankrekening",
    "Bank accounts": "Bankrekeningen",
    "Invoice types": "Factuursoorten",
    "Profile": "Profiel",
    "Per file": "Per bestand",
    "Delivery": "Aflevering",
    "none": "geen",
    "Max. per transaction": "Max. per transactie",
    "Max. per month": "Max. per maand",
    "Maximum per transaction": "Maximum per transactie",
    "Maximum per month": "Maximum per maand",
    "Profile {code}: {name}": "Profiel {code}: {name}",
    "per debtor": "per debiteur",
    "per invoice type": "per factuursoort",
    "Set-up wizard": "Inrichtingswizard",
    "Administration {code} saved": "Administratie {code} opgeslagen",
    "Administration {code} activated": "Administratie {code} geactiveerd",
    "Administration {code} deactivated": "Administratie {code} gedeactiveerd",
    "Deactivate administration {code}": "Administratie {code} deactiveren",
    "It is refused while mandates, open orders or unsent sets still use it. Deactivate?": (
        "Dat wordt geweigerd zolang machtigingen, openstaande opdrachten of niet-verzonden sets "
        "haar gebruiken. Deactiveren?"
    ),
    "Bank group {code} saved": "Bankgroep {code} opgeslagen",
    "Bank account {iban} saved": "Bankrekening {iban} opgeslagen",
    "Invoice type {code} of {administration} saved": "Factuursoort {code} van {administration} opgeslagen",
    "User {login} saved": "Gebruiker {login} opgeslagen",
    # --- details
    "Address": "Adres",
    "Creditor change to report": "Incassantwijziging te melden",
    "none yet: add one with b": "nog geen: voeg er een toe met b",
    "Mandate settings": "Machtigingsinstellingen",
    "New bank account": "Nieuwe bankrekening",
    "New invoice type": "Nieuwe factuursoort",
    "m: change the mandate settings": "m: machtigingsinstellingen wijzigen",
    "Bank profile": "Bankprofiel",
    "Pain version": "Pain-versie",
    "Maximum per file": "Maximum per bestand",
    "Delivery directory": "Aflevermap",
    "Send command": "Verzendcommando",
    "Initiating party": "Indiener (initiating party)",
    "the organisation's name": "de naam van de organisatie",
    "own value": "eigen waarde",
    "the profile's": "van het profiel",
    "no maximum": "geen maximum",
    "Pain versions": "Pain-versies",
    "Default pain version": "Standaard pain-versie",
    "B2B offered": "B2B aangeboden",
    "Bank codes": "Bankcodes",
    "Bank recognised": "Bank herkend",
    "Letter template": "Briefsjabloon",
    "Contact": "Contactpersoon",
    "Signatories": "Ondertekenaars",
    "Collection reason": "Omschrijving incasso",
    "Reference format": "Kenmerkopmaak",
    "Pre-notification days": "Dagen vooraankondiging",
    "Notice margin days": "Marge vooraankondiging (dagen)",
    "Form texts": "Formulierteksten",
    "built-in texts": "ingebouwde teksten",
    "the mandate form's texts are overridden": "de teksten van het machtigingsformulier zijn aangepast",
    "one mandate per debtor": "één machtiging per debiteur",
    "one mandate per debtor and invoice type": "één machtiging per debiteur en factuursoort",
    # --- forms
    "New administration": "Nieuwe administratie",
    "Edit administration {code}": "Administratie {code} wijzigen",
    "New bank group": "Nieuwe bankgroep",
    "Edit bank group {code}": "Bankgroep {code} wijzigen",
    "Edit bank account {iban}": "Bankrekening {iban} wijzigen",
    "Edit invoice type {code} of {administration}": "Factuursoort {code} van {administration} wijzigen",
    "New user": "Nieuwe gebruiker",
    "Edit user {login}": "Gebruiker {login} wijzigen",
    "Mandate settings of {code}": "Machtigingsinstellingen van {code}",
    "Mandate settings of {code} saved": "Machtigingsinstellingen van {code} opgeslagen",
    "KvK number": "KvK-nummer",
    "bank: {bank}": "bank: {bank}",
    "short and unique, e.g. MAIN; it cannot be changed later": (
        "kort en uniek, bijv. HOOFD; later niet te wijzigen"
    ),
    "short and unique, e.g. ABN": "kort en uniek, bijv. ABN",
    "unique within the administration, e.g. CONTR": "uniek binnen de administratie, bijv. CONTR",
    "the creditor name the files carry": "de naam van de incassant in de bestanden",
    "the creditor identifier (Incassant ID) your bank issued": (
        "het incassant-ID dat uw bank heeft toegekend"
    ),
    "empty: the KvK number inside a Dutch creditor identifier": (
        "leeg: het KvK-nummer in een Nederlands incassant-ID"
    ),
    "the bank's limits and versions; the values below override them": (
        "de limieten en versies van de bank; de waarden hieronder gaan voor"
    ),
    "empty: no maximum (profile {profile})": "leeg: geen maximum (profiel {profile})",
    "empty: {n} transactions per file (profile {profile})": (
        "leeg: {n} transacties per bestand (profiel {profile})"
    ),
    "optional: sending copies the files here (an existing, writable directory)": (
        "optioneel: bij verzenden worden de bestanden hierheen gekopieerd (een bestaande, beschrijfbare map)"
    ),
    "optional: a program and its arguments with {file}, run without a shell": (
        "optioneel: een programma met zijn argumenten en {file}, uitgevoerd zonder shell"
    ),
    "empty: the organisation's name": "leeg: de naam van de organisatie",
    "no bank group yet: add one first (bank groups, n)": "nog geen bankgroep: voeg er eerst een toe (bankgroepen, n)",
    "on the instruction letter: who the bank may call": "op de opdrachtbrief: wie de bank kan bellen",
    "names on the instruction letter, separated by ;": "namen op de opdrachtbrief, gescheiden door ;",
    "optional: the contract's limit in euros; an order above it is held back": (
        "optioneel: de limiet uit het contract in euro; een opdracht daarboven wordt tegengehouden"
    ),
    "optional: a set that would exceed it in a calendar month is refused": (
        "optioneel: een set die er in een kalendermaand boven zou komen, wordt geweigerd"
    ),
    "optional: the reason its mandates and orders get by default": (
        "optioneel: de omschrijving die de machtigingen en opdrachten standaard krijgen"
    ),
    "the system login name the user starts incasso with": "de systeemlogin waarmee de gebruiker incasso start",
    "admin: everything; operator: debtors, mandates, orders, sets; support: read only": (
        "beheerder: alles; medewerker: debiteuren, machtigingen, opdrachten, sets; support: alleen lezen"
    ),
    "may start incasso": "mag incasso starten",
    "where a non-admin may work (Space selects)": "waar een niet-beheerder mag werken (spatie kiest)",
    "an admin works in every administration": "een beheerder werkt in alle administraties",
    "an order without a mandate gets one": "een opdracht zonder machtiging krijgt er een",
    "a mandate created automatically is active at once": "een automatisch aangemaakte machtiging is meteen actief",
    "fields {debtor} {seq} {admin} {type}; {seq} is required": (
        "velden {debtor} {seq} {admin} {type}; {seq} is verplicht"
    ),
    "days between telling the debtor and collecting": "dagen tussen de aankondiging aan de debiteur en de incasso",
    "days a collection may fall after the date the debtor was told": (
        "dagen dat een incasso na de aangekondigde datum mag vallen"
    ),
    "path of a TOML file; empty: keep": "pad van een TOML-bestand; leeg: ongewijzigd",
    "back to the built-in texts": "terug naar de ingebouwde teksten",
    # --- the first-run wizard
    "Set-up": "Inrichting",
    "default": "standaard",
    "Organisation": "Organisatie",
    "Organisation name": "Naam organisatie",
    "Done": "Klaar",
    "Leave": "Verlaten",
    "Previous step": "Vorige stap",
    "Next step": "Volgende stap",
    "Set up": "Inrichten",
    "The name of your organisation: it submits the files to the bank (their initiating party).": (
        "De naam van uw organisatie: zij levert de bestanden bij de bank aan (de indiener)."
    ),
    "The first creditor: its name as the files carry it and the creditor identifier "
    "(Incassant ID) your bank issued for direct debits.": (
        "De eerste incassant: de naam zoals die in de bestanden komt en het incassant-ID dat uw "
        "bank voor incasso's heeft toegekend."
    ),
    "The account the collections are paid into. The BIC is derived from the IBAN and the bank recognised.": (
        "De rekening waarop de incasso's binnenkomen. De BIC wordt uit de IBAN afgeleid en de bank herkend."
    ),
    "How the files go to the bank. The profile of the bank recognised from the IBAN is chosen, "
    "with its values filled in; the delivery may also be set later.": (
        "Hoe de bestanden naar de bank gaan. Het profiel van de bank die uit de IBAN is herkend, "
        "is gekozen en zijn waarden zijn ingevuld; de aflevering kan ook later worden ingesteld."
    ),
    "Check what will be stored. Ctrl+S stores it all; until then nothing is stored.": (
        "Controleer wat wordt opgeslagen. Ctrl+S slaat alles op; tot dan wordt niets opgeslagen."
    ),
    "empty: derived from the IBAN": "leeg: afgeleid uit de IBAN",
    "bank recognised: profile {profile} is proposed for the bank group": (
        "bank herkend: profiel {profile} wordt voorgesteld voor de bankgroep"
    ),
    "none yet: set it before sending (bank groups, e)": "nog geen: stel die in vóór het verzenden (bankgroepen, e)",
    "Only an admin can set up the organisation": "Alleen een beheerder kan de organisatie inrichten",
    "No administration is set up for you yet. An admin must set up the organisation first (the "
    "set-up wizard opens when an admin starts incasso), or give you rights.": (
        "Er is nog geen administratie voor u ingericht. Een beheerder moet eerst de organisatie "
        "inrichten (de inrichtingswizard opent als een beheerder incasso start), of u rechten geven."
    ),
    "Set-up paused: nothing is stored yet. Resume it with w in Administrations (F8).": (
        "Inrichten onderbroken: er is nog niets opgeslagen. Ga verder met w in Administraties (F8)."
    ),
    "Set up: administration {adm}, bank account {iban} in bank group {group}": (
        "Ingericht: administratie {adm}, bankrekening {iban} in bankgroep {group}"
    ),
    "{part} was refused: nothing is stored.": "{part} is geweigerd: er is niets opgeslagen.",
    # --- the services' field names, as the forms show them under a field (the rules: nl_setup)
    "creditor identifier": "incassant-ID",
    "code": "code",
    "name": "naam",
    "street": "straat",
    "building number": "huisnummer",
    "postcode": "postcode",
    "town": "plaats",
    "country": "land",
    "profile": "profiel",
    "pain version": "pain-versie",
    "maximum per file": "maximum per bestand",
    "lead days": "aanlevertermijn",
    "delivery directory": "afleveringsmap",
    "send command": "verzendcommando",
    "initiating party": "indiener",
    "administration": "administratie",
    "bank group": "bankgroep",
    "letter template": "briefsjabloon",
    "contact": "contactpersoon",
    "signatory": "ondertekenaar",
    "maximum per transaction": "maximum per transactie",
    "maximum per month": "maximum per maand",
    "collection reason": "omschrijving incasso",
    "login": "login",
    "role": "rol",
    "scope": "reikwijdte",
    "reference format": "kenmerkopmaak",
    "pre-notification days": "dagen vooraankondiging",
    "notice margin days": "marge vooraankondiging",
    "form texts": "formulierteksten",
    "letters, digits, _ . - (a system login name), at most 64": (
        "letters, cijfers, _ . - (een systeemloginnaam), hoogstens 64"
    ),
}
