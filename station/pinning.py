"""The station knows its server by the SHA-256 of the server's TLS certificate, not by a CA.

A receiving server on a school's LAN has a self-signed certificate (or the school's own); the
station keeps the certificate's fingerprint printed by `photo-station-server add-station` and
refuses every other certificate during the TLS handshake, before a byte of HTTP (and so the
station's token) is sent.
"""

from __future__ import annotations

import hashlib
import re
import ssl

_HEX = re.compile(r"[0-9a-f]{64}")


def fingerprint_of(der: bytes) -> str:
    """SHA-256 of a DER certificate, as 64 lowercase hex digits."""
    return hashlib.sha256(der).hexdigest()


def normalized_fingerprint(text: str) -> str | None:
    """The fingerprint however it was copied (`sha256:`, colons, spaces, capitals), or None when it is not one."""
    cleaned = re.sub(r"[\s:]", "", text.strip().lower().removeprefix("sha256:").removeprefix("sha256="))
    return cleaned if _HEX.fullmatch(cleaned) else None


class _PinnedSocket(ssl.SSLSocket):
    def do_handshake(self, block: bool = False) -> None:
        super().do_handshake(block)
        _check(self.context, self.getpeercert(binary_form=True))


class _PinnedObject(ssl.SSLObject):
    def do_handshake(self) -> None:
        super().do_handshake()
        _check(self.context, self.getpeercert(binary_form=True))


def _check(context: ssl.SSLContext, der: bytes | None) -> None:
    expected = getattr(context, "pinned_sha256", None)
    if der is None or expected is None or fingerprint_of(der) != expected:
        raise ssl.SSLCertVerificationError("the server's certificate is not the pinned one")


def pinned_context(fingerprint: str) -> ssl.SSLContext:
    """A client context that accepts exactly the certificate with this fingerprint (no CA, no host name check:
    the pin is stronger than both on a LAN addressed by IP)."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE  # verified by the pin, right after the handshake
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.pinned_sha256 = fingerprint  # type: ignore[attr-defined]
    context.sslsocket_class = _PinnedSocket
    context.sslobject_class = _PinnedObject
    return context
