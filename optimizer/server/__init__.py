"""server/: the web workbench, a face over the engine (`portfolio serve`).

- app.py      the FastAPI app: the page, its static files and the JSON API;
- payload.py  what the JSON says;
- uploads.py  opening an uploaded workbook or zipped folder safely;
- static/     the page itself (HTML, script, style): no CDN, nothing fetched from outside.

Needs the optional extra `[web]` (FastAPI, uvicorn, python-multipart).
"""

from __future__ import annotations

import os
import secrets
import tempfile
from pathlib import Path

LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")
TOKEN_ENV = "PORTFOLIO_TOKEN"


def missing_extra() -> str | None:
    """Why the web face cannot start (the optional extra not installed), or None."""
    for module in ("fastapi", "uvicorn", "multipart"):
        try:
            __import__(module)
        except ImportError:
            return f"portfolio serve needs the optional extra: pip install -e '.[web]' (missing: {module})"
    return None


def serve(
    path: str,
    *,
    scenario: str | None = None,
    host: str = "127.0.0.1",
    port: int = 8765,
    lang: str = "zh",
    token: str | None = None,
    time_limit: float | None = 10.0,
    say=print,
) -> None:
    """Load the dataset, warm the engine (the baseline answer), then serve until Ctrl-C.

    Off 127.0.0.1 a token is required (`token`, else $PORTFOLIO_TOKEN, else a random one,
    printed in the address); on 127.0.0.1 only if one is given."""
    import uvicorn

    from ..data.dataset import load, resolve_scenario
    from .app import create_app

    ds = load(path)
    sc = resolve_scenario(ds, scenario)
    token = token or os.environ.get(TOKEN_ENV) or None
    if host not in LOCAL_HOSTS and token is None:
        token = secrets.token_urlsafe(16)
    uploads = Path(tempfile.mkdtemp(prefix="portfolio-serve-"))
    app = create_app(ds, sc, lang=lang, token=token, time_limit=time_limit, upload_root=uploads)
    shown = f"[{host}]" if ":" in host else host
    address = f"http://{shown}:{port}/" + (f"?token={token}" if token else "")
    say(f"portfolio workbench for {ds.name}: {address}")
    say(f"first answer in {app.state.first_answer:.2f} s; API docs at http://{shown}:{port}/docs; Ctrl-C stops it")
    if token:
        say(f"every request needs the token (in the address above, or 'Authorization: Bearer {token}')")
    config = uvicorn.Config(app, host=host, port=port, log_level="warning", timeout_graceful_shutdown=3)
    try:
        uvicorn.Server(config).run()
    finally:
        import shutil

        shutil.rmtree(uploads, ignore_errors=True)
