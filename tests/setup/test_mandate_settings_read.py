"""mandate_settings: an administration's mandate settings read as a plain value (what the
admin screens show and the settings form starts from), for whoever may see it."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from incasso_tui.core.errors import NotFound
from incasso_tui.db import models as m
from incasso_tui.services import organisation as org
from incasso_tui.services.auth import actor_for
from incasso_tui.services.mandates.settings import MandateSettings, mandate_settings, set_mandate_settings

from .helpers import CI, CI_2

SCREENS = Path(__file__).resolve().parents[2] / "screens"


def test_the_settings_are_read_as_a_frozen_value(admin, tmp_path):
    org.add_administration(admin, "zon", name="Stichting Zon", creditor_id=CI)
    texts = tmp_path / "texts.toml"
    texts.write_text('[nl]\nreturn_to = "Terug naar de ledenadministratie."\n', encoding="utf-8")
    set_mandate_settings(
        admin,
        "ZON",
        scope="invoice_type",
        auto_create=True,
        reference_format="{admin}-{debtor}-{seq}",
        collection_reason="Contributie",
        pre_notification_days=7,
        notice_margin_days=3,
        form_texts=texts,
    )
    settings = mandate_settings(admin, "zon")  # codes ignore case
    assert settings == MandateSettings(
        "ZON", "invoice_type", True, False, "{admin}-{debtor}-{seq}", "Contributie", 7, 3, True
    )
    assert not isinstance(settings, m.Administration)
    with pytest.raises(dataclasses.FrozenInstanceError):
        settings.scope = "debtor"  # type: ignore[misc]
    assert settings.as_dict()["form_texts_overridden"] is True
    set_mandate_settings(admin, "ZON", form_texts=None)
    assert mandate_settings(admin, "ZON").form_texts_overridden is False


def test_only_who_may_see_the_administration_reads_them(admin):
    org.add_administration(admin, "zon", name="Stichting Zon", creditor_id=CI)
    klim = org.add_administration(admin, "klim", name="De Klimop", creditor_id=CI_2)
    user = m.User.create(login="olga", name="Olga", role="operator")
    m.UserAdministration.create(user=user, administration=klim.detail.id)
    olga = actor_for(user)
    assert mandate_settings(olga, "KLIM").code == "KLIM"
    with pytest.raises(NotFound):
        mandate_settings(olga, "ZON")


def test_the_screens_read_them_through_the_service_not_the_model():
    for name in ("modals/mandate_settings_form.py", "admin_details.py"):
        source = (SCREENS / name).read_text(encoding="utf-8")
        assert "get_administration" not in source, name
    assert "mandate_settings(actor, code)" in (SCREENS / "admin_details.py").read_text(encoding="utf-8")
