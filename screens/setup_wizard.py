"""The first-run wizard: a database without administrations opens it for an admin.

Organisation → first administration → bank account → bank group → done, landing on Home.
Each field is checked as it is typed with the rule the services store with
(services.organisation.check_field), its message in the UI language; Next checks the whole
step. Nothing is stored before the last step: then set_up_organisation stores the
organisation's name, the administration, the bank group and the bank account in one
transaction — all of it, or nothing when a part is refused (a code or IBAN taken meanwhile);
the refusal is shown under its field on the step it concerns.

What was typed is kept for the session (Escape leaves the wizard, `w` in Administrations
resumes it at the same step); nothing is stored, so after quitting the wizard opens again.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from weakref import WeakKeyDictionary

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, ContentSwitcher, Input, Label, Select, Static

from incasso_tui.core.errors import IncassoError, ValidationError
from incasso_tui.i18n import t
from incasso_tui.services import organisation as org
from incasso_tui.services.auth import Actor
from screens.base import AreaScreen, error_message
from screens.modals.bank_group_form import pain_options, profile_options, thousands
from screens.modals.form_base import error_text
from screens.modals.setup_form import ERROR, INFO, localised, show_note, typed_note, warning_text
from screens.widgets.formatting import SAFE_INPUT, escape

if TYPE_CHECKING:
    from incasso_tui.app import IncassoApp


@dataclass(frozen=True)
class WizardField:
    key: str  # the draft's key; the widget is #w-<key>, its note #wn-<key>
    label: str
    rule: tuple[str, str] | None = None  # (check_field kind, field) checked as typed
    max_length: int = 70
    note: str = ""  # shown under an empty field
    placeholder: str = ""
    select: bool = False


@dataclass(frozen=True)
class Step:
    id: str
    title: str
    intro: str
    fields: tuple[WizardField, ...] = ()


STEPS = (
    Step(
        "organisation",
        "Organisation",
        "The name of your organisation: it submits the files to the bank (their initiating party).",
        (WizardField("org_name", "Organisation name", ("organisation", "name")),),
    ),
    Step(
        "administration",
        "Administration",
        "The first creditor: its name as the files carry it and the creditor identifier "
        "(Incassant ID) your bank issued for direct debits.",
        (
            WizardField(
                "adm_code",
                "Code",
                ("administration", "code"),
                20,
                "short and unique, e.g. MAIN; it cannot be changed later",
            ),
            WizardField("adm_name", "Name", ("administration", "name")),
            WizardField(
                "adm_creditor_id",
                "Creditor ID",
                ("administration", "creditor_id"),
                35,
                "the creditor identifier (Incassant ID) your bank issued",
                "NL00ZZZ000000000000",
            ),
            WizardField(
                "adm_kvk",
                "KvK number",
                ("administration", "kvk"),
                12,
                "empty: the KvK number inside a Dutch creditor identifier",
            ),
            WizardField("adm_street", "Street", ("administration", "street")),
            WizardField("adm_building_number", "Building number", ("administration", "building_number"), 16),
            WizardField("adm_postcode", "Postcode", ("administration", "postcode"), 16),
            WizardField("adm_town", "Town", ("administration", "town"), 35),
            WizardField("adm_country", "Country", ("administration", "country"), 2),
        ),
    ),
    Step(
        "bank_account",
        "Bank account",
        "The account the collections are paid into. The BIC is derived from the IBAN and the "
        "bank recognised.",
        (
            WizardField("acc_iban", "IBAN", ("bank_account", "iban"), 42),
            WizardField("acc_bic", "BIC", ("bank_account", "bic"), 11, "empty: derived from the IBAN"),
        ),
    ),
    Step(
        "bank_group",
        "Bank group",
        "How the files go to the bank. The profile of the bank recognised from the IBAN is "
        "chosen, with its values filled in; the delivery may also be set later.",
        (
            WizardField("grp_profile", "Bank profile", select=True),
            WizardField("grp_code", "Code", ("bank_group", "code"), 20, "short and unique, e.g. ABN"),
            WizardField("grp_name", "Name", ("bank_group", "name")),
            WizardField("grp_pain", "Pain version", select=True),
            WizardField("grp_max_per_file", "Maximum per file", ("bank_group", "max_per_file"), 9),
            WizardField("grp_lead_days", "Lead days", ("bank_group", "lead_days"), 2),
            WizardField(
                "grp_delivery_dir",
                "Delivery directory",
                ("bank_group", "delivery_dir"),
                400,
                "optional: sending copies the files here (an existing, writable directory)",
            ),
            WizardField(
                "grp_send_command",
                "Send command",
                ("bank_group", "send_command"),
                400,
                "optional: a program and its arguments with {file}, run without a shell",
                "upload-tool --to bank {file}",
            ),
        ),
    ),
    Step(
        "done",
        "Done",
        "Check what will be stored. Ctrl+S stores it all; until then nothing is stored.",
    ),
)
LAST = len(STEPS) - 1
FIELDS = {f.key: f for step in STEPS for f in step.fields}
STEP_OF = {f.key: number for number, step in enumerate(STEPS) for f in step.fields}
# The fields a stored part names in its errors -> the wizard's keys.
ERROR_KEYS = {
    "organisation": {"name": "org_name"},
    "administration": {
        "code": "adm_code",
        "name": "adm_name",
        "creditor identifier": "adm_creditor_id",
        "KvK number": "adm_kvk",
        "street": "adm_street",
        "building number": "adm_building_number",
        "postcode": "adm_postcode",
        "town": "adm_town",
        "country": "adm_country",
    },
    "bank_group": {
        "code": "grp_code",
        "name": "grp_name",
        "profile": "grp_profile",
        "pain version": "grp_pain",
        "maximum per file": "grp_max_per_file",
        "lead days": "grp_lead_days",
        "delivery directory": "grp_delivery_dir",
        "send command": "grp_send_command",
    },
    "bank_account": {
        "IBAN": "acc_iban",
        "BIC": "acc_bic",
        "administration": "adm_code",
        "bank group": "grp_code",
    },
}
# Fields whose valid value is confirmed under them (the others show their hint).
SAY_VALID = frozenset(
    {"adm_creditor_id", "adm_kvk", "acc_iban", "acc_bic", "grp_delivery_dir", "grp_send_command"}
)
PART_LABELS = {
    "organisation": "Organisation",
    "administration": "Administration",
    "bank_account": "Bank account",
    "bank_group": "Bank group",
}
PART_STEP = {"organisation": 0, "administration": 1, "bank_account": 2, "bank_group": 3}
# The bank group's values a profile fills in (the user may change them).
PROFILE_DEFAULTS = ("grp_code", "grp_name", "grp_pain", "grp_max_per_file", "grp_lead_days")


@dataclass
class SetupDraft:
    """What was typed in the wizard this session (nothing of it is stored until the end)."""

    step: int = 0
    values: dict[str, str] = field(default_factory=lambda: {"adm_country": "NL"})
    auto: dict[str, str] = field(default_factory=dict)  # values the wizard filled in itself

    def get(self, key: str) -> str:
        return self.values.get(key, "")


_DRAFTS: WeakKeyDictionary[Any, SetupDraft] = WeakKeyDictionary()


def has_draft(app: Any) -> bool:
    """Whether the wizard was left unfinished in this session (it can be resumed)."""
    return app in _DRAFTS


def draft_of(app: Any) -> SetupDraft:
    """The app's draft: kept as long as the app runs, never written anywhere."""
    if app not in _DRAFTS:
        _DRAFTS[app] = SetupDraft()
    return _DRAFTS[app]


# --------------------------------------------------------------------------- opening


def empty_database(app: IncassoApp) -> None:
    """At start, on a database without administrations: the wizard for an admin; anyone
    else is told that an admin must set up first."""
    if app.actor.is_admin:
        open_setup_wizard(app)
    else:
        app.notify(
            t(
                "No administration is set up for you yet. An admin must set up the organisation "
                "first (the set-up wizard opens when an admin starts incasso), or give you rights."
            ),
            severity="warning",
            timeout=30,
        )


def open_setup_wizard(app: IncassoApp) -> None:
    if not app.actor.is_admin:
        app.notify(t("Only an admin can set up the organisation"), severity="warning")
        return
    if not isinstance(app.screen, SetupWizardScreen):
        app.push_screen(SetupWizardScreen())


def suggested_code(name: str) -> str:
    """An administration code from the organisation's name: the initials of a name of
    several words, else its first letters (upper case, at most 6)."""
    words = [w for w in re.split(r"[^A-Za-z0-9]+", name) if w]
    code = "".join(w[0] for w in words) if len(words) > 1 else (words[0] if words else "")
    return code.upper()[:6]


# --------------------------------------------------------------------------- storing


def _or_none(text: str) -> str | None:
    return text or None


def store_setup(actor: Actor, v: dict[str, str], max_default: str) -> org.SetUpResult:
    """Store what was typed with set_up_organisation: all of it in one transaction, or
    nothing (SetUpFailed names the part refused)."""
    max_per_file = v.get("grp_max_per_file", "")
    return org.set_up_organisation(
        actor,
        organisation_name=v.get("org_name", ""),
        administration={
            "code": v.get("adm_code", ""),
            "name": v.get("adm_name", ""),
            "creditor_id": v.get("adm_creditor_id", ""),
            "kvk": v.get("adm_kvk", ""),
            "street": v.get("adm_street", ""),
            "building_number": v.get("adm_building_number", ""),
            "postcode": v.get("adm_postcode", ""),
            "town": v.get("adm_town", ""),
            "country": (v.get("adm_country", "") or "NL").upper(),
        },
        bank_group={
            "code": v.get("grp_code", ""),
            "name": v.get("grp_name", ""),
            "profile": v.get("grp_profile", "OTHER"),
            "pain": v.get("grp_pain", ""),
            # The profile's own value is not pinned: the group follows its profile.
            "max_per_file": None if max_per_file in ("", max_default) else max_per_file,
            "lead_days": v.get("grp_lead_days", ""),
            "delivery_dir": _or_none(v.get("grp_delivery_dir", "")),
            "send_command": _or_none(v.get("grp_send_command", "")),
        },
        bank_account={"iban": v.get("acc_iban", ""), "bic": v.get("acc_bic", "")},
    )


# --------------------------------------------------------------------------- the screen


class Page(VerticalScroll, can_focus=False):
    """A step's fields: scrolls on a small terminal; Tab goes from field to field."""


class SetupWizardScreen(AreaScreen):
    AREA = "setup"
    TITLE = "Set-up"
    CSS_PATH = "../styles/admin.tcss"
    HELP = """
# Set-up

Sets up the organisation in four steps: its name, the first administration (creditor), the
bank account the collections are paid into, and the bank group through which the files go
to the bank. Each field is checked as you type, with the rule the CLI uses too; the creditor
identifier and the IBAN show what is wrong with them under the field.

**Ctrl+N** (or Enter on the last field) goes to the next step, **Ctrl+B** back to the previous
one, **Ctrl+S** on the last step stores everything at once. Nothing is stored before that,
and nothing when a part is refused (a code taken meanwhile): its step shows why.
**Escape** leaves the wizard: what you typed is kept until you quit; **w** in Administrations
(F8) resumes it. After quitting, the wizard opens again as long as nothing is set up.

Later changes, more administrations, bank accounts, bank groups and invoice types: the admin
area (F8, then 1-5).
"""
    BINDINGS = [
        Binding("escape", "leave", "Leave", id="setup-leave"),
        Binding("ctrl+b", "previous", "Previous step", id="setup-previous"),
        Binding("ctrl+n", "next", "Next step", id="setup-next"),
        Binding("ctrl+s", "finish", "Set up", priority=True, id="setup-finish"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.draft = SetupDraft()
        self.saving = False

    # --- building -------------------------------------------------------------------------
    def compose_body(self) -> ComposeResult:
        self.draft = draft_of(self.app)
        with Vertical(id="wizard"):
            yield Static("", id="wizard-steps")
            yield Static("", id="wizard-intro")
            yield Static("", id="wizard-error", classes="form-error")
            with ContentSwitcher(id="wizard-pages", initial=f"step-{STEPS[self.draft.step].id}"):
                for step in STEPS:
                    # The summary scrolls by keys; a step with fields goes field to field.
                    page = VerticalScroll if step.id == "done" else Page
                    with page(id=f"step-{step.id}", classes="wizard-page"):
                        if step.id == "done":
                            yield Static("", id="wizard-summary")
                        for spec in step.fields:
                            yield from self._row(spec)
            with Horizontal(id="wizard-buttons"):
                yield Button(t("Previous step"), id="wizard-previous", compact=True)
                yield Button(t("Next step"), id="wizard-next", variant="primary", compact=True)
                yield Button(t("Set up"), id="wizard-finish", variant="success", compact=True)
                yield Button(t("Leave"), id="wizard-leave", compact=True)

    def _row(self, spec: WizardField) -> ComposeResult:
        value = self.draft.get(spec.key)
        widget: Input | Select[str]
        if spec.select:
            profile = self.draft.get("grp_profile") or "OTHER"
            options = profile_options() if spec.key == "grp_profile" else pain_options(profile)
            if value not in [option for _label, option in options]:
                # What the wizard shows before anyone chose: its own value, not the user's.
                value = (
                    "OTHER" if spec.key == "grp_profile" else org.bank_profile(profile).value("default_pain")
                )
                self.draft.values[spec.key] = self.draft.auto[spec.key] = value
            widget = Select(options, value=value, allow_blank=False)
        else:
            widget = Input(
                value,
                max_length=spec.max_length,
                placeholder=spec.placeholder,
                highlighter=SAFE_INPUT,
            )
        widget.id = f"w-{spec.key}"
        widget.compact = True
        note = Static(t(spec.note) if spec.note else "", id=f"wn-{spec.key}", classes="field-note")
        note.display = bool(spec.note)
        with Vertical(classes="form-field"):
            with Horizontal(classes="form-row"):
                yield Label(t(spec.label), classes="form-label")
                yield widget
            yield note

    def on_mount(self) -> None:
        self.incasso.mark_first_screen()
        if not self.draft.get("org_name"):
            self.run_service(org.organisation_name, then=self._known_name, group="setup-name")
        self.show_step(self.draft.step)
        for key in FIELDS:
            if self.draft.get(key):
                self.check_typed(key)

    def _known_name(self, name: str) -> None:
        if name and not self.draft.get("org_name"):
            self.widget("org_name").value = name

    # --- fields ---------------------------------------------------------------------------
    def widget(self, key: str) -> Any:
        return self.query_one(f"#w-{key}")

    def note(self, key: str) -> Static:
        return self.query_one(f"#wn-{key}", Static)

    def value(self, key: str) -> str:
        value = self.widget(key).value
        return value.strip() if isinstance(value, str) else ""

    def context(self, key: str) -> dict[str, str]:
        if key == "adm_kvk":
            return {"creditor_id": self.value("adm_creditor_id")}
        if key in ("grp_max_per_file", "grp_lead_days"):
            return {"profile": self.value("grp_profile")}
        return {}

    def check_typed(self, key: str, *, empty_too: bool = False) -> org.FieldCheck | None:
        """Check `key` with its rule and show the result under it; an empty field shows its
        hint unless `empty_too` (Next checks required fields)."""
        spec = FIELDS[key]
        value = self.value(key)
        if spec.rule is None:
            return None
        if not value and not empty_too:
            show_note(self.note(key), t(spec.note) if spec.note else "", INFO)
            return None
        check = org.check_field(*spec.rule, value, **self.context(key))
        # An empty optional field is valid: it keeps its hint ("empty: derived from the IBAN").
        text, state = typed_note(check, quiet=key not in SAY_VALID or not value)
        text = text or (t(spec.note) if spec.note else "")
        if key == "acc_iban" and check.ok and check.derived.get("profile"):
            text += "\n" + escape(
                t(
                    "bank recognised: profile {profile} is proposed for the bank group",
                    profile=check.derived["profile"],
                )
            )
        show_note(self.note(key), text, state)
        if key == "adm_creditor_id":
            self.widget("adm_kvk").placeholder = check.derived.get("kvk", "") if check.ok else ""
        return check

    @on(Input.Changed)
    def _typed(self, event: Input.Changed) -> None:
        key = (event.input.id or "").removeprefix("w-")
        if key not in FIELDS:
            return
        self.draft.values[key] = event.value
        self.check_typed(key)
        if key == "adm_creditor_id" and self.value("adm_kvk"):
            self.check_typed("adm_kvk")

    @on(Select.Changed)
    def _chosen(self, event: Select.Changed) -> None:
        key = (event.select.id or "").removeprefix("w-")
        if key not in FIELDS or not isinstance(event.value, str):
            return
        changed = self.draft.values.get(key) != event.value
        self.draft.values[key] = event.value
        if key == "grp_profile" and changed:
            self.apply_profile(event.value)

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        page = self.query_one(f"#step-{STEPS[self.draft.step].id}")
        inputs = [w for w in page.query(Input) if not w.disabled]
        if inputs and event.input is inputs[-1]:
            self.action_next()
        else:
            self.focus_next()

    # --- the bank group's profile -------------------------------------------------------------
    def profile_values(self, profile: str) -> dict[str, str]:
        info = org.bank_profile(profile)
        iban = org.check_field("bank_account", "iban", self.draft.get("acc_iban"))
        bank = iban.derived.get("bank", "") if iban.ok else ""
        limit = info.value("max_per_file")
        return {
            "grp_code": info.code if info.code not in ("OTHER", "EQUENS") else "BANK",
            "grp_name": info.name if info.code != "OTHER" else (bank or info.name),
            "grp_pain": info.value("default_pain"),
            "grp_max_per_file": str(limit) if limit else "",
            "grp_lead_days": str(info.value("lead_days")),
        }

    def apply_profile(self, profile: str) -> None:
        """Offer the profile's pain versions, and fill in its values where the field is
        empty or still holds what the wizard filled in before (what the user typed or chose
        stays, a pain version only while the profile accepts it)."""
        options = pain_options(profile)
        versions = [value for _label, value in options]
        pain = self.widget("grp_pain")
        pain.set_options(options)
        for key, value in self.profile_values(profile).items():
            current = self.draft.get(key)
            keep = bool(current) and current != self.draft.auto.get(key)
            if key == "grp_pain":
                keep = keep and current in versions
            if not keep:
                self.draft.auto[key] = value
                current = value
            self.draft.values[key] = current
            self.widget(key).value = current
        for key in ("grp_max_per_file", "grp_lead_days"):
            self.check_typed(key)

    def propose_profile(self) -> None:
        """On entering the bank group step: the profile of the bank the IBAN is at, unless
        the user chose one."""
        iban = org.check_field("bank_account", "iban", self.draft.get("acc_iban"))
        recognised = (iban.derived.get("profile") if iban.ok else "") or "OTHER"
        chosen = self.draft.get("grp_profile")
        if chosen and chosen != self.draft.auto.get("grp_profile"):
            return
        self.draft.auto["grp_profile"] = recognised
        self.draft.values["grp_profile"] = recognised
        select = self.widget("grp_profile")
        if select.value != recognised:
            select.value = recognised  # Select.Changed applies the profile
        self.apply_profile(recognised)

    # --- steps ----------------------------------------------------------------------------
    def show_step(self, number: int) -> None:
        self.draft.step = number
        step = STEPS[number]
        self.query_one("#wizard-steps", Static).update(self._steps_line(number))
        self.query_one("#wizard-intro", Static).update(
            f"[b]{escape(t(step.title))}[/b]  {escape(t(step.intro))}"
        )
        self.query_one(ContentSwitcher).current = f"step-{step.id}"
        if step.id == "bank_group":
            self.propose_profile()
        if step.id == "administration":
            self._prefill_administration()
        if step.id == "done":
            self.query_one("#wizard-summary", Static).update(self.summary())
        self.query_one("#wizard-previous", Button).display = number > 0
        self.query_one("#wizard-next", Button).display = number < LAST
        self.query_one("#wizard-finish", Button).display = number == LAST
        first = next((f for f in step.fields if not self.widget(f.key).disabled), None)
        if first is not None:
            self.widget(first.key).focus()
        else:
            self.query_one(f"#step-{step.id}").focus()
        self.refresh_bindings()

    def _steps_line(self, current: int) -> str:
        parts = []
        for number, step in enumerate(STEPS):
            label = f"{number + 1} {escape(t(step.title))}"
            if number == current:
                parts.append(f"[reverse b] {label} [/]")
            else:
                parts.append(f"[dim]{label}[/dim]" if number < current else label)
        return " › ".join(parts)

    def _prefill_administration(self) -> None:
        name = self.draft.get("org_name")
        for key, value in (("adm_name", name), ("adm_code", suggested_code(name))):
            current = self.draft.get(key)
            if value and (not current or current == self.draft.auto.get(key)):
                self.draft.auto[key] = value
                self.widget(key).value = value

    def step_errors(self, number: int) -> list[str]:
        """Check every field of a step as it will be stored; show each result; the keys of
        the fields in error."""
        bad = []
        for spec in STEPS[number].fields:
            check: org.FieldCheck | None
            if spec.key == "grp_pain":
                check = org.check_field(
                    "bank_group", "pain", self.value("grp_pain"), profile=self.value("grp_profile")
                )
                if check.error is not None:
                    show_note(self.note("grp_pain"), error_text(localised(check.error)), ERROR)
            else:
                check = self.check_typed(spec.key, empty_too=True)
            if check is not None and not check.ok:
                bad.append(spec.key)
        return bad

    def message(self, text: str) -> None:
        line = self.query_one("#wizard-error", Static)
        line.update(text)
        line.display = bool(text)

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        step = self.draft.step
        if action == "previous":
            return step > 0
        if action == "next":
            return step < LAST
        if action == "finish":
            return step == LAST
        if action == "leave":
            return True
        return super().check_action(action, parameters)

    def action_next(self) -> None:
        if self.saving or self.draft.step >= LAST:
            return
        bad = self.step_errors(self.draft.step)
        if bad:
            self.message(t("Please correct the fields marked below."))
            self.widget(bad[0]).focus()
            return
        self.message("")
        self.show_step(self.draft.step + 1)

    def action_previous(self) -> None:
        if not self.saving and self.draft.step > 0:
            self.message("")
            self.show_step(self.draft.step - 1)

    def action_leave(self) -> None:
        if self.saving:
            return
        self.app.pop_screen()
        self.app.notify(
            t("Set-up paused: nothing is stored yet. Resume it with w in Administrations (F8)."),
            timeout=10,
        )

    def action_back(self) -> None:
        self.action_leave()

    @on(Button.Pressed, "#wizard-previous")
    def _previous_pressed(self) -> None:
        self.action_previous()

    @on(Button.Pressed, "#wizard-next")
    def _next_pressed(self) -> None:
        self.action_next()

    @on(Button.Pressed, "#wizard-finish")
    def _finish_pressed(self) -> None:
        self.action_finish()

    @on(Button.Pressed, "#wizard-leave")
    def _leave_pressed(self) -> None:
        self.action_leave()

    # --- the summary and storing ------------------------------------------------------------
    def summary(self) -> str:
        v = self.draft.get
        iban = org.check_field("bank_account", "iban", v("acc_iban"))
        bic = v("acc_bic") or (iban.derived.get("bic", "") if iban.ok else "")
        address = ", ".join(
            x
            for x in (
                " ".join(y for y in (v("adm_street"), v("adm_building_number")) if y),
                " ".join(y for y in (v("adm_postcode"), v("adm_town")) if y),
                v("adm_country"),
            )
            if x
        )
        delivery = " · ".join(x for x in (v("grp_delivery_dir"), v("grp_send_command")) if x)
        limit = v("grp_max_per_file")
        sections = [
            (t("Organisation"), [(t("Name"), v("org_name"))]),
            (
                t("Administration"),
                [
                    (t("Code"), v("adm_code")),
                    (t("Name"), v("adm_name")),
                    (t("Creditor ID"), v("adm_creditor_id")),
                    (t("KvK number"), v("adm_kvk") or self.widget("adm_kvk").placeholder or "–"),
                    (t("Address"), address or "–"),
                ],
            ),
            (
                t("Bank account"),
                [
                    ("IBAN", v("acc_iban")),
                    ("BIC", bic or "–"),
                    (t("Bank"), iban.derived.get("bank", "") if iban.ok else "–"),
                ],
            ),
            (
                t("Bank group"),
                [
                    (t("Code"), v("grp_code")),
                    (t("Name"), v("grp_name")),
                    (t("Bank profile"), v("grp_profile")),
                    (t("Pain version"), v("grp_pain")),
                    (t("Maximum per file"), thousands(int(limit)) if limit.isdigit() else t("no maximum")),
                    (t("Lead days"), v("grp_lead_days")),
                    (t("Delivery"), delivery or t("none yet: set it before sending (bank groups, e)")),
                ],
            ),
        ]
        lines = []
        for title, pairs in sections:
            lines.append(f"[b]{escape(title)}[/b]")
            lines.extend(f"  [dim]{escape(label):<20}[/dim] {escape(value)}" for label, value in pairs)
            lines.append("")
        return "\n".join(lines)

    def action_finish(self) -> None:
        if self.saving or self.draft.step != LAST:
            return
        for number in range(LAST):
            bad = self.step_errors(number)
            if bad:
                self.show_step(number)
                self.message(t("Please correct the fields marked below."))
                self.widget(bad[0]).focus()
                return
        self.saving = True
        self.message(t("Saving…"))
        app = self.incasso
        values = dict(self.draft.values)
        limit = org.bank_profile(values.get("grp_profile") or "OTHER").value("max_per_file")

        def job() -> None:
            try:
                result = app.call_service(store_setup, app.actor, values, str(limit or ""))
            except IncassoError as exc:
                app.call_from_thread(self._failed, exc)
            else:
                app.call_from_thread(self._done, result)

        self.run_worker(job, thread=True, group="setup-store", exit_on_error=False)

    def _done(self, result: org.SetUpResult) -> None:
        app = self.incasso
        _DRAFTS.pop(app, None)
        self.saving = False
        app.pop_screen()
        app.action_open("home")
        app.notify(
            escape(
                t(
                    "Set up: administration {adm}, bank account {iban} in bank group {group}",
                    adm=result.administration.code,
                    iban=result.bank_account.iban,
                    group=result.bank_group.code,
                )
            ),
            timeout=10,
        )
        for warning in result.warnings:
            app.notify(escape(warning_text(warning)), severity="warning", timeout=15)

    def _failed(self, error: IncassoError) -> None:
        """A refused part: its field errors under their fields on its step (nothing was
        stored); any other refusal in the message line."""
        self.saving = False
        if not self.is_attached:
            return
        if not isinstance(error, org.SetUpFailed):
            self.message(escape(error_message(error)))
            return
        keys = ERROR_KEYS.get(error.part, {})
        placed: dict[str, ValidationError] = {}
        unplaced: list[str] = []
        for e in error.errors:
            key = keys.get(e.field)
            if key is None or key in placed:
                unplaced.append(error_text(localised(e)))
            else:
                placed[key] = e
        self.show_step(STEP_OF[next(iter(placed))] if placed else PART_STEP[error.part])
        for key, e in placed.items():  # show_step checked the fields again; the refusal is what counts
            show_note(self.note(key), error_text(localised(e)), ERROR)
        if error.errors:
            detail = "\n".join(unplaced) or t("Please correct the fields marked below.")
        else:
            detail = escape(error_message(error.cause))
        headline = t("{part} was refused: nothing is stored.", part=t(PART_LABELS[error.part]))
        self.message(f"{escape(headline)}\n{detail}")
        if placed:
            self.widget(next(iter(placed))).focus()
