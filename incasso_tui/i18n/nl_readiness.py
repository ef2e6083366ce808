"""Dutch catalogue for the readiness report (incasso check, its Home tile and screen)."""

NL: dict[str, str] = {
    # the Home tile and the screen
    "Readiness": "Gereedheid",
    "Ready": "Gereed",
    "Ready for the next collection": "Gereed voor de volgende incasso",
    "{n} blocking": "{n} blokkerend",
    "{n} warnings": "{n} waarschuwingen",
    "1 warning": "1 waarschuwing",
    "on {date}": "op {date}",
    "Enter: open": "Enter: openen",
    "Nothing found": "Niets gevonden",
    "Blocking": "Blokkerend",
    "Warning": "Waarschuwing",
    "To do": "Te doen",
    "… and {n} more (incasso check --limit N lists them)": "… en nog {n} (incasso check --limit N toont ze)",
    "Only an admin can change this": "Alleen een beheerder kan dit wijzigen",
    # the groups
    "Administrations without a bank account": "Administraties zonder bankrekening",
    "Bank groups without delivery": "Bankgroepen zonder aflevering",
    "Debtors whose files need an address they do not have": (
        "Debiteuren voor wie het bestand een adres nodig heeft dat ontbreekt"
    ),
    "B2B mandates not confirmed as registered at the debtor's bank": (
        "B2B-machtigingen niet bevestigd als geregistreerd bij de bank van de debiteur"
    ),
    "Open orders without a usable mandate": "Niet-verwerkte opdrachten zonder bruikbare machtiging",
    "Open orders over the bank account's maximum per transaction": (
        "Niet-verwerkte opdrachten boven het maximum per transactie van de bankrekening"
    ),
    "Debtors with an address a pain.008.001.08 file cannot carry": (
        "Debiteuren met een adres dat niet in een pain.008.001.08-bestand past"
    ),
    "Mandates expiring within 60 days": "Machtigingen die binnen 60 dagen verlopen",
    "Mandate forms not printed": "Machtigingsformulieren niet afgedrukt",
    # what to do
    "An admin adds one: incasso bank-account add --administration CODE --iban IBAN --bank-group CODE": (
        "Een beheerder voegt er een toe: incasso bank-account add --administration CODE --iban IBAN "
        "--bank-group CODE"
    ),
    "An admin sets one: incasso bank-group edit CODE --delivery-dir DIR (or --send-command … {file})": (
        "Een beheerder stelt er een in: incasso bank-group edit CODE --delivery-dir MAP "
        "(of --send-command … {file})"
    ),
    "Enter at least the town and country: incasso debtor edit NUMBER --town TOWN --country CC "
    "(their orders are held back until then)": (
        "Vul ten minste woonplaats en land in: incasso debtor edit NUMMER --town PLAATS --country LL "
        "(tot dan worden de opdrachten tegengehouden)"
    ),
    "Once the debtor has registered the mandate at their bank: incasso mandate confirm-b2b REF "
    "(in the TUI: r on the mandate); until then its orders are held back": (
        "Zodra de debiteur de machtiging bij de eigen bank heeft geregistreerd: incasso mandate "
        "confirm-b2b REF (in de app: r op de machtiging); tot dan worden de opdrachten tegengehouden"
    ),
    "Activate, confirm or replace the mandate, or cancel the order (incasso order cancel ID); "
    "until then every set holds it back": (
        "Activeer, bevestig of vervang de machtiging, of annuleer de opdracht (incasso order cancel ID); "
        "tot dan houdt elke set haar tegen"
    ),
    "Split the order, or have the bank raise the contract's limit (then: incasso bank-account "
    "edit IBAN --max-per-transaction AMOUNT)": (
        "Splits de opdracht, of laat de bank de contractlimiet verhogen (daarna: incasso bank-account "
        "edit IBAN --max-per-transaction BEDRAG)"
    ),
    "Complete the address with town and country (incasso debtor edit NUMBER --town TOWN --country CC)": (
        "Vul het adres aan met woonplaats en land (incasso debtor edit NUMMER --town PLAATS --country LL)"
    ),
    "Collect before that date (each collection starts the 36 months again), or have a new mandate signed": (
        "Incasseer vóór die datum (elke incasso laat de 36 maanden opnieuw ingaan), of laat een nieuwe "
        "machtiging tekenen"
    ),
    "Print them and send them to the debtors to sign: incasso mandates forms --unprinted --out FILE.pdf "
    "(in the TUI: the mandates list)": (
        "Druk ze af en stuur ze de debiteuren ter ondertekening: incasso mandates forms --unprinted "
        "--out BESTAND.pdf (in de app: de lijst met machtigingen)"
    ),
    # why, per object
    "no active bank account: its orders cannot be put in a file": (
        "geen actieve bankrekening: de opdrachten kunnen in geen bestand"
    ),
    "neither a delivery directory nor a send command: its files cannot be sent": (
        "geen afleveringsmap en geen verzendopdracht: de bestanden kunnen niet verstuurd worden"
    ),
    "bank outside the EEA ({country}): the file must hold the debtor's town and country": (
        "bank buiten de EER ({country}): het bestand moet woonplaats en land van de debiteur bevatten"
    ),
    "address outside the EEA ({country}): the file must hold the debtor's town and country": (
        "adres buiten de EER ({country}): het bestand moet woonplaats en land van de debiteur bevatten"
    ),
    "address without town or country: a pain.008.001.08 address needs both": (
        "adres zonder woonplaats of land: een adres in pain.008.001.08 heeft beide nodig"
    ),
    "ends on {date} (its end date)": "eindigt op {date} (de einddatum)",
    "expires on {date}: 36 months without a collection (since {since})": (
        "verloopt op {date}: 36 maanden zonder incasso (sinds {since})"
    ),
    "no signed form yet, and its form was never printed": (
        "nog geen getekend formulier, en het formulier is nooit afgedrukt"
    ),
    "no usable mandate": "geen bruikbare machtiging",
    "amount € {amount} is over the maximum per transaction of account {iban} (€ {maximum})": (
        "bedrag € {amount} is hoger dan het maximum per transactie van rekening {iban} (€ {maximum})"
    ),
}
