"""The app under test: ``streamlit run app.py`` on a loopback port against a small store,
and Debian's Chromium driven by Playwright (no browser download).

Without /usr/bin/chromium the browser tests skip with the reason, except under CI
(CI=true), where a missing browser is a failure.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path(os.environ.get("CEASEFIRE_CHROMIUM", "/usr/bin/chromium"))
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DEMO_SIZE = 300


def _require_chromium() -> None:
    if CHROMIUM.exists():
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI=true but Chromium is missing at {CHROMIUM}: .ci/run installs it with apt")
    pytest.skip(
        f"browser tests need Debian's chromium at {CHROMIUM} "
        "(apt-get install chromium); skipped outside CI"
    )


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _add_roles(con) -> None:
    """Three clashes (party claims only, two between bound sides), two incidents naming
    only actors no alias matches (flagged for review) and a best estimate: what the
    Overview must show as the clash group, the awaiting-review sentence and the best
    estimate (issue 10). Invented names, in no real file."""
    from datetime import date

    from ceasefire.records import ClaimRecord, IncidentRecord, write_records

    def incident(key, day, claims):
        return IncidentRecord(
            origin_id=key,
            occurred_on=day,
            weapon="ground clash",
            governorate="Idleb",
            district="Ariha",
            latitude=35.81,
            longitude=36.61,
            location_precision="near",
            claims=claims,
        )

    def party(actor):
        return ClaimRecord(
            source_name="E2E monitor", alleged_actor=actor, role="party", killed_min=1
        )

    write_records(
        con,
        "manual",
        [
            incident(
                "e2e-clash-1",
                date(2020, 6, 1),
                [party("Syrian Arab Army"), party("Opposition rebels")],
            ),
            incident(
                "e2e-clash-2",
                date(2020, 6, 8),
                [party("Syrian Arab Army"), party("Turkish Military")],
            ),
            incident("e2e-clash-3", date(2020, 6, 9), [party("Syrian Arab Army"), party("HTS")]),
            incident(
                "e2e-review-1",
                date(2020, 6, 2),
                [
                    ClaimRecord(
                        source_name="E2E monitor", alleged_actor="Brigade of the Invented Hill"
                    )
                ],
            ),
            incident(
                "e2e-review-2",
                date(2020, 6, 3),
                [
                    ClaimRecord(
                        source_name="E2E monitor", alleged_actor="Brigade of the Invented Hill"
                    )
                ],
            ),
            incident(
                "e2e-best",
                date(2020, 6, 4),
                [
                    ClaimRecord(
                        source_name="E2E monitor",
                        alleged_actor="Russia",
                        killed_min=3,
                        killed_max=9,
                        killed_best=5,
                    )
                ],
            ),
        ],
    )


@pytest.fixture(scope="session")
def store_path(tmp_path_factory) -> Path:
    """A small store: reference data, the seed incident and a 300-incident demo set."""
    from ceasefire import demo, seed, store
    from ceasefire.store import bootstrap

    path = tmp_path_factory.mktemp("e2e") / "e2e.duckdb"
    con = store.connect(path)
    bootstrap.load_reference(con)
    seed.load_seed(con)
    demo.load_demo(con, size=DEMO_SIZE)
    _add_roles(con)
    con.execute("INSERT OR REPLACE INTO schema_meta VALUES ('first_run_done', 'true')")
    con.close()
    return path


@pytest.fixture(scope="session")
def expected(store_path) -> dict:
    """Numbers for the views the tests open, by plain SQL over the store's facts
    (tests/oracle.py), not by ``ceasefire.queries`` (the code under test); taken before
    the app holds the store's lock (DuckDB lets one process open a file for writing)."""
    import oracle

    from ceasefire import queries, store
    from ceasefire.analysis import compare
    from ceasefire.filters import Filter

    con = store.connect(store_path)
    try:
        russia = oracle.view(con, actors=("Russia",))
        turkey = oracle.view(con, attribution="majority", sides=("Turkey",))
        assert len(russia) and len(turkey)
        return {
            "all": oracle.headline(oracle.view(con)),
            "russia": oracle.headline(russia),
            # an actor filter shows only that actor's rows in the timeline
            "russia_actors": ["Russia"],
            "majority": oracle.headline(turkey),
            "majority_actors": sorted(set(turkey.majority_actor)),
            # rates per 30 days by the Compare module (helper 12's; not yet independent)
            "compare": compare.compare(
                con, Filter(actors=("Russia",)), compare.reference(con, "sochi-2018"), (120,)
            ).frame,
            # the headline as the code computes it, for the sentences it prints (the roles
            # test pins its counts to the literals _add_roles was written to give)
            "headline_by_code": queries.headline(con, Filter()),
            # the matrix's rows by the code (checks the clash group is drawn, not its count)
            "matrix_actors": sorted(set(queries.actor_target(con, Filter()).actor)),
            "data_version": store.data_version(con),
            # every claim (a linked record's too), counted by hand, not by the code
            "claims": con.execute("SELECT count(*) FROM claim").fetchone()[0],
            "duwaila": con.execute(
                "SELECT incident_id FROM incident WHERE origin_id = 'duwaila-2020-10-26'"
            ).fetchone()[0],
        }
    finally:
        con.close()


@contextmanager
def serve_app(store: Path, log_name: str, env: dict | None = None, drop: tuple[str, ...] = ()):
    """``streamlit run app.py`` on a free loopback port against ``store``; yields its URL
    once the health check answers, and stops the server afterwards. ``env`` adds to the
    environment, ``drop`` removes variables from it (e.g. the local editor)."""
    port = _free_port()
    ARTIFACTS.mkdir(exist_ok=True)
    log = ARTIFACTS / log_name
    full_env = {**os.environ, "CEASEFIRE_DB": str(store), **(env or {})}
    for name in drop:
        full_env.pop(name, None)
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true",
             "--server.port", str(port), "--server.address", "127.0.0.1",
             "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"],
            cwd=ROOT, env=full_env, stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"streamlit did not start; see {log}:\n{log.read_text()[-3000:]}")
            time.sleep(0.3)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.fixture(scope="session")
def app_url(store_path, expected) -> str:
    _require_chromium()
    with serve_app(store_path, "streamlit.log", {"BROWSER_PATH": str(CHROMIUM)}) as url:
        yield url


@pytest.fixture(scope="session")
def pw():
    """The one Playwright driver of the test session. Playwright's sync API cannot be
    started while another instance runs in the same thread ("Sync API inside the asyncio
    loop"), so every browser test launches its browsers from this fixture."""
    _require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="session")
def browser(pw, app_url):
    b = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
    yield b
    b.close()


@pytest.fixture
def context(browser):
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    ctx.set_default_timeout(30_000)
    yield ctx
    ctx.close()
