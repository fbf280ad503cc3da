"""How many bytes to reserve in the PDF for the signature container (CMS): computed, instead of dry-run signed.

Left to itself, pyHanko sizes the placeholder by building and DER-encoding a complete dummy signature (tens of
milliseconds of ASN.1 work on every export). The container it writes for our PAdES B-B signature (no timestamp,
no revocation data) is

    ContentInfo { signedData, SignedData {
        version, digestAlgorithms { sha256 }, encapContentInfo { data },
        certificates [0] { the signing certificate, every certificate of the signer's registry },
        signerInfos { SignerInfo {
            version, sid IssuerAndSerialNumber { issuer, serial },
            digestAlgorithm, signedAttrs [0] {
                contentType, messageDigest (32 bytes),
                signingCertificateV2 { ESSCertIDv2 { certHash (32 bytes),
                                                     IssuerSerial { GeneralNames { [4] issuer }, serial } } } },
            signatureAlgorithm, signature } } } }

Its size is the certificates, twice the issuer name and serial number, the signature value and a fixed part
(object identifiers, the two digests, ASN.1 headers: about 260 bytes). The bound below counts every variable part
at its largest and gives the fixed part FIXED_ALLOWANCE bytes: room for several more attributes than pyHanko
writes today. Key types it cannot bound give None, and pyHanko estimates as before.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

FIXED_ALLOWANCE = 1024
HEADER = 6  # the most an ASN.1 tag and length take for anything below 4 GB
ED25519_SIGNATURE = 64
ED448_SIGNATURE = 114


def reserved_size(signing_cert: Any, other_certs: Iterable[Any], private_key: Any) -> int | None:
    """Bytes to reserve for the hex-encoded CMS signature (pyHanko's `bytes_reserved`) of `private_key` with the
    asn1crypto certificates the signer embeds (`signing_cert` and `other_certs`), or None for a key type whose
    signature size is not known here."""
    signature = max_signature_size(private_key)
    if signature is None:
        return None
    certificates = sum(len(cert.dump()) for cert in (signing_cert, *other_certs))
    serial = abs(int(signing_cert.serial_number)).bit_length() // 8 + 1
    # Issuer and serial number appear twice: in the signer identifier and in the signing-certificate attribute
    # (there wrapped in GeneralNames and a [4] tag).
    issuer_serial = len(signing_cert.issuer.dump()) + serial + 4 * HEADER
    der = certificates + 2 * issuer_serial + signature + HEADER + FIXED_ALLOWANCE
    return 2 * der  # written as a hex string: two characters a byte (and so always even)


def max_signature_size(private_key: Any) -> int | None:
    """The longest signature value the key can produce, in bytes (DER-encoded for (EC)DSA), or None."""
    from cryptography.hazmat.primitives.asymmetric import dsa, ec, ed448, ed25519, rsa

    if isinstance(private_key, rsa.RSAPrivateKey):
        return (private_key.key_size + 7) // 8
    if isinstance(private_key, ec.EllipticCurvePrivateKey):
        # The group order may be one bit longer than the field (Hasse's bound).
        return _dss_signature_size(private_key.curve.key_size + 1)
    if isinstance(private_key, dsa.DSAPrivateKey):
        return _dss_signature_size(private_key.parameters().parameter_numbers().q.bit_length())
    if isinstance(private_key, ed25519.Ed25519PrivateKey):
        return ED25519_SIGNATURE
    if isinstance(private_key, ed448.Ed448PrivateKey):
        return ED448_SIGNATURE
    return None


def _dss_signature_size(order_bits: int) -> int:
    """SEQUENCE { INTEGER r, INTEGER s } with r, s below an order of `order_bits` bits (plus a sign byte each)."""
    integer = (order_bits + 7) // 8 + 1
    return HEADER + 2 * (HEADER + integer)
