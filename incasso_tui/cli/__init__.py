"""The `incasso` command: the entry point and one module per command group."""
