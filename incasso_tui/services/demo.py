"""Deterministic demo data: three administrations, banks, ~300 debtors, mandates in
every status, open collection orders and users with different roles.

The same date gives the same data (a seeded generator; dates relative to today so
the statuses are meaningful on any day).
"""

from __future__ import annotations

import datetime as dt
import random

from schwifty import IBAN
from stdnum.eu import at_02

from incasso_tui.core.clock import today as clock_today
from incasso_tui.db import models as m
from incasso_tui.db.statuses import MandateStatus, Role
from incasso_tui.rules.mandates import compute_status, format_reference

ADMINISTRATIONS = [
    # code, name, KvK, street, number, postcode, town, scope, auto-create, activate, policy
    (
        "ZON",
        "Stichting Zonnebloem Utrecht",
        "30123456",
        "Oudegracht",
        "112",
        "3511 AX",
        "Utrecht",
        "debtor",
        True,
        False,
        "frst_first",
    ),
    (
        "KLIM",
        "Sportvereniging De Klimop",
        "40212345",
        "Sportlaan",
        "7",
        "2566 KP",
        "Den Haag",
        "debtor",
        True,
        True,
        "always_rcur",
    ),
    (
        "RIJN",
        "Woningbouw Rijnmond B.V.",
        "24356789",
        "Coolsingel",
        "40",
        "3011 AD",
        "Rotterdam",
        "invoice_type",
        False,
        False,
        "frst_first",
    ),
]
BANK_GROUPS = [
    ("ABN", "ABN AMRO", "ABNA", "pain.008.001.02"),
    ("ING", "ING Bank", "INGB", "pain.008.001.08"),
    ("RABO", "Rabobank", "RABO", "pain.008.001.02"),
]
ACCOUNTS = [  # administration, bank group, account number
    ("ZON", "ABN", "0417164300"),
    ("ZON", "ING", "0001234567"),
    ("KLIM", "RABO", "0123456789"),
    ("RIJN", "ING", "0007654321"),
    ("RIJN", "RABO", "0300111222"),
]
INVOICE_TYPES = {
    "ZON": [("DON", "Donatie", "Maandelijkse donatie")],
    "KLIM": [("CONTR", "Contributie", "Contributie sportvereniging"), ("BAR", "Barrekening", "")],
    "RIJN": [("HUUR", "Huur", "Huur woning of bedrijfsruimte"), ("SERV", "Servicekosten", "")],
}
USERS = [  # login, name, role, administrations
    ("anna", "Anna de Vries", Role.OPERATOR, ["ZON", "KLIM"]),
    ("bram", "Bram Jansen", Role.SUPPORT, ["ZON"]),
    ("chris", "Chris Bakker", Role.OPERATOR, ["RIJN"]),
    ("dirk", "Dirk Visser", Role.SUPPORT, ["ZON", "KLIM", "RIJN"]),
]
FIRST = [
    "Jan",
    "Sanne",
    "Pieter",
    "Fleur",
    "Daan",
    "Zoë",
    "Noël",
    "José",
    "Łukasz",
    "Søren",
    "Chloé",
    "Ayşe",
    "Björn",
    "Ève",
    "Mohammed",
    "Fatma",
    "Jürgen",
    "Émile",
    "Siobhán",
    "Renée",
    "Thijs",
    "Maaike",
    "Ingrid",
    "François",
    "Ağa",
    "Dvořák",
    "Çağla",
    "Anouk",
]
LAST = [
    "de Vries",
    "Jansen",
    "van den Berg",
    "Bakker",
    "Müller",
    "Żółć",
    "O'Brien",
    "Yılmaz",
    "Kierkegaard",
    "Groß",
    "van Dijk",
    "Ødegård",
    "Smit",
    "Æbelø",
    "Peña",
    "Nuñez",
    "Visser",
    "de Jong",
    "Meijer",
    "Schröder",
    "Dubois",
    "Bos",
    "Mulder",
    "Hendriks",
    "El Amrani",
]
COMPANIES = [
    "Bakkerij Het Gouden Korenaar",
    "Müller & Söhne GmbH",
    "Café 't Hoekje",
    "Ærø Trading ApS",
    "Loodgietersbedrijf Van Dam",
    "Installatie@Thuis B.V.",
    "Drukkerij De Pers & Co",
    "Garage_Noord V.O.F.",
    "Bloemist Fleurig",
    "Kantoorhuis €uro B.V.",
]
STREETS = [
    ("Kerkstraat", "1012 AB", "Amsterdam"),
    ("Dorpsstraat", "3811 LK", "Amersfoort"),
    ("Hoofdweg", "9711 BC", "Groningen"),
    ("Marktplein", "5611 EM", "Eindhoven"),
    ("Schillerstraße", "50667", "Köln"),
    ("High Street", "SW1A 1AA", "London"),
    ("Stationsweg", "2312 AV", "Leiden"),
    ("Molenlaan", "3701 CE", "Zeist"),
]
NL_BANKS = ["ABNA", "INGB", "RABO", "SNSB", "TRIO", "ASNB", "KNAB", "BUNQ"]


def creditor_id(kvk: str) -> str:
    national = f"{kvk}0000"
    return f"NL{at_02.calc_check_digits(f'NL00ZZZ{national}')}ZZZ{national}"


def fill_demo(admin_login: str, n_debtors: int = 300) -> dict[str, int]:
    rnd = random.Random(2026)
    today = clock_today()
    adms = {}
    for code, name, kvk, street, number, pc, town, scope, auto, act, policy in ADMINISTRATIONS:
        adms[code] = m.Administration.create(
            code=code,
            name=name,
            creditor_id=creditor_id(kvk),
            kvk=kvk,
            street=street,
            building_number=number,
            postcode=pc,
            town=town,
            country="NL",
            mandate_scope=scope,
            auto_create_mandates=auto,
            activate_immediately=act,
            sequence_policy=policy,
            collection_reason=INVOICE_TYPES[code][0][2],
        )
    groups = {}
    for code, name, _bank, version in BANK_GROUPS:
        # The demo groups are named after their bank's profile (rules/bank_profiles.py).
        groups[code] = m.BankGroup.create(
            code=code, name=name, profile=code, pain_version=version, lead_days=2
        )
    accounts: dict[str, list[m.BankAccount]] = {}
    for adm_code, group_code, number in ACCOUNTS:
        bank = next(b for g, _, b, _ in BANK_GROUPS if g == group_code)
        iban = IBAN.generate("NL", bank_code=bank, account_code=number)
        accounts.setdefault(adm_code, []).append(
            m.BankAccount.create(
                administration=adms[adm_code],
                bank_group=groups[group_code],
                iban=str(iban),
                bic=str(iban.bic or ""),
                bank_name=groups[group_code].name,
                description=f"{adms[adm_code].name} – {groups[group_code].name}",
                letter_layout="standard" if group_code != "RABO" else "compact",
                letter_contact="Afdeling Financiën, 030-1234567",
                letter_signatories="M. de Groot\nR. Pietersen",
            )
        )
    types = {
        code: [
            m.InvoiceType.create(administration=adms[code], code=c, name=n, collection_reason=r)
            for c, n, r in items
        ]
        for code, items in INVOICE_TYPES.items()
    }
    for login, name, role, grants in USERS:
        if login == admin_login:
            continue
        user = m.User.create(login=login, name=name, role=role)
        for code in grants:
            m.UserAdministration.create(user=user, administration=adms[code])

    debtors, mandates, orders = 0, 0, 0
    adm_codes = list(adms)
    for i in range(n_debtors):
        adm_code = adm_codes[i % 3]
        adm = adms[adm_code]
        business = (adm_code == "RIJN" and rnd.random() < 0.45) or rnd.random() < 0.08
        name = rnd.choice(COMPANIES) if business else f"{rnd.choice(FIRST)} {rnd.choice(LAST)}"
        street, postcode, town = rnd.choice(STREETS)
        country = {"Köln": "DE", "London": "GB"}.get(town, "NL")
        language = {"DE": "de", "GB": "en"}.get(country, rnd.choice(["nl"] * 6 + ["en", "de"]))
        iban = IBAN.generate(
            "NL", bank_code=rnd.choice(NL_BANKS), account_code=f"{rnd.randrange(10**9):010d}"
        )
        number = f"{10000 + i}"
        debtor = m.Debtor.create(
            administration=adm,
            number=number,
            name=name,
            street=street,
            building_number=str(rnd.randint(1, 250)),
            postcode=postcode,
            town=town,
            country=country,
            language=language,
            is_business=business,
            iban=str(iban),
            bic=str(iban.bic or ""),
            email=f"debiteur{number}@example.nl",
        )
        debtors += 1
        scope_types = types[adm_code] if adm.mandate_scope == "invoice_type" else [None]
        for seq, itype in enumerate(scope_types[: 1 + (i % 2)], start=1):
            mandate = _demo_mandate(rnd, today, adm, debtor, itype, seq, business)
            mandates += 1
            if mandate.status in (MandateStatus.ACTIVE, MandateStatus.INACTIVE) and rnd.random() < 0.8:
                account = rnd.choice(accounts[adm_code])
                m.CollectionOrder.create(
                    administration=adm,
                    debtor=debtor,
                    mandate=mandate,
                    bank_account=account,
                    invoice_type=itype or types[adm_code][0],
                    invoice_number=f"F{today.year}-{i:05d}",
                    amount_cents=rnd.choice([1250, 2500, 4995, 7500, 12000, 89550, 125000]),
                    requested_date=today + dt.timedelta(days=rnd.randint(3, 20)),
                    remittance=f"Factuur F{today.year}-{i:05d} {rnd.choice(['januari', 'termijn', 'ÄÖÜ-toeslag', 'bijdrage & kosten'])}",
                )
                orders += 1
    return {
        "administrations": len(adms),
        "bank groups": len(groups),
        "debtors": debtors,
        "mandates": mandates,
        "orders": orders,
        "users": len(USERS) + 1,
    }


def _demo_mandate(
    rnd: random.Random,
    today: dt.date,
    adm: m.Administration,
    debtor: m.Debtor,
    itype: m.InvoiceType | None,
    seq: int,
    business: bool,
) -> m.Mandate:
    kind = rnd.random()
    signed = today - dt.timedelta(days=rnd.randint(30, 900))
    effective: dt.date | None = signed + dt.timedelta(days=rnd.randint(0, 14))
    end = last = None
    collected = False
    status_override: MandateStatus | None = None
    if kind < 0.08:  # inactive: no effective date yet
        effective = None
    elif kind < 0.12:  # inactive: effective in the future
        signed = today - dt.timedelta(days=3)
        effective = today + dt.timedelta(days=rnd.randint(1, 30))
    elif kind < 0.18:  # ended
        end = today - dt.timedelta(days=rnd.randint(1, 200))
    elif kind < 0.24:  # expired: last collection more than 36 months ago
        signed = today - dt.timedelta(days=1700)
        effective = signed
        last = today - dt.timedelta(days=rnd.randint(1096, 1400))
        collected = True
    elif kind < 0.30:  # expiring within 60 days
        signed = today - dt.timedelta(days=1100)
        effective = signed
        last = today - dt.timedelta(days=rnd.randint(1040, 1090))
        collected = True
    elif kind < 0.32:
        status_override = MandateStatus.BLOCKED
    elif kind < 0.34:
        status_override = MandateStatus.REVOKED
    elif kind < 0.75:  # active and collected before
        last = today - dt.timedelta(days=rnd.randint(20, 120))
        collected = True
    recurrent = rnd.random() > 0.07
    scheme = "B2B" if business and rnd.random() < 0.6 else "CORE"
    reference = format_reference(
        adm.reference_format,
        debtor=debtor.number,
        seq=seq,
        admin=adm.code,
        invoice_type=itype.code if itype else "",
    )
    status, reason = compute_status(
        today=today,
        effective=effective,
        end=end,
        last_collection=last,
        recurrent=recurrent,
        collected=collected,
        final_collected=False,
        current=status_override or MandateStatus.INACTIVE,
    )
    if status_override:
        reason = {
            MandateStatus.BLOCKED: "AC06: account blocked for direct debit (bank feedback)",
            MandateStatus.REVOKED: "revoked by the debtor",
        }[status_override]
    external = f"EXT-{debtor.number}-{seq}" if rnd.random() < 0.1 else None
    return m.Mandate.create(
        administration=adm,
        debtor=debtor,
        invoice_type=itype,
        scheme=scheme,
        recurrent=recurrent,
        sequence_number=seq,
        reference=reference,
        reference_key=reference.upper(),
        external_reference=external,
        external_key=external.upper() if external else None,
        creditor_id=adm.creditor_id,
        signed_date=signed,
        effective_date=effective,
        end_date=end,
        last_collection_date=last,
        status=status,
        status_reason=reason,
        reason=itype.collection_reason if itype else adm.collection_reason,
        b2b_registered=scheme == "B2B" and rnd.random() < 0.7,
        collected=collected,
    )
