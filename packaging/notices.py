"""Collects the licence data of the wheels the Windows bundle ships, for THIRD-PARTY-NOTICES.txt."""

# Pure standard library: it runs inside the PyInstaller spec (the Windows Python under Wine), from the command
# line on Debian and in the tests. Messages are English: they are for whoever runs the build, not for users.
# notices_text.py turns what this module collects into the text file.

from __future__ import annotations

import csv
import fnmatch
import hashlib
import os
import posixpath
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from email.parser import HeaderParser
from pathlib import Path, PurePosixPath

# packaging/ is on sys.path wherever this runs: the spec, the tests, and as a script.
from bundle_config import NOTICES_FILE  # noqa: F401 - re-exported: the file name belongs with its generator

# Verbatim licence texts of the Debian package base-files (always installed). Wheels that are licensed under
# the (L)GPL or MPL often carry no copy of the licence itself (PySide6 and shiboken6 do not), yet those
# licences require one to accompany the program.
DEFAULT_REFERENCE_DIR = Path("/usr/share/common-licenses")


class NoticesError(Exception):
    """The notices cannot be complete: a shipped distribution's licence is unknown or a text is missing."""


@dataclass(frozen=True)
class ReferenceLicence:
    """A standard licence whose full text comes from the reference folder when a wheel lacks it."""

    key: str  # SPDX-style name used in the notices
    title: str
    file: str  # file name in the reference folder
    pattern: re.Pattern[str]  # matches the licence in METADATA strings
    heading: str  # the licence's title words: a wheel text containing them is a copy of it
    requires: tuple[str, ...] = ()  # other licences whose text must accompany this one


_REFERENCE_LICENCES = (
    ReferenceLicence(
        "LGPL-3.0", "GNU Lesser General Public License v3.0", "LGPL-3",
        re.compile(r"\bLGPL-?v?3|Lesser General Public License v3", re.I),
        "gnu lesser general public license version 3", requires=("GPL-3.0",),
    ),
    ReferenceLicence(
        "LGPL-2.1", "GNU Lesser General Public License v2.1", "LGPL-2.1",
        re.compile(r"\bLGPL-?v?2(\.1)?\b|Lesser General Public License v2", re.I),
        "gnu lesser general public license version 2.1", requires=("GPL-2.0",),
    ),
    ReferenceLicence(
        "GPL-3.0", "GNU General Public License v3.0", "GPL-3",
        re.compile(r"(?<![L\w-])GPL-?v?3|(?<!Lesser )General Public License v3", re.I),
        "gnu general public license version 3",
    ),
    ReferenceLicence(
        "GPL-2.0", "GNU General Public License v2.0", "GPL-2",
        re.compile(r"(?<![L\w-])GPL-?v?2|(?<!Lesser )General Public License v2", re.I),
        "gnu general public license version 2",
    ),
    ReferenceLicence(
        "MPL-2.0", "Mozilla Public License 2.0", "MPL-2.0",
        re.compile(r"\bMPL-?2\.0|Mozilla Public License 2\.0", re.I), "mozilla public license version 2.0",
    ),
    ReferenceLicence(
        "Apache-2.0", "Apache License 2.0", "Apache-2.0", re.compile(r"\bApache\b", re.I),
        "apache license version 2.0",
    ),
)
REFERENCE_BY_KEY = {ref.key: ref for ref in _REFERENCE_LICENCES}

# Distributions offered under a choice of licences, and the one this program uses them under.
USED_UNDER = {
    "pyside6": "LGPL-3.0-only",
    "pyside6-essentials": "LGPL-3.0-only",
    "pyside6-addons": "LGPL-3.0-only",
    "shiboken6": "LGPL-3.0-only",
}


@dataclass(frozen=True)
class NativeComponent:
    """A native library inside a wheel that the notices name on its own (LGPL libraries, compiler runtimes)."""

    distribution: str  # canonical name of the wheel that carries it
    name: str  # also the key of its version in native_versions
    licence: str
    patterns: tuple[str, ...]  # fnmatch patterns on lower-case file names
    lgpl: bool = False  # dynamically linked LGPL library: the user may replace it; say where the source is
    project: str = ""  # upstream project whose source release is the library's source (default: name)
    exclude: tuple[str, ...] = ()
    note: str = ""


_MS_RUNTIME = ("msvcp140*.dll", "vcruntime140*.dll", "concrt140.dll", "vcamp140*.dll", "vccorlib140*.dll",
               "vcomp140*.dll")
_NATIVE = ("*.dll", "*.pyd", "*.so", "*.so.*")
_MS_RUNTIME_NOTE = (
    "Microsoft Visual C++ 运行库，Microsoft 允许随应用程序再分发（“Distributable Code”，参见下文 Python 的"
    " LICENSE.txt 中的附加条款）。 / Microsoft Visual C++ runtime, redistributable with applications as"
    " Microsoft's Distributable Code (see the additional conditions in Python's LICENSE.txt below)."
)
NATIVE_COMPONENTS = (
    NativeComponent("pyside6-essentials", "Qt", "LGPL-3.0-only", _NATIVE, lgpl=True,
                    project="Qt / Qt for Python (PySide6)", exclude=_MS_RUNTIME),
    NativeComponent("shiboken6", "Shiboken6", "LGPL-3.0-only", _NATIVE, lgpl=True,
                    project="Qt for Python (Shiboken6)", exclude=_MS_RUNTIME),
    NativeComponent("pi-heif", "libheif", "LGPL-3.0", ("libheif*",), lgpl=True),
    NativeComponent("pi-heif", "libde265", "LGPL-3.0", ("libde265*",), lgpl=True),
    NativeComponent(
        "pi-heif", "MinGW-w64 GCC runtime (libstdc++, libgcc_s)",
        "GPL-3.0-or-later WITH GCC-exception-3.1", ("libstdc++*", "libgcc_s*"),
        note="GCC 运行库例外（GCC Runtime Library Exception 3.1）允许随任意许可证的程序分发这些库。"
        " / The GCC Runtime Library Exception 3.1 allows shipping these libraries with programs under any"
        " licence.",
    ),
    NativeComponent("pi-heif", "MinGW-w64 winpthreads", "MIT", ("libwinpthread*",)),
    NativeComponent("pyside6-essentials", "Microsoft Visual C++ runtime", "Microsoft Distributable Code",
                    _MS_RUNTIME, note=_MS_RUNTIME_NOTE),
    NativeComponent("shiboken6", "Microsoft Visual C++ runtime", "Microsoft Distributable Code",
                    _MS_RUNTIME, note=_MS_RUNTIME_NOTE),
)

_LICENCE_FILE_NAMES = ("licen[cs]e*", "copying*", "notice*", "copyright*", "authors*")
# Files with these suffixes are code or data even when named like a licence (packaging/licenses/*.py).
_NOT_LICENCE_SUFFIXES = {".py", ".pyc", ".pyi", ".pyd", ".so", ".dll", ".json", ".html", ".js", ".css", ".png"}


def canonical_name(name: str) -> str:
    """Return the normalised distribution name (PEP 503): "PySide6_Essentials" -> "pyside6-essentials"."""
    return re.sub(r"[-_.]+", "-", name).lower()


@dataclass(frozen=True)
class LicenceText:
    """One licence text: where it came from and what it says."""

    source: str
    text: str


@dataclass
class Distribution:
    """What one installed distribution declares about its licence."""

    name: str
    version: str
    dist_info: Path
    expression: str = ""  # License-Expression
    licence_field: str = ""  # a short License field
    classifiers: list[str] = field(default_factory=list)  # "License :: ..." without the prefix
    texts: list[LicenceText] = field(default_factory=list)
    record: list[str] = field(default_factory=list)  # RECORD paths, relative to site-packages

    @property
    def key(self) -> str:
        return canonical_name(self.name)

    def declared(self) -> list[str]:
        """Return every licence statement in METADATA, most precise first."""
        return [s for s in (self.expression, self.licence_field, *self.classifiers) if s]

    def has_licence_information(self) -> bool:
        return bool(self.declared() or self.texts)


def _read_text(path: Path) -> str:
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("latin-1")  # old licence files; latin-1 maps every byte, so nothing is lost
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "\n".join(line.rstrip() for line in lines).strip("\n")


def text_digest(text: str) -> str:
    """Return a hash of `text` that ignores how its lines are wrapped and indented."""
    return hashlib.sha256(" ".join(text.split()).encode("utf-8")).hexdigest()


def _is_licence_file_name(name: str) -> bool:
    lower = name.lower()
    if PurePosixPath(lower).suffix in _NOT_LICENCE_SUFFIXES:
        return False
    return any(fnmatch.fnmatch(lower, p) for p in _LICENCE_FILE_NAMES)


def read_distribution(dist_info: Path) -> Distribution:
    """Read one *.dist-info folder: its METADATA licence fields, RECORD and every licence file it carries.

    Licence files are those named by License-File (in dist-info/licenses/ or, for older wheels, dist-info/),
    anything else under dist-info/licenses/, LICENSE/COPYING/NOTICE-like files at the top of dist-info, and
    licence files the package installs next to its code (reportlab's license.txt, for example).
    Raises NoticesError if METADATA is missing.
    """
    metadata_path = dist_info / "METADATA"
    if not metadata_path.is_file():
        raise NoticesError(f"{dist_info} has no METADATA file")
    metadata = HeaderParser().parsestr(_read_text(metadata_path))
    dist = Distribution(
        name=metadata.get("Name", dist_info.name.split("-")[0]),
        version=metadata.get("Version", "?"),
        dist_info=dist_info,
        expression=(metadata.get("License-Expression") or "").strip(),
    )
    licence_field = (metadata.get("License") or "").strip()
    if licence_field.upper() != "UNKNOWN" and licence_field:
        if "\n" in licence_field or len(licence_field) > 200:  # the whole licence pasted into METADATA
            dist.texts.append(LicenceText("METADATA License", licence_field))
        else:
            dist.licence_field = licence_field
    dist.classifiers = [
        c.split("::", 1)[1].strip().removeprefix("OSI Approved ::").strip()
        for c in metadata.get_all("Classifier") or []
        if c.strip().startswith("License ::")
    ]
    record = dist_info / "RECORD"
    if record.is_file():
        with record.open(encoding="utf-8", newline="") as handle:
            dist.record = [row[0] for row in csv.reader(handle) if row and not row[0].startswith("..")]

    candidates: list[Path] = []
    for declared in metadata.get_all("License-File") or []:
        candidates += [dist_info / "licenses" / declared, dist_info / declared]
    if (dist_info / "licenses").is_dir():
        candidates += sorted(p for p in (dist_info / "licenses").rglob("*") if p.is_file())
    candidates += sorted(p for p in dist_info.iterdir() if p.is_file() and _is_licence_file_name(p.name))
    site_packages = dist_info.parent
    dist_info_prefix = dist_info.name + "/"
    candidates += [
        site_packages / entry
        for entry in dist.record
        if not entry.startswith(dist_info_prefix) and _is_licence_file_name(PurePosixPath(entry).name)
    ]
    seen: set[str] = set()
    for path in dict.fromkeys(candidates):  # License-File entries are also found by the folder scans
        if not path.is_file():
            continue
        text = _read_text(path)
        digest = text_digest(text)
        if not text.strip() or digest in seen:
            continue
        seen.add(digest)
        source = path.relative_to(site_packages).as_posix() if path.is_relative_to(site_packages) else path.name
        dist.texts.append(LicenceText(source, text))
    return dist


def find_distributions(site_packages: Path) -> dict[str, Distribution]:
    """Return every distribution installed in `site_packages`, keyed by canonical name."""
    found: dict[str, Distribution] = {}
    for dist_info in sorted(site_packages.glob("*.dist-info")):
        if dist_info.is_dir():
            dist = read_distribution(dist_info)
            found[dist.key] = dist
    return found


def _normalised(path: str) -> str:
    return path.replace("\\", "/").lower()


def record_path(site_packages: Path, source: str | os.PathLike[str]) -> str | None:
    """Return `source` as a lower-case RECORD-style path if it lies in `site_packages`, else None."""
    root = os.path.normcase(os.path.abspath(site_packages))
    try:
        relative = os.path.relpath(os.path.normcase(os.path.abspath(source)), root)
    except ValueError:  # another drive on Windows
        return None
    return None if relative.startswith("..") else _normalised(relative)


@dataclass
class Notices:
    """The collected notices: what ships, the texts it needs, and what the build should be told."""

    product: str
    product_version: str
    publisher: str
    python_version: str
    python_licence: str
    distributions: list[Distribution]
    files: dict[str, list[str]]  # distribution key -> shipped files (install-relative) or RECORD paths
    native_versions: dict[str, str]
    appendix: dict[str, str]  # reference licence key -> full text
    references: dict[str, list[str]]  # distribution key -> reference licence keys it relies on
    warnings: list[str]


def _contains(texts: Iterable[LicenceText], ref: ReferenceLicence) -> bool:
    """True if one of `texts` already is a copy of the licence (it names the licence and its version)."""
    return any(f" {ref.heading} " in " ".join(["", *re.findall(r"[a-z0-9]+(?:\.[0-9]+)*", t.text.lower()), ""])
               for t in texts)


def _reference_keys(dist: Distribution) -> list[str]:
    statements = [USED_UNDER[dist.key]] if dist.key in USED_UNDER else dist.declared()
    keys: list[str] = []
    for ref in _REFERENCE_LICENCES:
        if any(ref.pattern.search(s) for s in statements):
            for key in (ref.key, *ref.requires):
                if key not in keys:
                    keys.append(key)
    return keys


def probe_native_versions() -> dict[str, str]:
    """Ask the installed pi-heif extension which libheif and libde265 it loads ({} if it cannot be imported)."""
    try:
        import _pi_heif  # type: ignore[import-not-found]

        info = _pi_heif.get_lib_info()
    except Exception:  # noqa: BLE001 - any failure just means "unknown"; the caller decides if that is fatal
        return {}
    versions: dict[str, str] = {}
    if info.get("libheif"):
        versions["libheif"] = str(info["libheif"])
    for description in (info.get("decoders") or {}).values():
        match = re.search(r"libde265\b.*?version\s+([0-9][\w.]*)", str(description), re.I)
        if match:
            versions["libde265"] = match.group(1)
    return versions


def dll_file_version(path: Path) -> str | None:
    """Return the FileVersion string of a Windows DLL's version resource, or None if it has none."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    index = data.find("FileVersion".encode("utf-16-le") + b"\0\0")
    if index < 0:
        return None
    start = index + len("FileVersion".encode("utf-16-le")) + 2
    while data[start : start + 2] == b"\0\0":
        start += 2
    end = start
    while end + 1 < len(data) and data[end : end + 2] != b"\0\0":
        end += 2
    value = data[start:end].decode("utf-16-le", "replace").strip()
    return value or None


def _component_version(
    component: NativeComponent, dist: Distribution, site_packages: Path, native_versions: Mapping[str, str]
) -> str | None:
    if component.name in native_versions:
        return native_versions[component.name]
    if component.name == "Qt":  # PySide6 x.y.z is built on Qt x.y.z; Qt6Core.dll says so itself
        core = next((e for e in dist.record if PurePosixPath(e).name.lower() == "qt6core.dll"), None)
        version = dll_file_version(site_packages / core) if core else None
        if version:
            return ".".join(version.split(".")[:3])
        return dist.version
    if component.name == "Shiboken6":
        return dist.version
    return None


def collect_notices(
    site_packages: Path,
    *,
    python_licence: Path,
    python_version: str,
    product: str,
    product_version: str,
    publisher: str,
    reference_dir: Path = DEFAULT_REFERENCE_DIR,
    shipped: Iterable[tuple[str, str]] | None = None,
    native_versions: Mapping[str, str] | None = None,
    exclude: Iterable[str] = (),
) -> Notices:
    """Collect the licence data of the distributions that ship.

    `shipped` lists the bundle's files as pairs (destination in the bundle's _internal folder or "" for
    modules in PyInstaller's archive, source path); a distribution ships when one of its RECORD files is a
    source. Without it every distribution in `site_packages` (except `exclude`) is taken.
    Raises NoticesError naming every shipped distribution without any licence information, an LGPL library
    whose version cannot be told, or a licence text the wheel lacks and `reference_dir` does not hold.
    """
    if not python_licence.is_file():
        raise NoticesError(f"the Python licence {python_licence} does not exist")
    installed = find_distributions(site_packages)
    if not installed:
        raise NoticesError(f"no *.dist-info folders in {site_packages}")
    excluded = {canonical_name(n) for n in exclude}
    files: dict[str, list[str]] = {}
    if shipped is None:
        chosen = [d for k, d in installed.items() if k not in excluded]
        for dist in chosen:
            files[dist.key] = list(dist.record)
    else:
        # RECORD path of each shipped source -> where it lands in the installed program folder.
        destination: dict[str, str] = {}
        for dest, source in shipped:
            relative = record_path(site_packages, source)
            if relative is not None:  # modules in PyInstaller's archive have no file of their own: dest ""
                dest = dest.replace("\\", "/")
                destination[relative] = posixpath.normpath(f"_internal/{dest}") if dest else relative
        chosen = []
        for key, dist in installed.items():
            owned = [e for e in dist.record if _normalised(e) in destination]
            if owned and key not in excluded:
                chosen.append(dist)
                files[key] = [destination[_normalised(e)] for e in owned]
    chosen.sort(key=lambda d: d.key)

    missing = [d for d in chosen if not d.has_licence_information()]
    if missing:
        listing = "; ".join(f"{d.name} {d.version} ({d.dist_info})" for d in missing)
        raise NoticesError(
            "no licence information for " + listing + ": METADATA has no License-Expression, License or"
            " 'License ::' classifier and the wheel carries no licence file. The installer must not ship"
            " software whose licence is unknown: find its licence (upstream source release) or drop it."
        )

    versions = dict(native_versions or {})
    warnings: list[str] = []
    references: dict[str, list[str]] = {}
    appendix: dict[str, str] = {}
    for dist in chosen:
        for component, _paths in shipped_components(dist.key, files[dist.key]):
            if not component.lgpl:
                continue
            version = _component_version(component, dist, site_packages, versions)
            if not version:
                raise NoticesError(
                    f"cannot tell which {component.name} version {dist.name} {dist.version} ships: the LGPL"
                    " statement must name it (pass native_versions, see probe_native_versions())"
                )
            versions[component.name] = version
        needed = [key for key in _reference_keys(dist) if not _contains(dist.texts, REFERENCE_BY_KEY[key])]
        for key in needed:
            path = reference_dir / REFERENCE_BY_KEY[key].file
            if key not in appendix:
                if not path.is_file():
                    raise NoticesError(
                        f"{dist.name} {dist.version} is licensed under {key} but its wheel carries no copy of"
                        f" that licence and {path} does not exist (Debian package base-files)"
                    )
                appendix[key] = _read_text(path)
        references[dist.key] = needed
        if not dist.texts and not needed:
            declared = "; ".join(dist.declared())
            warnings.append(f"{dist.name} {dist.version} declares {declared} but carries no licence text")
    return Notices(
        product=product,
        product_version=product_version,
        publisher=publisher,
        python_version=python_version,
        python_licence=_read_text(python_licence),
        distributions=chosen,
        files=files,
        native_versions=versions,
        appendix={ref.key: appendix[ref.key] for ref in _REFERENCE_LICENCES if ref.key in appendix},
        references=references,
        warnings=warnings,
    )


def shipped_components(dist_key: str, files: Iterable[str]) -> list[tuple[NativeComponent, list[str]]]:
    """Return the native components of `dist_key` with files among `files`, each with those files (sorted)."""
    names = [(PurePosixPath(path.replace("\\", "/")).name.lower(), path) for path in files]
    found = []
    for component in NATIVE_COMPONENTS:
        if component.distribution != dist_key:
            continue
        matched = [
            path for name, path in names
            if any(fnmatch.fnmatch(name, p) for p in component.patterns)
            and not any(fnmatch.fnmatch(name, p) for p in component.exclude)
        ]
        if matched:
            found.append((component, sorted(matched, key=str.lower)))
    return found
