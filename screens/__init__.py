"""Textual screens and widgets. They call services (on worker threads), never SQL or SEPA rules."""
