"""write_pdf is atomic: no temp files left behind, no partial or half-replaced file."""

from __future__ import annotations

import os

import pytest

from incasso_tui.documents import output as output_module
from incasso_tui.documents import render_letter, render_mandate_forms, write_pdf

from .helpers import make_form, make_letter


def test_writes_the_bytes_and_leaves_no_temp_file(tmp_path):
    data = render_mandate_forms([make_form()])
    target = write_pdf(tmp_path / "machtiging.pdf", data)
    assert target.read_bytes() == data
    assert os.listdir(tmp_path) == ["machtiging.pdf"]


def test_new_file_is_private_whatever_the_umask(tmp_path):
    umask = os.umask(0o022)
    try:
        target = write_pdf(str(tmp_path / "a.pdf"), render_mandate_forms([make_form()]))
    finally:
        os.umask(umask)
    assert target.stat().st_mode & 0o777 == 0o600  # it holds IBANs: owner only (issue 11)


def test_failed_rendering_writes_nothing(tmp_path):
    target = tmp_path / "opdrachtbrief.pdf"
    with pytest.raises(ValueError):
        write_pdf(target, render_letter([make_letter(total_count=1)]))
    assert os.listdir(tmp_path) == []


def test_failed_write_keeps_the_old_file_and_removes_the_temp_file(tmp_path, monkeypatch):
    target = tmp_path / "opdrachtbrief.pdf"
    old = render_letter([make_letter()])
    write_pdf(target, old)
    os.chmod(target, 0o600)

    def broken_fsync(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(output_module.os, "fsync", broken_fsync)
    with pytest.raises(OSError, match="No space left"):
        write_pdf(target, render_letter([make_letter(msg_id="MSG-NEW")]))
    assert target.read_bytes() == old
    assert os.listdir(tmp_path) == ["opdrachtbrief.pdf"]
    monkeypatch.undo()

    write_pdf(target, render_mandate_forms([make_form()]))
    assert target.stat().st_mode & 0o777 == 0o600  # replacing keeps the file's mode


def test_refuses_data_that_is_not_a_pdf(tmp_path):
    with pytest.raises(ValueError, match="not a PDF"):
        write_pdf(tmp_path / "x.pdf", b"<xml/>")
    assert os.listdir(tmp_path) == []
