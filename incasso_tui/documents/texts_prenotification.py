"""Built-in texts of the pre-notification (vooraankondiging), per language, for the letter and
the e-mail. Sentences say only what the notice's data makes true (sepa-rules §4.4: the
creditor tells the debtor amount and date before the collection)."""

from __future__ import annotations

# {placeholders}: creditor_name, creditor_id, debtor_name, iban, contact, count, total.
PRENOTIFICATION_TEXTS: dict[str, dict[str, str]] = {
    "nl": {
        "title": "Vooraankondiging SEPA-incasso",
        "subject": "Vooraankondiging incasso {creditor_name}",
        "salutation": "Geachte {debtor_name},",
        "intro_one": (
            "Hierbij laten wij u weten dat {creditor_name} het onderstaande bedrag via een "
            "SEPA-incasso van uw rekening {iban} zal afschrijven."
        ),
        "intro_many": (
            "Hierbij laten wij u weten dat {creditor_name} de onderstaande {count} bedragen via "
            "SEPA-incasso van uw rekening {iban} zal afschrijven."
        ),
        "label_creditor": "Incassant",
        "label_creditor_id": "Incassant ID",
        "label_debtor_number": "Uw klantnummer",
        "col_reference": "Kenmerk machtiging",
        "col_date": "Incassodatum",
        "col_amount": "Bedrag",
        "col_text": "Omschrijving",
        "total": "Totaal",
        "balance": "Zorgt u ervoor dat er op de incassodatum voldoende saldo op uw rekening staat?",
        "refund_core": (
            "Bent u het niet eens met een afschrijving, dan kunt u deze binnen 8 weken na de "
            "afschrijving via uw bank laten terugboeken."
        ),
        "contact": "Heeft u vragen? Neem contact op met: {contact}",
        "closing": "Met vriendelijke groet,",
        "page": "Pagina",
        "mail_attachment": "De vooraankondiging zit ook als PDF bij dit bericht.",
    },
    "en": {
        "title": "Pre-notification of SEPA direct debit",
        "subject": "Pre-notification of direct debit from {creditor_name}",
        "salutation": "Dear {debtor_name},",
        "intro_one": (
            "We hereby inform you that {creditor_name} will collect the amount below from your "
            "account {iban} by SEPA direct debit."
        ),
        "intro_many": (
            "We hereby inform you that {creditor_name} will collect the {count} amounts below "
            "from your account {iban} by SEPA direct debit."
        ),
        "label_creditor": "Creditor",
        "label_creditor_id": "Creditor identifier",
        "label_debtor_number": "Your customer number",
        "col_reference": "Mandate reference",
        "col_date": "Collection date",
        "col_amount": "Amount",
        "col_text": "Description",
        "total": "Total",
        "balance": "Please make sure your account holds sufficient funds on the collection date.",
        "refund_core": (
            "If you disagree with a debit, you can ask your bank for a refund within 8 weeks "
            "of the date your account was debited."
        ),
        "contact": "Questions? Please contact: {contact}",
        "closing": "Kind regards,",
        "page": "Page",
        "mail_attachment": "The pre-notification is also attached to this message as a PDF.",
    },
    "de": {
        "title": "Vorabankündigung einer SEPA-Lastschrift",
        "subject": "Vorabankündigung der Lastschrift von {creditor_name}",
        "salutation": "Sehr geehrte(r) {debtor_name},",
        "intro_one": (
            "hiermit kündigen wir an, dass {creditor_name} den unten genannten Betrag per "
            "SEPA-Lastschrift von Ihrem Konto {iban} einziehen wird."
        ),
        "intro_many": (
            "hiermit kündigen wir an, dass {creditor_name} die unten genannten {count} Beträge "
            "per SEPA-Lastschrift von Ihrem Konto {iban} einziehen wird."
        ),
        "label_creditor": "Zahlungsempfänger",
        "label_creditor_id": "Gläubiger-Identifikationsnummer",
        "label_debtor_number": "Ihre Kundennummer",
        "col_reference": "Mandatsreferenz",
        "col_date": "Fälligkeitstag",
        "col_amount": "Betrag",
        "col_text": "Verwendungszweck",
        "total": "Summe",
        "balance": "Bitte sorgen Sie am Fälligkeitstag für ausreichende Deckung Ihres Kontos.",
        "refund_core": (
            "Sie können innerhalb von acht Wochen, beginnend mit dem Belastungsdatum, die "
            "Erstattung des belasteten Betrages bei Ihrem Kreditinstitut verlangen."
        ),
        "contact": "Bei Fragen wenden Sie sich bitte an: {contact}",
        "closing": "Mit freundlichen Grüßen",
        "page": "Seite",
        "mail_attachment": "Die Vorabankündigung ist dieser Nachricht auch als PDF beigefügt.",
    },
}
