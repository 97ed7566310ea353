"""The composition root: builds the adapters from settings once, and the services on them,
each service given only the ports it uses.

The Flask app, the scheduled functions and the CLI each build one ``Services`` and call it;
tests build one against moto (or in memory) with a fixed clock.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from functools import cache, partial
from zoneinfo import ZoneInfo

from tiket import config
from tiket.adapters.asset_files import LabelSheets, read_sheet
from tiket.adapters.clock import SystemClock
from tiket.adapters.dynamodb import connect
from tiket.adapters.mail.render import JinjaMailRenderer
from tiket.adapters.observability import Metrics
from tiket.adapters.signer import LinkSigner
from tiket.config import Settings
from tiket.domain.calendar import WorkingCalendar
from tiket.domain.deadlines import SurveyPolicy, next_check
from tiket.domain.standards import StepClock
from tiket.services.actions import ActionService
from tiket.services.assets import AssetService
from tiket.services.auth import AuthService, SigninMail
from tiket.services.desk import StaffDesk
from tiket.services.device_history import DeviceHistory
from tiket.services.intake import IntakeService
from tiket.services.links import Links
from tiket.services.mail_events import MailEvents
from tiket.services.mailer import Mailer
from tiket.services.notifications import Notifier
from tiket.services.ports import Clock, MailTransport, Stores
from tiket.services.ports import Metrics as MetricsPort
from tiket.services.ratelimit import RateLimiter
from tiket.services.reports import ReportService
from tiket.services.sweep import SweepService
from tiket.services.tracking import TrackingService
from tiket.services.unit_of_work import TicketUnitOfWork


@dataclass
class Services:
    settings: Settings
    stores: Stores
    transport: MailTransport
    signing_keys: Sequence[str]
    clock: Clock = field(default_factory=SystemClock)
    metrics: MetricsPort | None = None

    def __post_init__(self) -> None:
        s = self.settings
        stores = self.stores
        metrics: MetricsPort = self.metrics or Metrics(s.stage)
        self.metrics = metrics
        self.tickets = stores.tickets
        self.staff = stores.staff
        self.signer = LinkSigner(self.signing_keys)
        self.calendar = WorkingCalendar(s.timezone, s.office_hours, s.closed_days)
        self.step_clock = StepClock(self.calendar, s.standards)
        self.survey_policy = SurveyPolicy(
            s.survey_reminder_working_days, s.survey_close_working_days
        )
        self.links = Links(s.public_url, self.signer, s.action_link_hours)
        renderer = JinjaMailRenderer()
        self.notifier = Notifier(
            stores.staff, self.links, renderer, s.unit_name, self.calendar.zone
        )
        self.mailer = Mailer(stores.outbox, self.transport, self.clock, metrics)
        self.uow = TicketUnitOfWork(
            stores.tickets,
            self.notifier.mails_for,
            partial(next_check, calendar=self.calendar, policy=self.survey_policy),
            self.clock,
            deliver=self.mailer.send_fresh,
        )
        # The one wiring that goes back: what delivery tells about a ticket changes it.
        events = MailEvents(self.uow, self.clock)
        self.mailer.on_dispatch = events.dispatched
        self.mailer.on_undeliverable = events.undeliverable
        self.rate_limiter = RateLimiter(stores.rates, s.rate_limits, self.clock)
        self.assets = AssetService(
            stores.assets, self.clock, read_sheet, LabelSheets(s.public_url, s.unit_name)
        )
        self.devices = DeviceHistory(stores.assets, stores.tickets, self.clock, self.calendar.zone)
        self.intake = IntakeService(
            self.uow,
            stores.tickets,
            stores.tickets,
            stores.idempotency,
            self.clock,
            self.step_clock,
            self.calendar.zone,
            self.links,
            s.categories,
            metrics,
            asset_filing=self.devices.at_filing,
        )
        self.tracking = TrackingService(
            self.uow,
            stores.tickets,
            self.clock,
            self.calendar,
            self.survey_policy,
            self.step_clock,
            metrics,
        )
        self.actions = ActionService(
            self.uow,
            stores.tickets,
            stores.staff,
            self.signer,
            self.links,
            self.notifier,
            stores.outbox,
            self.rate_limiter,
            self.clock,
            self.step_clock,
            metrics,
        )
        self.sweep = SweepService(
            self.uow,
            stores.tickets,
            self.mailer,
            self.clock,
            self.calendar,
            self.survey_policy,
            self.step_clock,
            metrics,
        )
        self.auth = AuthService(
            stores.staff,
            stores.logins,
            self.signer,
            self.links,
            SigninMail(renderer, stores.outbox, self.mailer, s.unit_name),
            self.rate_limiter,
            self.clock,
            s.login_link_minutes,
            timedelta(hours=s.session_hours),
            timedelta(minutes=s.session_idle_minutes),
        )
        self.reports = ReportService(
            stores.tickets,
            self.clock,
            self.calendar,
            s.categories,
            s.monitoring_threshold_percent,
            s.unit_name,
        )
        self.desk = StaffDesk(stores.tickets, stores.tickets, self.clock, self.calendar)

    def now(self):
        return self.clock.now()


@cache
def shared_services() -> Services:
    """One set per Lambda instance, from the environment: the web app and the scheduled
    functions of a cold start share it (one SSM read, one set of clients)."""
    return build_services(config.from_env())


def build_services(
    settings: Settings,
    *,
    clock: Clock | None = None,
    transport: MailTransport | None = None,
    metrics: MetricsPort | None = None,
    stores: Stores | None = None,
) -> Services:
    from tiket.adapters.mail.transports import build_transport
    from tiket.adapters.secrets import load_signing_keys

    keys = settings.signing_keys or load_signing_keys(settings)
    zone = ZoneInfo(settings.timezone)
    return Services(
        settings=settings,
        stores=stores or connect(settings.table, settings.dynamodb_endpoint, settings.region, zone),
        transport=transport or build_transport(settings),
        signing_keys=keys,
        clock=clock or SystemClock(),
        metrics=metrics,
    )
