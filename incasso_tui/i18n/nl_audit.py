"""Dutch texts of the audit trail (the Audit screen and the history of every object)."""

NL = {
    "Audit trail": "Audittrail",
    "Search user or description": "Zoek gebruiker of omschrijving",
    "Since": "Vanaf",
    "Changes": "Wijzigingen",
    "Object": "Object",
    "Debtor history": "Historie debiteur",
    "Show the entries from this date on (DD-MM-YYYY or YYYY-MM-DD; empty: all)": (
        "Toon de regels vanaf deze datum (DD-MM-JJJJ of JJJJ-MM-DD; leeg: alle)"
    ),
    "Write a date as DD-MM-YYYY or YYYY-MM-DD": "Schrijf een datum als DD-MM-JJJJ of JJJJ-MM-DD",
}
