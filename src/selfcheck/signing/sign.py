"""PAdES B-B signing with pyHanko: attach the JSON data, add the visible signature field, sign in one increment.

The signature is a *certification* signature that permits no changes (DocMDP P=1): the school signs once, and
any later edit — even one countersigned — is reported by SelfCheck, pyHanko and Adobe Reader alike.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, BinaryIO

from selfcheck.errors import SigningError
from selfcheck.signing.keys import SigningKey

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


def pyhanko_signer(key: SigningKey) -> SimpleSigner:
    """Wrap an opened key as a pyHanko signer (certificate chain included)."""
    from asn1crypto import keys as asn1_keys
    from asn1crypto import x509 as asn1_x509
    from cryptography.hazmat.primitives import serialization
    from pyhanko.sign.signers import SimpleSigner
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    der = serialization.Encoding.DER
    cert = asn1_x509.Certificate.load(key.certificate.public_bytes(der))
    chain = [asn1_x509.Certificate.load(c.public_bytes(der)) for c in key.chain]
    private = asn1_keys.PrivateKeyInfo.load(key.private_key.private_bytes(  # type: ignore[union-attr]
        der, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    # The registry holds only the intermediates: pyHanko adds the signing certificate itself, and a second copy
    # would let a damaged first copy go unnoticed.
    return SimpleSigner(signing_cert=cert, signing_key=private,
                        cert_registry=SimpleCertificateStore.from_certs(chain))


def sign_pdf(
    pdf: bytes,
    output: BinaryIO,
    key: SigningKey,
    *,
    page: int,
    box: tuple[float, float, float, float],
    stamp_style: Any,
    attachment: Attachment | None = None,
    reason: str = "学校专项自查报告",
    location: str | None = None,
) -> None:
    """Append one incremental update to `pdf` holding the attachment and a PAdES B-B signature; write it to `output`.

    The signature field is visible on page `page` (0-based) at `box` (x1, y1, x2, y2 in points) and drawn with
    `stamp_style`. Raises SigningError if the PDF cannot be read or signing fails.
    """
    from pyhanko.pdf_utils import embed, generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.pdf_utils.misc import PdfError
    from pyhanko.sign import fields, signers
    from pyhanko.sign.fields import MDPPerm, SigFieldSpec

    try:
        writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    except (PdfError, ValueError) as err:
        raise SigningError(f"报告文件无法读取，未能签名：{err}") from None
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
    meta = signers.PdfSignatureMetadata(
        field_name=SIGNATURE_FIELD, subfilter=fields.SigSeedSubFilter.PADES, md_algorithm="sha256",
        reason=reason, location=location, name=key.info.school,
        certify=True, docmdp_permissions=MDPPerm.NO_CHANGES,
    )
    pdf_signer = signers.PdfSigner(meta, signer=pyhanko_signer(key), stamp_style=stamp_style)
    try:
        pdf_signer.sign_pdf(writer, output=output)
    except (PdfError, ValueError) as err:
        raise SigningError(f"签名失败：{err}") from None
