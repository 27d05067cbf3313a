"""An HTML report with plots. Review text is untrusted: Jinja2 autoescapes every value."""

from __future__ import annotations

import base64
import io
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

from otklik.insights.complaints import ComplaintStats, series, top_products


def _png(fig) -> str:  # noqa: ANN001 - matplotlib Figure
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=110, bbox_inches="tight")
    return base64.b64encode(buf.getvalue()).decode("ascii")


def plots(stats: ComplaintStats, *, top: int = 6) -> dict[str, str]:
    """Base64 PNGs: causes over time, and causes per product."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    out: dict[str, str] = {}
    causes = [a for a, _ in stats.totals.most_common(top)]
    if stats.periods and causes:
        fig, ax = plt.subplots(figsize=(8, 3.6))
        for a in causes:
            ax.plot(stats.periods, series(stats, a), marker="o", label=a)
        ax.set_title(f"Complaint causes per {stats.period}")
        ax.set_ylabel("reviews")
        ax.legend(fontsize=8, ncol=2)
        fig.autofmt_xdate()
        out["over_time"] = _png(fig)
        plt.close(fig)
    products = top_products(stats, 8)
    if products and causes:
        fig, ax = plt.subplots(figsize=(8, 0.5 + 0.45 * len(products)))
        left = [0] * len(products)
        names = [p for p, _ in products]
        for a in causes:
            vals = [c.get(a, 0) for _, c in products]
            ax.barh(names, vals, left=left, label=a)
            left = [x + y for x, y in zip(left, vals, strict=True)]
        ax.invert_yaxis()
        ax.set_title("Complaint causes per product")
        ax.legend(fontsize=8, ncol=3)
        out["per_product"] = _png(fig)
        plt.close(fig)
    return out


def render_html(stats: ComplaintStats, *, business: str) -> str:
    env = Environment(
        loader=FileSystemLoader(Path(__file__).parent / "templates"),
        autoescape=select_autoescape(["html", "j2"]),
    )
    return env.get_template("report.html.j2").render(
        stats=stats, business=business, images=plots(stats), products=top_products(stats, 10),
        causes=[a for a, _ in stats.totals.most_common()],
    )
