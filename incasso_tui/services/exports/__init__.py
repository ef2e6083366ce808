"""Exports of the lists (CSV and XLSX): the columns declared once per list, streaming writers,
and `run.export_list`, the one service the screens and the CLI call."""
