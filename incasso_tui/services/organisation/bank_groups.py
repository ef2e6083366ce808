"""Bank groups: the built-in bank profiles, and groups that name a profile and override what
they need (pain version, transactions per file, lead days) with their delivery (a directory
and/or a send command) and initiating party. Admins change them; every change is audited."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from typing import Any, cast

import peewee as pw

from incasso_tui.core.errors import NotFound, ValidationError, ValidationErrors
from incasso_tui.db import models as m
from incasso_tui.db.database import write_transaction
from incasso_tui.rules.bank_profiles import PROFILES, BankProfile, get_profile, max_per_file
from incasso_tui.services import audit
from incasso_tui.services.auth import ADMIN, VIEW, Actor
from incasso_tui.services.input_rules import Collector
from incasso_tui.services.organisation import field_checks as rules
from incasso_tui.services.organisation.results import Saved, SetupWarning, stored_fields

# ------------------------------------------------------------------------ profiles

_VALUES = ("max_per_file", "pain_versions", "default_pain", "b2b", "lead_days", "bank_codes")
_SOURCE_OF = {"default_pain": "pain_versions"}
_OWN_SOURCE = {"bank_codes": "the bank code in a Dutch IBAN (NLkk BANK …): recognises the bank"}


@dataclass(frozen=True)
class ProfileValue:
    name: str
    value: Any
    source: str

    def as_dict(self) -> dict[str, Any]:
        value = list(self.value) if isinstance(self.value, tuple) else self.value
        return {"name": self.name, "value": value, "source": self.source}


@dataclass(frozen=True)
class BankProfileInfo:
    """A built-in bank profile: each value with where it comes from."""

    code: str
    name: str
    values: tuple[ProfileValue, ...]

    def value(self, name: str) -> Any:
        return next(v.value for v in self.values if v.name == name)

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "name": self.name, "values": [v.as_dict() for v in self.values]}


def _info(profile: BankProfile) -> BankProfileInfo:
    values = []
    for name in _VALUES:
        source = _OWN_SOURCE.get(name) or profile.sources.get(_SOURCE_OF.get(name, name), "")
        values.append(ProfileValue(name, getattr(profile, name), source))
    return BankProfileInfo(profile.code, profile.name, tuple(values))


def bank_profiles() -> list[BankProfileInfo]:
    """The built-in profiles (ABN, ING, RABO, EQUENS, OTHER), no rights needed."""
    return [_info(p) for p in PROFILES.values()]


def bank_profile(code: str) -> BankProfileInfo:
    """One profile (an unknown code gives OTHER): the defaults a new group of it gets."""
    return _info(get_profile(code))


# ------------------------------------------------------------------------ groups


@dataclass(frozen=True)
class BankGroupDetail:
    id: int
    code: str
    name: str
    profile: str
    profile_name: str
    pain_version: str
    max_per_file: int | None  # the group's own value (None: its profile's)
    max_per_file_applied: int | None  # what splitting uses (None: no limit)
    lead_days: int
    batch_booking: bool
    delivery_dir: str | None
    send_command: tuple[str, ...] | None
    initiating_party: str  # "" : the organisation's name
    accounts: tuple[str, ...]  # IBANs the user may see

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["accounts"] = list(self.accounts)
        data["send_command"] = None if self.send_command is None else list(self.send_command)
        return data


def _detail(actor: Actor, group: m.BankGroup) -> BankGroupDetail:
    rows = cast(
        "Iterable[tuple[str, int]]",
        m.BankAccount.select(m.BankAccount.iban, m.BankAccount.administration)
        .where(m.BankAccount.bank_group == group.id)
        .order_by(m.BankAccount.iban)
        .tuples(),
    )
    return BankGroupDetail(
        group.id,
        group.code,
        group.name,
        group.profile,
        get_profile(group.profile).name,
        group.pain_version,
        group.max_per_file,
        max_per_file(group.profile, group.max_per_file),
        group.lead_days,
        group.batch_booking,
        group.delivery_dir,
        tuple(group.send_command) if group.send_command else None,
        group.initiating_party,
        tuple(iban for iban, adm_id in rows if actor.may(VIEW, adm_id)),
    )


def get_bank_group(actor: Actor, code: str) -> m.BankGroup:
    """A group an admin, or a user with an account in it, may see (codes ignore case)."""
    group = m.BankGroup.get_or_none(m.BankGroup.code == (code or "").strip().upper())
    if group is not None and not actor.is_admin:
        administrations = m.BankAccount.select(m.BankAccount.administration).where(
            m.BankAccount.bank_group == group.id
        )
        if not any(actor.may(VIEW, a.administration_id) for a in administrations):
            group = None
    if group is None:
        raise NotFound("bank group {code} does not exist or is not visible to you", code=code)
    return group


def show_bank_group(actor: Actor, code: str) -> BankGroupDetail:
    return _detail(actor, get_bank_group(actor, code))


_Command = Sequence[str] | str | None


def _validated(
    given: dict[str, Any], current: m.BankGroup | None
) -> tuple[dict[str, Any], list[SetupWarning]]:
    """Values to store for the fields given (None: not given); "" (and 0 for max_per_file)
    clears an optional one."""
    c = Collector()
    warnings: list[SetupWarning] = []
    values: dict[str, Any] = {}

    def check(field: str, **ctx: str) -> None:
        checked: rules.Checked | None = c.run(rules.RULES["bank_group"][field], given[field], ctx)
        if checked is not None:
            warnings.extend(checked.warnings)
            values[field] = checked.value

    if given.get("name") is not None:
        check("name")
    if given.get("profile") is not None:
        check("profile")
    profile = values.get("profile") or (current.profile if current else "")
    if "profile" in c.fields():
        profile = ""  # unknown: the other values cannot be compared with it
    if given.get("pain") is None and current is not None and "profile" in values:
        given["pain"] = current.pain_version  # the version kept must suit the new profile
    if given.get("pain") is not None:
        check("pain", profile=profile)
    elif current is None and profile:
        values["pain"] = get_profile(profile).default_pain
    if given.get("max_per_file") is not None:
        if given["max_per_file"] in (0, "0"):
            given["max_per_file"] = ""
        check("max_per_file", profile=profile)
    if given.get("lead_days") is not None:
        check("lead_days", profile=profile)
    elif current is None and profile:
        values["lead_days"] = get_profile(profile).lead_days
    for field in ("delivery_dir", "send_command", "initiating_party"):
        if given.get(field) is not None:
            check(field)
    if c.errors:
        raise ValidationErrors(c.errors)
    stored = {
        "name": "name",
        "profile": "profile",
        "pain": "pain_version",
        "max_per_file": "max_per_file",
        "lead_days": "lead_days",
        "delivery_dir": "delivery_dir",
        "send_command": "send_command",
        "initiating_party": "initiating_party",
    }
    return {stored[k]: v for k, v in values.items()}, warnings


def add_bank_group(
    actor: Actor,
    code: str,
    *,
    name: str,
    profile: str,
    pain: str | None = None,
    max_per_file: int | str | None = None,
    lead_days: int | str | None = None,
    delivery_dir: str | None = None,
    send_command: _Command = None,
    initiating_party: str = "",
) -> Saved[BankGroupDetail]:
    """A new bank group. Not given: the profile's pain version, maximum per file and lead
    days; no delivery (a set of the group can be processed but not sent until one is set)."""
    actor.require(ADMIN, what="bank groups")
    c = Collector()
    checked_code = c.run(rules.code_rule(), code, {})
    given = {
        "name": name,
        "profile": profile,
        "pain": pain,
        "max_per_file": max_per_file,
        "lead_days": lead_days,
        "delivery_dir": delivery_dir,
        "send_command": send_command,
        "initiating_party": initiating_party,
    }
    try:
        values, warnings = _validated(given, None)
    except ValidationErrors as exc:
        raise ValidationErrors(c.errors + exc.errors) from None
    if c.errors:
        raise ValidationErrors(c.errors)
    group = _store_new(actor, checked_code.value, values)
    return Saved(_detail(actor, group), tuple(warnings), stored_fields(values))


def _code_taken(code: str) -> ValidationError:
    return ValidationError("code", "is already used by another bank group", code)


@write_transaction
def _store_new(actor: Actor, code: str, values: dict[str, Any]) -> m.BankGroup:
    if m.BankGroup.select().where(m.BankGroup.code == code).exists():
        raise ValidationErrors([_code_taken(code)])
    try:
        with m.BankGroup._meta.database.atomic():
            group = m.BankGroup.create(code=code, **values)
    except pw.IntegrityError:
        raise ValidationErrors([_code_taken(code)]) from None
    audit.record(
        actor,
        "bank_group.add",
        group,
        summary=f"bank group {code} {group.name} (profile {group.profile})",
        changes={k: (None, v) for k, v in values.items() if v not in ("", None)},
    )
    return group


def edit_bank_group(
    actor: Actor,
    code: str,
    *,
    name: str | None = None,
    profile: str | None = None,
    pain: str | None = None,
    max_per_file: int | str | None = None,
    lead_days: int | str | None = None,
    delivery_dir: str | None = None,
    send_command: _Command = None,
    initiating_party: str | None = None,
) -> Saved[BankGroupDetail]:
    """Change the fields given (None: keep). "" clears the delivery directory, the send
    command and the initiating party; "" or 0 gives the maximum per file back to the profile.
    A new profile must accept the group's pain version (or give one with it)."""
    actor.require(ADMIN, what="bank groups")
    group = get_bank_group(actor, code)
    given = {
        "name": name,
        "profile": profile,
        "pain": pain,
        "max_per_file": max_per_file,
        "lead_days": lead_days,
        "delivery_dir": delivery_dir,
        "send_command": send_command,
        "initiating_party": initiating_party,
    }
    values, warnings = _validated(given, group)
    changes = audit.diff(group, values)
    if "profile" in changes:
        for iban in _detail(actor, group).accounts:
            mismatch = rules.bank_mismatch(iban, group.code, values["profile"])
            if mismatch:
                warnings.append(mismatch)
    if changes:
        _store_edit(actor, group.id, values)
        group = m.BankGroup.get_by_id(group.id)
    return Saved(_detail(actor, group), tuple(warnings), tuple(changes))


@write_transaction
def _store_edit(actor: Actor, group_id: int, values: dict[str, Any]) -> None:
    group = m.BankGroup.get_by_id(group_id)
    changes = audit.diff(group, values)
    if not changes:
        return
    for key, value in values.items():
        setattr(group, key, value)
    group.save()
    audit.record(
        actor,
        "bank_group.edit",
        group,
        changes=changes,
        summary=f"bank group {group.code}: " + ", ".join(changes),
    )
