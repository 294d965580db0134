"""The data model: providers, where their records came from, their availability history,
API tokens and the remote-geocoder cache.

Sets of vocabulary terms (medications, payment, ...) are stored as one integer per set (see
`TermSet`), so "offers any of these" is a single bitwise test in SQL on SQLite and
PostgreSQL alike, with no join (see locator.search).

Availability is kept per medication. A report names one medication or none (all of the
provider's medications). The provider keeps pointers, moved only forward in time, to its
newest report for all (`current_report_id`) and to its newest report naming each medication
(`MedicationReport` rows); its availability for a medication is the latter, else the former.
"""

from __future__ import annotations

import re
import secrets
from datetime import UTC, date, datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    event,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

from locator import vocabulary
from locator.geo import geocell

AT_THE_DOOR = ("address", "point")  # precisions that place a provider where its door is
MAX_ID = 2**31 - 1  # the largest id an INTEGER primary key holds (PostgreSQL and SQLite alike)
# Notes a listing can carry about how the directory described it:
# - methadone_by_certification: a certified opioid treatment program (OTP) listed under methadone
#   without a methadone code: methadone is normally offered there; call to confirm;
# - marked_no_moud: the directory also marks it as not offering medication (NMOA/NOOP) although it
#   names a medication: the medication codes were believed.
DATA_NOTES = ("methadone_by_certification", "marked_no_moud")
WITHHELD_STREET = re.compile(r"[\s\-–—]*")  # empty, or dashes: the directory withholds the address
NOTE_MAX = 280  # characters of an availability report's note
HOURS_MAX = 100  # characters of walk-in hours ("Mon-Fri 6-9 am")


def utcnow() -> datetime:
    return datetime.now(UTC)


def find_provider(session, provider_id: int) -> Provider | None:
    """The provider with this id, or None. An id past MAX_ID names nobody, and is not sent to the
    database (PostgreSQL refuses it as out of range rather than finding nothing)."""
    return session.get(Provider, provider_id) if 0 < provider_id <= MAX_ID else None


class UTCDateTime(TypeDecorator):
    """Timezone-aware UTC datetimes on every engine (SQLite keeps no zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is not None:
            if value.tzinfo is None:
                raise ValueError("naive datetime given; use timezone-aware UTC")
            value = value.astimezone(UTC)
            if dialect.name == "sqlite":
                value = value.replace(tzinfo=None)
        return value

    def process_result_value(self, value, dialect):
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value


class TermSet(TypeDecorator):
    """A list of vocabulary keys stored as a bit mask (BigInteger)."""

    impl = BigInteger
    cache_ok = True

    def __init__(self, category: str):
        super().__init__()
        self.category = category

    def process_bind_param(self, value, dialect):
        if value is None:
            return 0
        if isinstance(value, int):
            return value
        return vocabulary.CATEGORIES[self.category].mask(value)

    def process_result_value(self, value, dialect):
        return vocabulary.CATEGORIES[self.category].unmask(value or 0)


class TextList(TypeDecorator):
    """A short list of names kept as one text, separated by LIST_SEPARATOR (never inside a
    name: importers split on it). Cheaper to read than JSON on every row of a results page."""

    impl = Text
    cache_ok = True
    SEPARATOR = ";"

    def process_bind_param(self, value, dialect):
        items = [str(v).replace(self.SEPARATOR, ",").strip() for v in (value or [])]
        return self.SEPARATOR.join(i for i in items if i)

    def process_result_value(self, value, dialect):
        return value.split(self.SEPARATOR) if value else []


class Base(DeclarativeBase):
    pass


class Provider(Base):
    __tablename__ = "providers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    name2: Mapped[str] = mapped_column(String(200), default="")
    street: Mapped[str] = mapped_column(String(200), default="")
    street2: Mapped[str] = mapped_column(String(200), default="")
    city: Mapped[str] = mapped_column(String(100), default="")
    state: Mapped[str] = mapped_column(String(2))
    zip: Mapped[str] = mapped_column(String(10), default="")
    latitude: Mapped[float] = mapped_column(Float)
    longitude: Mapped[float] = mapped_column(Float)
    geocode_precision: Mapped[str] = mapped_column(String(10), default="address")
    # Where the point came from when it is not the directory's own: a geocoder
    # ("geocoder:nominatim") or a file of coordinates (its name). Empty: the import placed it.
    location_source: Mapped[str] = mapped_column(String(120), default="")
    geocell: Mapped[int] = mapped_column(Integer, default=0)  # locator.geo.geocell
    # Derived from settings, indexed with state: telehealth serves a whole state.
    offers_telehealth: Mapped[bool] = mapped_column(Boolean, default=False)
    phone: Mapped[str] = mapped_column(String(40), default="")
    intake_phone: Mapped[str] = mapped_column(String(40), default="")
    website: Mapped[str] = mapped_column(String(300), default="")
    medications: Mapped[list[str]] = mapped_column(TermSet("medications"), default=list)
    medication_forms: Mapped[list[str]] = mapped_column(TermSet("medication_forms"), default=list)
    settings: Mapped[list[str]] = mapped_column(TermSet("settings"), default=list)
    payment: Mapped[list[str]] = mapped_column(TermSet("payment"), default=list)
    insurance_plans: Mapped[list[str]] = mapped_column(TextList, default=list)
    languages: Mapped[list[str]] = mapped_column(TermSet("languages"), default=list)
    services: Mapped[list[str]] = mapped_column(TermSet("services"), default=list)
    populations: Mapped[list[str]] = mapped_column(TermSet("populations"), default=list)
    # Intake facts from the directory (None: not known).
    walk_in: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    same_day_start: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    accepts_outside_moud: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    # Low-barrier facts: counselling required before a first dose (None: not known), and the
    # dosing hours of an opioid treatment program.
    counseling_required_to_start: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    hours: Mapped[str] = mapped_column(Text, default="")
    dosing_hours: Mapped[str] = mapped_column(String(200), default="")
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)
    county: Mapped[str] = mapped_column(String(100), default="")  # as the directory names it, for the desk
    # Where the desk's confirmation emails go, and in which language (en, es): never shown to the public.
    contact_email: Mapped[str] = mapped_column(String(254), default="")
    contact_language: Mapped[str] = mapped_column(String(5), default="en")
    # Set by the desk: a number staff found does not work, and a listing closed (hidden from search).
    phone_bad_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    closed_reason: Mapped[str] = mapped_column(String(200), default="")
    # What a person should know about how the listing was read (DATA_NOTES), worded by the web layer.
    data_notes: Mapped[list[str]] = mapped_column(TextList, default=list)
    current_report_id: Mapped[int | None] = mapped_column(
        ForeignKey("availability_reports.id", use_alter=True, name="fk_provider_current_report"),
        nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    sources: Mapped[list[ProviderSource]] = relationship(
        back_populates="provider", cascade="all, delete-orphan")
    current_report: Mapped[AvailabilityReport | None] = relationship(
        foreign_keys=[current_report_id], post_update=True, lazy="joined")
    reports: Mapped[list[AvailabilityReport]] = relationship(
        foreign_keys="AvailabilityReport.provider_id", back_populates="provider",
        cascade="all, delete-orphan", order_by="AvailabilityReport.reported_at.desc()",
        lazy="select")
    medication_reports: Mapped[list[MedicationReport]] = relationship(
        cascade="all, delete-orphan", lazy="selectin")

    # Search reads by grid cell, then latitude, inside the index (the table only for what is near).
    __table_args__ = (Index("ix_providers_cell_lat_lon", "geocell", "latitude", "longitude"),
                      Index("ix_providers_lat_lon", "latitude", "longitude"),
                      Index("ix_providers_state_telehealth", "state", "offers_telehealth"),
                      Index("ix_providers_updated_at", "updated_at"))  # the HSDS API's modified_after

    @property
    def telehealth(self) -> bool:
        return "telehealth" in self.settings

    @property
    def street_published(self) -> bool:
        """Whether the listing gives a street to go to (a withheld one is empty, or dashes)."""
        return not WITHHELD_STREET.fullmatch(self.street or "")

    def __repr__(self) -> str:
        return f"<Provider {self.id} {self.name!r} {self.city}, {self.state}>"


@event.listens_for(Provider, "before_insert")
@event.listens_for(Provider, "before_update")
def _derive_index_columns(_mapper, _connection, provider: Provider) -> None:
    provider.geocell = geocell(provider.latitude, provider.longitude)
    provider.offers_telehealth = "telehealth" in (provider.settings or [])


class ProviderSource(Base):
    """Where a provider record came from: (source, source_id) is unique, so re-imports update."""

    __tablename__ = "provider_sources"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    provider_id: Mapped[int] = mapped_column(ForeignKey("providers.id", ondelete="CASCADE"), index=True)
    source: Mapped[str] = mapped_column(String(60))
    source_id: Mapped[str] = mapped_column(String(120))
    content_hash: Mapped[str] = mapped_column(String(64), default="")
    first_seen: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    provider: Mapped[Provider] = relationship(back_populates="sources")

    __table_args__ = (UniqueConstraint("source", "source_id", name="uq_provider_sources_source_id"),)


class AvailabilityReport(Base):
    """One report of availability, for one medication (a vocabulary key) or for all of the
    provider's (None); never overwritten. None means "not said"."""

    __tablename__ = "availability_reports"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    provider_id: Mapped[int] = mapped_column(ForeignKey("providers.id", ondelete="CASCADE"))
    medication: Mapped[str | None] = mapped_column(String(20), nullable=True)
    accepting_new_patients: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    wait_days: Mapped[int | None] = mapped_column(Integer, nullable=True)
    walk_in: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    same_day_start: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    first_dose_at_first_visit: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    walk_in_hours: Mapped[str] = mapped_column(String(HOURS_MAX), default="")
    counseling_required_to_start: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    note: Mapped[str] = mapped_column(String(NOTE_MAX), default="")
    reported_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    reporter_kind: Mapped[str] = mapped_column(String(12))  # vocabulary.REPORTER_KINDS
    token_id: Mapped[int | None] = mapped_column(ForeignKey("api_tokens.id"), nullable=True)
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff_accounts.id"), nullable=True)  # the desk's

    provider: Mapped[Provider] = relationship(foreign_keys=[provider_id], back_populates="reports")

    __table_args__ = (Index("ix_reports_provider_time", "provider_id", "reported_at"),)


class MedicationReport(Base):
    """A provider's newest report naming `medication`: kept by locator.availability.add_report."""

    __tablename__ = "medication_reports"

    provider_id: Mapped[int] = mapped_column(ForeignKey("providers.id", ondelete="CASCADE"), primary_key=True)
    medication: Mapped[str] = mapped_column(String(20), primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("availability_reports.id", ondelete="CASCADE"))

    report: Mapped[AvailabilityReport] = relationship(lazy="joined")


class ApiToken(Base):
    """A provider's or a caseworker's token. Only the SHA-256 of the token is kept."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    provider_id: Mapped[int | None] = mapped_column(ForeignKey("providers.id", ondelete="CASCADE"),
                                                    nullable=True)
    staff_name: Mapped[str | None] = mapped_column(String(120), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class GeocodeAttempt(Base):
    """What `geocode-providers` asked about a provider's address and what came of it, so that an
    interrupted run resumes without asking again (only an `error` is asked again)."""

    __tablename__ = "geocode_attempts"

    provider_id: Mapped[int] = mapped_column(ForeignKey("providers.id", ondelete="CASCADE"), primary_key=True)
    address_key: Mapped[str] = mapped_column(String(64))  # SHA-256 of the address asked
    outcome: Mapped[str] = mapped_column(String(12))  # improved | unchanged | not_found | refused | error
    reason: Mapped[str] = mapped_column(String(200), default="")
    geocoder: Mapped[str] = mapped_column(String(60))
    asked_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class GeocodeCache(Base):
    """Remote geocoder answers by a hash of the normalised query; no client detail is kept."""

    __tablename__ = "geocode_cache"

    query_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    latitude: Mapped[float] = mapped_column(Float)
    longitude: Mapped[float] = mapped_column(Float)
    label: Mapped[str] = mapped_column(String(300))
    precision: Mapped[str] = mapped_column(String(10))
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)


BRIDGE_KINDS = ("telehealth_line", "ed_bridge", "access_line", "mobile")  # in the order they are shown


class Bridge(Base):
    """A way to start treatment today that is not a clinic near the person, for one state: an
    emergency-department bridge program, a 24/7 telehealth start line, a state access or
    navigation line, a mobile unit (BRIDGE_KINDS). Loaded with `import-bridges`."""

    __tablename__ = "bridges"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    state: Mapped[str] = mapped_column(String(2), index=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20))
    phone: Mapped[str] = mapped_column(String(40))
    hours: Mapped[str] = mapped_column(String(200), default="")
    medications: Mapped[list[str]] = mapped_column(TermSet("medications"), default=list)
    notes: Mapped[str] = mapped_column(String(500), default="")
    url: Mapped[str] = mapped_column(String(300), default="")
    verified_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)

    __table_args__ = (UniqueConstraint("state", "name", name="uq_bridges_state_name"),)


class TextConversation(Base):
    """Where a text-message conversation is, so that MORE can give the next places: kept under an
    HMAC of the sender's number (never the number), for an hour (locator.sms_state)."""

    __tablename__ = "text_conversations"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    language: Mapped[str] = mapped_column(String(5))
    # The place searched; None while only a language was chosen.
    latitude: Mapped[float | None] = mapped_column(Float, nullable=True)
    longitude: Mapped[float | None] = mapped_column(Float, nullable=True)
    state: Mapped[str] = mapped_column(String(2), default="")
    label: Mapped[str] = mapped_column(String(300), default="")
    precision: Mapped[str] = mapped_column(String(10), default="zip")
    medications: Mapped[list[str]] = mapped_column(TermSet("medications"), default=list)
    payment: Mapped[list[str]] = mapped_column(TermSet("payment"), default=list)
    page: Mapped[int] = mapped_column(Integer, default=1)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)


PROBLEM_KINDS = ("phone", "closed", "not_accepting", "medication", "payment", "other")
DETAILS_MAX = 500  # characters of a problem report's details


class ProblemReport(Base):
    """Something a member of the public says is wrong with a listing: a kind (PROBLEM_KINDS) and
    optional details, with the time. Nothing about who sent it is kept. Open until staff check it
    (`resolved_at`)."""

    __tablename__ = "problem_reports"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    provider_id: Mapped[int] = mapped_column(ForeignKey("providers.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    details: Mapped[str] = mapped_column(String(DETAILS_MAX), default="")
    reported_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class StaffAccount(Base):
    """A staff member who signs in to the verification desk (locator.staff). Only a scrypt hash of
    the password is kept. The four members below are what Flask-Login asks of a user object; the
    id it keeps in the session carries `session_nonce`, which signing out replaces, so that a copy
    of a signed-out session cookie opens nothing."""

    __tablename__ = "staff_accounts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)  # lower case
    name: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str] = mapped_column(String(255))
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    failed_sign_ins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    session_nonce: Mapped[str] = mapped_column(String(32), default=lambda: secrets.token_hex(16))

    is_authenticated = True
    is_anonymous = False

    @property
    def is_active(self) -> bool:
        return self.enabled

    def get_id(self) -> str:
        return f"{self.id}.{self.session_nonce}"
