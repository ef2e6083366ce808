"""Pure business rules (mandates, reversals, reason codes): no database, no UI."""
