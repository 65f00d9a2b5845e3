#!/bin/sh
# Make sure the browser tests have headless Chromium and its driver (tests/support/chromium.py finds them).
# Debian's `chromium` and `chromium-driver` packages are installed with apt when this runs as root
# and has none. Without them the browser tests skip with the reason, or fail under CI=true.
if [ -n "${CHROMIUM:-}" ] || { command -v chromium >/dev/null 2>&1 && command -v chromedriver >/dev/null 2>&1; }; then
  exit 0
fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Debian's chromium and chromium-driver packages: a headless browser for the browser tests"
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver) >/dev/null \
    || echo "apt-get could not install chromium: the browser tests will be skipped (or fail under CI=true)"
else
  echo "No Chromium here and no root to install one (apt-get install chromium chromium-driver, or set CHROMIUM"
  echo "and CHROMEDRIVER): the browser tests are skipped."
fi
