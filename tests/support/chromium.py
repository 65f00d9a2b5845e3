"""Headless Chromium (Debian's `chromium` and `chromium-driver`) driven through selenium.

One browser serves a whole test session; `Chromium.reset()` gives each test a clean
state (no cookies, JavaScript on, a desktop viewport, empty logs). Every page records what
a user would never see but a developer must: console errors and Content-Security-Policy
violations (`problems()`), from the browser log and from a `securitypolicyviolation`
listener installed before any page script runs.

Chromium must not try to reach Google from a closed network, so background networking,
component updates, sync and QUIC are off; selenium is given the driver's path so that its
selenium-manager never downloads anything.
"""

from __future__ import annotations

import base64
import contextlib
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

CHROMIUM_NAMES = ("chromium", "chromium-browser")
DRIVER_NAME = "chromedriver"
DESKTOP = (880, 720)
PHONE = (390, 844)

CHROMIUM_FLAGS = (
    "--headless",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--disable-default-apps",
    "--disable-features=Translate,OptimizationHints,MediaRouter",
    "--metrics-recording-only",
    "--password-store=basic",
    "--hide-scrollbars",
    "--force-color-profile=srgb",
    "--lang=en-US",
)

# Installed before any script of a page runs; DevTools-injected, so the page's CSP does not apply to it.
VIOLATION_LISTENER = """
document.addEventListener("securitypolicyviolation", function (event) {
  var seen = JSON.parse(sessionStorage.getItem("__csp_violations") || "[]");
  seen.push(event.violatedDirective + " blocked " + (event.blockedURI || "inline") + " on " + event.documentURI);
  sessionStorage.setItem("__csp_violations", JSON.stringify(seen));
});
"""


@dataclass(frozen=True)
class BrowserBinaries:
    chromium: str
    driver: str


def find_binaries() -> BrowserBinaries | str:
    """The Chromium and chromedriver to use, or why there are none (a reason to skip)."""
    chromium = _executable("CHROMIUM", *CHROMIUM_NAMES)
    driver = _executable("CHROMEDRIVER", DRIVER_NAME)
    missing = []
    if not chromium:
        missing.append(f"Chromium ({os.environ.get('CHROMIUM') or '`chromium`'})")
    if not driver:
        missing.append(f"its driver ({os.environ.get('CHROMEDRIVER') or '`chromedriver`'})")
    try:
        import selenium  # noqa: F401
    except ImportError:
        missing.append("selenium (pip install -r requirements-test.txt)")
    if missing:
        return (
            "no browser for the browser tests: "
            + " and ".join(missing)
            + " not found; on Debian/Ubuntu: apt-get install chromium chromium-driver"
        )
    return BrowserBinaries(chromium, driver)


def _executable(variable: str, *names: str) -> str | None:
    """$variable if it names an executable, else the first of `names` on PATH."""
    chosen = os.environ.get(variable)
    if chosen:
        return chosen if os.access(chosen, os.X_OK) and Path(chosen).is_file() else None
    return next(filter(None, map(shutil.which, names)), None)


def skip_or_fail(reason: str) -> None:
    """Skip with the reason; under CI (CI=true) a missing browser is a failure, not a skip."""
    import pytest

    if os.environ.get("CI", "").strip().lower() == "true":
        pytest.fail(f"CI=true, so the browser tests may not be skipped: {reason}", pytrace=False)
    pytest.skip(reason)


class Chromium:
    def __init__(self, binaries: BrowserBinaries, workdir: Path):
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service

        self.workdir = workdir
        self.downloads = workdir / "downloads"
        self.downloads.mkdir(parents=True, exist_ok=True)
        options = webdriver.ChromeOptions()
        options.binary_location = binaries.chromium
        for flag in CHROMIUM_FLAGS:
            options.add_argument(flag)
        options.add_argument(f"--user-data-dir={workdir / 'profile'}")
        options.add_argument(f"--window-size={DESKTOP[0]},{DESKTOP[1]}")
        if os.geteuid() == 0:
            options.add_argument("--no-sandbox")  # Chromium's sandbox refuses to run as root
        options.add_experimental_option(
            "prefs",
            {"download.default_directory": str(self.downloads), "download.prompt_for_download": False},
        )
        options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        service = Service(executable_path=binaries.driver, log_output=str(workdir / "chromedriver.log"))
        self.driver = webdriver.Chrome(options=options, service=service)
        self.driver.set_page_load_timeout(30)
        self.cdp("Page.addScriptToEvaluateOnNewDocument", source=VIOLATION_LISTENER)
        self.cdp("Browser.setDownloadBehavior", behavior="allow", downloadPath=str(self.downloads), eventsEnabled=False)
        self.version = self.driver.capabilities.get("browserVersion", "?")

    def cdp(self, command: str, **params):
        return self.driver.execute_cdp_cmd(command, params)

    def quit(self) -> None:
        with contextlib.suppress(Exception):
            self.driver.quit()

    # State between tests -------------------------------------------------------------

    def reset(self) -> None:
        self.driver.get("about:blank")
        self.cdp("Network.clearBrowserCookies")
        self.cdp("Emulation.setScriptExecutionDisabled", value=False)
        self.viewport(*DESKTOP)
        self.problems()  # drop what earlier tests left in the logs
        for item in self.downloads.iterdir():
            item.unlink()

    def viewport(self, width: int, height: int, mobile: bool = False) -> None:
        self.cdp("Emulation.setDeviceMetricsOverride", width=width, height=height, deviceScaleFactor=1, mobile=mobile)

    @contextlib.contextmanager
    def javascript_off(self) -> Iterator[None]:
        self.cdp("Emulation.setScriptExecutionDisabled", value=True)
        try:
            yield
        finally:
            self.cdp("Emulation.setScriptExecutionDisabled", value=False)

    # Looking at pages ----------------------------------------------------------------

    def open(self, url: str) -> None:
        self.driver.get(url)

    def js(self, script: str, *args):
        return self.driver.execute_script(script, *args)

    def find(self, css: str):
        from selenium.webdriver.common.by import By

        return self.driver.find_element(By.CSS_SELECTOR, css)

    def find_all(self, css: str) -> list:
        from selenium.webdriver.common.by import By

        return self.driver.find_elements(By.CSS_SELECTOR, css)

    def text(self, css: str) -> str:
        return self.find(css).text

    def wait_for(self, condition: Callable[[], object], timeout: float = 15, message: str = "") -> object:
        deadline = time.monotonic() + timeout
        last_error = None
        while time.monotonic() < deadline:
            try:
                result = condition()
                if result:
                    return result
            except Exception as error:  # the page may be between two states
                last_error = error
            time.sleep(0.05)
        raise AssertionError(f"timed out after {timeout} s waiting for {message or condition}: {last_error or ''}")

    def problems(self) -> list[str]:
        """Console errors and CSP violations since the last call (each drains what it reports)."""
        found = [
            f"console {entry['level']}: {entry['message']}"
            for entry in self.driver.get_log("browser")
            if entry["level"] == "SEVERE"
        ]
        with contextlib.suppress(Exception):
            violations = self.js(
                "var v = sessionStorage.getItem('__csp_violations');"
                "sessionStorage.removeItem('__csp_violations'); return v ? JSON.parse(v) : [];"
            )
            found += [f"CSP violation: {violation}" for violation in violations or []]
        return found

    def screenshot(self, path: Path) -> Path:
        """The whole page (not only the viewport) as a PNG."""
        width, height = self.js(
            "return [document.documentElement.clientWidth, Math.ceil(document.documentElement.scrollHeight)]"
        )
        shot = self.cdp(
            "Page.captureScreenshot",
            format="png",
            captureBeyondViewport=True,
            clip={"x": 0, "y": 0, "width": width, "height": height, "scale": 1},
        )
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(base64.b64decode(shot["data"]))
        return path

    def downloaded(self, name: str, timeout: float = 15) -> bytes:
        target = self.downloads / name
        self.wait_for(
            lambda: target.exists() and not list(self.downloads.glob("*.crdownload")),
            timeout,
            f"the download of {name} (in {self.downloads}: {[p.name for p in self.downloads.iterdir()]})",
        )
        return target.read_bytes()


@contextlib.contextmanager
def chromium(binaries: BrowserBinaries) -> Iterator[Chromium]:
    with tempfile.TemporaryDirectory(prefix="chromium-") as workdir:
        browser = Chromium(binaries, Path(workdir))
        try:
            yield browser
        finally:
            browser.quit()
