"""The composition root: builds the adapters from settings once, and the services on them,
each service given only the ports it uses.

The Flask app, the scheduled functions and the CLI each build one ``Services`` and call it;
tests build one against moto (or in memory) with a fixed clock.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import cache, cached_property, partial
from zoneinfo import ZoneInfo

from tiket import config
from tiket.adapters.asset_files import LabelSheets, read_sheet
from tiket.adapters.clock import SystemClock
from tiket.adapters.dynamodb import connect
from tiket.adapters.job_starters import starter_for
from tiket.adapters.mail.render import JinjaMailRenderer
from tiket.adapters.mail.reply_address import ReplyAddresses
from tiket.adapters.observability import Metrics
from tiket.adapters.signer import LinkSigner
from tiket.config import Settings
from tiket.domain.aggregates import delta
from tiket.domain.calendar import WorkingCalendar
from tiket.domain.deadlines import SurveyPolicy, next_check
from tiket.domain.privacy import RetentionPolicy, figures_kept
from tiket.domain.standards import StepClock
from tiket.services.access_log import AccessLog
from tiket.services.actions import ActionService
from tiket.services.assets import AssetService
from tiket.services.attachments import AttachmentService
from tiket.services.auth import AuthService, SigninMail
from tiket.services.conversation import ConversationService
from tiket.services.desk import StaffDesk
from tiket.services.device_history import DeviceHistory
from tiket.services.erasure import ErasureLinks, ErasureService
from tiket.services.export_jobs import ExportService
from tiket.services.inbound import InboundService
from tiket.services.intake import IntakeService
from tiket.services.links import Links
from tiket.services.mail_events import MailEvents
from tiket.services.mailer import Mailer
from tiket.services.notifications import Notifier
from tiket.services.ports import BlobStore, Clock, InspectedFile, MailTransport, Stores
from tiket.services.ports import Metrics as MetricsPort
from tiket.services.privacy_index import bookkeeping
from tiket.services.privacy_mail import PrivacyMail
from tiket.services.ratelimit import RateLimiter
from tiket.services.reports import ReportService
from tiket.services.requester import RequesterService
from tiket.services.requester_portal import RequesterPortal
from tiket.services.search import StaffSearch
from tiket.services.sweep import SweepService
from tiket.services.tracking import TrackingService
from tiket.services.unit_of_work import TicketUnitOfWork
from tiket.services.workflow import StaffWorkflow


@dataclass
class Services:
    settings: Settings
    stores: Stores
    transport: MailTransport
    signing_keys: Sequence[str]
    clock: Clock = field(default_factory=SystemClock)
    metrics: MetricsPort | None = None
    blobs: BlobStore | None = None  # the files bucket; None: this stage has none

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
        self.reply_addresses = (
            ReplyAddresses(self.signing_keys, s.reply_domain) if s.reply_domain else None
        )
        self.notifier = Notifier(
            stores.staff,
            self.links,
            renderer,
            s.unit_name,
            self.calendar.zone,
            self._reply_to if self.reply_addresses else None,
        )
        self.mailer = Mailer(stores.outbox, self.transport, self.clock, metrics)
        retention = RetentionPolicy(s.retention_months, s.file_retention_months)
        self.uow = TicketUnitOfWork(
            stores.tickets,
            self.notifier.mails_for,
            partial(next_check, calendar=self.calendar, policy=self.survey_policy),
            self.clock,
            deliver=self.mailer.send_fresh,
            count=figures_kept(partial(delta, calendar=self.calendar)),
            bookkeeping=partial(bookkeeping, policy=retention),
        )
        # The one wiring that goes back: what delivery tells about a ticket changes it.
        events = MailEvents(self.uow, self.clock)
        self.mailer.on_dispatch = events.dispatched
        self.mailer.on_undeliverable = events.undeliverable
        self.rate_limiter = RateLimiter(stores.rates, s.rate_limits, self.clock)
        self.attachments = AttachmentService(self.blobs, stores.tickets, _inspect, metrics)
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
            self.attachments,
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
            self.attachments,
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
        privacy_mail = PrivacyMail(renderer, stores.outbox, self.mailer, s.unit_name)
        self.erasure = ErasureService(
            self.uow,
            stores.tickets,
            stores.privacy,
            stores.staff,
            self.blobs,
            privacy_mail,
            ErasureLinks(s.public_url, self.signer),
            self.clock,
            self.calendar,
            retention,
            s.erasure_working_days,
        )
        self.portal = RequesterPortal(
            stores.tickets,
            stores.privacy,
            stores.logins,
            self.signer,
            self.links,
            privacy_mail,
            self.rate_limiter,
            self.clock,
            self.calendar,
            self.erasure,
            s.login_link_minutes,
            s.requester_session_minutes,
        )
        self.access = AccessLog(stores.privacy, self.clock, self.calendar, retention)
        self.sweep = SweepService(
            self.uow,
            stores.tickets,
            self.mailer,
            self.clock,
            self.calendar,
            self.survey_policy,
            self.step_clock,
            metrics,
            fold=stores.figures.fold,
            privacy=self.erasure.sweep,
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
            stores.figures,
            self.clock,
            self.calendar,
            s.categories,
            s.monitoring_threshold_percent,
            s.unit_name,
        )
        self.desk = StaffDesk(
            stores.tickets, stores.tickets, self.clock, self.calendar, self.attachments
        )
        self.conversation = ConversationService(
            self.uow,
            stores.tickets,
            stores.staff,
            self.signer,
            self.rate_limiter,
            self.clock,
            metrics,
            self.attachments,
        )
        self.requester = RequesterService(
            self.uow,
            stores.tickets,
            self.notifier,
            stores.outbox,
            self.rate_limiter,
            self.clock,
            self.step_clock,
            metrics,
        )
        self.exports = ExportService(
            stores.exports,
            export_files(s),
            stores.figures,
            stores.figures,
            self.clock,
            self.calendar,
        )
        self.exports.starter = starter_for(self.exports.run, s.region)
        self.workflow = StaffWorkflow(
            self.actions, stores.tickets, stores.staff, self.links, self.step_clock, self.desk
        )
        self.search = StaffSearch(stores.tickets, stores.tickets, self.clock, self.calendar)

    def now(self):
        return self.clock.now()

    def _reply_to(self, number: str, recipient: str, now: datetime) -> str | None:
        """The signed Reply-To of an email about ticket ``number`` to ``recipient``."""
        if self.reply_addresses is None:
            return None
        expires = now + timedelta(days=self.settings.reply_address_days)
        try:
            return self.reply_addresses.address(number, recipient, expires)
        except ValueError:  # a number from before TIKet's format: no replies by email
            return None

    @cached_property
    def inbound(self) -> InboundService:
        """Replies by email; built on first use (its parser is not the web's to load)."""
        from tiket.adapters.mail.inbox import InboundReader

        return InboundService(
            InboundReader(),
            self.reply_addresses,
            self.conversation,
            self.stores.tickets,
            self.stores.staff,
            self.rate_limiter,
            self.clock,
            self.metrics or Metrics(self.settings.stage),
            self.attachments,
        )


def _inspect(data: bytes, declared_type: str) -> InspectedFile:
    # Pillow and pypdf load with the first file, not with every cold start.
    from tiket.adapters.file_inspection import inspect

    return inspect(data, declared_type)


def export_files(settings: Settings):
    """The exports bucket's files, or None where a stage has no bucket."""
    if not settings.exports_bucket:
        return None
    from tiket.adapters.blobs import s3_client
    from tiket.adapters.export_files import S3ExportFiles

    client = s3_client(settings.region, settings.s3_endpoint)
    return S3ExportFiles(client, settings.exports_bucket)


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
    blobs: BlobStore | None = None,
) -> Services:
    from tiket.adapters.blobs import Blobs
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
        blobs=blobs
        or (
            Blobs.on_demand(settings.files_bucket, settings.region, settings.s3_endpoint)
            if settings.files_bucket
            else None
        ),
    )
