"""Collection orders and sets: consult/modify, processing, letters, sending, outbox."""
