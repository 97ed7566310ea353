"""The shapes of the JSON the web layer answers, as ``TypedDict``s: the views build them (the
type checker holds them to it) and the OpenAPI document takes its schemas from them, with
the request bodies' pydantic models. Ticket views are in ``tiket.services.views``."""

from __future__ import annotations

from typing import (
    Any,
    Literal,
    NotRequired,  # pydantic reads them on Python 3.11
)

from pydantic import TypeAdapter
from typing_extensions import TypedDict

from tiket.domain.vocabulary import Action, Role, Status, Step
from tiket.services.access_log import AccessLogView
from tiket.services.action_forms import ACTION_FORMS, ActionForm
from tiket.services.asset_views import (
    DeviceFailures,
    DeviceHistoryView,
    DeviceList,
    DeviceView,
    ImportView,
    LocationList,
)
from tiket.services.attachments import AttachmentRules, UploadForm, UploadView
from tiket.services.conversation_forms import LookupForm, MessageForm, ReopenForm
from tiket.services.export_jobs import ExportRequest, ExportStarted, ExportStatus
from tiket.services.forms import LoginForm, SigninForm, SurveyForm, TicketForm
from tiket.services.intake import FiledView
from tiket.services.privacy_forms import ErasureDecisionForm, ErasureForm
from tiket.services.report_views import ReportSummary
from tiket.services.requester_portal import MyExport, MyTickets
from tiket.services.search import SearchResult
from tiket.services.views import (
    IsoTime,
    MessageView,
    QueueRow,
    StaffTicket,
    StaffTicketFull,
    TrackingView,
)
from tiket.services.workflow import StaffActed, StaffTicketPage
from tiket.web.privacy_schemas import (
    ErasureAsked,
    ErasureDecided,
    ErasureItemView,
    ErasureList,
    MeSignedIn,
)


class ErrorBody(TypedDict):
    error: str  # stable code for programs
    message: str  # for people, in their language
    fields: NotRequired[dict[str, str]]  # validation only: a message per field
    current_status: NotRequired[Status]
    status_label: NotRequired[str]


class Health(TypedDict):
    status: Literal["ok"]


class Choice(TypedDict):
    code: str
    label: str


class StandardView(TypedDict):
    step: Step
    label: str
    minutes: int | None
    max_minutes: NotRequired[int]  # handling: the cap of the estimate given at diagnosis


class OfficeHours(TypedDict):
    weekday: int
    start: str
    end: str


class SkmQuestion(TypedDict):
    code: str
    name: str
    question: str
    labels: list[str]


class Options(TypedDict):
    unit_name: str
    categories: list[Choice]
    standards: list[StandardView]
    steps: list[Step]
    statuses: list[Choice]
    office_hours: list[OfficeHours]
    timezone: str
    skm: list[SkmQuestion]
    limits: dict[str, int]
    attachments: AttachmentRules | None  # None: this stage takes no files


class SurveyDone(TypedDict):
    number: str
    status: Status


class Recipient(TypedDict):
    name: str
    role: Role


class ActionView(TypedDict):
    action: Action
    action_label: str
    ticket: StaffTicket
    fields: list[str]
    recipient: Recipient
    expires_at: IsoTime
    messages: NotRequired[list[MessageView]]  # the ticket's conversation


class ActionDone(TypedDict):
    ok: Literal[True]
    ticket: StaffTicket
    next: dict[str, str]  # fresh links for what the actor may do next, by action
    message: NotRequired[MessageView]  # a reply link: the message posted


class Resent(TypedDict):
    ok: Literal[True]
    sent_to: str


class Message(TypedDict):
    message: str


class StaffMember(TypedDict):
    email: str
    name: str
    role: Role
    role_label: str


class Queue(TypedDict):
    tickets: list[QueueRow]
    count: int


class Reopened(TypedDict):
    number: str
    status: Status
    status_label: str


RESPONSES: tuple[type, ...] = (
    ErrorBody,
    Health,
    FiledView,
    Options,
    TrackingView,
    SurveyDone,
    ActionView,
    ActionDone,
    Resent,
    Message,
    StaffMember,
    Queue,
    StaffTicketFull,
    MessageView,
    Reopened,
    UploadView,
    ReportSummary,
    ExportStarted,
    ExportStatus,
    StaffTicketPage,
    StaffActed,
    SearchResult,
    DeviceView,
    DeviceList,
    LocationList,
    ImportView,
    DeviceHistoryView,
    DeviceFailures,
    MyTickets,
    MyExport,
    MeSignedIn,
    ErasureAsked,
    ErasureItemView,
    ErasureList,
    ErasureDecided,
    AccessLogView,
)
REQUEST_MODELS = (
    TicketForm,
    SurveyForm,
    LoginForm,
    SigninForm,
    MessageForm,
    ReopenForm,
    LookupForm,
    UploadForm,
    ExportRequest,
    ErasureForm,
    ErasureDecisionForm,
)
REF = "#/components/schemas/{model}"


def component_schemas(handle_cap: int) -> dict[str, Any]:
    """Every named schema of the document, nested ones included."""
    schemas: dict[str, Any] = {}
    for kind in (*RESPONSES, *REQUEST_MODELS):
        schema = TypeAdapter(kind).json_schema(ref_template=REF)
        schemas.update(schema.pop("$defs", {}))
        schemas[kind.__name__] = schema
    schemas["ActionForm"] = _action_form(handle_cap)
    return schemas


def _action_form(handle_cap: int) -> dict[str, Any]:
    """The fields of every staff action in one body: each action reads its own."""
    properties: dict[str, Any] = {}
    # A reply link's body is a message: its files too (``from_reply_link``).
    forms: list[type[ActionForm]] = [*ACTION_FORMS.values(), MessageForm]
    for model in forms:
        properties.update(model.model_json_schema(ref_template=REF)["properties"])
    properties["estimate_minutes"] = {
        "anyOf": [
            {"type": "integer", "minimum": 1, "maximum": handle_cap},
            {"type": "string", "pattern": "^[0-9]{1,9}$"},
        ]
    }
    return {
        "type": "object",
        "description": "The fields the link's action asks for (see the confirmation "
        "page's `fields`); the rest are ignored.",
        "properties": properties,
    }
