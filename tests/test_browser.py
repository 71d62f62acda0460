"""report.html in a real browser: headless Chromium (Debian's chromium + chromium-driver) via selenium.

The page must load without console errors, show every figure at a real size, keep Chinese
as text and produce a screenshot. Without Chromium the test skips, except under CI
(the CI variable set), where .ci/run installs it and a missing browser is a failure.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from test_report import small_dataset

import optimizer
from helpers import EXACT
from optimizer.report.html import write_report

CHROMIUM = ("/usr/bin/chromium", "/usr/bin/chromium-browser")
CHROMEDRIVER = "/usr/bin/chromedriver"


def _unavailable(reason: str):
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI is set: .ci/run installs chromium and chromium-driver with apt)")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def browser():
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        _unavailable("selenium is not installed (pip install -e '.[test]')")
    binary = next((b for b in CHROMIUM if Path(b).exists()), shutil.which("chromium"))
    driver_path = CHROMEDRIVER if Path(CHROMEDRIVER).exists() else shutil.which("chromedriver")
    if not binary or not driver_path:
        _unavailable("no chromium or chromedriver (apt-get install -y chromium chromium-driver)")
    options = webdriver.ChromeOptions()
    options.binary_location = binary
    for arg in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--no-first-run",
        "--disable-dev-shm-usage",
        "--window-size=1280,900",
    ):
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(driver_path), options=options)
    driver.set_page_load_timeout(60)
    yield driver
    driver.quit()


@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    res = optimizer.solve(small_dataset(), {**EXACT, "name": "基准"})
    assert res.ok
    root = tmp_path_factory.mktemp("reports")
    return {lang: write_report(res, root / lang, lang=lang)[0] for lang in ("zh", "en")}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_report_renders_in_chromium(browser, reports, lang, tmp_path):
    page = reports[lang]
    browser.get_log("browser")  # drop anything from an earlier page
    browser.get(page.resolve().as_uri())
    assert browser.execute_script("return document.readyState") == "complete"
    errors = [e for e in browser.get_log("browser") if e.get("level") == "SEVERE"]
    assert not errors, errors
    boxes = browser.execute_script(
        "return Array.from(document.querySelectorAll('figure.fig')).map(f => {"
        "  const r = f.getBoundingClientRect(), s = f.querySelector('svg').getBoundingClientRect();"
        "  return [f.id, r.width, r.height, s.width, s.height]; })"
    )
    assert [b[0] for b in boxes] == ["fig-attainment", "fig-schedule", "fig-spending", "fig-land", "fig-energy"]
    for fid, w, h, sw, sh in boxes:
        assert w > 100 and h > 100 and sw > 100 and sh > 50, (fid, w, h, sw, sh)
    text = browser.execute_script("return document.body.innerText")
    assert "杭州" in text and "湖州" in text  # names are text, in either language
    assert ("分城市情况" if lang == "zh" else "City by city") in text
    # the figures' words are text too, findable in the page
    svg_text = browser.execute_script(
        "return Array.from(document.querySelectorAll('figure.fig svg text')).map(t => t.textContent).join(' ')"
    )
    assert "杭州" in svg_text
    shot = tmp_path / f"report_{lang}.png"
    assert browser.save_screenshot(str(shot))
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 10_000
