"""Dutch catalogue for final collections, reference replacement, contract limits and held-back reasons."""

NL: dict[str, str] = {
    # Held back by the planner (services/collection/planning.py).
    "amount {amount} is over the contract's maximum per transaction {maximum} of {iban}": (
        "bedrag {amount} is hoger dan het maximum per transactie {maximum} van het incassocontract van {iban}"
    ),
    "the debtor's bank or address is outside the EEA ({country}): the file needs the debtor's "
    "address, at least town and country": (
        "de bank of het adres van de debiteur ligt buiten de EER ({country}): het bestand moet het "
        "adres van de debiteur bevatten, ten minste plaats en land"
    ),
    # Final collection (screens/orders.py).
    "Final collection": "Laatste incasso",
    "Final collection of order {id}": "Laatste incasso: opdracht {id}",
    "Order {id} is the final collection": "Opdracht {id} is de laatste incasso",
    "Order {id} is the final collection (FNAL) of mandate {mandate}. Undo that? The mandate then "
    "stays in force after it.": (
        "Opdracht {id} is de laatste incasso (FNAL) onder machtiging {mandate}. Ongedaan maken? De "
        "machtiging blijft dan daarna van kracht."
    ),
    "Make order {id} the final collection (FNAL) of mandate {mandate}? The mandate ends after it "
    "has been collected; later orders under it are held back.": (
        "Opdracht {id} de laatste incasso (FNAL) onder machtiging {mandate} maken? De machtiging "
        "eindigt nadat deze is geïncasseerd; latere opdrachten eronder worden tegengehouden."
    ),
    "Order {id} is the final collection of mandate {mandate}": (
        "Opdracht {id} is de laatste incasso onder machtiging {mandate}"
    ),
    "Order {id} is no longer the final collection": "Opdracht {id} is niet langer de laatste incasso",
    # Replacing a mandate reference (screens/mandate_actions.py, mandate_detail.py).
    "New reference": "Nieuw kenmerk",
    "enter the new reference": "vul het nieuwe kenmerk in",
    "this is the mandate's reference already": "dit is al het kenmerk van de machtiging",
    "New reference for mandate {reference}": "Nieuw kenmerk voor machtiging {reference}",
    "The reference the bank knows the mandate by. Once collected, the next collection tells the "
    "bank the old one (amendment).": (
        "Het kenmerk waaronder de bank de machtiging kent. Is er al onder geïncasseerd, dan meldt de "
        "volgende incasso de bank het oude kenmerk (wijziging)."
    ),
    "Mandate {old} is now {new}; the next collection tells the bank the old reference {original}.": (
        "Machtiging {old} heet nu {new}; de volgende incasso meldt de bank het oude kenmerk {original}."
    ),
    "Mandate {old} is now {new}.": "Machtiging {old} heet nu {new}.",
    "the mandate reference changed: the next collection carries the previous reference {reference}": (
        "het machtigingskenmerk is gewijzigd: de volgende incasso bevat het vorige kenmerk {reference}"
    ),
}
