"""Cases for the files the workbook takes in or reads: photos (missing, locked, on a pulled-out stick, not images,
damaged, too large), pasted images, signed reports to verify, the report's Chinese fonts, and the window's session."""

from __future__ import annotations

import errno
import io
from collections.abc import Callable
from pathlib import Path

from tests.messages.support import Env, T, failing, os_error

FORMATS = "JPEG、PNG、BMP、WebP、HEIC/HEIF"


# --- evidence/messages.py: a photo file the clerk picks ------------------------------------------------------------


def _add(env: Env, make: Callable[[Path], Path], fault: Callable[[], None] = lambda: None) -> None:
    """Add the photo file `make` leaves in the case folder to item TST-01, as 添加照片 does."""
    from tests.messages.cases_workbook import _wb

    wb, iid = _wb(env)
    path = make(env.tmp)
    fault()
    wb.photos.add(iid, "TST-01", path)


def _file(name: str, data: bytes | Callable[[], bytes]) -> Callable[[Path], Path]:
    def make(tmp: Path) -> Path:
        path = tmp / name
        path.write_bytes(data() if callable(data) else data)
        return path

    return make


def _pillow(image_format: str, size: tuple[int, int] = (64, 48), **params: object) -> Callable[[], bytes]:
    def encode() -> bytes:
        from PIL import Image

        out = io.BytesIO()
        Image.new("RGB", size, (200, 30, 30)).save(out, image_format, **params)
        return out.getvalue()

    return encode


def _pdf() -> bytes:
    from reportlab.pdfgen.canvas import Canvas

    out = io.BytesIO()
    canvas = Canvas(out)
    canvas.drawString(72, 720, "scan")
    canvas.save()
    return out.getvalue()


def _cut_jpeg() -> bytes:
    data = _pillow("JPEG", (400, 300))()
    return data[: len(data) // 2]


def _bomb() -> bytes:
    from tests.evidence.corpus import png_bomb

    return png_bomb()


def _folder(tmp: Path) -> Path:
    (tmp / "照片").mkdir()
    return tmp / "照片"


def _big(tmp: Path) -> Path:
    path = tmp / "大.jpg"
    with path.open("wb") as handle:
        handle.write(_pillow("JPEG")())
        handle.truncate(51 * 1024 * 1024)  # sparse: a 51 MB file without writing 51 MB
    return path


def _fifo(tmp: Path) -> Path:
    import os

    import pytest

    if not hasattr(os, "mkfifo"):
        pytest.skip("named pipes exist only on POSIX systems")
    os.mkfifo(tmp / "管道.jpg")
    return tmp / "管道.jpg"


def _open_fails(env: Env, err: BaseException) -> Callable[[], None]:
    """Opening the photo fails (the file is open in another program on Windows, the stick was pulled out)."""

    def fault() -> None:
        from selfcheck.evidence import photos

        env.monkeypatch.setattr(photos, "open", failing(err), raising=False)

    return fault


def _read_out_of_memory(env: Env) -> Callable[[], None]:
    """The 50 MB read buffer cannot be allocated (a 32-bit-era office PC with every program open)."""

    def fault() -> None:
        from selfcheck.evidence import photos

        class Starved(io.BytesIO):
            def read(self, _size: int | None = -1) -> bytes:
                raise MemoryError

        env.monkeypatch.setattr(photos, "open", lambda *_a, **_k: Starved(), raising=False)

    return fault


def _decoder_out_of_memory(env: Env) -> Callable[[], None]:
    def fault() -> None:
        from PIL import ImageFile

        env.monkeypatch.setattr(ImageFile.ImageFile, "load", failing(MemoryError()))

    return fault


def _paste_bytes(env: Env, data: bytes, name: str = "粘贴的图片.png") -> None:
    from tests.messages.cases_workbook import _wb

    wb, iid = _wb(env)
    wb.photos.add_bytes(iid, "TST-01", data, name)


# --- gui/photos/importer.py and gui/session.py -------------------------------------------------------------------


def _paste_unreadable(env: Env) -> None:
    """A pasted screenshot the PNG writer cannot encode (Qt's image writer fails, e.g. out of memory)."""
    from PySide6.QtGui import QImage

    from selfcheck.gui.photos.importer import image_to_png

    env.fixture("qtbot")
    image = QImage(32, 32, QImage.Format.Format_RGB32)
    image.fill(0xC81E1E)
    env.monkeypatch.setattr(QImage, "save", lambda *_args: False)
    image_to_png(image)


def _no_workbook(env: Env) -> None:
    from selfcheck.gui.session import Session

    env.fixture("qtbot")
    Session("测试员").require()


# --- verification/report.py --------------------------------------------------------------------------------------


def _verify(env: Env, make: Callable[[Path], Path], fault: Callable[[], None] = lambda: None) -> None:
    from selfcheck.verification.report import verify_report

    path = make(env.tmp)
    fault()
    verify_report(path)


def _huge_report(tmp: Path) -> Path:
    from selfcheck.verification.report import MAX_REPORT_BYTES

    path = tmp / "报告.pdf"
    with path.open("wb") as handle:
        handle.write(b"%PDF-1.7\n")
        handle.truncate(MAX_REPORT_BYTES + 1)  # sparse
    return path


def _report_read_fails(env: Env, method: str = "read_bytes") -> Callable[[], None]:
    def fault() -> None:
        env.monkeypatch.setattr(Path, method, failing(os_error(errno.EIO)))

    return fault


# --- report/fonts.py ---------------------------------------------------------------------------------------------


def _no_chinese_fonts(env: Env) -> None:
    """A Windows PC without Chinese fonts (a stripped-down or foreign-language install) and no fontconfig."""
    from selfcheck.report import fonts

    (env.tmp / "Fonts").mkdir()
    (env.tmp / "Fonts" / "arial.ttf").write_bytes(b"\x00\x01\x00\x00 not a CJK font")
    env.monkeypatch.setattr(fonts, "_cached", None)
    env.monkeypatch.setattr(fonts, "font_dirs", lambda: [env.tmp / "Fonts"])
    env.monkeypatch.setattr(fonts, "_fc_list_fonts", list)
    fonts.report_fonts()


def _stamp_font(env: Env, content: bytes, fault: Callable[[], None] = lambda: None) -> None:
    from selfcheck.report.fonts import FontFace, stamp_font_file

    env.monkeypatch.setenv("SELFCHECK_HOME", str(env.tmp / "数据"))
    path = env.tmp / "simhei.ttf"
    path.write_bytes(content)
    fault()
    stamp_font_file(FontFace(path), "城关第一小学王校长")


def _cache_disk_full(env: Env) -> Callable[[], None]:
    def fault() -> None:
        import tempfile

        env.monkeypatch.setattr(tempfile, "mkstemp", failing(os_error(errno.ENOSPC)))

    return fault


def _font_vanished(env: Env) -> Callable[[], None]:
    """The font file was removed (an uninstall, a cleaner) after the fonts were chosen."""

    def fault() -> None:
        (env.tmp / "simhei.ttf").unlink()

    return fault


# --- the cases ---------------------------------------------------------------------------------------------------

_PIXELS = "文件“{name}”像素过大（50000×50000，约 250000 万像素，上限 12000 万像素），已拒绝导入。请先用看图软件把照片缩小后再导入。"

CASES: list[tuple[str, Callable[[Env], None], str]] = [
    # evidence/messages.py
    ("photo file missing", lambda e: _add(e, lambda tmp: tmp / "现场.jpg"),
     "找不到文件“现场.jpg”。它可能已被移动、改名或删除，请重新选择照片。"),
    ("photo is a folder", lambda e: _add(e, _folder), "“照片”是一个文件夹，不是照片文件。请打开文件夹后选择其中的照片。"),
    ("photo open in another program", lambda e: _add(e, _file("现场.jpg", _pillow("JPEG")),
                                                     _open_fails(e, PermissionError(errno.EACCES, "denied"))),
     "无法读取文件“现场.jpg”：没有读取权限，或文件正被其他程序占用。请关闭占用它的程序或检查文件权限后重试。"),
    ("photo stick pulled out", lambda e: _add(e, _file("现场.jpg", _pillow("JPEG")), _open_fails(e, os_error(errno.EIO))),
     "无法读取文件“现场.jpg”（读写出错，U盘或移动硬盘可能已被拔出，或磁盘有坏道）。如果照片在U盘或网络位置上，请先复制到本机再导入。"),
    ("photo is a named pipe", lambda e: _add(e, _fifo),
     "无法读取文件“管道.jpg”（不是普通文件）。如果照片在U盘或网络位置上，请先复制到本机再导入。"),
    ("photo file empty", lambda e: _add(e, _file("现场.jpg", b"")), "文件“现场.jpg”是空文件（0 字节），没有图片内容。请重新选择照片文件。"),
    ("photo file too large", lambda e: _add(e, _big),
     "文件“大.jpg”大小为 51 MB，超过 50 MB 的上限。请先用手机或看图软件压缩、缩小照片后再导入。"),
    ("pasted data too large", lambda e: _paste_bytes(e, b"\xff\xd8\xff" + bytes(50 * 1024 * 1024)),
     "文件“粘贴的图片.png”大小为 50 MB，超过 50 MB 的上限。请先用手机或看图软件压缩、缩小照片后再导入。"),
    ("photo is a text file", lambda e: _add(e, _file("现场.jpg", "这不是图片。\n".encode() * 20)),
     f"文件“现场.jpg”不是可识别的图片（支持 {FORMATS}）。请选择照片文件。"),
    ("photo is a GIF", lambda e: _add(e, _file("动图.gif", _pillow("GIF"))),
     f"文件“动图.gif”是 GIF 格式的图片，暂不支持（支持 {FORMATS}）。请先用看图软件将其另存为 JPEG 后再导入。"),
    ("photo is a TIFF scan", lambda e: _add(e, _file("扫描.tif", _pillow("TIFF"))),
     f"文件“扫描.tif”是 TIFF 格式的图片，暂不支持（支持 {FORMATS}）。请先用看图软件将其另存为 JPEG 后再导入。"),
    ("photo is a PDF", lambda e: _add(e, _file("制度.pdf", _pdf)),
     f"文件“制度.pdf”是 PDF 文档，不是照片（支持 {FORMATS}）。请选择照片文件，或把 PDF 中的页面截图保存为图片后再导入。"),
    ("photo cut short", lambda e: _add(e, _file("现场.jpg", _cut_jpeg)),
     "文件“现场.jpg”已损坏或不完整，无法读取图片内容。请从原设备重新复制该照片，确认能正常打开后再导入。"),
    ("photo with too many pixels", lambda e: _add(e, _file("全景.png", _bomb)), _PIXELS.format(name="全景.png")),
    ("photo: out of memory reading", lambda e: _add(e, _file("现场.jpg", _pillow("JPEG")), _read_out_of_memory(e)),
     "处理文件“现场.jpg”时内存不足。请关闭其他程序后重试，或先缩小照片再导入。"),
    ("photo: out of memory decoding", lambda e: _add(e, _file("现场.jpg", _pillow("JPEG")), _decoder_out_of_memory(e)),
     "处理文件“现场.jpg”时内存不足。请关闭其他程序后重试，或先缩小照片再导入。"),
    # gui/photos/importer.py, gui/session.py
    ("pasted image unreadable", _paste_unreadable, "剪贴板中的图片无法读取，请重新复制后再粘贴。"),
    ("no workbook open", _no_workbook, "还没有打开工作簿。请先在“文件”菜单中新建或打开一个工作簿。"),
    # verification/report.py
    ("report to verify missing", lambda e: _verify(e, lambda tmp: tmp / "报告.pdf"), f"找不到报告文件：{T}/报告.pdf"),
    ("report to verify is a folder", lambda e: _verify(e, lambda tmp: tmp), f"报告路径是一个文件夹：{T}"),
    ("report to verify too large", lambda e: _verify(e, _huge_report),
     f"文件过大，不像是自查报告：{T}/报告.pdf"),
    ("report to verify: stick pulled out", lambda e: _verify(e, _file("报告.pdf", b"%PDF-1.7\n"), _report_read_fails(e)),
     f"无法读取报告文件：{T}/报告.pdf（读写出错，U盘或移动硬盘可能已被拔出，或磁盘有坏道）"),
    ("report to verify: drive fails when looked at",
     lambda e: _verify(e, _file("报告.pdf", b"%PDF-1.7\n"), _report_read_fails(e, "stat")),
     f"无法读取报告文件：{T}/报告.pdf（读写出错，U盘或移动硬盘可能已被拔出，或磁盘有坏道）"),
    # report/fonts.py
    ("no Chinese font on this computer", _no_chinese_fonts,
     "找不到可用于生成报告的中文 TrueType 字体（如宋体 simsun.ttc、黑体 simhei.ttf、文泉驿正黑 wqy-zenhei.ttc）。"),
    ("stamp font damaged", lambda e: _stamp_font(e, b"\x00\x01\x00\x00" + bytes(64)),
     f"无法准备签名外观所需的字体：{T}/simhei.ttf（字体文件无法解析）"),
    ("stamp font cache: disk full", lambda e: _stamp_font(e, b"\x00\x01\x00\x00" + bytes(64), _cache_disk_full(e)),
     f"无法准备签名外观所需的字体：{T}/simhei.ttf（磁盘空间不足）"),
    ("stamp font removed", lambda e: _stamp_font(e, b"\x00\x01\x00\x00" + bytes(64), _font_vanished(e)),
     f"无法准备签名外观所需的字体：{T}/simhei.ttf（文件或文件夹不存在）"),
]
