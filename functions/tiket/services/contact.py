"""Links to reach a requester from an action or staff page: ``tel:``, ``mailto:`` and
WhatsApp (``https://wa.me/<digits>``), built from what the requester typed.

Every part is percent-encoded: an address such as ``x?cc=attacker%40evil.com@example.go.id``
stays one address (its ``?``, ``=`` and ``%`` encoded), so a link never adds a Cc, a Bcc or a
body of someone else's choosing."""

from __future__ import annotations

import re
from urllib.parse import quote

from typing_extensions import TypedDict

# Indonesian mobile numbers: 08…, +62 8…, 62 8…, 8…; 9 to 13 digits after the country code.
_MOBILE = re.compile(r"8[0-9]{8,12}")


class ContactLinks(TypedDict):
    tel: str | None
    whatsapp: str | None
    mailto: str | None


def tel_link(phone: str | None) -> str | None:
    """``tel:`` with the digits and a leading ``+`` only; None without digits."""
    if not phone:
        return None
    plus = "+" if phone.strip().startswith("+") else ""
    digits = re.sub(r"[^0-9]", "", phone)
    return f"tel:{plus}{digits}" if 4 <= len(digits) <= 20 else None


def whatsapp_number(phone: str | None) -> str | None:
    """The international digits of an Indonesian mobile number (``6281234567890``), or None
    for a landline, a foreign or an unreadable number (WhatsApp needs a mobile)."""
    if not phone:
        return None
    digits = re.sub(r"[^0-9]", "", phone)
    for prefix in ("62", "0"):
        if digits.startswith(prefix) and _MOBILE.fullmatch(digits[len(prefix) :]):
            return "62" + digits[len(prefix) :]
    return "62" + digits if _MOBILE.fullmatch(digits) else None


def whatsapp_link(phone: str | None, text: str | None = None) -> str | None:
    number = whatsapp_number(phone)
    if number is None:
        return None
    query = f"?text={quote(text, safe='')}" if text else ""
    return f"https://wa.me/{number}{query}"


def mailto_link(email: str | None, subject: str | None = None) -> str | None:
    """``mailto:`` for one address, every reserved character of it encoded (``@`` kept),
    with an optional subject."""
    if not email or not email.strip():
        return None
    address = quote(email.strip(), safe="@")
    query = f"?subject={quote(subject, safe='')}" if subject else ""
    return f"mailto:{address}{query}"


def contact_links(email: str | None, phone: str | None, number: str, subject: str) -> ContactLinks:
    """The three links for a ticket's requester; the email and WhatsApp text name the ticket."""
    about = f"[{number}] {subject}"
    return {
        "tel": tel_link(phone),
        "whatsapp": whatsapp_link(phone, about),
        "mailto": mailto_link(email, about),
    }
