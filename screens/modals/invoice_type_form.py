"""An invoice type of an administration, new or edited: code, name and the collection
reason its mandates and orders default to. Stored with add_invoice_type / edit_invoice_type,
the functions `incasso invoice-type` uses."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.app import ComposeResult
from textual.widgets import Input, Select

from incasso_tui.i18n import t
from incasso_tui.services import organisation as org
from screens.modals.setup_form import SetupFormScreen


class InvoiceTypeFormScreen(SetupFormScreen):
    CHECK_KIND = "invoice_type"
    CHECKED = {"code": "code", "name": "name", "collection_reason": "collection_reason"}
    FIELD_KEYS = {
        "administration": "administration",
        "code": "code",
        "name": "name",
        "collection reason": "collection_reason",
    }

    def __init__(
        self,
        *,
        administrations: list[tuple[str, str]],
        administration: str | None = None,
        current: org.InvoiceTypeDetail | None = None,
    ):
        super().__init__()
        self.administrations = administrations
        self.administration = current.administration if current else administration
        self.current = current

    def form_title(self) -> str:
        if self.current is not None:
            return t(
                "Edit invoice type {code} of {administration}",
                code=self.current.code,
                administration=self.current.administration,
            )
        return t("New invoice type")

    def compose_fields(self) -> ComposeResult:
        codes = [code for code, _name in self.administrations]
        yield from self.row(
            "administration",
            "Administration",
            Select(
                [(f"{code} – {name}", code) for code, name in self.administrations],
                value=self.administration
                if self.administration in codes
                else (codes[0] if codes else Select.NULL),
                allow_blank=not codes,
                disabled=self.current is not None,
            ),
        )
        yield from self.row(
            "code",
            "Code",
            Input(
                self.current.code if self.current else "", max_length=20, disabled=self.current is not None
            ),
            "" if self.current else t("unique within the administration, e.g. CONTR"),
        )
        yield from self.row("name", "Name", Input(self.current.name if self.current else "", max_length=70))
        yield from self.row(
            "collection_reason",
            "Collection reason",
            Input(self.current.collection_reason if self.current else "", max_length=140),
            t("optional: the reason its mandates and orders get by default"),
        )

    def on_mount(self) -> None:
        self.field("name" if self.current else "code").focus()

    def save_call(self) -> tuple[Callable[..., Any], tuple[Any, ...]]:
        actor = self.incasso.actor
        name, reason = self.value("name"), self.value("collection_reason")
        if self.current is not None:
            code, adm = self.current.code, self.current.administration
            return (
                lambda: org.edit_invoice_type(
                    actor, code, administration=adm, name=name, collection_reason=reason
                )
            ), ()
        administration = self.field("administration").value
        adm_code = administration if isinstance(administration, str) else ""
        code = self.value("code")
        return (
            lambda: org.add_invoice_type(
                actor, code, administration=adm_code, name=name, collection_reason=reason
            )
        ), ()
