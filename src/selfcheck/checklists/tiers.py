"""Score tiers (示范 / 规范 / 达标 / 未达标): which tier a checklist's tally reaches."""

from __future__ import annotations

from typing import TYPE_CHECKING

from selfcheck.checklists.models import BELOW_LOWEST_TIER, Checklist, ParamRef

if TYPE_CHECKING:
    from selfcheck.checklists.scoring import Tally


def thresholds(checklist: Checklist) -> list[tuple[str, float]]:
    """(tier name, lowest score rate in %) from the highest tier down; [] when the checklist has no tiers.

    A threshold still naming a parameter (an unresolved template) takes that parameter's default."""
    result: list[tuple[str, float]] = []
    for tier in checklist.tiers:
        value = tier.min_percent
        if isinstance(value, ParamRef):
            value = checklist.parameter(value.param).default
        result.append((tier.name, float(value)))
    return sorted(result, key=lambda pair: -pair[1])


def tier_of(checklist: Checklist, tally: Tally) -> str | None:
    """The tier reached, or None when the checklist has no tiers, has unanswered items or nothing applicable.

    The score rate is score / max_score (the points of the applicable items); reaching a threshold exactly
    counts (≥). Compared in integers, so 90 % of 30 points is reached by 27 points and not by 26.
    """
    levels = thresholds(checklist)
    if not levels or tally.unanswered or tally.max_score <= 0:
        return None
    for name, minimum in levels:
        if tally.score * 100 >= minimum * tally.max_score - 1e-9:
            return name
    return BELOW_LOWEST_TIER


def score_rate(tally: Tally) -> float | None:
    """Score as a percentage of the applicable points, or None when nothing applies."""
    return None if tally.max_score <= 0 else tally.score * 100 / tally.max_score
