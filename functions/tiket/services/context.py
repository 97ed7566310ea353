"""The composition root: builds the adapters from settings once, and the services on them.

The Flask app, the scheduled functions and the CLI each build one ``Services`` and call it;
tests build one against moto with a fixed clock.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

import boto3
from botocore.config import Config

from tiket import config
from tiket.adapters.clock import SystemClock
from tiket.adapters.mail.render import MailRenderer
from tiket.adapters.mail.transports import (
    FanoutTransport,
    OutboxTransport,
    SesTransport,
    Transport,
)
from tiket.adapters.observability import Metrics
from tiket.adapters.secrets import load_signing_keys
from tiket.adapters.signer import LinkSigner
from tiket.adapters.store import Store
from tiket.config import Settings
from tiket.domain.calendar import WorkingCalendar
from tiket.domain.deadlines import SurveyPolicy
from tiket.domain.standards import StepClock
from tiket.services.actions import ActionService
from tiket.services.auth import AuthService
from tiket.services.intake import IntakeService
from tiket.services.links import Links
from tiket.services.mailer import Mailer
from tiket.services.notifications import Notifier
from tiket.services.ratelimit import RateLimiter
from tiket.services.reports import ReportService
from tiket.services.sweep import SweepService
from tiket.services.tracking import TrackingService


@dataclass
class Services:
    settings: Settings
    store: Store
    transport: Transport
    signer: LinkSigner
    clock: object = field(default_factory=SystemClock)
    metrics: Metrics | None = None

    def __post_init__(self) -> None:
        s = self.settings
        self.metrics = self.metrics or Metrics(s.stage)
        self.calendar = WorkingCalendar(s.timezone, s.office_hours, s.closed_days)
        self.step_clock = StepClock(self.calendar, s.standards)
        self.survey_policy = SurveyPolicy(
            s.survey_reminder_working_days, s.survey_close_working_days
        )
        self.links = Links(s.public_url, self.signer, s.action_link_hours)
        self.renderer = MailRenderer()
        self.notifier = Notifier(self)
        self.mailer = Mailer(self)
        self.rate_limiter = RateLimiter(self)
        self.intake = IntakeService(self)
        self.tracking = TrackingService(self)
        self.actions = ActionService(self)
        self.sweep = SweepService(self)
        self.auth = AuthService(self)
        self.reports = ReportService(self)

    def now(self):
        return self.clock.now()


# Emails are sent inside requests (three for a new ticket) and one that fails waits in the
# outbox for the sweep, so a send gives up quickly, whatever botocore the Lambda runtime
# carries: its defaults (60 s timeouts; older versions retry five times, ~15 s) could hold a
# request past API Gateway's 29 s.
SES_CLIENT = Config(
    retries={"mode": "standard", "total_max_attempts": 3}, connect_timeout=5, read_timeout=10
)


def build_transport(settings: Settings) -> Transport:
    transports: list[Transport] = []
    if "ses" in settings.mail_transport.split("+"):
        client = boto3.client(
            "sesv2",
            region_name=settings.region,
            endpoint_url=settings.ses_endpoint,
            config=SES_CLIENT,
        )
        transports.append(
            SesTransport(client, settings.mail_sender, settings.ses_configuration_set)
        )
    if "outbox" in settings.mail_transport.split("+"):
        if settings.outbox_dir is None:
            raise ValueError("The outbox transport needs TIKET_OUTBOX_DIR")
        transports.append(OutboxTransport(settings.outbox_dir, settings.mail_sender))
    if not transports:
        raise ValueError(f"Unknown mail transport {settings.mail_transport!r}")
    return transports[0] if len(transports) == 1 else FanoutTransport(transports)


@cache
def shared_services() -> Services:
    """One set per Lambda instance, from the environment: the web app and the scheduled
    functions of a cold start share it (one SSM read, one set of clients)."""
    return build_services(config.from_env())


def build_services(settings: Settings, *, clock=None, transport=None, metrics=None) -> Services:
    keys = settings.signing_keys or load_signing_keys(settings)
    return Services(
        settings=settings,
        store=Store(settings.table, settings.dynamodb_endpoint, settings.region),
        transport=transport or build_transport(settings),
        signer=LinkSigner(keys),
        clock=clock or SystemClock(),
        metrics=metrics,
    )
