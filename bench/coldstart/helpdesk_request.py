"""One django-helpdesk cold start, run by ``run.py`` in the helpdesk virtualenv as
``python -B helpdesk_request.py``: Django set up, then its WSGI application serves
``GET /tickets/submit/`` (the public form, which reads the queues from SQLite). Prints the
same JSON line as ``first_request.py``.
"""

import time

started = time.perf_counter()

import io
import json
import os
import sys

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "settings")
from django.core.wsgi import get_wsgi_application

application = get_wsgi_application()
imported = time.perf_counter()

status = []
environ = {
    "REQUEST_METHOD": "GET",
    "PATH_INFO": "/tickets/submit/",
    "QUERY_STRING": "",
    "SERVER_NAME": "helpdesk.example.go.id",
    "SERVER_PORT": "443",
    "SERVER_PROTOCOL": "HTTP/1.1",
    "HTTP_HOST": "helpdesk.example.go.id",
    "wsgi.url_scheme": "https",
    "wsgi.input": io.BytesIO(),
    "wsgi.errors": sys.stderr,
    "wsgi.version": (1, 0),
    "wsgi.multithread": False,
    "wsgi.multiprocess": False,
    "wsgi.run_once": False,
}
body = b"".join(application(environ, lambda code, headers: status.append(code)))
served = time.perf_counter()
if not status[0].startswith("200") or b"Create Ticket" not in body:
    raise SystemExit(f"answered {status[0]}")
print(
    json.dumps(
        {
            "import_ms": (imported - started) * 1000,
            "first_request_ms": (served - imported) * 1000,
            "total_ms": (served - started) * 1000,
        }
    )
)
