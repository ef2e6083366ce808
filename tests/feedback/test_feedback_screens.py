"""Pilot: import a pain.002 from the Bank feedback screen (preview, confirm), the reason-code
table, the R-transaction detail, reversing an order from the orders list, the home count."""

from __future__ import annotations

from mandates.pilot import notices, select_row, settle, type_text

from feedback.fixtures import write
from feedback.test_feedback_service import ids_for, sent_set
from incasso_tui.db import models as m
from tests.test_app import make_app


async def test_import_with_preview_then_codes_and_detail(admin, database, tmp_path):
    _cset, orders, core = sent_set(admin, tmp_path)
    path = write(tmp_path, "pain002_03_tx_rejects.xml", **ids_for(orders, core))
    app = make_app(database)
    async with app.run_test(size=(160, 50)) as pilot:
        from screens.feedback import FeedbackScreen
        from screens.modals.feedback_import import FeedbackImportScreen

        await settle(pilot)
        await pilot.press("f")
        await settle(pilot)
        assert isinstance(app.screen, FeedbackScreen)
        assert app.screen.table.row_count == 0
        app.screen.table.focus()
        await pilot.press("i")
        await settle(pilot)
        assert isinstance(app.screen, FeedbackImportScreen)
        await type_text(pilot, str(path))
        await pilot.press("enter")
        await settle(pilot)
        preview = app.screen.query_one("#feedback-effects")
        assert preview.row_count == 3
        summary = str(app.screen.query_one("#feedback-summary").render())
        assert "wijzigt 3 opdrachten en 2 machtigingen" in summary
        assert m.CollectionOrder.get_by_id(orders[0].id).status == "underway"  # nothing stored yet
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert m.CollectionOrder.get_by_id(orders[0].id).status == "rejected"
        assert any("Bankbestand ingelezen" in n for n in notices(app))
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, FeedbackScreen)
        assert app.screen.table.row_count == 3

        await pilot.press("c")
        await settle(pilot)
        from screens.modals.reason_codes import ReasonCodesScreen

        assert isinstance(app.screen, ReasonCodesScreen)
        assert app.screen.query_one("#reason-codes").row_count >= 20
        await pilot.press("escape")
        await settle(pilot)

        select_row(app, lambda r: r.reason_code == "AC04")
        await pilot.press("enter")
        await settle(pilot)
        from screens.modals.feedback_detail import FeedbackDetailScreen

        assert isinstance(app.screen, FeedbackDetailScreen)
        text = str(app.screen.query_one("#feedback-detail").render())
        assert "AC04" in text and "Machtiging blokkeren" in text
        assert app.screen.query_one("#feedback-history").row_count == 2  # collection + reject
        await pilot.press("escape")
        await settle(pilot)

        # The debtor's own R-transactions (f on the debtor's screen).
        from incasso_tui.services.browse import search_debtors
        from screens.feedback import DebtorFeedbackScreen

        debtor_row = next(r for r in search_debtors(app.actor, "").rows if r.id == orders[1].debtor_id)
        app.push_screen(DebtorFeedbackScreen(debtor_row))
        await settle(pilot)
        assert [r.reason_code for r in app.screen.table.rows_loaded] == ["MD01"]
        await pilot.press("escape")
        await settle(pilot)

        # Home: the blocked mandate (AC04) and the revoked one (MD01) count.
        await pilot.press("escape")
        await settle(pilot)
        cards = str(app.screen.query_one("#card-mandates").render())
        assert "Geblokkeerd door bankterugmelding (30 dagen): 2" in cards


async def test_reverse_from_the_orders_list(admin, database, tmp_path):
    _cset, orders, _core = sent_set(admin, tmp_path, n=2)
    app = make_app(database)
    async with app.run_test(size=(160, 50)) as pilot:
        from screens.modals.reverse_form import ReverseFormScreen
        from screens.orders import OrdersScreen

        await settle(pilot)
        app.push_screen(OrdersScreen())
        await settle(pilot)
        app.screen.table.focus()
        row = select_row(app, lambda r: r.id == orders[0].id)
        assert row is not None
        await settle(pilot)
        assert app.screen.check_action("reverse_order", ()) is True
        assert app.screen.check_action("collect_again", ()) is None
        await pilot.press("r")
        await settle(pilot)
        assert isinstance(app.screen, ReverseFormScreen)
        # Before the collection date only a reject is possible; the others say why.
        assert app.screen.allowed == ["reject"]
        assert "on or after the collection date" in str(app.screen.query_one("#note-kind").render())
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, ReverseFormScreen)
        assert m.CollectionOrder.get_by_id(orders[0].id).status == "rejected"
        assert any("afkeuring MS02 vastgelegd" in n for n in notices(app))
        select_row(app, lambda r: r.id == orders[0].id)
        await settle(pilot)
        assert app.screen.check_action("collect_again", ()) is True
