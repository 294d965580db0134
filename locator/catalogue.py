"""The translation catalogue (Babel): extract the interface's messages, merge them into the
Spanish catalogue, compile it. The Makefile and the tests call these; nothing here runs in a request.

    python -m locator.catalogue compile   # translations/*/LC_MESSAGES/messages.po -> .mo
    python -m locator.catalogue extract   # print the .pot of babel.cfg (every msgid of locator/ and templates/)
    python -m locator.catalogue update    # merge new msgids into messages.po (translate them before committing)

`compile` is `pybabel compile -d translations`; the .mo files are build output (git-ignored).
The app compiles a missing or stale one when it starts (`ensure_compiled`), however it is
started; where it cannot write one, it refuses to start and says to run `make translations`.
"""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.frontend import CommandLineInterface
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from locator.config import PROJECT_ROOT, ConfigError

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


class CatalogueError(ConfigError):
    """A language is offered whose catalogue is missing or cannot be compiled: the message says
    what to do."""


def _write_mo_atomically(po: Path, mo: Path) -> None:
    """Compile `po` into `mo` through a temporary file, so that two workers starting at once never
    read a half-written catalogue."""
    with po.open("rb") as handle:
        catalog = read_po(handle, locale=po.parent.parent.name)
    handle, temporary = tempfile.mkstemp(prefix=".messages-", suffix=".mo", dir=mo.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            write_mo(out, catalog)
        os.chmod(temporary, 0o644)  # readable by the workers, whoever compiled it (mkstemp makes 0600)
        os.replace(temporary, mo)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def ensure_compiled(languages, directories) -> None:
    """Make sure each language has a compiled catalogue in one of `directories`, compiling a
    missing or stale .mo from its .po; raise CatalogueError when that cannot be done."""
    for lang in languages:
        pos = [Path(d) / lang / "LC_MESSAGES" / "messages.po" for d in directories]
        po = next((p for p in pos if p.exists()), None)
        if po is None:
            mos = [p.with_suffix(".mo") for p in pos]
            if any(mo.exists() for mo in mos):
                continue  # a catalogue shipped compiled
            raise CatalogueError(f"The language {lang!r} is offered, but it has no catalogue: "
                                 f"expected {pos[0]}. Add it, or remove {lang!r} from LANGUAGES.")
        mo = po.with_suffix(".mo")
        if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
            continue
        try:
            _write_mo_atomically(po, mo)
        except OSError as exc:
            raise CatalogueError(f"The {lang!r} catalogue is not compiled and could not be compiled here "
                                 f"({exc.strerror or exc}). Build it before starting: `make translations`, "
                                 "or `python -m locator.catalogue compile`.") from None


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
