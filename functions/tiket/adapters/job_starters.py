"""How a background job is started: on Lambda, an asynchronous invocation of the function
itself (``{"tiket_job": "export", "id": ...}``, routed by ``tiket.handler``; Lambda retries
it twice if it fails, and the job's lease keeps retries from writing twice); elsewhere (the
local stack, tests) a daemon thread of the same process."""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Callable
from typing import Any

from botocore.config import Config
from botocore.session import get_session

from tiket.log import log_event

EXPORT_EVENT = "export"
# An asynchronous invoke only queues the event: it answers at once, or not at all.
CLIENT_CONFIG = Config(connect_timeout=2, read_timeout=5, retries={"mode": "standard"})


class LambdaStarter:
    def __init__(self, client: Any, function_name: str, kind: str = EXPORT_EVENT):
        self.client = client
        self.function_name = function_name
        self.kind = kind

    def start(self, job_id: str) -> None:
        payload = json.dumps({"tiket_job": self.kind, "id": job_id}).encode()
        self.client.invoke(FunctionName=self.function_name, InvocationType="Event", Payload=payload)


class ThreadStarter:
    def __init__(self, run: Callable[[str], None]):
        self.run = run

    def start(self, job_id: str) -> None:
        def work() -> None:
            try:
                self.run(job_id)
            except Exception as error:  # noqa: BLE001 - a thread has nobody to tell
                log_event("background job failed", error=repr(error))

        threading.Thread(target=work, name=f"job-{job_id[:8]}", daemon=True).start()


def starter_for(run: Callable[[str], None], region: str) -> LambdaStarter | ThreadStarter:
    """A Lambda invocation when running on Lambda (the runtime names the function)."""
    function = os.environ.get("AWS_LAMBDA_FUNCTION_NAME")
    if function:
        client = get_session().create_client("lambda", region_name=region, config=CLIENT_CONFIG)
        return LambdaStarter(client, function)
    return ThreadStarter(run)
