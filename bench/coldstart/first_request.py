"""One cold start, run by ``run.py`` as ``python -I -S -B first_request.py TASK SDK``.

Sees only the unpacked package (TASK), the runtime's boto3 (SDK, after it, as on Lambda)
and the standard library; ``-B`` because ``/var/task`` is read-only on Lambda, so nothing
compiled here may speed up the next run. Prints one JSON line of milliseconds: importing
Zappa's ``handler`` module (Lambda's init phase), then the first invocation, in which Zappa
loads the app (``tiket.wsgi``: Flask, PynamoDB, the signing key from SSM) and serves
``GET /api/health``.
"""

import time

started = time.perf_counter()

import json
import sys

task, sdk = sys.argv[1:]
sys.path.insert(0, task)
sys.path.append(sdk)

import handler

imported = time.perf_counter()


class Context:
    aws_request_id = "00000000-0000-4000-8000-000000000000"
    function_name = "coldstart"
    memory_limit_in_mb = "512"

    @staticmethod
    def get_remaining_time_in_millis():
        return 30000


event = {
    "resource": "/{proxy+}",
    "path": "/api/health",
    "httpMethod": "GET",
    "headers": {"Host": "abc123defg.execute-api.ap-southeast-3.amazonaws.com"},
    "queryStringParameters": None,
    "pathParameters": {"proxy": "api/health"},
    "requestContext": {"stage": "bench", "identity": {"sourceIp": "198.51.100.7"}},
    "body": None,
    "isBase64Encoded": False,
}
response = handler.lambda_handler(event, Context())
served = time.perf_counter()
if response["statusCode"] != 200:
    raise SystemExit(f"health answered {response['statusCode']}: {response.get('body')}")
print(
    json.dumps(
        {
            "import_ms": (imported - started) * 1000,
            "first_request_ms": (served - imported) * 1000,
            "total_ms": (served - started) * 1000,
        }
    )
)
