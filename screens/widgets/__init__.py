"""Reusable widgets: paged table, header, queue panel, footer, filters, formatting."""
