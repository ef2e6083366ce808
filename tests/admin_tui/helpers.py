"""Driving the wizard and the admin screens in the Pilot tests of this folder."""

from __future__ import annotations

from pilot_helpers import settle

CREDITOR_ID = "NL69ZZZ123456780000"  # a valid Dutch creditor identifier (KvK 12345678)
WRONG_CREDITOR_ID = "NL69ZZZ123456780001"  # its check digits do not match
OTHER_CREDITOR_ID = "NL66ZZZ301234560000"  # another valid one (KvK 30123456)
IBAN_ABN = "NL91ABNA0417164300"
IBAN_ING = "NL20INGB0001234567"


def note(app, selector: str) -> str:
    """The text under a field (a wizard note #wn-…, a form note #note-…), as shown."""
    return str(app.screen.query_one(selector).render())


def notices(app) -> list[str]:
    return [n.message for n in app._notifications]


async def type_into(pilot, widget_id: str, text: str) -> None:
    """Focus a field and type `text` key by key, as a person would (the field is emptied
    first: a focused field selects its text)."""
    field = pilot.app.screen.query_one(f"#{widget_id}")
    field.focus()
    await pilot.pause()
    field.value = ""
    await pilot.press(*[{" ": "space"}.get(ch, ch) for ch in text])
    await pilot.pause()


async def wizard_to_done(pilot, delivery_dir: str, org_name: str = "Stichting Zon Noord") -> None:
    """Fill the wizard with valid values, step by step, up to its last step."""
    screen = pilot.app.screen
    await type_into(pilot, "w-org_name", org_name)
    await pilot.press("ctrl+n")
    await settle(pilot)
    await type_into(pilot, "w-adm_creditor_id", CREDITOR_ID)
    screen.query_one("#w-adm_town").value = "Zwolle"
    await pilot.press("ctrl+n")
    await settle(pilot)
    await type_into(pilot, "w-acc_iban", IBAN_ABN)
    await pilot.press("ctrl+n")
    await settle(pilot)
    screen.query_one("#w-grp_delivery_dir").value = delivery_dir
    await pilot.press("ctrl+n")
    await settle(pilot)


def select_row(app, predicate) -> object:
    """Put the list's cursor on the first loaded row matching `predicate`; returns the row."""
    table = app.screen.query_one("#list")
    index = next(i for i, row in enumerate(table.rows_loaded) if predicate(row))
    table.move_cursor(row=index)
    return table.rows_loaded[index]


def footer_actions(app) -> set[str]:
    """The actions the footer offers on the current screen."""
    from textual.widgets._footer import FooterKey

    return {key.action for key in app.screen.query(FooterKey)}
