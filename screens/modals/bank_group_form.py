"""A bank group, new or edited: the bank profile, and what the group overrides of it (pain
version, transactions per file, lead days), its delivery (a directory and/or a send
command with {file}) and initiating party. Choosing a profile offers its values; stored with
add_bank_group / edit_bank_group, the functions `incasso bank-group` uses."""

from __future__ import annotations

import re
import shlex
from collections.abc import Callable
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.widgets import Input, Select

from incasso_tui.i18n import t
from incasso_tui.services import organisation as org
from screens.modals.setup_form import SetupFormScreen

NUMBER_GROUPING = "."


def thousands(number: int) -> str:
    return f"{number:,}".replace(",", NUMBER_GROUPING)


def profile_options() -> list[tuple[str, str]]:
    return [(f"{p.code} – {p.name}", p.code) for p in org.bank_profiles()]


def pain_options(profile: str) -> list[tuple[str, str]]:
    info = org.bank_profile(profile)
    default = info.value("default_pain")
    return [
        (version + " (" + t("default") + ")" if version == default else version, version)
        for version in info.value("pain_versions")
    ]


def max_per_file_note(profile: str) -> str:
    limit = org.bank_profile(profile).value("max_per_file")
    if limit is None:
        return t("empty: no maximum (profile {profile})", profile=profile)
    return t("empty: {n} transactions per file (profile {profile})", n=thousands(limit), profile=profile)


_PLAIN_ARGUMENT = re.compile(r"[\w@%+=:,./{}-]+")


def command_text(command: tuple[str, ...] | None) -> str:
    """A stored argument list as one line that splits back into the same list (quoted only
    where needed: {file} stays as typed)."""
    if not command:
        return ""
    return " ".join(a if _PLAIN_ARGUMENT.fullmatch(a) else shlex.quote(a) for a in command)


class BankGroupFormScreen(SetupFormScreen):
    CHECK_KIND = "bank_group"
    CHECKED = {
        "code": "code",
        "name": "name",
        "max_per_file": "max_per_file",
        "lead_days": "lead_days",
        "delivery_dir": "delivery_dir",
        "send_command": "send_command",
        "initiating_party": "initiating_party",
    }
    SAY_VALID = frozenset({"delivery_dir", "send_command"})
    FIELD_KEYS = {
        "code": "code",
        "name": "name",
        "profile": "profile",
        "pain version": "pain",
        "maximum per file": "max_per_file",
        "lead days": "lead_days",
        "delivery directory": "delivery_dir",
        "send command": "send_command",
        "initiating party": "initiating_party",
    }

    def __init__(self, code: str | None = None, profile: str = "OTHER"):
        super().__init__()
        self.code = code
        self.profile = profile

    def form_title(self) -> str:
        return t("Edit bank group {code}", code=self.code) if self.code else t("New bank group")

    def compose_fields(self) -> ComposeResult:
        info = org.bank_profile(self.profile)
        yield from self.row(
            "code",
            "Code",
            Input(self.code or "", max_length=20, disabled=self.code is not None),
            "" if self.code else t("short and unique, e.g. ABN"),
        )
        yield from self.row("name", "Name", Input(max_length=70))
        yield from self.row(
            "profile",
            "Bank profile",
            Select(profile_options(), value=info.code, allow_blank=False),
            t("the bank's limits and versions; the values below override them"),
        )
        yield from self.row(
            "pain",
            "Pain version",
            Select(pain_options(info.code), value=info.value("default_pain"), allow_blank=False),
        )
        yield from self.row(
            "max_per_file", "Maximum per file", Input(max_length=9), max_per_file_note(info.code)
        )
        yield from self.row("lead_days", "Lead days", Input(str(info.value("lead_days")), max_length=2))
        yield from self.row(
            "delivery_dir",
            "Delivery directory",
            Input(max_length=400),
            t("optional: sending copies the files here (an existing, writable directory)"),
        )
        yield from self.row(
            "send_command",
            "Send command",
            Input(max_length=400, placeholder="upload-tool --to bank {file}"),
            t("optional: a program and its arguments with {file}, run without a shell"),
        )
        yield from self.row(
            "initiating_party",
            "Initiating party",
            Input(max_length=70),
            t("empty: the organisation's name"),
        )

    def on_mount(self) -> None:
        if self.code is not None:
            self.load_existing(org.show_bank_group, self.code, self._fill)
        else:
            self.field("code").focus()

    def _fill(self, d: org.BankGroupDetail) -> None:
        self.profile = d.profile
        self.field("name").value = d.name
        self.field("profile").value = d.profile
        self._offer_profile(d.profile, keep_lead_days=True)
        self.field("pain").value = d.pain_version
        self.field("max_per_file").value = "" if d.max_per_file is None else str(d.max_per_file)
        self.field("lead_days").value = str(d.lead_days)
        self.field("delivery_dir").value = d.delivery_dir or ""
        self.field("send_command").value = command_text(d.send_command)
        self.field("initiating_party").value = d.initiating_party
        self.field("name").focus()

    @on(Select.Changed, "#f-profile")
    def _profile_changed(self, event: Select.Changed) -> None:
        if isinstance(event.value, str) and event.value != self.profile:
            self._offer_profile(event.value)

    def _offer_profile(self, profile: str, keep_lead_days: bool = False) -> None:
        """The chosen profile's pain versions, and its lead days when the field still holds
        the previous profile's."""
        previous = org.bank_profile(self.profile)
        info = org.bank_profile(profile)
        pain = self.field("pain")
        current = pain.value
        pain.set_options(pain_options(profile))
        versions = info.value("pain_versions")
        pain.value = current if current in versions else info.value("default_pain")
        lead = self.field("lead_days")
        if not keep_lead_days and lead.value.strip() in ("", str(previous.value("lead_days"))):
            lead.value = str(info.value("lead_days"))
        self.profile = profile
        self.check_typed("max_per_file")
        self.check_typed("lead_days")

    def check_context(self, key: str) -> dict[str, str]:
        return {"profile": self.profile} if key in ("max_per_file", "lead_days") else {}

    def idle_note(self, key: str) -> str:
        notes = {
            "code": "" if self.code else t("short and unique, e.g. ABN"),
            "max_per_file": max_per_file_note(self.profile),
            "delivery_dir": t("optional: sending copies the files here (an existing, writable directory)"),
            "send_command": t("optional: a program and its arguments with {file}, run without a shell"),
            "initiating_party": t("empty: the organisation's name"),
        }
        return notes.get(key, "")

    def values(self) -> dict[str, Any]:
        return {
            "name": self.value("name"),
            "profile": str(self.field("profile").value),
            "pain": str(self.field("pain").value),
            "max_per_file": self.value("max_per_file"),
            "lead_days": self.value("lead_days"),
            "delivery_dir": self.value("delivery_dir"),
            "send_command": self.value("send_command"),
            "initiating_party": self.value("initiating_party"),
        }

    def save_call(self) -> tuple[Callable[..., Any], tuple[Any, ...]]:
        actor = self.incasso.actor
        values = self.values()
        if self.code is not None:
            # "" clears the delivery, the command and the initiating party, and gives the
            # maximum per file back to the profile: the form shows what the group has.
            return (lambda: org.edit_bank_group(actor, self.code or "", **values)), ()
        code = self.value("code")
        for key in ("max_per_file", "delivery_dir", "send_command"):
            values[key] = values[key] or None
        return (lambda: org.add_bank_group(actor, code, **values)), ()
