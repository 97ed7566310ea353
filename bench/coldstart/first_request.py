"""One cold start, run by ``run.py`` as ``python -I -S -B first_request.py TASK SDK HANDLER EVENT``.

Sees only the unpacked package (TASK), the runtime's boto3 (SDK, after it, as on Lambda)
and the standard library; ``-B`` because ``/var/task`` is read-only on Lambda, so nothing
compiled here may speed up the next run. Prints one JSON line of milliseconds: importing
the handler module (Lambda's init phase), then the first invocation with EVENT (a JSON
file), which loads the app and serves a request that reads DynamoDB.
"""

import time

started = time.perf_counter()

import importlib
import json
import sys

task, sdk, handler_path, event_file = sys.argv[1:]
sys.path.insert(0, task)
sys.path.append(sdk)

module, _, name = handler_path.rpartition(".")
handler = getattr(importlib.import_module(module), name)

imported = time.perf_counter()


class Context:
    aws_request_id = "00000000-0000-4000-8000-000000000000"
    function_name = "coldstart"
    memory_limit_in_mb = "1024"

    @staticmethod
    def get_remaining_time_in_millis():
        return 30000


with open(event_file) as source:
    event = json.load(source)
response = handler(event, Context())
served = time.perf_counter()
if response["statusCode"] != 404:  # an unknown tracking token: read from DynamoDB, not found
    raise SystemExit(f"answered {response['statusCode']}: {response.get('body')}")
print(
    json.dumps(
        {
            "import_ms": (imported - started) * 1000,
            "first_request_ms": (served - imported) * 1000,
            "total_ms": (served - started) * 1000,
        }
    )
)
