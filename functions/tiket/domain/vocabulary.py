"""The product's vocabulary as typed codes: statuses, roles, steps, actions, decisions.

Codes are English and stored as they are; people read them through the labels of
``tiket.messages`` in their own language. Being ``StrEnum``s, they compare equal to the plain
strings stored in DynamoDB and sent over JSON.
"""

from __future__ import annotations

from enum import StrEnum


class Status(StrEnum):
    NEW = "new"
    ACKNOWLEDGED = "acknowledged"
    IN_PROGRESS = "in_progress"
    REFERRED = "referred"
    IN_REPAIR = "in_repair"
    ON_HOLD = "on_hold"
    RESOLVED = "resolved"
    CLOSED = "closed"
    CANCELLED = "cancelled"


OPEN_STATUSES = frozenset(
    {
        Status.NEW,
        Status.ACKNOWLEDGED,
        Status.IN_PROGRESS,
        Status.REFERRED,
        Status.IN_REPAIR,
        Status.ON_HOLD,
    }
)
FINAL_STATUSES = frozenset({Status.CLOSED, Status.CANCELLED})


class Role(StrEnum):
    REQUESTER = "requester"
    TIK = "tik"
    RT = "rt"
    SUPERVISOR = "supervisor"
    ADMIN = "admin"
    SYSTEM = "system"


STAFF_ROLES = (Role.TIK, Role.RT, Role.SUPERVISOR, Role.ADMIN)


class Step(StrEnum):
    """SOP steps that are timed. ``notify`` is the dispatch of the new-request email (SOP
    step 3/4); ``handle`` is the handling by ICT staff or the repair by facilities (step 6)."""

    NOTIFY = "notify"
    ACKNOWLEDGE = "acknowledge"
    DIAGNOSE = "diagnose"
    RT_ACCEPT = "rt_accept"
    HANDLE = "handle"


STEP_ORDER: tuple[Step, ...] = tuple(Step)


class Action(StrEnum):
    """What can happen to a ticket; each is one history entry."""

    CREATE = "create"
    IMPORT = "import"  # brought over from the form used before TIKet
    ACKNOWLEDGE = "acknowledge"
    DIAGNOSE = "diagnose"
    ACCEPT = "accept"
    RESOLVE = "resolve"
    HOLD = "hold"
    RESUME = "resume"
    CANCEL = "cancel"
    SURVEY = "survey"
    AUTO_CLOSE = "auto_close"
    # Changes that keep the status: recorded by the system.
    DISPATCH = "dispatch"
    BREACH = "breach"
    REMIND = "remind"
    UNDELIVERED = "undelivered"  # an email to the requester could not be delivered
    # The conversation (PRODUCT.md §10): a message keeps the status; the requester reopens.
    MESSAGE = "message"
    REOPEN = "reopen"
    REPLY = "reply"  # the staff email link that posts a message (its history entry: MESSAGE)
    # Staff workflow (PRODUCT.md §12).
    RETURN = "return"  # facilities hands a referral back to the ICT member who referred it
    REASSIGN = "reassign"  # a supervisor or admin moves held work to another member
    ESCALATE = "escalate"  # a step still overdue climbs the escalation ladder (system)
    # Personal data (PRODUCT.md §14): the requester's details erased (request or retention).
    ERASE = "erase"


class Channel(StrEnum):
    """Where a message was written."""

    WEB = "web"  # the tracking page or the staff ticket page
    LINK = "link"  # the reply link of a staff email
    EMAIL = "email"  # a reply to a TIKet email


class Decision(StrEnum):
    HANDLE = "handle"
    REFER = "refer"


class Path(StrEnum):
    TIK = "tik"  # handled directly by ICT staff
    RT = "rt"  # referred to facilities for repair
