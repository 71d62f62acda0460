"""The web workbench's HTTP face: a FastAPI app over one engine.Workbench per open dataset.

FastAPI because the scenario schema is already pydantic: request bodies are checked by the
same Scenario model as YAML files, and the API documents itself at /docs. Every route
answers JSON or a file; none opens a path taken from a request. Sync routes run in the
server's thread pool, which the Workbench is safe for (engine/workbench.py).

Routes: GET / (the page), GET /static/… (its script and style), GET /api/health,
GET /api/state, GET /api/labels, POST /api/solve, POST /api/scenario (a YAML file),
POST /api/report?format=html|xlsx, POST /api/dataset (upload a workbook or zipped folder).
"""

from __future__ import annotations

import hmac
import threading
import time
from pathlib import Path
from typing import Any

import yaml
from fastapi import Body, FastAPI, File, Request, UploadFile
from fastapi.responses import FileResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles

from ..data.dataset import Dataset
from ..engine.workbench import Workbench
from ..errors import InputError
from ..report.html import report_files
from ..report.labels import LABELS, lang_of
from .payload import answer, jsonable, problems_json, state
from .uploads import MAX_UPLOAD, UploadRejected, open_upload

STATIC = Path(__file__).resolve().parent / "static"
COOKIE = "portfolio_token"


class Served:
    """The open dataset and its Workbench; replaced whole when a new dataset is opened."""

    def __init__(self, workbench: Workbench, data_path: str | None):
        self.workbench, self.data_path = workbench, data_path
        self.lock = threading.Lock()

    def replace(self, workbench: Workbench, data_path: str | None) -> None:
        with self.lock:
            self.workbench, self.data_path = workbench, data_path


def create_app(
    dataset: Dataset,
    scenario: Any = None,
    *,
    lang: str = "zh",
    token: str | None = None,
    time_limit: float | None = 10.0,
    data_path: str | None = None,
    upload_root: Path | None = None,
) -> FastAPI:
    """The app for a dataset (and scenario); `token` None: no token asked (127.0.0.1 only)."""
    lang = lang_of(lang)
    started = time.perf_counter()
    served = Served(Workbench(dataset, scenario, time_limit=time_limit), data_path or dataset.source)
    first_answer = time.perf_counter() - started
    app = FastAPI(title="portfolio workbench", description="The project portfolio optimizer's web face.")
    app.state.served, app.state.first_answer = served, first_answer

    @app.middleware("http")
    async def require_token(request: Request, call_next):
        if token is not None:
            given = request.query_params.get("token") or request.cookies.get(COOKIE) or ""
            auth = request.headers.get("authorization", "")
            if auth.lower().startswith("bearer "):
                given = auth[7:]
            if not hmac.compare_digest(given.encode(), token.encode()):
                return JSONResponse({"detail": "a token is needed: open the address the server printed"}, 401)
        response = await call_next(request)
        if token is not None and request.query_params.get("token"):
            response.set_cookie(COOKIE, token, httponly=True, samesite="strict")
        response.headers["X-Content-Type-Options"] = "nosniff"
        return response

    @app.exception_handler(InputError)
    async def bad_input(request: Request, exc: InputError):
        return JSONResponse({"detail": problems_json(exc)}, 422)

    @app.exception_handler(Exception)
    async def internal(request: Request, exc: Exception):  # never a traceback to the client
        return JSONResponse({"detail": f"internal error: {type(exc).__name__}: {exc}"}, 500)

    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    @app.get("/", include_in_schema=False)
    def page() -> FileResponse:
        return FileResponse(STATIC / "index.html", media_type="text/html; charset=utf-8")

    @app.get("/api/health")
    def health() -> dict:
        return {"status": "ok"}

    @app.get("/api/labels")
    def labels(lang: str = lang) -> dict:
        """The page's words in zh or en (all from optimizer.report.labels)."""
        code = lang_of(lang) if lang in ("zh", "en") else "zh"
        words = {
            k: v[1] if code == "en" else v[0]
            for k, v in LABELS.items()
            if k.startswith(("web.", "status.", "resource."))
        }
        return {"lang": code, "words": words}

    @app.get("/api/state")
    def get_state() -> JSONResponse:
        wb = served.workbench
        return JSONResponse(jsonable(state(wb, lang, time_limit)))

    @app.post("/api/solve")
    def solve(settings: dict[str, Any] = Body(default_factory=dict)) -> JSONResponse:  # noqa: B008
        """Scenario keys (DATA.md, without `data`) on top of the served scenario; the answer holds
        the keys of summary.json plus `portfolio`, and what changed against the baseline."""
        wb = served.workbench
        t0 = time.perf_counter()
        res = wb.solve(settings)
        return JSONResponse(jsonable(answer(res, wb.baseline, time.perf_counter() - t0)))

    @app.post("/api/alternatives")
    def near_optimal(
        within: float = 0.01,
        count: int = 3,
        settings: dict[str, Any] = Body(default_factory=dict),  # noqa: B008
    ) -> JSONResponse:
        """Near-optimal alternatives of the current settings (optimizer.analysis.alternatives):
        summary rows and each candidate's class (always, never, open)."""
        from ..analysis.alternatives import NoBase, alternatives

        wb = served.workbench
        if not 0 <= within < 1 or not 0 <= count <= 10:
            return JSONResponse({"detail": [{"loc": ["query"], "msg": "within in [0, 1), count in 0..10"}]}, 422)
        try:
            tables = alternatives(wb.dataset, wb.settings(settings), within, count)
        except NoBase as exc:
            return JSONResponse({"status": str(exc.result.status), "detail": str(exc)}, 200)
        names = dict(zip(wb.dataset.projects["id"], wb.dataset.projects["name"]))
        settled = [{**r, "name": names.get(r["id"], "")} for r in tables["settled"].to_dict("records")]
        body = {"summary": tables["summary"], "settled": settled, "stopped": tables["summary"].attrs["stopped"]}
        return JSONResponse(jsonable(body))

    @app.post("/api/scenario")
    def scenario_file(settings: dict[str, Any] = Body(default_factory=dict)) -> Response:  # noqa: B008
        wb = served.workbench
        data = wb.scenario_data(settings, served.data_path)
        text = "# saved from the portfolio workbench; run it with: portfolio run THIS_FILE\n"
        text += yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
        return Response(text, media_type="application/x-yaml", headers=_attachment("scenario.yaml"))

    @app.post("/api/report")
    def report(format: str = "html", settings: dict[str, Any] = Body(default_factory=dict)) -> Response:  # noqa: B008
        if format not in ("html", "xlsx"):
            return JSONResponse({"detail": [{"loc": ["query", "format"], "msg": "format must be html or xlsx"}]}, 422)
        wb = served.workbench
        files = report_files(wb.solve(settings), lang)
        if format == "html":
            return Response(
                files["report.html"], media_type="text/html; charset=utf-8", headers=_attachment("report.html")
            )
        mime = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        return Response(files["results.xlsx"], media_type=mime, headers=_attachment("results.xlsx"))

    @app.post("/api/dataset")
    def upload(file: UploadFile = File(...)) -> JSONResponse:  # noqa: B008
        """A workbook (.xlsx) or a zipped CSV folder becomes the served dataset, if it is valid;
        otherwise the problems (file, row, column) and the served dataset stays."""
        try:
            ds, folder = open_upload(file, upload_root)
        except UploadRejected as exc:
            return JSONResponse({"detail": [{"loc": ["file"], "msg": str(exc)}]}, exc.status)
        served.replace(Workbench(ds, None, time_limit=time_limit), folder)
        return JSONResponse(jsonable(state(served.workbench, lang, time_limit)))

    app.state.max_upload = MAX_UPLOAD
    return app


def _attachment(name: str) -> dict[str, str]:
    return {"Content-Disposition": f'attachment; filename="{name}"'}
