"""The wizard's and the admin forms' texts that are not t("…") literals — field labels,
step titles and hints, list titles — have a Dutch translation, and the admin catalogue keeps
every placeholder of its English text."""

from __future__ import annotations

import re
import string
from pathlib import Path

from incasso_tui import i18n

SCREENS = Path(__file__).resolve().parents[2] / "screens"
FORMS = [
    "modals/administration_form.py",
    "modals/bank_group_form.py",
    "modals/bank_account_form.py",
    "modals/invoice_type_form.py",
    "modals/user_form.py",
    "modals/mandate_settings_form.py",
]
ROW_LABEL = re.compile(r'self\.row\(\s*"[^"]*",\s*"([^"]+)"')


def test_labels_titles_and_hints_are_translated():
    from screens import admin, admin_details, setup_wizard
    from screens.modals import mandate_settings_form

    texts = set()
    for name in FORMS:
        texts.update(ROW_LABEL.findall((SCREENS / name).read_text(encoding="utf-8")))
    for step in setup_wizard.STEPS:
        texts.update([step.title, step.intro])
        texts.update(text for f in step.fields for text in (f.label, f.note) if text)
    texts.update(title for _area, title in admin.ADMIN_LISTS)
    texts.update(admin.SCOPES.values())
    texts.update(setup_wizard.PART_LABELS.values())
    texts.update(mandate_settings_form.SCOPE_LABELS.values())
    texts.update(admin_details.PROFILE_VALUE_LABELS.values())
    for screen in (*vars(admin).values(), *vars(admin_details).values(), setup_wizard.SetupWizardScreen):
        if isinstance(screen, type) and getattr(screen, "TITLE", ""):
            texts.add(screen.TITLE)
    i18n.set_language("nl")
    catalogue = i18n.catalogue()
    assert len(texts) > 60
    assert sorted(x for x in texts if x not in catalogue) == []


def test_the_admin_catalogue_keeps_its_placeholders():
    NL = i18n.catalogue("nl")  # the Dutch .po (incasso_tui/locale)

    def names(text: str) -> set[str]:
        return {f for _, f, _, _ in string.Formatter().parse(text) if f}

    assert len(NL) > 150
    assert [k for k, v in NL.items() if names(k) != names(v)] == []


def test_the_set_up_rules_are_shown_in_dutch_with_their_values():
    from incasso_tui.core.errors import ValidationError
    from screens.modals.form_base import error_text
    from screens.modals.setup_form import localised, rule_text

    i18n.set_language("nl")
    assert rule_text("is 80 characters long (maximum 70)") == "is 80 tekens lang (maximaal 70)"
    assert rule_text("must be a whole number of TARGET2 days from 1 to 60") == (
        "moet een geheel aantal TARGET2-dagen van 1 tot en met 60 zijn"
    )
    assert rule_text("is round") == "is round"  # no translation: as the service words it
    error = ValidationError("name", "is 80 characters long (maximum 70)", "x" * 80)
    assert error_text(localised(error)) == f"naam ({'x' * 80}): is 80 tekens lang (maximaal 70)"
    # A value that looks like markup or a placeholder is kept as it is, escaped.
    error = ValidationError("send command", "cannot be split into arguments ({x} [b]): check the quotes")
    assert error_text(localised(error)) == (
        "verzendcommando: is niet in argumenten te splitsen ({x} \\[b]): controleer de aanhalingstekens"
    )
