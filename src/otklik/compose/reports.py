"""Reports to the platform's moderator about suspected fakes (F-REPORT, F-PROVEN-ONLY).

The public reply stays calm; the evidence goes here. Deletion is requested only when a profile
fact proves the review false (FakeSignal.proves_false), never on suspicion alone.
"""

from __future__ import annotations

from otklik.compose.phrasebank import PhraseBank
from otklik.domain import Analysis, Item, ModeratorReport
from otklik.profile import BusinessProfile


def proven_evidence(analysis: Analysis, profile: BusinessProfile | None = None) -> str | None:
    """The fact that proves the review false, for the PUBLIC reply.

    The profile's own wording of the fact is preferred: the signal's evidence may quote the review,
    and a public reply must never misquote (or even selectively quote) a customer.
    """
    for s in analysis.fake_signals:
        if s.proves_false and s.evidence.strip():
            if profile is not None:
                for claim in profile.fact_claims:
                    if claim.evidence and claim.evidence in s.evidence:
                        return claim.evidence.strip().rstrip(".")
            return s.evidence.strip().rstrip(".")
    return None


def moderator_report(
    item: Item, analysis: Analysis, profile: BusinessProfile, bank: PhraseBank, platform: str | None
) -> ModeratorReport:
    fake = bank.fake
    proven = any(s.proves_false for s in analysis.fake_signals)
    lines = [fake["report_intro"].format(item_id=item.external_id, business=profile.business.name)]
    where = platform or item.source
    if where and where != "file":  # a file import names no platform
        lines.append(f"Площадка: {where}.")
    if item.product:
        lines.append(f"Товар: {item.product}.")
    if item.rating is not None:
        lines.append(f"Оценка: {item.rating}.")
    lines.append("Признаки:")
    for s in analysis.fake_signals:
        mark = " (проверяемый факт)" if s.proves_false else ""
        lines.append(f"— {s.evidence.strip()}{mark}")
    text = item.full_text.strip()
    if text:
        lines.append(fake["report_review"].format(text=text[:1000]))
    lines.append(fake["report_deletion"] if proven else fake["report_no_deletion"])
    return ModeratorReport(
        item_id=item.external_id,
        reasons=list(analysis.fake_signals),
        text="\n".join(lines),
        request_deletion=proven,
    )
