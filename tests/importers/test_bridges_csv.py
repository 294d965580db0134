"""import-bridges: the start-today bridge options of each state, from a CSV file."""

import csv
from pathlib import Path

from sqlalchemy import func, select

from locator import vocabulary
from locator.importers.bridges_csv import COLUMNS, import_bridges
from locator.models import Bridge

ROOT = Path(__file__).resolve().parents[2]
GOOD = {"state": "PA", "name": "Keystone Telehealth Start Line", "kind": "telehealth_line", "phone": "(215) 555-0142",
        "hours": "24/7", "medications": "buprenorphine", "notes": "Video visit, prescription to a pharmacy",
        "url": "example.org/pa-line", "verified_on": "2026-11-20", "demo": ""}


def write(path, rows, columns=COLUMNS):
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(columns), extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    return path


def test_it_imports_good_rows_and_reports_each_bad_one_with_its_line(session, tmp_path):
    rows = [GOOD, dict(GOOD, name="Philadelphia ED Bridge", kind="ed_bridge"),
            dict(GOOD, name="Bad kind", kind="clinic"), dict(GOOD, name="Bad phone", phone="911"),
            dict(GOOD, name="Bad state", state="XX"), dict(GOOD, name="No phone", phone=""),
            dict(GOOD, name="Future", verified_on="2099-01-01"), GOOD]
    report = import_bridges(session, write(tmp_path / "b.csv", rows))
    assert report.added == 2
    assert [(e.line, e.column) for e in report.rejected] == [
        (4, "kind"), (5, "phone"), (6, "state"), (7, "phone"), (8, "verified_on"), (9, "name")]
    line = session.scalars(select(Bridge).where(Bridge.kind == "telehealth_line")).one()
    assert (line.phone, line.url, line.medications, line.verified_on.isoformat()) == \
        ("215-555-0142", "https://example.org/pa-line", ["buprenorphine"], "2026-11-20")


def test_the_file_is_the_whole_list_and_a_file_without_a_good_row_changes_nothing(session, tmp_path):
    import_bridges(session, write(tmp_path / "a.csv", [GOOD, dict(GOOD, name="Old line", kind="access_line")]))
    report = import_bridges(session, write(tmp_path / "b.csv", [dict(GOOD, hours="Mon-Fri 8:00-20:00"),
                                                                 dict(GOOD, state="OH", name="Ohio line")]))
    assert (report.added, report.updated, report.unchanged, report.removed) == (1, 1, 0, 1)
    assert sorted(b.name for b in session.scalars(select(Bridge))) == ["Keystone Telehealth Start Line", "Ohio line"]
    nothing = import_bridges(session, write(tmp_path / "c.csv", [dict(GOOD, kind="nope")]))
    assert len(nothing.rejected) == 1 and session.scalar(select(func.count()).select_from(Bridge)) == 2
    # A typo in a kept option's row: the others are updated, nothing is removed.
    typo = import_bridges(session, write(tmp_path / "d.csv", [dict(GOOD, hours="24/7"),
                                                               dict(GOOD, state="OH", name="Ohio line", phone="12")]))
    assert (typo.updated, typo.removed, len(typo.rejected)) == (1, 0, 1)
    assert session.scalar(select(func.count()).select_from(Bridge)) == 2
    long_url = import_bridges(session, write(tmp_path / "e.csv", [dict(GOOD, url="example.org/" + "x" * 300)]))
    assert [e.column for e in long_url.rejected] == ["url"]


def test_the_command_exits_2_on_a_wrong_header_and_0_with_bad_rows(runner, session, tmp_path):
    wrong = tmp_path / "wrong.csv"
    wrong.write_text("state,title\nPA,x\n", encoding="utf-8")
    result = runner.invoke(args=["import-bridges", str(wrong)])
    assert result.exit_code == 2 and "Nothing was imported" in result.output
    result = runner.invoke(args=["import-bridges", str(write(tmp_path / "b.csv", [GOOD, dict(GOOD, kind="x")]))])
    assert result.exit_code == 0, result.output
    assert "rejected line 3: kind:" in result.output and "added 1, updated 0, unchanged 0, rejected 1" in result.output
    again = runner.invoke(args=["import-bridges", str(tmp_path / "b.csv"), "--if-empty"])
    assert "already loaded" in again.output


def test_the_shipped_list_is_fictional_covers_every_state_and_territory_and_imports_cleanly(session):
    report = import_bridges(session, ROOT / "data" / "bridges.csv")
    assert report.rejected == [] and report.added >= 3 * len(vocabulary.US_STATES)
    bridges = list(session.scalars(select(Bridge)))
    assert {b.state for b in bridges} == set(vocabulary.US_STATES)
    assert all(b.is_demo and "(fictional)" in b.name and b.verified_on is None for b in bridges)
    assert all(b.phone.split("-")[1] == "555" for b in bridges)
    for state in vocabulary.US_STATES:
        assert {"telehealth_line", "ed_bridge", "access_line"} <= {b.kind for b in bridges if b.state == state}


def test_the_generator_reproduces_the_shipped_file(tmp_path):
    import importlib.util

    spec = importlib.util.spec_from_file_location("make_bridges", ROOT / "scripts" / "make_bridges.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.main(["--out", str(tmp_path / "b.csv")]) == 0
    assert (tmp_path / "b.csv").read_bytes() == (ROOT / "data" / "bridges.csv").read_bytes()
