"""An outsider's toolkit: what someone without the school's key can build with pyHanko and cryptography alone.

Nothing here calls SelfCheck's signing code: keys, certificates, attachments and signatures are made the way an
attacker with the public libraries would make them (the page layout may come from anywhere, e.g. a genuine report).
"""

from __future__ import annotations

import asyncio
import io
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from pyhanko.pdf_utils import embed, generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import fields, signers
from pyhanko_certvalidator.registry import SimpleCertificateStore

from selfcheck.report.data import ATTACHMENT_NAME, ReportData, SignerInfo


@dataclass(frozen=True)
class Identity:
    """A private key with its certificate (and any issuer certificates to embed)."""

    key: rsa.RSAPrivateKey
    cert: x509.Certificate
    chain: tuple[x509.Certificate, ...] = ()

    @property
    def fingerprint(self) -> str:
        return ":".join(f"{b:02X}" for b in self.cert.fingerprint(hashes.SHA256()))

    def signer_info(self) -> SignerInfo:
        return SignerInfo(subject=self.cert.subject.rfc4514_string(), fingerprint_sha256=self.fingerprint,
                          not_valid_after=self.cert.not_valid_after_utc)


def open_p12(path: object, password: str) -> Identity:
    """A key file someone holds (e.g. their own school's), opened with cryptography."""
    from pathlib import Path

    key, cert, extra = pkcs12.load_key_and_certificates(Path(str(path)).read_bytes(), password.encode())
    assert isinstance(key, rsa.RSAPrivateKey) and cert is not None
    return Identity(key, cert, tuple(extra))


def _name(school: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, school),
                      x509.NameAttribute(NameOID.COMMON_NAME, school)])


def make_certificate(school: str, *, issuer: Identity | None = None, ca: bool = False) -> Identity:
    """A new key and a certificate naming `school`: self-signed, or issued by `issuer`'s key."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    now = datetime.now(UTC) - timedelta(hours=1)
    builder = (
        x509.CertificateBuilder()
        .subject_name(_name(school))
        .issuer_name(issuer.cert.subject if issuer else _name(school))
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(now + timedelta(days=365))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=0 if ca else None), critical=True)
        .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=True, key_encipherment=False,
                                     data_encipherment=False, key_agreement=False, key_cert_sign=ca, crl_sign=False,
                                     encipher_only=False, decipher_only=False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
    )
    signing_key = issuer.key if issuer else key
    if issuer:
        builder = builder.add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer.key.public_key()), critical=False)
    cert = builder.sign(signing_key, hashes.SHA256())
    chain = (issuer.cert, *issuer.chain) if issuer else ()
    return Identity(key, cert, chain)


def write_p12(identity: Identity, path: object, password: str) -> None:
    """As a school that made its key with an older SelfCheck (or by hand) would hold it."""
    from pathlib import Path

    Path(str(path)).write_bytes(pkcs12.serialize_key_and_certificates(
        b"key", identity.key, identity.cert, list(identity.chain) or None,
        serialization.BestAvailableEncryption(password.encode())))


def _pyhanko_signer(identity: Identity) -> signers.SimpleSigner:
    der = serialization.Encoding.DER
    return signers.SimpleSigner(
        signing_cert=asn1_x509.Certificate.load(identity.cert.public_bytes(der)),
        signing_key=asn1_keys.PrivateKeyInfo.load(identity.key.private_bytes(
            der, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())),
        cert_registry=SimpleCertificateStore.from_certs(
            [asn1_x509.Certificate.load(c.public_bytes(der)) for c in identity.chain]))


class _CountersigningPdfSigner(signers.PdfSigner):
    """pyHanko refuses to sign after a no-changes certification; an attacker simply skips that check."""

    def _enforce_certification_constraints(self, reader: object) -> None:
        return None


def attach(writer: IncrementalPdfFileWriter, payload: bytes, name: str = ATTACHMENT_NAME) -> None:
    data = embed.EmbeddedFileObject.from_file_data(writer, data=payload, mime_type="application/json")
    embed.embed_file(writer, embed.FileSpec(file_spec_string=name, file_name=name, embedded_data=data,
                                            description="数据", af_relationship=generic.pdf_name("/Data")))


def sign(pdf: bytes, identity: Identity, *, field: str = "SchoolSignature", attachments: tuple[bytes, ...] = (),
         certify: bool = False, signing_time: datetime | None = None) -> bytes:
    """Add `attachments` (as selfcheck-report.json) and a PAdES signature by `identity` in one incremental update."""
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    for payload in attachments:
        attach(writer, payload)
    meta = signers.PdfSignatureMetadata(field_name=field, subfilter=fields.SigSeedSubFilter.PADES,
                                        md_algorithm="sha256", certify=certify,
                                        docmdp_permissions=fields.MDPPerm.NO_CHANGES)
    pdf_signer = _CountersigningPdfSigner(meta, signer=_pyhanko_signer(identity))
    out = io.BytesIO()
    if signing_time is None:
        pdf_signer.sign_pdf(writer, output=out)
    else:
        asyncio.run(_sign_at(pdf_signer, writer, out, signing_time))
    return out.getvalue()


async def _sign_at(pdf_signer: signers.PdfSigner, writer: IncrementalPdfFileWriter, out: io.BytesIO,
                   moment: datetime) -> None:
    """pyHanko's own signing steps, with the signer's claimed time (/M) set to any date, written with a four-digit
    year as the PDF date format requires (pyHanko writes year 1 as "D:1…")."""
    from unittest import mock

    from pyhanko.sign.signers import pdf_byterange
    from pyhanko.sign.signers.pdf_cms import PdfCMSSignedAttributes

    def pdf_date(dt: datetime) -> generic.TextStringObject:
        return generic.TextStringObject(f"D:{dt.year:04d}{dt:%m%d%H%M%S}Z")

    with mock.patch.object(pdf_byterange, "pdf_date", pdf_date):
        await _sign_steps(pdf_signer, writer, out, moment, PdfCMSSignedAttributes)


async def _sign_steps(pdf_signer: signers.PdfSigner, writer: IncrementalPdfFileWriter, out: io.BytesIO,
                      moment: datetime, attributes: type) -> None:
    PdfCMSSignedAttributes = attributes  # noqa: N806
    session = pdf_signer.init_signing_session(writer)
    session.system_time = moment
    info = await session.perform_presign_validation(writer)
    reserved = await session.estimate_signature_container_size(info, tight=False)
    tbs = session.prepare_tbs_document(validation_info=info, bytes_reserved=reserved)
    digest, output = tbs.digest_tbs_document(output=out)
    post = await tbs.perform_signature(document_digest=digest.document_digest,
                                       pdf_cms_signed_attrs=PdfCMSSignedAttributes(signing_time=moment))
    await post.post_signature_processing(output)


def forged_report(pdf: bytes, data: ReportData, identity: Identity) -> bytes:
    """A report in someone's name: the unsigned pages, the data naming `identity`, signed by `identity`."""
    declared = data.model_copy(update={"signer": identity.signer_info()})
    return sign(pdf, identity, attachments=(declared.to_json().encode(),), certify=True)


# --- incremental updates an attacker appends to a genuine report -------------------------------------------------


def replace_json(signed: bytes, data: ReportData) -> bytes:
    """Point the existing selfcheck-report.json file specification at new data."""
    writer = IncrementalPdfFileWriter(io.BytesIO(signed), strict=False)
    names = writer.root["/Names"]["/EmbeddedFiles"]["/Names"]
    for i in range(0, len(names), 2):
        if str(names[i]) == ATTACHMENT_NAME:
            spec = names[i + 1]
            stream = embed.EmbeddedFileObject.from_file_data(writer, data=data.to_json().encode(),
                                                              mime_type="application/json")
            spec["/EF"] = generic.DictionaryObject({generic.pdf_name("/F"): writer.add_object(stream),
                                                    generic.pdf_name("/UF"): writer.add_object(stream)})
            writer.update_container(spec)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def add_page(signed: bytes) -> bytes:
    writer = IncrementalPdfFileWriter(io.BytesIO(signed), strict=False)
    content = generic.StreamObject(stream_data=b"BT /F1 24 Tf 72 720 Td (No problems found) Tj ET")
    font = generic.DictionaryObject({generic.pdf_name("/Type"): generic.pdf_name("/Font"),
                                     generic.pdf_name("/Subtype"): generic.pdf_name("/Type1"),
                                     generic.pdf_name("/BaseFont"): generic.pdf_name("/Helvetica")})
    page = generic.DictionaryObject({
        generic.pdf_name("/Type"): generic.pdf_name("/Page"),
        generic.pdf_name("/MediaBox"): generic.ArrayObject([generic.NumberObject(v) for v in (0, 0, 595, 842)]),
        generic.pdf_name("/Contents"): writer.add_object(content),
        generic.pdf_name("/Resources"): generic.DictionaryObject({generic.pdf_name("/Font"): generic.DictionaryObject(
            {generic.pdf_name("/F1"): writer.add_object(font)})}),
    })
    writer.insert_page(page)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def add_annotation(signed: bytes) -> bytes:
    """A free-text note over page 1 that reads like part of the report."""
    writer = IncrementalPdfFileWriter(io.BytesIO(signed), strict=False)
    page_ref = writer.find_page_for_modification(0)[0]
    annot = generic.DictionaryObject({
        generic.pdf_name("/Type"): generic.pdf_name("/Annot"),
        generic.pdf_name("/Subtype"): generic.pdf_name("/FreeText"),
        generic.pdf_name("/Rect"): generic.ArrayObject([generic.NumberObject(v) for v in (72, 600, 400, 640)]),
        generic.pdf_name("/Contents"): generic.pdf_string("整改已全部完成"),
        generic.pdf_name("/DA"): generic.pdf_string("/Helv 14 Tf 0 g"),
    })
    writer.register_annotation(page_ref, writer.add_object(annot))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def add_second_attachment(signed: bytes, data: ReportData) -> bytes:
    writer = IncrementalPdfFileWriter(io.BytesIO(signed), strict=False)
    attach(writer, data.to_json().encode())
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def remove_signature(signed: bytes) -> bytes:
    """Empty the signature field and drop the certification entry, in an incremental update."""
    writer = IncrementalPdfFileWriter(io.BytesIO(signed), strict=False)
    for field_ref in writer.root["/AcroForm"]["/Fields"]:
        field = field_ref.get_object()
        if "/V" in field:
            del field["/V"]
            writer.update_container(field)
    if "/Perms" in writer.root:
        del writer.root["/Perms"]
        writer.update_root()
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def first_revision(signed: bytes) -> bytes:
    """The file as it was before the signing update (cut at the first %%EOF)."""
    end = signed.index(b"%%EOF") + len(b"%%EOF")
    return signed[:end] + b"\n"
