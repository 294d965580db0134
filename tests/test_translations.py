"""The Spanish catalogue: current with the code, complete, placeholders intact, and served.

(a) Extracting babel.cfg now gives no msgid that messages.po lacks or leaves untranslated.
(b) Every msgstr keeps its msgid's %(name)s placeholders, and Babel's own checks pass.
(c) Spanish pages (home, results, provider, privacy, errors, forms, referral list) show no
    English interface text: none of the English msgids' phrases of four words or more, and
    none of a list of short labels that must be translated.

(d) The app compiles a missing or stale catalogue when it starts, refuses to start when it cannot,
    and a third language is a catalogue plus one line of configuration.
"""

from __future__ import annotations

import re
from html import unescape

import pytest
from babel.messages.pofile import read_po

from locator import catalogue, create_app, db
from locator.catalogue import CatalogueError
from tests.factories import make_provider

PO = catalogue.TRANSLATIONS / "es" / "LC_MESSAGES" / "messages.po"
PLACEHOLDER = re.compile(r"%\([a-z_]+\)s")
# Short labels that must never be left in English on a Spanish page.
SHORT_ENGLISH = ("Find treatment", "Where?", "Payment", "More filters", "Privacy", "Directions", "What to ask",
                 "Taking new patients", "Medications", "Skip to main content", "Overdose", "could not find",
                 "Call", "Helpline", "Availability", "Services", "Website", "Intake", "Hours", "Within",
                 "Previous", "Next", "miles", "near", "wait", "Update availability", "Referral list",
                 "fictional", "Not sure", "Any", "Order", "Best match", "Language spoken")


def read_catalogue():
    with PO.open("rb") as handle:
        return read_po(handle)


def key(message):
    return message.id if isinstance(message.id, str) else tuple(message.id)


def strings(message) -> list[str]:
    return [message.string] if isinstance(message.string, str) else list(message.string)


def ids(message) -> list[str]:
    return [message.id] if isinstance(message.id, str) else list(message.id)


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    return catalogue.extract(tmp_path_factory.mktemp("pot") / "messages.pot")


# (a) -----------------------------------------------------------------------------------------

def test_the_catalogue_holds_every_extracted_message_translated(extracted):
    po = read_catalogue()
    assert not po.fuzzy and po.locale_identifier == "es"
    assert po.plural_forms == "nplurals=2; plural=(n != 1);"
    found = {key(m): m for m in po if m.id}
    wanted = [key(m) for m in extracted if m.id]
    assert len(wanted) > 200
    missing = [k for k in wanted if k not in found]
    assert not missing, f"run `python -m locator.catalogue update` and translate: {missing}"
    untranslated = [k for k in wanted if not all(s.strip() for s in strings(found[k]))]
    assert not untranslated, f"untranslated: {untranslated}"
    fuzzy = [k for k in wanted if found[k].fuzzy]
    assert not fuzzy, f"fuzzy: {fuzzy}"
    plural = [k for k in wanted if isinstance(k, tuple) and len(strings(found[k])) != 2]
    assert not plural, f"plurals need two forms: {plural}"


# (b) -----------------------------------------------------------------------------------------

def test_placeholders_match_between_msgid_and_msgstr():
    wrong = []
    for message in read_catalogue():
        if not message.id:
            continue
        wanted = set(PLACEHOLDER.findall(ids(message)[-1])) | set(PLACEHOLDER.findall(ids(message)[0]))
        for string in strings(message):
            if set(PLACEHOLDER.findall(string)) != wanted:
                wrong.append((ids(message)[0], string))
            if "%" in PLACEHOLDER.sub("", string).replace("%%", ""):
                wrong.append((ids(message)[0], f"a lone % (templates always %-format): {string}"))
    assert not wrong


def test_babel_finds_no_error_in_the_catalogue():
    problems = [(message.id, errors) for message, errors in read_catalogue().check() if errors]
    assert not problems


def test_phone_numbers_and_emergency_numbers_are_kept():
    for message in read_catalogue():
        for number in re.findall(r"1-800-662-4357|\b988\b|\b911\b", " ".join(ids(message))):
            assert all(number in string for string in strings(message)), message.id


# (c) -----------------------------------------------------------------------------------------

def english_phrases() -> list[str]:
    """Pieces of the English msgids of four words or more, placeholders cut out."""
    phrases = set()
    for message in read_catalogue():
        for text in ids(message) if message.id else ():
            for piece in PLACEHOLDER.split(text):
                piece = piece.strip(" .:;,")
                if len(piece.split()) >= 4:
                    phrases.add(piece)
    return sorted(phrases)


def visible_text(html: str) -> str:
    """What a person sees or hears: text outside tags, plus labels carried by attributes."""
    html = re.sub(r"(?is)<(script|style)\b.*?</\1>", " ", html)
    spoken = re.findall(r'\b(?:aria-label|title|alt|placeholder|data-copied|data-failed)="([^"]*)"', html)
    text = re.sub(r"<[^>]+>", " ", html) + " " + " ".join(spoken)
    return " ".join(unescape(text).split())


def english_left(text: str, phrases: list[str]) -> list[str]:
    left = [p for p in phrases if p in text]
    left += [w for w in SHORT_ENGLISH if re.search(r"(?<![\w])" + re.escape(w) + r"(?![\w])", text)]
    return left


@pytest.fixture
def providers(session):
    report = {"accepting_new_patients": True, "wait_days": 3, "walk_in": True, "same_day_start": True,
              "note": "Medicaid", "age_days": 40, "reporter_kind": "caseworker"}
    near = make_provider(session, miles_north=2, name="Clínica Uno", is_demo=True, name2="Centro",
                         intake_phone="215-555-0199", website="https://example.org", report=report,
                         payment=["medicaid", "sliding_scale"], languages=["es"], services=["family_counseling"],
                         populations=["veterans"], medication_forms=["buprenorphine_maintenance"],
                         insurance_plans=["Aetna"], accepts_outside_moud=True)
    make_provider(session, miles_north=4, name="Clínica Dos", report={"accepting_new_patients": False})
    make_provider(session, miles_north=150, name="Clínica Tres", settings=["telehealth"])
    return near


def pages(provider_id: int) -> list[str]:
    return [
        "/?lang=es", "/?lang=es&for=someone",
        "/search?location=19104&lang=es", "/search?location=19104&lang=es&per_page=1&page=2",
        "/search?location=19104&lang=es&medication=naltrexone",  # none near: telehealth in the state
        "/search?location=40.0,-75.2&lang=es", "/search?location=123+Main+St%2C+Philadelphia%2C+PA&lang=es",
        f"/providers/{provider_id}?lang=es", "/privacy?lang=es",
        "/search?location=99999&lang=es", "/search?location=Springfield&lang=es", "/search?location=&lang=es",
        "/search?location=19104&radius=999&sort=x&accepting=maybe&lang=es",
        "/providers/999999?lang=es", "/no-such-page?lang=es",
        f"/providers/{provider_id}/availability?lang=es",
        f"/referrals?ids={provider_id},999999&lang=es", "/referrals?lang=es", "/referrals?ids=x&lang=es",
    ]


def test_spanish_pages_have_no_english_interface_text(client, providers):
    phrases = english_phrases()
    assert "Skip to main content" in phrases or "Skip to main content" in SHORT_ENGLISH
    seen = {}
    for path in pages(providers.id):
        response = client.get(path)
        assert response.status_code in (200, 400, 404), path
        html = response.get_data(as_text=True)
        assert '<html lang="es">' in html, path
        left = english_left(visible_text(html), phrases)
        if left:
            seen[path] = left
    assert not seen, f"English on Spanish pages: {seen}"


def test_the_report_form_errors_are_spanish(app, client, providers):
    app.config["WTF_CSRF_ENABLED"] = False
    response = client.post(f"/providers/{providers.id}/availability?lang=es",
                           data={"wait_days": "soon", "accepting_new_patients": "maybe"})
    text = visible_text(response.get_data(as_text=True))
    assert response.status_code == 400 and "Escriba su clave para reportar" in text
    assert not english_left(text, [*english_phrases(), "Not a valid", "Invalid"])


def test_the_same_pages_are_english_without_lang(client, providers):
    text = visible_text(client.get("/search?location=19104").get_data(as_text=True))
    assert "Find treatment" in text and "Skip to main content" in text and "Buscar tratamiento" not in text
    assert len(english_left(text, english_phrases())) > 20  # the check above would see English


def make_app(database_url, **config):
    app = create_app({"DATABASE_URL": database_url, "TESTING": True, "LOCATOR_ENV": "testing", **config})
    with app.app_context():
        db.create_schema(db.get_engine())
    return app


def test_an_offered_language_without_a_catalogue_stops_the_start_and_says_why(database_url, tmp_path):
    with pytest.raises(CatalogueError, match="'es' is offered, but it has no catalogue"):
        create_app({"DATABASE_URL": database_url, "TESTING": True, "BABEL_TRANSLATION_DIRECTORIES": str(tmp_path)})


def copy_catalogue(to) -> None:
    (to / "es" / "LC_MESSAGES").mkdir(parents=True)
    (to / "es" / "LC_MESSAGES" / "messages.po").write_bytes(PO.read_bytes())


def test_a_catalogue_that_was_never_compiled_is_compiled_at_start(database_url, tmp_path):
    copy_catalogue(tmp_path)
    app = make_app(database_url, BABEL_TRANSLATION_DIRECTORIES=str(tmp_path))
    try:
        assert (tmp_path / "es" / "LC_MESSAGES" / "messages.mo").exists()
        html = app.test_client().get("/?lang=es").get_data(as_text=True)
        assert '<html lang="es">' in html and "Buscar tratamiento" in html and "Find treatment" not in html
    finally:
        app.extensions["locator.engine"].dispose()


def test_where_the_catalogue_cannot_be_compiled_the_start_says_how_to_build_it(database_url, tmp_path):
    import os

    copy_catalogue(tmp_path)
    blocked = tmp_path / "es" / "LC_MESSAGES" / "messages.mo"
    blocked.mkdir()  # an old folder where the .mo should be: nothing can be written there, even by root
    os.utime(blocked, (0, 0))
    with pytest.raises(CatalogueError, match="make translations"):
        create_app({"DATABASE_URL": database_url, "TESTING": True, "BABEL_TRANSLATION_DIRECTORIES": str(tmp_path)})


FRENCH = {"Find treatment": "Trouver un traitement", "Skip to main content": "Aller au contenu",
          "Buprenorphine": "Buprénorphine", "%(miles)s mi away": "à %(miles)s milles",
          "Taking new patients": "Accepte de nouveaux patients"}


def test_a_third_language_is_a_catalogue_and_one_line_of_configuration(database_url, tmp_path, session):
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import write_po

    french = Catalog(locale="fr")
    for msgid, msgstr in FRENCH.items():
        french.add(msgid, msgstr)
    (tmp_path / "fr" / "LC_MESSAGES").mkdir(parents=True)
    with (tmp_path / "fr" / "LC_MESSAGES" / "messages.po").open("wb") as handle:
        write_po(handle, french)
    app = make_app(database_url, LANGUAGES=("en", "es", "fr"),
                   BABEL_TRANSLATION_DIRECTORIES=f"{catalogue.TRANSLATIONS};{tmp_path}")
    try:
        make_provider(session, miles_north=1, report={"accepting_new_patients": True})
        client = app.test_client()
        for page in (client.get("/search?location=19104&lang=fr"),
                     client.get("/search?location=19104", headers={"Accept-Language": "fr-CA,fr;q=0.9"})):
            html = page.get_data(as_text=True)
            assert page.status_code == 200 and '<html lang="fr">' in html
            for msgstr in ("Trouver un traitement", "Aller au contenu", "Buprénorphine", "à 1.0 milles",
                           "Accepte de nouveaux patients"):
                assert msgstr in html, msgstr
            assert 'hreflang="en"' in html and 'hreflang="es"' in html and ">Español<" in html
        spanish = client.get("/search?location=19104&lang=es").get_data(as_text=True)
        assert 'hreflang="fr"' in spanish and ">Français<" in spanish and "Buprenorfina" in spanish
    finally:
        app.extensions["locator.engine"].dispose()


def test_a_catalogue_compiled_at_start_is_readable_by_every_worker(database_url, tmp_path):
    copy_catalogue(tmp_path)
    app = make_app(database_url, BABEL_TRANSLATION_DIRECTORIES=str(tmp_path))
    app.extensions["locator.engine"].dispose()
    mode = (tmp_path / "es" / "LC_MESSAGES" / "messages.mo").stat().st_mode
    assert mode & 0o044 == 0o044  # group and others may read it, whoever compiled it
