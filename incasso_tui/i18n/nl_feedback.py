"""Dutch catalogue for bank feedback, R-transactions and reversals (storneren)."""

NL = {
    # area, keys and actions
    "Bank feedback": "Bankterugmeldingen",
    "Bank feedback of debtor": "Bankterugmeldingen van debiteur",
    "Import file": "Bestand inlezen",
    "Kind filter": "Soortfilter",
    "Reason filter": "Redenfilter",
    "Period": "Periode",
    "To decide": "Te beslissen",
    "Decide": "Beslissen",
    "Collect again": "Herincasso",
    "Reason codes": "Redencodes",
    "Reverse": "Storneren",
    "Reverse order": "Opdracht storneren",
    "Confirm import": "Inlezen bevestigen",
    "Preview": "Voorbeeld",
    # kinds
    "reject": "afkeuring",
    "return": "terugboeking bank",
    "refund": "terugboeking debiteur",
    "reversal": "herstelboeking",
    "creditor reversal": "herstelboeking incassant",
    "collection": "incasso",
    # list and detail
    "Search end-to-end id, mandate reference or debtor":
        "Zoek op end-to-end-id, machtigingskenmerk of debiteur",
    "Kind": "Soort",
    "Code": "Code",
    "Action": "Actie",
    "Source": "Bron",
    "Reference": "Kenmerk",
    "Order": "Opdracht",
    "Order status": "Status opdracht",
    "Next collection": "Volgende incasso",
    "EndToEndId": "EndToEndId",
    "What": "Wat",
    "Meaning": "Betekenis",
    "Advice": "Advies",
    "Attention": "Let op",
    "Bank text": "Tekst van de bank",
    "Note": "Notitie",
    "Matched no order of ours": "Past bij geen van onze opdrachten",
    "Waits for a decision (d in the list)": "Wacht op een beslissing (d in de lijst)",
    "R-transaction {id}": "R-transactie {id}",
    "History of the mandate": "Historie van de machtiging",
    "Escape closes": "Escape sluit",
    "Collections and R-transactions": "Incasso's en R-transacties",
    "only what waits for a decision": "alleen wat op een beslissing wacht",
    "Blocked by bank feedback (30 days)": "Geblokkeerd door bankterugmelding (30 dagen)",
    "last collection": "laatste incasso",
    # import
    "Import a bank file": "Bankbestand inlezen",
    "File": "Bestand",
    "path of a pain.002, camt.053 or camt.054 file":
        "pad van een pain.002-, camt.053- of camt.054-bestand",
    "Enter shows what the file will change; nothing is stored until you confirm.":
        "Enter toont wat het bestand verandert; er wordt niets opgeslagen voordat u bevestigt.",
    "Enter preview · Ctrl+S confirm · Escape close":
        "Enter voorbeeld · Ctrl+S bevestigen · Escape sluiten",
    "Preview the file first (Enter)": "Bekijk eerst het voorbeeld (Enter)",
    "Reading the file…": "Bestand lezen…",
    "enter the path of the bank file": "vul het pad van het bankbestand in",
    "the path changed since the preview: preview again":
        "het pad is gewijzigd sinds het voorbeeld: bekijk het voorbeeld opnieuw",
    "Bank file imported: {summary}": "Bankbestand ingelezen: {summary}",
    "{file}: already imported {when}; nothing changed":
        "{file}: al ingelezen {when}; er is niets gewijzigd",
    "{file} ({version}, {msg}): {items} R-transaction(s), {accepted} accepted":
        "{file} ({version}, {msg}): {items} R-transactie(s), {accepted} geaccepteerd",
    "would change {orders} order(s) and {mandates} mandate(s)":
        "wijzigt {orders} opdracht(en) en {mandates} machtiging(en)",
    "changed {orders} order(s) and {mandates} mandate(s)":
        "{orders} opdracht(en) en {mandates} machtiging(en) gewijzigd",
    "{unmatched} unmatched, {skipped} skipped, {decide} to decide":
        "{unmatched} niet gevonden, {skipped} overgeslagen, {decide} te beslissen",
    "Not matched ({n}) — recorded for a person to decide":
        "Niet gevonden ({n}) — vastgelegd om te beslissen",
    "Skipped ({n})": "Overgeslagen ({n})",
    "{n} with an unknown reason code: listed under To decide":
        "{n} met een onbekende redencode: staan onder Te beslissen",
    # filters and prompts
    "Reason code, e.g. AM04 (empty: all)": "Redencode, bijv. AM04 (leeg: alle)",
    "a reason code has four letters or digits": "een redencode heeft vier letters of cijfers",
    "From and to, e.g. 2026-11-01..2026-11-30 (one side may be empty; empty: all)":
        "Van en tot, bijv. 2026-11-01..2026-11-30 (een kant mag leeg; leeg: alles)",
    "write two dates as YYYY-MM-DD..YYYY-MM-DD": "schrijf twee datums als JJJJ-MM-DD..JJJJ-MM-DD",
    "the end is before the start": "het einde ligt voor het begin",
    "What was decided about {code} on {ref}?": "Wat is er besloten over {code} bij {ref}?",
    "a note is required": "een notitie is verplicht",
    "Decision recorded": "Beslissing vastgelegd",
    "Requested date of the new order (YYYY-MM-DD; empty: the first date after the "
    "pre-notification period)":
        "Gewenste datum van de nieuwe opdracht (JJJJ-MM-DD; leeg: de eerste datum na de "
        "vooraankondigingstermijn)",
    "Order {id} collected again as order {new}": "Opdracht {id} opnieuw geïncasseerd als opdracht {new}",
    # reason codes screen
    "Reason codes and what the app does": "Redencodes en wat de applicatie doet",
    "Unknown codes are recorded and listed under To decide. Escape closes.":
        "Onbekende codes worden vastgelegd en staan onder Te beslissen. Escape sluit.",
    # reverse form
    "Reverse collection": "Incasso storneren",
    "Reverse order {id} ({amount}, collected {date})":
        "Opdracht {id} storneren ({amount}, geïncasseerd {date})",
    "Reason code": "Redencode",
    "create a new order for the same claim (herincasso)":
        "maak een nieuwe opdracht voor dezelfde vordering (herincasso)",
    "empty: after the pre-notification period": "leeg: na de vooraankondigingstermijn",
    "The full original amount is reversed.": "Het volledige oorspronkelijke bedrag wordt gestorneerd.",
    "Order {id}: {kind} {code} recorded": "Opdracht {id}: {kind} {code} vastgelegd",
    "collected again as order {new}": "opnieuw geïncasseerd als opdracht {new}",
}
