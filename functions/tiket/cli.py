"""The ``tiket`` command: the local stack, the sweep, staff and the table, for operators.

Against AWS it uses the same settings as Lambda (``TIKET_TABLE``, ``AWS_REGION``, ...).
Staff and table commands need only the table: no signing key, no mail transport, so an
operator (or ``make deploy``, for the first administrator) can run them with just
``TIKET_TABLE`` and credentials.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import datetime

from tiket import config
from tiket.adapters.clock import FixedClock
from tiket.domain.model import Staff

ROLES = ("tik", "rt", "supervisor", "admin")


def _services(at: str | None = None):
    from tiket.services.context import build_services

    settings = config.from_env()
    clock = None
    if at:
        instant = datetime.fromisoformat(at)
        if instant.tzinfo is None:
            raise SystemExit("--at needs a time with its offset, e.g. 2026-11-30T07:40:00+07:00")
        clock = FixedClock(instant)
    return build_services(settings, clock=clock)


def _store():
    from tiket.adapters.store import Store

    settings = config.from_env()
    return Store(settings.table, settings.dynamodb_endpoint, settings.region)


def add_staff(store, member: Staff) -> bool:
    """Add or update a member; False (and no write) when the record is already so."""
    if store.get_staff(member.email) == member:
        return False
    store.put_staff(member)
    return True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="tiket", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    run = commands.add_parser("run", help="start the local stack (make run)")
    run.add_argument("--port", type=int, default=None, help="default: $PORT or 8000")

    sweep = commands.add_parser("sweep", help="run the scheduled sweep once")
    sweep.add_argument("--at", help="as if the clock read this ISO time (with offset)")

    staff = commands.add_parser("staff", help="manage staff members")
    staff_commands = staff.add_subparsers(dest="staff_command", required=True)
    add = staff_commands.add_parser("add", help="add or update a staff member")
    add.add_argument("--email", required=True)
    add.add_argument("--name", required=True)
    add.add_argument("--role", required=True, choices=ROLES)
    remove = staff_commands.add_parser("deactivate", help="stop a member's links and sign-in")
    remove.add_argument("--email", required=True)
    listing = staff_commands.add_parser("list", help="active staff of a role")
    listing.add_argument("--role", required=True, choices=ROLES)

    commands.add_parser("create-table", help="create the table (local or test accounts)")

    args = parser.parse_args(argv)
    if args.command == "run":
        from tiket.local import run as run_local

        run_local(args.port)
        return 0
    if args.command == "sweep":
        services = _services(args.at)
        print(json.dumps(services.sweep.run().as_json(), indent=2))
        return 0
    store = _store()
    if args.command == "create-table":
        store.create_table()
        print(f"table {store.table} ready")
    elif args.staff_command == "add":
        member = Staff(args.email.strip().lower(), args.name.strip(), args.role)
        changed = add_staff(store, member)
        print(f"{member.email} is {member.role}" + ("" if changed else " (unchanged)"))
    elif args.staff_command == "deactivate":
        member = store.get_staff(args.email.strip().lower())
        if member is None:
            print(f"no staff member {args.email}", file=sys.stderr)
            return 1
        store.put_staff(Staff(member.email, member.name, member.role, active=False))
        print(f"{member.email} deactivated")
    elif args.staff_command == "list":
        for member in store.staff_with_role(args.role):
            print(f"{member.email}\t{member.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
