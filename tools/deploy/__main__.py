"""``python -m tools.deploy COMMAND STAGE``: deploy, destroy, rollback, rotate the origin
secret, or run any Zappa command with the stage's generated settings.

AWS credentials come from the usual places (``AWS_PROFILE``, SSO, environment). Against an
emulator, ``AWS_ENDPOINT_URL`` points every client at it and ``--emulated-types`` names the
resource types it cannot create (tests/deploy does this with moto).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import boto3
from tools.deploy import deploy, function, parameters, teardown
from tools.deploy.stagefile import StageFileError, load


def _deployment(args) -> deploy.Deployment:
    stage = load(args.stage, args.stage_file)
    emulated = frozenset(t for t in (args.emulated_types or "").split(",") if t)
    return deploy.Deployment(
        stage,
        boto3.Session(),
        emulated_types=emulated,
        zip_path=args.zip,
        health_check=not args.no_health_check and not emulated,
    )


def _stage_extra(deployment: deploy.Deployment) -> dict:
    infra = deployment.existing_outputs("infra")
    inbound = (
        deployment.existing_outputs("inbound", deployment.stage.inbound_region)
        if deployment.stage.reply_domain
        else {}
    )
    env = function.lambda_environment(deployment.stage, infra, inbound)
    return function.zappa_settings(deployment.stage, infra, env)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="tools.deploy", description=__doc__.splitlines()[0])
    parser.add_argument(
        "command", choices=["deploy", "destroy", "rollback", "rotate-origin-secret", "zappa"]
    )
    parser.add_argument("stage")
    parser.add_argument("--stage-file", type=Path, help="default: stages/<stage>.json")
    parser.add_argument("--zip", type=Path, help="deploy this package instead of building one")
    parser.add_argument("--no-health-check", action="store_true")
    parser.add_argument("--emulated-types", help=argparse.SUPPRESS)
    parser.add_argument("--report", type=Path, help="write the deploy report (JSON) here")
    parser.add_argument(
        "--delete-data", action="store_true", help="destroy: the table and files too"
    )
    parser.add_argument("--back", type=int, default=1, help="rollback: how many releases back")
    parser.add_argument("--finish", action="store_true", help="rotate: drop the old value")
    argv = list(sys.argv[1:] if argv is None else argv)
    # `zappa STAGE [options] -- status`: what follows "--" goes to Zappa.
    zappa_args = argv[argv.index("--") + 1 :] if "--" in argv else []
    args = parser.parse_args(argv[: argv.index("--")] if "--" in argv else argv)
    try:
        deployment = _deployment(args)
    except StageFileError as error:
        print(f"stage file: {error}", file=sys.stderr)
        return 2
    stage = deployment.stage
    if args.command == "deploy":
        report = deployment.run()
        if args.report:
            args.report.write_text(json.dumps(report.as_json(), indent=2))
        print("Changed:", ", ".join(report.changed) or "nothing")
        for record in report.publish:
            print(f"  publish in DNS: {record}")
        print(f"Open {report.outputs.get('PublicUrl')}")
    elif args.command == "destroy":
        for item in teardown.destroy(deployment.session, stage, args.delete_data):
            print(f"  removed {item}")
    elif args.command == "rollback":
        deployment.check_account()
        extra = _stage_extra(deployment)
        emulated = bool(deployment.emulated_types)
        key = function.rollback(deployment.session, stage, extra, args.back, emulated)
        print(f"{stage.function} now runs {key}")
    elif args.command == "rotate-origin-secret":
        deployment.check_account()
        ssm = deployment.client("ssm")
        if args.finish:
            parameters.keep_newest(ssm, stage.origin_secret_param)
            print("old origin secret dropped; new function instances accept only the new one")
        else:
            parameters.prepend(ssm, stage.origin_secret_param)
            print("new origin secret added; run `make deploy` (CloudFront starts sending it)")
        # Running instances read the parameter at start: make them start again.
        lam = deployment.client("lambda")
        lam.update_function_configuration(
            FunctionName=stage.function, Description="origin secret rotated"
        )
    elif args.command == "zappa":
        from tools import zappa_config

        extra = _stage_extra(deployment)
        path = zappa_config.write(stage.stage, function.SETTINGS_DIR / stage.stage, extra)
        from zappa.cli import ZappaCLI

        with zappa_config.working_directory(path.parent):
            ZappaCLI().handle([*zappa_args[:1], stage.stage, *zappa_args[1:]])
    return 0


if __name__ == "__main__":
    sys.exit(main())
