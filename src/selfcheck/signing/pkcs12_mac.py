"""A PKCS#12 integrity MAC as slow to guess as the key's encryption.

cryptography (up to at least 50) writes the MAC with a fixed 2,048 iterations, whatever `kdf_rounds` the
encryption uses; as the MAC is checked with the same password, it would let a thief test password guesses about
100 times faster than the 200,000-round encryption allows. `strengthen_mac` recomputes the MAC of a finished file
with the PKCS#12 key derivation (RFC 7292, appendix B.2) at the given iteration count; OpenSSL, Windows and
cryptography read the count from the file, so nothing else changes.
"""

from __future__ import annotations

import hashlib
import hmac
import os

_HASHES = {"sha256": (hashlib.sha256, 32, 64), "sha512": (hashlib.sha512, 64, 128)}
MAC_KEY_ID = 3


def pkcs12_kdf(password: str, salt: bytes, iterations: int, *, hash_name: str = "sha256", key_id: int = MAC_KEY_ID,
               length: int | None = None) -> bytes:
    """RFC 7292 B.2 key derivation; the password as a BMPString (UTF-16BE) with its two zero bytes."""
    new, u, v = _HASHES[hash_name]
    length = length or u
    pwd = password.encode("utf-16-be") + b"\x00\x00" if password else b""
    d = bytes([key_id]) * v

    def fill(data: bytes) -> bytes:
        if not data:
            return b""
        size = v * ((len(data) + v - 1) // v)
        return (data * (size // len(data) + 1))[:size]

    i = bytearray(fill(salt) + fill(pwd))
    out = b""
    while len(out) < length:
        a = new(d + bytes(i)).digest()
        for _ in range(iterations - 1):
            a = new(a).digest()
        out += a
        if len(out) >= length:
            break
        b = int.from_bytes(fill(a)[:v], "big") + 1
        for j in range(0, len(i), v):
            block = (int.from_bytes(i[j:j + v], "big") + b) % (1 << (8 * v))
            i[j:j + v] = block.to_bytes(v, "big")
    return out[:length]


def mac_parameters(p12: bytes) -> tuple[str, int]:
    """(digest name, iteration count) of a PKCS#12 file's MAC."""
    from asn1crypto import pkcs12

    mac_data = pkcs12.Pfx.load(p12)["mac_data"]
    return mac_data["mac"]["digest_algorithm"]["algorithm"].native, mac_data["iterations"].native


def compute_mac(p12: bytes, password: str, *, salt: bytes, iterations: int, hash_name: str = "sha256") -> bytes:
    """The MAC of the file's authenticated content for the given parameters."""
    from asn1crypto import pkcs12

    content = pkcs12.Pfx.load(p12)["auth_safe"]["content"].contents  # the OCTET STRING's value
    new = _HASHES[hash_name][0]
    key = pkcs12_kdf(password, salt, iterations, hash_name=hash_name)
    return hmac.new(key, content, new).digest()


def strengthen_mac(p12: bytes, password: str, iterations: int) -> bytes:
    """The same PKCS#12 file with its MAC recomputed (SHA-256, a new random salt) at `iterations`."""
    from asn1crypto import algos, core, pkcs12

    pfx = pkcs12.Pfx.load(p12)
    salt = os.urandom(16)
    digest = compute_mac(p12, password, salt=salt, iterations=iterations)
    pfx["mac_data"] = pkcs12.MacData({
        "mac": algos.DigestInfo({"digest_algorithm": algos.DigestAlgorithm({"algorithm": "sha256"}),
                                 "digest": digest}),
        "mac_salt": core.OctetString(salt),
        "iterations": iterations,
    })
    return pfx.dump(force=True)
