"""`incasso sepa check` is strict (issue 11) and cannot be crashed by hostile XML.

Every rule: a golden file with one thing changed, through the real CLI process,
once strict (the default: the rule is an error, exit 1) and once with --lenient
(a warning for what banks tolerate, exit 0 when nothing else is wrong; still an
error, exit 1, for the rest).  Hostile XML (entities, billion laughs, external
entities, XInclude, UTF-16 entities) is refused with one finding naming the
file, exit 1; before this change the first two ended in a segfault (exit 139).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import tracemalloc
from dataclasses import replace
from pathlib import Path

import pytest

from incasso_tui.cli import sepa as sepa_cli
from incasso_tui.sepa import (
    VERSIONS,
    Address,
    Amendment,
    BatchInfo,
    FileHeader,
    check_file,
    group_transactions,
    write_pain008,
)
from incasso_tui.sepa.check import STRICT_ONLY_ERRORS, TOLERATED, _SeenHashes
from incasso_tui.sepa.xml_safety import UnsafeXml, read_prolog, refuse_dtd

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = Path(__file__).parent / "golden"
TODAY = "2026-02-27"  # after the files' creation (2026-02-20), before their collection dates
V02, V08 = "pain.008.001.02", "pain.008.001.08"


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "incasso_tui.cli.sepa", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "INCASSO_TODAY": TODAY},
    )


def golden(version: str = V02) -> str:
    return (GOLDEN / f"small-{version}.xml").read_text()


def mutate(text: str, old: str, new: str) -> str:
    assert text.count(old) >= 1, old
    return text.replace(old, new, 1)


def findings_of(result: subprocess.CompletedProcess[str]) -> list[dict]:
    doc = json.loads(result.stdout)
    return [f for report in doc["files"] for f in report["findings"]]


# ------------------------------------------------------------------ one test per rule

ZURICH = (
    "<StrtNm>Bahnhofstrasse</StrtNm><BldgNb>1</BldgNb><PstCd>8001</PstCd><TwnNm>Zurich</TwnNm><Ctry>CH</Ctry>"
)
SMNDA_ACCOUNT = "<OrgnlDbtrAcct><Id><Othr><Id>SMNDA</Id></Othr></Id></OrgnlDbtrAcct>"
NOTPROVIDED_TX2 = "<Othr><Id>NOTPROVIDED</Id></Othr></FinInstnId></DbtrAgt><Dbtr><Nm>AEro"
UTF8_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>'

# (id, version, file bytes from the golden text, rule, line, words in the message)
RULES = [
    (
        "target2",
        V02,
        lambda t: mutate(t, "<ReqdColltnDt>2026-03-16", "<ReqdColltnDt>2026-12-25").encode(),
        "target2",
        12,
        "not a TARGET2 business day (TARGET2 holiday (Christmas Day))",
    ),
    ("bom", V02, lambda t: b"\xef\xbb\xbf" + t.encode(), "bom", 1, "byte order mark"),
    (
        "utf-16",
        V02,
        lambda t: mutate(t, 'encoding="UTF-8"', 'encoding="UTF-16"').encode("utf-16"),
        "encoding",
        1,
        "the file is in UTF-16LE; a SEPA file must be UTF-8",
    ),
    (
        "latin-1",
        V02,
        lambda t: mutate(t, 'encoding="UTF-8"', 'encoding="ISO-8859-1"').encode("latin-1"),
        "encoding",
        1,
        "declares encoding 'ISO-8859-1'",
    ),
    (
        "no-declaration",
        V02,
        lambda t: mutate(t, UTF8_DECLARATION + "\n", "").encode(),
        "xml-declaration",
        1,
        "no XML declaration",
    ),
    (
        "account-iban",
        V02,
        lambda t: mutate(t, "<IBAN>NL02ABNA0123456789</IBAN>", "<Othr><Id>0123456789</Id></Othr>").encode(),
        "account-iban",
        13,
        "debtor account is identified by Othr/Id '0123456789', not by an IBAN",
    ),
    (
        "agent-name-only",
        V02,
        lambda t: mutate(
            t, NOTPROVIDED_TX2, "<Nm>ING Bank</Nm></FinInstnId></DbtrAgt><Dbtr><Nm>AEro"
        ).encode(),
        "agent",
        6,
        "debtor agent has only a name ('ING Bank')",
    ),
    (
        "agent-bic-and-notprovided",
        V02,
        lambda t: mutate(
            t,
            "<BIC>INGBNL2A</BIC></FinInstnId>",
            "<BIC>INGBNL2A</BIC><Othr><Id>NOTPROVIDED</Id></Othr></FinInstnId>",
        ).encode(),
        "agent",
        5,
        "both a BIC and Othr/Id NOTPROVIDED",
    ),
    (
        "agent-empty",
        V02,
        lambda t: mutate(
            t, "<FinInstnId>" + NOTPROVIDED_TX2, "<FinInstnId></FinInstnId></DbtrAgt><Dbtr><Nm>AEro"
        ).encode(),
        "agent",
        6,
        "debtor agent is empty",
    ),
    (
        "agent-id",
        V02,
        lambda t: mutate(t, NOTPROVIDED_TX2, NOTPROVIDED_TX2.replace("NOTPROVIDED", "UNKNOWN")).encode(),
        "agent-id",
        6,
        "Othr/Id 'UNKNOWN' is not a SEPA agent identification",
    ),
    (
        "signature-date",
        V02,
        lambda t: mutate(t, "<DtOfSgntr>2021-01-02", "<DtOfSgntr>2026-02-25").encode(),
        "signature-date",
        5,
        "mandate signed 2026-02-25, after the file was created (2026-02-20)",
    ),
    (
        "creditor-id-nl",
        V02,
        lambda t: mutate(t, "<Id>NL16ZZZ300384870000</Id>", "<Id>NL16ABC300384870000</Id>").encode(),
        "creditor-id-nl",
        4,
        "business code of a Dutch creditor identifier is ZZZ, not 'ABC'",
    ),
    (
        "mandate-space",
        V02,
        lambda t: mutate(t, "<MndtId>MDT-00005<", "<MndtId>MDT 00005<").encode(),
        "mandate-space",
        13,
        "contains a space",
    ),
    (
        "ctrl-sum-pmtinf",
        V02,
        lambda t: mutate(t, "<CtrlSum>10.05</CtrlSum>", "").encode(),
        "ctrl-sum",
        12,
        "CtrlSum is missing",
    ),
    (
        "ctrl-sum-group",
        V02,
        lambda t: mutate(t, "<CtrlSum>1000000030.10</CtrlSum>", "").encode(),
        "ctrl-sum",
        3,
        "GrpHdr CtrlSum is missing",
    ),
    (
        "charge-bearer",
        V02,
        lambda t: mutate(t, "<ChrgBr>SLEV</ChrgBr>", "").encode(),
        "charge-bearer",
        4,
        "no charge bearer (ChrgBr SLEV) in the PmtInf nor in 2 of its 2 transactions",
    ),
    (
        "service-level",
        V08,
        lambda t: mutate(
            t,
            "<SvcLvl><Cd>SEPA</Cd></SvcLvl>",
            "<SvcLvl><Cd>SEPA</Cd></SvcLvl><SvcLvl><Prtry>NLDD</Prtry></SvcLvl>",
        ).encode(),
        "service-level",
        4,
        "2 service levels (SvcLvl)",
    ),
    (
        "pmtinf-split",
        V02,
        lambda t: mutate(t, "<ReqdColltnDt>2026-03-16", "<ReqdColltnDt>2026-03-02").encode(),
        "pmtinf-split",
        12,
        "as the PmtInf at line 8; one PmtInf block per combination",
    ),
    (
        "cre-dt-tm-zone",
        V02,
        lambda t: mutate(t, "<CreDtTm>2026-02-20T10:15:00<", "<CreDtTm>2026-02-20T10:15:00+01:00<").encode(),
        "cre-dt-tm",
        3,
        "without fraction or time zone",
    ),
    (
        "cre-dt-tm-fraction",
        V02,
        lambda t: mutate(t, "<CreDtTm>2026-02-20T10:15:00<", "<CreDtTm>2026-02-20T10:15:00.250<").encode(),
        "cre-dt-tm",
        3,
        "without fraction or time zone",
    ),
    (
        "smnda-in-agent",
        V02,
        lambda t: mutate(
            t,
            SMNDA_ACCOUNT,
            "<OrgnlDbtrAgt><FinInstnId><Othr><Id>SMNDA</Id></Othr></FinInstnId></OrgnlDbtrAgt>",
        ).encode(),
        "smnda",
        9,
        "SMNDA in OrgnlDbtrAgt is the pre-2016 form",
    ),
    (
        "smnda-next-to-agent",
        V02,
        lambda t: mutate(
            t,
            SMNDA_ACCOUNT,
            SMNDA_ACCOUNT + "<OrgnlDbtrAgt><FinInstnId><BIC>INGBNL2A</BIC></FinInstnId></OrgnlDbtrAgt>",
        ).encode(),
        "smnda",
        9,
        "OrgnlDbtrAgt next to OrgnlDbtrAcct SMNDA",
    ),
    (
        "smnda-elsewhere",
        V02,
        lambda t: mutate(t, "<OrgnlMndtId>OLD-00003<", "<OrgnlMndtId>SMNDA<").encode(),
        "smnda",
        9,
        "SMNDA in DrctDbtTx/MndtRltdInf/AmdmntInfDtls/OrgnlMndtId",
    ),
    (
        "address-unstructured-08",
        V08,
        lambda t: mutate(
            t, ZURICH, "<AdrLine>Bahnhofstrasse 1</AdrLine><AdrLine>8001 Zurich</AdrLine>"
        ).encode(),
        "address-structured",
        10,
        "no TwnNm and Ctry (unstructured)",
    ),
    (
        "address-hybrid-08",
        V08,
        lambda t: mutate(
            t, ZURICH, ZURICH + "<AdrLine>a</AdrLine><AdrLine>b</AdrLine><AdrLine>c</AdrLine>"
        ).encode(),
        "address-structured",
        10,
        "a hybrid address has at most 2 address lines",
    ),
]


@pytest.mark.parametrize(
    "version, make, rule, line, words", [r[1:] for r in RULES], ids=[r[0] for r in RULES]
)
def test_rule_is_an_error_by_default_and_tolerated_only_if_banks_do(
    tmp_path, version, make, rule, line, words
):
    path = tmp_path / "file.xml"
    path.write_bytes(make(golden(version)))

    strict = run("check", "--json", str(path))
    assert strict.returncode == 1, strict.stdout + strict.stderr
    found = findings_of(strict)
    # exactly this one rule fires (and only here): the file differs in one thing
    assert [(f["rule"], f["severity"], f["line"]) for f in found] == [(rule, "error", line)], found
    assert words in found[0]["message"]
    assert found[0]["location"] == f"{path}:{line}"

    lenient = run("check", "--json", "--lenient", str(path))
    (finding,) = findings_of(lenient)
    assert (finding["rule"], finding["line"]) == (rule, line)
    if rule in TOLERATED:
        assert finding["severity"] == "warning" and lenient.returncode == 0, lenient.stdout
    else:
        assert rule in STRICT_ONLY_ERRORS
        assert finding["severity"] == "error" and lenient.returncode == 1, lenient.stdout


def test_every_strict_rule_has_a_test():
    tested = {r[3] for r in RULES} | {"msg-id-reuse", "dtd", "xinclude"}
    assert tested == set(TOLERATED) | set(STRICT_ONLY_ERRORS)
    assert not set(TOLERATED) & set(STRICT_ONLY_ERRORS)


def test_text_output_names_rule_and_line_and_lenient_summary(tmp_path):
    path = tmp_path / "christmas.xml"
    path.write_text(mutate(golden(), "<ReqdColltnDt>2026-03-16", "<ReqdColltnDt>2026-12-25"))
    strict = run("check", str(path))
    assert strict.returncode == 1
    assert strict.stdout.startswith(
        f"{path}:12: error target2: PmtInf 'INC-42-20260220101500-3': collection date"
    )
    assert f"{path}: FAILED (pain.008.001.02, 5 transactions" in strict.stdout
    lenient = run("check", "--lenient", str(path))
    assert lenient.returncode == 0
    assert lenient.stdout.startswith(f"{path}:12: warning target2:")
    assert (
        f"{path}: OK (pain.008.001.02, 5 transactions, 1000000030.10 EUR; 0 errors, 1 warning)"
        in lenient.stdout
    )


def test_a_msg_id_used_by_another_file_of_the_run(tmp_path):
    first, second, other = tmp_path / "a.xml", tmp_path / "b.xml", tmp_path / "c.xml"
    first.write_text(golden())
    second.write_text(golden())  # the same MsgId, another file
    other.write_text(mutate(golden(), "<MsgId>INC-42-20260220101500<", "<MsgId>INC-42-20260220101501<"))
    for flags in ([], ["--lenient"]):
        result = run("check", "--json", *flags, str(first), str(second), str(other), str(first))
        assert result.returncode == 1, result.stdout
        doc = json.loads(result.stdout)
        by_file = [
            (r["file"], [(f["rule"], f["severity"], f["line"]) for f in r["findings"]]) for r in doc["files"]
        ]
        assert by_file == [
            (str(first), []),
            (str(second), [("msg-id-reuse", "error", 3)]),
            (str(other), []),
            (str(first), []),  # the same file named twice is not another file
        ]
        message = doc["files"][1]["findings"][0]["message"]
        assert message.startswith(f"MsgId 'INC-42-20260220101500' is also the MsgId of {first} (line 3)")


def test_a_past_collection_date_stays_a_warning(tmp_path):
    path = tmp_path / "old.xml"
    path.write_text(golden())
    result = subprocess.run(
        [sys.executable, "-m", "incasso_tui.cli.sepa", "check", "--json", str(path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "INCASSO_TODAY": "2026-11-30"},
    )
    assert result.returncode == 0, result.stdout
    assert {(f["rule"], f["severity"]) for f in findings_of(result)} == {("date", "warning")}


def test_an_unstructured_address_in_02_stays_a_warning(tmp_path):
    """The .08 rule (structured or hybrid only) is not applied to .02, whose EPC
    profile only knows Ctry + 2 AdrLine."""
    path = tmp_path / "adr.xml"
    path.write_text(
        mutate(golden(V02), ZURICH, "<AdrLine>Bahnhofstrasse 1</AdrLine><AdrLine>8001 Zurich</AdrLine>")
    )
    report = check_file(str(path), today=dt.date(2026, 2, 27))
    assert [(f.rule, f.severity, f.line) for f in report.findings] == [("address", "warning", 10)]


def test_help_lists_exactly_the_rules_of_the_checker():
    assert dict(sepa_cli.LENIENT_WARNINGS).keys() == TOLERATED.keys()
    assert dict(sepa_cli.ALWAYS_ERRORS).keys() == STRICT_ONLY_ERRORS.keys()
    result = run("check", "--help")
    assert result.returncode == 0
    for code in list(TOLERATED) + list(STRICT_ONLY_ERRORS):
        assert f"  {code} " in result.stdout, code
    assert "--lenient" in result.stdout


# ------------------------------------------------------------------ our own files are clean


@pytest.mark.parametrize("version", VERSIONS)
def test_golden_files_are_clean_under_the_strict_default(version):
    result = run("check", "--json", str(GOLDEN / f"small-{version}.xml"))
    assert result.returncode == 0 and findings_of(result) == [], result.stdout


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize("instrument", ["CORE", "B2B"])
@pytest.mark.parametrize("sequence", ["FRST", "RCUR", "OOFF", "FNAL"])
@pytest.mark.parametrize("with_bic", [True, False], ids=["bic", "no-bic"])
def test_what_our_writer_writes_is_clean(tmp_path, samples, version, instrument, sequence, with_bic):
    creditor = samples.creditor if with_bic else samples.creditor_no_bic
    creditor = replace(
        creditor, address=Address(country="NL", town="Sneek", street="Markt", building_number="1")
    )
    created = dt.datetime(2026, 2, 20, 10, 15, 0, 999_999)  # a fraction: the writer leaves it out
    header = FileHeader("INC-7-20260220101500", created, "Sportvereniging Sneek")
    extras = [
        samples.tx(1, debtor_bic="INGBNL2A" if with_bic else None),
        samples.tx(2, amendment=Amendment(original_mandate_id="OLD-2", new_debtor_account=True)),
        samples.tx(3, amendment=Amendment(original_debtor_iban="NL91ABNA0417164300")),
        samples.tx(
            4,
            debtor_iban=samples.foreign_ibans["CH"],
            debtor_address=Address(country="CH", town="Zürich", lines=("Bahnhofstrasse 1", "Postfach 12")),
            ultimate_debtor_name="Lid 4",
            instruction_id="I-4",
        ),
        samples.tx(5, mandate_date=dt.date(2026, 2, 20), remittance=None),  # signed the day of the file
    ]
    items = [(samples.key(sequence, samples.collection, creditor, instrument), tx) for tx in extras]
    items.append((samples.key(sequence, samples.collection_2, creditor, instrument), samples.tx(6)))
    path = tmp_path / "ours.xml"
    write_pain008(path, header, group_transactions(items), version)
    report = check_file(str(path), today=created.date())
    assert report.ok and report.findings == [], [str(f) for f in report.findings]
    assert report.transactions == 6


# ------------------------------------------------------------------ hostile XML


DECLARATION = UTF8_DECLARATION + "\n"
# lol9 expands to 10^9 "lol"s
BILLION_LAUGHS = (
    '<!DOCTYPE Document [\n <!ENTITY lol0 "lol">\n'
    + "".join(f' <!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">\n' for i in range(1, 10))
    + "]>\n"
)


def hostile(tmp_path: Path, name: str, prolog: str, body_change: tuple[str, str] | None = None) -> Path:
    text = golden()
    body = text.split("\n", 1)[1]
    if body_change:
        body = mutate(body, *body_change)
    path = tmp_path / name
    path.write_text(DECLARATION + prolog + body)
    return path


HOSTILE = [
    ("internal-entity", '<!DOCTYPE Document [<!ENTITY a "Jan">]>\n', ("Debiteur 5", "&a; 5"), 2),
    ("billion-laughs", BILLION_LAUGHS, ("Debiteur 5", "&lol9;"), 2),
    (
        "external-entity",
        '<!DOCTYPE Document [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n',
        ("Debiteur 5", "&x;"),
        2,
    ),
    ("external-dtd", '<!DOCTYPE Document SYSTEM "http://127.0.0.1:9/evil.dtd">\n', None, 2),
    (
        "after-a-comment",
        '<!-- <!DOCTYPE x> in a comment is fine -->\n<!DOCTYPE Document [<!ENTITY a "b">]>\n',
        None,
        3,
    ),
]


@pytest.mark.parametrize("prolog, change, line", [h[1:] for h in HOSTILE], ids=[h[0] for h in HOSTILE])
def test_dtds_and_entities_are_refused_unread(tmp_path, prolog, change, line):
    path = hostile(tmp_path, "evil.xml", prolog, change)
    for flags in ([], ["--lenient"]):
        result = run("check", *flags, str(path))
        assert result.returncode == 1, (
            result.returncode,
            result.stdout,
            result.stderr,
        )  # was 139: a segfault
        refused = "has a DOCTYPE declaration; DTDs and entities are refused (the file was not read further)"
        assert result.stdout.splitlines() == [
            f"{path}:{line}: error dtd: XML: {refused}",
            f"{path}: FAILED (not checked; 1 error, 0 warnings)",
        ]
        assert result.stderr == "" and "root:" not in result.stdout


def test_a_dtd_in_utf16_is_refused_too(tmp_path):
    text = golden().replace('encoding="UTF-8"', 'encoding="UTF-16"')
    first, rest = text.split("\n", 1)
    path = tmp_path / "evil16.xml"
    path.write_bytes(
        (first + '\n<!DOCTYPE Document [<!ENTITY a "Jan">]>\n' + rest.replace("Debiteur 5", "&a;")).encode(
            "utf-16"
        )
    )
    result = run("check", "--json", str(path))
    assert result.returncode == 1
    assert [(f["rule"], f["line"]) for f in findings_of(result)] == [("dtd", 2)]


def test_an_encoding_the_screen_cannot_read_is_refused_unread(tmp_path):
    path = tmp_path / "utf7.xml"
    path.write_text(golden().replace('encoding="UTF-8"', 'encoding="UTF-7"'))
    result = run("check", "--json", "--lenient", str(path))
    assert result.returncode == 1
    (finding,) = findings_of(result)
    assert (finding["rule"], finding["severity"], finding["line"]) == ("encoding", "error", 1)
    assert (
        "declares encoding 'UTF-7', which is not UTF-8 (the file was not read further)" in finding["message"]
    )


def test_xinclude_is_reported_never_processed(tmp_path):
    include = '<xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="/etc/passwd" parse="text"/>'
    path = hostile(tmp_path, "xi.xml", "", ("<Nm>Debiteur 5</Nm>", f"<Nm>{include}</Nm>"))
    result = run("check", "--json", str(path))
    assert result.returncode == 1
    found = findings_of(result)
    assert ("xinclude", "error", 13) in [(f["rule"], f["severity"], f["line"]) for f in found]
    assert "root:" not in result.stdout and "Traceback" not in result.stderr
    assert {f["rule"] for f in found} <= {"xinclude", "xsd", "scheme"}  # scheme: no debtor name


def test_deep_nesting_is_a_finding_not_a_crash(tmp_path):
    deep = "<a>" * 5000 + "x" + "</a>" * 5000
    path = hostile(tmp_path, "deep.xml", "", ("<Nm>Debiteur 5</Nm>", f"<Nm>{deep}</Nm>"))
    result = run("check", str(path))
    assert result.returncode == 1, result.stderr  # was 2: internal error: RecursionError
    assert "internal error" not in result.stderr and "Traceback" not in result.stderr
    assert f"{path}:13: error xml: not well-formed XML: Excessive depth in document" in result.stdout


def test_prolog_screen_on_bytes_streams_and_limits(tmp_path):
    data = (GOLDEN / "small-pain.008.001.02.xml").read_bytes()
    prolog = read_prolog(data)
    assert (prolog.detected, prolog.bom, prolog.declaration, prolog.declared_encoding) == (
        "UTF-8",
        None,
        True,
        "UTF-8",
    )
    with open(GOLDEN / "small-pain.008.001.02.xml", "rb") as f:
        f.read(5)
        assert read_prolog(f).declaration is False  # read from the position...
        assert f.tell() == 5  # ...which is restored
    # a DOCTYPE hidden after a long comment, past the first read
    padded = b"<!--" + b"x" * 100_000 + b'-->\n<!DOCTYPE a [<!ENTITY b "c">]><a/>'
    with pytest.raises(UnsafeXml) as e:
        refuse_dtd(padded)
    assert e.value.line == 2
    (tmp_path / "padded.xml").write_bytes(padded)
    with pytest.raises(UnsafeXml):
        refuse_dtd(tmp_path / "padded.xml")
    with pytest.raises(UnsafeXml) as e:
        refuse_dtd(b"<!--" + b"x" * (2 << 20) + b"-->")
    assert "no root element in its first 1024 KiB" in str(e.value)
    refuse_dtd(b"<?xml version='1.0'?><?pi <!DOCTYPE?><!-- <!ENTITY --><a/>")  # only looks like one


# ------------------------------------------------------------------ streaming


def test_memory_of_a_check_does_not_grow_with_the_file(tmp_path, samples):
    def peak(n: int) -> int:
        info = BatchInfo(samples.key(), n, sum(1000 + i % 1000 for i in range(n)))
        txs = (samples.tx(i % 1000, end_to_end_id=f"E2E-{i}", amount_cents=1000 + i % 1000) for i in range(n))
        path = tmp_path / f"{n}.xml"
        write_pain008(path, samples.header, [(info, txs)], validate=False)
        tracemalloc.start()
        report = check_file(str(path), today=dt.date(2026, 2, 20))
        _, top = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        assert report.ok and report.transactions == n, [str(f) for f in report.findings]
        return top

    small, large = peak(1_000), peak(8_000)
    # Only the EndToEndId hashes grow (8 bytes a slot, at most 4 slots a transaction while
    # the table doubles); one Python object kept per transaction would cost hundreds.
    assert large - small < 64 * 7_000, (small, large)


def test_seen_hashes_keep_the_first_line():
    seen = _SeenHashes(with_lines=True)
    assert all(seen.first_line(f"key-{i}", i) is None for i in range(5000))  # grows from 1024 slots
    assert [seen.first_line(f"key-{i}", 99_999) for i in (0, 1234, 4999)] == [0, 1234, 4999]
