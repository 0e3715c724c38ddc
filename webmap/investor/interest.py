"""'Meld interesse': the form, stored for the kommune, rate-limited per sender address."""

from __future__ import annotations

from flask import redirect, render_template, request, session
from werkzeug.wrappers import Response

from gis.investor.catalogue import Filters, search_sites
from gis.investor.interest import (
    InterestRequest,
    allow_submission,
    client_hash,
    reference,
    store_interest,
)
from gis.investor.settings import investor_settings
from webmap.database import connection, get_settings
from webmap.i18n import current_language
from webmap.investor import bp, link
from webmap.investor.forms import InterestForm
from webmap.routes import bilingual_route, other_language_url

SENT_KEY = "interest_sent"


def _clean(value: str | None) -> str | None:
    value = (value or "").strip()
    return value or None


@bilingual_route(bp, "/investor/meld-interesse", "/en/investor/interest", methods=["GET", "POST"])
def interest() -> str | Response | tuple[str, int]:
    """Show the form; on a valid POST store the request and redirect to a thank-you page."""
    form = InterestForm()
    if request.method == "GET":
        form.site.data = request.args.get("site", "")
    site_key = _clean(form.site.data)
    site = None
    if site_key:
        with connection() as conn:
            found = search_sites(conn, Filters(), keys=[site_key])
        site = found[0] if found else None
        if site is None:
            form.site.data = ""
    status = 200
    limited = False
    if form.validate_on_submit():
        settings = get_settings()
        limits = investor_settings(settings.kommune)
        sender = client_hash(settings.secret_key, request.remote_addr or "unknown")
        with connection() as conn:
            limited = not allow_submission(
                conn,
                action="interest",
                client=sender,
                limit=limits.interest_limit,
                window_seconds=limits.interest_window_seconds,
            )
            if not limited:
                request_id = store_interest(
                    conn,
                    InterestRequest(
                        name=form.name.data.strip(),
                        email=form.email.data.strip(),
                        company=_clean(form.company.data),
                        need=_clean(form.need.data),
                        message=_clean(form.message.data),
                        consent=bool(form.consent.data),
                        lang=current_language(),
                        site_key=site["site_key"] if site else None,
                    ),
                )
        if not limited:
            # Post/redirect/get: the thank-you page shows the reference and the site (kept in
            # the signed session cookie, not the URL), nothing the sender typed.
            session[SENT_KEY] = {
                "reference": reference(request_id),
                "site_key": site["site_key"] if site else None,
            }
            return redirect(link("interest_sent"), code=303)
        status = 429
    elif request.method == "POST":
        status = 422
    page = render_template(
        "investor/interest.html",
        form=form,
        site=site,
        limited=limited,
        other_language_url=other_language_url(),
    )
    return page, status


@bilingual_route(bp, "/investor/meld-interesse/takk", "/en/investor/interest/thanks")
def interest_sent() -> str:
    """A confirmation with the reference number, the site it is about and when to expect an
    answer; it repeats nothing the sender typed."""
    sent = session.get(SENT_KEY) or {}
    site = None
    if sent.get("site_key"):
        with connection() as conn:
            found = search_sites(conn, Filters(), keys=[str(sent["site_key"])])
        site = found[0] if found else None
    days = investor_settings(get_settings().kommune).interest_response_days
    return render_template(
        "investor/interest_sent.html",
        reference=sent.get("reference"),
        site=site,
        response_days=days,
        other_language_url=other_language_url(),
    )
