"""District packs (区县清单包): a folder or .zip holding `pack.yaml` (name, version, parameter values) and the
district's checklist files. Read, validated, installed once in the school app, and loaded with the built-ins.

A pack's values override the parameter defaults of every checklist that declares them (built-in ones included);
the checklists loaded with a pack record it (`Checklist.applied.pack`), so an inspection's snapshot names the
pack and the values it used.
"""

from __future__ import annotations

import shutil
import tempfile
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

import yaml

from selfcheck.checklists.loader import (
    CHECKLIST_SUFFIXES,
    ChecklistLoadError,
    ChecklistProblem,
    load_builtin_checklists,
    load_checklist_templates,
    sort_checklists,
)
from selfcheck.checklists.models import Checklist, PackRef
from selfcheck.checklists.parameters import resolve_checklist, value_problems
from selfcheck.checklists.safe_yaml import YamlRefusal, read_yaml
from selfcheck.oserrors import os_reason

MANIFEST = "pack.yaml"
INSTALLED_FOLDER = "区县清单包"
MAX_PACK_FILES = 200
MAX_PACK_BYTES = 20 * 1024 * 1024
MAX_MANIFEST_BYTES = 256 * 1024


class PackError(ChecklistLoadError):
    """A pack that cannot be used; str() lists every problem in Chinese."""

    HEAD = "清单包有 {count} 处问题（{files}）："


@dataclass(frozen=True)
class DistrictPack:
    """A pack as read from disk: its manifest and the paths of its checklist files."""

    root: Path
    name: str
    version: str
    district: str | None = None
    description: str | None = None
    values: dict[str, float] = field(default_factory=dict)
    templates: tuple[Checklist, ...] = ()  # the pack's own checklists as written (parameters unresolved)

    @property
    def ref(self) -> PackRef:
        return PackRef(name=self.name, version=self.version, district=self.district)

    @property
    def checklist_ids(self) -> list[str]:
        return [c.id for c in self.templates]

    def load_checklists(self, extra_dirs: Sequence[Path] = ()) -> list[Checklist]:
        """Built-in checklists, those in `extra_dirs` and this pack's, resolved with this pack's values."""
        base = load_checklist_templates(extra_dirs)
        taken = {c.id for c in base}
        items = {item.id for c in base for item in c.all_items()}
        clashes = [c.id for c in self.templates if c.id in taken]
        clashes += [item.id for c in self.templates for item in c.all_items() if item.id in items]
        if clashes:
            raise PackError([_problem(self.name, f"清单包中的编号与已加载的清单重复：{'、'.join(clashes)}。")])
        return [resolve_checklist(c, self.values, self.ref) for c in sort_checklists([*base, *self.templates])]


def default_installed_root() -> Path:
    """Where the school app keeps its one imported pack, beside the user's own checklist folder."""
    from selfcheck.paths import data_dir

    return data_dir() / INSTALLED_FOLDER


def builtin_ids() -> set[str]:
    return {c.id for c in load_builtin_checklists()}


def _problem(where: str, message: str, line: int | None = None, column: int | None = None) -> ChecklistProblem:
    return ChecklistProblem(where, line, column, message)


def _read_manifest(path: Path) -> tuple[dict[str, Any] | None, list[ChecklistProblem]]:
    if not path.is_file():
        return None, [_problem(MANIFEST, "清单包里没有 pack.yaml（写明清单包名称 name、版本 version 和参数取值 parameters）。")]
    if path.stat().st_size > MAX_MANIFEST_BYTES:
        return None, [_problem(MANIFEST, "pack.yaml 过大，不像是清单包的说明文件。")]
    try:
        document = read_yaml(path.read_bytes().decode("utf-8-sig"))  # the same hardened reader as checklists
    except UnicodeDecodeError:
        return None, [_problem(MANIFEST, "pack.yaml 不是 UTF-8 编码，请用 UTF-8 编码另存后再试。")]
    except YamlRefusal as err:
        return None, [_problem(MANIFEST, err.message, err.line, err.column)]
    data = document.data if document is not None else None
    if not isinstance(data, dict):
        return None, [_problem(MANIFEST, "pack.yaml 的最外层应是“字段: 值”的映射（name、version、parameters）。", 1, 1)]
    return data, []


def _manifest_problems(data: dict[str, Any]) -> list[ChecklistProblem]:
    problems: list[ChecklistProblem] = []
    for key, label in (("name", "清单包名称 name"), ("version", "版本 version")):
        value = data.get(key)
        if not isinstance(value, str) or not value.strip():
            problems.append(_problem(MANIFEST, f"缺少{label}，或它不是文本（版本号请加引号，如 \"2026.1\"）。"))
    for key in ("district", "description"):
        if data.get(key) is not None and not isinstance(data.get(key), str):
            problems.append(_problem(MANIFEST, f"字段 {key} 应为文本。"))
    unknown = sorted(set(data) - {"name", "version", "district", "description", "parameters"})
    if unknown:
        problems.append(_problem(MANIFEST, f"有未知字段：{'、'.join(map(str, unknown))}（可用：name、version、district、"
                                           "description、parameters）。"))
    parameters = data.get("parameters")
    if parameters is not None and not isinstance(parameters, dict):
        problems.append(_problem(MANIFEST, "parameters 应为“参数名: 取值”的映射。"))
    return problems


def read_pack_folder(folder: Path) -> DistrictPack:
    """Read and fully validate an unpacked pack; raises PackError listing every problem."""
    data, problems = _read_manifest(folder / MANIFEST)
    files = sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in CHECKLIST_SUFFIXES
                   and p.name != MANIFEST)
    if data is None:
        raise PackError(problems)
    problems += _manifest_problems(data)
    raw_values = data.get("parameters") if isinstance(data.get("parameters"), dict) else {}
    templates: list[Checklist] = []
    try:
        templates = load_checklist_templates((), files)  # with the built-ins: ids must not clash
    except ChecklistLoadError as err:
        problems += err.problems
    declared = {p.name: p for c in templates for p in c.parameters}
    problems += [_problem(MANIFEST, message) for _, message in value_problems(declared, raw_values)]
    if problems:
        raise PackError(problems)
    return DistrictPack(
        root=folder, name=str(data["name"]).strip(), version=str(data["version"]).strip(),
        district=(data.get("district") or None), description=(data.get("description") or None),
        values={str(k): float(v) for k, v in raw_values.items()},
        templates=tuple(c for c in templates if c.id not in builtin_ids()),
    )


def _extract_zip(archive: Path, target: Path) -> Path:
    """Unpack the pack's files (flat, or inside one top folder) into `target`; returns the folder holding them."""
    try:
        with zipfile.ZipFile(archive) as zf:
            members = [m for m in zf.infolist() if not m.is_dir()]
            if len(members) > MAX_PACK_FILES:
                raise PackError([_problem(archive.name, f"压缩包里文件过多（{len(members)} 个），不像是清单包。")])
            if sum(m.file_size for m in members) > MAX_PACK_BYTES:
                raise PackError([_problem(archive.name, "压缩包解压后过大（超过 20 MB），不像是清单包。")])
            manifests = [PurePosixPath(m.filename) for m in members if PurePosixPath(m.filename).name == MANIFEST]
            if len(manifests) != 1:
                raise PackError([_problem(archive.name, "压缩包里应当正好有一个 pack.yaml。")])
            base = manifests[0].parent
            for member in members:
                name = PurePosixPath(member.filename)
                if name.parent != base or name.suffix.lower() not in CHECKLIST_SUFFIXES:
                    continue  # only the manifest and checklist files beside it are read
                # zipfile never reads past a member's size in the directory (checked above): a lying size
                # ends in a CRC error, not in more data.
                with zf.open(member) as src:
                    data = src.read()
                (target / name.name).write_bytes(data)
    except RuntimeError:  # zipfile: "File ... is encrypted, password required"
        raise PackError([_problem(archive.name, "这个压缩包设置了密码，无法读取。请向区县索取未加密的清单包（.zip）。")]) \
            from None
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, NotImplementedError):
        raise PackError([_problem(archive.name, "这个压缩包已损坏，或不是 .zip 文件，无法读取。"
                                                "请向区县重新索取清单包（.zip）。")]) from None
    except OSError as err:
        raise PackError([_problem(archive.name, f"无法解压这个压缩包：{os_reason(err)}。")]) from None
    return target


def read_pack(path: Path) -> DistrictPack:
    """Read a pack from a folder or a .zip (unpacked to a temporary folder that is deleted again)."""
    if path.is_dir():
        return read_pack_folder(path)
    if not path.is_file():
        raise PackError([_problem(str(path), "找不到这个清单包（文件夹或 .zip 文件）。")])
    with tempfile.TemporaryDirectory(prefix="selfcheck-pack-") as tmp:
        pack = read_pack_folder(_extract_zip(path, Path(tmp)))
        return DistrictPack(root=path, name=pack.name, version=pack.version, district=pack.district,
                            description=pack.description, values=pack.values, templates=pack.templates)


def validate_pack(path: Path) -> list[ChecklistProblem]:
    """Every problem of a pack; [] when it can be imported."""
    try:
        read_pack(path)
    except PackError as err:
        return err.problems
    return []


def import_pack(source: Path, installed_root: Path) -> DistrictPack:
    """Validate `source` (folder or .zip) and install it as the one pack in `installed_root`, replacing any
    earlier one only once the new one is complete. Returns the installed pack; raises PackError, changing nothing."""
    try:
        installed_root.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".pack-import-", dir=installed_root.parent))
    except OSError as err:
        raise PackError([_problem(source.name, f"无法把清单包保存到 {installed_root.parent}："
                                               f"{os_reason(err)}。清单包没有导入。")]) from None
    try:
        if source.is_dir():
            read_pack_folder(source)
            for item in source.iterdir():
                if item.is_file() and (item.name == MANIFEST or item.suffix.lower() in CHECKLIST_SUFFIXES):
                    shutil.copy2(item, staging / item.name)
        elif source.is_file():
            _extract_zip(source, staging)
        else:
            raise PackError([_problem(str(source), "找不到这个清单包（文件夹或 .zip 文件）。")])
        read_pack_folder(staging)  # what is installed is exactly what was validated
        _install(staging, installed_root)
    except OSError as err:
        raise PackError([_problem(source.name, f"清单包没有导入：{os_reason(err)}。已导入的清单包保持不变。")]) \
            from None
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
    return read_pack_folder(installed_root)


def _install(staging: Path, installed_root: Path) -> None:
    """Put `staging` in place of `installed_root`; the earlier pack is back in place if that fails."""
    old = installed_root.with_name(installed_root.name + ".old")
    if old.exists():
        shutil.rmtree(old)
    if installed_root.exists():
        installed_root.rename(old)
    try:
        staging.rename(installed_root)
    except OSError:
        if old.exists() and not installed_root.exists():
            old.rename(installed_root)
        raise
    if old.exists():
        shutil.rmtree(old, ignore_errors=True)


def installed_pack(installed_root: Path) -> DistrictPack | None:
    """The pack installed in `installed_root`, or None; raises PackError if it no longer validates."""
    if not (installed_root / MANIFEST).is_file():
        return None
    return read_pack_folder(installed_root)


def remove_pack(installed_root: Path) -> None:
    if installed_root.exists():
        shutil.rmtree(installed_root)


def write_pack(folder: Path, *, name: str, version: str, values: dict[str, float] | None = None,
               district: str | None = None, description: str | None = None,
               checklist_files: Sequence[Path] = ()) -> Path:
    """Make a pack folder: copies `checklist_files` and writes pack.yaml. Returns the folder (not validated)."""
    folder.mkdir(parents=True, exist_ok=True)
    for path in checklist_files:
        shutil.copy2(path, folder / path.name)
    manifest: dict[str, Any] = {"name": name, "version": version}
    if district:
        manifest["district"] = district
    if description:
        manifest["description"] = description
    manifest["parameters"] = {k: (int(v) if float(v) == int(v) else float(v)) for k, v in (values or {}).items()}
    (folder / MANIFEST).write_text(yaml.safe_dump(manifest, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return folder


def zip_pack(folder: Path, archive: Path) -> Path:
    """Zip a pack folder (manifest and checklist files, flat) for handing out."""
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        for item in sorted(folder.iterdir()):
            if item.is_file() and (item.name == MANIFEST or item.suffix.lower() in CHECKLIST_SUFFIXES):
                zf.write(item, item.name)
    return archive
