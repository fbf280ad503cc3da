"""Export: open the key, lay out the PDF, attach the JSON, sign — into a temporary file renamed into place at the end."""

from __future__ import annotations

import contextlib
import os
import tempfile
import threading
import time
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict

from selfcheck.errors import ReportError
from selfcheck.report.appendix import PhotoChecks, PhotoLoader
from selfcheck.report.data import ATTACHMENT_NAME, SCHEMA_ID, ReportData, SignerInfo
from selfcheck.report.pdf import (
    SIGNATURE_ROW_BASELINES,
    CancelCheck,
    ExportCancelled,
    Progress,
    build_pdf,
)
from selfcheck.report.styles import cn_date
from selfcheck.oserrors import os_reason

if TYPE_CHECKING:
    from selfcheck.signing.keys import SigningKey


class ExportResult(BaseModel):
    """What was written."""

    model_config = ConfigDict(frozen=True)

    path: Path
    pages: int
    size: int
    report_id: str
    fingerprint: str
    seconds: float


def check_output_path(out: Path, *, overwrite: bool = True) -> Path:
    """Validate the destination (a .pdf in an existing folder); raises ReportError with a Chinese message."""
    out = Path(out)
    if out.suffix.lower() != ".pdf":
        raise ReportError(f"报告文件名应以 .pdf 结尾：{out}")
    if out.is_dir():
        raise ReportError(f"该路径是一个文件夹：{out}")
    if not out.parent.is_dir():
        raise ReportError(f"保存报告的文件夹不存在：{out.parent}")
    if out.exists() and not overwrite:
        raise ReportError(f"文件已存在：{out}")
    return out


def export_report(
    data: ReportData,
    photo_loader: PhotoLoader,
    out: Path,
    *,
    key_path: Path | None = None,
    password: str = "",
    key: SigningKey | None = None,
    seal_image: Path | bytes | None = None,
    signature_image: Path | bytes | None = None,
    overwrite: bool = True,
    progress: Progress | None = None,
    cancelled: CancelCheck | None = None,
) -> ExportResult:
    """Build, attach and sign the report of `data` and write it to `out` atomically.

    The key is `key` when the caller already opened it (and checked it), else it is opened first from `key_path`
    with `password` (a wrong password fails fast). `progress(fraction, message)` reports 0…1 with a Chinese
    message; `cancelled()` returning True stops with ExportCancelled. Nothing is left at `out` (nor a temporary file
    beside it) unless the whole export succeeds. Raises SigningError for key problems and ReportError for layout,
    photo or file problems.
    """
    from selfcheck.report.fonts import report_fonts, stamp_font_file
    from selfcheck.signing.appearance import AppearanceText, make_stamp_style
    from selfcheck.signing.keys import load_key
    from selfcheck.signing.prefix_digest import PrefixHash
    from selfcheck.signing.sign import Attachment, sign_pdf_in_place

    started = time.perf_counter()

    def step(fraction: float, message: str) -> None:
        if cancelled is not None and cancelled():
            raise ExportCancelled()
        if progress is not None:
            progress(fraction, message)

    out = check_output_path(out, overwrite=overwrite)
    if key is None:
        if key_path is None:
            raise TypeError("export_report needs key_path (with password) or an opened key")
        step(0.0, "正在打开学校密钥……")
        key = load_key(key_path, password)
    signer = SignerInfo(subject=key.info.subject, fingerprint_sha256=key.info.fingerprint,
                        not_valid_after=key.info.not_valid_after)
    data = data.model_copy(update={"signer": signer})

    step(0.02, "正在准备字体……")
    fonts = report_fonts()
    # The unsigned PDF is written straight into a temporary file beside `out`, signed there in place (one appended
    # increment), flushed to disk and renamed over `out`: no copy of the photos in memory or on disk.
    fd, tmp_name = tempfile.mkstemp(prefix=f".{out.stem}.", suffix=".pdf.tmp", dir=out.parent)
    tmp = Path(tmp_name)
    checks = PhotoChecks()
    try:
        with os.fdopen(fd, "w+b") as handle:
            flush: _EarlyFlush | None = None
            # The signature's digest of the unsigned file is taken on a worker thread as it is written.
            prefix = PrefixHash(handle)
            try:
                built = build_pdf(data, photo_loader, fonts=fonts, cancelled=cancelled, output=prefix,
                                  photo_checks=checks, progress=lambda f, m: step(0.03 + 0.77 * f, m))
                # Laid out and written: the photos' SHA-256 checks and the flush of these bytes to disk now run on
                # worker threads (both GIL-free) beside pyHanko, which parses, appends and digests the file;
                # the signature waits for the checks, the final fsync for the flush.
                checks.start()
                handle.flush()
                flush = _EarlyFlush(handle.fileno())

                step(0.82, "正在准备签名外观……")
                now = datetime.now(data.generated_at.tzinfo).astimezone()
                text = AppearanceText(school=data.school.name, principal=data.school.principal,
                                      date_text=cn_date(now), time_text=now.strftime("%H:%M:%S"))
                font_file = stamp_font_file(fonts.stamp_face(), text.school + text.principal + text.caption)
                style = make_stamp_style(text, font_file, seal=seal_image, signature=signature_image,
                                         rows=SIGNATURE_ROW_BASELINES)
                attachment = Attachment(name=ATTACHMENT_NAME, data=data.to_json().encode("utf-8"),
                                        description=f"自查结果数据（{SCHEMA_ID}）", created=data.generated_at)

                step(0.85, "正在签名……")
                sign_pdf_in_place(handle, key, page=built.signature.page, box=built.signature.box,
                                  stamp_style=style, attachment=attachment, location=data.school.region or None,
                                  before_signing=checks.wait, prefix=prefix)
                checks.wait()  # returns at once: the signer waited for the checks before signing
                handle.flush()
                flush.wait()
                os.fsync(handle.fileno())
            finally:
                prefix.close()
                if flush is not None:
                    flush.join()  # never close the file under a running fsync
        step(0.98, "正在保存……")
        size = tmp.stat().st_size
        _replace(tmp, out)
    except BaseException as err:
        with contextlib.suppress(OSError):
            tmp.unlink()
        if isinstance(err, OSError):
            raise ReportError(f"无法写入报告文件：{out}（{os_reason(err)}）") from None
        raise
    step(1.0, "报告已导出。")
    return ExportResult(path=out, pages=built.pages, size=size, report_id=str(data.report_id),
                        fingerprint=key.info.fingerprint, seconds=time.perf_counter() - started)


class _EarlyFlush:
    """os.fsync of a file descriptor on a worker thread (the OS writes the bytes out while the caller goes on)."""

    def __init__(self, fd: int) -> None:
        self._error: OSError | None = None
        self._thread = threading.Thread(target=self._run, args=(fd,), name="report-early-fsync", daemon=True)
        self._thread.start()

    def _run(self, fd: int) -> None:
        try:
            os.fsync(fd)
        except OSError as err:
            self._error = err

    def join(self) -> None:
        self._thread.join()

    def wait(self) -> None:
        """Join; raise the OSError the fsync met."""
        self._thread.join()
        if self._error is not None:
            raise self._error


def _replace(tmp: Path, out: Path) -> None:
    try:
        os.replace(tmp, out)
    except PermissionError:
        raise ReportError(f"无法写入 {out}：文件可能正被其他程序（如 PDF 阅读器）打开，请关闭后重试。") from None
    except OSError as err:
        raise ReportError(f"无法写入 {out}（{os_reason(err)}）") from None


__all__ = ["ExportCancelled", "ExportResult", "check_output_path", "export_report"]
