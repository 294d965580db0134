"""Engine and sessions: one engine per app, one session per request (closed at teardown).

The domain core receives a plain SQLAlchemy `Session`; only this module knows about Flask's
request cycle. `make_engine()` also serves scripts and benchmarks that run without Flask.

Every wait on the database has a deadline, `DATABASE_TIMEOUT` seconds (default 5): for a free
connection in the pool, for connecting (PostgreSQL's connect_timeout, at least 2 s in libpq's
rules; SQLite's busy timeout, the wait for a write lock), and for each statement (PostgreSQL's
statement_timeout; TCP's user timeout when the server stops acknowledging). Past it the
statement fails with an OperationalError, which pages answer with 503 and the helpline
(locator.web.errors); the next request tries again, so the service recovers by itself.
"""

from __future__ import annotations

import math
import sqlite3
from pathlib import Path

from flask import Flask, current_app, g
from sqlalchemy import create_engine, event, func, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from locator import desk_models  # noqa: F401  (its tables belong to Base's metadata)
from locator.models import Base, Provider

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
FIRST_REVISION = "0001"


DEFAULT_TIMEOUT = 5.0


def make_engine(url: str, timeout: float = DEFAULT_TIMEOUT, **kwargs) -> Engine:
    """An engine whose every wait on the database ends after `timeout` seconds."""
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1] if "///" in url else ""
        if path and path != ":memory:" and not path.startswith("file:"):
            Path(path).parent.mkdir(parents=True, exist_ok=True)
            kwargs.setdefault("pool_timeout", timeout)  # an in-memory database has no queue of connections
        kwargs.setdefault("connect_args", {"check_same_thread": False, "timeout": timeout})
    else:
        kwargs.setdefault("pool_pre_ping", True)
        kwargs.setdefault("connect_args", {
            "connect_timeout": max(1, math.ceil(timeout)),
            "options": f"-c statement_timeout={round(timeout * 1000)}",
            "tcp_user_timeout": round(timeout * 1000),
            "keepalives": 1, "keepalives_idle": 30, "keepalives_interval": 5, "keepalives_count": 3})
        kwargs.setdefault("pool_timeout", timeout)
    # A statement's values can be a searched place (search binds its coordinates): errors and
    # logs say "[SQL parameters hidden]" instead of showing them.
    kwargs.setdefault("hide_parameters", True)
    engine = create_engine(url, **kwargs)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    _ensure_math_functions(dbapi_connection)
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA cache_size=-65536")  # 64 MB of page cache per connection
    cursor.execute("PRAGMA mmap_size=268435456")
    cursor.execute("PRAGMA temp_store=MEMORY")
    cursor.close()


def _ensure_math_functions(dbapi_connection) -> None:
    """Search computes distances in SQL. SQLite builds without its math functions get
    Python ones (slower, same results)."""
    try:
        dbapi_connection.execute("SELECT sin(0), cos(0), asin(0), sqrt(1), radians(0)")
    except sqlite3.OperationalError:
        for name, fn in (("sin", math.sin), ("cos", math.cos), ("asin", math.asin), ("sqrt", math.sqrt),
                         ("radians", math.radians)):
            dbapi_connection.create_function(name, 1, fn, deterministic=True)


def create_schema(engine: Engine) -> None:
    """Create every table that does not exist yet (idempotent). Tests use this; `migrate` is
    the production path, and a test holds the two to the same schema."""
    Base.metadata.create_all(engine)


def alembic_config(connection=None):
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def migrate(engine: Engine, revision: str = "head") -> None:
    """Bring the schema to `revision` with Alembic. A database made by `create_schema` before
    migrations existed is stamped at the first revision, then upgraded."""
    from alembic import command
    from sqlalchemy import inspect

    with engine.begin() as connection:
        config = alembic_config(connection)
        tables = set(inspect(connection).get_table_names())
        if "providers" in tables and "alembic_version" not in tables:
            command.stamp(config, FIRST_REVISION)
        command.upgrade(config, revision)


def checkpoint(engine: Engine) -> None:
    """After a large write on SQLite, fold the write-ahead log into the database file, so that
    readers stop paying for looking pages up in a long log. Harmless elsewhere."""
    if engine.dialect.name == "sqlite":
        with engine.connect() as connection:
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")


def provider_count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Provider)) or 0


def init_app(app: Flask) -> None:
    engine = make_engine(app.config["DATABASE_URL"], app.config.get("DATABASE_TIMEOUT") or DEFAULT_TIMEOUT)
    app.extensions["locator.engine"] = engine
    app.extensions["locator.sessionmaker"] = sessionmaker(engine, expire_on_commit=False)
    # A request's session ends with the request, even where an outer app context outlives it.
    app.teardown_request(_close_session)
    app.teardown_appcontext(_close_session)


def get_engine() -> Engine:
    return current_app.extensions["locator.engine"]


def new_session() -> Session:
    """A session the caller owns (CLI commands, background work)."""
    return current_app.extensions["locator.sessionmaker"]()


def get_session() -> Session:
    """The session of the current request or app context."""
    if "db_session" not in g:
        g.db_session = new_session()
    return g.db_session


def _close_session(_exc) -> None:
    session = g.pop("db_session", None)
    if session is not None:
        session.close()
