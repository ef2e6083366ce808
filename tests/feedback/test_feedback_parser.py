"""The parser of bank feedback (pain.002, camt.053, camt.054) on the hand-written fixtures."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys
from pathlib import Path
from string import Template

import pytest

from incasso_tui.sepa.errors import SepaError
from incasso_tui.sepa.feedback import FeedbackFile, FeedbackFormatError, FeedbackItem, read_feedback

from .fixtures import DEFAULTS, FIXTURES, SUMS, render, write

ROOT = Path(__file__).resolve().parents[2]
MSG = DEFAULTS["msg_id"]
PMT1, PMT2 = DEFAULTS["pmt_inf_1"], DEFAULTS["pmt_inf_2"]
COLLECTION = dt.date(2026, 11, 27)
BOOKED = dt.date(2026, 12, 1)


def e2e(n: int) -> str:
    return DEFAULTS[f"e2e_{n}"]


def mandate(n: int) -> str:
    return DEFAULTS[f"mandate_{n}"]


def line_of(data: bytes, tag: str, after: str | None = None) -> int:
    """Line of the last ``tag`` before the first line holding ``after`` (or of the
    first ``tag`` when ``after`` is None)."""
    lines = data.decode().splitlines()
    if after is None:
        return next(i for i, text in enumerate(lines, 1) if tag in text)
    stop = next(i for i, text in enumerate(lines) if after in text)
    return max(i for i, text in enumerate(lines[:stop], 1) if tag in text)


def pain_tx(n: int, code: str, text: str, cents: int, data: bytes, pmt: str | None = PMT1) -> FeedbackItem:
    return FeedbackItem(
        "tx",
        "reject",
        code,
        text,
        MSG,
        pmt,
        e2e(n),
        None,
        mandate(n),
        cents,
        COLLECTION,
        True,
        line_of(data, "<TxInfAndSts>", e2e(n)),
    )


def camt_tx(
    n: int,
    kind: str,
    code: str,
    text: str,
    cents: int,
    data: bytes,
    *,
    end_to_end: str | None = "default",
    date: dt.date = BOOKED,
    pre: bool = False,
) -> FeedbackItem:
    e2e_value = e2e(n) if end_to_end == "default" else end_to_end
    anchor = e2e(n) if e2e_value else f"<MndtId>{mandate(n)}<"
    return FeedbackItem(
        "tx",
        kind,
        code,
        text,
        None,
        None,
        e2e_value,
        None,
        mandate(n),
        cents,
        date,
        pre,
        line_of(data, "<TxDtls>", anchor),
    )


def error_of(data: bytes) -> FeedbackFormatError:
    with pytest.raises(FeedbackFormatError) as caught:
        read_feedback(data)
    return caught.value


# ------------------------------------------------------------ pain.002


def test_pain002_03_transaction_rejects():
    data = render("pain002_03_tx_rejects.xml")
    result = read_feedback(data)
    assert (result.format, result.version) == ("pain.002", "pain.002.001.03")
    assert result.message_id == "RABO-PSR-20261126-0417"
    assert result.created_at == dt.datetime(2026, 11, 26, 6, 12, 45)
    assert result.group_status == "PART"
    assert result.original_msg_ids == (MSG,)
    assert result.items == (
        pain_tx(1, "AC04", "Rekeningnummer opgeheven", 1250, data),
        pain_tx(2, "MD01", "Geen machtiging", 2500, data),
        pain_tx(3, "AM04", "Saldo ontoereikend", 795, data),
    )
    assert result.accepted == 1  # e2e_4, ACCP
    assert [item.line for item in result.items] == [32, 108, 184]


def test_pain002_values_are_put_in_by_the_caller():
    data = render(
        "pain002_03_tx_rejects.xml",
        msg_id="INC-7-20270104090000",
        pmt_inf_1="INC-7-20270104090000-1",
        e2e_1="7-501",
        mandate_1="M-501",
        amount_1="0.01",
        date="2027-01-05",
    )
    first = read_feedback(data).items[0]
    assert (
        first.original_msg_id,
        first.original_pmt_inf_id,
        first.end_to_end_id,
        first.mandate_reference,
        first.amount_cents,
        first.date,
    ) == ("INC-7-20270104090000", "INC-7-20270104090000-1", "7-501", "M-501", 1, dt.date(2027, 1, 5))


def test_pain002_group_reject():
    data = render("pain002_03_group_reject.xml")
    result = read_feedback(data)
    assert result.group_status == "RJCT"
    assert result.created_at == dt.datetime(
        2026, 11, 25, 17, 48, 2, 113000, tzinfo=dt.timezone(dt.timedelta(hours=1))
    )
    assert result.items == (
        FeedbackItem(
            "group",
            "reject",
            "FF01",
            "Bestand voldoet niet aan het XML-schema: element CtrlSum komt niet overeen met "
            "de som van de bedragen",
            MSG,
            None,
            None,
            None,
            None,
            19060,
            dt.date(2026, 11, 25),
            True,
            line_of(data, "<OrgnlGrpInfAndSts>"),
        ),
    )
    assert result.accepted == 0


def test_group_reject_with_transactions_is_one_item_with_the_first_tx_reason():
    data = render("pain002_03_tx_rejects.xml").replace(b"<GrpSts>PART</GrpSts>", b"<GrpSts>RJCT</GrpSts>")
    result = read_feedback(data)
    assert [
        (i.scope, i.reason_code, i.reason_text, i.original_msg_id, i.end_to_end_id) for i in result.items
    ] == [("group", "AC04", "Rekeningnummer opgeheven", MSG, None)]
    assert result.accepted == 0


def test_pain002_block_reject():
    data = render("pain002_03_block_reject.xml")
    result = read_feedback(data)
    assert result.group_status == "PART"
    assert result.items == (
        FeedbackItem(
            "block",
            "reject",
            "BE05",
            "Incassant-ID onbekend bij dit incassocontract",
            MSG,
            PMT2,
            None,
            None,
            None,
            4515,
            dt.date(2026, 11, 26),
            True,
            line_of(data, "<OrgnlPmtInfAndSts>"),
        ),
    )
    assert result.accepted == 0


def test_block_reject_with_transactions_is_one_item():
    data = render("pain002_03_tx_rejects.xml").replace(
        b"<PmtInfSts>PART</PmtInfSts>", b"<PmtInfSts>RJCT</PmtInfSts>"
    )
    result = read_feedback(data)
    assert [
        (i.scope, i.reason_code, i.original_pmt_inf_id, i.date, i.amount_cents) for i in result.items
    ] == [("block", "AC04", PMT1, COLLECTION, None)]


def test_pain002_10_transaction_rejects():
    data = render("pain002_10_tx_rejects.xml")
    result = read_feedback(data)
    assert (result.format, result.version) == ("pain.002", "pain.002.001.10")
    assert result.message_id == "INGPSR20261126071530001"
    assert result.items == (
        pain_tx(1, "AC06", "Rekening geblokkeerd voor incasso", 1250, data),
        pain_tx(2, "AC01", "Rekeningnummer incorrect", 2500, data),
        pain_tx(3, "MD07", "Debiteur overleden", 795, data),
        pain_tx(4, "MS03", "Reden niet gespecificeerd", 10000, data),
        pain_tx(5, "XX99", "", 4210, data),
        pain_tx(6, "AG01", "Incasso niet toegestaan op deze rekening", 305, data),
    )
    assert result.accepted == 0


def test_pain002_all_accepted_has_no_items():
    data = render("pain002_03_tx_rejects.xml")
    for code in (b"AC04", b"MD01", b"AM04"):  # turn the three rejects into ACTC
        data = data.replace(b"<TxSts>RJCT</TxSts>", b"<TxSts>ACTC</TxSts>", 1)
        assert code in data
    result = read_feedback(data)
    assert (result.items, result.accepted) == ((), 4)


def test_proprietary_reason_and_instruction_id():
    data = (
        render("pain002_03_tx_rejects.xml")
        .replace(b"<Cd>AC04</Cd>", b"<Prtry>R042 Rekening onbekend</Prtry>")
        .replace(
            b"<StsId>RABO-0417-000001</StsId>",
            b"<StsId>RABO-0417-000001</StsId><OrgnlInstrId>INSTR-1</OrgnlInstrId>",
        )
    )
    first = read_feedback(data).items[0]
    assert (first.reason_code, first.instruction_id) == ("R042 Rekening onbekend", "INSTR-1")


def test_status_inherited_from_the_block_counts_as_accepted():
    data = (
        render("pain002_03_tx_rejects.xml")
        .replace(b"<PmtInfSts>PART</PmtInfSts>", b"<PmtInfSts>ACCP</PmtInfSts>")
        .replace(b"<TxSts>ACCP</TxSts>", b"")
    )
    assert read_feedback(data).accepted == 1


# ------------------------------------------------------------ camt


def test_camt053_02_returns():
    data = render("camt053_02_returns.xml")
    result = read_feedback(data)
    assert (result.format, result.version) == ("camt.053", "camt.053.001.02")
    assert result.message_id == "RABO-CAMT053-2026-12-01-0236"
    assert result.group_status is None
    assert result.original_msg_ids == ()
    assert result.items == (
        camt_tx(1, "return", "AM04", "Saldo ontoereikend", 1250, data),
        camt_tx(2, "reject", "MS02", "/RTYP/RJCT Geweigerd door debiteur", 2500, data, pre=True),
        camt_tx(3, "return", "MD01", "Geen machtiging", 795, data),
        # no AmtDtls: the amount of its single-transaction entry; booked with DtTm
        camt_tx(4, "refund", "MD06", "Terugboeking op verzoek van debiteur", 10000, data),
    )
    assert result.accepted == 1  # the batch credit of the whole collection


def test_camt054_02_refund_and_notprovided():
    data = render("camt054_02_refund.xml")
    result = read_feedback(data)
    assert (result.format, result.version) == ("camt.054", "camt.054.001.02")
    assert result.message_id == "CAMT054ING20261201143055"
    assert result.created_at == dt.datetime(2026, 12, 1, 14, 30, 55)
    assert result.items == (
        camt_tx(5, "refund", "MD06", "", 4210, data),
        # EndToEndId NOTPROVIDED, entry PDNG without BookgDt: ValDt; InstdAmt only
        camt_tx(6, "return", "AC04", "Rekeningnummer opgeheven", 305, data, end_to_end=None),
    )
    assert result.accepted == 0


def test_camt053_08_return():
    data = render("camt053_08_return.xml")
    result = read_feedback(data)
    assert (result.format, result.version) == ("camt.053", "camt.053.001.08")
    assert result.items == (camt_tx(6, "return", "AC01", "Rekeningnummer incorrect", 305, data),)


def test_camt_amount_prefers_the_transaction_amount_over_the_entry():
    data = render("camt053_08_return.xml", amount_6="3.05")
    entry_amount = b'<Amt Ccy="EUR">3.05</Amt>\n        <CdtDbtInd>DBIT</CdtDbtInd>\n        <Sts>'
    assert entry_amount in data
    data = data.replace(entry_amount, entry_amount.replace(b"3.05", b"9.99"))
    assert read_feedback(data).items[0].amount_cents == 305
    without_tx_amount = data.replace(
        b'<Amt Ccy="EUR">3.05</Amt>\n            <CdtDbtInd>DBIT</CdtDbtInd>\n', b""
    )
    assert read_feedback(without_tx_amount).items[0].amount_cents == 999


def test_camt_refund_by_sub_family_and_booking_date_fallback():
    data = render("camt054_02_refund.xml").replace(b"<Cd>MD06</Cd>", b"<Cd>MS02</Cd>")
    first = read_feedback(data).items[0]
    assert (first.kind, first.reason_code) == ("refund", "MS02")  # BkTxCd .../PRDD


CAMT_TEMPLATE = Template("""<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.054.001.08">
  <BkToCstmrDbtCdtNtfctn>
    <GrpHdr>
      <MsgId>N-1</MsgId>
      <CreDtTm>2026-12-01T10:00:00</CreDtTm>
    </GrpHdr>
    <Ntfctn>
      <Id>N-1-1</Id>
      <Acct><Id><IBAN>NL39RABO0300065264</IBAN></Id></Acct>
      <Ntry>
        <Amt Ccy="EUR">30.00</Amt>
        <CdtDbtInd>$side</CdtDbtInd>
        <Sts><Cd>BOOK</Cd></Sts>
        <BookgDt><Dt>2026-12-01</Dt></BookgDt>
        <BkTxCd/>
        <NtryDtls>
          <TxDtls>
            <Refs><InstrId>I-1</InstrId><EndToEndId>E-1</EndToEndId></Refs>
            <RtrInf><Rsn><Cd>AM04</Cd></Rsn></RtrInf>
          </TxDtls>
        </NtryDtls>
        <NtryDtls>
          <TxDtls>
            <Refs><EndToEndId>E-2</EndToEndId></Refs>
            <RtrInf><Rsn><Cd>AC04</Cd></Rsn></RtrInf>
          </TxDtls>
          <TxDtls>
            <Refs><EndToEndId>E-3</EndToEndId></Refs>
          </TxDtls>
        </NtryDtls>
      </Ntry>
    </Ntfctn>
  </BkToCstmrDbtCdtNtfctn>
</Document>
""")


def test_camt_several_ntrydtls_without_amounts():
    result = read_feedback(CAMT_TEMPLATE.substitute(side="DBIT").encode())
    assert [
        (i.end_to_end_id, i.instruction_id, i.reason_code, i.amount_cents, i.date) for i in result.items
    ] == [("E-1", "I-1", "AM04", None, BOOKED), ("E-2", None, "AC04", None, BOOKED)]
    assert result.accepted == 1  # E-3


def test_camt_credit_with_return_info_is_not_a_direct_debit_return():
    result = read_feedback(CAMT_TEMPLATE.substitute(side="CRDT").encode())
    assert (result.items, result.accepted) == ((), 1)


# ------------------------------------------------------------ namespaces, sources


def test_no_namespace():
    data = render("pain002_03_tx_rejects.xml")
    bare = data.replace(b' xmlns="urn:iso:std:iso:20022:tech:xsd:pain.002.001.03"', b"")
    assert bare != data
    result = read_feedback(bare)
    assert (result.format, result.version) == ("pain.002", "unknown")
    assert result.items == read_feedback(data).items


def test_prefixed_namespace():
    data = render("camt053_08_return.xml")
    text = re.sub(r"<(/?)([A-Za-z]+)([ >/])", r"<\1ns2:\2\3", data.decode())
    text = text.replace('xmlns="urn:', 'xmlns:ns2="urn:')
    assert "<ns2:Document xmlns:ns2=" in text and "<ns2:TxDtls>" in text
    result = read_feedback(text.encode())
    assert result.version == "camt.053.001.08"
    assert result.items == read_feedback(data).items


def test_a_non_iso_namespace_gives_an_unknown_version():
    data = render("camt054_02_refund.xml").replace(
        b"urn:iso:std:iso:20022:tech:xsd:camt.054.001.02", b"http://bank.example/camt054"
    )
    result = read_feedback(data)
    assert (result.format, result.version, len(result.items)) == ("camt.054", "unknown", 2)


def test_path_sources(tmp_path):
    path = write(tmp_path, "camt054_02_refund.xml", e2e_5="X-5")
    assert path == tmp_path / "camt054_02_refund.xml"
    for source in (path, str(path), path.read_bytes()):
        result = read_feedback(source)
        assert isinstance(result, FeedbackFile)
        assert result.items[0].end_to_end_id == "X-5"


# ------------------------------------------------------------ refusals


def test_broken_xml_names_the_line():
    error = error_of(render("broken.xml"))
    assert isinstance(error, SepaError)
    assert error.line == 11
    assert str(error).startswith("line 11: XML: is not well-formed")
    assert "GrpSt" in str(error)


def test_unrelated_pain008_is_refused():
    message = str(error_of(render("unrelated.xml")))
    assert message == (
        "file: not a pain.002 or camt.053/054 message (root element "
        "Document/CstmrDrctDbtInitn, namespace urn:iso:std:iso:20022:tech:xsd:pain.008.001.02;"
        " this is a direct debit file, not the bank's feedback on one)"
    )


def test_other_xml_is_refused():
    message = str(error_of(b"<html><body>Inloggen</body></html>"))
    assert message == ("file: not a pain.002 or camt.053/054 message (root element html, namespace none)")
    message = str(
        error_of(
            b'<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"><CstmrCdtTrfInitn/></Document>'
        )
    )
    assert "Document/CstmrCdtTrfInitn" in message and "pain.001.001.03)" in message


def test_namespace_must_match_the_message():
    data = render("pain002_03_group_reject.xml").replace(b"xsd:pain.002.001.03", b"xsd:camt.053.001.02")
    assert "does not match root element Document/CstmrPmtStsRpt" in str(error_of(data))


def test_status_report_on_a_credit_transfer_is_refused():
    error = error_of(render("pain001_status.xml"))
    assert str(error) == (
        "line 10: OrgnlMsgNmId: reports on pain.001.001.03, not on a direct debit file (pain.008)"
    )


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"  \n\t",
    ],
)
def test_empty_file_is_refused(data):
    assert str(error_of(data)) == "file: is empty"


def test_empty_file_on_disk_is_refused(tmp_path):
    path = tmp_path / "leeg.xml"
    path.write_bytes(b"")
    with pytest.raises(FeedbackFormatError, match="file: is empty"):
        read_feedback(path)


@pytest.mark.parametrize("amount", ["12.345", "-12.50", "12,50", "twaalf", ""])
def test_bad_amount_names_element_and_line(amount):
    data = render("pain002_03_tx_rejects.xml", amount_2=amount)
    lines = data.decode().splitlines()
    line = next(i for i, text in enumerate(lines, 1) if f">{amount}</InstdAmt>" in text)
    error = error_of(data)
    assert error.line == line
    assert str(error) == (
        f"line {line}: OrgnlTxRef/Amt/InstdAmt '{amount}': is not an amount with at most 2 decimals"
    )


def test_bad_camt_amount_is_refused():
    error = error_of(render("camt053_02_returns.xml", amount_3="7.955"))
    assert "TxDtls/AmtDtls/TxAmt/Amt '7.955'" in str(error)


def test_non_euro_amount_is_refused():
    data = render("camt054_02_refund.xml").replace(
        b'<Amt Ccy="EUR">42.10</Amt>\n              </TxAmt>',
        b'<Amt Ccy="USD">42.10</Amt>\n              </TxAmt>',
    )
    error = error_of(data)
    assert "TxDtls/AmtDtls/TxAmt/Amt@Ccy 'USD': SEPA direct debits are in EUR only" in str(error)
    assert error.line == line_of(data, 'Ccy="USD"')


def test_rejected_transaction_without_end_to_end_id_is_refused():
    data = render("pain002_03_tx_rejects.xml").replace(
        f"<OrgnlEndToEndId>{e2e(2)}</OrgnlEndToEndId>".encode(), b""
    )
    error = error_of(data)
    assert str(error) == (f"TxInfAndSts 2, line {error.line}: OrgnlEndToEndId: is missing")
    assert error.line == line_of(data, "<TxInfAndSts>", "RABO-0417-000002")


def test_status_report_without_original_message_id_is_refused():
    data = render("pain002_03_block_reject.xml").replace(f"<OrgnlMsgId>{MSG}</OrgnlMsgId>".encode(), b"")
    assert str(error_of(data)) == (
        "line 15: OrgnlGrpInfAndSts/OrgnlMsgId: is missing (a status report must name the file it reports on)"
    )


def test_bad_date_is_refused():
    data = render("pain002_03_tx_rejects.xml", date="27-11-2026")
    assert "ReqdColltnDt '27-11-2026': is not an ISO date" in str(error_of(data))


def test_doctype_and_entities_are_refused():
    data = (
        b'<?xml version="1.0"?>\n<!DOCTYPE Document [<!ENTITY x SYSTEM '
        b'"file:///etc/passwd">]>\n<Document><CstmrPmtStsRpt/></Document>'
    )
    assert "DOCTYPE" in str(error_of(data))


# ------------------------------------------------------------ fixtures, purity


def test_fixture_placeholders_are_the_documented_ones():
    names = set()
    for path in FIXTURES.glob("*.xml"):
        names |= {
            m.group("named") or m.group("braced")
            for m in Template.pattern.finditer(path.read_text())
            if m.group("named") or m.group("braced")
        }
    assert names == set(DEFAULTS) | set(SUMS)


def test_every_id_in_the_fixtures_comes_from_a_placeholder():
    values = {
        key: f"ZZ{key.upper()}ZZ" for key in DEFAULTS if not key.startswith(("amount", "date", "booking"))
    }
    for path in FIXTURES.glob("*.xml"):
        text = render(path.name, **values).decode()
        for key, default in DEFAULTS.items():
            if key in values:
                assert default not in text, (path.name, key)


def test_sums_follow_the_amounts():
    data = render(
        "pain002_03_group_reject.xml",
        amount_1="1.01",
        amount_2="2",
        amount_3="0",
        amount_4="0",
        amount_5="0",
        amount_6="0.99",
    )
    assert read_feedback(data).items[0].amount_cents == 400


def test_the_parser_is_pure():
    code = (
        "import sys, incasso_tui.sepa.feedback, incasso_tui.rules.reason_codes\n"
        "print(sorted(m for m in ('peewee', 'textual') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"


@pytest.mark.parametrize("char", ["\x9b", "\u202e", "\x85"])
def test_control_characters_in_bank_text_are_refused_naming_the_element(char):
    # XML 1.0 allows C1 controls and bidirectional overrides; a terminal obeys them, so the
    # import refuses the file instead of storing them (line breaks in free text are layout).
    data = render("pain002_03_tx_rejects.xml").replace(
        b"Rekeningnummer opgeheven", f"Rekening{char}nummer\nopgeheven".encode()
    )
    error = error_of(data)
    assert "AddtlInf" in str(error) and f"U+{ord(char):04X}" in str(error)
    assert error.line == line_of(data, "AddtlInf")


def test_line_breaks_in_bank_free_text_are_layout():
    data = render("pain002_03_tx_rejects.xml").replace(
        b"Rekeningnummer opgeheven", b"Rekeningnummer\n\topgeheven"
    )
    assert read_feedback(data).items  # read, not refused
