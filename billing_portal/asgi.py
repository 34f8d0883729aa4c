"""`billing_portal.asgi:app` for ASGI servers started with several workers (each builds its own)."""

from billing_portal.app import create_app
from billing_portal.settings import load_settings

app = create_app(load_settings())
