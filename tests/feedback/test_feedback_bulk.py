"""A generated feedback file of a few thousand entries (issue 15): every row the import
stores is compared with what was expected of each entry: matched rejects and returns,
references that match nothing (stored for a person to decide), an order reported twice
in one file, and an order that already has its reject when a later file reports it."""

from __future__ import annotations

from pathlib import Path

from feedback.test_feedback_service import sent_set
from incasso_tui.db import models as m
from incasso_tui.rules import reason_codes as rc
from incasso_tui.services.feedback.importing import import_feedback

CODES = ("AC04", "MD01", "AM04", "MS03", "AC06", "MD07", "XX99")
N_ORDERS = 40
N_UNMATCHED = 1500
N_ACCEPTED = 700


def _amount(cents: int) -> str:
    return f"{cents // 100}.{cents % 100:02d}"


def _pain_tx(e2e: str, status: str, code: str, cents: int, mandate: str, day: str) -> str:
    reason = f"<StsRsnInf><Rsn><Cd>{code}</Cd></Rsn><AddtlInf>Weigering {code}</AddtlInf></StsRsnInf>"
    return (
        f"<TxInfAndSts><OrgnlEndToEndId>{e2e}</OrgnlEndToEndId><TxSts>{status}</TxSts>"
        f"{reason if status == 'RJCT' else ''}<OrgnlTxRef>"
        f'<Amt><InstdAmt Ccy="EUR">{_amount(cents)}</InstdAmt></Amt><ReqdColltnDt>{day}</ReqdColltnDt>'
        f"<MndtRltdInf><MndtId>{mandate}</MndtId></MndtRltdInf></OrgnlTxRef></TxInfAndSts>\n"
    )


def _pain002(core: dict, txs: list[str]) -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.002.001.03"><CstmrPmtStsRpt>\n'
        "<GrpHdr><MsgId>BULK-PSR-1</MsgId><CreDtTm>2026-11-26T06:12:45</CreDtTm>"
        "<InitgPty><Id><OrgId><BICOrBEI>ABNANL2A</BICOrBEI></OrgId></Id></InitgPty></GrpHdr>\n"
        f"<OrgnlGrpInfAndSts><OrgnlMsgId>{core['msg_id']}</OrgnlMsgId>"
        "<OrgnlMsgNmId>pain.008.001.02</OrgnlMsgNmId><GrpSts>PART</GrpSts></OrgnlGrpInfAndSts>\n"
        f"<OrgnlPmtInfAndSts><OrgnlPmtInfId>{core['pmt_inf'][0]['id']}</OrgnlPmtInfId>"
        "<PmtInfSts>PART</PmtInfSts>\n" + "".join(txs) + "</OrgnlPmtInfAndSts></CstmrPmtStsRpt></Document>\n"
    ).encode()


def _camt_entry(e2e: str, mandate: str, cents: int, code: str | None, day: str) -> str:
    back = f"<RtrInf><Rsn><Cd>{code}</Cd></Rsn><AddtlInf>Storno {code}</AddtlInf></RtrInf>" if code else ""
    side = "DBIT" if code else "CRDT"
    return (
        f'<Ntry><Amt Ccy="EUR">{_amount(cents)}</Amt><CdtDbtInd>{side}</CdtDbtInd><Sts>BOOK</Sts>'
        f"<BookgDt><Dt>{day}</Dt></BookgDt><NtryDtls><TxDtls><Refs><EndToEndId>{e2e}</EndToEndId>"
        f"{f'<MndtId>{mandate}</MndtId>' if mandate else ''}</Refs>"
        f'<AmtDtls><TxAmt><Amt Ccy="EUR">{_amount(cents)}</Amt></TxAmt></AmtDtls>{back}'
        "</TxDtls></NtryDtls></Ntry>\n"
    )


def _camt(root: str, container: str, iban: str, entries: list[str]) -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<Document xmlns="urn:iso:std:iso:20022:tech:xsd:{"camt.053" if root == "BkToCstmrStmt" else "camt.054"}'
        f'.001.02"><{root}>\n<GrpHdr><MsgId>BULK-{container}</MsgId><CreDtTm>2026-12-01T04:05:11</CreDtTm>'
        f"</GrpHdr>\n<{container}><Id>1</Id><CreDtTm>2026-12-01T04:05:11</CreDtTm><Acct><Id><IBAN>{iban}"
        "</IBAN></Id><Svcr><FinInstnId><BIC>ABNANL2A</BIC></FinInstnId></Svcr></Acct>\n"
        + "".join(entries)
        + f"</{container}></{root}></Document>\n"
    ).encode()


def _stored(file_name: str) -> list[tuple]:
    rows = (
        m.BankFeedback.select()
        .join(m.FeedbackFile, on=(m.BankFeedback.feedback_file == m.FeedbackFile.id))
        .where(m.FeedbackFile.name == file_name)
    )
    return sorted(
        (
            r.order_id or 0,
            r.kind,
            r.reason_code,
            r.reason_text,
            r.amount_cents,
            r.source,
            r.source_ref,
            bool(r.matched),
            bool(r.needs_decision),
            r.action,
            r.administration_id or 0,
            bool(r.pre_settlement),
        )
        for r in rows
    )


def test_a_file_of_thousands_of_entries_stores_exactly_what_each_entry_means(admin, tmp_path: Path):
    cset, orders, core = sent_set(admin, tmp_path, n=N_ORDERS)
    adm = orders[0].administration_id
    iban = m.BankAccount.get_by_id(orders[0].bank_account_id).iban
    day = orders[0].collection_date.isoformat()
    mandates = {o.id: m.Mandate.get_by_id(o.mandate_id).reference for o in orders}
    rejected, returned = orders[: N_ORDERS // 2], orders[N_ORDERS // 2 :]

    # pain.002: a reject of half the orders (the first reported twice), unmatched rejects, accepted.
    txs, expected = [], []
    for i, o in enumerate(rejected):
        code = CODES[i % len(CODES)]
        txs.append(_pain_tx(o.end_to_end_id, "RJCT", code, o.amount_cents, mandates[o.id], day))
        row = (o.id, "reject", code, f"Weigering {code}", o.amount_cents, "pain.002", o.end_to_end_id)
        expected.append((*row, True, rc.lookup(code).action == rc.DECIDE, rc.lookup(code).action, 0, True))
    first = rejected[0]
    txs.append(_pain_tx(first.end_to_end_id, "RJCT", "MS03", first.amount_cents, mandates[first.id], day))
    for n in range(N_UNMATCHED):
        code = CODES[n % len(CODES)]
        txs.append(_pain_tx(f"X-{n}", "RJCT", code, 1250 + n, f"OTHER-{n}", day))
        why = "no order has this EndToEndId"
        expected.append(
            (
                0,
                "reject",
                code,
                why,
                1250 + n,
                "pain.002",
                f"X-{n}",
                False,
                True,
                rc.lookup(code).action,
                adm,
                False,
            )
        )
    txs += [_pain_tx(f"A-{n}", "ACCP", "", 500, f"OK-{n}", day) for n in range(N_ACCEPTED)]
    (tmp_path / "psr.xml").write_bytes(_pain002(core, txs))
    report = import_feedback(admin, tmp_path / "psr.xml")
    assert (report.items, report.accepted, report.unmatched_count, report.skipped_count) == (
        len(rejected) + 1 + N_UNMATCHED,
        N_ACCEPTED,
        N_UNMATCHED,
        1,
    )
    assert report.skipped == [f"order {first.id}: reported twice in this file"]
    assert _stored("psr.xml") == sorted(expected)

    # camt.053: returns of the other half, unmatched returns, incoming credits.
    entries, expected = [], []
    for i, o in enumerate(returned):
        code = CODES[(i + 3) % len(CODES)]
        entries.append(_camt_entry(o.end_to_end_id, mandates[o.id], o.amount_cents, code, day))
        row = (o.id, "return", code, f"Storno {code}", o.amount_cents, "camt.053", o.end_to_end_id)
        expected.append((*row, True, rc.lookup(code).action == rc.DECIDE, rc.lookup(code).action, 0, False))
    for n in range(N_UNMATCHED):
        code = CODES[n % len(CODES)]
        entries.append(_camt_entry(f"Y-{n}", f"OTHER-{n}", 700 + n, code, day))
        why = "no order has this EndToEndId"
        expected.append(
            (
                0,
                "return",
                code,
                why,
                700 + n,
                "camt.053",
                f"Y-{n}",
                False,
                True,
                rc.lookup(code).action,
                adm,
                False,
            )
        )
    entries += [_camt_entry(f"C-{n}", "", 2500, None, day) for n in range(N_ACCEPTED)]
    (tmp_path / "stmt.xml").write_bytes(_camt("BkToCstmrStmt", "Stmt", iban, entries))
    report = import_feedback(admin, tmp_path / "stmt.xml")
    assert (report.items, report.accepted, report.unmatched_count, report.skipped_count) == (
        len(returned) + N_UNMATCHED,
        N_ACCEPTED,
        N_UNMATCHED,
        0,
    )
    assert _stored("stmt.xml") == sorted(expected)

    # camt.054 later: orders that already have their reject or return are skipped, nothing stored.
    again = [_camt_entry(o.end_to_end_id, mandates[o.id], o.amount_cents, "MD06", day) for o in orders]
    (tmp_path / "ntf.xml").write_bytes(_camt("BkToCstmrDbtCdtNtfctn", "Ntfctn", iban, again))
    report = import_feedback(admin, tmp_path / "ntf.xml")
    assert (report.items, report.skipped_count, report.unmatched_count, len(report.effects)) == (
        N_ORDERS,
        N_ORDERS,
        0,
        0,
    )
    assert _stored("ntf.xml") == []

    statuses = dict(
        m.CollectionOrder.select(m.CollectionOrder.id, m.CollectionOrder.status)
        .where(m.CollectionOrder.collection_set == cset.id)
        .tuples()
    )
    assert statuses == {
        **{o.id: "rejected" for o in rejected},
        **{o.id: "reversed" for o in returned},
    }
    assert m.BankFeedback.select().count() == 2 * N_UNMATCHED + N_ORDERS
