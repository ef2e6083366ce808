"""Dutch catalogue for lists that search as you type, limited users' view of a set, and the
second look before processing or sending a set."""

NL = {
    # the mode of a list (beside its count)
    "Search — ↓ to the list": "Zoeken — ↓ naar de lijst",
    "List — / to search": "Lijst — / zoeken",
    # a load that failed
    "Could not load: {error}": "Laden mislukt: {error}",
    # a set of which the user sees part
    "{n} orders of other administrations hidden ({amount}): only a user with rights on every "
    "administration in the set can act on it": "{n} opdrachten van andere administraties verborgen "
    "({amount}): alleen een gebruiker met rechten op elke administratie in de set kan ermee werken",
    # the second look before processing or sending
    "Process set {id}": "Set {id} verwerken",
    "Send set {id} to the bank": "Set {id} naar de bank versturen",
    "at most {n} per file": "hoogstens {n} per bestand",
    "Collection dates": "Incassodata",
    "Files": "Bestanden",
    "Held back (not in the file): {n}": "Tegengehouden (niet in het bestand): {n}",
    "Delivered to": "Afgeleverd in",
    "No delivery directory or send command: configure one first": (
        "Geen aflevermap of verzendopdracht: stel er eerst een in"
    ),
    "The files are written to the outbox; sending them is the next step.": (
        "De bestanden komen in de outbox; versturen is de volgende stap."
    ),
}
