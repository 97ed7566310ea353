"""The WSGI application for Zappa (``app_function: tiket.wsgi.app``)."""

from tiket.web.app import create_app

app = create_app()
