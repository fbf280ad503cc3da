"""The district's 梯队: schools ranked 示范 / 规范 / 达标 (below: 未达标) by their total score rate, at thresholds the
district sets (seed 004's three tiers; the thresholds are the district's to set). Defaults: 95 %, 85 %, 70 %."""

from __future__ import annotations

import json
import logging
import math
from dataclasses import dataclass

from selfcheck.district.errors import DistrictError

log = logging.getLogger(__name__)

TIER_NAMES = ("示范", "规范", "达标")
BELOW = "未达标"
ALL_TIERS = (*TIER_NAMES, BELOW)
META_KEY = "tier_thresholds"


@dataclass(frozen=True)
class TierThresholds:
    """The lowest total score rate (in %, inclusive) of each tier."""

    demo: float = 95.0  # 示范
    standard: float = 85.0  # 规范
    passing: float = 70.0  # 达标

    @classmethod
    def checked(cls, demo: float, standard: float, passing: float) -> TierThresholds:
        """Thresholds as the district typed them; DistrictError when they cannot rank schools."""
        for name, value in zip(TIER_NAMES, (demo, standard, passing), strict=True):
            if not math.isfinite(value) or not 0 < value <= 100:
                raise DistrictError(f"“{name}”的得分率下限应大于 0、不超过 100（%），实际是 {value:g}。")
        if not demo > standard > passing:
            raise DistrictError(
                f"三级梯队的得分率下限应从高到低：示范（{demo:g}%）> 规范（{standard:g}%）> 达标（{passing:g}%）。",
                hint="请调整后重试；例如 示范 95、规范 85、达标 70。")
        return cls(demo, standard, passing)

    def pairs(self) -> tuple[tuple[float, str], ...]:
        return (self.demo, "示范"), (self.standard, "规范"), (self.passing, "达标")

    def tier_of(self, rate: float | None) -> str:
        """The tier of a score rate (0–1); "" when there is none (no applicable points)."""
        if rate is None:
            return ""
        for threshold, name in self.pairs():
            if rate * 100 >= threshold - 1e-7:
                return name
        return BELOW

    def text(self) -> str:
        """e.g. 示范≥95%，规范≥85%，达标≥70%"""
        return "，".join(f"{name}≥{threshold:g}%" for threshold, name in self.pairs())

    def dumps(self) -> str:
        return json.dumps([self.demo, self.standard, self.passing])

    @classmethod
    def loads(cls, text: str | None) -> TierThresholds:
        """The stored thresholds; the defaults when none were set (or the stored value is unreadable)."""
        if not text:
            return cls()
        try:
            demo, standard, passing = (float(v) for v in json.loads(text))
            return cls.checked(demo, standard, passing)
        except (ValueError, TypeError, DistrictError) as err:
            log.warning("stored tier thresholds %r unreadable, using the defaults: %s", text, err)
            return cls()
