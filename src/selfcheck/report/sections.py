"""The body of the report as platypus flowables: title, 一、基本情况 … 四、逐项自查明细 and the closing."""

from __future__ import annotations

from datetime import tzinfo
from typing import TYPE_CHECKING, Any

from selfcheck.report.data import COMPLIANCE_LABELS, ChecklistResult, Problem, ReportData, Tally
from selfcheck.report.longcells import Notes, move_tall_cells, plain_text
from selfcheck.report.phrases import (
    balanced_title,
    basis_text,
    clause,
    done_text,
    number_text,
    ordinal,
    score_text,
    short_tally,
)
from selfcheck.report.styles import (
    AREA_FILL,
    ALERT,
    ALERT_FILL,
    HEAD_FILL,
    MUTED,
    OK,
    Styles,
    cn_date,
    colored,
    esc,
    grid_style,
    iso_date,
    local_time,
)

if TYPE_CHECKING:
    from reportlab.platypus import Flowable

HEADING_ROOM = 110.0  # points: a heading, a line of text and a table's header with two rows
TEXT_WIDTH = 465.0


class BodyBuilder:
    """Builds the flowables of the report body from ReportData."""

    def __init__(self, data: ReportData, styles: Styles, photo_numbers: dict[int, int], tz: tzinfo | None) -> None:
        self.data = data
        self.s = styles
        self.photo_numbers = photo_numbers
        self.tz = tz
        self.today = data.generated_at.date()
        self.notes = Notes()
        self._parsed: dict[tuple[str, str], tuple[Any, list[Any]]] = {}

    # helpers ------------------------------------------------------------------------------------------------------

    def p(self, text: str, style: Any = None) -> Any:
        """A paragraph of markup `text`; the same text in the same style is parsed once per report (是, 合规,
        未作答, … fill most cells), the parsed fragments being shared, as reportlab only reads them."""
        from selfcheck.report.cjkwrap import CJKParagraph

        style = style or self.s.body
        key = (text, style.name)
        parsed = self._parsed.get(key)
        if parsed is None:
            paragraph = CJKParagraph(text, style)
            self._parsed[key] = (paragraph.style, paragraph.frags)
            return paragraph
        return CJKParagraph(text, parsed[0], frags=parsed[1])

    def cell(self, text: str, style: Any = None) -> Any:
        return self.p(text, style or self.s.cell)

    def table(self, rows: list[list[Any]], widths: list[float], extra: list[tuple[Any, ...]] | None = None,
              repeat: int = 1, row_label: Any = None) -> list[Flowable]:
        """A grid table that always lays out: cells too tall for a row move to numbered notes right after it."""
        from reportlab.platypus import Table

        move_tall_cells(rows, widths, extra or [], self.notes, self.p, header=repeat, row_label=row_label)
        table = Table(rows, colWidths=widths, repeatRows=repeat, hAlign="LEFT",
                      style=grid_style(self.s.fonts.song, extra, header=repeat > 0))
        return [table, *self.endnotes()]

    def endnotes(self) -> list[Flowable]:
        """The full texts of cells moved out of the table just built (注 N（label）: text)."""
        from reportlab.platypus import Spacer

        out: list[Flowable] = []
        for number, label, paragraph in self.notes.take():
            if not out:
                out.append(Spacer(1, 4))
            head = f'<font name="{self.s.fonts.hei}">注 {number}</font>（{esc(label)}）：'
            out.append(self.p(head + paragraph.text, self.s.endnote))
        return out

    def heading(self, text: str, style: Any, room: float = HEADING_ROOM) -> list[Flowable]:
        """A heading that never stands alone at the foot of a page: it starts a new page unless there is room
        for it and the first lines under it (instead of keepWithNext, which drags a whole table along and can
        leave most of a page empty). room=0: the caller already made room (a heading right under another)."""
        from reportlab.platypus import CondPageBreak

        return [CondPageBreak(room), self.p(text, style)] if room else [self.p(text, style)]

    # sections -----------------------------------------------------------------------------------------------------

    def title(self) -> list[Flowable]:
        from reportlab.platypus import Spacer

        lines = balanced_title(self.data.title, self.s.title.fontName, self.s.title.fontSize, TEXT_WIDTH - 20)
        out: list[Flowable] = [self.p("<br/>".join(esc(line) for line in lines), self.s.title)]
        t = self.data.totals
        if not t.complete:
            out.append(self.p(
                f'<font name="{self.s.fonts.hei}">【未完成】</font>本次自查尚有 {t.unanswered} 个检查项未作答'
                f"（已完成 {done_text(t)}），以下得分只计已作答的检查项，不能作为完成的自查结论。", self.s.incomplete))
        out.append(Spacer(1, 10))
        return out

    def opening(self) -> list[Flowable]:
        d, t = self.data, self.data.totals
        used = [c for c in d.checklists if not c.not_applicable]
        team = "、".join(d.inspection.team)
        team_text = f"自查组由{esc(team)}组成，" if team else ""
        checked = "逐项核查" if t.complete else f"逐项核查（截至报告生成时已完成 {done_text(t)}）"
        text = (
            f"根据{esc(d.inspection.title)}工作安排，{esc(d.school.name)}于{cn_date(d.inspection.period_start)}至"
            f"{cn_date(d.inspection.period_end)}组织开展了专项自查。{team_text}对照 {len(used)} 份检查清单"
            f"共 {t.items} 个检查项{checked}，现将自查情况报告如下。"
        )
        return [self.p(text)]

    def basic_info(self) -> list[Flowable]:
        d, s = self.data, self.s
        school, insp = d.school, d.inspection
        label = s.head
        rows = [
            [self.cell("学校名称", label), self.cell(esc(school.name)), self.cell("学段", label),
             self.cell(esc(school.stage or "—"))],
            [self.cell("所在地区", label), self.cell(esc(school.region or "—")), self.cell("联系电话", label),
             self.cell(esc(school.phone or "—"))],
            [self.cell("校长", label), self.cell(esc(school.principal or "—")), self.cell("填报人", label),
             self.cell(esc(school.preparer or "—"))],
            [self.cell("自查名称", label), self.cell(esc(insp.title)), "", ""],
            [self.cell("自查时段", label),
             self.cell(f"{cn_date(insp.period_start)}至{cn_date(insp.period_end)}"), "", ""],
            [self.cell("自查组成员", label), self.cell(esc("、".join(insp.team) or "—")), "", ""],
            [self.cell("审计日志", label),
             self.cell(f"共 {d.audit.entries} 条记录；链头哈希：<br/>{esc(d.audit.hash)}", s.cell_small), "", ""],
        ]
        spans = [("SPAN", (1, r), (3, r)) for r in range(3, len(rows))]
        fills = [("BACKGROUND", (0, 0), (0, -1), HEAD_FILL), ("BACKGROUND", (2, 0), (2, 2), HEAD_FILL)]
        info = self.table(rows, [72, 180, 60, 153], spans + fills, repeat=0)
        out: list[Flowable] = [*self.heading("一、基本情况", s.h1), *info]

        out += self.heading("（一）使用的检查清单", s.h2)
        head = [self.cell(t, s.head) for t in ("序号", "领域", "清单名称", "版本", "检查项", "适用情况")]
        rows = [head]
        for n, c in enumerate(d.checklists, 1):
            applies = colored("不适用", ALERT) if c.not_applicable else "适用"
            items = "—" if c.not_applicable else str(c.tally.items)
            rows.append([self.cell(str(n), s.cell_center), self.cell(esc(c.area_title)), self.cell(esc(c.title)),
                         self.cell(esc(c.version), s.cell_center), self.cell(items, s.cell_center),
                         self.cell(applies, s.cell_center)])
        out += self.table(rows, [28, 100, 182, 50, 45, 60])

        out += self.heading("（二）不适用的领域", s.h2)
        excluded = [c for c in d.checklists if c.not_applicable]
        if not excluded:
            out.append(self.p("本次自查所列检查清单均适用，无标记为不适用的领域。"))
        for n, c in enumerate(excluded, 1):
            out.append(self.p(f"{n}．{esc(c.title)}（{esc(c.area_title)}）：{esc(c.not_applicable_reason or '')}"))
        return out

    def overview(self) -> list[Flowable]:
        d, s, t = self.data, self.s, self.data.totals
        out: list[Flowable] = self.heading("二、自查结果总览", s.h1)
        unanswered = f"，尚有 {t.unanswered} 个未作答" if t.unanswered else "，全部已作答"
        out.append(self.p(
            f"本次自查共涉及检查项 {t.items} 个，已完成 {done_text(t)}{unanswered}；其中合规 {t.compliant} 个、"
            f"不合规 {t.noncompliant} 个、不适用 {t.na} 个。按已作答的检查项计，应得分 {t.max_score} 分，"
            f"扣分 {t.deducted} 分，实得 {t.score} 分；未作答的检查项不计分，也不计为合规。"
        ))
        head = [self.cell(x, s.head)
                for x in ("领域 / 检查清单", "检查项", "已完成", "合规", "不合规", "不适用", "未作答", "得分")]
        rows: list[list[Any]] = [head]
        extra: list[tuple[Any, ...]] = []
        by_id = {c.id: c for c in d.checklists}
        for area in d.areas:
            r = len(rows)
            rows.append(self._tally_row(f"<font name=\"{s.fonts.hei}\">{esc(area.title)}</font>", area.tally))
            extra.append(("BACKGROUND", (0, r), (-1, r), AREA_FILL))
            for cid in area.checklist_ids:
                c = by_id[cid]
                name = esc(c.title)
                if c.not_applicable:
                    name += colored("（不适用）", MUTED)
                rows.append(self._tally_row(name, c.tally, indent=True))
        r = len(rows)
        rows.append(self._tally_row(f"<font name=\"{s.fonts.hei}\">合计</font>", t))
        extra.append(("BACKGROUND", (0, r), (-1, r), HEAD_FILL))
        out += self.table(rows, [163, 38, 48, 38, 40, 40, 40, 58], extra)
        return out

    def _tally_row(self, name: str, t: Tally, *, indent: bool = False) -> list[Any]:
        s = self.s
        bad = colored(str(t.noncompliant), ALERT) if t.noncompliant else "0"
        if t.items == 0:
            return [self.cell(name, s.cell_indent if indent else s.cell),
                    *(self.cell("—", s.cell_center) for _ in range(7))]
        unanswered = colored(str(t.unanswered), ALERT) if t.unanswered else "0"
        return [self.cell(name, s.cell_indent if indent else s.cell), *(self.cell(v, s.cell_center) for v in (
            str(t.items), done_text(t), str(t.compliant), bad, str(t.na), unanswered, score_text(t)))]

    def problems(self) -> list[Flowable]:
        d, s = self.data, self.s
        out: list[Flowable] = self.heading("三、发现的问题及整改情况", s.h1)
        if not d.problems:
            out.append(self.p("本次自查未发现问题。"))
            return out
        counts = {status: sum(1 for p in d.problems if p.status == status)
                  for status in ("待整改", "整改中", "已整改", "已销号")}
        overdue = d.overdue_problems()
        summary = (f"本次自查共发现问题 {len(d.problems)} 个，其中已销号 {counts['已销号']} 个、已整改 {counts['已整改']} 个、"
                   f"整改中 {counts['整改中']} 个、待整改 {counts['待整改']} 个")
        summary += f"；已超过整改时限的 {len(overdue)} 个，已在表中标红。" if overdue else "；无逾期未整改的问题。"
        out.append(self.p(summary))
        out.append(self.p("问题清单及整改台账见下表。", s.body))
        head = [self.cell(x, s.head) for x in ("序号", "问题描述", "整改措施", "责任领导 / 科室 / 责任人", "整改时限", "整改状态")]
        rows: list[list[Any]] = [head]
        extra: list[tuple[Any, ...]] = []
        for n, problem in enumerate(d.problems, 1):
            r = len(rows)
            late = problem.is_overdue(self.today)
            rows.append(self._problem_row(n, problem, late))
            extra.append(("VALIGN", (0, r), (-1, r), "TOP"))
            trail = self._problem_trail(problem)
            if trail:
                rows.append(["", self.cell(trail, s.cell_small), "", "", "", ""])
                extra += [("SPAN", (0, r), (0, r + 1)), ("SPAN", (1, r + 1), (-1, r + 1)),
                          ("LINEABOVE", (1, r + 1), (-1, r + 1), 0.25, "#c8c8c8")]
            if late:
                extra.append(("BACKGROUND", (0, r), (-1, len(rows) - 1), ALERT_FILL))
        numbers = {}
        for r, row in enumerate(rows):
            if r and hasattr(row[0], "frags"):
                numbers[r] = f"问题 {plain_text(row[0])}"
        out += self.table(rows, [26, 131, 122, 72, 62, 52], extra,
                          row_label=lambda r: numbers.get(r) or numbers.get(r - 1, ""))
        return out

    def _problem_row(self, n: int, p: Problem, late: bool) -> list[Any]:
        s = self.s
        origin = []
        if p.item_id:
            origin.append(f"检查项 {esc(p.item_id)}")
        origin.append(f"来源：{esc(p.source)}")
        if p.severity:
            origin.append(esc(p.severity))
        desc = f"{esc(p.description)}<br/>{colored('（' + '，'.join(origin) + '）', MUTED)}"
        measures = []
        if p.rect_type:
            measures.append(f'<font name="{s.fonts.hei}">【{esc(p.rect_type)}】</font>')
        measures.append(esc(p.measures) if p.measures else colored("尚未制定整改措施", ALERT))
        if p.progress:
            measures.append(f"<br/>进度：{esc(p.progress)}")
        if p.done_description:
            done = f"（{iso_date(p.completed_on)}）" if p.completed_on else ""
            measures.append(f"<br/>完成情况：{esc(p.done_description)}{done}")
        people = "<br/>".join(esc(x or "—") for x in (p.leader, p.department, p.person))
        status = esc(p.status)
        if p.status == "已销号":
            status = colored(status, OK)
        if late and p.deadline is not None:
            days = (self.today - p.deadline).days
            status += "<br/>" + colored(f"逾期 {days} 天", ALERT, bold_font=s.fonts.hei)
        deadline = colored(iso_date(p.deadline), ALERT) if late else iso_date(p.deadline)
        return [self.cell(str(n), s.cell_center), self.cell(desc), self.cell("".join(measures)),
                self.cell(people, s.cell_center), self.cell(deadline, s.cell_center), self.cell(status, s.cell_center)]

    def _problem_trail(self, p: Problem) -> str:
        parts = []
        if p.verified_by or p.verified_on:
            note = f"，{esc(clause(p.verification_note))}" if p.verification_note else ""
            parts.append(f"现场查验：{esc(p.verified_by or '—')} {iso_date(p.verified_on)}{note}")
        elif p.status in ("已整改", "已销号"):
            parts.append(colored("现场查验：未查验", ALERT))
        if p.closed_by or p.closed_on:
            parts.append(f"销号：{esc(p.closed_by or '—')} {iso_date(p.closed_on)}")
        for f in p.follow_ups:
            parts.append(f"回头看第 {f.round} 轮：{f.date.isoformat()} {esc(f.by)}，{esc(f.result)}——"
                         f"{esc(clause(f.finding))}")
        if p.after_photo_ids:
            numbers = "、".join(f"照片 {self.photo_numbers[i]}" for i in p.after_photo_ids if i in self.photo_numbers)
            parts.append(f"整改后照片：{numbers}（见附件）")
        return "；".join(parts)

    def details(self) -> list[Flowable]:
        d, s = self.data, self.s
        out: list[Flowable] = self.heading("四、逐项自查明细", s.h1, HEADING_ROOM + 40)
        for n, c in enumerate(d.checklists, 1):
            out += self.heading(f"（{ordinal(n)}）{esc(c.title)}（版本 {esc(c.version)}）", s.h2,
                                HEADING_ROOM if n > 1 else 0)
            if c.not_applicable:
                out.append(self.p(f"本清单标记为不适用。理由：{esc(c.not_applicable_reason or '')}"))
                continue
            t = c.tally
            state = "" if t.complete else colored("（未完成）", ALERT)
            out.append(self.p(
                f"检查项 {t.items} 个，已完成 {done_text(t)}{state}：合规 {t.compliant}、不合规 {t.noncompliant}、"
                f"不适用 {t.na}、未作答 {t.unanswered}；得分 {score_text(t)}（只计已作答的检查项）"
                + (f"，档次：{esc(c.tier)}" if c.tier else "") + "。", s.note))
            if c.parameters:
                values = "；".join(f"{esc(p.name)} {number_text(p.value)}{esc(p.unit or '')}（{esc(p.source)}）"
                                  for p in c.parameters)
                out.append(self.p(f"本清单适用的参数取值：{values}。", s.note))
            out += self._checklist_table(c)
        return out

    def _checklist_table(self, c: ChecklistResult) -> list[Flowable]:
        s = self.s
        head = [self.cell(x, s.head) for x in ("编号", "检查内容", "答案", "结论", "备注 / 填写人")]
        tiny = s.cell_small_center
        rows: list[list[Any]] = [head]
        extra: list[tuple[Any, ...]] = []
        photos_by_item: dict[str, list[int]] = {}
        for photo in self.data.photos:
            if photo.item_id and photo.kind == "evidence":
                photos_by_item.setdefault(photo.item_id, []).append(self.photo_numbers[photo.id])
        for section in c.sections:
            r = len(rows)
            rows.append([self.cell(f'<font name="{s.fonts.hei}">{esc(section.title)}</font>'
                                   f'　{colored(short_tally(section.tally), MUTED)}'), "", "", "", ""])
            extra += [("SPAN", (0, r), (-1, r)), ("BACKGROUND", (0, r), (-1, r), AREA_FILL)]
            for item in section.items:
                if not item.counted:
                    continue  # hidden by show_if: not one of this inspection's items
                r = len(rows)
                verdict = COMPLIANCE_LABELS[item.status]
                if item.status == "noncompliant":
                    verdict = colored(verdict, ALERT, bold_font=s.fonts.hei)
                    extra.append(("BACKGROUND", (0, r), (-1, r), ALERT_FILL))
                elif item.status in ("unanswered", "na"):
                    verdict = colored(verdict, MUTED)
                remark = []
                if item.note:
                    remark.append(esc(item.note))
                numbers = photos_by_item.get(item.id)
                if numbers:
                    remark.append(colored("照片 " + "、".join(str(x) for x in numbers), MUTED))
                if item.answered_by or item.answered_at:
                    who = f"{esc(item.answered_by)} {local_time(item.answered_at, self.tz)}".strip()
                    remark.append(colored(who, MUTED))
                number = f"{esc(item.id)}<br/>{colored(esc(item.severity) + f' · {item.score}分', MUTED)}"
                content = esc(item.question)
                if item.basis:
                    content += "<br/>" + colored("依据：" + "；".join(basis_text(b) for b in item.basis), MUTED)
                rows.append([self.cell(number, tiny), self.cell(content),
                             self.cell(esc(item.answer_label), s.cell_center), self.cell(verdict, s.cell_center),
                             self.cell("<br/>".join(remark) or "")])
        return self.table(rows, [50, 200, 60, 40, 115], extra)

    def closing(self, signature_block: Flowable) -> list[Flowable]:
        from reportlab.platypus import KeepTogether, Spacer

        d, s = self.data, self.s
        # The summary keeps body text on the page of the 落款: the closing never stands alone at a page's top.
        parts: list[Flowable] = [Spacer(1, 10), self.p(self._summary()), self.p("特此报告。"), Spacer(1, 8),
                                 signature_block, Spacer(1, 6)]
        if d.signer is not None:
            signer = d.signer
            parts += [
                self.p(f"本报告已使用“{esc(signer.subject)}”的数字证书进行电子签名（PAdES），证书有效期至 "
                       f"{local_time(signer.not_valid_after, self.tz)}。证书 SHA-256 指纹：", s.note),
                self.p(esc(signer.fingerprint_sha256), s.fingerprint),
                self.p(VERIFY_HINT, s.note),
            ]
        else:
            parts.append(self.p("本文件为未签名的预览稿，不能作为正式报告报送。", s.note))
        return [KeepTogether(parts)]


    def _summary(self) -> str:
        d, t = self.data, self.data.totals
        text = "以上是本次自查的情况。"
        if t.unanswered:
            text += f"本次自查尚有 {t.unanswered} 个检查项未作答，学校将尽快补充完成并如实报告。"
        if d.problems:
            text += (f"对发现的 {len(d.problems)} 个问题，学校已逐项建立整改台账，明确整改措施、责任人和整改时限，"
                     "将按期整改到位，并适时开展“回头看”，防止问题反弹。")
        else:
            text += "学校将持续做好日常监督检查，巩固自查成果。"
        return text


VERIFY_HINT = ("如何核验：见 SelfCheck 随附的说明《如何核验学校自查报告》。本报告签名后不允许任何改动；"
               "只有签名完好、签名后未被改动，且签名证书的指纹与本校在教育局登记的指纹一致时，报告内容才可采信。"
               "报告内附机器可读数据 selfcheck-report.json。")
