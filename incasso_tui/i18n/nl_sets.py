"""Dutch catalogue for collection orders, collection sets, processing and the queue screen."""

NL = {
    # keys and actions
    "Add eligible": "Geschikte toevoegen",
    "Cancel job": "Taak annuleren",
    "Cancel order": "Opdracht annuleren",
    "Date": "Datum",
    "Delete": "Verwijderen",
    "Delete set": "Set verwijderen",
    "Finish": "Voltooien",
    "Handle": "Afhandelen",
    "Letter": "Opdrachtbrief",
    "Open set": "Set openen",
    "Process": "Verwerken",
    "Process alone": "Enkelvoudig verwerken",
    "Remove order": "Opdracht verwijderen",
    "Retry": "Opnieuw",
    "Send": "Versturen",
    # set screen and wizard
    "Collection set": "Incassoset",
    "New collection set": "Nieuwe incassoset",
    "Bank group": "Bankgroep",
    "Requested collection date (empty: the earliest allowed)":
        "Gewenste incassodatum (leeg: de vroegst mogelijke)",
    "Only orders due up to (optional)": "Alleen opdrachten vervallen tot en met (optioneel)",
    "Invoice type (optional)": "Factuursoort (optioneel)",
    "Administrations, comma separated (optional)": "Administraties, met komma's (optioneel)",
    "Due until": "Vervallen tot",
    "Collection date": "Incassodatum",
    "New requested collection date (YYYY-MM-DD)": "Nieuwe gewenste incassodatum (JJJJ-MM-DD)",
    "choose a bank group": "kies een bankgroep",
    "{field} is required": "{field} is verplicht",
    "{field}: a date as YYYY-MM-DD": "{field}: een datum als JJJJ-MM-DD",
    "Totals": "Totalen",
    "Count": "Aantal",
    "Held back": "Tegengehouden",
    "In the file (transliterated)": "In het bestand (getranslitereerd)",
    "Selection": "Selectie",
    "superseded": "vervangen",
    "nothing changes": "er verandert niets",
    "requested": "gevraagd",
    "orders": "opdrachten",
    "with a moved date": "met een verschoven datum",
    "{adm}: {n} order(s) collected up to {days} days after the date the debtor was told "
    "(margin {margin} days): send a new pre-notification":
        "{adm}: {n} opdracht(en) tot {days} dagen na de aan de debiteur genoemde datum "
        "geïncasseerd (marge {margin} dagen): stuur een nieuwe vooraankondiging",
    "{n} administration(s) skipped: you have no rights there":
        "{n} administratie(s) overgeslagen: je hebt daar geen rechten",
    "Processed": "Verwerkt",
    "Sent": "Verstuurd",
    "by": "door",
    "File": "Bestand",
    "debtor name": "naam debiteur",
    "remittance": "omschrijving",
    # messages
    "Collection date changed": "Incassodatum gewijzigd",
    "Job {id} queued again": "Taak {id} staat weer in de wachtrij",
    "Letter written: {path}": "Opdrachtbrief gemaakt: {path}",
    "No bank group holds an administration you may process":
        "Geen bankgroep bevat een administratie die je mag verwerken",
    "Order {id} cancelled": "Opdracht {id} geannuleerd",
    "Order {id} removed from the set": "Opdracht {id} uit de set verwijderd",
    "Order {id}: set {set}, job {job}": "Opdracht {id}: set {set}, taak {job}",
    "Re-process a sent set": "Verstuurde set opnieuw verwerken",
    "This set was already sent. Re-processing makes a new file with a new message id for the bank. Continue?":
        "Deze set is al verstuurd. Opnieuw verwerken maakt een nieuw bestand met een nieuw "
        "berichtkenmerk voor de bank. Doorgaan?",
    "Delete set {id}? Its orders become free again.":
        "Set {id} verwijderen? De opdrachten komen weer vrij.",
    "Set sent": "Set verstuurd",
    "Set {id} deleted": "Set {id} verwijderd",
    "Set {id} queued as job {job}": "Set {id} staat in de wachtrij als taak {job}",
    "Set {id}: {orders} orders, {held} held back": "Set {id}: {orders} opdrachten, {held} tegengehouden",
    "{n} orders added": "{n} opdrachten toegevoegd",
    "{n} orders handled": "{n} opdrachten afgehandeld",
    "cancelled": "geannuleerd",
    "cancel requested": "annuleren gevraagd",
    # held-back reasons (templates; values are filled in by the service)
    "no mandate": "geen machtiging",
    "one-off mandate already collected in this set": "eenmalige machtiging al geïncasseerd in deze set",
    "final collection (FNAL) already in this set": "laatste incasso (FNAL) al in deze set",
    "debtor has no IBAN": "debiteur heeft geen IBAN",
    "amount must be between 0.01 and 999999999.99": "bedrag moet tussen 0,01 en 999999999,99 liggen",
    "eligible, not in the set (created or freed after the set was made): add it with modify":
        "geschikt, niet in de set (aangemaakt of vrijgekomen na het maken van de set): voeg toe via wijzigen",
    # order form
    "New collection order": "Nieuwe incasso-opdracht",
    "Debtor number": "Debiteurnummer",
    "Amount (e.g. 12,50)": "Bedrag (bijv. 12,50)",
    "Requested date (YYYY-MM-DD, empty: today)": "Gewenste datum (JJJJ-MM-DD, leeg: vandaag)",
    "Invoice number": "Factuurnummer",
    "Remittance text (empty: invoice number)": "Omschrijving (leeg: factuurnummer)",
    "Order {id} added": "Opdracht {id} toegevoegd",
    "Bank group filter": "Filter bankgroep",
    "Only orders with a requested date up to (YYYY-MM-DD; empty: all)":
        "Alleen opdrachten met een gewenste datum tot en met (JJJJ-MM-DD; leeg: alle)",
}
