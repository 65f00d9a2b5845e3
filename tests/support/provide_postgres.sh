#!/bin/sh
# Make sure the tests have a TLS-capable PostgreSQL server (tests/support/postgres.py finds it).
# Debian's `postgresql` package is installed with apt when this runs as root and has none.
# Without one, the tests run on the embedded server from requirements-test.txt (no TLS), and the
# tests of the TLS path skip with the reason, or fail under CI=true.
if [ -n "${POSTGRES_BINDIR:-}" ] || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v initdb >/dev/null 2>&1; then
  exit 0
fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Debian's postgresql package: a TLS-capable server for the tests"
  # policy-rc.d (container images) or not, nothing here needs the packaged service running.
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql) >/dev/null \
    || echo "apt-get could not install postgresql: the tests of the TLS path will be skipped (or fail under CI=true)"
else
  echo "No TLS-capable PostgreSQL here and no root to install one (apt-get install postgresql, or set POSTGRES_BINDIR):"
  echo "the tests run on the embedded server without TLS, and the tests of the TLS path are skipped."
fi
