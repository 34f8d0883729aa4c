"""`billing_portal.asgi:app` for ASGI servers started with several workers (each builds its own).

Worker processes start from a fresh interpreter, so each one sets up the JSON logging itself.
"""

from billing_portal.app import create_app
from billing_portal.logging_setup import configure_logging
from billing_portal.settings import load_settings

configure_logging()
app = create_app(load_settings())
