"""The admin area, driven with Pilot: n (new), e (edit) and Enter (details) on each list,
the services' rules shown under the fields, deactivation refused while in use, the mandate
settings as a tab of an administration, and no changing keys for a non-admin."""

from __future__ import annotations

from pilot_helpers import make_app, settle
from schwifty import IBAN

from incasso_tui.db import models as m

from .helpers import CREDITOR_ID, WRONG_CREDITOR_ID, footer_actions, note, notices, select_row, type_into

SIZE = (160, 48)


async def open_list(pilot, number: str) -> None:
    """The admin area (F8) and one of its lists (1-5)."""
    await pilot.press("f8")
    await settle(pilot)
    await pilot.press(number)
    await settle(pilot)


async def save(pilot) -> None:
    await pilot.press("ctrl+s")
    await settle(pilot)
    await settle(pilot)


async def test_administrations_new_edit_details_and_mandate_settings(demo, database):
    app = make_app(database)
    async with app.run_test(size=SIZE) as pilot:
        await open_list(pilot, "1")
        assert app.screen.AREA == "administrations"
        await pilot.press("n")
        await settle(pilot)
        assert type(app.screen).__name__ == "AdministrationFormScreen"
        await type_into(pilot, "f-code", "zon")
        await type_into(pilot, "f-name", "Zon Noord")
        await type_into(pilot, "f-creditor_id", WRONG_CREDITOR_ID)
        typed = note(app, "#note-creditor_id")  # as typed, in Dutch
        assert "controlecijfers (ISO 7064 MOD 97-10, zonder de zakelijke code) kloppen niet" in typed
        assert "check digits" not in typed
        await type_into(pilot, "f-creditor_id", CREDITOR_ID)
        assert "KvK-nummer 12345678" in note(app, "#note-creditor_id")
        await type_into(pilot, "f-kvk", "87654321")
        assert "past niet bij het KvK-nummer 12345678 in het incassant-ID" in note(app, "#note-kvk")
        app.screen.query_one("#f-kvk").value = ""
        await type_into(pilot, "f-street", "Dorpsstraat")
        await save(pilot)
        # The service's rules, under their fields: a street needs a town; the code is taken.
        assert type(app.screen).__name__ == "AdministrationFormScreen"
        assert "plaats: is verplicht bij een straat" in note(app, "#note-town")
        await type_into(pilot, "f-town", "Assen")
        await save(pilot)
        assert "code (ZON): is al in gebruik bij een andere administratie" in note(app, "#note-code")
        await type_into(pilot, "f-code", "NOORD")
        await save(pilot)
        assert app.screen.AREA == "administrations"
        assert any("NOORD opgeslagen" in n for n in notices(app)), notices(app)
        adm = m.Administration.get(m.Administration.code == "NOORD")
        assert (adm.creditor_id, adm.kvk, adm.town) == (CREDITOR_ID, "12345678", "Assen")

        select_row(app, lambda r: r.code == "NOORD")
        await pilot.press("e")
        await settle(pilot)
        assert app.screen.query_one("#f-code").disabled  # a code stays
        assert app.screen.query_one("#f-town").value == "Assen"
        await type_into(pilot, "f-town", "Emmen")
        await save(pilot)
        assert m.Administration.get_by_id(adm.id).town == "Emmen"

        select_row(app, lambda r: r.code == "NOORD")
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen.AREA == "administration"
        assert "Emmen" in str(app.screen.query_one("#detail-facts").render())
        settings = str(app.screen.query_one("#administration-settings").render())
        assert "{debtor}-{seq}" in settings and "één machtiging per debiteur" in settings
        await pilot.press("m")  # the mandate settings tab, and its form
        await settle(pilot)
        from textual.widgets import TabbedContent

        assert type(app.screen).__name__ == "MandateSettingsFormScreen"
        await type_into(pilot, "f-reference_format", "{debtor}")
        await save(pilot)
        assert "{seq}" in note(app, "#note-reference_format")  # the service's rule
        await type_into(pilot, "f-reference_format", "{admin}{debtor}M{seq:3}")
        app.screen.query_one("#f-activate_immediately").value = True
        await save(pilot)
        assert app.screen.AREA == "administration"
        assert app.screen.query_one(TabbedContent).active == "tab-settings"
        adm = m.Administration.get_by_id(adm.id)
        assert (adm.reference_format, adm.activate_immediately) == ("{admin}{debtor}M{seq:3}", True)
        assert "{admin}{debtor}M{seq:3}" in str(app.screen.query_one("#administration-settings").render())

        # Nothing uses it yet: it can be deactivated (and activated again).
        await pilot.press("d", "y")
        await settle(pilot)
        assert m.Administration.get_by_id(adm.id).active is False
        for _ in range(50):  # the details reload in a worker: slower on a busy machine
            if app.screen.check_action("activate", ()) is True:
                break
            await pilot.pause(0.1)
        assert app.screen.check_action("activate", ()) is True
        await pilot.press("a")
        await settle(pilot)
        assert m.Administration.get_by_id(adm.id).active is True


async def test_deactivating_an_administration_in_use_is_refused_with_what_uses_it(demo, database):
    app = make_app(database)
    async with app.run_test(size=SIZE) as pilot:
        await open_list(pilot, "1")
        select_row(app, lambda r: r.code == "ZON")
        await pilot.press("d")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert any("ZON is nog in gebruik" in n and "machtigingen" in n for n in notices(app)), notices(app)
        assert m.Administration.get(m.Administration.code == "ZON").active is True


async def test_bank_groups_new_and_edit_with_the_profile(demo, database, tmp_path):
    app = make_app(database)
    async with app.run_test(size=SIZE) as pilot:
        await open_list(pilot, "2")
        assert app.screen.AREA == "bank_groups"
        await pilot.press("n")
        await settle(pilot)
        form = app.screen
        assert form.query_one("#f-profile").value == "OTHER"
        form.query_one("#f-profile").value = "RABO"
        await pilot.pause()
        assert "1.500" in note(app, "#note-max_per_file")  # the profile's maximum offered
        assert [v for _l, v in form.query_one("#f-pain")._options] == ["pain.008.001.02"]
        await type_into(pilot, "f-code", "RABO2")
        await type_into(pilot, "f-name", "Rabobank twee")
        await type_into(pilot, "f-max_per_file", "2000")
        assert "1500" in note(app, "#note-max_per_file") and form.query_one("#note-max_per_file").has_class(
            "-warning"
        )
        await type_into(pilot, "f-send_command", "upload --to rabo")
        assert "{file}" in note(app, "#note-send_command")
        await save(pilot)
        assert "verzendcommando" in note(app, "#note-send_command")  # refused: under the field
        await type_into(pilot, "f-send_command", "true {file}")
        form.query_one("#f-delivery_dir").value = str(tmp_path)
        await save(pilot)
        assert app.screen.AREA == "bank_groups"
        group = m.BankGroup.get(m.BankGroup.code == "RABO2")
        assert (group.profile, group.max_per_file, group.send_command, group.delivery_dir) == (
            "RABO",
            2000,
            ["true", "{file}"],
            str(tmp_path),
        )
        assert any("1500" in n for n in notices(app))  # the warning, after saving

        select_row(app, lambda r: r.code == "RABO2")
        await pilot.press("e")
        await settle(pilot)
        assert app.screen.query_one("#f-send_command").value == "true {file}"
        app.screen.query_one("#f-max_per_file").value = ""  # back to the profile's
        await save(pilot)
        assert m.BankGroup.get_by_id(group.id).max_per_file is None

        select_row(app, lambda r: r.code == "RABO2")
        await pilot.press("enter")
        await settle(pilot)
        facts = str(app.screen.query_one("#detail-facts").render())
        assert "1500 (van het profiel)" in facts and "Profiel RABO: Rabobank" in facts
        assert "AFAS" in facts  # where the profile's values come from


async def test_bank_accounts_new_edit_and_details(demo, database):
    new_iban = str(IBAN.generate("NL", bank_code="INGB", account_code="0009876543"))
    app = make_app(database)
    async with app.run_test(size=SIZE) as pilot:
        await open_list(pilot, "3")
        assert app.screen.AREA == "bank_accounts"
        before = len(app.screen.table.rows_loaded)
        await pilot.press("n")
        await settle(pilot)
        form = app.screen
        assert type(form).__name__ == "BankAccountFormScreen"
        form.query_one("#f-administration").value = "KLIM"
        form.query_one("#f-bank_group").value = "ABN"
        await type_into(pilot, "f-iban", new_iban[:-1] + ("0" if new_iban[-1] != "0" else "1"))
        assert "IBAN" in note(app, "#note-iban") and form.query_one("#note-iban").has_class("-error")
        await type_into(pilot, "f-iban", new_iban)
        iban_note = note(app, "#note-iban")
        assert "BIC INGBNL2A" in iban_note and "bankgroep ABN heeft profiel ABN" in iban_note  # a warning
        await type_into(pilot, "f-max_per_transaction", "2.500,00")
        await type_into(pilot, "f-max_per_month", "veel")
        await save(pilot)
        assert "maximum per maand" in note(app, "#note-max_per_month")
        await type_into(pilot, "f-max_per_month", "100000")
        await type_into(pilot, "f-signatories", "A. Jansen; B. de Boer")
        await save(pilot)
        assert app.screen.AREA == "bank_accounts"
        assert len(app.screen.table.rows_loaded) == before + 1
        account = m.BankAccount.get(m.BankAccount.iban == new_iban)
        assert (account.administration.code, account.bank_group.code, account.bic) == (
            "KLIM",
            "ABN",
            "INGBNL2A",
        )
        assert (account.max_per_transaction_cents, account.max_per_month_cents) == (250000, 10000000)
        assert account.letter_signatories == "A. Jansen\nB. de Boer"

        select_row(app, lambda r: r.iban == new_iban)
        await pilot.press("e")
        await settle(pilot)
        assert app.screen.query_one("#f-max_per_transaction").value == "2500,00"
        app.screen.query_one("#f-bank_group").value = "ING"
        await type_into(pilot, "f-contact", "Administratie, 050-1234567")
        await save(pilot)
        account = m.BankAccount.get_by_id(account.id)
        assert (account.bank_group.code, account.letter_contact) == ("ING", "Administratie, 050-1234567")

        select_row(app, lambda r: r.iban == new_iban)
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen.AREA == "bank_account"
        facts = str(app.screen.query_one("#detail-facts").render())
        assert "KLIM" in facts and "ING" in facts and "2.500,00" in facts and "B. de Boer" in facts


async def test_invoice_types_and_users(demo, database):
    app = make_app(database)
    async with app.run_test(size=SIZE) as pilot:
        await open_list(pilot, "4")
        assert app.screen.AREA == "invoice_types"
        await pilot.press("n")
        await settle(pilot)
        app.screen.query_one("#f-administration").value = "KLIM"
        await type_into(pilot, "f-code", "contr")
        await type_into(pilot, "f-name", "Contributie 2")
        await save(pilot)
        assert "is al een factuursoort van administratie KLIM" in note(app, "#note-code")
        await type_into(pilot, "f-code", "LID")
        await type_into(pilot, "f-collection_reason", "Lidmaatschap")
        await save(pilot)
        itype = m.InvoiceType.get(m.InvoiceType.code == "LID")
        assert (itype.administration.code, itype.name, itype.collection_reason) == (
            "KLIM",
            "Contributie 2",
            "Lidmaatschap",
        )
        select_row(app, lambda r: r.code == "LID")
        await pilot.press("e")
        await settle(pilot)
        await type_into(pilot, "f-name", "Lidmaatschap")
        await save(pilot)
        assert m.InvoiceType.get_by_id(itype.id).name == "Lidmaatschap"
        select_row(app, lambda r: r.code == "LID")
        await pilot.press("enter")
        await settle(pilot)
        assert "Lidmaatschap" in str(app.screen.query_one("#detail-facts").render())
        await pilot.press("escape")
        await settle(pilot)

        await pilot.press("5")
        await settle(pilot)
        assert app.screen.AREA == "users"
        await pilot.press("n")
        await settle(pilot)
        await type_into(pilot, "f-login", "frank de boer")
        await save(pilot)
        assert "login" in note(app, "#note-login")
        await type_into(pilot, "f-login", "frank")
        await type_into(pilot, "f-name", "Frank de Boer")
        app.screen.query_one("#f-administrations").select("ZON")
        await save(pilot)
        assert app.screen.AREA == "users"
        frank = m.User.get(m.User.login == "frank")
        assert frank.role == "operator"
        assert [
            g.administration.code
            for g in m.UserAdministration.select().where(m.UserAdministration.user == frank)
        ] == ["ZON"]
        select_row(app, lambda r: r.login == "frank")
        await pilot.press("e")
        await settle(pilot)
        app.screen.query_one("#f-role").value = "support"
        app.screen.query_one("#f-administrations").select("KLIM")
        await save(pilot)
        frank = m.User.get_by_id(frank.id)
        grants = {
            g.administration.code
            for g in m.UserAdministration.select().where(m.UserAdministration.user == frank)
        }
        assert frank.role == "support" and grants == {"ZON", "KLIM"}
        select_row(app, lambda r: r.login == "frank")
        await pilot.press("d")
        await settle(pilot)
        assert m.User.get_by_id(frank.id).active is False
        select_row(app, lambda r: r.login == "tester")
        assert app.screen.check_action("deactivate", ()) is False  # not oneself


async def test_a_non_admin_sees_the_lists_without_changing_keys(demo, database):
    from screens.admin import AdministrationsScreen, BankAccountsScreen, BankGroupsScreen, InvoiceTypesScreen

    app = make_app(database, "anna")  # an operator in ZON and KLIM
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        for screen_class in (AdministrationsScreen, BankGroupsScreen, BankAccountsScreen, InvoiceTypesScreen):
            app.push_screen(screen_class())
            await settle(pilot)
            screen = app.screen
            assert screen.table.rows_loaded  # the list, within the rights
            offered = footer_actions(app)
            assert not offered & {"new", "edit", "deactivate", "activate", "setup_wizard"}, offered
            for action in ("new", "edit", "deactivate", "activate"):
                assert screen.check_action(action, ()) is False
            await pilot.press("n")
            await settle(pilot)
            assert app.screen is screen  # no form
            await pilot.press("enter")  # the details: read only
            await settle(pilot)
            assert app.screen is not screen
            assert app.screen.check_action("edit", ()) is False
            assert "edit" not in footer_actions(app)
            await pilot.press("escape")
            await settle(pilot)
            await pilot.press("escape")
            await settle(pilot)
        codes = {a.code for a in m.Administration.select()}
        assert codes == {"ZON", "KLIM", "RIJN"}  # nothing changed
