"""Without a browser the browser tests skip and say why; under CI a skip is a failure."""

from __future__ import annotations

import pytest

from tests.support.chromium import BrowserBinaries, find_binaries, skip_or_fail


def test_a_machine_without_chromium_gets_a_reason(monkeypatch):
    monkeypatch.setenv("PATH", "/nonexistent")
    monkeypatch.delenv("CHROMIUM", raising=False)
    monkeypatch.delenv("CHROMEDRIVER", raising=False)

    reason = find_binaries()

    assert isinstance(reason, str)
    assert "Chromium (`chromium`)" in reason and "chromedriver" in reason
    assert "apt-get install chromium chromium-driver" in reason


def test_the_browser_tests_skip_outside_ci(monkeypatch):
    monkeypatch.delenv("CI", raising=False)

    with pytest.raises(pytest.skip.Exception, match="no browser here"):
        skip_or_fail("no browser here")


def test_under_ci_a_missing_browser_fails(monkeypatch):
    monkeypatch.setenv("CI", "true")

    with pytest.raises(pytest.fail.Exception, match="CI=true, so the browser tests may not be skipped: no browser"):
        skip_or_fail("no browser here")


def test_an_explicit_chromium_is_used(monkeypatch, tmp_path):
    for name in ("chromium", "chromedriver"):
        (tmp_path / name).write_text("#!/bin/sh\n")
        (tmp_path / name).chmod(0o755)
    monkeypatch.setenv("CHROMIUM", str(tmp_path / "chromium"))
    monkeypatch.setenv("CHROMEDRIVER", str(tmp_path / "chromedriver"))

    assert find_binaries() == BrowserBinaries(str(tmp_path / "chromium"), str(tmp_path / "chromedriver"))


def test_a_chromium_named_but_missing_is_reported(monkeypatch):
    monkeypatch.setenv("CHROMIUM", "/nowhere/chromium")

    assert "Chromium (/nowhere/chromium)" in find_binaries()
