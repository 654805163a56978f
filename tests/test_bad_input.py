"""Bad input: each file below gets a clear message (never a traceback) and leaves the store
unchanged, or is imported as it should be. Expectations come from the files as written
here (pandas, literals), not from the importers."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import duckdb
import openpyxl
import pandas as pd
import pytest

from ceasefire import seed, store
from ceasefire.cli import main
from ceasefire.store import bootstrap

ROOT = Path(__file__).resolve().parents[1]
ACLED = ROOT / "tests" / "fixtures" / "acled_quirks.csv"
SHEET = ROOT / "tests" / "fixtures" / "own_sheet.xlsx"
MAPPING = ROOT / "tests" / "fixtures" / "own_sheet.toml"


@pytest.fixture(autouse=True)
def editor(monkeypatch):
    monkeypatch.setenv("CEASEFIRE_EDITOR", "tester")  # every import names who writes


@pytest.fixture
def db(tmp_path) -> Path:
    path = tmp_path / "bad.duckdb"
    con = store.connect(path)
    bootstrap.load_reference(con)
    seed.load_seed(con)
    con.execute("INSERT OR REPLACE INTO schema_meta VALUES ('first_run_done', 'true')")
    con.close()
    return path


def rows_of(path: Path) -> list[tuple]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return (
            con.execute("SELECT * FROM incident ORDER BY ALL").fetchall()
            + con.execute("SELECT * FROM claim ORDER BY ALL").fetchall()
        )
    finally:
        con.close()


def run(capsys, *argv: str) -> tuple[int, str]:
    code = main(list(argv))
    out = capsys.readouterr()
    assert "Traceback" not in out.err
    return code, out.err


def acled_rows() -> pd.DataFrame:
    return pd.read_csv(ACLED, dtype=str, keep_default_na=False)


def test_a_field_longer_than_duckdbs_line_limit_is_imported(db, tmp_path, capsys):
    rows = acled_rows()
    long_note = "Reported at length. " * 150_000  # 3 MB, over DuckDB's 2 MB line default
    rows.loc[1, "notes"] = long_note
    f = tmp_path / "long.csv"
    rows.to_csv(f, index=False)
    code, err = run(capsys, "--db", str(db), "import", "acled", str(f), "--no-link")
    assert code == 0, err
    con = duckdb.connect(str(db), read_only=True)
    stored = con.execute(
        "SELECT description FROM incident WHERE origin_id = ?", [rows.event_id_cnty[1]]
    ).fetchone()[0]
    con.close()
    assert len(stored) >= len(long_note.strip()) and long_note.strip()[:100] in stored


def test_a_latin1_file_is_refused_naming_the_encoding_then_read_as_latin1(db, tmp_path, capsys):
    rows = acled_rows()
    rows.loc[0, "location"] = "Maarrat al-Numan é"
    rows.loc[0, "notes"] = "Réfugiés déplacés à Idlib après les frappes"
    f = tmp_path / "latin1.csv"
    rows.to_csv(f, index=False, encoding="latin-1")
    before = rows_of(db)
    code, err = run(capsys, "--db", str(db), "import", "acled", str(f))
    assert code == 2
    assert "is not UTF-8" in err and "line 2" in err
    assert re.search(r"looks like (cp1252|latin-1)", err), err
    assert "--encoding latin-1" in err
    assert rows_of(db) == before
    code, err = run(capsys, "--db", str(db), "import", "acled", str(f), "--encoding", "latin-1")
    assert code == 0, err
    con = duckdb.connect(str(db), read_only=True)
    place, notes = con.execute(
        "SELECT place_name, description FROM incident WHERE origin_id = ?",
        [rows.event_id_cnty[0]],
    ).fetchone()
    con.close()
    assert place == "Maarrat al-Numan é"
    assert "Réfugiés déplacés" in notes


@pytest.mark.parametrize(
    "content, message",
    [(b"", "the file is empty"), (None, "has a header line but no rows")],
)
def test_empty_and_header_only_files_say_so(db, tmp_path, capsys, content, message):
    f = tmp_path / "x.csv"
    if content is None:
        acled_rows().head(0).to_csv(f, index=False)
    else:
        f.write_bytes(content)
    before = rows_of(db)
    code, err = run(capsys, "--db", str(db), "import", "acled", str(f))
    assert code == 2 and message in err, err
    assert "problem" not in err  # not "8 problems in 0 of 0 rows"
    assert rows_of(db) == before


def test_an_xlsx_zip_bomb_is_refused_before_unpacking(db, tmp_path, capsys):
    f = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(f, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/worksheets/sheet1.xml", b"\0" * (40 * 1024 * 1024))
    assert f.stat().st_size < 200_000
    before = rows_of(db)
    code, err = run(capsys, "--db", str(db), "import", "table", str(f), "--mapping", str(MAPPING))
    assert code == 2 and "refused before unpacking" in err, err
    assert rows_of(db) == before


def test_an_xlsx_with_formulas_imports_their_values(db, tmp_path, capsys):
    """A workbook as a spreadsheet program saves it: the formula and its last value. The
    value is imported, never the formula's text."""
    book = openpyxl.load_workbook(SHEET)
    sheet = book.active
    header = [c.value for c in sheet[1]]
    col = header.index("max_dead") + 1
    sheet.cell(row=2, column=col).value = "=3+4"
    f = tmp_path / "formulas.xlsx"
    book.save(f)
    # openpyxl saves no cached value; write it the way Excel or LibreOffice would
    patched = tmp_path / "formulas-saved.xlsx"
    with zipfile.ZipFile(f) as src, zipfile.ZipFile(patched, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename.startswith("xl/worksheets/sheet"):
                text = data.decode()
                text, n = re.subn(r"<f>3\+4</f>(<v\s*/>|<v></v>)?", "<f>3+4</f><v>7</v>", text)
                assert n == 1
                data = text.encode()
            dst.writestr(item, data)
    code, err = run(
        capsys, "--db", str(db), "import", "table", str(patched), "--mapping", str(MAPPING)
    )
    assert code == 0, err
    con = duckdb.connect(str(db), read_only=True)
    killed_max = con.execute(
        "SELECT max(c.killed_max) FROM claim c JOIN incident i USING (incident_id) "
        "WHERE i.origin = 'mysheet' AND i.origin_id = ?",
        [str(sheet.cell(row=2, column=header.index("ref") + 1).value)],
    ).fetchall()[0][0]
    texts = con.execute("SELECT count(*) FROM incident WHERE description LIKE '%3+4%'").fetchall()[
        0
    ]
    con.close()
    assert killed_max == 7 and texts == (0,)
