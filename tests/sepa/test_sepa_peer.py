"""The same input written by python-sepaxml (an independent producer) and by us.

Transaction content must agree: EndToEndId, amount, debtor IBAN and BIC, mandate
id and signature date, sequence type, collection date, instrument, creditor IBAN
and creditor identifier.

Deliberate differences (not compared, or compared as documented):

* Text cleaning.  sepaxml runs text-unidecode and truncates (name 70, remittance
  140); it keeps ASCII characters outside the SEPA set ('&', '@', '_', '!', '"').
  We transliterate to the SEPA set (& -> +, @ -> (at), _ -> -, others -> space).
  Where the original text is already SEPA-clean the two are identical.
* MsgId / PmtInfId (random in sepaxml), CreDtTm (its "now"): ours are given.
* InitgPty: sepaxml adds Id/OrgId/Othr/Id = creditor identifier; we add it only
  when asked (FileHeader.initiating_party_id).
* PmtInf order: sepaxml keeps insertion order; ours is sorted (date, FRST first).
"""

from __future__ import annotations

import datetime as dt

import pytest
from sepaxml import SepaDD
from text_unidecode import unidecode

from incasso_tui.sepa import (
    SEPA_CHARACTERS,
    BatchKey,
    check_file,
    group_transactions,
    iter_transactions,
    transliterate,
    write_pain008,
)

NAMES = [
    "Jan de Vries",
    "José Müller-Strauß",
    "Smith & Sons B.V.",
    "info@fietsenmaker.nl",
    "Ærø Trading ApS",
    "Grand Café_Central",
    "Søren Ørsted",
    "Bram Bakker",
]
# Every order has a remittance text: sepaxml always writes RmtInf/Ustrd, and an empty
# one is XSD-invalid (we leave RmtInf out when there is no text).
REMITTANCES = [
    "Contributie maart 2026",
    "Factuur 2026-000123 — termijn 3 van 12",
    "Energienota: voorschot stroom & gas",
    "x" * 150,
]


def orders(samples):
    out = []
    for n in range(1, 41):
        out.append(
            {
                "seq": "FRST" if n % 5 == 0 else "RCUR",
                "date": samples.collection if n % 3 else samples.collection_2,
                "tx": samples.tx(
                    n,
                    debtor_name=NAMES[n % len(NAMES)],
                    remittance=REMITTANCES[n % len(REMITTANCES)],
                    debtor_bic=list(samples.nl_banks.values())[n % 8] if n % 2 else None,
                    amount_cents=n * 1234 % 250_000 + 1,
                ),
            }
        )
    return out


def peer_file(path, samples, version, instrument="CORE"):
    c = samples.creditor
    sepa = SepaDD(
        {
            "name": c.name,
            "IBAN": c.iban,
            "BIC": c.bic,
            "batch": True,
            "creditor_id": c.creditor_id,
            "currency": "EUR",
            "instrument": instrument,
        },
        schema=version,
        clean=True,
    )
    for o in orders(samples):
        t = o["tx"]
        payment = {
            "name": t.debtor_name,
            "IBAN": t.debtor_iban,
            "amount": t.amount_cents,
            "type": o["seq"],
            "collection_date": o["date"],
            "mandate_id": t.mandate_id,
            "mandate_date": t.mandate_date,
            "description": t.remittance,
            "endtoend_id": t.end_to_end_id,
        }
        if t.debtor_bic:
            payment["BIC"] = t.debtor_bic
        sepa.add_payment(payment)
    path.write_bytes(sepa.export(validate=True))  # sepaxml validates with xmlschema


def our_file(path, samples, version, instrument="CORE"):
    items = [(BatchKey(samples.creditor, instrument, o["seq"], o["date"]), o["tx"]) for o in orders(samples)]
    write_pain008(path, samples.header, group_transactions(items), version)


def content(path):
    """EndToEndId -> (the compared fields), (name, remittance)."""
    out = {}
    for info, tx in iter_transactions(str(path)):
        k = info.key
        out[tx.end_to_end_id] = (
            (
                tx.amount_cents,
                tx.debtor_iban,
                tx.debtor_bic,
                tx.mandate_id,
                tx.mandate_date,
                k.sequence_type,
                k.collection_date,
                k.instrument,
                k.creditor.iban,
                k.creditor.creditor_id,
            ),
            (tx.debtor_name, tx.remittance),
        )
    return out


@pytest.mark.parametrize("version", ["pain.008.001.02", "pain.008.001.08"])
@pytest.mark.parametrize("instrument", ["CORE", "B2B"])
def test_same_transactions_as_python_sepaxml(tmp_path, samples, version, instrument):
    peer_file(tmp_path / "peer.xml", samples, version, instrument)
    our_file(tmp_path / "ours.xml", samples, version, instrument)
    peer, ours = content(tmp_path / "peer.xml"), content(tmp_path / "ours.xml")
    assert len(ours) == 40 and set(peer) == set(ours)
    for e2e in ours:
        assert peer[e2e][0] == ours[e2e][0], e2e
    # the documented text difference, and only that
    originals = {o["tx"].end_to_end_id: o["tx"] for o in orders(samples)}
    for e2e, (_, (name, remittance)) in ours.items():
        original = originals[e2e]
        peer_name, peer_remittance = peer[e2e][1]
        assert name == transliterate(original.debtor_name, 70)
        assert peer_name == unidecode(original.debtor_name)[:70]
        if set(original.debtor_name) <= SEPA_CHARACTERS:
            assert name == peer_name
        if original.remittance and set(original.remittance) <= SEPA_CHARACTERS:
            assert remittance == peer_remittance


def test_our_linter_on_the_peer_file(tmp_path, samples):
    """A file from another program: structure, totals and checksums pass; its text
    cleaning leaves characters outside the SEPA set, which the checker reports."""
    peer_file(tmp_path / "peer.xml", samples, "pain.008.001.02")
    report = check_file(str(tmp_path / "peer.xml"), today=dt.date(2026, 2, 20))
    rules = {f.rule for f in report.findings}
    assert rules == {"charset"}, [str(f) for f in report.findings]
    assert report.transactions == 40
    assert any("'&'" in f.message for f in report.findings)
