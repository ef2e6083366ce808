"""Peewee models for every entity in DESIGN.md. Constraints and indexes only; rules live in services.

Money is an integer number of euro cents (BigIntegerField). Status values are
short English codes; the UI translates them.
"""

from __future__ import annotations

import json
from typing import Any

import peewee as pw

from incasso_tui.core.clock import now
from incasso_tui.db.database import database
from incasso_tui.rules.search_keys import debtor_keys


class JsonText(pw.TextField):
    """JSON kept as text: identical on SQLite and PostgreSQL, and readable in a dump."""

    def db_value(self, value):
        return None if value is None else json.dumps(value, sort_keys=True, default=str)

    def python_value(self, value):
        return None if value is None else json.loads(value)


class BaseModel(pw.Model):
    # Every model declares its `id` and, beside each foreign key `x`, the raw key `x_id` that
    # peewee adds: the same schema, spelled out for the type checker.
    class Meta:
        database = database
        legacy_table_names = False


class SchemaVersion(BaseModel):
    id = pw.AutoField()
    version = pw.IntegerField()
    applied_at = pw.DateTimeField(default=now)


class AppMeta(BaseModel):
    """Small facts about the installation, e.g. when the daily mandate check last ran."""

    key = pw.CharField(max_length=64, primary_key=True)
    value = pw.TextField()


class Administration(BaseModel):
    id = pw.AutoField()
    code = pw.CharField(max_length=20, unique=True)
    name = pw.CharField(max_length=140)
    creditor_id = pw.CharField(max_length=35)
    # Chamber of Commerce number (8 digits), the national part of an NL creditor id (v6).
    kvk = pw.CharField(max_length=8, default="")
    street = pw.CharField(max_length=70, default="")
    building_number = pw.CharField(max_length=16, default="")
    postcode = pw.CharField(max_length=16, default="")
    town = pw.CharField(max_length=35, default="")
    country = pw.CharField(max_length=2, default="NL")
    # 'debtor': one mandate per debtor; 'invoice_type': one per debtor and invoice type.
    mandate_scope = pw.CharField(max_length=16, default="debtor")
    auto_create_mandates = pw.BooleanField(default=False)
    activate_immediately = pw.BooleanField(default=False)
    # 'frst_first' (FRST for the first successful collection) or 'always_rcur'.
    sequence_policy = pw.CharField(max_length=16, default="frst_first")
    reference_format = pw.CharField(max_length=60, default="{debtor}-{seq}")
    pre_notification_days = pw.IntegerField(default=14)
    # How many days a collection may fall after the date the debtor was told (the order's
    # requested date) before a new pre-notification is due (schema version 4).
    notice_margin_days = pw.IntegerField(default=5)
    collection_reason = pw.CharField(max_length=140, default="")
    form_overrides = JsonText(null=True)
    active = pw.BooleanField(default=True)
    created_at = pw.DateTimeField(default=now)


class BankGroup(BaseModel):
    id = pw.AutoField()
    code = pw.CharField(max_length=20, unique=True)
    name = pw.CharField(max_length=70)
    pain_version = pw.CharField(max_length=20, default="pain.008.001.02")
    lead_days = pw.IntegerField(default=2)
    batch_booking = pw.BooleanField(default=True)
    delivery_dir = pw.CharField(max_length=400, null=True)
    send_command = JsonText(null=True)  # argument list with a {file} placeholder, no shell
    # Version 6: the bank's profile (rules/bank_profiles.py) and what this group overrides of
    # it: the transactions per file (NULL: the profile's) and the file's initiating party
    # (empty: the organisation's name).
    profile = pw.CharField(max_length=10, default="OTHER")
    max_per_file = pw.IntegerField(null=True)
    initiating_party = pw.CharField(max_length=70, default="")
    created_at = pw.DateTimeField(default=now)


class BankAccount(BaseModel):
    id = pw.AutoField()
    administration = pw.ForeignKeyField(Administration, backref="bank_accounts", on_delete="RESTRICT")
    administration_id: int
    bank_group = pw.ForeignKeyField(BankGroup, backref="bank_accounts", on_delete="RESTRICT")
    bank_group_id: int
    iban = pw.CharField(max_length=34, unique=True)
    bic = pw.CharField(max_length=11, default="")
    bank_name = pw.CharField(max_length=70, default="")
    description = pw.CharField(max_length=70, default="")
    letter_layout = pw.CharField(max_length=20, default="standard")
    letter_contact = pw.CharField(max_length=140, default="")
    letter_signatories = pw.TextField(default="")  # one name per line
    # Version 6: the collection contract's limits (sepa-rules §7), NULL when none.
    max_per_transaction_cents = pw.BigIntegerField(null=True)
    max_per_month_cents = pw.BigIntegerField(null=True)
    active = pw.BooleanField(default=True)


class User(BaseModel):
    id = pw.AutoField()
    login = pw.CharField(max_length=64, unique=True)
    name = pw.CharField(max_length=140, default="")
    role = pw.CharField(max_length=16)  # admin / operator / support
    active = pw.BooleanField(default=True)
    created_at = pw.DateTimeField(default=now)


class UserAdministration(BaseModel):
    id = pw.AutoField()
    user = pw.ForeignKeyField(User, backref="grants", on_delete="CASCADE")
    user_id: int
    administration = pw.ForeignKeyField(Administration, backref="grants", on_delete="CASCADE")
    administration_id: int

    class Meta:
        indexes = ((("user", "administration"), True),)


class Debtor(BaseModel):
    id = pw.AutoField()
    administration = pw.ForeignKeyField(Administration, backref="debtors", on_delete="RESTRICT")
    administration_id: int
    number = pw.CharField(max_length=20)
    name = pw.CharField(max_length=140)
    # Lower-cased name: the debtors list sorts on it.
    name_key = pw.CharField(max_length=140, index=True)
    # Folded name and town (rules/search_keys.py) that searches compare; indexed by a
    # trigram index (FTS5 on SQLite, pg_trgm on PostgreSQL) that migration 9 creates.
    search_key = pw.TextField(default="")
    street = pw.CharField(max_length=70, default="")
    building_number = pw.CharField(max_length=16, default="")
    postcode = pw.CharField(max_length=16, default="")
    town = pw.CharField(max_length=35, default="")
    country = pw.CharField(max_length=2, default="NL")
    language = pw.CharField(max_length=2, default="nl")
    is_business = pw.BooleanField(default=False)
    iban = pw.CharField(max_length=34, default="", index=True)
    bic = pw.CharField(max_length=11, default="")
    email = pw.CharField(max_length=254, default="")
    active = pw.BooleanField(default=True)
    created_at = pw.DateTimeField(default=now)
    updated_at = pw.DateTimeField(default=now)

    class Meta:
        indexes = ((("administration", "number"), True),)

    def save(self, *args: Any, **kwargs: Any) -> Any:
        # The derived keys follow the name and town on every save (a bulk insert passes
        # rules.search_keys.debtor_keys itself).
        for column, value in debtor_keys(self.name, self.town).items():
            setattr(self, column, value)
        return super().save(*args, **kwargs)


class InvoiceType(BaseModel):
    id = pw.AutoField()
    administration = pw.ForeignKeyField(Administration, backref="invoice_types", on_delete="CASCADE")
    administration_id: int
    code = pw.CharField(max_length=20)
    name = pw.CharField(max_length=70)
    collection_reason = pw.CharField(max_length=140, default="")

    class Meta:
        indexes = ((("administration", "code"), True),)


class Mandate(BaseModel):
    id = pw.AutoField()
    administration = pw.ForeignKeyField(Administration, backref="mandates", on_delete="RESTRICT")
    administration_id: int
    debtor = pw.ForeignKeyField(Debtor, backref="mandates", on_delete="RESTRICT")
    debtor_id: int
    invoice_type = pw.ForeignKeyField(InvoiceType, null=True, backref="mandates", on_delete="RESTRICT")
    invoice_type_id: int | None
    scheme = pw.CharField(max_length=4, default="CORE")  # CORE / B2B
    recurrent = pw.BooleanField(default=True)  # False = one-off (OOFF)
    sequence_number = pw.IntegerField()
    reference = pw.CharField(max_length=35)
    external_reference = pw.CharField(max_length=35, null=True)
    # Creditor identifier at creation; uniqueness of references is per creditor id.
    creditor_id = pw.CharField(max_length=35)
    reference_key = pw.CharField(max_length=35)  # upper(reference)
    external_key = pw.CharField(max_length=35, null=True)  # upper(external_reference)
    signed_date = pw.DateField(null=True)
    effective_date = pw.DateField(null=True, index=True)
    end_date = pw.DateField(null=True, index=True)
    last_collection_date = pw.DateField(null=True, index=True)
    status = pw.CharField(max_length=10, default="inactive", index=True)
    status_reason = pw.CharField(max_length=140, default="")
    reason = pw.CharField(max_length=140, default="")  # incassoreden
    b2b_registered = pw.BooleanField(default=False)
    # True once a collection under this mandate was sent and not rejected before settlement.
    collected = pw.BooleanField(default=False)
    final_pending = pw.BooleanField(default=False)
    final_collected = pw.BooleanField(default=False)
    # Pending amendment, carried by the next collection (see sepa.amendment).
    amend_reference = pw.CharField(max_length=35, null=True)
    amend_iban = pw.CharField(max_length=34, null=True)
    amend_smnda = pw.BooleanField(default=False)
    amend_creditor_id = pw.CharField(max_length=35, null=True)
    amend_creditor_name = pw.CharField(max_length=70, null=True)
    form_printed_at = pw.DateTimeField(null=True)
    created_at = pw.DateTimeField(default=now)
    updated_at = pw.DateTimeField(default=now)

    class Meta:
        indexes = (
            (("creditor_id", "reference_key"), True),
            (("creditor_id", "external_key"), True),
            (("debtor", "sequence_number"), True),
            (("administration", "status"), False),
            (("signed_date",), False),
            # The mandates list's default view sorts on it (schema version 3).
            (("reference_key",), False),
        )


class CollectionSet(BaseModel):
    id = pw.AutoField()
    bank_group = pw.ForeignKeyField(BankGroup, backref="sets", on_delete="RESTRICT")
    bank_group_id: int
    created_by = pw.ForeignKeyField(User, backref="sets", on_delete="RESTRICT")
    created_by_id: int
    # open (niet verwerkt) / queued / processed / sent / failed
    status = pw.CharField(max_length=10, default="open", index=True)
    requested_date = pw.DateField()
    collection_date = pw.DateField(null=True)
    selection = JsonText(null=True)
    skipped_administrations = pw.IntegerField(default=0)
    files = JsonText(null=True)  # [{name, scheme, msg_id, sha256, count, total_cents}]
    error = pw.TextField(null=True)
    processed_at = pw.DateTimeField(null=True)
    processed_by = pw.ForeignKeyField(User, null=True, backref="+", on_delete="RESTRICT")
    processed_by_id: int | None
    sent_at = pw.DateTimeField(null=True)
    sent_by = pw.ForeignKeyField(User, null=True, backref="+", on_delete="RESTRICT")
    sent_by_id: int | None
    created_at = pw.DateTimeField(default=now)


class CollectionOrder(BaseModel):
    id = pw.AutoField()
    administration = pw.ForeignKeyField(Administration, backref="orders", on_delete="RESTRICT")
    administration_id: int
    debtor = pw.ForeignKeyField(Debtor, backref="orders", on_delete="RESTRICT")
    debtor_id: int
    mandate = pw.ForeignKeyField(Mandate, null=True, backref="orders", on_delete="RESTRICT")
    mandate_id: int | None
    bank_account = pw.ForeignKeyField(BankAccount, backref="orders", on_delete="RESTRICT")
    bank_account_id: int
    invoice_type = pw.ForeignKeyField(InvoiceType, null=True, backref="orders", on_delete="RESTRICT")
    invoice_type_id: int | None
    invoice_number = pw.CharField(max_length=35, default="")
    amount_cents = pw.BigIntegerField()
    requested_date = pw.DateField(index=True)
    remittance = pw.CharField(max_length=140, default="")
    # open (niet verwerkt) / underway (onderweg) / processed (verwerkt) / rejected / reversed / cancelled
    status = pw.CharField(max_length=10, default="open", index=True)
    collection_set = pw.ForeignKeyField(CollectionSet, null=True, backref="orders", on_delete="SET NULL")
    collection_set_id: int | None
    end_to_end_id = pw.CharField(max_length=35, null=True, unique=True)
    sequence_type = pw.CharField(max_length=4, null=True)
    collection_date = pw.DateField(null=True)
    file_name = pw.CharField(max_length=200, null=True)
    reopened_from = pw.ForeignKeyField("self", null=True, backref="reopened_as", on_delete="SET NULL")
    reopened_from_id: int | None
    # The mandate's last collection date before this order was processed: restored when
    # this collection is rejected before settlement (schema version 4).
    mandate_last_before = pw.DateField(null=True)
    # The mandate's amendment this collection carried when its file was sent (version 4):
    # re-pended when the collection is rejected before settlement (the bank never saw it).
    amendment_sent = JsonText(null=True)
    # Version 6: the last collection under its mandate (FNAL where the policy uses it); the
    # mandate ends once it is collected.
    final = pw.BooleanField(default=False)
    created_by = pw.ForeignKeyField(User, null=True, backref="+", on_delete="SET NULL")
    created_by_id: int | None
    created_at = pw.DateTimeField(default=now)
    updated_at = pw.DateTimeField(default=now)

    class Meta:
        # No (collection_set, status) index: the foreign key's index finds a set's orders, and
        # one more index on status costs ~0.3 s per 100k orders marked underway.
        indexes = ((("administration", "status"), False),)


class Job(BaseModel):
    id = pw.AutoField()
    kind = pw.CharField(max_length=32)
    payload = JsonText(default=dict)
    # queued / running / done / failed / cancelled
    status = pw.CharField(max_length=10, default="queued", index=True)
    progress = pw.IntegerField(default=0)  # per mille
    message = pw.CharField(max_length=200, default="")
    user = pw.ForeignKeyField(User, null=True, backref="jobs", on_delete="SET NULL")
    user_id: int | None
    worker = pw.CharField(max_length=100, null=True)
    created_at = pw.DateTimeField(default=now)
    started_at = pw.DateTimeField(null=True)
    finished_at = pw.DateTimeField(null=True)
    heartbeat_at = pw.DateTimeField(null=True)
    attempts = pw.IntegerField(default=0)
    cancel_requested = pw.BooleanField(default=False)
    error = pw.TextField(null=True)
    result = JsonText(null=True)


class FeedbackFile(BaseModel):
    """An imported bank file (pain.002, camt.053/054), known by its SHA-256 (version 4) and
    by the message it holds: format, message id and sender (version 5), so the same message
    re-encoded is known too."""

    id = pw.AutoField()
    name = pw.CharField(max_length=200)
    sha256 = pw.CharField(max_length=64, unique=True)
    format = pw.CharField(max_length=16)
    version = pw.CharField(max_length=20)
    message_id = pw.CharField(max_length=35)
    created_at_bank = pw.DateTimeField(null=True)
    imported_by = pw.ForeignKeyField(User, null=True, backref="+", on_delete="SET NULL")
    imported_by_id: int | None
    imported_at = pw.DateTimeField(default=now)
    items = pw.IntegerField(default=0)
    accepted = pw.IntegerField(default=0)
    matched = pw.IntegerField(default=0)
    unmatched = pw.IntegerField(default=0)
    # Who made the message (a pain.002's initiating party, a camt's bank and account); NULL
    # for files imported before version 5 (their sender was not kept).
    sender = pw.CharField(max_length=140, null=True)

    class Meta:
        indexes = ((("format", "message_id", "sender"), True),)


class BankFeedback(BaseModel):
    """A reject, return, refund or reversal: from a bank file or entered by hand."""

    id = pw.AutoField()
    order = pw.ForeignKeyField(CollectionOrder, null=True, backref="feedback", on_delete="RESTRICT")
    order_id: int | None
    kind = pw.CharField(max_length=10)  # reject / return / refund / reversal
    # ISO codes are 4 characters; a bank's proprietary code can be longer (version 4: 35).
    reason_code = pw.CharField(max_length=35, default="")
    amount_cents = pw.BigIntegerField(default=0)
    date = pw.DateField()
    source = pw.CharField(max_length=16, default="manual")  # manual / pain.002 / camt.053 / camt.054
    source_file = pw.CharField(max_length=200, null=True)
    source_sha256 = pw.CharField(max_length=64, null=True, index=True)
    source_ref = pw.CharField(max_length=100, null=True)  # EndToEndId as the bank sent it
    action = pw.CharField(max_length=40, default="")
    matched = pw.BooleanField(default=True)
    created_by = pw.ForeignKeyField(User, null=True, backref="+", on_delete="SET NULL")
    created_by_id: int | None
    created_at = pw.DateTimeField(default=now)
    # Version 4: what the bank said, the mandate, and the follow-up a person may owe.
    reason_text = pw.CharField(max_length=500, default="")
    mandate = pw.ForeignKeyField(Mandate, null=True, backref="feedback", on_delete="SET NULL")
    mandate_id: int | None
    mandate_reference = pw.CharField(max_length=35, null=True)
    feedback_file = pw.ForeignKeyField(FeedbackFile, null=True, backref="feedback", on_delete="RESTRICT")
    feedback_file_id: int | None
    pre_settlement = pw.BooleanField(default=False)
    flag = pw.CharField(max_length=16, null=True)  # moi / b2b_refund
    note = pw.CharField(max_length=500, default="")
    needs_decision = pw.BooleanField(default=False, index=True)
    decided_by = pw.ForeignKeyField(User, null=True, backref="+", on_delete="SET NULL")
    decided_by_id: int | None
    decided_at = pw.DateTimeField(null=True)
    # Version 5: whose feedback that matched no order is (the administration of the creditor
    # account of the original file); NULL when nothing said: then only admins see it.
    administration = pw.ForeignKeyField(Administration, null=True, backref="+", on_delete="RESTRICT")
    administration_id: int | None

    class Meta:
        indexes = ((("date",), False),)


class PreNotification(BaseModel):
    """A pre-notification (vooraankondiging) of one order: what the debtor was told (date and
    amount), by which channel and when (schema version 7). Statuses: db/statuses.py
    PreNotificationStatus; an e-mail row is 'sending' (committed) before the SMTP transaction."""

    id = pw.AutoField()
    order = pw.ForeignKeyField(CollectionOrder, backref="pre_notifications", on_delete="CASCADE")
    order_id: int
    collection_set = pw.ForeignKeyField(
        CollectionSet, null=True, backref="pre_notifications", on_delete="SET NULL"
    )
    collection_set_id: int | None
    debtor = pw.ForeignKeyField(Debtor, backref="pre_notifications", on_delete="CASCADE")
    debtor_id: int
    channel = pw.CharField(max_length=8)  # print / email / csv
    recipient = pw.CharField(max_length=254, default="")  # the e-mail address written to
    collection_date = pw.DateField()  # the date stated in the notice
    amount_cents = pw.BigIntegerField()  # the amount stated in the notice
    created_at = pw.DateTimeField(default=now)
    sent_at = pw.DateTimeField(null=True)
    status = pw.CharField(max_length=8, default="pending")
    error = pw.TextField(null=True)
    job = pw.ForeignKeyField(Job, null=True, backref="+", on_delete="SET NULL")
    job_id: int | None
    created_by = pw.ForeignKeyField(User, null=True, backref="+", on_delete="SET NULL")
    created_by_id: int | None


class AuditEntry(BaseModel):
    id = pw.AutoField()
    at = pw.DateTimeField(default=now, index=True)
    user = pw.CharField(max_length=64)  # the login, kept even if the user is removed
    action = pw.CharField(max_length=40)
    object_type = pw.CharField(max_length=30)
    object_id = pw.CharField(max_length=40, null=True)
    administration_id = pw.IntegerField(null=True)
    summary = pw.CharField(max_length=200, default="")
    changes = JsonText(null=True)  # {field: [old, new]}

    class Meta:
        indexes = ((("object_type", "object_id"), False),)


ALL_MODELS = [
    SchemaVersion,
    AppMeta,
    Administration,
    BankGroup,
    BankAccount,
    User,
    UserAdministration,
    Debtor,
    InvoiceType,
    Mandate,
    CollectionSet,
    CollectionOrder,
    Job,
    FeedbackFile,
    BankFeedback,
    AuditEntry,
    PreNotification,
]
