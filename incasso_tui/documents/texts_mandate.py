"""Built-in texts of the mandate form (machtigingsformulier), per language.

The authorisation texts follow the structure of sepa-rules.md §5.4 in our own words: consent (A) for
the creditor to send instructions and (B) for the bank to debit; then the refund right (CORE) or the
no-refund / refusal / registration note (B2B). An administrator can replace any key per language.
"""

from __future__ import annotations

# Placeholders any mandate text may use; templates.py rejects all others.
MANDATE_PLACEHOLDERS = frozenset({"creditor_name", "creditor_id", "creditor_address", "reference", "reason"})

MANDATE_TEXTS: dict[str, dict[str, str]] = {
    "nl": {
        "title_recurrent": "Doorlopende SEPA-machtiging",
        "title_one_off": "Eenmalige SEPA-machtiging",
        "title_b2b_recurrent": "Doorlopende SEPA-machtiging Bedrijven",
        "title_b2b_one_off": "Eenmalige SEPA-machtiging Bedrijven",
        "scheme_core": "Standaard Europese incasso",
        "scheme_b2b": "Zakelijke Europese incasso",
        "heading_creditor": "Gegevens incassant",
        "label_creditor_name": "Naam incassant",
        "label_address": "Adres",
        "label_postcode_town": "Postcode en plaats",
        "label_country": "Land",
        "label_creditor_id": "Incassant ID",
        "label_reference": "Kenmerk machtiging",
        "label_reason": "Reden betaling",
        "authorisation_core_recurrent": (
            "Door dit formulier te ondertekenen geeft u toestemming aan (A) {creditor_name} om "
            "doorlopende incasso-opdrachten naar uw bank te sturen om een bedrag van uw rekening "
            "af te schrijven, en (B) uw bank om doorlopend een bedrag van uw rekening af te "
            "schrijven volgens de opdracht van {creditor_name}."
        ),
        "authorisation_core_one_off": (
            "Door dit formulier te ondertekenen geeft u toestemming aan (A) {creditor_name} om "
            "een eenmalige incasso-opdracht naar uw bank te sturen om een bedrag van uw rekening "
            "af te schrijven, en (B) uw bank om eenmalig een bedrag van uw rekening af te "
            "schrijven volgens de opdracht van {creditor_name}."
        ),
        "authorisation_b2b_recurrent": (
            "Door dit formulier te ondertekenen geeft u toestemming aan (A) {creditor_name} om "
            "doorlopende zakelijke incasso-opdrachten naar uw bank te sturen om een bedrag van uw "
            "rekening af te schrijven, en (B) uw bank om doorlopend een bedrag van uw rekening af "
            "te schrijven volgens de opdracht van {creditor_name}."
        ),
        "authorisation_b2b_one_off": (
            "Door dit formulier te ondertekenen geeft u toestemming aan (A) {creditor_name} om "
            "een eenmalige zakelijke incasso-opdracht naar uw bank te sturen om een bedrag van uw "
            "rekening af te schrijven, en (B) uw bank om eenmalig een bedrag van uw rekening af "
            "te schrijven volgens de opdracht van {creditor_name}."
        ),
        "refund_core": (
            "Bent u het niet eens met een afschrijving, dan kunt u deze laten terugboeken. Neem "
            "hiervoor binnen 8 weken na de afschrijving contact op met uw bank. Vraag uw bank naar "
            "de voorwaarden."
        ),
        "no_refund_b2b": (
            "Deze machtiging is uitsluitend bedoeld voor incasso's tussen bedrijven. U heeft geen "
            "recht op terugboeking van een afschrijving, maar u kunt uw bank wel vragen een "
            "incasso niet uit te voeren, tot en met de dag waarop de afschrijving zou "
            "plaatsvinden. "
            "Laat deze machtiging vóór de eerste incasso registreren bij uw bank."
        ),
        "heading_debtor": "Gegevens rekeninghouder",
        "label_debtor_name": "Naam",
        "label_iban": "Rekeningnummer (IBAN)",
        "label_bic": "Bank Identificatie (BIC)",
        "label_place": "Plaats",
        "label_date": "Datum",
        "label_signature": "Handtekening",
        "return_to": "Stuur dit formulier ingevuld en ondertekend terug naar: {creditor_address}",
    },
    "en": {
        "title_recurrent": "SEPA Direct Debit Mandate (recurrent)",
        "title_one_off": "SEPA Direct Debit Mandate (one-off)",
        "title_b2b_recurrent": "SEPA Business-to-Business Direct Debit Mandate (recurrent)",
        "title_b2b_one_off": "SEPA Business-to-Business Direct Debit Mandate (one-off)",
        "scheme_core": "SEPA Core Direct Debit",
        "scheme_b2b": "SEPA Business-to-Business Direct Debit",
        "heading_creditor": "Creditor",
        "label_creditor_name": "Creditor name",
        "label_address": "Address",
        "label_postcode_town": "Postcode and town",
        "label_country": "Country",
        "label_creditor_id": "Creditor identifier",
        "label_reference": "Mandate reference",
        "label_reason": "Reason for collection",
        "authorisation_core_recurrent": (
            "By signing this mandate form, you authorise (A) {creditor_name} to send recurrent "
            "instructions to your bank to debit your account and (B) your bank to debit your "
            "account in accordance with the instructions from {creditor_name}."
        ),
        "authorisation_core_one_off": (
            "By signing this mandate form, you authorise (A) {creditor_name} to send a one-off "
            "instruction to your bank to debit your account and (B) your bank to debit your "
            "account once in accordance with the instruction from {creditor_name}."
        ),
        "authorisation_b2b_recurrent": (
            "By signing this mandate form, you authorise (A) {creditor_name} to send recurrent "
            "business-to-business instructions to your bank to debit your account and (B) your "
            "bank to debit your account in accordance with the instructions from {creditor_name}."
        ),
        "authorisation_b2b_one_off": (
            "By signing this mandate form, you authorise (A) {creditor_name} to send a one-off "
            "business-to-business instruction to your bank to debit your account and (B) your "
            "bank to debit your account once in accordance with the instruction from "
            "{creditor_name}."
        ),
        "refund_core": (
            "As part of your rights, you are entitled to a refund from your bank under the terms "
            "and conditions of your agreement with your bank. A refund must be claimed within "
            "8 weeks starting from the date on which your account was debited. Your rights are "
            "explained in a statement that you can obtain from your bank."
        ),
        "no_refund_b2b": (
            "This mandate is only intended for business-to-business transactions. You are not "
            "entitled to a refund from your bank after your account has been debited, but you "
            "are entitled to request your bank not to debit your account up until the day on "
            "which the payment is due. Please register this mandate with your bank before the "
            "first collection."
        ),
        "heading_debtor": "Account holder (debtor)",
        "label_debtor_name": "Name",
        "label_iban": "Account number (IBAN)",
        "label_bic": "Bank identifier (BIC)",
        "label_place": "Place",
        "label_date": "Date",
        "label_signature": "Signature",
        "return_to": "Please return the completed and signed form to: {creditor_address}",
    },
    "de": {
        "title_recurrent": "SEPA-Lastschriftmandat (wiederkehrend)",
        "title_one_off": "SEPA-Lastschriftmandat (einmalig)",
        "title_b2b_recurrent": "SEPA-Firmenlastschrift-Mandat (wiederkehrend)",
        "title_b2b_one_off": "SEPA-Firmenlastschrift-Mandat (einmalig)",
        "scheme_core": "SEPA-Basislastschrift",
        "scheme_b2b": "SEPA-Firmenlastschrift",
        "heading_creditor": "Zahlungsempfänger",
        "label_creditor_name": "Name",
        "label_address": "Anschrift",
        "label_postcode_town": "PLZ und Ort",
        "label_country": "Land",
        "label_creditor_id": "Gläubiger-Identifikationsnummer",
        "label_reference": "Mandatsreferenz",
        "label_reason": "Zahlungsgrund",
        "authorisation_core_recurrent": (
            "Ich ermächtige {creditor_name}, wiederkehrende Zahlungen von meinem Konto mittels "
            "Lastschrift einzuziehen. Zugleich weise ich mein Kreditinstitut an, die von "
            "{creditor_name} auf mein Konto gezogenen Lastschriften einzulösen."
        ),
        "authorisation_core_one_off": (
            "Ich ermächtige {creditor_name}, eine einmalige Zahlung von meinem Konto mittels "
            "Lastschrift einzuziehen. Zugleich weise ich mein Kreditinstitut an, die von "
            "{creditor_name} auf mein Konto gezogene Lastschrift einzulösen."
        ),
        "authorisation_b2b_recurrent": (
            "Ich ermächtige {creditor_name}, wiederkehrende Zahlungen von meinem Konto mittels "
            "Firmenlastschrift einzuziehen. Zugleich weise ich mein Kreditinstitut an, die von "
            "{creditor_name} auf mein Konto gezogenen Lastschriften einzulösen."
        ),
        "authorisation_b2b_one_off": (
            "Ich ermächtige {creditor_name}, eine einmalige Zahlung von meinem Konto mittels "
            "Firmenlastschrift einzuziehen. Zugleich weise ich mein Kreditinstitut an, die von "
            "{creditor_name} auf mein Konto gezogene Lastschrift einzulösen."
        ),
        "refund_core": (
            "Hinweis: Ich kann innerhalb von acht Wochen, beginnend mit dem Belastungsdatum, die "
            "Erstattung des belasteten Betrages verlangen. Es gelten dabei die mit meinem "
            "Kreditinstitut vereinbarten Bedingungen."
        ),
        "no_refund_b2b": (
            "Hinweis: Dieses Mandat dient nur dem Einzug von Lastschriften, die auf Konten von "
            "Unternehmen gezogen sind. Ich bin nicht berechtigt, nach der Einlösung eine "
            "Erstattung des belasteten Betrages zu verlangen. Ich kann mein Kreditinstitut bis "
            "zum Fälligkeitstag anweisen, Lastschriften nicht einzulösen. Vor der ersten "
            "Lastschrift melde ich dieses Mandat bei meinem Kreditinstitut an."
        ),
        "heading_debtor": "Zahlungspflichtiger (Kontoinhaber)",
        "label_debtor_name": "Name",
        "label_iban": "IBAN",
        "label_bic": "BIC",
        "label_place": "Ort",
        "label_date": "Datum",
        "label_signature": "Unterschrift",
        "return_to": "Bitte ausgefüllt und unterschrieben zurücksenden an: {creditor_address}",
    },
}
