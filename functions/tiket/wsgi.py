"""The WSGI application for Zappa (``app_function: tiket.wsgi.app``)."""

import logging

from tiket.services.bootstrap import shared_services
from tiket.web.app import create_app

# Zappa's access log prints each request's full path, and paths carry link tokens; TIKet
# logs its own JSON line per request with the route pattern instead.
logging.getLogger("zappa.wsgi").setLevel(logging.WARNING)

app = create_app(services=shared_services())
