"""Why a file operation failed, in Chinese: the operating system's own text (English, or the Windows locale's)
never reaches a message. Used wherever an OSError becomes a user-facing error."""

from __future__ import annotations

import errno

# Windows error codes that matter to users (ERROR_SHARING_VIOLATION, ERROR_LOCK_VIOLATION: a file open in another
# program, e.g. a PDF in a reader; ERROR_NOT_READY / ERROR_DEV_NOT_EXIST / ERROR_DEVICE_REMOVED: a USB stick pulled
# out; ERROR_WRITE_PROTECT: a write-protected stick; ERROR_DISK_FULL / ERROR_HANDLE_DISK_FULL).
_WINERROR = {
    32: "文件正被其他程序打开（例如 PDF 阅读器或 Excel），请关闭后重试",
    33: "文件正被其他程序打开（例如 PDF 阅读器或 Excel），请关闭后重试",
    21: "设备未就绪，U盘或移动硬盘可能已被拔出",
    55: "设备已不存在，U盘或移动硬盘可能已被拔出",
    1617: "设备已被移除，U盘或移动硬盘可能已被拔出",
    19: "磁盘有写保护（例如U盘的写保护开关），无法写入",
    39: "磁盘空间不足",
    112: "磁盘空间不足",
}

_ERRNO = {
    errno.ENOENT: "文件或文件夹不存在",
    errno.EACCES: "没有权限（文件可能是只读的，或正被其他程序占用）",
    errno.EPERM: "没有权限（文件可能是只读的，或正被其他程序占用）",
    errno.EROFS: "所在位置是只读的（只读磁盘、写保护的U盘或只读的网络共享）",
    errno.ENOSPC: "磁盘空间不足",
    errno.EIO: "读写出错，U盘或移动硬盘可能已被拔出，或磁盘有坏道",
    errno.ENODEV: "设备已不存在，U盘或移动硬盘可能已被拔出",
    errno.ENXIO: "设备已不存在，U盘或移动硬盘可能已被拔出",
    errno.EBUSY: "文件正被其他程序占用，请关闭后重试",
    errno.EEXIST: "文件已存在",
    errno.EISDIR: "这是一个文件夹，不是文件",
    errno.ENOTDIR: "路径中的某一级不是文件夹",
    errno.ENAMETOOLONG: "路径或文件名太长",
    errno.EMFILE: "同时打开的文件太多，请关闭其他程序后重试",
    errno.EFBIG: "文件太大",
    errno.EXDEV: "不能在不同的磁盘之间直接移动文件",
}
_ERRNO.setdefault(getattr(errno, "EDQUOT", -1), "磁盘配额已用完")
_ERRNO.setdefault(getattr(errno, "ESTALE", -2), "网络共享上的文件已失效，请重新连接网络位置")
_ERRNO.setdefault(getattr(errno, "ETIMEDOUT", -3), "访问超时（网络位置可能已断开）")


def os_reason(err: OSError) -> str:
    """A short Chinese phrase for why `err` happened (no trailing full stop)."""
    winerror = getattr(err, "winerror", None)
    if winerror in _WINERROR:
        return _WINERROR[winerror]
    if err.errno in _ERRNO:
        return _ERRNO[err.errno]
    if isinstance(err, PermissionError):
        return _ERRNO[errno.EACCES]
    if isinstance(err, FileNotFoundError):
        return _ERRNO[errno.ENOENT]
    code = winerror if winerror is not None else err.errno
    return f"系统错误（代码 {code}）" if code is not None else "系统错误"


__all__ = ["os_reason"]
