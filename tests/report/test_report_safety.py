"""Writing is atomic; text from data and from the analyst cannot inject HTML; the CLI fails in one line."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

import hazard_city
import lagesbild as lb
import polars as pl
import pytest
from html_numbers import parse

SCRIPT = "<script>alert(1)</script>"
DEMO_TOML = Path(__file__).resolve().parents[2] / "data" / "demo" / "lagesbild.toml"


def _digests(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


# -- atomic output --------------------------------------------------------------------


def test_a_failure_while_writing_leaves_the_folder_as_it_was(
    demo_report: lb.Report, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = demo_report.write(tmp_path / "rapport")
    before = _digests(out)
    calls = {"n": 0}
    real = Path.write_bytes

    def failing(self: Path, data: bytes) -> int:
        calls["n"] += 1
        if calls["n"] == 7:
            raise OSError(28, "No space left on device", str(self))
        return real(self, data)

    monkeypatch.setattr(Path, "write_bytes", failing)
    with pytest.raises(OSError, match="No space left"):
        demo_report.write(out)
    monkeypatch.undo()
    assert calls["n"] == 7
    assert _digests(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["rapport"], "no temporary folder is left behind"


def test_a_failure_in_the_pdf_step_leaves_no_new_folder(
    demo_report: lb.Report, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import lagesbild.report.pdf as pdf

    def broken(folder: Path) -> None:
        (folder / "pdf").mkdir()
        raise lb.InvalidArgumentError("--pdf needs Chromium")

    monkeypatch.setattr(pdf, "print_pdf", broken)
    with pytest.raises(lb.InvalidArgumentError):
        demo_report.write(tmp_path / "ny", pdf=True)
    assert list(tmp_path.iterdir()) == []


def test_a_folder_of_other_files_is_not_replaced(demo_report: lb.Report, tmp_path: Path) -> None:
    (tmp_path / "mina").mkdir()
    (tmp_path / "mina" / "viktigt.docx").write_bytes(b"x")
    with pytest.raises(lb.InvalidArgumentError, match="holds other files and no lagesbild.json"):
        demo_report.write(tmp_path / "mina")
    assert (tmp_path / "mina" / "viktigt.docx").read_bytes() == b"x"


def test_an_earlier_report_is_replaced_whole(demo_city: lb.City, tmp_path: Path) -> None:
    out = lb.lagesbild(demo_city, year=2025).write(tmp_path / "r")
    assert (out / "sodermalms-stadsdelsnamnd.html").is_file()
    lb.lagesbild(demo_city, year=2025, namnder=["Bromma"]).write(out)
    assert sorted(p.name for p in out.glob("*.html")) == ["bromma-stadsdelsnamnd.html", "index.html"]


# -- escaping ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> lb.City:
    """The hand-made hazard city with an area, a nämnd and a facility named ``<script>…``,
    and an analyst's text with HTML in it."""
    folder = tmp_path_factory.mktemp("hostile")
    toml = hazard_city.TOML + (
        f'\n[report]\ntexts = {{ "{SCRIPT}" = "texter/analys.md" }}\nlabels = {{ malaren = "Sjön {SCRIPT}" }}\n'
    )
    path = hazard_city.make(folder, toml)
    # The hand-made city's [organisation] names no nämnd column: the area's name is the nämnd's.
    org = pl.read_csv(folder / "organisation.csv", infer_schema=False).with_columns(
        pl.col("sdo_namn").replace("Väster", SCRIPT)
    )
    org.write_csv(folder / "organisation.csv")
    fac = lb.read(folder / "verksamheter.gpkg")
    attrs = fac.attributes.with_columns(pl.col("namn").replace("Förskolan Ekorren", f"Förskolan {SCRIPT}"))
    fac.with_attributes(attrs).write(folder / "verksamheter.gpkg", layer="verksamheter")
    (folder / "texter").mkdir()
    (folder / "texter" / "analys.md").write_text(
        f"# Samverkan\n\nPolisen ser **fler** larm. {SCRIPT}\n\n<img src=x onerror=alert(2)>\n\n"
        "[klicka](javascript:alert(3)) och ![bild](https://example.org/x.png)\n",
        encoding="utf-8",
    )
    return lb.City.from_config(path)


def test_names_from_the_data_and_the_analysts_text_come_out_escaped(hostile: lb.City, tmp_path: Path) -> None:
    report = lb.lagesbild(hostile, year=2022)
    out = report.write(tmp_path / "r")
    page = report.page(SCRIPT)
    html = (out / f"{page.id}.html").read_text(encoding="utf-8")
    parsed = parse(html)
    assert parsed.scripts == 0
    assert SCRIPT not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<strong>fler</strong>" in html, "the analyst's Markdown is rendered"
    assert "javascript:" not in html.lower().replace("[klicka](javascript:alert(3))", "")
    sources = [v for name, v in parsed.attrs if name == "src"]
    assert all(v.startswith("data:image/png;base64,") for v in sources), "only the inlined map: no requests"
    assert len(sources) == 1
    assert "onerror" not in [n for n, _ in parsed.attrs]
    # HTML and Markdown carry no markup from the data (CSV and JSON keep the names as data).
    for path in out.rglob("*"):
        if path.suffix in (".html", ".md"):
            text = path.read_text(encoding="utf-8")
            assert "<script" not in text.lower(), path.name
            assert "<img src=x" not in text.lower(), path.name
    md = (out / f"{page.id}.md").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in md  # the nämnd's name, escaped
    assert "&lt;script>alert(1)&lt;/script>" in md  # the analyst's text, escaped


def test_the_analysts_text_is_an_input_of_the_report(hostile: lb.City) -> None:
    report = lb.lagesbild(hostile, year=2022)
    paths = [f["path"] for f in report.data["inputs"]]
    assert "texter/analys.md" in paths
    page = next(p for p in report.data["pages"] if p["namnd"] == SCRIPT)
    assert page["analyst_text"] == "texter/analys.md"
    other = next(p for p in report.data["pages"] if p["namnd"] == "Öster")
    assert other["analyst_text"] is None


def test_a_missing_analysts_file_is_a_clear_error(tmp_path: Path) -> None:
    toml = hazard_city.TOML + '\n[report]\ntexts = { "Öster" = "texter/saknas.md" }\n'
    city = lb.City.from_config(hazard_city.make(tmp_path / "c", toml))
    with pytest.raises(lb.InvalidArgumentError, match=r"the text for 'Öster' names .*saknas.md"):
        lb.lagesbild(city, year=2022)


def test_unknown_report_keys_are_config_problems(tmp_path: Path) -> None:
    toml = hazard_city.TOML + '\n[report]\ntext = { "Öster" = "a.md" }\n'
    with pytest.raises(lb.ConfigError, match="unknown key 'text' .did you mean 'texts'"):
        lb.City.from_config(hazard_city.make(tmp_path / "c", toml))


# -- the command line -------------------------------------------------------------------


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "lagesbild", *args], capture_output=True, text=True, timeout=300)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--config", "no/such/city.toml", "--year", "2025"], "no/such/city.toml: no such file"),
        (["--config", str(DEMO_TOML), "--year", "2031"], "no data for the year 2031: the city's data cover"),
        (["--config", str(DEMO_TOML), "--year", "2025", "--namnd", "Atlantis"], "no stadsdelsnämnd, facknämnd or bolag 'Atlantis'"),
        (
            ["--config", str(DEMO_TOML), "--year", "2025", "--period", "2010-01-01:2010-12-31"],
            "the period 2010-01-01 – 2010-12-31 lies outside the data",
        ),
        (["--config", str(DEMO_TOML), "--year", "2025", "--period", "last year"], "--period must be two ISO dates"),
    ],
)
def test_cli_bad_input_is_one_line(args: list[str], message: str, tmp_path: Path) -> None:
    run = _cli("report", *args, "--out", str(tmp_path / "out"))
    assert run.returncode == 1
    assert "Traceback" not in run.stderr
    assert run.stderr.count("\n") == 1 and run.stderr.startswith("lagesbild: ")
    assert message in run.stderr
    assert not (tmp_path / "out").exists()


def test_cli_unwritable_folder(tmp_path: Path) -> None:
    blocker = tmp_path / "fil"
    blocker.write_text("x")
    run = _cli("report", "--config", str(DEMO_TOML), "--year", "2025", "--namnd", "Bromma", "--out", str(blocker / "r"))
    assert run.returncode == 1 and "Traceback" not in run.stderr and run.stderr.count("\n") == 1
    assert "is a file, not a folder" in run.stderr


def test_cli_writes_the_report_and_says_where(tmp_path: Path) -> None:
    out = tmp_path / "lagesbild"
    run = _cli("demo", "--out", str(out), "--namnd", "Skärholmen")
    assert run.returncode == 0, run.stderr
    assert (out / "index.html").is_file() and (out / "skarholmens-stadsdelsnamnd.html").is_file()
    assert (out / "index.html").as_uri() in run.stdout


def test_missing_parent_folders_are_made_and_an_existing_file_is_refused(tmp_path) -> None:
    from lagesbild.report.report import write_atomically

    out = write_atomically(tmp_path / "out" / "lagesbild", {"index.html": b"<p>x</p>"})
    assert (out / "index.html").read_bytes() == b"<p>x</p>"
    (tmp_path / "fil").write_text("x")
    with pytest.raises(lb.InvalidArgumentError, match="is a file, not a folder"):
        write_atomically(tmp_path / "fil" / "lagesbild", {"index.html": b""})
