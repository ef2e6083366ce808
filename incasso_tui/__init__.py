"""incasso-tui: SEPA direct debit back office. The package import has no side effects."""

__version__ = "0.1.0"
