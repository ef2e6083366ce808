"""What the set-up forms (administration, bank group, bank account, invoice type) and the
first-run wizard share: a field checked as it is typed with the rule the services use when
storing (services.organisation.check_field), its error, warnings and derived facts shown
under it; and the warnings of a stored change shown once it is saved.

Every rule is shown in the UI language with its values kept: the services' English rule is
taken apart into its template and values (services.organisation.rule_parts), the template
translated and filled in again."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from textual import on
from textual.app import App
from textual.widgets import Input, Static

from incasso_tui.core.errors import ValidationError
from incasso_tui.i18n import t
from incasso_tui.services.auth import Actor
from incasso_tui.services.organisation import FieldCheck, SetupWarning, check_field, rule_parts
from screens.modals.form_base import FormScreen, error_text
from screens.widgets.formatting import escape

ERROR, WARNING, INFO = "-error", "-warning", ""


def derived_text(derived: Mapping[str, str]) -> str:
    """What a value told about itself: the KvK number inside a creditor identifier, the BIC
    and the bank of an IBAN."""
    parts = []
    if derived.get("kvk"):
        parts.append(t("KvK number") + " " + derived["kvk"])
    if "bic" in derived:
        parts.append(f"BIC {derived['bic']}" if derived["bic"] else t("BIC not derived (enter it if known)"))
    if derived.get("bank"):
        parts.append(t("bank: {bank}", bank=derived["bank"]))
    return " · ".join(parts)


def rule_text(rule: str) -> str:
    """A rule of the set-up services in the UI language, its values kept ("is 80 tekens lang
    (maximaal 70)"); a rule without a translation stays English."""
    template, values = rule_parts(rule)
    return t(template, **values) if values else t(template)


def localised(error: ValidationError) -> ValidationError:
    """`error` with its rule in the UI language (error_text translates the field)."""
    return ValidationError(error.field, rule_text(error.rule), error.value)


def warning_text(warning: SetupWarning) -> str:
    """'<field>: <rule>' of a warning in the UI language (plain text, not markup)."""
    return f"{t(warning.field)}: {rule_text(warning.rule)}"


def typed_note(check: FieldCheck, quiet: bool = False) -> tuple[str, str]:
    """The line under a field for what was typed, as markup, and its state (ERROR, WARNING,
    INFO); `quiet`: nothing for a valid value that tells nothing more. The error and the
    warnings name their field and rule in the UI language, as the form does after saving."""
    if check.error is not None:
        return error_text(localised(check.error)), ERROR
    lines = [escape(warning_text(w)) for w in check.warnings]
    facts = derived_text(check.derived)
    if quiet and not lines and not facts:
        return "", INFO
    head = t("valid") + (f" · {escape(facts)}" if facts else "")
    return "\n".join([head, *lines]), WARNING if lines else INFO


def show_note(note: Static, text: str, state: str) -> None:
    note.update(text)
    note.set_class(state == ERROR, "-error")
    note.set_class(state == WARNING, "-warning")
    note.display = bool(text)


def notify_saved(app: App[Any], message: str, saved: Any) -> None:
    """`message`, and each warning of the stored change (allowed, worth a look)."""
    app.notify(escape(message))
    for warning in getattr(saved, "warnings", ()):
        app.notify(escape(warning_text(warning)), severity="warning", timeout=12)


_D = TypeVar("_D")


class SetupFormScreen(FormScreen):
    """A form whose fields in CHECKED are checked as typed (kind CHECK_KIND of check_field)."""

    CHECK_KIND = ""
    CHECKED: dict[str, str] = {}  # form key -> the check_field field name
    SAY_VALID: frozenset[str] = frozenset()  # keys whose valid value is confirmed ("valid")

    def load_existing(self, show: Callable[[Actor, str], _D], key: str, fill: Callable[[_D], None]) -> None:
        """An edit form's current values: read by the service on a worker, filled in on the
        UI thread."""
        app = self.incasso

        def read() -> None:
            app.call_from_thread(fill, app.call_service(show, app.actor, key))

        self.run_worker(read, thread=True, group="form-load", exit_on_error=False)

    def _show_errors(self, errors: list[ValidationError]) -> None:
        # The services' refusals after saving read as the rules shown while typing.
        super()._show_errors([localised(e) for e in errors])

    def check_context(self, key: str) -> dict[str, str]:
        """The other fields the rule of `key` depends on."""
        return {}

    def idle_note(self, key: str) -> str:
        """The note under an empty field."""
        return ""

    @on(Input.Changed)
    def _typed(self, event: Input.Changed) -> None:
        key = (event.input.id or "").removeprefix("f-")
        check = self.check_typed(key) if key in self.CHECKED else None
        self.after_typed(key, check)

    def after_typed(self, key: str, check: FieldCheck | None) -> None:
        """What follows from `key` (its check, if it has a rule): fields whose rule depends
        on it checked again, a derived value offered (override)."""

    def check_typed(self, key: str) -> FieldCheck | None:
        if not self.is_mounted or not self.query(f"#note-{key}"):
            return None
        note = self.query_one(f"#note-{key}", Static)
        value = self.value(key)
        if not value:
            show_note(note, self.idle_note(key), INFO)
            return None
        check = check_field(self.CHECK_KIND, self.CHECKED[key], value, **self.check_context(key))
        text, state = typed_note(check, quiet=key not in self.SAY_VALID)
        show_note(note, text or self.idle_note(key), state)
        return check
