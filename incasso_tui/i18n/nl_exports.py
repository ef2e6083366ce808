"""Dutch texts of the exports (the export dialog and the audit-trail export's columns)."""

NL = {
    "Export": "Exporteren",
    "Export {list}": "{list} exporteren",
    "Every row the list shows with its current filter and search.": (
        "Alle regels die de lijst met het huidige filter en de zoekopdracht toont."
    ),
    "CSV (spreadsheet, ; separated)": "CSV (spreadsheet, gescheiden door ;)",
    "XLSX (Excel workbook)": "XLSX (Excel-werkmap)",
    "File": "Bestand",
    "Enter to export · Tab to the format · Escape to cancel": (
        "Enter om te exporteren · Tab naar het formaat · Escape om te annuleren"
    ),
    "Exporting…": "Bezig met exporteren…",
    "{n} rows exported to {path}": "{n} regels geëxporteerd naar {path}",
    "When": "Wanneer",
    "Field": "Veld",
    "Old value": "Oude waarde",
    "New value": "Nieuwe waarde",
}
