"""`billing-portal`: the command line of the contract's section 1.

Each command imports what it needs when it runs, so `billing-portal token` stays instant and a
missing optional piece of one command cannot break the others.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import sys
from collections.abc import Callable, Sequence

from billing_portal.settings import ConfigurationError, Settings, load_settings

Handler = Callable[[argparse.Namespace, Settings], int]


def _serve(args: argparse.Namespace, settings: Settings) -> int:
    import uvicorn

    from billing_portal.logging_setup import configure_logging
    from billing_portal.stripe_mock import stripe_mock_for

    configure_logging()
    server_options = {"host": args.host, "port": args.port, "log_config": None}
    # Outside prod a local, silent STRIPE_API_BASE means "start stripe-mock for me" (`make run`).
    with stripe_mock_for(settings.api_base) if not settings.is_prod else contextlib.nullcontext():
        if args.workers > 1:
            uvicorn.run("billing_portal.asgi:app", workers=args.workers, **server_options)
        else:
            from billing_portal.app import create_app

            uvicorn.run(create_app(settings), **server_options)
    return 0


def _migrate(_: argparse.Namespace, settings: Settings) -> int:
    from billing_portal.database import migrate

    asyncio.run(migrate(settings.database_url))
    print(f"migrations applied to {settings.database_url.split('@')[-1]}")
    return 0


def _token(args: argparse.Namespace, settings: Settings) -> int:
    if settings.is_prod:
        print(
            "billing-portal: `token` mints development tokens and is refused when BILLING_ENV=prod",
            file=sys.stderr,
        )
        return 2
    from services.auth import TokenVerifier

    verifier = TokenVerifier(
        secret=settings.jwt_secret,
        audience=settings.auth_jwt_audience,
        issuer=settings.auth_jwt_issuer,
    )
    print(verifier.mint(args.sub, email=args.email, admin=args.admin, ttl_seconds=args.ttl))
    return 0


def _export_schema(_: argparse.Namespace, __: Settings) -> int:
    from schema.root import schema_sdl

    sys.stdout.write(schema_sdl())
    return 0


def _stripe_mock(args: argparse.Namespace, _: Settings) -> int:
    from billing_portal.stripe_mock import StripeMockServer, ensure_binary

    if args.install_only:
        print(ensure_binary() or "docker")
        return 0
    with StripeMockServer(port=args.port) as server:
        print(f"stripe-mock listening on {server.url} (Ctrl-C stops it)", flush=True)
        try:
            while True:
                asyncio.run(asyncio.sleep(3600))
        except KeyboardInterrupt:
            return 0


def build_parser() -> tuple[argparse.ArgumentParser, dict[str, Handler]]:
    parser = argparse.ArgumentParser(prog="billing-portal", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    handlers: dict[str, Handler] = {}

    serve = commands.add_parser("serve", help="serve the GraphQL API and webhooks")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--workers", type=int, default=1)
    handlers["serve"] = _serve

    commands.add_parser("migrate", help="apply database migrations")
    handlers["migrate"] = _migrate

    token = commands.add_parser("token", help="mint a development JWT (not in prod)")
    token.add_argument("--sub", required=True)
    token.add_argument("--email")
    token.add_argument("--admin", action="store_true")
    token.add_argument("--ttl", type=int, default=3600, help="seconds until it expires")
    handlers["token"] = _token

    commands.add_parser("export-schema", help="print the GraphQL SDL")
    handlers["export-schema"] = _export_schema

    mock = commands.add_parser("stripe-mock", help="install and run the pinned stripe-mock")
    mock.add_argument("--port", type=int, default=12111)
    mock.add_argument("--install-only", action="store_true")
    handlers["stripe-mock"] = _stripe_mock

    return parser, handlers


def main(argv: Sequence[str] | None = None) -> int:
    parser, handlers = build_parser()
    args = parser.parse_args(argv)
    try:
        settings = load_settings()
    except ConfigurationError as error:
        print(f"billing-portal: {error}", file=sys.stderr)
        return 2
    return handlers[args.command](args, settings)


if __name__ == "__main__":
    raise SystemExit(main())
