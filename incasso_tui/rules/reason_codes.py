"""The reason codes of SEPA R-transactions and what the app does with each.

A table in code, so an administrator can read it in the app and a reviewer can
read it here.  Sources: sepa-rules.md §6.2 (the Dutch "geadviseerde
vervolgactie" of the Betaalvereniging-derived tables; ISO names from the
ExternalStatusReason1Code / ExternalReturnReason1Code lists).  The action
decides what happens to the collection and the mandate; the advice is what a
person should do next.

Pure on purpose: nothing from the app is imported, so the SEPA engine, the
services and the screens can all use it.
"""

from __future__ import annotations

from dataclasses import dataclass

BLOCK_MANDATE = "block_mandate"
CANCEL_MANDATE = "cancel_mandate"
MANDATE_INVALID = "mandate_invalid"
NEEDS_NEW_IBAN = "needs_new_iban"
RETRY_ALLOWED = "retry_allowed"
REFUND = "refund"
CONTACT_DEBTOR = "contact_debtor"
FIX_DATA = "fix_data"
DECIDE = "decide"

# The actions that change the mandate (blocked or revoked): the home screen counts them.
MANDATE_ACTIONS = (BLOCK_MANDATE, NEEDS_NEW_IBAN, CANCEL_MANDATE, MANDATE_INVALID)

# action -> (English label, Dutch label, what the action does, in English)
ACTIONS: dict[str, tuple[str, str, str]] = {
    BLOCK_MANDATE: (
        "Block mandate",
        "Machtiging blokkeren",
        (
            "The collection failed; the mandate is blocked until the debtor gives a new "
            "account (amendment) or signs a new mandate."
        ),
    ),
    CANCEL_MANDATE: (
        "Cancel mandate",
        "Machtiging beëindigen",
        "The collection failed; the mandate is ended for good and no further collections are made on it.",
    ),
    MANDATE_INVALID: (
        "Mandate invalid",
        "Machtiging ongeldig",
        (
            "The collection failed; the mandate is marked invalid and a new signed mandate "
            "is needed before collecting again."
        ),
    ),
    NEEDS_NEW_IBAN: (
        "New IBAN needed",
        "Nieuw IBAN nodig",
        (
            "The collection failed; the mandate is held until a corrected IBAN is entered "
            "(sent as an amendment in the next collection)."
        ),
    ),
    RETRY_ALLOWED: (
        "Retry allowed",
        "Herincasso toegestaan",
        (
            "The collection failed; the mandate stays valid and the amount may be collected "
            "again with a new EndToEndId after a new pre-notification."
        ),
    ),
    REFUND: (
        "Refund",
        "Terugboeking",
        "The debtor had the amount refunded; the invoice is open again and the mandate stays valid.",
    ),
    CONTACT_DEBTOR: (
        "Contact debtor",
        "Contact opnemen met debiteur",
        (
            "The collection failed; the mandate stays valid but nothing is collected again "
            "automatically: ask the debtor first."
        ),
    ),
    FIX_DATA: (
        "Fix data",
        "Gegevens corrigeren",
        (
            "An error in our own data or file; the debtor is not blocked: fix the data and "
            "send the collection again."
        ),
    ),
    DECIDE: (
        "Decide manually",
        "Handmatig beoordelen",
        "An unknown or unusual reason: nothing is changed automatically, an administrator decides.",
    ),
}


@dataclass(frozen=True, slots=True)
class ReasonCode:
    code: str
    name_en: str  # ISO name, short
    name_nl: str  # Dutch description, Betaalvereniging style
    action: str  # a key of ACTIONS
    advice_en: str  # what a person should do, one sentence
    advice_nl: str


def _code(
    code: str, name_en: str, name_nl: str, action: str, advice_en: str, advice_nl: str
) -> tuple[str, ReasonCode]:
    return code, ReasonCode(code, name_en, name_nl, action, advice_en, advice_nl)


CODES: dict[str, ReasonCode] = dict(
    [
        _code(
            "AC01",
            "Incorrect account number",
            "Rekeningnummer incorrect",
            NEEDS_NEW_IBAN,
            "Ask the debtor for the correct IBAN and enter it on the mandate.",
            "Vraag de debiteur om het juiste IBAN en leg dat vast bij de machtiging.",
        ),
        _code(
            "AC04",
            "Closed account number",
            "Rekeningnummer opgeheven",
            BLOCK_MANDATE,
            "Ask the debtor for a new IBAN (amendment) or a new mandate.",
            "Vraag de debiteur om een nieuw IBAN (wijziging) of een nieuwe machtiging.",
        ),
        _code(
            "AC06",
            "Blocked account",
            "Rekening geblokkeerd voor incasso",
            BLOCK_MANDATE,
            "Contact the debtor: the account is blocked for direct debits by the bank or the debtor.",
            "Neem contact op met de debiteur: de rekening is door bank of debiteur "
            "geblokkeerd voor incasso's.",
        ),
        _code(
            "AC13",
            "Invalid debtor account type",
            "Ongeldig rekeningtype debiteur",
            BLOCK_MANDATE,
            "The account is a consumer account: ask the debtor for a Core (standard) mandate instead of B2B.",
            "Het is een particuliere rekening: vraag de debiteur om een standaard machtiging "
            "in plaats van een zakelijke.",
        ),
        _code(
            "AG01",
            "Transaction forbidden",
            "Incasso niet toegestaan op deze rekening",
            BLOCK_MANDATE,
            "Ask the debtor for a payment account that accepts direct debits (not a savings account).",
            "Vraag de debiteur om een betaalrekening waarop incasso is toegestaan (geen spaarrekening).",
        ),
        _code(
            "AG02",
            "Invalid bank operation code",
            "Ongeldige transactiecode",
            FIX_DATA,
            "Check the sequence type and the mandate reference (e.g. a reused one-off "
            "mandate), then send again.",
            "Controleer het volgnummertype en het machtigingskenmerk (bijv. een hergebruikte "
            "eenmalige machtiging) en bied opnieuw aan.",
        ),
        _code(
            "AM04",
            "Insufficient funds",
            "Saldo ontoereikend",
            RETRY_ALLOWED,
            "Collect again later with a new EndToEndId after notifying the debtor.",
            "Bied later opnieuw aan (herincasso) met een nieuw EndToEndId, na een "
            "vooraankondiging aan de debiteur.",
        ),
        _code(
            "AM05",
            "Duplication",
            "Dubbele incasso",
            CONTACT_DEBTOR,
            "Check whether the amount was collected twice; do not collect again automatically.",
            "Controleer of het bedrag dubbel is geïncasseerd; niet automatisch opnieuw aanbieden.",
        ),
        _code(
            "BE05",
            "Unrecognised initiating party",
            "Incassant-ID onbekend of onjuist",
            FIX_DATA,
            "Check the creditor identifier in the settings (a changed identifier needs an "
            "amendment) and send again.",
            "Controleer het incassant-ID in de instellingen (een gewijzigd ID vraagt om een "
            "wijziging in de machtiging) en bied opnieuw aan.",
        ),
        _code(
            "CNOR",
            "Creditor bank is not registered",
            "Bank van incassant niet aangesloten",
            FIX_DATA,
            "Our bank cannot process this scheme (often B2B): use Core or another payment method.",
            "Onze bank kan dit schema niet verwerken (vaak zakelijke incasso): gebruik "
            "standaard incasso of een andere betaalwijze.",
        ),
        _code(
            "DNOR",
            "Debtor bank is not registered",
            "Bank van debiteur niet aangesloten",
            FIX_DATA,
            "The debtor's bank is not reachable for this scheme (often B2B): use Core or "
            "another payment method.",
            "De bank van de debiteur is niet bereikbaar voor dit schema (vaak zakelijke "
            "incasso): gebruik standaard incasso of een andere betaalwijze.",
        ),
        _code(
            "ED05",
            "Settlement failed",
            "Verrekening mislukt",
            RETRY_ALLOWED,
            "The banks could not settle the collection: collect again with a new EndToEndId.",
            "De banken konden de incasso niet verrekenen: bied opnieuw aan met een nieuw EndToEndId.",
        ),
        _code(
            "FF01",
            "Invalid file format",
            "Ongeldig bestandsformaat",
            FIX_DATA,
            "The bank refused the file itself: fix the file (or report a fault) and send it again.",
            "De bank heeft het bestand zelf geweigerd: herstel het bestand (of meld een "
            "fout) en lever het opnieuw aan.",
        ),
        _code(
            "MD01",
            "No mandate",
            "Geen machtiging",
            MANDATE_INVALID,
            "The mandate is unknown, revoked or expired at the debtor's bank: get a new signed mandate.",
            "De machtiging is onbekend, ingetrokken of verlopen bij de bank van de "
            "debiteur: laat een nieuwe machtiging tekenen.",
        ),
        _code(
            "MD02",
            "Missing mandatory information in mandate",
            "Machtigingsgegevens ontbreken of onjuist",
            FIX_DATA,
            "Complete the mandate data (reference, signature date) and send again.",
            "Vul de machtigingsgegevens aan (kenmerk, datum ondertekening) en bied opnieuw aan.",
        ),
        _code(
            "MD06",
            "Refund request by end customer",
            "Terugboeking op verzoek van debiteur",
            REFUND,
            "The invoice is open again; contact the debtor before collecting it again.",
            "De factuur staat weer open; neem contact op met de debiteur voordat u opnieuw incasseert.",
        ),
        _code(
            "MD07",
            "End customer deceased",
            "Debiteur overleden",
            CANCEL_MANDATE,
            "Stop collecting on this mandate and settle the debt with the estate.",
            "Stop met incasseren op deze machtiging en regel de vordering met de nabestaanden.",
        ),
        _code(
            "MS02",
            "Not specified reason customer generated",
            "Reden niet gespecificeerd door debiteur (weigering)",
            CONTACT_DEBTOR,
            "The debtor refused the collection: contact the debtor before collecting again.",
            "De debiteur heeft de incasso geweigerd: neem contact op voordat u opnieuw incasseert.",
        ),
        _code(
            "MS03",
            "Not specified reason agent generated",
            "Reden niet gespecificeerd door bank",
            RETRY_ALLOWED,
            "Collect again once; contact the debtor if it fails again.",
            "Bied eenmaal opnieuw aan; neem contact op met de debiteur als het weer mislukt.",
        ),
        _code(
            "RC01",
            "Bank identifier incorrect",
            "BIC onjuist",
            FIX_DATA,
            "Correct the BIC of the debtor's bank (or leave it out for a Dutch IBAN) and send again.",
            "Corrigeer de BIC van de bank van de debiteur (of laat die weg bij een "
            "Nederlands IBAN) en bied opnieuw aan.",
        ),
        _code(
            "RR01",
            "Missing debtor account or identification",
            "Rekening of identificatie debiteur ontbreekt",
            FIX_DATA,
            "Complete the debtor's account and identification and send again.",
            "Vul de rekening en identificatie van de debiteur aan en bied opnieuw aan.",
        ),
        _code(
            "RR02",
            "Missing debtor name or address",
            "Naam of adres debiteur ontbreekt",
            FIX_DATA,
            "Complete the debtor's name and address and send again.",
            "Vul naam en adres van de debiteur aan en bied opnieuw aan.",
        ),
        _code(
            "RR03",
            "Missing creditor name or address",
            "Naam of adres incassant ontbreekt",
            FIX_DATA,
            "Complete the creditor's name and address in the settings and send again.",
            "Vul naam en adres van de incassant aan in de instellingen en bied opnieuw aan.",
        ),
        _code(
            "RR04",
            "Regulatory reason",
            "Wet- en regelgeving",
            FIX_DATA,
            "Ask the bank which regulatory data is missing, fix it and send again.",
            "Vraag de bank welke gegevens vanwege regelgeving ontbreken, vul die aan en bied opnieuw aan.",
        ),
        _code(
            "SL01",
            "Specific service offered by debtor agent",
            "Specifieke dienst van de bank van de debiteur (blokkade of limiet)",
            BLOCK_MANDATE,
            "The debtor has blocked or limited collections by us at the bank: contact the debtor.",
            "De debiteur heeft incasso's door ons bij de bank geblokkeerd of beperkt: neem "
            "contact op met de debiteur.",
        ),
    ]
)

# Reasons a creditor may give for a reversal (herstelincasso), sepa-rules.md §6.1.
REVERSAL_REASONS = ("AM05", "MS02", "MS03")


def lookup(code: str) -> ReasonCode:
    """The entry of ``code`` (case and surrounding spaces ignored); an unknown or
    empty code gets a "decide" entry that carries the code as given."""
    key = (code or "").strip()
    known = CODES.get(key.upper())
    if known is not None:
        return known
    return ReasonCode(
        key,
        "Unknown reason code",
        "Onbekende redencode",
        DECIDE,
        "Look the code up in the bank's documentation and decide what to do with the "
        "collection and the mandate.",
        "Zoek de code op in de documentatie van de bank en beslis wat er met de incasso "
        "en de machtiging moet gebeuren.",
    )


def all_codes() -> list[ReasonCode]:
    """Every known code, sorted by code (for the table in the app)."""
    return sorted(CODES.values(), key=lambda reason: reason.code)
