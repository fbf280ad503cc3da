"""`selfcheck district demo`: a realistic district — a roster of N schools of different stages and sizes, each with
its own demo workbook, key and signed report (different problems and ledger states), a few late, one tampered,
one signed with an unregistered key, one sent twice (superseded) and one sent again (duplicate) — and the district
workspace that received them. Composes both desks, so it lives outside either one."""

from __future__ import annotations

import random
import shutil
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

from selfcheck.errors import UserError

DEMO_PASSWORD = "Demo-区县-2026"
DISTRICT = "示例区教育局"
CORE_CHECKLISTS = ("meals", "ethics", "governance")
STAGE_CHECKLISTS = {
    "幼儿园": ("meals", "fees", "drowning", "ethics", "governance"),
    "小学": ("meals", "books", "uniforms", "fees", "tutoring", "drowning", "ethics", "governance"),
    "初中": ("meals", "books", "uniforms", "procurement", "fees", "tutoring", "drowning", "ethics", "governance"),
    "高中": ("meals", "books", "uniforms", "procurement", "fees", "ethics", "governance"),
    "九年一贯制": ("meals", "books", "uniforms", "procurement", "fees", "tutoring", "drowning", "ethics",
                  "governance"),
}
STAGE_WEIGHTS = (("小学", 40), ("初中", 22), ("幼儿园", 22), ("高中", 8), ("九年一贯制", 8))
SUFFIX = {"幼儿园": "幼儿园", "小学": "小学", "初中": "中学", "高中": "高级中学", "九年一贯制": "学校"}
ZONES = ("城东学区", "城西学区", "城南学区", "城北学区", "滨江片区", "山区片区")
PLACES = ("实验", "育才", "明德", "启航", "阳光", "崇文", "博雅", "新城", "滨江", "东湖", "西湖", "南山", "北苑", "桂花",
          "青山", "白鹭", "金桥", "翠屏", "文昌", "朝阳")
CONTACTS = ("张老师", "李老师", "王老师", "刘老师", "陈老师", "杨老师", "赵老师", "黄老师")

Say = Callable[[str], None]


@dataclass(frozen=True)
class DemoSchool:
    code: str
    name: str
    stage: str
    zone: str
    contact: str
    phone: str
    seed: int
    photos: int
    rate: float
    role: str = "regular"  # regular | late | tampered | unregistered | twice | missing | duplicate


@dataclass
class DemoResult:
    workspace: Path
    reports: Path
    schools: int
    outcomes: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0


def plan_schools(count: int, seed: int = 2026) -> list[DemoSchool]:
    """N schools with stages, zones, sizes and roles (a few late, missing, and one of each special case)."""
    rng = random.Random(seed)
    stages = [s for s, w in STAGE_WEIGHTS for _ in range(w)]
    roles = ["regular"] * count
    special = ["tampered", "unregistered", "twice", "duplicate"]
    late = max(1, count // 25) if count >= 8 else 0
    missing = max(1, count // 20) if count >= 8 else 0
    slots = list(range(count))
    rng.shuffle(slots)
    for role in special[:count] + ["late"] * late + ["missing"] * missing:
        if slots:
            roles[slots.pop()] = role
    schools, used = [], set()
    for index in range(count):
        stage = rng.choice(stages)
        place = PLACES[index % len(PLACES)]
        number = index // len(PLACES) + 1
        name = f"示例区{place}{SUFFIX[stage]}" if number == 1 else f"示例区{place}第{number}{SUFFIX[stage]}"
        while name in used:
            name += "分校"
        used.add(name)
        schools.append(DemoSchool(
            code=f"3309{index + 1:06d}", name=name, stage=stage, zone=ZONES[rng.randrange(len(ZONES))],
            contact=rng.choice(CONTACTS), phone=f"0580-{rng.randint(2000000, 8999999)}", seed=seed * 1000 + index,
            photos=rng.choice((0, 0, 0, 1, 2)), rate=rng.choice((0.03, 0.06, 0.1, 0.14, 0.2, 0.28)),
            role=roles[index]))
    return schools


def _build_school(school: DemoSchool, folder: str, reports: str) -> dict[str, object]:
    """In a worker process: the school's workbook, key and signed report(s). Returns the files made."""
    from selfcheck.checklists.loader import load_builtin_checklists
    from selfcheck.report.collect import collect_report_data
    from selfcheck.report.export import export_report
    from selfcheck.signing.keys import create_school_key, load_key
    from selfcheck.workbook.demo import SCHOOL, build_demo

    base = Path(folder) / school.code
    base.mkdir(parents=True, exist_ok=True)
    wanted = STAGE_CHECKLISTS[school.stage]
    checklists = [c for c in load_builtin_checklists() if c.id in wanted]
    profile = SCHOOL.model_validate({**SCHOOL.model_dump(), "name": school.name, "stage": school.stage,
                                     "county": "示例区", "preparer": school.contact, "phone": school.phone})
    workbook = base / "自查工作簿.selfcheck"
    build_demo(workbook, photos=school.photos, checklists=checklists, seed=school.seed, school=profile,
               noncompliant_rate=school.rate)
    info = create_school_key(base / "school.p12", school.name, DEMO_PASSWORD)
    signing = info.path
    if school.role == "unregistered":  # signed with a key the district never saw
        signing = create_school_key(base / "new.p12", school.name, DEMO_PASSWORD).path
    key = load_key(signing, DEMO_PASSWORD)
    made: list[str] = []
    for round_ in range(2 if school.role == "twice" else 1):
        data, loader = collect_report_data(workbook, "latest")
        try:
            suffix = "" if round_ == 0 else "（更正后重新报送）"
            out = Path(reports) / f"{school.code}-{school.name}{suffix}.pdf"
            export_report(data, loader, out, key=key)
        finally:
            loader.close()
        made.append(str(out))
        if round_ == 0 and school.role == "twice":
            time.sleep(1.1)  # the second report is generated later (newer generated_at)
    if school.role == "tampered":
        _tamper(Path(made[0]))
    return {"code": school.code, "cer": str(info.certificate_path), "reports": made}


def _tamper(path: Path) -> None:
    """Change one byte inside a content stream of the signed file (what an edit after signing amounts to)."""
    raw = bytearray(path.read_bytes())
    start = raw.find(b"stream\n", len(raw) // 10)
    position = start + len(b"stream\n") + 40
    raw[position] ^= 0x20
    path.write_bytes(bytes(raw))


def build_district(folder: Path, count: int, *, workers: int | None = None, receive: bool = True,
                   say: Say | None = None) -> DemoResult:
    """Create the demo district in `folder` (must be empty or absent)."""
    import os

    say = say or (lambda _text: None)
    if count < 1 or count > 2000:
        raise UserError("--schools 应在 1 到 2000 之间。")
    folder = Path(folder)
    if folder.exists() and any(folder.iterdir()):
        raise UserError(f"文件夹不是空的：{folder}", hint="请指定一个新的或空的文件夹。")
    started = time.perf_counter()
    reports = folder / "学校报送的报告"
    certs = folder / "学校证书"
    for path in (reports, certs):
        path.mkdir(parents=True, exist_ok=True)
    schools = plan_schools(count)
    built: dict[str, dict[str, object]] = {}
    workers = workers or os.cpu_count() or 1
    with tempfile.TemporaryDirectory(prefix="selfcheck-district-demo-") as scratch:
        first = [s for s in schools if s.role not in ("late", "missing")]
        late = [s for s in schools if s.role == "late"]
        _run(first, scratch, reports, workers, built, say, len(first) + len(late))
        deadline = datetime.now().astimezone()
        time.sleep(1.1)
        _run(late, scratch, reports, workers, built, say, len(first) + len(late), done=len(first))
        for info in built.values():
            shutil.copy2(str(info["cer"]), certs / f"{info['code']}.cer")
        # schools that have not reported still registered their certificate: make theirs too
        for school in (s for s in schools if s.role == "missing"):
            from selfcheck.signing.keys import create_school_key

            create_school_key(Path(scratch) / f"{school.code}.p12", school.name, DEMO_PASSWORD)
            shutil.copy2(Path(scratch) / f"{school.code}.cer", certs / f"{school.code}.cer")
    duplicate = next((s for s in schools if s.role == "duplicate"), None)
    if duplicate is not None:
        resent = reports / "重复发送"
        resent.mkdir(exist_ok=True)
        source = Path(str(built[duplicate.code]["reports"][0]))  # type: ignore[index]
        shutil.copy2(source, resent / source.name)
    roster_file = folder / "学校名册.xlsx"
    write_roster(roster_file, schools)
    workspace = folder / f"{DISTRICT}.district"
    result = DemoResult(workspace=workspace, reports=reports, schools=count)
    _make_workspace(workspace, roster_file, certs, schools, deadline)
    if receive:
        from selfcheck.district.workspace import DistrictWorkspace

        say("正在接收并核验各校报告……")
        with DistrictWorkspace.open(workspace) as ws:
            for outcome in ws.reports.receive([reports], workers=workers):
                result.outcomes[outcome.verdict] = result.outcomes.get(outcome.verdict, 0) + 1
            # A school changed staff after reporting: its certificate is revoked now, its report stays valid
            # (reports received on it from now on are refused: the school re-signs with its new key).
            regular = [s for s in schools if s.role == "regular"]
            if regular:
                cert = ws.registry.list(regular[-1].code)[0]
                ws.registry.revoke(cert.fingerprint, "经办人调离，学校已重新生成密钥")
    result.seconds = time.perf_counter() - started
    return result


def _run(schools: list[DemoSchool], scratch: str, reports: Path, workers: int, built: dict[str, dict[str, object]],
         say: Say, total: int, done: int = 0) -> None:
    if not schools:
        return
    import multiprocessing

    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=min(workers, len(schools)), mp_context=context) as pool:
        futures = [pool.submit(_build_school, s, scratch, str(reports)) for s in schools]
        for future in as_completed(futures):
            info = future.result()
            built[str(info["code"])] = info
            done += 1
            if done % 10 == 0 or done == total:
                say(f"已生成学校报告 {done}/{total}")


def write_roster(path: Path, schools: list[DemoSchool]) -> None:
    """The roster as a bureau keeps it: an .xlsx with Chinese headings."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "学校名册"
    sheet.append(["学校代码", "学校名称", "学段", "学区/片区", "联系人", "联系电话"])
    for s in schools:
        sheet.append([s.code, s.name, s.stage, s.zone, s.contact, s.phone])
    book.save(path)


def _make_workspace(path: Path, roster_file: Path, certs: Path, schools: list[DemoSchool], deadline: datetime) -> None:
    from selfcheck.district.models import ExpectedChecklist
    from selfcheck.district.workspace import DistrictWorkspace

    today = date.today()
    with DistrictWorkspace.create(path, DISTRICT) as ws:
        ws.roster.import_file(roster_file)
        for school in schools:
            ws.registry.register(certs / f"{school.code}.cer", school_code=school.code)
        ws.campaigns.create(f"{today.year}年“1+3+N”专项自查（示例）", today - timedelta(days=40),
                            today + timedelta(days=20),
                            checklists=[ExpectedChecklist(id=c, version="") for c in CORE_CHECKLISTS],
                            deadline=deadline)

