"""scripts/audit_dependencies.py never says "no known vulnerabilities" of packages it did not check."""

import importlib.util
from pathlib import Path

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "audit_dependencies.py"
spec = importlib.util.spec_from_file_location("audit_dependencies", SCRIPT)
audit = importlib.util.module_from_spec(spec)
spec.loader.exec_module(audit)


def test_packages_that_could_not_be_checked_are_said_to_be_not_checked():
    lines, status = audit.summary({"dependencies": [{"name": "flask", "skip_reason": "Dependency not found on PyPI"},
                                                    {"name": "gunicorn", "skip_reason": "Dependency not found"}]})
    assert status == 0 and lines == [lines[0]] and "2 of 2 packages: those were NOT checked" in lines[0]
    assert not any("no known vulnerabilities" in line for line in lines)


def test_a_known_vulnerability_fails_and_names_its_fix():
    lines, status = audit.summary({"dependencies": [
        {"name": "gunicorn", "version": "21.0.0", "vulns": [{"id": "GHSA-xxxx", "fix_versions": ["22.0.0"]}]},
        {"name": "flask", "version": "3.1.3", "vulns": []}]})
    assert status == 1 and lines == ["VULNERABLE gunicorn 21.0.0: GHSA-xxxx (fixed in 22.0.0)"]


def test_only_when_every_package_was_checked_is_it_said_that_none_is_known_vulnerable():
    lines, status = audit.summary({"dependencies": [{"name": "flask", "version": "3.1.3", "vulns": []}]})
    assert (lines, status) == (["1 packages checked with pip-audit: no known vulnerabilities."], 0)
    partial, _ = audit.summary({"dependencies": [{"name": "flask", "version": "3.1.3", "vulns": []},
                                                 {"name": "redis", "skip_reason": "not found"}]})
    assert "1 of 2 packages: those were NOT checked" in partial[0]
