"""One store, two app processes and the command line at once: while the app is open in a
browser, ``summary``, ``chart``, ``export data`` and ``import`` run on the same store
from the CLI, and the imported incidents appear in both apps after a rerun."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from .conftest import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, ROOT, _require_chromium, serve_app
from .test_browser import metrics, open_overview

pytestmark = pytest.mark.browser

FIXTURE = ROOT / "tests" / "fixtures" / "acled_quirks.csv"


def app_on(store: Path, log_name: str):
    return serve_app(store, log_name)


def cli(store: Path, *args: str) -> subprocess.CompletedProcess:
    done = subprocess.run(
        [sys.executable, "-m", "ceasefire", "--db", str(store), *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert done.returncode == 0, f"{args}: {done.stderr[-2000:]}"
    return done


def test_app_and_command_line_share_one_store(tmp_path, pw):
    _require_chromium()
    store = tmp_path / "shared.duckdb"
    cli(store, "init", "--no-demo")
    # Expected counts computed from the files, not from the app's queries: the store
    # holds the seed incident; the import adds one incident per distinct ACLED event id.
    new = pd.read_csv(FIXTURE).event_id_cnty.nunique()
    with (
        app_on(store, "streamlit-shared-1.log") as url1,
        app_on(store, "streamlit-shared-2.log") as url2,
    ):
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
            page1 = open_overview(ctx, f"{url1}/")
            page2 = open_overview(ctx, f"{url2}/")
            assert metrics(page1)[0] == metrics(page2)[0] == "1"

            # The read commands run while both apps hold the store open.
            summary = cli(store, "summary")
            assert '"incidents": 1,' in summary.stdout
            svg = tmp_path / "timeline.svg"
            cli(store, "chart", "timeline", "--by", "month", "-o", str(svg))
            assert svg.read_text().startswith("<svg")
            rows = tmp_path / "rows.csv"
            cli(store, "export", "data", "--format", "csv", "-o", str(rows))
            assert len(pd.read_csv(rows)) == 1
            assert (tmp_path / "rows.datapackage.json").exists()

            # A write from the command line while the apps are open...
            done = cli(store, "import", "acled", str(FIXTURE), "--no-link", "--editor", "tests")
            assert "store is open in another process" not in done.stderr
            # ...shows in both apps on their next run, without a restart.
            for page in (page1, page2):
                page.reload()
                page.wait_for_function(
                    "(document.querySelector('[data-testid=\"stMetricValue\"]') || {})"
                    f".innerText === '{1 + new}'",
                    timeout=60_000,
                )
            page1.screenshot(path=str(ARTIFACTS / "shared-store-after-import.png"))
            assert '"incidents": 4,' in cli(store, "summary").stdout
        finally:
            browser.close()
