"""The web workbench's API: answers checked against optimizer.solve, bad bodies, infeasible
scenarios, tokens, uploads, the scenario file round trip, concurrency on a real server, and
`portfolio serve` started and stopped for real on 127.0.0.1."""

from __future__ import annotations

import io
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import zipfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

pytest.importorskip("fastapi", reason="the workbench needs the [web] extra (pip install -e '.[test]')")
pytest.importorskip("httpx", reason="FastAPI's test client needs httpx (pip install -e '.[test]')")
from fastapi.testclient import TestClient

import optimizer
from optimizer.data.synthetic import synthetic_tables
from optimizer.server.app import create_app

EXACT = {"solver": {"mip_gap": 0, "threads": 1, "time_limit": None, "tie_break": False}}


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    meta, tables = synthetic_tables(30, seed=2, coupled=True)
    meta["name"] = "测试 <b>数据</b>"
    tables["projects"].loc[0, "name"] = "<script>alert(1)</script>"
    return optimizer.write_dataset(meta, tables, tmp_path_factory.mktemp("served") / "data")


@pytest.fixture(scope="module")
def ds(folder):
    return optimizer.load(folder)


@pytest.fixture(scope="module")
def client(ds, folder):
    app = create_app(ds, EXACT, time_limit=None, data_path=str(folder))
    with TestClient(app) as c:
        yield c


def fresh(ds, body: dict) -> optimizer.Result:
    return optimizer.solve(ds, {**EXACT, **body})


def test_health_and_state(client, ds):
    assert client.get("/api/health").json() == {"status": "ok"}
    s = client.get("/api/state").json()
    assert s["dataset"]["cities"] == list(ds.cities) and len(s["projects"]) == len(ds.projects)
    assert s["projects"][0]["name"] == "<script>alert(1)</script>"  # data as it is: the page escapes it
    assert s["baseline"]["objective"] == pytest.approx(fresh(ds, {}).objective, abs=1e-9)


@pytest.mark.parametrize(
    "body",
    [
        {"scale": {"budget": 0.8}},
        {"scale": {"budget": 1.2, "land": {"杭州": 0.7}}},
        {"city_weights": {"湖州": 2.5}},
        {"partial_credit": 0.5},
        {"balance": {"min_city_attainment": 0.3}},
        {"scale": {"budget": 0.9}, "force_out": ["P0003"], "force_in": ["P0005"]},
    ],
    ids=["budget", "land-one-city", "weights", "partial-credit", "floor", "forced"],
)
def test_solve_equals_a_fresh_run_of_the_same_scenario(client, ds, body):
    r = client.post("/api/solve", json=body)
    assert r.status_code == 200, r.text
    got = r.json()
    want = fresh(ds, body)
    assert got["status"] == str(want.status)
    assert got["objective"] == pytest.approx(want.objective, abs=1e-6)
    assert got["attainment_index"] == pytest.approx(want.attainment_index, abs=1e-6)
    for key in ("mip_gap", "selected_count", "total_cost", "scenario", "binding", "cities", "tie_break"):
        assert key in got
    assert {p["id"] for p in got["portfolio"]} == set(ds.projects["id"])
    chosen = {p["id"]: p["start"] for p in got["portfolio"] if p["selected"]}
    assert len(chosen) == got["selected_count"]
    assert got["scenario"]["scale"] == body.get("scale", {})


def test_bad_bodies_are_422_naming_the_key(client):
    r = client.post("/api/solve", json={"scale": {"budget": "lots"}})
    assert r.status_code == 422 and r.json()["detail"][0]["loc"] == ["body", "scale.budget"]
    r = client.post("/api/solve", json={"partial_credit": 2})
    assert r.status_code == 422 and "partial_credit" in r.json()["detail"][0]["loc"]
    r = client.post("/api/solve", json={"data": "/etc"})
    assert r.status_code == 422 and r.json()["detail"][0]["loc"] == ["body", "data"]
    r = client.post("/api/solve", json={"force_in": ["NOPE"]})
    assert r.status_code == 422 and "NOPE" in r.text
    r = client.post("/api/solve", json=[1, 2])
    assert r.status_code == 422
    r = client.post("/api/solve", content=b"{not json", headers={"content-type": "application/json"})
    assert r.status_code == 422


def test_an_infeasible_scenario_is_200_with_the_relaxation(client):
    r = client.post("/api/solve", json={"scale": {"budget": 0.01}, "balance": {"min_city_attainment": 0.9}})
    assert r.status_code == 200
    j = r.json()
    assert j["status"] == "infeasible" and j["infeasibility"] and j["infeasibility"][0]["message"]


def test_scenario_file_round_trips_through_portfolio_run(client, tmp_path):
    from optimizer.cli import main

    body = {"scale": {"budget": 0.85}, "city_weights": {"杭州": 1.5}}
    text = client.post("/api/scenario", json=body).text
    path = tmp_path / "saved.yaml"
    path.write_text(text, encoding="utf-8")
    out = tmp_path / "run"
    assert main(["run", str(path), "--out", str(out), "--quiet"]) == 0
    ran = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert ran["objective"] == pytest.approx(client.post("/api/solve", json=body).json()["objective"], abs=1e-6)


def test_reports_download(client):
    html = client.post("/api/report?format=html", json={"scale": {"budget": 0.9}})
    assert html.status_code == 200 and "<html" in html.text.lower()
    xlsx = client.post("/api/report?format=xlsx", json={})
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    assert client.post("/api/report?format=pdf", json={}).status_code == 422


def test_a_token_guards_every_request(ds):
    with TestClient(create_app(ds, EXACT, time_limit=None, token="s3cret")) as c:
        assert c.get("/api/health").status_code == 401
        assert c.get("/", params={"token": "wrong"}).status_code == 401
        assert c.get("/api/health", headers={"Authorization": "Bearer s3cret"}).json() == {"status": "ok"}
        page = c.get("/", params={"token": "s3cret"})
        assert page.status_code == 200 and "portfolio_token" in page.headers.get("set-cookie", "")
        assert c.get("/api/health").status_code == 200  # the cookie the page got


def _zip(folder: Path, extra: dict[str, bytes] | None = None) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for f in sorted(folder.iterdir()):
            z.write(f, f"mydata/{f.name}")
        for name, data in (extra or {}).items():
            z.writestr(name, data)
    return buf.getvalue()


def test_uploads_open_a_dataset_or_say_what_is_wrong(ds, folder, tmp_path, monkeypatch):
    with TestClient(create_app(ds, EXACT, time_limit=None, upload_root=tmp_path)) as c:
        bad = folder.parent / "bad"
        bad.mkdir(exist_ok=True)
        for f in folder.iterdir():
            (bad / f.name).write_bytes(f.read_bytes())
        p = (bad / "projects.csv").read_text(encoding="utf-8").splitlines()
        head = p[0].split(",")
        row = p[3].split(",")
        row[head.index("cost")] = "lots"
        p[3] = ",".join(row)
        (bad / "projects.csv").write_text("\n".join(p) + "\n", encoding="utf-8")
        r = c.post("/api/dataset", files={"file": ("list.zip", _zip(bad), "application/zip")})
        assert r.status_code == 422
        d = r.json()["detail"][0]
        assert d["file"] == "list.zip/projects.csv" and d["row"] == 4 and d["column"] == "cost"
        assert str(tmp_path) not in r.text
        assert c.get("/api/state").json()["dataset"]["name"] == ds.name  # the served dataset stays
        r = c.post("/api/dataset", files={"file": ("evil.zip", _zip(folder, {"../x.csv": b"a"}), "application/zip")})
        assert r.status_code == 400 and "outside" in r.text
        r = c.post("/api/dataset", files={"file": ("notes.txt", b"hello", "text/plain")})
        assert r.status_code == 415
        monkeypatch.setattr("optimizer.server.uploads.MAX_UPLOAD", 1000)
        r = c.post("/api/dataset", files={"file": ("big.zip", b"x" * 5000, "application/zip")})
        assert r.status_code == 413
        monkeypatch.undo()
        other = optimizer.write_dataset(*synthetic_tables(12, seed=7), tmp_path / "other")
        r = c.post("/api/dataset", files={"file": ("other.zip", _zip(other), "application/zip")})
        assert r.status_code == 200, r.text
        assert r.json()["dataset"]["name"] == optimizer.load(other).name
        assert c.post("/api/solve", json={}).json()["objective"] == pytest.approx(
            fresh(optimizer.load(other), {}).objective, abs=1e-6
        )


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _post(url: str, body: dict) -> dict:
    req = urllib.request.Request(url, json.dumps(body).encode(), {"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=120) as r:
        return json.loads(r.read())


def test_eight_concurrent_requests_on_a_real_server_agree_with_serial_runs(ds):
    import uvicorn

    port = _free_port()
    server = uvicorn.Server(
        uvicorn.Config(create_app(ds, EXACT, time_limit=None), host="127.0.0.1", port=port, log_level="error")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        for _ in range(200):
            if server.started:
                break
            time.sleep(0.05)
        bodies = [{"scale": {"budget": 0.6 + 0.1 * k}} for k in range(8)]
        with ThreadPoolExecutor(8) as pool:
            got = list(pool.map(lambda b: _post(f"http://127.0.0.1:{port}/api/solve", b), bodies))
        for b, g in zip(bodies, got):
            assert g["objective"] == pytest.approx(fresh(ds, b).objective, abs=1e-6)
    finally:
        server.should_exit = True
        thread.join(10)


def _serve(args: list[str], env=None) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", "from optimizer.cli import console; console()", "serve", *args],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env={**os.environ, **(env or {})},
    )  # fmt: skip


def _wait_for(url: str, proc: subprocess.Popen, headers=None) -> int:
    for _ in range(600):
        if proc.poll() is not None:
            raise AssertionError(proc.stderr.read())
        try:
            with urllib.request.urlopen(urllib.request.Request(url, headers=headers or {}), timeout=2) as r:
                return r.status
        except urllib.error.HTTPError as e:
            return e.code
        except OSError:
            time.sleep(0.1)
    raise AssertionError("the server did not start")


def test_portfolio_serve_starts_prints_its_address_and_stops_on_ctrl_c(folder):
    port = _free_port()
    proc = _serve([str(folder), "--port", str(port), "--lang", "en"])
    try:
        assert _wait_for(f"http://127.0.0.1:{port}/api/health", proc) == 200
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=30)
    finally:
        proc.kill()
    assert proc.returncode == 0, err
    assert f"http://127.0.0.1:{port}/" in out and "workbench stopped" in out
    assert "Traceback" not in err


def test_off_localhost_a_token_is_required_and_said(folder):
    port = _free_port()
    proc = _serve([str(folder), "--port", str(port), "--host", "0.0.0.0"], env={"PORTFOLIO_TOKEN": "tok-123"})
    try:
        assert _wait_for(f"http://127.0.0.1:{port}/api/health", proc) == 401
        ok = _wait_for(f"http://127.0.0.1:{port}/api/health", proc, {"Authorization": "Bearer tok-123"})
        assert ok == 200
    finally:
        proc.send_signal(signal.SIGINT)
        out, _ = proc.communicate(timeout=30)
    assert "token" in out and "tok-123" in out


def test_a_port_in_use_is_a_clear_message(folder):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        proc = _serve([str(folder), "--port", str(s.getsockname()[1])])
        _, err = proc.communicate(timeout=60)
    assert proc.returncode == 2 and "cannot listen" in err and "Traceback" not in err


def test_alternatives_of_the_current_settings(client, ds):
    from optimizer.analysis.alternatives import alternatives

    r = client.post("/api/alternatives?within=0.05&count=2", json={"scale": {"budget": 1.2}})
    assert r.status_code == 200, r.text
    j = r.json()
    want = alternatives(ds, {**EXACT, "scale": {"budget": 1.2}}, 0.05, 2)["summary"]
    assert [a["objective"] for a in j["summary"]] == pytest.approx(list(want["objective"]), abs=1e-6)
    assert {s["class"] for s in j["settled"]} <= {"always", "never", "open"}
    assert client.post("/api/alternatives?within=2", json={}).status_code == 422


def test_a_payers_quota_is_a_lever_of_the_page(tmp_path):
    """A dataset with special-bond quotas: the state marks the payer as limited (the page gives it
    sliders), and moving it answers as a fresh run of the same scenario does."""
    meta, tables = synthetic_tables(60, seed=2, coupled=True, funding=True)
    folder = optimizer.write_dataset(meta, tables, tmp_path / "data")
    ds = optimizer.load(folder)
    with TestClient(create_app(ds, EXACT, time_limit=None, data_path=str(folder))) as c:
        res = {r["name"]: r for r in c.get("/api/state").json()["dataset"]["resources"]}
        assert res["special_bond"]["source"] and res["special_bond"]["limited"]
        assert res["private"]["source"] and not res["private"]["limited"]
        assert "resource.special_bond" in c.get("/api/labels?lang=zh").json()["words"]
        body = {"scale": {"special_bond": 0.3}}
        got = c.post("/api/solve", json=body).json()
    want = fresh(ds, body)
    assert got["objective"] == pytest.approx(want.objective, abs=1e-9)
    assert got["objective"] < fresh(ds, {}).objective - 1e-6  # the quota bites
