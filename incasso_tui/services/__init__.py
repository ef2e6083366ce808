"""Use cases. Each takes the acting user (an Actor), checks rights, and is what both the
screens and the CLI call: one use case, one function."""
