"""CSV imports: reading the file, and the debtor and mandate import kinds."""
