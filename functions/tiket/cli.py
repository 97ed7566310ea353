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
from dataclasses import replace
from datetime import datetime
from zoneinfo import ZoneInfo

from tiket import cli_assets, cli_privacy, config
from tiket.adapters.clock import FixedClock
from tiket.domain.model import Staff
from tiket.domain.vocabulary import STAFF_ROLES, Role
from tiket.services.ports import StaffDirectory

ROLES = tuple(STAFF_ROLES)


def _services(at: str | None = None):
    from tiket.services.bootstrap import build_services

    settings = config.from_env()
    clock = None
    if at:
        instant = datetime.fromisoformat(at)
        if instant.tzinfo is None:
            raise SystemExit("--at needs a time with its offset, e.g. 2026-11-30T07:40:00+07:00")
        clock = FixedClock(instant)
    return build_services(settings, clock=clock)


def _stores():
    from tiket.adapters.dynamodb import connect

    settings = config.from_env()
    zone = ZoneInfo(settings.timezone)
    return connect(settings.table, settings.dynamodb_endpoint, settings.region, zone)


def add_staff(staff: StaffDirectory, member: Staff) -> bool:
    """Add or update a member; False (and no write) when the record is already so. A
    member added back keeps the instant their sessions were ended: reactivation never
    revives a session from before a deactivation or a sign-out."""
    existing = staff.get(member.email)
    if existing is not None:
        member = replace(member, signed_out_at=existing.signed_out_at)
    if existing == member:
        return False
    staff.put(member)
    return True


def deactivate_staff(staff: StaffDirectory, email: str, now: datetime) -> Staff | None:
    """End a member's access at once: their sessions (ended server-side, as by signing out
    everywhere), their unused sign-in and action links (refused while inactive)."""
    member = staff.get(email.strip().lower())
    if member is None:
        return None
    staff.put(replace(member, active=False, signed_out_at=now))
    return member


def rebuild_figures(stores, periods: list[str], *, check_only: bool = False) -> int:
    """``tiket reports rebuild``: one line per month; 1 when ``--check`` found a difference."""
    from tiket.domain.calendar import WorkingCalendar
    from tiket.domain.errors import ValidationFailed
    from tiket.services.periods import parse_period
    from tiket.services.report_rebuild import FigureRebuild

    settings = config.from_env()
    calendar = WorkingCalendar(settings.timezone, settings.office_hours, settings.closed_days)
    today = datetime.now(calendar.zone).date()
    try:
        months = sorted({m for p in periods for m in parse_period(p, None, None, today).months()})
    except ValidationFailed:
        raise SystemExit(f"periods are like 2026, 2026-S2, 2026-Q4 or 2026-11: {periods}") from None
    rebuild = FigureRebuild(stores.tickets, stores.tickets, stores.figures, calendar)
    differed = False
    for year, month in months:
        done = rebuild.month(year, month, check_only=check_only)
        differed |= done.changed
        verdict = ("differs" if check_only else "replaced") if done.changed else "unchanged"
        print(f"{done.month}\t{done.tickets} tickets\t{verdict}")
        for key, more in done.difference.items():  # what an operator needs to trace it
            print(f"  {'/'.join(key)}\t{more:+d} stored")
    return 1 if check_only and differed else 0


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
    cli_assets.add_commands(commands)

    mail = commands.add_parser("mail", help="the outbox")
    mail_commands = mail.add_subparsers(dest="mail_command", required=True)
    redrive = mail_commands.add_parser(
        "redrive", help="send failed emails again (after fixing what failed them)"
    )
    redrive.add_argument("--limit", type=int, default=100)
    reports = commands.add_parser("reports", help="the monthly report figures")
    report_commands = reports.add_subparsers(dest="reports_command", required=True)
    rebuild = report_commands.add_parser(
        "rebuild", help="recount the monthly figures from the tickets (month index)"
    )
    rebuild.add_argument("periods", nargs="+", help="2026, 2026-S2, 2026-Q4 or 2026-11")
    rebuild.add_argument(
        "--check", action="store_true", help="compare only; exit 1 when a month differs"
    )

    cli_privacy.add_commands(commands)

    args = parser.parse_args(argv)
    if args.command == "run":
        from tiket.local import run as run_local

        run_local(args.port)
        return 0
    if args.command == "sweep":
        services = _services(args.at)
        print(json.dumps(services.sweep.run().as_json(), indent=2))
        return 0
    if args.command == "mail":
        count = _services().mailer.redrive(args.limit)
        print(f"{count} failed email(s) queued again; the next sweep sends them")
        return 0
    stores = _stores()
    if args.command == "reports":
        return rebuild_figures(stores, args.periods, check_only=args.check)
    if args.command == "assets":
        return cli_assets.run(args, stores, config.from_env())
    if args.command == "privacy":
        return cli_privacy.run(args, stores, config.from_env())
    if args.command == "create-table":
        stores.create_table()
        print(f"table {stores.table.name} ready")
    elif args.staff_command == "add":
        member = Staff(args.email.strip().lower(), args.name.strip(), Role(args.role))
        changed = add_staff(stores.staff, member)
        print(f"{member.email} is {member.role}" + ("" if changed else " (unchanged)"))
    elif args.staff_command == "deactivate":
        gone = deactivate_staff(stores.staff, args.email, datetime.now().astimezone())
        if gone is None:
            print(f"no staff member {args.email}", file=sys.stderr)
            return 1
        print(f"{gone.email} deactivated")
    elif args.staff_command == "list":
        for member in stores.staff.with_role(Role(args.role)):
            print(f"{member.email}\t{member.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
