"""Which files a drop of paths means: files as given, every .pdf under a folder, the .pdf members of a .zip —
extracted safely (no path from the archive is used, sizes capped, zip bombs and encrypted members refused)."""

from __future__ import annotations

import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from selfcheck.district.verifying import MAX_REPORT_BYTES
from selfcheck.oserrors import os_reason

MAX_ZIP_TOTAL = 4 * 1024**3
MAX_ZIP_MEMBERS = 20000
MAX_RATIO = 200  # a PDF report compresses little; far more than this is a zip bomb


@dataclass(frozen=True)
class Incoming:
    """One file to receive and the name to show (e.g. "报告.zip/一中.pdf"). A zip member is extracted only when
    its turn comes (`materialise`); `problem` is set when the entry cannot be taken at all."""

    name: str
    path: Path | None = None
    archive: Path | None = None
    member: zipfile.ZipInfo | None = None
    problem: str | None = None

    @property
    def extracted(self) -> bool:
        return self.archive is not None


def collect(paths: Iterable[Path | str]) -> list[Incoming]:
    """Every file of `paths` to receive: files as given, .pdf (and .zip) files under folders, zip members."""
    found: list[Incoming] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            files = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in (".pdf", ".zip"))
            for file in files:
                label = str(file.relative_to(path.parent))
                if file.suffix.lower() == ".zip":
                    found += _zip_members(file, label)
                else:
                    found.append(Incoming(label, path=file))
        elif path.is_file() and path.suffix.lower() == ".zip":
            found += _zip_members(path, path.name)
        elif path.is_file():
            found.append(Incoming(path.name, path=path))
        else:
            found.append(Incoming(path.name or str(path), problem=f"找不到文件或文件夹：{path}"))
    return found


def materialise(entry: Incoming, scratch: Path, number: int) -> Path:
    """The file to read for `entry`: its own path, or the zip member extracted into `scratch`."""
    if entry.path is not None:
        return entry.path
    assert entry.archive is not None and entry.member is not None
    target = scratch / f"{number:06d}.pdf"
    try:
        with zipfile.ZipFile(entry.archive) as handle:
            _extract(handle, entry.member, target)
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    return target


def _zip_members(archive: Path, label: str) -> list[Incoming]:
    try:
        handle = zipfile.ZipFile(archive)
    except OSError as err:
        return [Incoming(label, problem=f"压缩包无法读取（{os_reason(err)}）。")]
    except zipfile.BadZipFile:
        return [Incoming(label, problem="压缩包已损坏或不是 .zip 文件，无法读取。")]
    with handle:
        members = [m for m in handle.infolist() if not m.is_dir()]
        if len(members) > MAX_ZIP_MEMBERS:
            return [Incoming(label, problem=f"压缩包中的文件过多（{len(members)} 个），已拒绝。")]
        if sum(m.file_size for m in members) > MAX_ZIP_TOTAL:
            return [Incoming(label, problem="压缩包解压后过大，已拒绝（可能是“压缩炸弹”）。")]
        found = []
        for member in members:
            if not member.filename.lower().endswith(".pdf"):
                continue
            shown = f"{label}/{_display(member)}"
            if member.flag_bits & 0x1:
                found.append(Incoming(shown, problem="压缩包中的文件已加密，无法读取。请解压后再接收。"))
            elif member.file_size > MAX_REPORT_BYTES or (
                    member.file_size > 10 * 1024 * 1024 and member.file_size > MAX_RATIO * max(member.compress_size, 1)):
                found.append(Incoming(shown, problem="文件过大或压缩比异常（可能是“压缩炸弹”），已拒绝。"))
            else:
                found.append(Incoming(shown, archive=archive, member=member))
        return found


def _display(member: zipfile.ZipInfo) -> str:
    """The member's name for display only; names without the UTF-8 flag are usually GBK (Windows' zip)."""
    name = member.filename
    if not member.flag_bits & 0x800:
        try:
            name = name.encode("cp437").decode("gbk")
        except (UnicodeEncodeError, UnicodeDecodeError):
            pass
    return name.replace("\\", "/").rsplit("/", 1)[-1]


def _extract(handle: zipfile.ZipFile, member: zipfile.ZipInfo, target: Path) -> None:
    """Copy one member to `target`, stopping if it inflates past its declared size (headers can lie)."""
    limit = min(member.file_size, MAX_REPORT_BYTES)
    written = 0
    with handle.open(member) as source, target.open("wb") as out:
        while chunk := source.read(1024 * 1024):
            written += len(chunk)
            if written > limit:
                raise ValueError("解压后的大小超过声明的大小")
            out.write(chunk)


def copy_atomic(source: Path, target: Path, sha256: str | None = None) -> str:
    """Copy `source` to `target` through a temporary file, fsynced, renamed into place; returns the SHA-256 of
    what was copied. With `sha256`, a copy of other bytes (the file changed since it was verified) is not put in
    place and raises ChangedFileError."""
    import hashlib
    import os

    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.tmp")
    digest = hashlib.sha256()
    try:
        with source.open("rb") as src, tmp.open("wb") as dst:
            while chunk := src.read(1024 * 1024):
                digest.update(chunk)
                dst.write(chunk)
            dst.flush()
            os.fsync(dst.fileno())
        if sha256 is not None and digest.hexdigest() != sha256:
            raise ChangedFileError(source.name)
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
    return digest.hexdigest()


class ChangedFileError(OSError):
    """The file changed between its verification and the district's copy."""
