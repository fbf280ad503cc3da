"""The signature's digest of a report, started while the unsigned report is being written.

A signature covers the whole file but its own /Contents: pyHanko appends the increment (attachment, field,
signature dictionary) to the unsigned file and then hashes everything from byte 0 — 80 MB of photos for a large
report, ~50 ms on the thread that signs. `PrefixHash` wraps the file the report is written to and hashes each piece
on a worker thread as it is written (hashlib releases the GIL), beside the layout's own work. `prefix_signer_class`
gives a pyHanko PdfSigner whose signature dictionary continues from that hash: only the increment is read back and
hashed when signing.

The digest is the same SHA-256 over the same byte ranges; should anything not hold — the hash does not cover
exactly the unsigned file, another digest algorithm, not signing in place — pyHanko's own digest is used. A wrong
digest cannot pass for a right one: it makes the signature invalid, which every verifier reports (and the tests
verify every report they sign).
"""

from __future__ import annotations

import hashlib
import queue
import threading
from functools import cache, partial
from typing import Any, BinaryIO

_READ = 1 << 20


class PrefixHash:
    """A write-only file wrapper: what is written goes to `file` and is SHA-256-hashed on a worker thread."""

    def __init__(self, file: BinaryIO) -> None:
        self._file = file
        self._pieces: queue.SimpleQueue[bytes | None] = queue.SimpleQueue()
        self._hash = hashlib.sha256()
        self._length = 0
        self._broken = False
        self._closed = False
        self._thread = threading.Thread(target=self._run, name="report-prefix-digest", daemon=True)
        self._thread.start()

    @property
    def name(self) -> Any:
        return getattr(self._file, "name", None)

    def write(self, data: Any) -> int:
        piece = data if isinstance(data, bytes) else bytes(data)
        written = self._file.write(piece)
        if written is not None and written != len(piece):
            self._broken = True  # only part of it went to the file: the hash no longer describes it
        if not self._closed:
            self._pieces.put(piece)
            self._length += len(piece)
        return len(piece) if written is None else written

    def _run(self) -> None:
        update = self._hash.update
        while (piece := self._pieces.get()) is not None:
            update(piece)

    def result(self) -> tuple[int, Any] | None:
        """(bytes hashed, the hash) once every piece written is hashed; None if the hash cannot be trusted to be
        the file's. Nothing written afterwards is hashed."""
        self.close()
        return None if self._broken else (self._length, self._hash)

    def close(self) -> None:
        if not self._closed:
            self._closed = True
            self._pieces.put(None)
        self._thread.join()


@cache
def prefix_signer_class() -> type:
    """pyHanko's PdfSigner, signing with the digest continued from a PrefixHash (`prefix=`, `unsigned_size=`)."""
    from pyhanko.sign import signers
    from pyhanko.sign.signers.cms_embedder import SigObjSetup

    class PrefixDigestSigner(signers.PdfSigner):  # type: ignore[misc]
        def __init__(self, *args: Any, prefix: PrefixHash | None, unsigned_size: int, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._prefix = prefix
            self._unsigned_size = unsigned_size

        def init_signing_session(self, pdf_out: Any, existing_fields_only: bool = False) -> Any:
            session = super().init_signing_session(pdf_out, existing_fields_only=existing_fields_only)
            if self._prefix is not None:
                session.cms_writer = _SetupWatcher(session.cms_writer, self._prefix, self._unsigned_size,
                                                   SigObjSetup)
            return session

    return PrefixDigestSigner


class _SetupWatcher:
    """pyHanko's CMS-writer coroutine, passed through; the signature dictionary it is handed digests from the
    prefix hash (pyHanko calls its `fill` to write and digest the file)."""

    def __init__(self, inner: Any, prefix: PrefixHash, unsigned_size: int, setup_type: type) -> None:
        self._inner = inner
        self._prefix = prefix
        self._unsigned_size = unsigned_size
        self._setup_type = setup_type

    def __iter__(self) -> _SetupWatcher:
        return self

    def __next__(self) -> Any:
        return next(self._inner)

    def send(self, value: Any) -> Any:
        if isinstance(value, self._setup_type):
            placeholder = value.sig_placeholder
            placeholder.fill = partial(_fill, placeholder, self._prefix, self._unsigned_size)
        return self._inner.send(value)

    def throw(self, *args: Any) -> Any:
        return self._inner.throw(*args)

    def close(self) -> None:
        self._inner.close()


def _fill(placeholder: Any, prefix: PrefixHash, unsigned_size: int, writer: Any, md_algorithm: str,
          in_place: bool = False, output: Any = None, chunk_size: int = _READ) -> Any:
    """PdfByteRangeDigest.fill (pyHanko 0.38) for signing in place, the digest continued from `prefix`."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign.signers.pdf_byterange import PreparedByteRangeDigest

    hashed = prefix.result()
    stock = type(placeholder).fill
    if (hashed is None or hashed[0] != unsigned_size or not in_place or md_algorithm != "sha256"
            or not isinstance(writer, IncrementalPdfFileWriter)):
        return (yield from stock(placeholder, writer, md_algorithm, in_place=in_place, output=output,
                                 chunk_size=chunk_size))
    length, started = hashed
    writer.digest_aware_write = True
    output = writer.prev.stream
    writer.write_in_place()
    eof = output.tell()
    sig_start, sig_end = placeholder.contents.offsets
    placeholder.byte_range.fill_offsets(output, sig_start, sig_end, eof)
    if not length <= sig_start <= sig_end <= eof:
        raise ValueError("signature placeholder outside the increment")
    digest = started.copy()
    _hash_range(output, length, sig_start, digest)
    _hash_range(output, sig_end, eof, digest)
    prepared = PreparedByteRangeDigest(document_digest=digest.digest(), reserved_region_start=sig_start,
                                       reserved_region_end=sig_end)
    cms_data = yield prepared, output
    yield prepared.fill_with_cms(output, cms_data)


def _hash_range(stream: Any, start: int, end: int, digest: Any) -> None:
    stream.seek(start)
    left = end - start
    while left > 0:
        chunk = stream.read(min(left, _READ))
        if not chunk:
            raise ValueError("the signed file is shorter than its byte range")
        digest.update(chunk)
        left -= len(chunk)


__all__ = ["PrefixHash", "prefix_signer_class"]
