"""A site's fact sheet as PDF, drawn with fpdf2 (pure Python: no browser, no system libraries)."""

from __future__ import annotations

import math
from datetime import date
from typing import Any

from flask import Response, abort, request
from flask_babel import format_date
from flask_babel import gettext as _
from fpdf import FPDF

from gis.investor.factsheet import FactSheet, fact_sheet, was_withdrawn
from gis.investor.settings import investor_settings
from gis.investor.sources import source_title
from webmap.database import get_settings, read_connection
from webmap.i18n import current_language
from webmap.investor import bp
from webmap.investor.exports import safe_filename
from webmap.investor.pdfmap import draw_site_map
from webmap.investor.presenting import CENTRE_LEVEL_LABELS, label, metres, public_site, square_metres
from webmap.routes import bilingual_route

# The PDF core fonts cover Latin-1 (æ, ø, å, ²); other characters are spelt out or replaced.
_REPLACEMENTS = {
    "–": "-",
    "—": "-",
    "‘": "'",
    "’": "'",
    "“": '"',
    "”": '"',
    "…": "...",
    "≈": "~",
    "•": "-",
    "\u00a0": " ",
    "\u202f": " ",
}


# The map's side on the page, in millimetres.
MAP_MM = 62


def latin1(text: Any) -> str:
    """Text the core fonts can draw."""
    value = "".join(_REPLACEMENTS.get(ch, ch) for ch in str(text))
    return value.encode("latin-1", "replace").decode("latin-1")


class SheetPdf(FPDF):
    """A4 portrait with a footer naming the source page."""

    def __init__(self, footer_text: str, brand_text: str = "") -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self.footer_text = footer_text
        self.brand_text = brand_text
        self.set_auto_page_break(auto=True, margin=18)
        self.set_margins(18, 16, 18)

    def header(self) -> None:
        # The kommune's investor brand on every page, in its colour.
        self.set_fill_color(90, 45, 130)
        self.rect(0, 0, self.w, 10, style="F")
        self.set_xy(18, 2.5)
        self.set_font("Helvetica", "B", 10)
        self.set_text_color(255, 255, 255)
        self.cell(0, 5, latin1(self.brand_text), align="L")
        self.set_text_color(0, 0, 0)
        self.set_xy(18, 16)

    def footer(self) -> None:
        self.set_y(-13)
        self.set_font("Helvetica", size=8)
        self.set_text_color(80, 80, 80)
        self.cell(0, 5, latin1(self.footer_text), align="L")
        self.cell(0, 5, f"{self.page_no()}", align="R")


def _heading(pdf: FPDF, text: str) -> None:
    pdf.ln(3)
    pdf.set_font("Helvetica", "B", 12)
    pdf.cell(0, 7, latin1(text), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", size=10)


def _facts(pdf: FPDF, rows: list[tuple[str, str]]) -> None:
    pdf.set_font("Helvetica", size=10)
    for term, value in rows:
        pdf.set_font("Helvetica", "B", 10)
        pdf.cell(55, 6, latin1(term))
        pdf.set_font("Helvetica", size=10)
        pdf.multi_cell(0, 6, latin1(value), new_x="LMARGIN", new_y="NEXT")


def _outline(pdf: FPDF, geometry: dict[str, Any], x: float, y: float, size: float) -> None:
    """The site's outline scaled into a square (local equirectangular projection)."""
    polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
    points = [pt for polygon in polygons for ring in polygon for pt in ring]
    lat0 = sum(p[1] for p in points) / len(points)
    scale_x = math.cos(math.radians(lat0))
    xs = [p[0] * scale_x for p in points]
    ys = [p[1] for p in points]
    span = max(max(xs) - min(xs), max(ys) - min(ys)) or 1e-9
    pdf.set_draw_color(90, 90, 90)
    pdf.rect(x, y, size, size)
    pdf.set_draw_color(179, 89, 0)
    pdf.set_fill_color(255, 204, 153)
    pdf.set_line_width(0.5)
    for polygon in polygons:
        for ring in polygon:
            mapped = [
                (
                    x + 4 + (p[0] * scale_x - min(xs)) / span * (size - 8),
                    y + size - 4 - (p[1] - min(ys)) / span * (size - 8),
                )
                for p in ring
            ]
            pdf.polygon(mapped, style="DF")
    pdf.set_line_width(0.2)
    pdf.set_draw_color(0, 0, 0)


def _allowed_fact(sheet: FactSheet) -> list[tuple[str, str]]:
    """The allowed floor (or built-up) area as one fact line, when a plan gives it."""
    allowed = sheet.allowed_floor_area
    if allowed is None:
        return []
    name = _("Tillatt bruksareal (BRA)") if allowed["measure"] == "BRA" else _("Tillatt bebygd areal (BYA)")
    return [
        (
            name,
            _("ca. %(area)s", area=square_metres(allowed["m2"]))
            + " ("
            + _("etter %(plan)s", plan=allowed["plan"])
            + ")",
        )
    ]


def render_pdf(sheet: FactSheet, lang: str, page_url: str) -> bytes:
    """The fact sheet's key facts, the outline, plans, contact and sources."""
    site = public_site(sheet.site, lang)
    kommune = get_settings().kommune.name
    pdf = SheetPdf(
        f"{page_url}  ·  {format_date(date.today())}".replace("·", "-"),
        _("Invester i %(kommune)s", kommune=kommune) + " - " + _("%(kommune)s kommune", kommune=kommune),
    )
    pdf.set_title(latin1(site["name"]))
    pdf.set_creator("Næringskart")
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 18)
    pdf.multi_cell(0, 9, latin1(site["name"]), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", size=10)
    if site["fictional"]:
        pdf.set_text_color(120, 60, 0)
        pdf.multi_cell(
            0,
            5,
            latin1(
                _("Fiktive data")
                + ": "
                + _("Demodata: alle næringsarealer, kontakter og tall merket fiktive er oppdiktet.")
            ),
            new_x="LMARGIN",
            new_y="NEXT",
        )
        pdf.set_text_color(0, 0, 0)
    top = pdf.get_y() + 2
    legend = {
        "site": site["name"],
        "zoning": _("Reguleringsformål (gjeldende planer)"),
        "road": _("Hovedveg"),
        "building": _("Bygning"),
        "station": _("Stasjon eller holdeplass"),
        "junction": _("Hovedvegkryss"),
    }
    if not draw_site_map(
        pdf, sheet.context, pdf.w - 18 - MAP_MM, top, MAP_MM, lambda kind: latin1(legend[kind])
    ):
        _outline(pdf, sheet.geometry, pdf.w - 18 - MAP_MM, top, MAP_MM)
    pdf.set_y(top)
    pdf.set_right_margin(18 + MAP_MM + 4)
    facts = [
        (_("Areal"), site["area_label"]),
        *_allowed_fact(sheet),
        (_("Status"), site["status_label"]),
        (_("Planstatus"), site["readiness_label"]),
        (_("Tillatt bruk"), site["uses_label"]),
        (
            _("Reguleringsformål"),
            f"{site['zoning_code']} {site['zoning_name'] or ''}".strip() if site["zoning_code"] else "–",
        ),
        (_("Eierskap"), site["ownership_label"]),
        (_("Tettsted"), site["tettsted"] or "–"),
        (
            _("Nærmeste stasjon"),
            f"{site['rail_name']} ({site['rail_label']})"
            if site["rail_name"]
            else _("Ingen data om stasjoner"),
        ),
        (_("Nærmeste hovedvegkryss"), site["road_label"] or _("Ingen data om hovedvegnettet")),
        *([(_("Nærmeste fergekai"), site["port_label"])] if site["port_label"] else []),
        (_("Sist kontrollert"), format_date(site["last_verified"]) if site["last_verified"] else "–"),
    ]
    if site["abc_class"]:
        facts.append((_("ABC-klasse"), site["abc_class"]))
    if site["focus_areas"]:
        facts.append((_("Fokusområde"), ", ".join(f["name"] for f in site["focus_areas"])))
    _facts(pdf, facts)
    pdf.set_right_margin(18)
    pdf.set_y(max(pdf.get_y(), top + MAP_MM + 18))
    if site["description"]:
        pdf.ln(2)
        pdf.multi_cell(0, 5, latin1(site["description"]), new_x="LMARGIN", new_y="NEXT")
    _heading(pdf, _("Regulering og planer"))
    if sheet.zoning_conflicts:
        code_name = "code_name_en" if lang == "en" else "code_name"
        pdf.set_text_color(150, 40, 0)
        pdf.set_font("Helvetica", "B", 10)
        pdf.multi_cell(
            0,
            5,
            latin1(
                _("Mulig reguleringskonflikt")
                + ": "
                + "; ".join(
                    _(
                        "%(share)s %% i %(purpose)s (%(plan)s)",
                        share=p["share_pct"],
                        purpose=f"{p['code']} {p[code_name] or ''}".strip(),
                        plan=p["plannavn"] or p["planidentifikasjon"],
                    )
                    for p in sheet.zoning_conflicts
                )
            ),
            new_x="LMARGIN",
            new_y="NEXT",
        )
        pdf.set_font("Helvetica", size=10)
        pdf.set_text_color(0, 0, 0)
    if sheet.plans:
        for plan in sheet.plans:
            text = (
                f"{plan['plannavn'] or plan['planidentifikasjon']}: {plan['code']} "
                f"{plan['code_name_en' if lang == 'en' else 'code_name'] or ''} ({plan['share_pct']} %)"
            )
            if plan["utnytting_tall"] is not None:
                text += f", {_('utnytting')} {plan['utnytting_tall']:g}"
            pdf.multi_cell(0, 5, latin1(text), new_x="LMARGIN", new_y="NEXT")
    else:
        pdf.multi_cell(
            0,
            5,
            latin1(_("Ingen gjeldende planer i databasen dekker arealet.")),
            new_x="LMARGIN",
            new_y="NEXT",
        )
    if sheet.centres:
        _heading(pdf, _("Sentre i nærheten"))
        for centre in sheet.centres:
            level = label(CENTRE_LEVEL_LABELS, centre["level"])
            pdf.multi_cell(
                0,
                5,
                latin1(f"{centre['name']} ({level}): {metres(centre['distance_m'])}"),
                new_x="LMARGIN",
                new_y="NEXT",
            )
    _heading(pdf, _("Kontakt"))
    contact = investor_settings(get_settings().kommune)
    lines = [v for v in (contact.contact_name, contact.contact_email, contact.contact_phone) if v]
    if sheet.contact:
        lines += [v for v in sheet.contact.values() if v]
    pdf.multi_cell(0, 5, latin1("\n".join(lines) or "–"), new_x="LMARGIN", new_y="NEXT")
    _heading(pdf, _("Datakilder"))
    sources = [
        source_title(s["source"], lang)
        + (f", {format_date(s['finished_at'].date())}" if s["finished_at"] else "")
        for s in sheet.sources
    ]
    pdf.multi_cell(0, 5, latin1("\n".join(sources) or "–"), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    pdf.set_font("Helvetica", size=9)
    pdf.multi_cell(
        0,
        5,
        latin1(
            _(
                "Areal: %(area)s. Fullstendig faktaark: %(url)s",
                area=square_metres(site["area_m2"]),
                url=page_url,
            )
        ),
        new_x="LMARGIN",
        new_y="NEXT",
    )
    return bytes(pdf.output())


@bilingual_route(bp, "/investor/tomt/<site_key>/pdf", "/en/investor/site/<site_key>/pdf")
def site_pdf(site_key: str) -> Response:
    """The fact sheet as a PDF download."""
    lang = current_language()
    with read_connection() as conn:
        sheet = fact_sheet(conn, site_key)
        if sheet is None:
            abort(410 if was_withdrawn(conn, site_key) else 404)
    page_url = get_settings().public_base_url + request.path.rsplit("/pdf", 1)[0]
    body = render_pdf(sheet, lang, page_url)
    return Response(
        body,
        mimetype="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{safe_filename(site_key)}.pdf"'},
    )
