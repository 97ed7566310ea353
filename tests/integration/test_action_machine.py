"""Random staff actions through signed links against the real store (moto): whatever the
order, the stored ticket keeps the invariants (legal states, one history entry per
transition, version strictly increasing, never two assignees but by a reassignment, used links
never work again)."""

from __future__ import annotations

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule
from moto import mock_aws

from tests.conftest import MONDAY_8
from tests.support import VALID_TICKET, MemoryTransport, make_services
from tiket.adapters.clock import FixedClock
from tiket.domain.errors import Conflict, Forbidden, TiketError, ValidationFailed
from tiket.domain.lifecycle import STAFF_ACTIONS
from tiket.domain.vocabulary import Status

STAFF = [
    "tik1@example.go.id",
    "tik2@example.go.id",
    "rt1@example.go.id",
    "supervisor@example.go.id",
]
FORMS = {
    "acknowledge": [{}],
    "diagnose": [
        {"diagnosis": "d", "decision": "handle", "estimate_minutes": 30},
        {"diagnosis": "d", "decision": "refer"},
        {"decision": "handle"},  # invalid: changes nothing
    ],
    "accept": [{"estimate_minutes": 60}, {"estimate_minutes": 0}],
    "resolve": [{"resolution": "selesai"}, {}],
    "hold": [{"reason": "tunggu"}],
    "resume": [{}],
    "cancel": [{"reason": "ganda"}],
    "return": [{"reason": "bukan perbaikan"}, {}],
    "reassign": [
        {"email": "tik2@example.go.id"},
        {"email": "tik1@example.go.id"},
        {"email": "rt1@example.go.id"},  # right role only for a repair
    ],
}


class ActionLinks(RuleBasedStateMachine):
    @initialize()
    def start(self):
        self.mock = mock_aws()
        self.mock.start()
        self.clock = FixedClock(MONDAY_8)
        self.services = make_services(clock=self.clock, transport=MemoryTransport())
        self.number = self.services.intake.file(dict(VALID_TICKET)).number
        self.used: list[str] = []
        self.assignees: set[str] = set()
        self.repairers: set[str] = set()

    def teardown(self):
        if hasattr(self, "mock"):
            self.mock.stop()

    def ticket(self):
        return self.services.tickets.get(self.number)

    @rule(
        action=st.sampled_from(STAFF_ACTIONS),
        who=st.sampled_from(STAFF),
        form_index=st.integers(0, 2),
        minutes=st.integers(0, 90),
    )
    def act(self, action, who, form_index, minutes):
        self.clock.advance(minutes=minutes)
        before = self.ticket()
        token = self.services.links.action_token(before, action, who, self.clock.now())
        forms = FORMS[action]
        try:
            self.services.actions.perform(token, dict(forms[form_index % len(forms)]))
        except (Conflict, Forbidden, ValidationFailed):
            assert self.ticket() == before  # a refused action changes nothing
            return
        self.used.append(token)
        after = self.ticket()
        assert after.version == before.version + 1

    @rule()
    def replay_a_used_link(self):
        if not self.used:
            return
        before = self.ticket()
        try:
            self.services.actions.perform(self.used[-1], {"reason": "x", "resolution": "x"})
        except TiketError as refused:
            assert isinstance(refused, Forbidden | Conflict)
        else:
            raise AssertionError("a used link worked twice")
        assert self.ticket() == before

    @invariant()
    def stored_history_matches_versions(self):
        if not hasattr(self, "services"):
            return
        ticket = self.ticket()
        history = self.services.tickets.history(self.number)
        transitions = [h for h in history if h.action not in ("breach", "dispatch", "remind")]
        assert len(transitions) == ticket.version
        # Every change, transitions or not, is one revision and one history entry.
        assert [h.revision for h in history] == list(range(1, ticket.revision + 1))
        assert ticket.status in tuple(Status)
        assert history[-1].to_status == ticket.status

    @invariant()
    def never_two_assignees(self):
        """A holder changes only by a reassignment."""
        if not hasattr(self, "services"):
            return
        ticket = self.ticket()
        if ticket.assignee:
            self.assignees.add(ticket.assignee)
        if ticket.repair_assignee:
            self.repairers.add(ticket.repair_assignee)
        history = self.services.tickets.history(self.number)
        moves = sum(1 for h in history if h.action == "reassign")
        assert len(self.assignees) + len(self.repairers) <= 2 + moves


TestActionLinks = ActionLinks.TestCase
TestActionLinks.settings = settings(
    max_examples=12,
    stateful_step_count=12,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
