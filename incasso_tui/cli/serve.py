"""`incasso serve`: the same terminal application in a browser, through textual-serve.

Every browser session starts `python -m incasso_tui --config PATH` as a child of this process,
so it runs as the login of the OS user who started `incasso serve` — never with --user: a browser
must not be able to act as someone else. Bound to 127.0.0.1 unless --host says otherwise.

textual-serve does not import Textual (it starts the app as a separate process), so this module
stays within the contract "the core runs without Textual"; it is imported lazily all the same
(incasso_tui.cli.web_server), so `incasso --help` does not pay for aiohttp.
"""

from __future__ import annotations

import argparse
import ipaddress
import shlex
import socket
import sys

from incasso_tui.cli.common import Subparsers, session
from incasso_tui.core import config as config_mod
from incasso_tui.core.errors import UsageError, ValidationError

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000

AS_WHOM = (
    "Every browser session runs as the login of the process owner "
    "(the OS user who started `incasso serve`); the browser has no login of its own."
)
NETWORK_WARNING = (
    "WARNING: listening on {host}, not on localhost: the app is reachable from the network "
    "WITHOUT a login of its own. Every browser session runs as the login of the process owner ({login})."
)


def register(sub: Subparsers) -> None:
    description = (
        "serve the application to a browser (textual-serve). Listens on "
        f"{DEFAULT_HOST}:{DEFAULT_PORT} by default: only this machine can connect "
        "(from elsewhere use an SSH tunnel: ssh -L 8000:localhost:8000 HOST). " + AS_WHOM + " "
        "Another --host makes the app reachable from the network WITHOUT a login of its own. "
        "Ctrl+C stops it."
    )
    p = sub.add_parser("serve", help="serve the application to a browser", description=description)
    p.add_argument(
        "--host",
        default=DEFAULT_HOST,
        help=f"address to listen on (default {DEFAULT_HOST}; anything else opens it to the network)",
    )
    p.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"port (default {DEFAULT_PORT})")
    p.set_defaults(handler=cmd_serve)


def cmd_serve(args: argparse.Namespace) -> int:
    if args.user:
        raise UsageError("serve does not take --user: every browser session runs as the process owner")
    if not 1 <= args.port <= 65535:
        raise ValidationError("port", "must be 1 to 65535", args.port)
    # Config, schema and the owner's account are checked once here, not in every browser session.
    s = session(args)
    login = s.actor.login
    from incasso_tui.services.session import close_database

    close_database()  # the sessions open their own connections; this process needs none
    addresses = _bindable(args.host, args.port)
    try:
        from incasso_tui.cli.web_server import IncassoServer
    except ModuleNotFoundError as exc:
        if exc.name not in ("textual_serve", "aiohttp", "aiohttp_jinja2", "jinja2"):
            raise
        raise UsageError(f"incasso serve needs the package textual-serve ({exc.name} is missing)") from None

    local = all(ipaddress.ip_address(a).is_loopback for a in addresses)
    url = f"http://{_url_host(args.host)}:{args.port}/"
    print(f"Serving incasso on {url} as {login} (Ctrl+C stops)", flush=True)
    print(AS_WHOM, flush=True)
    if not local:
        print(NETWORK_WARNING.format(host=args.host, login=login), file=sys.stderr, flush=True)
    server = IncassoServer(app_command(args), host=args.host, port=args.port, loopback_only=local)
    try:
        server.serve()
    except OSError as exc:  # the port was taken between the check and the start
        raise UsageError(_cannot_listen(args.host, args.port, exc)) from None
    print("incasso serve: stopped", flush=True)
    return 0


def app_command(args: argparse.Namespace) -> str:
    """The shell command textual-serve runs per browser session: this app, this configuration."""
    path, _explicit = config_mod.locate(args.config)
    command = [sys.executable, "-m", "incasso_tui"]
    if path is not None:
        command += ["--config", str(path.resolve())]
    if args.no_mouse:
        command.append("--no-mouse")
    return shlex.join(command)


def _bindable(host: str, port: int) -> list[str]:
    """The addresses `host` stands for, after checking the port can be listened on: a port in use
    or an unknown host is one clear line before anything starts."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except (socket.gaierror, UnicodeError) as exc:
        raise UsageError(f"--host {host}: not an address of this machine ({exc})") from None
    for family, kind, proto, _name, sockaddr in infos:
        with socket.socket(family, kind, proto) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as aiohttp does
            try:
                probe.bind(sockaddr)
            except OSError as exc:
                raise UsageError(_cannot_listen(host, port, exc)) from None
    return sorted({str(info[4][0]).split("%")[0] for info in infos})


def _cannot_listen(host: str, port: int, exc: OSError) -> str:
    return f"cannot listen on {host} port {port}: {exc.strerror or exc}"


def _url_host(host: str) -> str:
    if host in ("0.0.0.0", "::", ""):  # every address: a browser elsewhere uses this machine's name
        return socket.gethostname()
    return f"[{host}]" if ":" in host else host
