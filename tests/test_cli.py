from sqlalchemy import func, select

from locator import db
from locator.models import Provider
from tests.csvfiles import row, write_csv


def provider_total(app):
    with app.app_context(), db.new_session() as session:
        return session.scalar(select(func.count()).select_from(Provider))


def test_init_db_creates_the_schema_and_can_run_twice(runner):
    assert runner.invoke(args=["init-db"]).exit_code == 0
    result = runner.invoke(args=["init-db"])
    assert result.exit_code == 0 and "0 providers" in result.output


def test_import_prints_a_summary_and_each_rejected_line(app, runner, tmp_path):
    rows = [row(n) for n in range(1, 21)]
    for index in (2, 7, 12):
        rows[index]["zip"] = "ABCDE"
    path = write_csv(tmp_path / "twenty.csv", rows)
    result = runner.invoke(args=["import-providers", str(path), "--source", "test"])
    assert result.exit_code == 0, result.output
    assert "added 17, updated 0, unchanged 0, rejected 3" in result.output
    for line in (4, 9, 14):
        assert f"rejected line {line}: zip:" in result.output
    assert provider_total(app) == 17


def test_import_of_a_file_with_a_wrong_header_exits_2_and_writes_nothing(app, runner, tmp_path):
    runner.invoke(args=["import-providers", str(write_csv(tmp_path / "ok.csv", [row(1)]))])
    bad = tmp_path / "bad.csv"
    bad.write_text("id,title\n1,x\n")
    result = runner.invoke(args=["import-providers", str(bad)])
    assert result.exit_code == 2
    assert "wrong header" in result.output and "Nothing was imported" in result.output
    assert provider_total(app) == 1


def test_import_of_a_missing_file_exits_2(runner, tmp_path):
    result = runner.invoke(args=["import-providers", str(tmp_path / "missing.csv")])
    assert result.exit_code == 2 and "no such file" in result.output


def test_importing_twice_leaves_the_count_unchanged(app, runner, tmp_path):
    path = write_csv(tmp_path / "p.csv", [row(n) for n in range(1, 6)])
    runner.invoke(args=["import-providers", str(path)])
    result = runner.invoke(args=["import-providers", str(path)])
    assert "added 0, updated 0, unchanged 5" in result.output
    assert provider_total(app) == 5


def test_export_then_import_gives_the_same_providers(app, runner, tmp_path):
    runner.invoke(args=["import-providers", str(write_csv(tmp_path / "p.csv", [row(n) for n in range(1, 4)]))])
    out = tmp_path / "export.csv"
    result = runner.invoke(args=["export-providers", str(out)])
    assert result.exit_code == 0 and "Exported 3" in result.output
    reimport = runner.invoke(args=["import-providers", str(out), "--source", "p"])
    assert "added 0, updated 0, unchanged 3, rejected 0" in reimport.output
