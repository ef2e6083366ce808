"""Built-in texts of the instruction letter (opdrachtbrief), per language.

The content follows sepa-rules.md §7 ("suggested letter content"). A bank account's letter template
can replace any key through LetterData.text_overrides.

Every sentence must be true of the file the letter goes with: a file of one creditor account
uses "intro" / "declaration" (its totals are the file's), a file of several accounts (two
administrations in one bank group) "intro_accounts" / "declaration_accounts", which name the
accounts' sections and the file's grand total instead of one account.
"""

from __future__ import annotations

LETTER_PLACEHOLDERS = frozenset(
    {"creditor_name", "creditor_id", "account_iban", "bank_name", "file_name", "msg_id", "contact", "place"}
)

LETTER_TEXTS: dict[str, dict[str, str]] = {
    "nl": {
        "title": "Opdrachtbrief SEPA-incasso",
        "subject": "Betreft: aanlevering SEPA-incassobestand {file_name}",
        "salutation": "Geachte heer, mevrouw,",
        "intro": (
            "Hierbij leveren wij het hieronder beschreven SEPA-incassobestand aan. Wij verzoeken "
            "u de daarin opgenomen incasso-opdrachten uit te voeren ten gunste van onze rekening "
            "{account_iban}. Het aantal posten en het totaalbedrag hieronder zijn gelijk aan de "
            "groepsheader van het bestand; met de SHA-256-controlewaarde kunt u nagaan dat u "
            "precies dit bestand heeft ontvangen."
        ),
        "intro_accounts": (
            "Hierbij leveren wij het hieronder beschreven SEPA-incassobestand aan. Het bevat "
            "incasso-opdrachten voor meer dan één rekening; wij verzoeken u elke opdracht uit te "
            "voeren ten gunste van de rekening waaronder zij hieronder staat. Het totale aantal "
            "posten en het totaalbedrag van het bestand zijn gelijk aan de groepsheader van het "
            "bestand, en per rekening staat het deel van het bestand met een subtotaal; met de "
            "SHA-256-controlewaarde kunt u nagaan dat u precies dit bestand heeft ontvangen."
        ),
        "contact_line": "Voor vragen over dit bestand kunt u contact opnemen met {contact}.",
        "closing": "Met vriendelijke groet,",
        "declaration": (
            "Ondergetekende(n), bevoegd namens {creditor_name}, verzoeken de bank het bestand "
            "met bovenstaande kenmerken uit te voeren."
        ),
        "declaration_accounts": (
            "Ondergetekende(n), bevoegd namens de hierboven genoemde incassanten, verzoeken de "
            "bank het bestand met bovenstaande kenmerken uit te voeren."
        ),
        "heading_creditor": "Incassant en rekening",
        "heading_submitter": "Indiener en bank",
        "heading_accounts": "Rekeningen in dit bestand",
        "heading_file": "Bestand",
        "heading_batches": "Batches (PmtInf)",
        "heading_signatures": "Ondertekening",
        "label_creditor": "Incassant",
        "label_submitter": "Indiener",
        "label_creditor_id": "Incassant ID",
        "label_account": "Rekening (IBAN)",
        "label_bic": "BIC",
        "label_bank": "Bank",
        "label_contact": "Contactpersoon",
        "label_file_name": "Bestandsnaam",
        "label_msg_id": "Berichtkenmerk (MsgId)",
        "label_created_at": "Aangemaakt op",
        "label_pain_version": "Formaat",
        "label_sha256": "SHA-256",
        "col_pmt_inf_id": "Batch-ID (PmtInfId)",
        "col_scheme": "Schema",
        "col_seq_type": "Type",
        "col_collection_date": "Incassodatum",
        "col_count": "Aantal",
        "col_total": "Bedrag",
        "total_row": "Totaal",
        "subtotal_row": "Subtotaal",
        "file_total_row": "Totaal bestand (groepsheader)",
        "label_name": "Naam",
        "label_place_date": "Plaats en datum",
        "label_signature": "Handtekening",
        "page": "Pagina",
    },
    "en": {
        "title": "SEPA Direct Debit instruction letter",
        "subject": "Subject: delivery of SEPA direct debit file {file_name}",
        "salutation": "Dear Sir or Madam,",
        "intro": (
            "Please find below the details of the SEPA direct debit file we have delivered. We "
            "request you to execute the collections it contains in favour of our account "
            "{account_iban}. The number of transactions and the total amount below equal the "
            "group header of the file; the SHA-256 checksum lets you verify that you received "
            "exactly this file."
        ),
        "intro_accounts": (
            "Please find below the details of the SEPA direct debit file we have delivered. It "
            "holds collections for more than one account; we request you to execute each "
            "collection in favour of the account it is listed under below. The file's total "
            "number of transactions and total amount equal the group header of the file, and "
            "each account's part of the file is shown with a subtotal; the SHA-256 checksum "
            "lets you verify that you received exactly this file."
        ),
        "contact_line": "For questions about this file please contact {contact}.",
        "closing": "Yours faithfully,",
        "declaration": (
            "The undersigned, authorised to act on behalf of {creditor_name}, request the bank "
            "to execute the file with the details above."
        ),
        "declaration_accounts": (
            "The undersigned, authorised to act on behalf of the creditors named above, request "
            "the bank to execute the file with the details above."
        ),
        "heading_creditor": "Creditor and account",
        "heading_submitter": "Submitter and bank",
        "heading_accounts": "Accounts in this file",
        "heading_file": "File",
        "heading_batches": "Batches (PmtInf)",
        "heading_signatures": "Signatures",
        "label_creditor": "Creditor",
        "label_submitter": "Submitter",
        "label_creditor_id": "Creditor identifier",
        "label_account": "Account (IBAN)",
        "label_bic": "BIC",
        "label_bank": "Bank",
        "label_contact": "Contact",
        "label_file_name": "File name",
        "label_msg_id": "Message id (MsgId)",
        "label_created_at": "Created at",
        "label_pain_version": "Format",
        "label_sha256": "SHA-256",
        "col_pmt_inf_id": "Batch id (PmtInfId)",
        "col_scheme": "Scheme",
        "col_seq_type": "Type",
        "col_collection_date": "Collection date",
        "col_count": "Count",
        "col_total": "Amount",
        "total_row": "Total",
        "subtotal_row": "Subtotal",
        "file_total_row": "File total (group header)",
        "label_name": "Name",
        "label_place_date": "Place and date",
        "label_signature": "Signature",
        "page": "Page",
    },
}
