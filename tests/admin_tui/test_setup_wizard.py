"""The first-run wizard, driven with Pilot: from an empty database to Home, the rule of a
wrong creditor identifier under its field in Dutch, leaving and resuming, nothing stored
when left, a refusal at the end shown on its step with nothing stored, and a non-admin told
that an admin sets up first."""

from __future__ import annotations

from pilot_helpers import make_app, settle

from incasso_tui.db import models as m
from incasso_tui.services import organisation as org
from incasso_tui.services.auth import actor_for

from .helpers import (
    CREDITOR_ID,
    IBAN_ABN,
    IBAN_ING,
    OTHER_CREDITOR_ID,
    WRONG_CREDITOR_ID,
    note,
    notices,
    type_into,
    wizard_to_done,
)

SIZE = (100, 32)


def stored_counts() -> tuple[int, int, int, str]:
    return (
        m.Administration.select().count(),
        m.BankGroup.select().count(),
        m.BankAccount.select().count(),
        org.organisation_name(),
    )


async def test_wizard_from_an_empty_database_to_home(admin, database, tmp_path):
    app = make_app(database)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.screen.AREA == "setup"
        screen = app.screen
        assert "Organisatie" in str(screen.query_one("#wizard-intro").render())
        await type_into(pilot, "w-org_name", "Stichting Zon Noord")
        await pilot.press("enter")  # the last field of the step: the next step
        await settle(pilot)
        assert screen.draft.step == 1
        # The administration's name and code are offered from the organisation's name.
        assert screen.value("adm_name") == "Stichting Zon Noord" and screen.value("adm_code") == "SZN"

        await type_into(pilot, "w-adm_creditor_id", WRONG_CREDITOR_ID)
        # The rule as it is typed, in Dutch: the field, the value and the rule.
        assert note(app, "#wn-adm_creditor_id") == (
            f"incassant-ID ({WRONG_CREDITOR_ID}): de controlecijfers (ISO 7064 MOD 97-10, zonder de "
            "zakelijke code) kloppen niet"
        )
        assert screen.query_one("#wn-adm_creditor_id").has_class("-error")
        await type_into(pilot, "w-adm_creditor_id", "NL69ZZZ1234")
        assert "een Nederlands incassant-ID is NLkkZZZ + KvK-nummer" in note(app, "#wn-adm_creditor_id")
        await type_into(pilot, "w-adm_creditor_id", WRONG_CREDITOR_ID)
        await pilot.press("ctrl+n")
        await settle(pilot)
        assert screen.draft.step == 1  # refused: the rule stays under the field
        assert "Verbeter de velden" in str(screen.query_one("#wizard-error").render())
        assert "kloppen niet" in note(app, "#wn-adm_creditor_id")
        assert "check digits" not in note(app, "#wn-adm_creditor_id")

        await type_into(pilot, "w-adm_creditor_id", CREDITOR_ID)
        assert "KvK-nummer 12345678" in note(app, "#wn-adm_creditor_id")
        assert screen.query_one("#w-adm_kvk").placeholder == "12345678"
        await type_into(pilot, "w-adm_town", "Zwolle")
        await pilot.press("ctrl+n")
        await settle(pilot)

        await type_into(pilot, "w-acc_iban", IBAN_ABN)
        iban_note = note(app, "#wn-acc_iban")
        assert "BIC ABNANL2A" in iban_note and "ABN AMRO" in iban_note and "profiel ABN" in iban_note
        await pilot.press("ctrl+n")
        await settle(pilot)

        # The bank recognised from the IBAN chose the profile; its values are filled in.
        assert [screen.value(k) for k in ("grp_profile", "grp_code", "grp_name", "grp_pain")] == [
            "ABN",
            "ABN",
            "ABN AMRO",
            "pain.008.001.02",
        ]
        assert (screen.value("grp_max_per_file"), screen.value("grp_lead_days")) == ("3000", "2")
        await type_into(pilot, "w-grp_delivery_dir", str(tmp_path / "missing"))
        assert "bestaat niet (maak de map eerst aan" in note(app, "#wn-grp_delivery_dir")
        screen.query_one("#w-grp_delivery_dir").value = str(tmp_path)
        await pilot.press("ctrl+n")
        await settle(pilot)
        summary = str(screen.query_one("#wizard-summary").render())
        assert "SZN" in summary and "ABNANL2A" in summary and str(tmp_path) in summary
        assert stored_counts() == (0, 0, 0, "")  # nothing before the last key

        await pilot.press("ctrl+s")
        await settle(pilot)
        await settle(pilot)
        assert app.screen.AREA == "home"
        assert any("SZN" in n and IBAN_ABN in n for n in notices(app)), notices(app)

    adm = m.Administration.get(m.Administration.code == "SZN")
    assert (adm.name, adm.creditor_id, adm.kvk, adm.town) == (
        "Stichting Zon Noord",
        CREDITOR_ID,
        "12345678",
        "Zwolle",
    )
    group = m.BankGroup.get(m.BankGroup.code == "ABN")
    assert (group.profile, group.pain_version, group.lead_days, group.delivery_dir) == (
        "ABN",
        "pain.008.001.02",
        2,
        str(tmp_path),
    )
    assert group.max_per_file is None  # the profile's value: not pinned as an override
    account = m.BankAccount.get(m.BankAccount.iban == IBAN_ABN)
    assert (account.bic, account.administration_id, account.bank_group_id) == ("ABNANL2A", adm.id, group.id)
    assert org.organisation_name() == "Stichting Zon Noord"
    actions = {a.action for a in m.AuditEntry.select()}
    assert {"administration.add", "bank_group.add", "bank_account.add"} <= actions


async def test_leaving_and_resuming_keeps_what_was_typed_and_stores_nothing(admin, database, tmp_path):
    app = make_app(database)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await type_into(pilot, "w-org_name", "Vereniging De Linde")
        await pilot.press("ctrl+n")
        await settle(pilot)
        await type_into(pilot, "w-adm_creditor_id", CREDITOR_ID)
        await pilot.press("ctrl+b")  # back a step, and forward again: kept
        await settle(pilot)
        assert app.screen.value("org_name") == "Vereniging De Linde"
        await pilot.press("ctrl+n")
        await settle(pilot)
        assert app.screen.value("adm_creditor_id") == CREDITOR_ID

        await pilot.press("escape")  # leave the wizard
        await settle(pilot)
        assert app.screen.AREA == "home"
        assert any("w" in n and "Administraties" in n for n in notices(app))
        assert stored_counts() == (0, 0, 0, "")

        await pilot.press("f8")  # resume: Administrations, w
        await settle(pilot)
        assert app.screen.AREA == "administrations"
        await pilot.press("w")
        await settle(pilot)
        assert app.screen.AREA == "setup"
        assert app.screen.draft.step == 1
        assert app.screen.value("adm_creditor_id") == CREDITOR_ID
        assert app.screen.value("adm_code") == "VDL"
        assert "KvK-nummer 12345678" in note(app, "#wn-adm_creditor_id")
        await pilot.press("escape")
        await settle(pilot)
    assert stored_counts() == (0, 0, 0, "")

    # After quitting nothing was stored: the next start opens the wizard again, empty.
    app = make_app(database)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.screen.AREA == "setup"
        assert app.screen.draft.step == 0 and app.screen.value("org_name") == ""


async def test_a_refusal_in_the_last_part_stores_nothing_and_is_shown_on_its_step(admin, database, tmp_path):
    app = make_app(database)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await wizard_to_done(pilot, str(tmp_path))
        assert app.screen.draft.step == 4
        # Meanwhile another admin sets up an administration with the IBAN the wizard gives.
        org.add_administration(admin, "ELS", name="Elders", creditor_id=OTHER_CREDITOR_ID)
        org.add_bank_group(admin, "ELS", name="Elders bank", profile="ABN")
        org.add_bank_account(admin, administration="ELS", iban=IBAN_ABN, bank_group="ELS")
        before = stored_counts()
        audit_before = m.AuditEntry.select().count()
        await pilot.press("ctrl+s")
        await settle(pilot)
        await settle(pilot)
        screen = app.screen
        assert screen.AREA == "setup" and screen.draft.step == 2  # the bank account's step
        assert "IBAN" in note(app, "#wn-acc_iban") and "is al een bankrekening (administratie ELS)" in note(
            app, "#wn-acc_iban"
        )
        assert screen.query_one("#wn-acc_iban").has_class("-error")
        message = str(screen.query_one("#wizard-error").render())
        assert "Bankrekening is geweigerd: er is niets opgeslagen." in message
        # Nothing of the wizard's: not the organisation's name, the administration or the group.
        assert stored_counts() == before == (1, 1, 1, "Elders")
        assert m.AuditEntry.select().count() == audit_before

        await type_into(pilot, "w-acc_iban", IBAN_ING)
        for _step in range(2):
            await pilot.press("ctrl+n")
            await settle(pilot)
        assert screen.draft.step == 4 and screen.value("grp_profile") == "ING"
        await pilot.press("ctrl+s")
        await settle(pilot)
        await settle(pilot)
        assert app.screen.AREA == "home"
    # Stored once, all together.
    assert stored_counts() == (2, 2, 2, "Stichting Zon Noord")
    account = m.BankAccount.get(m.BankAccount.iban == IBAN_ING)
    assert account.bank_group.code == "ING" and account.administration.code == "SZN"


async def test_a_non_admin_on_an_empty_database_is_told_an_admin_sets_up_first(admin, database):
    m.User.create(login="olga", name="Olga", role="operator")
    app = make_app(database, "olga")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.screen.AREA == "home"  # no wizard for a non-admin
        assert any("beheerder moet eerst de organisatie inrichten" in n for n in notices(app)), notices(app)
        from screens.setup_wizard import open_setup_wizard

        open_setup_wizard(app)  # not even when asked for
        await settle(pilot)
        assert app.screen.AREA == "home"
    assert actor_for(m.User.get(m.User.login == "olga")).is_admin is False


async def test_a_database_with_an_administration_opens_home(demo, database):
    app = make_app(database)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.screen.AREA == "home"
