"""The pain.008 linter: every rule fires on a mutated copy of a golden file."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from incasso_tui.sepa import check_file
from incasso_tui.sepa.check import _SeenHashes

GOLDEN = Path(__file__).parent / "golden"
TODAY = dt.date(2026, 2, 20)


def mutated(tmp_path, *replacements, version="pain.008.001.02", name="file.xml"):
    text = (GOLDEN / f"small-{version}.xml").read_text()
    for old, new in replacements:
        assert old in text, old
        text = text.replace(old, new, 1)
    path = tmp_path / name
    path.write_text(text)
    return str(path)


def findings(path, today=TODAY):
    report = check_file(path, today=today)
    return report, [(f.severity, f.rule, f.line, f.message) for f in report.findings]


@pytest.mark.parametrize("version", ["pain.008.001.02", "pain.008.001.08"])
def test_golden_files_are_clean(version):
    report = check_file(str(GOLDEN / f"small-{version}.xml"), today=TODAY)
    assert report.ok and report.findings == []
    assert report.version == version and report.transactions == 5
    assert report.total_cents == 100000003010


CASES = [
    # (replacements, severity, rule, line, words in the message)
    (
        [("<IBAN>NL20INGB0001234567</IBAN>", "<IBAN>NL20INGB0001234568</IBAN>")],
        "error",
        "iban",
        5,
        "debtor IBAN 'NL20INGB0001234568': checksum (MOD 97-10) does not match",
    ),
    (
        [("<IBAN>NL20INGB0001234567</IBAN>", "<IBAN>nl20ingb0001234567</IBAN>")],
        "error",
        "iban",
        None,
        "must be upper case",
    ),
    (
        [("<CtrlSum>10.02</CtrlSum>", "<CtrlSum>10.03</CtrlSum>")],
        "error",
        "totals",
        4,
        "CtrlSum says 10.03, the transactions add up to 10.02",
    ),
    (
        [("<NbOfTxs>2</NbOfTxs><CtrlSum>10.02", "<NbOfTxs>3</NbOfTxs><CtrlSum>10.02")],
        "error",
        "totals",
        4,
        "NbOfTxs says 3, the PmtInf has 2 transactions",
    ),
    (
        [("<NbOfTxs>5</NbOfTxs>", "<NbOfTxs>6</NbOfTxs>")],
        "error",
        "totals",
        3,
        "GrpHdr NbOfTxs says 6, the file has 5 transactions",
    ),
    (
        [("<CtrlSum>1000000030.10</CtrlSum>", "<CtrlSum>1000000030.11</CtrlSum>")],
        "error",
        "totals",
        3,
        "GrpHdr CtrlSum says 1000000030.11",
    ),
    (
        [("E2E-42-000002", "E2E-42-000001")],
        "error",
        "duplicate",
        6,
        "EndToEndId 'E2E-42-000001' appears more than once",
    ),
    (
        [("20260220101500-3</PmtInfId>", "20260220101500-2</PmtInfId>")],
        "error",
        "duplicate",
        12,
        "PmtInfId 'INC-42-20260220101500-2' is used for more than one PmtInf",
    ),
    (
        [
            (
                "<Cd>CORE</Cd></LclInstrm><SeqTp>RCUR</SeqTp></PmtTpInf><ReqdColltnDt>2026-03-16",
                "<Cd>B2B</Cd></LclInstrm><SeqTp>RCUR</SeqTp></PmtTpInf><ReqdColltnDt>2026-03-16",
            )
        ],
        "error",
        "instrument",
        12,
        "CORE and B2B in one file",
    ),
    ([("<Cd>CORE</Cd>", "<Cd>COR1</Cd>")], "error", "instrument", 4, "COR1 is obsolete"),
    (
        [("<ReqdColltnDt>2026-03-16", "<ReqdColltnDt>2026-12-25")],
        "error",  # strict by default (issue 11); a warning with --lenient
        "target2",
        12,
        "is not a TARGET2 business day (TARGET2 holiday (Christmas Day))",
    ),
    (
        [("<DtOfSgntr>2021-01-02", "<DtOfSgntr>2026-03-03")],
        "error",
        "date",
        5,
        "mandate signed 2026-03-03, after the collection date 2026-03-02",
    ),
    (
        [("<CreDtTm>2026-02-20T10:15:00", "<CreDtTm>2026-02-20T10:15:00.123+01:00")],
        "error",  # strict (issue 11)
        "cre-dt-tm",
        3,
        "YYYY-MM-DDThh:mm:ss",
    ),
    (
        [
            (
                "<AmdmntInd>true</AmdmntInd><AmdmntInfDtls><OrgnlMndtId>",
                "<AmdmntInd>false</AmdmntInd><AmdmntInfDtls><OrgnlMndtId>",
            )
        ],
        "error",
        "amendment",
        9,
        "amendment details without AmdmntInd true",
    ),
    (
        [
            (
                "<AmdmntInd>false</AmdmntInd></MndtRltdInf></DrctDbtTx><DbtrAgt><FinInstnId><BIC>INGB",
                "<AmdmntInd>true</AmdmntInd></MndtRltdInf></DrctDbtTx><DbtrAgt><FinInstnId><BIC>INGB",
            )
        ],
        "error",
        "amendment",
        5,
        "AmdmntInd is true but there are no amendment details",
    ),
    (
        [("<OrgnlMndtId>OLD-00003</OrgnlMndtId>", "<OrgnlMndtId>MDT-00003</OrgnlMndtId>")],
        "error",
        "amendment",
        9,
        "original mandate reference equals the current one",
    ),
    (
        [("<Othr><Id>SMNDA</Id></Othr>", "<Othr><Id>NEWBANK</Id></Othr>")],
        "error",
        "amendment",
        9,
        "must be SMNDA, not 'NEWBANK'",
    ),
    (
        [("<OrgnlDbtrAcct><Id><IBAN>NL91ABNA0417164300", "<OrgnlDbtrAcct><Id><IBAN>NL02ABNA0123456789")],
        "error",
        "amendment",
        13,
        "original debtor IBAN equals the current one",
    ),
    (
        [("<Id>NL66ZZZ301234560000</Id>", "<Id>NL67ZZZ301234560000</Id>")],
        "error",
        "creditor-id",
        13,
        "original creditor identifier 'NL67ZZZ301234560000': check digits",
    ),
    (
        [("<Id>NL16ZZZ300384870000</Id>", "<Id>NL17ZZZ300384870000</Id>")],
        "error",
        "creditor-id",
        4,
        "creditor identifier 'NL17ZZZ300384870000': check digits",
    ),
    (
        [("<Prtry>SEPA</Prtry>", "<Prtry>SEPAX</Prtry>")],
        "error",
        "creditor-id",
        4,
        "scheme name (SchmeNm/Prtry) must be SEPA",
    ),
    ([("<BIC>INGBNL2A</BIC>", "<BIC>INGBXX2A</BIC>")], "error", "bic", 5, "unknown country code"),
    (
        [
            (
                "<Othr><Id>NOTPROVIDED</Id></Othr></FinInstnId></DbtrAgt><Dbtr><Nm>AEro",
                "<Othr><Id>UNKNOWN</Id></Othr></FinInstnId></DbtrAgt><Dbtr><Nm>AEro",
            )
        ],
        "error",  # strict by default (issue 11); a warning with --lenient
        "agent-id",
        6,
        "write Othr/Id NOTPROVIDED",
    ),
    (
        [("<Nm>Debiteur 5</Nm>", "<Nm>Debiteur &amp; 5</Nm>")],
        "error",
        "charset",
        13,
        "debtor name 'Debiteur & 5': contains '&'",
    ),
    (
        [("<Nm>Debiteur 5</Nm>", "<Nm>" + "D" * 71 + "</Nm>")],
        "error",
        "length",
        13,
        "debtor name is 71 characters long (maximum 70)",
    ),
    (
        [("<EndToEndId>E2E-42-000005<", "<EndToEndId>E2E_42_000005<")],
        "error",
        "identifier",
        13,
        "EndToEndId 'E2E_42_000005': contains '_'",
    ),
    (
        [("<EndToEndId>E2E-42-000005<", "<EndToEndId>NOTPROVIDED<")],
        "warning",
        "identifier",
        13,
        "NOTPROVIDED",
    ),
    # strict by default (issue 11); a warning with --lenient
    ([("<MndtId>MDT-00005<", "<MndtId>MDT 00005<")], "error", "mandate-space", 13, "contains a space"),
    (
        [("<MndtId>MDT-00005<", "<MndtId>MDT//00005<")],
        "error",
        "mandate-reference",
        13,
        "must not contain '//'",
    ),
    (
        [('<InstdAmt Ccy="EUR">10.05<', '<InstdAmt Ccy="EUR">10.055<')],
        "error",
        "amount",
        13,
        "must be a decimal amount with at most 2 decimals",
    ),
    ([('<InstdAmt Ccy="EUR">10.05<', '<InstdAmt Ccy="USD">10.05<')], "error", "amount", 13, "currency 'USD'"),
    (
        [("<ChrgBr>SLEV</ChrgBr>", "<ChrgBr>SHAR</ChrgBr>")],
        "error",
        "scheme",
        4,
        "charge bearer must be SLEV",
    ),
    (
        [("<Cd>SEPA</Cd></SvcLvl>", "<Cd>NURG</Cd></SvcLvl>")],
        "error",
        "scheme",
        4,
        "service level must be SEPA",
    ),
    (
        [
            (
                "<Ustrd>Contributie maart 2026 lidnr 5</Ustrd>",
                "<Ustrd>Contributie maart 2026 lidnr 5</Ustrd><Ustrd>tweede</Ustrd>",
            )
        ],
        "error",
        "length",
        13,
        "only one unstructured remittance",
    ),
    (
        [
            (
                (
                    "<PstlAdr><StrtNm>Bahnhofstrasse</StrtNm><BldgNb>1</BldgNb><PstCd>8001</PstCd>"
                    "<TwnNm>Zurich</TwnNm><Ctry>CH</Ctry></PstlAdr>"
                ),
                "",
            )
        ],
        "warning",
        "address",
        10,
        "the debtor's bank is outside the EEA (CH)",
    ),
    (
        [
            (
                "<TwnNm>Zurich</TwnNm><Ctry>CH</Ctry>",
                "<AdrLine>Zurich</AdrLine><AdrLine>CH</AdrLine><AdrLine>Schweiz</AdrLine>",
            )
        ],
        "error",
        "address",
        10,
        "at most 2 address lines",
    ),
    (
        [("<TwnNm>Zurich</TwnNm><Ctry>CH</Ctry>", "<AdrLine>8001 Zurich</AdrLine>")],
        "warning",
        "address",
        10,
        "unstructured; Dutch banks reject",
    ),
    (
        [("<IBAN>CH9300762011623852957</IBAN>", "<IBAN>BR1800360305000010009795493C1</IBAN>")],
        "error",
        "iban",
        10,
        "BR is not in the SEPA scheme area",
    ),
]


@pytest.mark.parametrize("replacements, severity, rule, line, words", CASES)
def test_rule_fires(tmp_path, replacements, severity, rule, line, words):
    report, found = findings(mutated(tmp_path, *replacements))
    matching = [f for f in found if f[1] == rule and words in f[3]]
    assert matching, found
    assert matching[0][0] == severity
    if line is not None:
        assert matching[0][2] == line
    assert report.ok == (severity == "warning" and all(f[0] == "warning" for f in found))


def test_location_and_text_of_a_finding(tmp_path):
    path = mutated(tmp_path, ("<IBAN>NL20INGB0001234567</IBAN>", "<IBAN>NL20INGB0001234568</IBAN>"))
    report = check_file(path, today=TODAY)
    assert [str(f) for f in report.findings] == [
        (
            f"{path}:5: error iban: EndToEndId 'E2E-42-000001': debtor IBAN 'NL20INGB0001234568': "
            "checksum (MOD 97-10) does not match"
        )
    ]
    assert report.findings[0].location == f"{path}:5"


def test_xsd_error_and_the_checks_after_it(tmp_path):
    path = mutated(
        tmp_path,
        ("<PmtMtd>DD</PmtMtd>", "<PmtMtd>TRF</PmtMtd>"),
        ("<IBAN>NL02ABNA0123456789</IBAN>", "<IBAN>NL02ABNA0123456788</IBAN>"),
    )
    report, found = findings(path)
    xsd = [f for f in found if f[1] == "xsd"]
    assert [(f[2], "PmtMtd" in f[3]) for f in xsd] == [(4, True)]  # located to its line
    assert any(f[1] == "iban" and f[2] == 13 for f in found)  # the other checks still ran
    assert not report.ok


def test_the_past_and_the_future(tmp_path):
    path = str(GOLDEN / "small-pain.008.001.02.xml")
    report, found = findings(path, today=dt.date(2026, 3, 10))
    assert [f[1] for f in found] == ["date", "date"] and report.ok  # 2 PmtInfs on 2 March
    assert "in the past" in found[0][3]
    report, found = findings(path, today=dt.date(2021, 1, 3))
    assert any("is in the future" in f[3] and f[0] == "error" for f in found)


def test_not_a_pain008(tmp_path):
    missing = str(tmp_path / "missing.xml")
    assert [(f.rule, f.message) for f in check_file(missing).findings] == [("file", "no such file")]
    text = tmp_path / "notes.txt"
    text.write_text("hello")
    assert check_file(str(text)).findings[0].rule == "xml"
    pain001 = mutated(tmp_path, ("pain.008.001.02", "pain.001.001.03"), name="ct.xml")
    finding = check_file(pain001).findings[0]
    assert finding.rule == "message-type" and "credit transfer" in finding.message
    truncated = tmp_path / "cut.xml"
    truncated.write_bytes((GOLDEN / "small-pain.008.001.02.xml").read_bytes()[:3000])
    report = check_file(str(truncated), today=TODAY)
    assert report.findings[-1].rule == "xml" and not report.ok
    assert check_file(str(tmp_path)).findings[0].message == "not a regular file"


def test_findings_are_limited_per_rule_but_counted(tmp_path):
    text = (GOLDEN / "small-pain.008.001.02.xml").read_text().replace("Contributie", "A&amp;B")
    path = tmp_path / "many.xml"
    path.write_text(text)
    report = check_file(str(path), today=TODAY, max_per_rule=2)
    charset = [f for f in report.findings if f.rule == "charset"]
    assert len(charset) == 3 and charset[-1].message == "2 more findings of this rule not shown"
    assert report.errors == 4


def test_seen_hashes():
    seen = _SeenHashes()
    values = [f"E2E-{i}" for i in range(5000)]  # grows from 1024 slots
    assert all(seen.add(v) for v in values)
    assert not any(seen.add(v) for v in values)
    assert seen.add("new")
