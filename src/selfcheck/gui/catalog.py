"""The checklists available for new inspections: built-in ones plus the user's folder, loaded once at start-up."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from selfcheck.errors import ChecklistError
from selfcheck.paths import data_dir

if TYPE_CHECKING:
    from selfcheck.checklists.models import Checklist, PackRef

log = logging.getLogger(__name__)

USER_CHECKLISTS_FOLDER = "清单"


def user_checklists_dir() -> Path:
    """Where a district's or school's own checklist files go (loaded beside the built-in ones)."""
    return data_dir() / USER_CHECKLISTS_FOLDER


@dataclass(frozen=True)
class ChecklistCatalog:
    """Loaded checklists in 1+3+N order, and what went wrong while loading (shown in the library)."""

    checklists: list[Checklist]  # the loader (YAML, pydantic) is imported only when a catalog is loaded
    problem: str | None = None
    extra_dirs: tuple[Path, ...] = field(default=())
    pack: PackRef | None = None  # the district pack whose checklists and values are in force

    def get(self, checklist_id: str) -> Checklist | None:
        return next((c for c in self.checklists if c.id == checklist_id), None)

    @property
    def item_count(self) -> int:
        return sum(len(c.all_items()) for c in self.checklists)


def load_catalog(extra_dirs: list[Path] | None = None, pack_root: Path | None = None) -> ChecklistCatalog:
    """Load the built-in checklists, any user folder and the imported district pack; never raises.

    A broken user file must not lock the school out of the app: the built-in set is used and the problem kept.
    """
    from selfcheck.checklists.loader import load_builtin_checklists, load_checklists
    from selfcheck.checklists.packs import default_installed_root, installed_pack

    if extra_dirs is None:
        folder = user_checklists_dir()
        extra_dirs = [folder] if folder.is_dir() and any(folder.iterdir()) else []
    try:
        pack = installed_pack(pack_root if pack_root is not None else default_installed_root())
        if pack is not None:
            return ChecklistCatalog(pack.load_checklists(extra_dirs), extra_dirs=tuple(extra_dirs), pack=pack.ref)
        return ChecklistCatalog(load_checklists(extra_dirs), extra_dirs=tuple(extra_dirs))
    except ChecklistError as err:
        log.warning("checklists failed to load: %s", err)
        try:
            builtin = load_builtin_checklists()
        except ChecklistError as builtin_err:
            return ChecklistCatalog([], problem=str(builtin_err))
        sources = [f"自定义清单（{'、'.join(str(d) for d in extra_dirs)}）" if extra_dirs else "",
                   "区县清单包"]
        return ChecklistCatalog(builtin, problem=f"{'或'.join(s for s in sources if s)}未能加载，暂时只使用内置清单。\n{err}")
