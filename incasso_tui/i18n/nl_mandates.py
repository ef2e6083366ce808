"""Dutch catalogue for debtors and mandates: screens, forms, and the field names and rules of
the services' messages that the screens show."""

NL = {
    # keys and actions
    "New": "Nieuw",
    "Edit": "Wijzigen",
    "Activate": "Activeren",
    "End mandate": "Beëindigen",
    "B2B registered": "B2B geregistreerd",
    "Print form": "Formulier afdrukken",
    "History": "Historie",
    "Import": "Importeren",
    "Print unprinted forms": "Niet-afgedrukte formulieren afdrukken",
    "Edit debtor": "Debiteur wijzigen",
    "Confirm": "Bevestigen",
    "Save": "Opslaan",
    "Cancel": "Annuleren",
    "Yes": "Ja",
    "No": "Nee",
    # screens and headings
    "Mandate": "Machtiging",
    "Debtor": "Debiteur",
    "Private": "Particulier",
    "Open orders": "Open opdrachten",
    "no address": "geen adres",
    "Collectable today": "Vandaag incasseerbaar",
    "Expires on": "Verloopt op",
    "Form printed": "Formulier afgedrukt",
    "Pending amendment": "Openstaande wijziging",
    "Orders under this mandate: {n}": "Opdrachten onder deze machtiging: {n}",
    "No changes recorded.": "Geen wijzigingen vastgelegd.",
    "History of mandate {reference}": "Historie van machtiging {reference}",
    "Escape to close": "Escape om te sluiten",
    "all invoice types": "alle factuursoorten",
    "the debtor's new account is at another bank: the next collection carries SMNDA "
    "(previous IBAN {iban})":
        "de nieuwe rekening van de debiteur is bij een andere bank: de volgende incasso "
        "vermeldt SMNDA (vorige IBAN {iban})",
    "the debtor's IBAN changed at the same bank: the next collection carries the previous "
    "IBAN {iban}":
        "de IBAN van de debiteur is gewijzigd bij dezelfde bank: de volgende incasso vermeldt "
        "de vorige IBAN {iban}",
    "creditor or reference changed: the next collection carries the original values":
        "incassant of kenmerk gewijzigd: de volgende incasso vermeldt de oorspronkelijke gegevens",
    # fields (form labels, history, and the field names in error messages)
    "Debtor number": "Debiteurnummer",
    "Kind": "Soort",
    "Invoice type": "Factuursoort",
    "Date signed": "Datum getekend",
    "Effective date": "Datum effectief",
    "End date": "Datum einde",
    "Reason": "Incassoreden",
    "External reference": "Extern kenmerk",
    "Street": "Straat",
    "Building number": "Huisnummer",
    "Postcode": "Postcode",
    "Country": "Land",
    "Email": "E-mail",
    "Status reason": "Reden status",
    "Debtor IBAN": "IBAN debiteur",
    "Amendment: previous IBAN": "Wijziging: vorige IBAN",
    "Amendment: other bank (SMNDA)": "Wijziging: andere bank (SMNDA)",
    "number": "nummer",
    "name": "naam",
    "street": "straat",
    "building number": "huisnummer",
    "postcode": "postcode",
    "town": "plaats",
    "country": "land",
    "language": "taal",
    "business": "zakelijk",
    "email": "e-mail",
    "debtor": "debiteur",
    "kind": "soort",
    "invoice type": "factuursoort",
    "date signed": "datum getekend",
    "effective date": "datum effectief",
    "end date": "datum einde",
    "reason": "incassoreden",
    "reference": "kenmerk",
    "external reference": "extern kenmerk",
    # forms
    "New mandate": "Nieuwe machtiging",
    "Edit mandate": "Machtiging wijzigen",
    "New debtor": "Nieuwe debiteur",
    "none you may change": "geen die u mag wijzigen",
    "type the number": "typ het nummer",
    "CORE – standard": "CORE – standaard",
    "B2B – business": "B2B – zakelijk",
    "dd-mm-yyyy": "dd-mm-jjjj",
    "active from this date; empty = inactive until the signed form is in":
        "actief vanaf deze datum; leeg = inactief tot het getekende formulier binnen is",
    "inactive after this date; yesterday = ends now":
        "inactief na deze datum; gisteren = nu beëindigen",
    "from the invoice type or administration": "van de factuursoort of administratie",
    "assigned automatically": "wordt automatisch toegekend",
    "optional; written into files instead": "optioneel; komt dan in de bestanden",
    "no debtor with this number in this administration":
        "geen debiteur met dit nummer in deze administratie",
    "empty = one mandate for every invoice type of the debtor":
        "leeg = één machtiging voor alle factuursoorten van de debiteur",
    "collected under: the reference can no longer change":
        "er is onder geïncasseerd: het kenmerk kan niet meer wijzigen",
    "B2B is only for business debtors; this debtor is private":
        "B2B is alleen voor zakelijke debiteuren; deze debiteur is particulier",
    "language of the mandate form and letters": "taal van het machtigingsformulier en brieven",
    "business debtor (B2B possible)": "zakelijke debiteur (B2B mogelijk)",
    "derived from the IBAN": "afgeleid van de IBAN",
    "suggested: one above the highest number": "voorstel: één hoger dan het hoogste nummer",
    "valid": "geldig",
    "BIC not derived (enter it if known)": "BIC niet afgeleid (vul in indien bekend)",
    "Tab/Enter next field · Ctrl+S save · Escape cancel":
        "Tab/Enter volgend veld · Ctrl+S opslaan · Escape annuleren",
    "Saving…": "Opslaan…",
    "Please correct the fields marked below.": "Verbeter de velden hieronder.",
    "Enter to confirm · Escape to cancel": "Enter bevestigt · Escape annuleert",
    # actions' dialogs and messages
    "Mandate {reference} saved: {status}": "Machtiging {reference} opgeslagen: {status}",
    "Mandate {reference} created: {status}": "Machtiging {reference} aangemaakt: {status}",
    "Activate mandate {reference}": "Machtiging {reference} activeren",
    "The mandate becomes effective today ({date}). A mandate form signed by the debtor must "
    "exist: European law requires that you can show it.":
        "De machtiging wordt vandaag ({date}) effectief. Er moet een door de debiteur getekend "
        "machtigingsformulier zijn: de Europese wetgeving eist dat u het kunt overleggen.",
    "Mandate {reference} is active from today; keep the signed form.":
        "Machtiging {reference} is actief vanaf vandaag; bewaar het getekende formulier.",
    "enter the last day the mandate may be collected":
        "vul de laatste dag in waarop geïncasseerd mag worden",
    "End mandate {reference}": "Machtiging {reference} beëindigen",
    "End date: the mandate is inactive after this day. Yesterday ({date}) ends it now.":
        "Datum einde: na deze dag is de machtiging inactief. Gisteren ({date}) beëindigt haar nu.",
    "Mandate {reference} ends on {date}: {status}": "Machtiging {reference} eindigt op {date}: {status}",
    "Registration confirmed for {reference}": "Registratie bevestigd voor {reference}",
    "B2B registration of {reference}": "B2B-registratie van {reference}",
    "Has the debtor registered this business mandate at their bank? Only then may it be "
    "collected.":
        "Heeft de debiteur deze zakelijke machtiging bij zijn bank geregistreerd? Pas dan mag "
        "erop geïncasseerd worden.",
    "Print the mandate form of {reference}": "Machtigingsformulier van {reference} afdrukken",
    "PDF file": "PDF-bestand",
    "Mandate form written to {path}": "Machtigingsformulier geschreven naar {path}",
    "enter a file name": "vul een bestandsnaam in",
    "the file name must end in .pdf": "de bestandsnaam moet op .pdf eindigen",
    "Print all unprinted mandate forms": "Alle niet-afgedrukte machtigingsformulieren afdrukken",
    "Every mandate (of the administration filter) whose form was never printed, in one PDF; "
    "they are then marked printed.":
        "Elke machtiging (binnen het administratiefilter) waarvan het formulier nog nooit is "
        "afgedrukt, in één PDF; daarna gemarkeerd als afgedrukt.",
    "Job {job} queued: the unprinted mandate forms go to {path}":
        "Taak {job} in de wachtrij: de niet-afgedrukte formulieren gaan naar {path}",
    "Debtor {number} saved": "Debiteur {number} opgeslagen",
    # import
    "Import a CSV file": "Een CSV-bestand importeren",
    "debtors": "debiteuren",
    "mandates": "machtigingen",
    "CSV file": "CSV-bestand",
    "path of the file, e.g. ~/debiteuren.csv": "pad van het bestand, bijv. ~/debiteuren.csv",
    "skip invalid rows (default: store nothing when a row is invalid)":
        "ongeldige regels overslaan (standaard: niets opslaan als een regel ongeldig is)",
    "UTF-8, separated by ; or , with a header row; the columns are in docs/csv-import.md.":
        "UTF-8, gescheiden door ; of , met een kopregel; de kolommen staan in docs/csv-import.md.",
    "Ctrl+S or Enter import · Escape close": "Ctrl+S of Enter importeert · Escape sluit",
    "Importing…": "Importeren…",
    "The import is still running…": "De import loopt nog…",
    "enter the path of the CSV file": "vul het pad van het CSV-bestand in",
    "{n} errors: nothing was stored.": "{n} fouten: er is niets opgeslagen.",
    "{n} {kind} imported.": "{n} {kind} geïmporteerd.",
    "{n} invalid lines skipped:": "{n} ongeldige regels overgeslagen:",
    "line {n}": "regel {n}",
    "column": "kolom",
    # why a mandate cannot be collected (rules.mandates.Hold)
    "mandate revoked": "machtiging ingetrokken",
    "mandate blocked": "machtiging geblokkeerd",
    "final collection (FNAL) already made": "laatste incasso (FNAL) al gedaan",
    "one-off mandate already used": "eenmalige machtiging al gebruikt",
    "mandate ended on {date}": "machtiging beëindigd op {date}",
    "mandate inactive: no effective date (a signed form is needed)":
        "machtiging inactief: geen datum effectief (een getekend formulier is nodig)",
    "mandate not yet effective (from {date})": "machtiging nog niet effectief (vanaf {date})",
    "mandate expired: no collection for 36 months (since {date})":
        "machtiging verlopen: 36 maanden niet geïncasseerd (sinds {date})",
    "B2B mandate not yet registered at the debtor's bank":
        "B2B-machtiging nog niet geregistreerd bij de bank van de debiteur",
    "debtor has no IBAN": "debiteur heeft geen IBAN",
    "debtor IBAN {iban} is not valid": "IBAN {iban} van de debiteur is niet geldig",
    "no mandate": "geen machtiging",
    # status reasons that carry no date
    "no effective date yet": "nog geen datum effectief",
    "one-off mandate used": "eenmalige machtiging gebruikt",
    "final collection (FNAL) made": "laatste incasso (FNAL) gedaan",
    "revoked by the debtor": "ingetrokken door de debiteur",
    # rules from the services (field errors)
    "is required": "is verplicht",
    "must not be in the future": "mag niet in de toekomst liggen",
    "must not be before the date signed": "mag niet voor de datum getekend liggen",
    "is not a date (write YYYY-MM-DD or DD-MM-YYYY)": "is geen datum (schrijf JJJJ-MM-DD of DD-MM-JJJJ)",
    "is not a date in the calendar": "is geen bestaande datum",
    "must be CORE (standard) or B2B (business)": "moet CORE (standaard) of B2B (zakelijk) zijn",
    "must be nl, en or de": "moet nl, en of de zijn",
    "is not an e-mail address": "is geen e-mailadres",
    "equals the reference; leave it empty": "is gelijk aan het kenmerk; laat het leeg",
    "choose an existing debtor": "kies een bestaande debiteur",
    "choose an administration you may change": "kies een administratie die u mag wijzigen",
    "use 1-20 letters or digits, with - or . only inside (it becomes part of mandate references)":
        "gebruik 1-20 letters of cijfers, met - of . alleen ertussen (het wordt deel van "
        "machtigingskenmerken)",
    "is required with a street or postcode (a structured address needs the town and country)":
        "is verplicht bij een straat of postcode (een gestructureerd adres heeft plaats en land "
        "nodig)",
    "checksum (MOD 97-10) does not match": "controlegetal (MOD 97-10) klopt niet",
    "must be a two-letter ISO 3166 country code": "moet een landcode van twee letters zijn (ISO 3166)",
    "already used by another debtor in this administration":
        "is al in gebruik bij een andere debiteur in deze administratie",
    "contains a space (not allowed in a mandate reference)":
        "bevat een spatie (niet toegestaan in een machtigingskenmerk)",
    "must not start or end with '/'": "mag niet met '/' beginnen of eindigen",
    "must not contain '//'": "mag geen '//' bevatten",
    "is used twice in this file": "komt twee keer voor in dit bestand",
}
