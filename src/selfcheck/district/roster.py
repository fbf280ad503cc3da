"""The roster (学校名册): import from a bureau's .xlsx/.csv, list, add, update, remove."""

from __future__ import annotations

import csv
import io
import logging
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from selfcheck.district.db import now_iso
from selfcheck.district.errors import DistrictError, NotFoundError, RosterImportError
from selfcheck.district.models import RosterImport, School
from selfcheck.district.store import Store
from selfcheck.oserrors import os_reason

log = logging.getLogger(__name__)

# Field → accepted column headings (compared without spaces, case-insensitively).
COLUMNS: dict[str, tuple[str, ...]] = {
    "code": ("学校代码", "代码", "学校编码", "编码", "学校编号", "编号", "学校标识码", "标识码"),
    "name": ("学校名称", "学校", "名称", "学校全称", "单位名称", "单位"),
    "stage": ("学段", "办学类型", "学校类型", "类型"),
    "zone": ("学区/片区", "学区", "片区", "所属学区", "所属片区", "学区片区", "区域"),
    "contact": ("联系人", "负责人", "联络人"),
    "phone": ("联系电话", "电话", "手机", "手机号码", "联系方式"),
}
LABELS = {"code": "学校代码", "name": "学校名称", "stage": "学段", "zone": "学区/片区", "contact": "联系人",
          "phone": "联系电话"}
REQUIRED = ("code", "name")
MAX_ROWS = 20000
MAX_FILE_BYTES = 50 * 1024 * 1024
HEADER_SEARCH = 10  # rows searched for the headings


def _key(text: object) -> str:
    return "".join(str(text or "").split()).replace("（", "(").replace("）", ")").lower()


_ALIASES = {_key(alias): field for field, aliases in COLUMNS.items() for alias in aliases}


def _cell(value: Any) -> str:
    """A cell as text: integers stay integers (学校代码 typed as a number), whitespace trimmed."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return " ".join(str(value).split())


class Roster:
    def __init__(self, store: Store) -> None:
        self._store = store

    # --- reading -------------------------------------------------------------------------------------------------

    def list(self) -> list[School]:
        return [School(**r) for r in self._store.rows(
            "SELECT code, name, stage, zone, contact, phone FROM schools ORDER BY code")]

    def get(self, code: str) -> School:
        row = self._store.row("SELECT code, name, stage, zone, contact, phone FROM schools WHERE code = ?", (code,))
        if row is None:
            raise NotFoundError(f"名册中没有学校代码为“{code}”的学校。")
        return School(**row)

    def find(self, *, code: str | None = None, name: str | None = None) -> School | None:
        """The school with this code, else with this (whitespace-normalised) name; None when not on the roster."""
        if code:
            row = self._store.row("SELECT code, name, stage, zone, contact, phone FROM schools WHERE code = ?",
                                  (code.strip(),))
            return School(**row) if row else None
        if name:
            row = self._store.row("SELECT code, name, stage, zone, contact, phone FROM schools WHERE name = ?",
                                  (" ".join(name.split()),))
            return School(**row) if row else None
        return None

    def count(self) -> int:
        return int(self._store.db.execute("SELECT count(*) FROM schools").fetchone()[0])

    # --- editing -------------------------------------------------------------------------------------------------

    def add(self, school: School) -> School:
        school = _normalised(school)
        if self.find(code=school.code):
            raise DistrictError(f"学校代码“{school.code}”已在名册中。")
        self._check_name_free(school)
        now = now_iso()
        with self._store.write() as db:
            db.execute("INSERT INTO schools (code, name, stage, zone, contact, phone, created_at, updated_at) "
                       "VALUES (?, ?, ?, ?, ?, ?, ?, ?)", (*_values(school), now, now))
        return school

    def update(self, code: str, school: School) -> School:
        """Replace the entry `code` with `school` (its code may change; certificates and reports follow)."""
        self.get(code)
        school = _normalised(school)
        if school.code != code and self.find(code=school.code):
            raise DistrictError(f"学校代码“{school.code}”已在名册中。")
        self._check_name_free(school, except_code=code)
        with self._store.write() as db:
            db.execute("UPDATE schools SET code = ?, name = ?, stage = ?, zone = ?, contact = ?, phone = ?, "
                       "updated_at = ? WHERE code = ?", (*_values(school), now_iso(), code))
            if school.code != code:
                db.execute("UPDATE received SET school_code = ? WHERE school_code = ?", (school.code, code))
        return school

    def remove(self, code: str) -> None:
        """Remove a school that has no registered certificate and no received report (history is never lost)."""
        school = self.get(code)
        used = self._store.db.execute(
            "SELECT (SELECT count(*) FROM certificates WHERE school_code = ?) + "
            "(SELECT count(*) FROM received WHERE school_code = ?)", (code, code)).fetchone()[0]
        if used:
            raise DistrictError(f"“{school.name}”已有登记的证书或收到的报告，不能从名册中删除（以免丢失记录）。",
                                hint="如学校撤并，可修改其名称或片区，证书可吊销。")
        with self._store.write() as db:
            db.execute("DELETE FROM schools WHERE code = ?", (code,))

    def _check_name_free(self, school: School, except_code: str | None = None) -> None:
        row = self._store.row("SELECT code FROM schools WHERE name = ?", (school.name,))
        if row and row["code"] != except_code:
            raise DistrictError(f"名册中已有名为“{school.name}”的学校（代码 {row['code']}），学校名称不能重复。")

    # --- importing -----------------------------------------------------------------------------------------------

    def import_file(self, path: Path | str) -> RosterImport:
        """Add or update the schools of a roster file (.xlsx or .csv). Every bad row is reported with its row
        number and column in one RosterImportError and nothing is imported; schools not in the file stay."""
        path = Path(path)
        rows = read_table(path)
        schools = parse_rows(rows, path.name)
        existing = {s.code: s for s in self.list()}
        by_name = {s.name: s.code for s in existing.values()}
        problems = []
        for line, school in schools:
            other = by_name.get(school.name)
            if other is not None and other != school.code and other not in {s.code for _, s in schools}:
                problems.append(f"第 {line} 行“学校名称”：名册中已有同名学校（代码 {other}）。")
        if problems:
            lines = "\n".join(problems)
            raise RosterImportError(f"名册文件“{path.name}”有 {len(problems)} 处问题，未导入任何学校：\n{lines}", problems)
        added = updated = unchanged = 0
        now = now_iso()
        with self._store.write() as db:
            # Free the names first so that two schools swapping names in the file do not collide midway.
            changed = [s for _, s in schools if s.code in existing and existing[s.code] != s]
            for school in changed:
                db.execute("UPDATE schools SET name = ? WHERE code = ?", (f"\x00{school.code}", school.code))
            for _, school in schools:
                old = existing.get(school.code)
                if old is None:
                    db.execute("INSERT INTO schools (code, name, stage, zone, contact, phone, created_at, updated_at) "
                               "VALUES (?, ?, ?, ?, ?, ?, ?, ?)", (*_values(school), now, now))
                    added += 1
                elif old != school:
                    db.execute("UPDATE schools SET name = ?, stage = ?, zone = ?, contact = ?, phone = ?, "
                               "updated_at = ? WHERE code = ?", (*_values(school)[1:], now, school.code))
                    updated += 1
                else:
                    unchanged += 1
        return RosterImport(added=added, updated=updated, unchanged=unchanged)


def _values(school: School) -> tuple[str, ...]:
    return (school.code, school.name, school.stage, school.zone, school.contact, school.phone)


def _normalised(school: School) -> School:
    """Whitespace collapsed; a field that was only whitespace is refused (lengths were checked on construction)."""
    try:
        return School(**{k: " ".join(str(v).split()) for k, v in school.model_dump().items()})
    except ValidationError as err:
        field = str(err.errors()[0]["loc"][0])
        raise DistrictError(f"学校信息不完整：“{LABELS.get(field, field)}”不能为空。") from None


def read_table(path: Path) -> list[list[str]]:
    """The rows of the first sheet of an .xlsx, or of a .csv (UTF-8 with or without BOM, or GBK), as text."""
    if not path.is_file():
        raise DistrictError(f"找不到名册文件：{path}")
    if path.stat().st_size > MAX_FILE_BYTES:
        raise DistrictError(f"名册文件“{path.name}”过大（超过 {MAX_FILE_BYTES // 1024 // 1024} MB），不像是学校名册。",
                            hint="请确认选择的是学校名册（.xlsx 或 .csv）。")
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(path)
    if suffix in (".csv", ".txt"):
        return _read_csv(path)
    raise DistrictError(f"名册文件应为 .xlsx 或 .csv：{path.name}", hint="旧版 .xls 文件请先在 Excel/WPS 中另存为 .xlsx。")


def _read_xlsx(path: Path) -> list[list[str]]:
    from openpyxl import load_workbook

    # The file is opened here, not by openpyxl, so that it is closed whatever happens (openpyxl leaves it open when
    # the package is damaged, and Windows then keeps the roster locked against Excel until the program exits).
    try:
        handle = path.open("rb")
    except OSError as err:
        raise _unreadable(path, err) from None
    with handle:
        try:
            book = load_workbook(handle, read_only=True, data_only=True)
        except OSError as err:
            raise _unreadable(path, err) from None
        except Exception as err:  # noqa: BLE001 - zip, XML and openpyxl errors all mean "not a readable workbook"
            raise _not_xlsx(path, err) from None
        try:
            rows = []
            for number, row in enumerate(book.worksheets[0].iter_rows(values_only=True), start=1):
                if number > MAX_ROWS + 1:
                    raise DistrictError(f"名册文件“{path.name}”超过 {MAX_ROWS} 行。",
                                        hint=f"一个名册最多 {MAX_ROWS} 所学校；请确认第一个工作表是学校名册。")
                rows.append([_cell(v) for v in row])
            return rows
        except DistrictError:
            raise
        except OSError as err:
            raise _unreadable(path, err) from None
        except Exception as err:  # noqa: BLE001 - a damaged sheet inside a readable package
            raise _not_xlsx(path, err) from None
        finally:
            book.close()


def _unreadable(path: Path, err: OSError) -> DistrictError:
    return DistrictError(f"无法读取名册文件“{path}”（{os_reason(err)}）。")


def _not_xlsx(path: Path, err: Exception) -> DistrictError:
    log.warning("roster %s is not a readable .xlsx: %r", path, err)
    return DistrictError(f"名册文件“{path.name}”无法读取：它不是有效的 .xlsx 文件（可能已损坏，或是改了扩展名的其他文件）。",
                         hint="请在 Excel/WPS 中打开它，另存为 .xlsx 后再导入。")


def _read_csv(path: Path) -> list[list[str]]:
    try:
        raw = path.read_bytes()
    except OSError as err:
        raise _unreadable(path, err) from None
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise DistrictError(f"名册文件“{path.name}”的编码无法识别。", hint="请在 Excel/WPS 中另存为“CSV UTF-8”或 .xlsx。")
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel  # type: ignore[assignment]
    rows = [[_cell(v) for v in row] for row in csv.reader(io.StringIO(text), dialect)]
    if len(rows) > MAX_ROWS + 1:
        raise DistrictError(f"名册文件“{path.name}”超过 {MAX_ROWS} 行。", hint=f"一个名册最多 {MAX_ROWS} 所学校。")
    return rows


def _columns(header: list[str]) -> dict[str, int]:
    columns: dict[str, int] = {}
    for index, heading in enumerate(header):
        field = _ALIASES.get(_key(heading))
        if field is not None and field not in columns:
            columns[field] = index
    return columns


def parse_rows(rows: Iterable[list[str]], file_name: str) -> list[tuple[int, School]]:
    """Schools of a table whose first non-empty row holds the headings; (row number, school) pairs. Raises
    RosterImportError listing every bad row (row numbers as the spreadsheet shows them)."""
    numbered = [(n, r) for n, r in enumerate(rows, start=1) if any(c.strip() for c in r)]
    if not numbered:
        raise DistrictError(f"名册文件“{file_name}”是空的。")
    # The headings are the first row naming both required columns (a title line above them is common).
    start = next((n for n, (_, row) in enumerate(numbered[:HEADER_SEARCH]) if all(
        f in _columns(row) for f in REQUIRED)), 0)
    header_line, header = numbered[start]
    columns = _columns(header)
    numbered = numbered[start:]
    missing = [LABELS[f] for f in REQUIRED if f not in columns]
    if missing:
        raise DistrictError(f"名册文件“{file_name}”第 {header_line} 行（表头）缺少列：{'、'.join(missing)}。",
                            hint="表头应包含 学校代码、学校名称，可选 学段、学区/片区、联系人、联系电话。")
    problems: list[str] = []
    schools: list[tuple[int, School]] = []
    seen_codes: dict[str, int] = {}
    seen_names: dict[str, int] = {}
    for line, row in numbered[1:]:
        values = {f: (row[i].strip() if i < len(row) else "") for f, i in columns.items()}
        row_problems = []
        for field in REQUIRED:
            if not values[field]:
                row_problems.append(f"第 {line} 行“{LABELS[field]}”：不能为空。")
        code, name = values["code"], values["name"]
        if code and code in seen_codes:
            row_problems.append(f"第 {line} 行“学校代码”：{code} 与第 {seen_codes[code]} 行重复。")
        if name and name in seen_names:
            row_problems.append(f"第 {line} 行“学校名称”：{name} 与第 {seen_names[name]} 行重复。")
        if not row_problems:
            try:
                schools.append((line, School(**values)))
            except ValidationError as err:
                for error in err.errors():
                    field = str(error["loc"][0])
                    limit = error.get("ctx", {}).get("max_length", "")
                    row_problems.append(f"第 {line} 行“{LABELS.get(field, field)}”：过长（最多 {limit} 个字）。"
                                        if error["type"] == "string_too_long" else
                                        f"第 {line} 行“{LABELS.get(field, field)}”：格式不对。")
        seen_codes.setdefault(code, line) if code else None
        seen_names.setdefault(name, line) if name else None
        problems += row_problems
    if problems:
        lines = "\n".join(problems)
        raise RosterImportError(f"名册文件“{file_name}”有 {len(problems)} 处问题，未导入任何学校：\n{lines}", problems)
    if not schools:
        raise DistrictError(f"名册文件“{file_name}”只有表头，没有学校。")
    return schools
