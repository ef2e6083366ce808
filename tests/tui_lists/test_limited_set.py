"""A limited user sees the part of a set they have rights to, with a line saying how much is
hidden; acting on the whole set stays refused, with a reason (issue #12 item 4a)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from incasso_tui.core.errors import Refused
from incasso_tui.db import database as db
from incasso_tui.db import models as m
from incasso_tui.services.collection import processing, sending, sets
from tests.tui_lists.helpers import demo_sets, spanning_set


def _part(set_id: int, actor) -> tuple[int, int, int, int]:
    """Orders and cents of the set inside and outside the actor's administrations."""
    inside = outside = cents_in = cents_out = 0
    for o in m.CollectionOrder.select().where(m.CollectionOrder.collection_set == set_id):
        if o.administration_id in actor.administration_ids:
            inside, cents_in = inside + 1, cents_in + o.amount_cents
        else:
            outside, cents_out = outside + 1, cents_out + o.amount_cents
    return inside, cents_in, outside, cents_out


@pytest.mark.parametrize("login", ["bram", "anna"])
def test_a_limited_user_sees_the_visible_part_and_how_much_is_hidden(demo, login):
    made = demo_sets(demo)
    set_id = spanning_set(made, login, demo)
    actor = demo(login)
    inside, cents_in, outside, cents_out = _part(set_id, actor)
    detail = sets.set_detail(actor, set_id)
    assert (detail.orders, detail.total_cents) == (inside, cents_in)
    assert (detail.hidden_orders, detail.hidden_cents) == (outside, cents_out)
    assert detail.hidden_administrations >= 1 and not detail.whole
    shown = {row["administration"] for row in detail.order_rows}
    assert shown and all(m.Administration.get(code=c).id in actor.administration_ids for c in shown)
    assert {p["order_id"] for p in detail.preview} <= {row["id"] for row in detail.order_rows}
    assert sets.set_actions(actor, detail) == frozenset()
    # the admin sees it whole, nothing hidden
    whole = sets.set_detail(demo(), set_id)
    assert whole.orders == inside + outside and whole.hidden_orders == 0 and whole.whole


def test_acting_on_a_set_partly_of_others_is_refused_with_the_reason(demo, tmp_path):
    made = demo_sets(demo)
    set_id = spanning_set(made, "anna", demo)  # anna may process, but not all of this set
    anna = demo("anna")
    for act in (
        lambda: processing.process_set(anna, set_id, outbox_dir=tmp_path),
        lambda: sets.delete_set(anna, set_id),
        lambda: sets.change_date(anna, set_id, "2099-01-05"),
        lambda: sending.send_set(anna, set_id),
    ):
        with pytest.raises(Refused, match="administrations you have no rights on"):
            act()
    assert m.CollectionSet.get_by_id(set_id).status == "open"


def test_a_set_of_nobody_visible_stays_not_found(demo):
    made = demo_sets(demo)
    bram = demo("bram")  # ZON only
    for set_id in made.values():
        adms = {
            o.administration_id
            for o in m.CollectionOrder.select().where(m.CollectionOrder.collection_set == set_id)
        }
        if not adms & bram.administration_ids:
            from incasso_tui.core.errors import NotFound

            with pytest.raises(NotFound):
                sets.set_detail(bram, set_id)
            return
    pytest.skip("every demo set holds a ZON order")


def test_set_show_on_the_command_line_shows_the_visible_part(demo, config_file):
    made = demo_sets(demo)
    set_id = spanning_set(made, "bram", demo)
    inside, _, outside, cents_out = _part(set_id, demo("bram"))
    cfg = config_file()
    db.close()
    env = {**os.environ, "USER": "bram", "LOGNAME": "bram"}
    cli = [sys.executable, "-m", "incasso_tui", "--config", str(cfg), "--user", "bram"]
    out = subprocess.run(
        [*cli, "set", "show", str(set_id), "--json"],
        capture_output=True,
        text=True,
        env=env,
        timeout=180,
    )
    assert out.returncode == 0, out.stderr  # refused before: the set spans administrations
    shown = json.loads(out.stdout)
    assert (shown["orders"], shown["hidden_orders"], shown["hidden_cents"]) == (inside, outside, cents_out)


def test_set_show_on_the_cli_says_how_much_is_hidden(demo, config_file):
    import subprocess
    import sys

    from incasso_tui.db import database as db

    made = demo_sets(demo)
    set_id = spanning_set(made, "bram", demo)
    detail = sets.set_detail(demo("bram"), set_id)
    cfg = config_file()
    db.close()
    shown = subprocess.run(
        [
            sys.executable,
            "-m",
            "incasso_tui",
            "--config",
            str(cfg),
            "--user",
            "bram",
            "set",
            "show",
            str(set_id),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert shown.returncode == 0, shown.stderr
    assert f"{detail.hidden_orders} orders of other administrations hidden" in shown.stdout
