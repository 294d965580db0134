"""The referral-list core: reading ids, changing the list, loading providers, the packet model."""

from __future__ import annotations

import pytest
from sqlalchemy import event

from locator.referrals import (
    MAX_IDS,
    ReferralError,
    added,
    build_packet,
    join_ids,
    load_providers,
    moved,
    parse_ids,
    qr_svg,
    questions_for,
)
from tests.factories import make_provider


@pytest.mark.parametrize("text, ids", [
    ("3,1,7", [3, 1, 7]),
    (" 3, 1 ,3,1", [3, 1]),
    ("1,,2,", [1, 2]),
    ("", []),
    (None, []),
    (",".join(["5"] * 200 + [str(i) for i in range(1, MAX_IDS + 1)]),
     [5] + [i for i in range(1, MAX_IDS + 1) if i != 5]),
])
def test_it_reads_ids_in_order_without_repeats(text, ids):
    assert parse_ids(text) == ids


@pytest.mark.parametrize("text, bad", [
    ("1,abc,3", "abc"), ("0", "0"), ("-4", "-4"), ("1.5", "1.5"), ("12345678901", "12345678901"),
    ("2147483648", "2147483648"), ("1;2", "1;2"), ("１２", "１２"),
])
def test_a_malformed_id_is_named(text, bad):
    with pytest.raises(ReferralError) as caught:
        parse_ids(text)
    assert caught.value.kind == "malformed" and caught.value.value == bad


def test_a_long_malformed_item_is_shortened_in_the_message():
    with pytest.raises(ReferralError) as caught:
        parse_ids("x" * 500)
    assert len(caught.value.value) <= 21


def test_at_most_fifty_providers():
    assert len(parse_ids(join_ids(range(1, MAX_IDS + 1)))) == MAX_IDS
    with pytest.raises(ReferralError) as caught:
        parse_ids(join_ids(range(1, MAX_IDS + 2)))
    assert caught.value.kind == "too_many"


def test_add_remove_and_move_make_the_next_list():
    assert added([3, 1], 7) == [3, 1, 7]
    assert added([3, 1], 3) == [3, 1]
    assert added(list(range(1, MAX_IDS + 1)), 999) == list(range(1, MAX_IDS + 1))
    assert moved([1, 2, 3], 0, 1) == [2, 1, 3]
    assert moved([1, 2, 3], 2, -1) == [1, 3, 2]
    assert moved([1, 2, 3], 0, -1) == [1, 2, 3]
    assert moved([1, 2, 3], 2, 1) == [1, 2, 3]
    assert join_ids([]) == ""


def test_providers_load_in_the_asked_order_with_two_queries(session):
    a, b, c = (make_provider(session, report={"accepting_new_patients": True}) for _ in range(3))
    statements = []
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(session.get_bind(), "before_cursor_execute", listener)
    try:
        providers, unknown = load_providers(session, [c.id, 999, a.id, b.id])
        assert [p.id for p in providers] == [c.id, a.id, b.id]
        assert unknown == [999]
        assert providers[0].current_report.accepting_new_patients is True
    finally:
        event.remove(session.get_bind(), "before_cursor_execute", listener)
    assert len(statements) == 2  # the providers with their reports for all; their reports by medication
    assert load_providers(session, []) == ([], [])


def test_the_packet_model_says_what_to_ask(session):
    known = make_provider(session, payment=["medicaid"],
                          report={"accepting_new_patients": True, "wait_days": 3, "same_day_start": True,
                                  "age_days": 2})
    unknown = make_provider(session, payment=[], is_demo=True)
    session.expire_all()
    packet = build_packet(load_providers(session, [known.id, unknown.id])[0], [42])
    assert packet.ids == [known.id, unknown.id] and packet.unknown == [42]
    assert packet.any_demo and packet.printed_on is not None
    first, second = packet.items
    assert first.questions == ("insurance",)
    assert second.questions == ("openings", "wait", "cost", "same_day")
    assert questions_for(first.availability, first.provider) == first.questions


def test_a_stale_report_asks_again(session):
    stale = make_provider(session, report={"accepting_new_patients": True, "wait_days": 3, "age_days": 90})
    session.expire_all()
    item = build_packet(load_providers(session, [stale.id])[0]).items[0]
    assert item.availability.freshness.key == "stale"
    assert item.questions[0] == "openings"


def test_the_qr_code_is_an_inline_svg_without_style_attributes():
    svg = qr_svg("https://example.org/referrals?ids=1,2,3", title="Scan")
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert "viewBox" in svg and "<title>Scan</title>" in svg
    assert "style=" not in svg and "<?xml" not in svg
    assert qr_svg("https://example.org/referrals?ids=1,2") != svg
