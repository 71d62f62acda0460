"""The workbench page in a real headless Chromium, against `portfolio serve` started for real.

Move the budget slider and see the score and the changed-projects list follow and agree with
the API; switch to English; a project named <script>… shows as text; save the scenario and
run it through `portfolio run` to the same objective. Screenshots go to outputs/screenshots/
(and the test's tmp folder). Without Chromium the test skips, except under CI.
"""

from __future__ import annotations

import json
import shutil
import signal
import time
from pathlib import Path

import pandas as pd
import pytest
from test_browser import browser  # noqa: F401  (the headless Chromium fixture)
from test_server import _free_port, _post, _serve, _wait_for

pytest.importorskip("fastapi", reason="the workbench needs the [web] extra")
ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The example dataset, one project renamed <script>…, with the default scenario's settings."""
    folder = tmp_path_factory.mktemp("page") / "data"
    shutil.copytree(ROOT / "inputs" / "hangzhou_2027", folder)
    projects = pd.read_csv(folder / "projects.csv", encoding="utf-8-sig", dtype=str, keep_default_na=False)
    projects.loc[0, "name"] = "<script>alert(1)</script>"
    projects.to_csv(folder / "projects.csv", index=False, encoding="utf-8")
    scenario = folder.parent / "default.yaml"
    text = (ROOT / "models" / "hangzhou_default.yaml").read_text(encoding="utf-8")
    scenario.write_text(text.replace("data: ../inputs/hangzhou_2027", "data: data"), encoding="utf-8")
    port = _free_port()
    proc = _serve([str(scenario), "--port", str(port), "--time-limit", "120"])
    try:
        assert _wait_for(f"http://127.0.0.1:{port}/api/health", proc) == 200
        yield f"http://127.0.0.1:{port}", folder
    finally:
        proc.send_signal(signal.SIGINT)
        proc.communicate(timeout=30)


def _wait(driver, condition, seconds=90.0):
    end = time.time() + seconds
    while time.time() < end:
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError("the page did not get there in time")


def _shot(driver, tmp_path: Path, name: str) -> None:
    path = tmp_path / f"{name}.png"
    driver.save_screenshot(str(path))
    assert path.stat().st_size > 10_000
    keep = ROOT / "outputs" / "screenshots"
    keep.mkdir(parents=True, exist_ok=True)
    shutil.copy(path, keep / path.name)


def test_move_a_budget_and_see_the_answer(browser, server, tmp_path):  # noqa: F811
    url, folder = server
    d = browser
    d.get(url + "/?alternatives=1")  # one alternative after the best keeps the test short
    score = d.find_element("id", "score")
    base = float(_wait(d, lambda: score.text if score.text not in ("", "-") else None))
    assert "得分" in d.find_element("css selector", "[data-w='web.score']").text
    # the name from the data is text on the page, never markup
    cells = [td.text for td in d.find_elements("css selector", "#projects td")]
    assert "<script>alert(1)</script>" in cells
    _shot(d, tmp_path, "workbench-zh")

    d.execute_script(
        "const s = document.getElementById('scale-budget-ALL'); s.value = 1.2;"
        "s.dispatchEvent(new Event('input', {bubbles: true}));"
    )
    _wait(d, lambda: score.text not in ("", "-") and abs(float(score.text) - base) > 1e-6)
    _wait(d, lambda: "秒得出" in d.find_element("id", "busy").text)
    settings = d.execute_script("return settings();")
    assert settings["scale"] == {"budget": 1.2}
    api = _post(url + "/api/solve", settings)
    assert float(score.text) == pytest.approx(api["objective"], abs=1e-4)
    shown = {li.get_attribute("data-id") for li in d.find_elements("css selector", "#changes li[data-id]")}
    assert shown == {c["id"] for c in api["changes"]} and shown
    assert d.find_elements("css selector", "#gantt rect")
    errors = [e for e in d.get_log("browser") if e["level"] == "SEVERE"]
    assert errors == []

    d.find_element("id", "alternatives-run").click()
    _wait(d, lambda: len(d.find_elements("css selector", "#alternatives tbody tr")) >= 2, seconds=180)
    assert "open" in d.find_element("id", "settled").text or "未定" in d.find_element("id", "settled").text

    d.find_element("id", "lang").click()
    _wait(d, lambda: d.find_element("css selector", "[data-w='web.score']").text == "Score")
    assert d.find_element("id", "status").text == "optimal"
    assert d.execute_script("return settings();")["scale"] == {"budget": 1.2}  # kept across the switch
    _shot(d, tmp_path, "workbench-en")

    d.find_element("id", "save").click()
    pre = d.find_element("id", "scenario-yaml")
    text = _wait(d, lambda: d.execute_script("return arguments[0].textContent;", pre))
    saved = folder.parent / "saved.yaml"
    saved.write_text(text, encoding="utf-8")
    from optimizer.cli import main

    out = tmp_path / "run"
    assert main(["run", str(saved), "--out", str(out), "--quiet"]) == 0
    ran = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    # both within the scenario's mip_gap (1e-4) of the optimum
    assert ran["objective"] == pytest.approx(api["objective"], rel=2e-4)
