"""The database: connection, Peewee models, migrations, status enums. No business rules."""
