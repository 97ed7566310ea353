"""Issue 16, second hardening pass: each reproduction of the red-team report, first red,
then answered as it should be (docs/security.md names each test)."""

from __future__ import annotations

import pytest

from tests.support import VALID_TICKET, file_ticket, latest, token_for, track_token

HUGE = "9" * 5000  # past Python's int-digit limit: json.loads raises ValueError


@pytest.mark.parametrize(
    "path",
    [
        "/api/tickets",
        "/api/auth/login",
        "/api/auth/signin",
        "/api/auth/logout",
    ],
)
def test_a_5000_digit_number_is_a_400_not_a_500(client, path):
    response = client.post(path, data='{"name": ' + HUGE + "}", content_type="application/json")
    assert response.status_code == 400
    assert response.get_json()["error"] == "bad_request"


def test_a_5000_digit_number_on_survey_and_action_is_a_400(client, services, transport):
    filed = file_ticket(client).get_json()
    body = '{"answers": {"u1": ' + HUGE + "}}"
    survey = client.post(
        f"/api/track/{filed['track_token']}/survey", data=body, content_type="application/json"
    )
    assert survey.status_code == 400
    ack = token_for(services, latest(transport, "tik1@example.go.id", "new_ticket"), "acknowledge")
    action = client.post(
        f"/actions/{ack}",
        data='{"reason": ' + HUGE + "}",
        content_type="application/json",
        headers={"Accept": "application/json"},
    )
    assert action.status_code == 400
    assert services.tickets.get(filed["number"]).status == "new"
    assert track_token(latest(transport, VALID_TICKET["email"], "confirmation"))


# --- 2. emails are retried for days, permanent errors fail at once, failed ones re-drive ---


def _sweep_at(services, clock, instant):
    clock.set(instant)
    return services.sweep.run()


def test_ses_trouble_for_hours_is_retried_not_given_up(services, clock, transport):
    from datetime import timedelta

    from tiket.services.ports import TransientMailError

    transport.fail_next = [TransientMailError("ServiceUnavailable")] * 30
    filed = services.intake.file(dict(VALID_TICKET))
    start = clock.now()
    for hours in (1, 2, 3, 6, 12, 24):
        _sweep_at(services, clock, start + timedelta(hours=hours))
    statuses = {r.status for r in _records(services)}
    assert statuses <= {"pending", "sending", "sent"} and "failed" not in statuses
    transport.fail_next.clear()
    _sweep_at(services, clock, start + timedelta(hours=26))
    first = sorted(kind for kind, _ in transport.kinds() if kind in ("confirmation", "new_ticket"))
    assert first == ["confirmation", "new_ticket", "new_ticket"]  # each once, none lost
    assert services.tickets.get(filed.number).undelivered_at is None


def test_after_three_days_the_email_fails_and_the_requester_is_told(services, clock, transport):
    from datetime import timedelta

    from tiket.services.ports import TransientMailError

    transport.fail_next = [TransientMailError("ServiceUnavailable")] * 1000
    filed = services.intake.file(dict(VALID_TICKET))
    start = clock.now()
    for hours in range(1, 80, 4):
        _sweep_at(services, clock, start + timedelta(hours=hours))
    assert {r.status for r in _records(services)} == {"failed"}  # breach notices too
    ticket = services.tickets.get(filed.number)
    assert ticket.undelivered_at is not None
    view = services.tracking.view(filed.track_token)
    assert view["undelivered"] is True
    assert "undelivered" in [h["action"] for h in view["history"]]
    # Once an operator fixed SES, the failed emails go out with the next sweep.
    transport.fail_next.clear()
    failed = len(_records(services))
    assert services.mailer.redrive() == failed
    _sweep_at(services, clock, start + timedelta(hours=81))
    assert {r.status for r in _records(services)} == {"sent"}


def test_invalid_parameter_is_permanent(services, clock, transport):
    from tiket.services.ports import PermanentMailError

    transport.fail_next = [PermanentMailError("InvalidParameterValue: bad address")]
    filed = services.intake.file(dict(VALID_TICKET))
    failed = [r for r in _records(services) if r.status == "failed"]
    assert [r.mail.kind for r in failed] == ["confirmation"]
    assert services.tickets.get(filed.number).undelivered_at is not None


def test_ses_transport_sorts_invalid_parameter_as_permanent():
    from botocore.exceptions import ClientError

    from tiket.adapters.mail.transports import SesTransport
    from tiket.services.ports import PermanentMailError

    class Refusing:
        def send_email(self, **_):
            raise ClientError(
                {"Error": {"Code": "InvalidParameterValue", "Message": "x"}}, "SendEmail"
            )

    mail = _a_mail()
    with pytest.raises(PermanentMailError):
        SesTransport(Refusing(), "TIKet <tiket@example.go.id>").send(mail)


def _unanswered_marks(services, monkeypatch, times: int) -> list[float]:
    """DynamoDB gives no answer to the first ``times`` "sent" marks; the pauses taken."""
    from tiket.domain.errors import Unavailable

    outbox, real, pauses = services.mailer.outbox, services.mailer.outbox.sent, []
    left = [times]

    def sent(*args, **kwargs):
        if left[0]:
            left[0] -= 1
            raise Unavailable()
        return real(*args, **kwargs)

    monkeypatch.setattr(outbox, "sent", sent)
    monkeypatch.setattr(services.mailer, "pause", pauses.append)
    return pauses


def _filing_mails(transport) -> list[str]:
    return sorted(k for k, _ in transport.kinds() if k in ("confirmation", "new_ticket"))


def test_a_sent_mark_without_an_answer_is_tried_again_not_sent_twice(
    services, clock, transport, monkeypatch
):
    from datetime import timedelta

    pauses = _unanswered_marks(services, monkeypatch, times=3)
    services.intake.file(dict(VALID_TICKET))
    assert len(pauses) == 3  # the confirmation's mark landed on its fourth try
    assert {r.status for r in _records(services)} == {"sent"}
    _sweep_at(services, clock, clock.now() + timedelta(hours=1))
    assert _filing_mails(transport) == ["confirmation", "new_ticket", "new_ticket"]


def test_a_mark_that_never_lands_is_sent_again_rather_than_lost(
    services, clock, transport, monkeypatch
):
    from datetime import timedelta

    _unanswered_marks(services, monkeypatch, times=4)
    services.intake.file(dict(VALID_TICKET))
    _sweep_at(services, clock, clock.now() + timedelta(hours=1))
    assert _filing_mails(transport) == ["confirmation", "confirmation", "new_ticket", "new_ticket"]


# --- 9. sent emails keep no live link --------------------------------------------------------


def test_sent_emails_are_stored_without_their_bodies(services, transport):
    from tests.support import table_items

    services.intake.file(dict(VALID_TICKET))
    mails = [i for i in table_items(services).values() if i["pk"]["S"].startswith("MAIL#")]
    assert mails and all(i["status"]["S"] == "sent" for i in mails)
    assert all("text" not in i and "html" not in i for i in mails)
    assert all("/actions/" not in str(i) and "track.html#" not in str(i) for i in mails)
    assert {i["kind"]["S"] for i in mails} == {"confirmation", "new_ticket"}


def _records(services):
    outbox = services.stores.outbox
    from tests.support import table_items

    ids = [i["id"]["S"] for i in table_items(services).values() if i["pk"]["S"].startswith("MAIL#")]
    return [outbox.get(mail_id) for mail_id in ids]


def _a_mail():
    from datetime import UTC, datetime

    from tiket.services.ports import OutgoingMail

    return OutgoingMail(
        "m1",
        "TIK-2026-000001",
        "confirmation",
        "a@b.go.id",
        "A",
        "s",
        "t",
        "<p>h</p>",
        datetime.now(UTC),
    )


# --- 3. one recipient stays one, whatever the name ---------------------------------------------

LONG_NAME = "Prof. Dr. Ir. Hj. Sri Wahyuningsih Kusumawardhani, S.Kom., M.Sc., Ph.D. (Bagian Umum)"


@pytest.mark.parametrize(
    "name",
    [
        LONG_NAME,
        'Evil" <attacker@evil.example>, "Other',
        "Ana <attacker@evil.example>",
        "Budi, Siti; Andi: \\ (x) [y]",
        "Nama \u202eKebalik",
        "Ñoño Ångström Łódź " * 4,
    ],
)
def test_the_to_header_names_exactly_one_recipient(name):
    from email import policy
    from email.parser import BytesParser

    from tiket.adapters.mail.message import to_bytes

    mail = _a_mail().__class__(**{**_a_mail().__dict__, "to_name": name})
    raw = to_bytes(mail, "TIKet <tiket@example.go.id>")
    parsed = BytesParser(policy=policy.default).parsebytes(raw)
    addresses = parsed["To"].addresses
    assert [a.addr_spec for a in addresses] == ["a@b.go.id"]
    assert all(len(line) <= 998 for line in raw.split(b"\r\n"))


# --- 4. staff sessions end: absolute lifetime, idle timeout, revoked on sign-out ----------------

TIK1 = "tik1@example.go.id"


def _stolen_cookie(client):
    cookie = client.get_cookie("tiket_session")
    assert cookie is not None
    return cookie.value


def test_a_session_ends_after_its_absolute_lifetime_however_busy(
    client, services, clock, transport
):
    from datetime import timedelta

    from tests.support import sign_in

    sign_in(client, transport, TIK1)
    for _ in range(12):  # in use every 50 minutes, for ten hours
        clock.advance(minutes=50)
        assert client.get("/api/auth/me").status_code == 200
    clock.advance(minutes=50)  # 10 h 50 min after signing in
    assert client.get("/api/auth/me").status_code == 401
    assert timedelta(hours=services.settings.session_hours) < timedelta(hours=10, minutes=50)


def test_a_session_ends_when_left_idle(client, services, clock, transport):
    from tests.support import sign_in

    sign_in(client, transport, TIK1)
    clock.advance(minutes=services.settings.session_idle_minutes + 1)
    assert client.get("/api/auth/me").status_code == 401


def test_sign_out_revokes_the_cookie_everywhere(app, client, services, transport):
    from tests.support import sign_in

    sign_in(client, transport, TIK1)
    stolen = _stolen_cookie(client)
    assert client.post("/api/auth/logout", json={}).status_code == 204
    thief = app.test_client()
    thief.set_cookie("tiket_session", stolen)
    assert thief.get("/api/auth/me").status_code == 401


def test_deactivation_ends_the_session(client, services, transport):
    from dataclasses import replace

    from tests.support import sign_in

    sign_in(client, transport, TIK1)
    services.staff.put(replace(services.staff.get(TIK1), active=False))
    assert client.get("/api/auth/me").status_code == 401


# --- 5. rotating IPv6 addresses of one /64 share one limit -------------------------------------


def test_ipv6_addresses_of_one_64_share_a_rate_limit(aws, clock, transport):
    from tests.support import make_services
    from tiket.config import RateLimit
    from tiket.domain.errors import RateLimited

    services = make_services(clock, transport, rate_limits={"tickets": RateLimit(3, 60)})
    limiter = services.rate_limiter
    for host in range(3):
        limiter.check("tickets", f"2001:db8:1:2::{host + 1}")
    with pytest.raises(RateLimited):
        limiter.check("tickets", "2001:db8:1:2:ffff:ffff:ffff:ffff")
    limiter.check("tickets", "2001:db8:1:3::1")  # another /64: its own limit
    limiter.check("tickets", "198.51.100.7")  # IPv4 by address


# --- 6. sign-in: the same work for any address, a limit per recipient ---------------------------


def _operations(api_calls, client, email):
    api_calls.clear()
    assert client.post("/api/auth/login", json={"email": email}).status_code == 202
    return [op for svc, op in api_calls.calls]


def test_login_does_the_same_work_for_staff_and_strangers(client, services, api_calls, transport):
    staff = _operations(api_calls, client, TIK1)
    stranger = _operations(api_calls, client, "nobody@example.go.id")
    inactive_before = _operations(api_calls, client, "TIK2@example.go.id")
    assert staff == stranger == inactive_before
    assert "SendEmail" not in staff  # nothing leaves inside the request
    assert transport.sent == []
    services.mailer.send_due()
    assert sorted(m.to for m in transport.sent) == [TIK1, "tik2@example.go.id"]


def test_sign_in_emails_per_recipient_are_limited(aws, clock, transport):
    from tests.support import make_services
    from tiket.config import RateLimit
    from tiket.web.app import create_app

    services = make_services(clock, transport, rate_limits={"login_to": RateLimit(2, 3600)})
    client = create_app(services=services).test_client()
    for _ in range(5):
        assert client.post("/api/auth/login", json={"email": TIK1}).status_code == 202
    services.mailer.send_due()
    assert len(transport.to(TIK1)) == 2  # the rest answered alike, and sent nothing


# --- 7. concurrent sweeps send the survey reminder once ------------------------------------------


def test_two_sweeps_at_once_send_one_survey_reminder(services, clock, transport):
    import threading
    from dataclasses import replace as clone
    from datetime import timedelta

    from tests.support import resolve
    from tiket.adapters.clock import FixedClock

    services.intake.file(dict(VALID_TICKET))
    resolve(services, transport)
    reminder_at = clock.now() + timedelta(days=4)  # two working days later, and some
    barrier = threading.Barrier(2)

    def sweep():
        own = clone(services, clock=FixedClock(reminder_at))
        barrier.wait()
        own.sweep.run()

    threads = [threading.Thread(target=sweep) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [kind for kind, _ in transport.kinds()].count("survey_reminder") == 1


# --- 8. a resent link is for the ticket as it is now ---------------------------------------------


def test_a_stale_link_cannot_be_resent(client, services, clock, transport):
    filed = services.intake.file(dict(VALID_TICKET))
    cancel_tik1 = token_for(services, latest(transport, TIK1, "new_ticket"), "cancel")
    ack_tik2 = token_for(
        services, latest(transport, "tik2@example.go.id", "new_ticket"), "acknowledge"
    )
    assert services.actions.perform(ack_tik2, {}).ticket.status == "acknowledged"
    clock.advance(hours=80)  # tik1's cancel link has expired
    response = client.post(f"/actions/{cancel_tik1}/resend", headers={"Accept": "application/json"})
    assert response.status_code == 409
    assert transport.to(TIK1)[-1].kind == "new_ticket"  # no fresh link went out
    assert services.tickets.get(filed.number).status == "acknowledged"
