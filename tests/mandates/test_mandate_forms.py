"""Mandate form PDFs from stored mandates, read back with pypdf: language of the debtor, the
wording of the scheme and kind, each mandate's data, the batch of unprinted forms (also as
a job in the queue), the administration's own texts."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from incasso_tui.core.errors import Refused, ValidationErrors
from incasso_tui.db import models as m
from incasso_tui.services.mandates import forms as mandate_forms
from incasso_tui.services.mandates import lifecycle as mandates
from incasso_tui.services.mandates import settings as mandate_settings
from incasso_tui.services.mandates.lifecycle import MandateInput


def pages(path) -> list[str]:
    reader = PdfReader(io.BytesIO(path.read_bytes()))
    return [" ".join(page.extract_text().split()) for page in reader.pages]


def test_one_form_in_the_debtors_language_with_its_data(world, tmp_path):
    admin = world.actor()
    mandate = mandates.create_mandate(
        admin, world.company.id, MandateInput(scheme="B2B", invoice_type="HUUR", external_reference="EXT-77")
    )
    result = mandate_forms.print_form(admin, mandate.id, tmp_path / "one.pdf")
    [text] = pages(result.path)
    assert "SEPA-Firmenlastschrift-Mandat (wiederkehrend)" in text  # German debtor, B2B
    assert "nicht berechtigt, nach der Einlösung eine Erstattung" in text  # no refund right
    assert "innerhalb von acht Wochen" not in text
    assert "Müller & Söhne GmbH" in text and "NL20 INGB 0001 2345 67" in text
    assert "EXT-77" in text  # the external reference is the one on the form
    assert world.rijn.creditor_id in text and "Woningbouw Rijnmond" in text
    assert "Huur woning" in text  # the reason of the invoice type
    assert result.marked and m.Mandate.get_by_id(mandate.id).form_printed_at is not None


def test_support_prints_without_marking_and_other_languages_fall_back(world, tmp_path):
    admin = world.actor()
    mandate = mandates.create_mandate(admin, world.private.id, MandateInput(recurrent=False))
    m.Debtor.update(language="fr").where(m.Debtor.id == world.private.id).execute()  # legacy row
    result = mandate_forms.print_form(world.actor("bram"), mandate.id, tmp_path / "x" / "f.pdf")
    [text] = pages(result.path)
    assert "Eenmalige SEPA-machtiging" in text and "Łukasz Żółć" in text
    assert "binnen 8 weken na de afschrijving" in text and "Maandelijkse donatie" in text
    assert not result.marked and m.Mandate.get_by_id(mandate.id).form_printed_at is None


def test_batch_of_unprinted_forms_then_marked(world, tmp_path):
    admin = world.actor()
    done = mandates.create_mandate(admin, world.private.id, MandateInput())
    mandate_forms.print_form(admin, done.id, tmp_path / "done.pdf")
    a = mandates.create_mandate(admin, world.private.id, MandateInput())
    b = mandates.create_mandate(admin, world.company.id, MandateInput())
    ended = mandates.create_mandate(admin, world.private.id, MandateInput())
    mandates.end_mandate(admin, ended.id)
    result = mandate_forms.print_unprinted(admin, tmp_path / "batch.pdf")
    assert result.count == 2 and result.references == ("2001-1", "1001-2")  # RIJN before ZON
    texts = pages(result.path)
    assert len(texts) == 2
    assert "SEPA-Lastschriftmandat (wiederkehrend)" in texts[0] and "2001-1" in texts[0]
    assert "Doorlopende SEPA-machtiging" in texts[1] and "1001-2" in texts[1]
    assert all(m.Mandate.get_by_id(x.id).form_printed_at for x in (a, b))
    assert m.Mandate.get_by_id(ended.id).form_printed_at is None
    with pytest.raises(Refused, match="no mandates whose form has not been printed"):
        mandate_forms.print_unprinted(admin, tmp_path / "again.pdf")
    assert not (tmp_path / "again.pdf").exists()
    # An operator only gets the forms of their own administrations.
    mandates.create_mandate(admin, world.company.id, MandateInput())
    with pytest.raises(Refused):
        mandate_forms.print_unprinted(world.actor("anna"), tmp_path / "anna.pdf")


def test_administration_texts_override_the_built_in_ones(world, tmp_path):
    admin = world.actor()
    texts = tmp_path / "texts.toml"
    texts.write_text(
        '[nl]\ntitle_recurrent = "Doorlopende SEPA-machtiging {creditor_name}"\n'
        'return_to = "Stuur dit formulier terug naar de ledenadministratie."\n',
        encoding="utf-8",
    )
    mandate_settings.set_mandate_settings(admin, "ZON", form_texts=texts)
    mandate = mandates.create_mandate(admin, world.private.id, MandateInput())
    [text] = pages(mandate_forms.print_form(admin, mandate.id, tmp_path / "f.pdf").path)
    assert "Doorlopende SEPA-machtiging Stichting Zonnebloem" in text
    assert "Stuur dit formulier terug naar de ledenadministratie." in text
    texts.write_text('[nl]\ntitle_recurrent = "Machtiging {iban}"\n', encoding="utf-8")
    with pytest.raises(ValidationErrors, match="unknown placeholder"):
        mandate_settings.set_mandate_settings(admin, "ZON", form_texts=texts)
    # Different texts in one batch cannot share a PDF: a clear refusal, not a wrong form.
    mandates.create_mandate(admin, world.private.id, MandateInput())
    mandates.create_mandate(admin, world.company.id, MandateInput())
    with pytest.raises(Refused, match="print their forms separately"):
        mandate_forms.print_unprinted(admin, tmp_path / "mixed.pdf")
    assert mandate_forms.print_unprinted(admin, tmp_path / "rijn.pdf", world.rijn.id).count == 1
    assert mandate_forms.print_unprinted(admin, tmp_path / "zon.pdf").count == 1


def test_batch_as_a_job_in_the_queue(world, tmp_path):
    from incasso_tui.jobs.worker import JobRunner

    admin = world.actor()
    mandates.create_mandate(admin, world.private.id, MandateInput())
    job_id = mandate_forms.queue_unprinted(admin, tmp_path / "queued.pdf", world.zon.id)
    assert m.Job.get_by_id(job_id).payload["administration_id"] == world.zon.id
    assert JobRunner(name="test").run_one(job_id) == "done"
    job = m.Job.get_by_id(job_id)
    assert job.result["count"] == 1 and "1 mandate forms" in job.message
    assert len(pages(tmp_path / "queued.pdf")) == 1
    with pytest.raises(Refused):
        mandate_forms.queue_unprinted(admin, tmp_path / "none.pdf")
