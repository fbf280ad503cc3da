"""PAdES B-B signing with pyHanko: attach the JSON data, add the visible signature field, sign in one increment.

The signature is a *certification* signature that permits no changes (DocMDP P=1): the school signs once, and
any later edit — even one countersigned — is reported by SelfCheck, pyHanko and Adobe Reader alike.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, BinaryIO

from selfcheck.errors import SigningError
from selfcheck.signing.keys import SigningKey
from selfcheck.signing.prefix_digest import PrefixHash, prefix_signer_class

log = logging.getLogger(__name__)

if TYPE_CHECKING:
    from pyhanko.sign.signers import SimpleSigner

SIGNATURE_FIELD = "SchoolSignature"
JSON_MIME = "application/json"


@dataclass(frozen=True)
class Attachment:
    name: str
    data: bytes
    description: str
    mime_type: str = JSON_MIME
    created: datetime | None = None


def pyhanko_signer(key: SigningKey, *, before_signing: Callable[[], None] | None = None) -> SimpleSigner:
    """Wrap an opened key as a pyHanko signer (certificate chain included). `before_signing()` is called right
    before the signature value is computed (not for pyHanko's size estimate); raising there stops the signing."""
    from asn1crypto import keys as asn1_keys
    from asn1crypto import x509 as asn1_x509
    from cryptography.hazmat.primitives import serialization
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    der = serialization.Encoding.DER
    cert = asn1_x509.Certificate.load(key.certificate.public_bytes(der))
    chain = [asn1_x509.Certificate.load(c.public_bytes(der)) for c in key.chain]
    private = asn1_keys.PrivateKeyInfo.load(key.private_key.private_bytes(  # type: ignore[union-attr]
        der, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    # The registry holds only the intermediates: pyHanko adds the signing certificate itself, and a second copy
    # would let a damaged first copy go unnoticed.
    return _opened_key_signer_class()(signing_cert=cert, signing_key=private,
                                      cert_registry=SimpleCertificateStore.from_certs(chain), opened=key.private_key,
                                      before_signing=before_signing)


def _opened_key_signer_class() -> type:
    from cryptography.hazmat.primitives.asymmetric.ec import ECDSA, EllipticCurvePrivateKey
    from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
    from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey
    from pyhanko.sign.signers import SimpleSigner
    from pyhanko_certvalidator.util import get_pyca_cryptography_hash

    class OpenedKeySigner(SimpleSigner):
        """Signs with the key object load_key opened and checked once. pyHanko's SimpleSigner parses the key
        from DER again for every raw signature, and cryptography re-validates an RSA key on each parse (≈0.3 s
        for RSA-3072, twice per export). Other mechanisms fall back to pyHanko's own code."""

        def __init__(self, *, opened: Any, before_signing: Callable[[], None] | None = None, **kwargs: Any) -> None:
            super().__init__(**kwargs)
            self._opened = opened
            self._before_signing = before_signing

        async def async_sign_raw(self, data: bytes, digest_algorithm: str, dry_run: bool = False) -> bytes:
            if not dry_run and self._before_signing is not None:
                self._before_signing()
            return self.sign_raw(data, digest_algorithm)

        def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
            spec = self.get_signature_mechanism_for_digest(digest_algorithm)
            try:
                mechanism = spec.signature_algo  # "sha256_rsa" → "rsassa_pkcs1v15", as pyHanko reads it
            except ValueError:
                mechanism = spec["algorithm"].native
            hash_algo = get_pyca_cryptography_hash(digest_algorithm)
            if mechanism == "rsassa_pkcs1v15" and isinstance(self._opened, RSAPrivateKey):
                return self._opened.sign(data, PKCS1v15(), hash_algo)
            if mechanism == "ecdsa" and isinstance(self._opened, EllipticCurvePrivateKey):
                return self._opened.sign(data, ECDSA(hash_algo))
            return super().sign_raw(data, digest_algorithm)

    return OpenedKeySigner


# pyHanko copies and digests the file in chunks of this size (its default, 4 KiB, means ~40,000 Python-level reads
# and writes for a report with 80 MB of photos).
CHUNK_SIZE = 1 << 20


def sign_pdf_in_place(
    stream: BinaryIO,
    key: SigningKey,
    *,
    page: int,
    box: tuple[float, float, float, float],
    stamp_style: Any,
    attachment: Attachment | None = None,
    reason: str = "学校专项自查报告",
    location: str | None = None,
    before_signing: Callable[[], None] | None = None,
    prefix: PrefixHash | None = None,
) -> None:
    """Append to the PDF in `stream` (readable, writable, seekable) one incremental update holding the attachment
    and a PAdES B-B certification signature (no changes allowed after it).

    The signature field is visible on page `page` (0-based) at `box` (x1, y1, x2, y2 in points) and drawn with
    `stamp_style`. Nothing of the original is copied: the signed file is the unsigned one plus one increment, then
    digested in large chunks. `before_signing()` is called once the file is digested, right before the signature
    value is computed; what it raises stops the signing and propagates. `prefix`: the hash of the unsigned file
    taken while it was written (see prefix_digest), which the digest then continues from. Raises SigningError if
    the PDF cannot be read or signing fails.
    """
    from pyhanko.pdf_utils.misc import PdfError
    from pyhanko.sign.general import SigningError as PyHankoSigningError

    signer = pyhanko_signer(key, before_signing=before_signing)
    reserved = signature_bytes_reserved(signer, key)
    unsigned_size = stream.seek(0, os.SEEK_END)

    def append(bytes_reserved: int | None) -> None:
        _append_signed(stream, signer, key, page=page, box=box, stamp_style=stamp_style, attachment=attachment,
                       reason=reason, location=location, bytes_reserved=bytes_reserved, prefix=prefix,
                       unsigned_size=unsigned_size)

    try:
        try:
            append(reserved)
        except PyHankoSigningError:
            if reserved is None:
                raise
            # Not expected for any key (see cms_size); should a future pyHanko write a larger container, sign again
            # from the unsigned file with pyHanko's own estimate rather than fail.
            log.warning("the signature did not fit in %d reserved bytes; signing again", reserved, exc_info=True)
            stream.seek(unsigned_size)
            stream.truncate()
            append(None)
    except (PdfError, ValueError):
        log.info("signing failed", exc_info=True)
        raise SigningError("签名失败：签名程序无法处理这份 PDF（详细信息已写入日志）。") from None


def signature_bytes_reserved(signer: SimpleSigner, key: SigningKey) -> int | None:
    """The placeholder size to hand pyHanko for this signer's signature container (None: let pyHanko estimate)."""
    from selfcheck.signing.cms_size import reserved_size

    assert signer.signing_cert is not None
    return reserved_size(signer.signing_cert, [*signer.cert_registry, *signer.attribute_certs], key.private_key)


def signature_metadata(key: SigningKey, *, reason: str, location: str | None) -> Any:
    """pyHanko's settings for the school's signature: PAdES, SHA-256, certifying with no changes allowed."""
    from pyhanko.sign import fields, signers
    from pyhanko.sign.fields import MDPPerm

    return signers.PdfSignatureMetadata(
        field_name=SIGNATURE_FIELD, subfilter=fields.SigSeedSubFilter.PADES, md_algorithm="sha256",
        reason=reason, location=location, name=key.info.school,
        certify=True, docmdp_permissions=MDPPerm.NO_CHANGES,
    )


def _append_signed(stream: BinaryIO, signer: SimpleSigner, key: SigningKey, *, page: int,
                   box: tuple[float, float, float, float], stamp_style: Any, attachment: Attachment | None,
                   reason: str, location: str | None, bytes_reserved: int | None, prefix: PrefixHash | None,
                   unsigned_size: int) -> None:
    from pyhanko.pdf_utils import embed, generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.pdf_utils.misc import PdfError
    from pyhanko.sign import fields
    from pyhanko.sign.fields import SigFieldSpec

    try:
        writer = IncrementalPdfFileWriter(stream)
    except (PdfError, ValueError):
        log.info("the PDF to sign cannot be read", exc_info=True)
        raise SigningError("报告文件无法读取（PDF 结构有误），未能签名。") from None
    if attachment is not None:
        params = embed.EmbeddedFileParams(creation_date=attachment.created, modification_date=attachment.created)
        data = embed.EmbeddedFileObject.from_file_data(writer, data=attachment.data, params=params,
                                                        mime_type=attachment.mime_type)
        embed.embed_file(writer, embed.FileSpec(
            file_spec_string=attachment.name, file_name=attachment.name, embedded_data=data,
            description=attachment.description, af_relationship=generic.pdf_name("/Data")))
    x1, y1, x2, y2 = box
    fields.append_signature_field(writer, SigFieldSpec(
        sig_field_name=SIGNATURE_FIELD, on_page=page, box=(round(x1), round(y1), round(x2), round(y2))))
    pdf_signer = prefix_signer_class()(signature_metadata(key, reason=reason, location=location), signer=signer,
                                       stamp_style=stamp_style, prefix=prefix, unsigned_size=unsigned_size)
    pdf_signer.sign_pdf(writer, in_place=True, chunk_size=CHUNK_SIZE, bytes_reserved=bytes_reserved)
