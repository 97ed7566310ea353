"""The report's charts as SVG (pygal): drawn on the server, shown inline by the staff pages,
never running a script.

Each chart comes wide (900 px, for screens and print) or narrow (360 px, for phones: drawn at
about the size it is shown, so its 15 px labels stay over 12 px on a 390 px screen; long
labels wrap over lines instead of squeezing the bars)."""

from __future__ import annotations

import math
import textwrap
from decimal import Decimal
from functools import partial

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
NARROW_STYLE = Style(
    **{
        **{k: v for k, v in CHART_STYLE.__dict__.items() if not k.startswith("_")},
        "value_font_size": 15,
        "label_font_size": 15,
        "major_label_font_size": 15,
        "title_font_size": 16,
        "no_data_font_size": 22,
    }
)
NARROW_WIDTH = 360
NARROW_LINE = 17  # characters per label line on a phone
NARROW_ROW = 64  # px per bar: room for three label lines


def chart_svg(name: str, report: Report, lang: str, narrow: bool = False) -> str:
    """The chart ``name`` (one of ``CHARTS``) as a standalone SVG document. Horizontal
    bars (long labels read well) are drawn bottom-up, so the lists go in reversed."""
    title = label(REPORT_CHARTS, name, lang)
    bar = partial(_bar, narrow=narrow)
    if name == "category":
        values = report.by_category
        # Whole-number ticks: pygal would otherwise label fractions of a ticket.
        step = max(1, math.ceil(max(values.values(), default=0) / 8))
        ticks = list(range(0, max(values.values(), default=0) + step + 1, step))
        chart = bar(title, lang, y_labels=ticks, value_formatter=lambda v: f"{v:.0f}")
        codes = list(reversed(list(values)))
        chart.x_labels = [label(CATEGORIES, code, lang) for code in codes]
        chart.add(t("chart.series.tickets", lang), [values[code] for code in codes])
    elif name == "compliance":
        threshold = report.threshold_percent
        line = t("chart.threshold", lang, percent=threshold_text(threshold, lang))
        chart = bar(
            f"{title} \u2014 {line}",
            lang,
            range=(0, 100),
            # The threshold is drawn as the one major guide line across the bars.
            y_labels=sorted(
                {0, 50, 100, threshold} if narrow else {0, 20, 40, 60, 80, 100, threshold}
            ),
            y_labels_major=[threshold],
            # A phone's axis has room for whole percentages; the table has the decimals.
            value_formatter=lambda v: format_number(v, lang, 0 if narrow else 1),
        )
        steps = list(reversed(list(report.compliance.values())))
        chart.x_labels = [label(STEPS, figures.step, lang) for figures in steps]
        chart.add(t("chart.series.on_time", lang), [figures.percent for figures in steps])
    elif name == "skm":
        nrr = report.skm.result.nrr
        chart = bar(title, lang, range=(0, 4), value_formatter=lambda v: format_number(v, lang, 2))
        codes = list(reversed(UNSUR))
        chart.x_labels = [f"{code} {SKM_UNSUR[code][0]}" for code in codes]
        chart.add(t("chart.series.nrr", lang), [_float(nrr[c]) for c in codes])
    else:
        raise KeyError(name)
    if narrow:
        _wrap_labels(chart)
    return chart.render()


def _wrap_labels(chart: pygal.HorizontalBar) -> None:
    """Labels over lines for the narrow chart: pygal measures and draws the first line;
    the filter adds the others below it (pygal draws one line per label)."""
    wrapped = [textwrap.wrap(str(text), NARROW_LINE) or [""] for text in chart.x_labels]
    chart.height = 120 + NARROW_ROW * max(len(wrapped), 1)
    chart.x_labels = [lines[0] for lines in wrapped]
    rest = {lines[0]: lines[1:] for lines in wrapped if len(lines) > 1}
    chart.add_xml_filter(partial(_label_lines, rest=rest))


def _label_lines(root, rest: dict[str, list[str]]):
    size = NARROW_STYLE.label_font_size
    for node in root.iter():
        if str(node.tag).rsplit("}", 1)[-1] != "text" or node.text not in rest:
            continue
        more = rest[node.text]
        namespace = str(node.tag)[: str(node.tag).find("}") + 1]
        # Centre the block of lines where pygal centred the one.
        node.set("y", f"{float(node.get('y', '0')) - len(more) * size * 0.6:.1f}")
        for line in more:
            span = node.makeelement(f"{namespace}tspan", {"x": node.get("x", "0")})
            span.set("dy", f"{size * 1.2:.1f}")
            span.text = line
            node.append(span)
    return root


def _float(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def _bar(title: str, lang: str, narrow: bool = False, **config) -> pygal.HorizontalBar:
    chart = pygal.HorizontalBar(
        title=title,
        style=NARROW_STYLE if narrow else CHART_STYLE,
        css=CHART_CSS,
        width=NARROW_WIDTH if narrow else 900,
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
