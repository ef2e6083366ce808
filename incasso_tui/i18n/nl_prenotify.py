"""Dutch texts of the pre-notifications (vooraankondigingen): the set screen and its dialog."""

NL = {
    "Pre-notify": "Vooraankondigen",
    "Pre-notified": "Aangekondigd",
    "Pre-notified: {n} of {total} orders": "Vooraangekondigd: {n} van {total} opdrachten",
    "e-mails pending": "e-mails in de wachtrij",
    "maybe sent (crash)": "misschien verstuurd (onderbroken)",
    "refused": "geweigerd",
    "{n} of {total} orders collected without a pre-notification in time, or on another date or "
    "amount than it said: {who}": "{n} van {total} opdrachten worden geïncasseerd zonder tijdige "
    "vooraankondiging, of op een andere datum of voor een ander bedrag dan aangekondigd: {who}",
    "Pre-notify the debtors of set {id}": "Debiteuren van set {id} vooraankondigen",
    "{debtors} debtors ({orders} orders): {email} by e-mail, {print} to print": (
        "{debtors} debiteuren ({orders} opdrachten): {email} per e-mail, {print} af te drukken"
    ),
    "{n} held back: not announced": "{n} tegengehouden: niet aangekondigd",
    "Letters": "Brieven",
    "write the print PDF and the CSV": "de PDF om af te drukken en de CSV schrijven",
    "PDF file": "PDF-bestand",
    "the CSV for a mail merge goes beside it (.csv)": "de CSV voor samenvoegen komt ernaast (.csv)",
    "E-mail": "E-mail",
    "send the e-mails (a queued job)": "de e-mails versturen (een taak in de wachtrij)",
    "e-mail is not configured ([smtp] in the configuration)": (
        "e-mail is niet ingesteld ([smtp] in de configuratie)"
    ),
    "{n} debtors pre-notified": "{n} debiteuren vooraangekondigd",
    "PDF: {path}": "PDF: {path}",
    "{n} e-mails queued as job {job}": "{n} e-mails in de wachtrij als taak {job}",
    "{n} without an e-mail address: print their letters": "{n} zonder e-mailadres: druk hun brieven af",
    "output": "uitvoer",
    "give the PDF file to write": "geef het PDF-bestand op",
    "choose the letters, the e-mails or both": "kies de brieven, de e-mails of allebei",
    "must name a .pdf file": "moet een .pdf-bestand zijn",
}
