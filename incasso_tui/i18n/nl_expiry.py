"""Dutch texts of the expiring-mandates view, the order → mandate/debtor keys and the
last-versus-next collection dates (issue #12)."""

NL = {
    "Expiring mandates": "Verlopende machtigingen",
    "Expiring": "Verloopt",
    "Expires": "Verloopt",
    "Expiring within {days} days, soonest first": "Verloopt binnen {days} dagen, eerstvolgende eerst",
    "Next collection": "Volgende incasso",
    "{date} (in a file)": "{date} (in een bestand)",
    "Why in a file": "Waarom in een bestand",
    "active from {date}, before the collection date {collection}": (
        "actief vanaf {date}, vóór de incassodatum {collection}"
    ),
    "Order {id} has no mandate": "Opdracht {id} heeft geen machtiging",
    "Mandate": "Machtiging",
    "Debtor": "Debiteur",
}
