"""The report's charts as SVG (pygal): drawn on the server, shown inline by the staff pages,
never running a script."""

from __future__ import annotations

import math
from decimal import Decimal

import pygal
from pygal.style import Style

from tiket.domain.reporting import Report
from tiket.domain.skm import UNSUR
from tiket.messages import CATEGORIES, REPORT_CHARTS, SKM_UNSUR, STEPS, format_number, label, t
from tiket.services.exports import threshold_text

SVG_MIMETYPE = "image/svg+xml; charset=utf-8"
CHARTS = tuple(REPORT_CHARTS)
CHART_CSS = (
    "file://style.css",
    "file://graph.css",
    "inline:.axis .major.guide.line { stroke-width: 3px; }",
)
CHART_STYLE = Style(
    background="#ffffff",
    plot_background="#ffffff",
    foreground="#1b1f1d",
    foreground_strong="#1b1f1d",
    foreground_subtle="#4f5b55",
    colors=("#14613a",),
    guide_stroke_color="#9aa59f",
    # The only major guide is the compliance threshold: a solid red line.
    major_guide_stroke_color="#b42318",
    major_guide_stroke_dasharray="none",
    font_family="'DejaVu Sans', Arial, sans-serif",
    value_font_size=13,
    label_font_size=13,
    major_label_font_size=13,
    title_font_size=17,
)


def chart_svg(name: str, report: Report, lang: str) -> str:
    """The chart ``name`` (one of ``CHARTS``) as a standalone SVG document. Horizontal
    bars (long labels read well) are drawn bottom-up, so the lists go in reversed."""
    title = label(REPORT_CHARTS, name, lang)
    if name == "category":
        values = report.by_category
        # Whole-number ticks: pygal would otherwise label fractions of a ticket.
        step = max(1, math.ceil(max(values.values(), default=0) / 8))
        ticks = list(range(0, max(values.values(), default=0) + step + 1, step))
        chart = _bar(title, lang, y_labels=ticks, value_formatter=lambda v: f"{v:.0f}")
        codes = list(reversed(list(values)))
        chart.x_labels = [label(CATEGORIES, code, lang) for code in codes]
        chart.add(t("chart.series.tickets", lang), [values[code] for code in codes])
    elif name == "compliance":
        threshold = report.threshold_percent
        line = t("chart.threshold", lang, percent=threshold_text(threshold, lang))
        chart = _bar(
            f"{title} \u2014 {line}",
            lang,
            range=(0, 100),
            # The threshold is drawn as the one major guide line across the bars.
            y_labels=sorted({0, 20, 40, 60, 80, 100, threshold}),
            y_labels_major=[threshold],
            value_formatter=lambda v: format_number(v, lang),
        )
        steps = list(reversed(list(report.compliance.values())))
        chart.x_labels = [label(STEPS, figures.step, lang) for figures in steps]
        chart.add(t("chart.series.on_time", lang), [figures.percent for figures in steps])
    elif name == "skm":
        nrr = report.skm.result.nrr
        chart = _bar(title, lang, range=(0, 4), value_formatter=lambda v: format_number(v, lang, 2))
        codes = list(reversed(UNSUR))
        chart.x_labels = [f"{code} {SKM_UNSUR[code][0]}" for code in codes]
        chart.add(t("chart.series.nrr", lang), [_float(nrr[c]) for c in codes])
    else:
        raise KeyError(name)
    return chart.render()


def _float(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def _bar(title: str, lang: str, **config) -> pygal.HorizontalBar:
    chart = pygal.HorizontalBar(
        title=title,
        style=CHART_STYLE,
        css=CHART_CSS,
        width=900,
        height=420,
        show_legend=False,
        print_values=True,
        truncate_label=-1,
        no_data_text=t("chart.no_data", lang),
        # No script: no external pygal.js, and the inline config script is stripped below.
        js=[],
        disable_xml_declaration=True,
        **config,
    )
    chart.add_xml_filter(_without_scripts)
    return chart


def _without_scripts(root):
    for parent in root.iter():
        for child in list(parent):
            if str(child.tag).rsplit("}", 1)[-1] == "script":
                parent.remove(child)
    return root
