"""Saving a reportlab document by writing each object to the file as soon as it is formatted.

Stock reportlab (Canvas.save → PDFDocument.SaveToFile → GetPDFData → format) collects every formatted object in a
PDFFile, joins them into one bytes object and only then writes it: for a report with 200 photos, its 80 MB of JPEG
data are copied twice (each image joined with its dictionary, then the whole file) and held in memory at once.

Inside `streamed(canvas)`, the canvas's stock save runs unchanged except for PDFDocument.format, which is replaced
for that document by `_format_streamed`: the same objects, object numbers, offsets, cross-reference table and trailer
in the same order, but each object is handed to the file as it is formatted (offsets come from the running byte
count) and an image's JPEG data is written from its own bytes between its dictionary and `endstream`. GetPDFData
then returns b"" and SaveToFile writes that. The output is byte for byte what reportlab writes
(tests/report/test_pdfstream.py).

Anything unusual keeps the stock save: a file name rather than a file object, a PDFDocument subclass, encryption,
reportlab's own digital signatures, or pdfComments (the object comments stock writes outside invariant mode).
"""

from __future__ import annotations

import contextlib
import copy
import zlib
from collections.abc import Callable, Iterator
from typing import Any

from reportlab import rl_config
from reportlab.pdfbase import pdfdoc

# The zlib level for the streams reportlab deflates (text pages, font programs, ToUnicode maps); reportlab's is
# zlib's default, 6. Level 1 deflates the report's ~50 text pages and font subsets ~4× faster for ~15 % more bytes
# on them (~50 KB on a report). None keeps reportlab's level (and its bytes: tests/report/test_pdfstream.py).
DEFLATE_LEVEL: int | None = 1
_DIRECT = 64 * 1024  # pieces this big go to the file on their own (image data), smaller ones are batched
_BATCH = 256 * 1024
_MARK = b"\x00selfcheck-stream-content\x00"  # stands for an image's data while its object is formatted


@contextlib.contextmanager
def streamed(canvas: Any) -> Iterator[bool]:
    """Within the block, saving `canvas` to its file object streams (yields whether it will)."""
    doc, out = canvas._doc, canvas._filename
    if not _streamable(doc, out):
        yield False
        return
    doc.format = lambda: _format_streamed(doc, out.write)
    try:
        yield True
    finally:
        del doc.format


def _streamable(doc: Any, out: Any) -> bool:
    return (
        callable(getattr(out, "write", None))  # SaveToFile's own test for a file object
        and type(doc) is pdfdoc.PDFDocument
        and "format" not in vars(doc)
        and type(doc.encrypt) is pdfdoc.NoEncryption
        and not getattr(doc, "_digiSigs", None)
        and bool(rl_config.invariant or not rl_config.pdfComments)
    )


class _Output:
    """PDFFile's add and offset, writing to the file instead of collecting: small pieces in batches."""

    def __init__(self, write: Callable[[bytes], Any]) -> None:
        self._write = write
        self._pending: list[bytes] = []
        self._pending_size = 0
        self.offset = 0

    def add(self, data: bytes | str) -> int:
        data = pdfdoc.pdfdocEnc(data)
        start = self.offset
        self.offset += len(data)
        if len(data) >= _DIRECT:
            self.flush()
            self._write_all(data)
        else:
            self._pending.append(data)
            self._pending_size += len(data)
            if self._pending_size >= _BATCH:
                self.flush()
        return start

    def flush(self) -> None:
        if self._pending:
            data = b"".join(self._pending)
            self._pending.clear()
            self._pending_size = 0
            self._write_all(data)

    def _write_all(self, data: bytes) -> None:
        written = self._write(data)
        if written is None or written >= len(data):  # buffered files write everything (or raise)
            return
        view = memoryview(data)
        while written is not None and written < len(view):  # a raw file may write part of it
            if written == 0:
                raise OSError("the file accepted no bytes")
            view = view[written:]
            written = self._write(view)


class _Hole(pdfdoc.PDFObject):
    """An image's stream content while its object is formatted: the same length, formatted as _MARK."""

    def __init__(self, length: int) -> None:
        self.length = length

    def __len__(self) -> int:
        return self.length

    def format(self, document: Any) -> bytes:
        return _MARK


class _Deflate(pdfdoc.PDFStreamFilterZCompress):
    """reportlab's FlateDecode filter at another zlib level."""

    def __init__(self, level: int) -> None:
        self.level = level

    def encode(self, text: Any) -> bytes:
        return zlib.compress(text.encode("utf8") if isinstance(text, str) else text, self.level)


def _deflate_at(level: int, doc: Any, obj: Any) -> None:
    """Have `obj` (a page's content stream, a font program …) deflated at `level` when it is formatted."""
    if type(obj) is pdfdoc.PDFPage:
        obj.check_format(doc)  # makes the page's content stream (its format does it too; it makes it only once)
        obj = obj.Contents
    filters = obj.filters if isinstance(obj, pdfdoc.PDFStream) else None
    if filters and pdfdoc.PDFZCompress in filters:
        obj.filters = [_Deflate(level) if f is pdfdoc.PDFZCompress else f for f in filters]


def _add_object(doc: Any, oid: str, obj: Any, out: _Output) -> None:
    """Format indirect object `oid` and write it; an image's data is written from its own bytes."""
    if DEFLATE_LEVEL is not None:
        _deflate_at(DEFLATE_LEVEL, doc, obj)
    data = getattr(obj, "streamContent", None) if type(obj) is pdfdoc.PDFImageXObject else None
    if isinstance(data, bytes) and len(data) >= _DIRECT:
        holed = copy.copy(obj)
        holed.streamContent = _Hole(len(data))
        head, mark, tail = pdfdoc.PDFIndirectObject(oid, holed).format(doc).partition(_MARK)
        if mark and _MARK not in tail:
            out.add(head)
            out.add(data)
            out.add(tail)
            return
    out.add(pdfdoc.PDFIndirectObject(oid, obj).format(doc))


def _format_streamed(doc: Any, write: Callable[[bytes], Any]) -> bytes:
    """PDFDocument.format (as of reportlab 5.1) writing through to `write`; returns b"" for SaveToFile to write."""
    doc.encrypt.prepare(doc)
    cat, info = doc.Catalog, doc.info
    doc.Reference(cat)
    doc.Reference(info)
    encryptinfo = doc.encrypt.info()
    encryptref = doc.Reference(encryptinfo) if encryptinfo else None
    number_to_id, id_to_object, id_to_offset = doc.numberToId, doc.idToObject, doc.idToOffset
    out = _Output(write)
    out.add(pdfdoc.PDFFile(doc._pdfVersion).format(doc))  # the header
    ids = []
    counter = 0
    doc.__accum__ = out
    while True:  # objects may register new objects while they are formatted
        counter += 1
        if counter not in number_to_id:
            break
        oid = number_to_id[counter]
        id_to_offset[oid] = out.offset
        _add_object(doc, oid, id_to_object[oid], out)
        ids.append(oid)
    del doc.__accum__
    count = len(number_to_id)
    if counter - 1 != count:
        raise ValueError(f"counter {counter} doesn't match number to id dictionary {count}")
    xref = pdfdoc.PDFCrossReferenceTable()
    xref.addsection(0, ids)
    xref_offset = out.add(xref.format(doc))
    trailer = pdfdoc.PDFTrailer(startxref=xref_offset, Size=count + 1, Root=doc.Reference(cat),
                                Info=doc.Reference(info), Encrypt=encryptref, ID=doc.ID())
    out.add(trailer.format(doc))
    out.flush()
    return b""
