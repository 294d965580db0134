"""The translation catalogue (Babel): extract the interface's messages, merge them into the
Spanish catalogue, compile it. The Makefile and the tests call these; nothing here runs in a request.

    python -m locator.catalogue compile   # translations/*/LC_MESSAGES/messages.po -> .mo
    python -m locator.catalogue extract   # print the .pot of babel.cfg (every msgid of locator/ and templates/)
    python -m locator.catalogue update    # merge new msgids into messages.po (translate them before committing)

`compile` is `pybabel compile -d translations`; the .mo files are build output (git-ignored). Without
them the app still runs, in English.
"""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po

from locator.config import PROJECT_ROOT

TRANSLATIONS = PROJECT_ROOT / "translations"
MAPPING = PROJECT_ROOT / "babel.cfg"
# Besides Babel's defaults (_, gettext, ngettext, N_ ...): Flask-Babel's lazy labels (forms.py imports it as _l).
KEYWORDS = ("lazy_gettext", "_l")


def pybabel(*args: str) -> int:
    """Run a pybabel command in this process (what `.venv/bin/pybabel ARGS` does)."""
    return CommandLineInterface().run(["pybabel", "-q", *args]) or 0


def extract(output: Path) -> Catalog:
    """Extract every message of babel.cfg into the .pot `output` and return it."""
    keywords = [arg for keyword in KEYWORDS for arg in ("-k", keyword)]
    with contextlib.chdir(PROJECT_ROOT):  # locations relative to the project: "templates/base.html:7"
        status = pybabel("extract", "-F", str(MAPPING), *keywords, "--no-wrap", "--sort-by-file",
                         "--project", "MOUD Locator", "-o", str(output.resolve()), ".")
    if status:
        raise RuntimeError(f"pybabel extract failed ({status})")
    with output.open("rb") as handle:
        return read_po(handle)


def update(template: Path) -> int:
    """Merge the .pot into each language's messages.po (new msgids arrive untranslated)."""
    return pybabel("update", "-i", str(template), "-d", str(TRANSLATIONS), "--no-wrap", "--no-fuzzy-matching",
                   "--ignore-obsolete")


def compile_catalogues(only_stale: bool = False) -> list[Path]:
    """Compile each messages.po to its .mo (all, or only those missing or older than their .po)."""
    done = []
    for po in sorted(TRANSLATIONS.glob("*/LC_MESSAGES/messages.po")):
        mo = po.with_suffix(".mo")
        if only_stale and mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
            continue
        status = pybabel("compile", "-i", str(po), "-o", str(mo), "-l", po.parent.parent.name, "--statistics")
        if status or not mo.exists():
            raise RuntimeError(f"could not compile {po}")
        done.append(mo)
    return done


def main(argv: list[str]) -> int:
    command = argv[0] if argv else "compile"
    if command == "compile":
        compile_catalogues()
        return 0
    if command in ("extract", "update"):
        import tempfile

        with tempfile.TemporaryDirectory() as tmp:
            pot = Path(tmp) / "messages.pot"
            extract(pot)
            if command == "extract":
                sys.stdout.write(pot.read_text(encoding="utf-8"))
                return 0
            return update(pot)
    sys.stderr.write("usage: python -m locator.catalogue [compile|extract|update]\n")
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
