"""Check the pinned dependencies for known vulnerabilities with pip-audit, and say honestly what
was checked.

pip-audit reads vulnerability data from PyPI's JSON API. Where that cannot be reached (a closed
network with only a package mirror), it skips every package and still prints "No known
vulnerabilities found". This script reads pip-audit's JSON report instead and prints one of:
- how many packages were checked and that none has a known vulnerability (exit 0);
- each known vulnerability with its fixed versions (exit 1);
- that the data could not be reached, naming how many packages were NOT checked (exit 0:
  nothing was found, but nothing is claimed either).

Usage: python scripts/audit_dependencies.py [requirements-dev.txt ...]
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def summary(report: dict) -> tuple[list[str], int]:
    """What to print about a pip-audit JSON report, and the exit code."""
    dependencies = report.get("dependencies", [])
    skipped = [d for d in dependencies if "skip_reason" in d]
    checked = [d for d in dependencies if "skip_reason" not in d]
    vulnerable = [d for d in checked if d.get("vulns")]
    lines = []
    for dep in vulnerable:
        for vuln in dep["vulns"]:
            fixed = ", ".join(vuln.get("fix_versions") or []) or "no fixed version yet"
            lines.append(f"VULNERABLE {dep['name']} {dep['version']}: {vuln['id']} (fixed in {fixed})")
    if skipped:
        lines.append(f"pip-audit could not reach its vulnerability data for {len(skipped)} of {len(dependencies)} "
                     f"packages: those were NOT checked (first reason: {skipped[0]['skip_reason']}).")
    if checked and not vulnerable:
        lines.append(f"{len(checked)} packages checked with pip-audit: no known vulnerabilities.")
    if not dependencies:
        lines.append("pip-audit listed no packages: dependencies NOT checked for known vulnerabilities.")
    return lines, 1 if vulnerable else 0


def main(argv: list[str]) -> int:
    files = argv or ["requirements-dev.txt"]
    command = [sys.executable, "-m", "pip_audit", "--format", "json", "--progress-spinner", "off"]
    for name in files:
        command += ["--requirement", str(ROOT / name)]
    try:
        run = subprocess.run(command, capture_output=True, text=True, timeout=600, cwd=ROOT)
        report = json.loads(run.stdout or "{}")
    except (subprocess.TimeoutExpired, json.JSONDecodeError) as exc:
        print(f"pip-audit gave no report ({type(exc).__name__}): dependencies NOT checked for known vulnerabilities.")
        return 0
    lines, status = summary(report)
    print("\n".join(lines))
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
