"""Finds TrueType CJK fonts (Windows' SimSun/SimHei/FangSong/KaiTi first) and registers them with reportlab."""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from selfcheck.errors import ReportError

log = logging.getLogger(__name__)

FONT_SUFFIXES = (".ttf", ".ttc")
PROBE_CHARS = "中学校报告"  # a face that lacks these cannot set a Chinese report

# (file name, face index) per role, best first. Windows' own fonts are the fonts of official documents;
# the rest are free TrueType CJK fonts found on Linux desktops.
ROLE_CANDIDATES: dict[str, list[tuple[str, int]]] = {
    "song": [("simsun.ttc", 0), ("simsun.ttf", 0), ("nsimsun.ttf", 0), ("uming.ttc", 0), ("wqy-zenhei.ttc", 0),
             ("wqy-microhei.ttc", 0)],
    "hei": [("simhei.ttf", 0), ("msyh.ttc", 0), ("wqy-zenhei.ttc", 0), ("wqy-microhei.ttc", 0), ("uming.ttc", 0)],
    "fang": [("simfang.ttf", 0), ("fangsong.ttf", 0), ("simsun.ttc", 0), ("uming.ttc", 0), ("wqy-zenhei.ttc", 0),
             ("wqy-microhei.ttc", 0)],
    "kai": [("simkai.ttf", 0), ("kaiti.ttf", 0), ("ukai.ttc", 0), ("simfang.ttf", 0), ("uming.ttc", 0),
            ("wqy-zenhei.ttc", 0), ("wqy-microhei.ttc", 0)],
}
ROLES = tuple(ROLE_CANDIDATES)
STAMP_ROLE_ORDER = ("hei", "song", "kai", "fang")  # the signature appearance: plain and legible


@dataclass(frozen=True)
class FontFace:
    path: Path
    index: int = 0

    @property
    def reportlab_name(self) -> str:
        return f"SC-{self.path.stem}-{self.index}"


@dataclass(frozen=True)
class ReportFonts:
    """reportlab font names per role, and the faces behind them."""

    song: str
    hei: str
    fang: str
    kai: str
    faces: dict[str, FontFace]

    def stamp_face(self) -> FontFace:
        """The face used for the signature appearance (text in the stamp must be Chinese-capable)."""
        for role in STAMP_ROLE_ORDER:
            if role in self.faces:
                return self.faces[role]
        raise AssertionError("no font roles")  # every ReportFonts has all roles


def windows_font_dirs() -> list[Path]:
    dirs = []
    for var in ("WINDIR", "SystemRoot"):
        value = os.environ.get(var)
        if value:
            dirs.append(Path(value) / "Fonts")
    dirs.append(Path("C:/Windows/Fonts"))
    local = os.environ.get("LOCALAPPDATA")
    if local:
        dirs.append(Path(local) / "Microsoft" / "Windows" / "Fonts")  # per-user installs on Windows 10+
    return dirs


def font_dirs() -> list[Path]:
    """Folders searched for fonts, in order: bundled resources, Windows, then the usual Linux/macOS folders."""
    dirs: list[Path] = []
    with contextlib.suppress(FileNotFoundError):
        from selfcheck.resources import resource_path

        dirs.append(resource_path("fonts"))
    if sys.platform == "win32":
        dirs += windows_font_dirs()
    home = Path.home()
    dirs += [home / ".local/share/fonts", home / ".fonts", Path("/usr/local/share/fonts"), Path("/usr/share/fonts"),
             Path("/Library/Fonts"), Path("/System/Library/Fonts")]
    if sys.platform != "win32":
        dirs += windows_font_dirs()  # a mounted Windows partition or a copied Fonts folder via WINDIR
    unique: list[Path] = []
    for d in dirs:
        if d not in unique:
            unique.append(d)
    return unique


def _index_fonts(dirs: Iterable[Path]) -> dict[str, Path]:
    """Lower-case file name → first path found (earlier folders win)."""
    index: dict[str, Path] = {}
    for folder in dirs:
        try:
            if not folder.is_dir():
                continue
            for path in sorted(folder.rglob("*")):
                if path.suffix.lower() in FONT_SUFFIXES and path.is_file():
                    index.setdefault(path.name.lower(), path)
        except OSError:
            continue  # an unreadable folder is skipped, not fatal
    return index


def _fc_list_fonts() -> list[Path]:
    """Files fontconfig knows that cover Chinese (empty where fc-list is missing)."""
    exe = shutil.which("fc-list")
    if not exe:
        return []
    try:
        out = subprocess.run([exe, ":lang=zh", "file"], capture_output=True, text=True, timeout=15, check=False)
    except (OSError, subprocess.SubprocessError):
        return []
    paths = []
    for line in out.stdout.splitlines():
        path = Path(line.strip().rstrip(":"))
        if path.suffix.lower() in FONT_SUFFIXES:
            paths.append(path)
    return sorted(set(paths))


def _usable(face: FontFace) -> bool:
    """Whether reportlab can embed the face (TrueType outlines) and it has Chinese glyphs."""
    from reportlab.pdfbase.ttfonts import TTFError, TTFont

    try:
        font = TTFont(face.reportlab_name, str(face.path), subfontIndex=face.index)
    except (TTFError, OSError, ValueError, IndexError, KeyError, AssertionError) as err:
        log.info("font %s#%d not usable: %s", face.path, face.index, err)
        return False
    cmap = font.face.charToGlyph
    return all(ord(ch) in cmap for ch in PROBE_CHARS)


_lock = threading.Lock()
_cached: ReportFonts | None = None


def find_fonts(dirs: list[Path] | None = None, *, use_fc_list: bool = True) -> dict[str, FontFace]:
    """Pick a face per role; raises ReportError (with the folders searched) when no Chinese TrueType font exists."""
    search = font_dirs() if dirs is None else dirs
    index = _index_fonts(search)
    checked: dict[FontFace, bool] = {}

    def ok(face: FontFace) -> bool:
        if face not in checked:
            checked[face] = _usable(face)
        return checked[face]

    chosen: dict[str, FontFace] = {}
    for role, candidates in ROLE_CANDIDATES.items():
        for name, idx in candidates:
            path = index.get(name)
            if path is not None and ok(FontFace(path, idx)):
                chosen[role] = FontFace(path, idx)
                break
    if len(chosen) < len(ROLES):
        fallback = next((face for face in chosen.values()), None)
        if fallback is None and use_fc_list:
            fallback = next((FontFace(p, 0) for p in _fc_list_fonts() if ok(FontFace(p, 0))), None)
        if fallback is None:
            where = "；".join(str(d) for d in search)
            raise ReportError(
                "找不到可用于生成报告的中文 TrueType 字体（如宋体 simsun.ttc、黑体 simhei.ttf、文泉驿正黑 wqy-zenhei.ttc）。",
                hint=f"已查找：{where}。请安装中文字体后重试。",
            )
        for role in ROLES:
            chosen.setdefault(role, fallback)
    return chosen


def report_fonts() -> ReportFonts:
    """Find and register the report fonts once per process; raises ReportError when there is no usable font."""
    global _cached
    with _lock:
        if _cached is None:
            faces = find_fonts()
            _cached = register_fonts(faces)
        return _cached


def register_fonts(faces: dict[str, FontFace]) -> ReportFonts:
    """Register each face with reportlab (a family of itself, so <b> never fails) and return the role names."""
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    registered = set(pdfmetrics.getRegisteredFontNames())
    for face in set(faces.values()):
        name = face.reportlab_name
        if name not in registered:
            pdfmetrics.registerFont(TTFont(name, str(face.path), subfontIndex=face.index))
            for bold in (0, 1):
                for italic in (0, 1):
                    addMapping(name, bold, italic, name)
    names = {role: faces[role].reportlab_name for role in ROLES}
    return ReportFonts(**names, faces=dict(faces))


@contextlib.contextmanager
def shared_font_tables(font_names: Iterable[str]) -> Iterator[None]:
    """While a PDF is saved, each font file's tables are sliced out of it once instead of once per subset.

    reportlab writes a used CJK font as subsets of 256 characters and, for each, copies the whole 'glyf' table
    (15-20 MB for a CJK font) out of the font file; a report has seven or so subsets. The copies are the same
    bytes every time, so one per table is kept until the block ends. Another build running at the same time
    finds the tables already shared, or, once this block has ended, copies them as before."""
    from reportlab.pdfbase.pdfmetrics import getFont

    faces = {}
    for name in set(font_names):
        face = getattr(getFont(name), "face", None)
        if face is not None and hasattr(face, "get_table") and "get_table" not in face.__dict__:
            faces[id(face)] = face
    for face in faces.values():
        tables: dict[str, bytes] = {}
        original = face.get_table

        def get_table(tag: str, tables: dict[str, bytes] = tables, original: Any = original) -> bytes:
            table = tables.get(tag)
            if table is None:
                table = tables[tag] = original(tag)
            return table

        face.get_table = get_table
    try:
        yield
    finally:
        for face in faces.values():
            face.__dict__.pop("get_table", None)


def font_cache_dir() -> Path:
    """Per-user cache folder for extracted font faces (under SELFCHECK_HOME when set)."""
    home = os.environ.get("SELFCHECK_HOME")
    if home:
        path = Path(home) / "cache" / "fonts"
    else:
        from platformdirs import user_cache_dir

        path = Path(user_cache_dir("SelfCheck", appauthor=False)) / "fonts"
    path.mkdir(parents=True, exist_ok=True)
    return path


STAMP_BASE_CHARS = "0123456789:-—. 年月日电子签名校长学"
DROPPED_TABLES = ["BDF ", "FFTM", "EBDT", "EBLC", "EBSC", "PfEd", "TeX ", "Debg"]


def stamp_font_file(face: FontFace, text: str) -> Path:
    """A small single-face .ttf with just the glyphs `text` needs (plus digits and 年月日), cached on disk.

    pyHanko needs a single-face font file (not a .ttc) and spends seconds subsetting a full CJK font on every
    signature; a pre-subset file keyed by its characters makes signing fast after the first time.
    Raises ReportError if the face cannot be read or the cached file cannot be written (removed font, full disk).
    """
    from fontTools.ttLib import TTLibError

    try:
        return _cached_subset(face, "".join(sorted(set(text + STAMP_BASE_CHARS))))
    except (OSError, TTLibError, KeyError, IndexError, AssertionError) as err:
        from selfcheck.oserrors import os_reason

        log.info("stamp font subset failed for %s", face.path, exc_info=True)
        reason = os_reason(err) if isinstance(err, OSError) else "字体文件无法解析"
        raise ReportError(f"无法准备签名外观所需的字体：{face.path}（{reason}）") from None


def _cached_subset(face: FontFace, chars: str) -> Path:
    stat = face.path.stat()
    key = hashlib.sha256(
        f"{face.path.resolve()}|{stat.st_size}|{stat.st_mtime_ns}|{face.index}|{chars}".encode()).hexdigest()
    out = font_cache_dir() / f"stamp-{face.path.stem}-{face.index}-{key[:16]}.ttf"
    if out.is_file():
        return out
    from fontTools import subset
    from fontTools.ttLib import TTFont

    fd, tmp = tempfile.mkstemp(prefix=".font-", suffix=".tmp", dir=out.parent)
    os.close(fd)
    try:
        with face.path.open("rb") as handle:  # our own handle, so a parse failure cannot leak it
            font = TTFont(handle, fontNumber=face.index, lazy=True)
            options = subset.Options()
            options.drop_tables += DROPPED_TABLES
            options.name_IDs = ["*"]
            options.notdef_outline = True
            logging.getLogger("fontTools").setLevel(logging.ERROR)  # it warns about every bitmap table it drops
            subsetter = subset.Subsetter(options)
            subsetter.populate(text=chars)
            subsetter.subset(font)
            font.save(tmp)
        os.replace(tmp, out)
    finally:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
    return out
