"""The feedback parser as a stream (issue 11): what a file's head says (its identity), the
creditor account of each item, re-encoded input, refusals that keep memory bounded, and
files the parser must refuse without being crashed."""

from __future__ import annotations

import pytest

from incasso_tui.sepa.feedback import MAX_SPAN, FeedbackFormatError, FeedbackReader, read_feedback

from .fixtures import render


def test_the_head_names_the_message_before_any_item():
    with FeedbackReader(render("pain002_03_tx_rejects.xml")) as reader:
        head = reader.head
        assert (head.format, head.message_id, head.sender) == (
            "pain.002",
            "RABO-PSR-20261126-0417",
            "RABONL2U",
        )
        assert head.group_status == "PART" and head.original_msg_ids == ("INC-42-20261120101500",)
        assert reader.accepted == 0  # nothing read yet
        items = list(reader.items())
    assert len(items) == 3 and reader.accepted == 1
    camt = read_feedback(render("camt053_08_return.xml"))
    assert (camt.format, camt.message_id, camt.sender) == (
        "camt.053",
        "ABNA053202612010000417",
        "ABNANL2A NL02ABNA0123456789",
    )


def test_each_item_names_the_creditor_account():
    pain = read_feedback(render("pain002_03_tx_rejects.xml"))
    assert {i.creditor_iban for i in pain.items} == {"NL39RABO0300065264"}  # OrgnlTxRef/CdtrAcct
    camt = read_feedback(render("camt053_08_return.xml"))
    assert [i.creditor_iban for i in camt.items] == ["NL02ABNA0123456789"]  # the statement's Acct
    # Two statements (two accounts) in one message: each item its own.
    text = render("camt053_08_return.xml").decode()
    stmt = text[text.index("<Stmt>") : text.index("</Stmt>") + len("</Stmt>")]
    second = stmt.replace("NL02ABNA0123456789", "NL91 ABNA 0417 1643 00")
    two = text.replace(stmt, stmt + "\n    " + second).encode()
    assert [i.creditor_iban for i in read_feedback(two).items] == ["NL02ABNA0123456789", "NL91ABNA0417164300"]


def test_utf16_and_utf8_read_the_same():
    data = render("camt054_02_refund.xml")
    utf16 = data.decode().replace('encoding="UTF-8"', 'encoding="UTF-16"').encode("utf-16")
    assert read_feedback(utf16) == read_feedback(data)


def test_a_batch_entry_is_read_one_transaction_at_a_time():
    """One entry with many TxDtls (a batch booking): every one read, the entry's date and
    amount rules kept, nothing held beyond the one being read."""
    data = render("camt053_08_return.xml").decode()
    start, end = data.index("<TxDtls>"), data.index("</TxDtls>") + len("</TxDtls>")
    tx = data[start:end]
    many = tx * 3000
    result = read_feedback((data[:start] + many + data[end:]).encode())
    assert len(result.items) == 3000
    assert {(i.amount_cents, i.date.isoformat()) for i in result.items if i.date} == {(305, "2026-12-01")}


def _with_junk(kilobytes: int) -> bytes:
    junk = "<Junk>x</Junk>" * (kilobytes * 1024 // 14)
    return render("pain002_03_tx_rejects.xml").replace(b"<GrpHdr>", b"<GrpHdr>" + junk.encode())


def test_more_than_the_span_without_a_transaction_is_refused():
    with pytest.raises(FeedbackFormatError) as caught:
        read_feedback(_with_junk(MAX_SPAN // 1024 + 64))
    assert "line 4: file: has more than 1024 KB without a transaction" in str(caught.value)
    assert len(read_feedback(_with_junk(MAX_SPAN // 1024 - 64)).items) == 3  # within: fine


@pytest.mark.parametrize(
    "declaration",
    [
        b'<!DOCTYPE Document [<!ENTITY a "Jan">]>',
        (  # billion laughs, in small
            b'<!DOCTYPE Document [<!ENTITY a "x"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
            b'<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]>'
        ),
        b'<!DOCTYPE Document SYSTEM "http://127.0.0.1:9/x.dtd">',
    ],
)
def test_dtds_and_entities_are_refused_before_anything_is_read(declaration):
    data = render("pain002_03_tx_rejects.xml").replace(b"?>\n", b"?>\n" + declaration + b"\n", 1)
    data = data.replace(b"Saldo ontoereikend", b"&d;" if b"ENTITY d" in declaration else b"&a;")
    with pytest.raises(FeedbackFormatError, match="DOCTYPE"):
        read_feedback(data)


def test_an_error_after_the_head_is_raised_by_the_items():
    data = render("pain002_03_tx_rejects.xml", amount_3="7.955")
    with FeedbackReader(data) as reader:
        assert reader.head.message_id == "RABO-PSR-20261126-0417"
        with pytest.raises(FeedbackFormatError, match="is not an amount"):
            list(reader.items())
