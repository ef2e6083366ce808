from __future__ import annotations

import pytest

from incasso_tui.core import config as config_mod

from .helpers import Inbox, free_port

SMTP_USER, SMTP_PASSWORD = "incasso", "s3cret-wachtwoord"


def _start(inbox: Inbox, **params):
    from aiosmtpd.controller import Controller

    controller = Controller(inbox, hostname="127.0.0.1", port=free_port(), **params)
    controller.start()
    return controller


@pytest.fixture
def smtp_server():
    """A real SMTP server on 127.0.0.1 (aiosmtpd, in its own thread); yields (inbox, port)."""
    inbox = Inbox()
    controller = _start(inbox)
    try:
        yield inbox, controller.port
    finally:
        controller.stop()


@pytest.fixture
def smtp_login_server():
    """The same, demanding a login (plain AUTH over the local connection)."""
    from aiosmtpd.smtp import AuthResult, LoginPassword

    def authenticator(server, session, envelope, mechanism, auth_data):
        ok = isinstance(auth_data, LoginPassword) and (auth_data.login, auth_data.password) == (
            SMTP_USER.encode(),
            SMTP_PASSWORD.encode(),
        )
        return AuthResult(success=ok)

    inbox = Inbox()
    controller = _start(inbox, authenticator=authenticator, auth_required=True, auth_require_tls=False)
    try:
        yield inbox, controller.port
    finally:
        controller.stop()


@pytest.fixture
def smtp_toml(smtp_server):
    """An [smtp] section pointing at the test server (no TLS: a local relay)."""
    _, port = smtp_server
    return (
        f'\n[smtp]\nhost = "127.0.0.1"\nport = {port}\nsecurity = "none"\n'
        'from_address = "incasso@example.org"\nfrom_name = "Stichting ZON"\n'
    )


@pytest.fixture(autouse=True)
def _forget_loaded_config(monkeypatch):
    """The job handler reads the configuration its process loaded: none leaks between tests."""
    monkeypatch.setattr(config_mod, "_loaded", None)
