"""The Chinese messages of every photo rejection: which file, what is wrong, what to do."""

from __future__ import annotations

from collections.abc import Iterable

from selfcheck.errors import EvidenceError
from selfcheck.evidence.formats import FORMAT_LABELS


def _supported(formats: Iterable[str]) -> str:
    return "、".join(FORMAT_LABELS.get(f, f) for f in formats)


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):.1f}".removesuffix(".0")


def _wan(pixels: int) -> str:
    """Pixels in units of 万 (10,000), the way Chinese phone specs say it."""
    return f"{pixels / 10_000:.0f}"


def missing(name: str) -> EvidenceError:
    return EvidenceError(f"找不到文件“{name}”。它可能已被移动、改名或删除，请重新选择照片。")


def is_directory(name: str) -> EvidenceError:
    return EvidenceError(f"“{name}”是一个文件夹，不是照片文件。请打开文件夹后选择其中的照片。")


def permission_denied(name: str) -> EvidenceError:
    return EvidenceError(
        f"无法读取文件“{name}”：没有读取权限，或文件正被其他程序占用。请关闭占用它的程序或检查文件权限后重试。"
    )


def unreadable(name: str, reason: str) -> EvidenceError:
    return EvidenceError(
        f"无法读取文件“{name}”（{reason}）。如果照片在U盘或网络位置上，请先复制到本机再导入。"
    )


def empty(name: str) -> EvidenceError:
    return EvidenceError(f"文件“{name}”是空文件（0 字节），没有图片内容。请重新选择照片文件。")


def too_large(name: str, size: int, limit: int) -> EvidenceError:
    return EvidenceError(
        f"文件“{name}”大小为 {_mb(size)} MB，超过 {_mb(limit)} MB 的上限。"
        "请先用手机或看图软件压缩、缩小照片后再导入。"
    )


def not_an_image(name: str, formats: Iterable[str]) -> EvidenceError:
    return EvidenceError(f"文件“{name}”不是可识别的图片（支持 {_supported(formats)}）。请选择照片文件。")


def unsupported_format(name: str, found: str, formats: Iterable[str]) -> EvidenceError:
    label = FORMAT_LABELS.get(found, found)
    if found == "PDF":
        return EvidenceError(
            f"文件“{name}”是 PDF 文档，不是照片（支持 {_supported(formats)}）。请选择照片文件，"
            "或把 PDF 中的页面截图保存为图片后再导入。"
        )
    return EvidenceError(
        f"文件“{name}”是 {label} 格式的图片，暂不支持（支持 {_supported(formats)}）。"
        "请先用看图软件将其另存为 JPEG 后再导入。"
    )


def corrupt(name: str) -> EvidenceError:
    return EvidenceError(
        f"文件“{name}”已损坏或不完整，无法读取图片内容。请从原设备重新复制该照片，确认能正常打开后再导入。"
    )


def too_many_pixels(name: str, width: int, height: int, limit: int) -> EvidenceError:
    return EvidenceError(
        f"文件“{name}”像素过大（{width}×{height}，约 {_wan(width * height)} 万像素，"
        f"上限 {_wan(limit)} 万像素），已拒绝导入。请先用看图软件把照片缩小后再导入。"
    )


def out_of_memory(name: str) -> EvidenceError:
    return EvidenceError(
        f"处理文件“{name}”时内存不足。请关闭其他程序后重试，或先缩小照片再导入。"
    )
