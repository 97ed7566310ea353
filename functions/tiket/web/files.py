"""Photos and files (PRODUCT.md §11): a presigned POST for the browser's upload straight to
the files bucket. Attaching happens where the ticket (message, reply) is sent."""

from __future__ import annotations

from flask import Blueprint

from tiket.web.errors import json_response
from tiket.web.http import client, json_body, services

bp = Blueprint("files", __name__, url_prefix="/api")


@bp.post("/uploads")
def request_upload():
    s = services()
    body = json_body()
    s.rate_limiter.check("uploads", client())
    return json_response(s.attachments.request_upload(body), 201)
