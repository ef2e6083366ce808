"""Mandates: lifecycle, references, look-up, daily check, amendments, forms, settings."""
