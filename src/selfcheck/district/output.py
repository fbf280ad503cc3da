"""Writing an export atomically: into a temporary file beside the target, renamed into place when complete."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from selfcheck.district.errors import DistrictError
from selfcheck.oserrors import os_reason


def check_target(out: Path | str, suffix: str) -> Path:
    out = Path(out)
    if out.suffix.lower() != suffix:
        raise DistrictError(f"导出文件名应以 {suffix} 结尾：{out}")
    if out.is_dir():
        raise DistrictError(f"该路径是一个文件夹：{out}")
    if not out.parent.is_dir():
        raise DistrictError(f"保存导出文件的文件夹不存在：{out.parent}")
    return out


@contextmanager
def atomic_target(out: Path) -> Iterator[Path]:
    """Yield a temporary path to write; on success it replaces `out`, on failure it is removed."""
    try:
        fd, name = tempfile.mkstemp(prefix=f".{out.stem}.", suffix=out.suffix + ".tmp", dir=out.parent)
        os.close(fd)
    except OSError as err:  # a read-only folder, a write-protected or removed stick
        raise DistrictError(f"无法在“{out.parent}”中保存导出文件：{os_reason(err)}。",
                            hint="请换一个可写的文件夹（例如“文档”）再导出。") from None
    tmp = Path(name)
    try:
        yield tmp
        os.replace(tmp, out)
    except PermissionError:
        with contextlib.suppress(OSError):
            tmp.unlink()
        reader = " PDF 阅读器" if out.suffix.lower() == ".pdf" else " Excel/WPS "
        raise DistrictError(f"无法写入“{out.name}”：文件可能正在{reader}或其他程序中打开。", hint="请关闭后重试。") from None
    except OSError as err:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise DistrictError(f"无法写入“{out}”（{os_reason(err)}）。") from None
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
