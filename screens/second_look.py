"""The summary shown before processing or sending a set (services.collection.second_look)."""

from __future__ import annotations

from incasso_tui.i18n import t
from incasso_tui.services.collection.second_look import SecondLook
from screens.widgets.formatting import date_text, money_text


def second_look_text(look: SecondLook) -> str:
    """Plain text (the confirm dialog escapes it): one fact a line, the target last."""
    dates = ", ".join(f"{date_text(day)} ({n})" for day, n in look.dates[:6])
    if len(look.dates) > 6:
        dates += f", … (+{len(look.dates) - 6})"
    limit = f" ({t('at most {n} per file', n=look.max_per_file)})" if look.max_per_file else ""
    lines = [
        f"{t('Bank group')}: {look.bank_group} {look.bank_group_name}",
        f"{t('Orders')}: {look.orders}  ·  {t('Total')}: {money_text(look.total_cents)}",
        f"{t('Collection dates')}: {dates or '-'}",
        f"{t('Files')}: {look.files}{limit}",
    ]
    if look.held_back:
        lines.append(t("Held back (not in the file): {n}", n=look.held_back))
    for name in look.file_names[:4]:
        lines.append(f"   {name}")
    if look.delivery_dir:
        lines.append(f"{t('Delivered to')}: {look.delivery_dir}")
    if look.send_command:
        lines.append(f"{t('Send command')}: {' '.join(look.send_command)}")
    if look.action == "send" and not (look.delivery_dir or look.send_command):
        lines.append(t("No delivery directory or send command: configure one first"))
    if look.action == "process":
        lines.append(t("The files are written to the outbox; sending them is the next step."))
    return "\n".join(lines)
