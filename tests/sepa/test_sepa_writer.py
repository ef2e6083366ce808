"""The streaming pain.008 writer: round trip, golden files, determinism, refusals, atomicity.

Regenerate the golden files after a deliberate format change with
``SEPA_UPDATE_GOLDEN=1 pytest tests/sepa/test_sepa_writer.py`` and review the diff.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import tracemalloc
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from incasso_tui.sepa import (
    VERSIONS,
    Address,
    Amendment,
    BatchInfo,
    FileHeader,
    SepaError,
    check_file,
    group_transactions,
    iter_transactions,
    read_pain008,
    transliterate,
    validate_stream,
    write_pain008,
)
from incasso_tui.sepa import writer as writer_module

GOLDEN = Path(__file__).parent / "golden"


def expected_after_write(tx):
    """What a transaction looks like read back: text transliterated, empties dropped."""
    address = tx.debtor_address
    if address is not None:
        address = Address(
            country=address.country,
            town=transliterate(address.town, 35),
            street=transliterate(address.street, 70) if address.street else None,
            building_number=address.building_number,
            postcode=address.postcode,
            lines=tuple(transliterate(x, 70) for x in address.lines),
        )
    amendment = tx.amendment if tx.amendment and not tx.amendment.is_empty else None
    if amendment and amendment.original_creditor_name:
        amendment = replace(
            amendment, original_creditor_name=transliterate(amendment.original_creditor_name, 70)
        )
    return replace(
        tx,
        debtor_name=transliterate(tx.debtor_name, 70),
        remittance=transliterate(tx.remittance, 140) or None if tx.remittance else None,
        ultimate_debtor_name=transliterate(tx.ultimate_debtor_name, 70) if tx.ultimate_debtor_name else None,
        amendment=amendment,
        debtor_address=address,
    )


@pytest.mark.parametrize("version", VERSIONS)
def test_round_trip(tmp_path, samples, version):
    batches = samples.small_batches()
    path = tmp_path / "out.xml"
    written = write_pain008(path, samples.header, batches, version)
    assert written.nb_of_txs == 5
    assert written.ctrl_sum_cents == sum(tx.amount_cents for _, txs in batches for tx in txs)
    assert written.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert written.size == path.stat().st_size

    back = read_pain008(str(path))
    assert back.version == version
    assert back.header.msg_id == samples.header.msg_id
    assert back.header.created_at == samples.header.created_at
    assert back.header.initiating_party_name == transliterate(samples.header.initiating_party_name, 70)
    assert (back.nb_of_txs, back.ctrl_sum_cents) == (written.nb_of_txs, written.ctrl_sum_cents)
    assert len(back.batches) == len(batches)
    for n, ((info, txs), (read_info, read_txs)) in enumerate(zip(batches, back.batches, strict=False), 1):
        key, read_key = info.key, read_info.key
        assert read_info.pmt_inf_id == f"{samples.header.msg_id}-{n}"
        assert (read_info.nb_of_txs, read_info.ctrl_sum_cents) == (info.nb_of_txs, info.ctrl_sum_cents)
        assert (
            read_key.instrument,
            read_key.sequence_type,
            read_key.collection_date,
            read_key.batch_booking,
        ) == (key.instrument, key.sequence_type, key.collection_date, key.batch_booking)
        assert read_key.creditor == replace(key.creditor, name=transliterate(key.creditor.name, 70))
        assert read_txs == [expected_after_write(tx) for tx in txs]
    # the file passes our own linter without a single finding
    report = check_file(str(path), today=dt.date(2026, 2, 20))
    assert report.ok and report.findings == [], [str(f) for f in report.findings]


@pytest.mark.parametrize("version", VERSIONS)
def test_golden_files(tmp_path, samples, version):
    path = tmp_path / "out.xml"
    write_pain008(path, samples.header, samples.small_batches(), version)
    golden = GOLDEN / f"small-{version}.xml"
    if os.environ.get("SEPA_UPDATE_GOLDEN"):
        golden.write_bytes(path.read_bytes())
    assert path.read_bytes() == golden.read_bytes()


@pytest.mark.parametrize("version", VERSIONS)
def test_deterministic_whatever_the_batch_order(tmp_path, samples, version):
    batches = samples.small_batches()
    a = write_pain008(tmp_path / "a.xml", samples.header, batches, version)
    b = write_pain008(tmp_path / "b.xml", samples.header, list(reversed(batches)), version)
    assert a.sha256 == b.sha256
    assert (tmp_path / "a.xml").read_bytes() == (tmp_path / "b.xml").read_bytes()


def test_file_layout(tmp_path, samples):
    path = tmp_path / "out.xml"
    write_pain008(path, samples.header, samples.small_batches())
    data = path.read_bytes()
    assert data.startswith(
        b'<?xml version="1.0" encoding="UTF-8"?>\n<Document xmlns="urn:iso:'
        b'std:iso:20022:tech:xsd:pain.008.001.02">'
    )
    assert not data.startswith(b"\xef\xbb\xbf")  # no BOM
    data.decode("ascii")  # only SEPA characters, so plain ASCII (and so valid UTF-8)
    text = data.decode()
    for must in (
        "<CreDtTm>2026-02-20T10:15:00</CreDtTm>",
        "<ChrgBr>SLEV</ChrgBr>",
        "<SvcLvl><Cd>SEPA</Cd></SvcLvl>",
        "<PmtMtd>DD</PmtMtd>",
        "<SchmeNm><Prtry>SEPA</Prtry></SchmeNm>",
        "<Othr><Id>NOTPROVIDED</Id></Othr>",
        "<AmdmntInd>false</AmdmntInd>",
        "<OrgnlDbtrAcct><Id><Othr><Id>SMNDA</Id></Othr></Id></OrgnlDbtrAcct>",
        '<InstdAmt Ccy="EUR">999999999.99</InstdAmt>',
        '<InstdAmt Ccy="EUR">0.01</InstdAmt>',
    ):
        assert must in text, must
    # totals: GrpHdr and every PmtInf, summed in cents
    assert "<NbOfTxs>5</NbOfTxs>" in text
    # PmtInf order: date, then FRST before RCUR
    order = [
        line[line.index("<SeqTp>") + 7 : line.index("</SeqTp>")]
        + line[line.index("<ReqdColltnDt>") + 14 : line.index("</ReqdColltnDt>")]
        for line in text.splitlines()
        if "<SeqTp>" in line
    ]
    assert order == ["FRST2026-03-02", "RCUR2026-03-02", "RCUR2026-03-16"]


def test_version_specifics(tmp_path, samples):
    uetr = "8a562c67-ca16-48ba-b074-65581be6f001"
    batches = group_transactions([(samples.key(), samples.tx(1, uetr=uetr, debtor_bic="INGBNL2A"))])
    write_pain008(tmp_path / "08.xml", samples.header, batches, "pain.008.001.08")
    text = (tmp_path / "08.xml").read_text()
    assert f"<UETR>{uetr}</UETR>" in text and "<BICFI>INGBNL2A</BICFI>" in text
    with pytest.raises(SepaError) as e:
        write_pain008(tmp_path / "02.xml", samples.header, batches, "pain.008.001.02")
    assert "UETR" in str(e.value) and "pain.008.001.08" in str(e.value)


def test_transactions_may_come_from_callables_and_cursors(tmp_path, samples):
    calls = []

    def source(n):
        def open_cursor():
            calls.append(n)
            return (samples.tx(i) for i in range(n * 10, n * 10 + 3))

        return open_cursor

    batches = [
        (
            BatchInfo(samples.key("RCUR", samples.collection), 3, sum(1000 + i for i in range(10, 13))),
            source(1),
        ),
        (
            BatchInfo(samples.key("FRST", samples.collection), 3, sum(1000 + i for i in range(20, 23))),
            source(2),
        ),
    ]
    written = write_pain008(tmp_path / "out.xml", samples.header, batches)
    assert calls == [2, 1]  # opened lazily, in PmtInf order (FRST first)
    assert [b.key.sequence_type for b in written.batches] == ["FRST", "RCUR"]
    assert [tx.end_to_end_id for _, tx in iter_transactions(str(tmp_path / "out.xml"))] == [
        "E2E-42-000020",
        "E2E-42-000021",
        "E2E-42-000022",
        "E2E-42-000010",
        "E2E-42-000011",
        "E2E-42-000012",
    ]


def test_normalises_iban_but_never_identifiers(tmp_path, samples):
    batches = group_transactions([(samples.key(), samples.tx(1, debtor_iban="nl91 abna 0417 1643 00"))])
    write_pain008(tmp_path / "ok.xml", samples.header, batches)
    assert "<IBAN>NL91ABNA0417164300</IBAN>" in (tmp_path / "ok.xml").read_text()
    batches = group_transactions([(samples.key(), samples.tx(1, end_to_end_id=" E2E-1"))])
    with pytest.raises(SepaError) as e:
        write_pain008(tmp_path / "bad.xml", samples.header, batches)
    assert "has spaces at the start or end" in str(e.value)


# ------------------------------------------------------------------ refusals


def one(samples, **changes):
    return group_transactions([(samples.key(), samples.tx(1, **changes))])


@pytest.mark.parametrize(
    "changes, message",
    [
        (
            {"debtor_iban": "NL91ABNA0417164301"},
            "debtor IBAN 'NL91ABNA0417164301': checksum (MOD 97-10) does not match",
        ),
        ({"end_to_end_id": "E2E//1"}, "EndToEndId 'E2E//1': must not contain '//'"),
        ({"end_to_end_id": "E2E_1"}, "EndToEndId 'E2E_1': contains '_'"),
        ({"mandate_id": "MDT 1"}, "mandate reference 'MDT 1': contains a space"),
        ({"amount_cents": 0}, "amount 0: must be at least 0.01 EUR"),
        ({"amount_cents": 12.5}, "amount 12.5: must be an integer number of cents"),
        ({"mandate_date": dt.date(2026, 3, 3)}, "mandate signature date '2026-03-03': is after"),
        ({"mandate_date": "2020-01-01"}, "mandate signature date '2020-01-01': must be a date"),
        ({"debtor_bic": "INGBXX2A"}, "debtor BIC 'INGBXX2A': unknown country code"),
        ({"debtor_name": "  "}, "debtor name: is empty"),
        (
            {"amendment": Amendment(original_mandate_id="MDT-00001")},
            "original mandate reference 'MDT-00001': equals the current mandate reference",
        ),
        (
            {"amendment": Amendment(original_debtor_iban="NL91ABNA0417164300", new_debtor_account=True)},
            "has both",
        ),
        ({"debtor_address": Address(country="CH", town="")}, "needs at least the town"),
        ({"debtor_address": Address(country="Schweiz", town="Bern")}, "two-letter"),
        ({"instruction_id": "I//1"}, "InstrId 'I//1': must not contain '//'"),
    ],
)
def test_transaction_refusals_name_the_transaction(tmp_path, samples, changes, message):
    path = tmp_path / "bad.xml"
    # totals as the caller's aggregate would give them for a valid amount
    batches = [(BatchInfo(samples.key(), 1, 1001), [samples.tx(1, **changes)])]
    with pytest.raises(SepaError) as e:
        write_pain008(path, samples.header, batches)
    assert message in str(e.value)
    assert "transaction 1 of PmtInf INC-42-20260220101500-1 (EndToEndId" in str(e.value)
    assert not path.exists() and os.listdir(tmp_path) == []


def test_batch_and_header_refusals(tmp_path, samples):
    path = tmp_path / "bad.xml"
    tx = samples.tx(1)
    cases = [
        (
            [(BatchInfo(samples.key(), 2, tx.amount_cents * 2), [tx])],
            "has 1 transactions totalling 10.01 EUR, but its totals say 2 and 20.02 EUR",
        ),
        ([(BatchInfo(samples.key(), 1, tx.amount_cents + 1), [tx])], "but its totals say"),
        (
            [
                (BatchInfo(samples.key(), 1, tx.amount_cents), [tx]),
                (BatchInfo(samples.key(instrument="B2B"), 1, tx.amount_cents), [samples.tx(2)]),
            ],
            "CORE and B2B must never be in one file",
        ),
        (
            [(BatchInfo(samples.key(), 1, 1001), [tx]), (BatchInfo(samples.key(), 1, 1002), [samples.tx(2)])],
            "appears twice",
        ),
        ([(BatchInfo(samples.key(instrument="COR1"), 1, 1001), [tx])], "must be CORE or B2B"),
        ([(BatchInfo(samples.key("RPRE"), 1, 1001), [tx])], "must be FRST, RCUR, OOFF or FNAL"),
        (
            [(BatchInfo(samples.key(date=dt.date(2026, 12, 25)), 1, 1001), [tx])],
            "is not a TARGET2 business day: TARGET2 holiday (Christmas Day)",
        ),
        (
            [
                (
                    BatchInfo(
                        samples.key(creditor=replace(samples.creditor, creditor_id="NL97ZZZ123456780001")),
                        1,
                        1001,
                    ),
                    [tx],
                )
            ],
            "creditor identifier 'NL97ZZZ123456780001'",
        ),
        ([(BatchInfo(samples.key(), 1, 1001, pmt_inf_id="P//1"), [tx])], "PmtInfId"),
        ([(BatchInfo(samples.key(), 0, 0), [])], "NbOfTxs"),
        ([], "has no PmtInf blocks"),
    ]
    for batches, message in cases:
        with pytest.raises(SepaError) as e:
            write_pain008(path, samples.header, batches)
        assert message in str(e.value), (message, str(e.value))
        assert os.listdir(tmp_path) == []
    for header, message in [
        (replace(samples.header, msg_id="A" * 36), "MsgId"),
        (replace(samples.header, created_at=dt.date(2026, 2, 20)), "creation time"),
        (replace(samples.header, initiating_party_name=""), "initiating party name"),
    ]:
        with pytest.raises(SepaError) as e:
            write_pain008(path, header, one(samples))
        assert message in str(e.value)
    with pytest.raises(SepaError):
        write_pain008(path, samples.header, one(samples), version="pain.008.001.09")
    assert os.listdir(tmp_path) == []


def test_a_failure_late_in_the_file_leaves_nothing(tmp_path, samples):
    txs = [samples.tx(i) for i in range(1, 200)] + [samples.tx(200, debtor_iban="NL00XXXX")]
    batches = group_transactions([(samples.key(), t) for t in txs])
    path = tmp_path / "set.xml"
    with pytest.raises(SepaError) as e:
        write_pain008(path, samples.header, batches)
    assert "transaction 200" in str(e.value)
    assert os.listdir(tmp_path) == []


def test_an_xsd_failure_leaves_nothing(tmp_path, samples, monkeypatch):
    # simulate a writer bug: an element the XSD does not allow
    real = writer_module._Elements.group_header

    def broken(self, head, nb, ctrl):
        g = real(self, head, nb, ctrl)
        etree.SubElement(g, "Unexpected").text = "x"
        return g

    monkeypatch.setattr(writer_module._Elements, "group_header", broken)
    path = tmp_path / "set.xml"
    with pytest.raises(SepaError) as e:
        write_pain008(path, samples.header, one(samples))
    assert "pain.008.001.02 XSD" in str(e.value) and "Unexpected" in str(e.value)
    assert os.listdir(tmp_path) == []


def test_existing_file_is_not_replaced_unless_asked(tmp_path, samples):
    path = tmp_path / "set.xml"
    path.write_text("sent yesterday")
    with pytest.raises(FileExistsError):
        write_pain008(path, samples.header, one(samples))
    assert path.read_text() == "sent yesterday"
    write_pain008(path, samples.header, one(samples), overwrite=True)
    assert path.read_text().startswith("<?xml")
    assert os.listdir(tmp_path) == ["set.xml"]


# ------------------------------------------------------------------ randomised corpus


names = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=90).filter(
    lambda s: s.strip()
)
ids = st.from_regex(r"[A-Za-z0-9][A-Za-z0-9+?:().,' -]{0,33}[A-Za-z0-9]", fullmatch=True)
mandates = st.from_regex(r"[A-Za-z0-9][A-Za-z0-9+?/:().,'-]{0,33}[A-Za-z0-9]", fullmatch=True).filter(
    lambda s: "//" not in s
)


@st.composite
def transactions(draw, ibans, bics, n):
    iban = draw(st.sampled_from(ibans))
    amendment = draw(
        st.one_of(
            st.none(),
            st.builds(
                Amendment,
                original_mandate_id=st.one_of(st.none(), st.just(f"OLD-{n}")),
                original_creditor_name=st.one_of(st.none(), names),
                original_creditor_id=st.one_of(st.none(), st.just("NL66ZZZ301234560000")),
                new_debtor_account=st.booleans(),
            ),
        )
    )
    address = draw(
        st.one_of(
            st.none(),
            st.builds(
                Address,
                country=st.sampled_from(["NL", "CH", "GB"]),
                town=names,
                street=st.one_of(st.none(), names),
                lines=st.lists(names, max_size=2).map(tuple),
            ),
        )
    )
    from incasso_tui.sepa import Transaction

    return Transaction(
        end_to_end_id=f"{draw(ids)[:28]}-{n}",
        amount_cents=draw(st.integers(1, 10**11 - 1)),
        mandate_id=draw(mandates),
        # signed by the file's creation (samples.header, 2026-02-20): the checker's signature-date rule
        mandate_date=draw(st.dates(dt.date(2009, 11, 1), dt.date(2026, 2, 20))),
        debtor_name=draw(names),
        debtor_iban=iban,
        debtor_bic=draw(st.sampled_from(bics)),
        remittance=draw(st.one_of(st.none(), st.text(max_size=200))),
        amendment=amendment,
        debtor_address=address,
        ultimate_debtor_name=draw(st.one_of(st.none(), names)),
    )


@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_randomised_corpus_is_xsd_valid_and_round_trips(tmp_path_factory, samples, data):
    version = data.draw(st.sampled_from(VERSIONS))
    count = data.draw(st.integers(1, 12))
    ibans = samples.debtor_ibans + list(samples.foreign_ibans.values())
    bics = [None, "INGBNL2A", "RABONL2U", "DEUTDEFF500"]
    items = []
    for n in range(count):
        tx = data.draw(transactions(ibans, bics, n))
        if tx.amendment and tx.amendment.original_mandate_id == tx.mandate_id:
            tx = replace(tx, amendment=None)
        key = samples.key(
            data.draw(st.sampled_from(["FRST", "RCUR", "OOFF", "FNAL"])),
            data.draw(st.sampled_from([samples.collection, samples.collection_2])),
            batch_booking=data.draw(st.booleans()),
        )
        items.append((key, tx))
    batches = group_transactions(items)
    path = tmp_path_factory.mktemp("corpus") / "random.xml"
    write_pain008(path, samples.header, batches, version)  # raises if not XSD-valid
    assert validate_stream(str(path), version) == count  # and once more, independently
    back = read_pain008(str(path))
    assert [t for _, txs in back.batches for t in txs] == [
        expected_after_write(t) for _, txs in batches for t in txs
    ]
    report = check_file(str(path), today=samples.collection)  # signed up to that day
    assert report.errors == 0, [str(f) for f in report.findings]


# ------------------------------------------------------------------ memory


def test_python_memory_does_not_grow_with_the_number_of_transactions(tmp_path, samples):
    def peak(n):
        info = BatchInfo(samples.key(), n, sum(1000 + i % 1000 for i in range(n)))
        txs = (samples.tx(i % 1000, end_to_end_id=f"E2E-{i}") for i in range(n))
        tracemalloc.start()
        write_pain008(tmp_path / f"{n}.xml", samples.header, [(info, txs)], validate=False)
        _, top = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        return top

    small, large = peak(2_000), peak(20_000)
    assert large < small * 1.5 + 200_000, (small, large)


def test_header_with_initiating_party_id(tmp_path, samples):
    header = FileHeader(
        "MSG-1",
        dt.datetime(2026, 2, 20, 10, 15, 0, 123456),
        "Naam",
        initiating_party_id="NL16ZZZ300384870000",
    )
    write_pain008(tmp_path / "h.xml", header, one(samples))
    text = (tmp_path / "h.xml").read_text()
    assert "<CreDtTm>2026-02-20T10:15:00</CreDtTm>" in text  # no fraction
    assert "<InitgPty><Nm>Naam</Nm><Id><OrgId><Othr><Id>NL16ZZZ300384870000</Id>" in text
