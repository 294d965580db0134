"""Hot read statements, compiled once per dialect and run with plain values.

Search runs the same two or three SELECTs for every request. SQLAlchemy rebuilds each
execution's parameters from the compiled statement (escaping, defaults, expanding lists,
each value through its type) and describes each result's columns afresh, which together
cost more than SQLite's own work on these small queries. `Prepared` does that bookkeeping
once: it compiles the Core statement for the connection's dialect, keeps the SQL text, the
order of its parameters, their fixed values and the type converters of parameters and
columns, then runs a ready tuple (or dict) on a cursor of the connection's pooled DB-API
connection. A driver error goes through the Connection's own handler, as for any other
statement: it is wrapped as a `sqlalchemy.exc.DBAPIError`, `handle_error` events see it,
and a lost connection is invalidated (and the pool with it).

Limits, kept on purpose: no expanding ("IN :list") parameters (give each value its own
bind parameter, and pad lists with `padded` to a few lengths); execution options such as
`schema_translate_map` are not applied, nor are cursor events (`before_cursor_execute`) or
the engine's echo. `execute` returns rows as the driver gives them (tuples); `tuples`
converts each value by its column's type (dates on SQLite, term sets).
"""

from __future__ import annotations

from typing import Callable, NamedTuple

from sqlalchemy.engine import Connection
from sqlalchemy.sql import Select


class _Compiled(NamedTuple):
    sql: str
    names: tuple[str, ...]
    positional: bool
    values: tuple  # every parameter's value, by position: those fixed in the statement already converted
    given: tuple[tuple[int, str, Callable | None], ...]  # (position, name, type converter) of the others
    fixed_names: frozenset[str]


class Prepared:
    def __init__(self, statement: Select):
        self.statement = statement
        self._by_dialect: dict[tuple, _Compiled] = {}
        self._results: dict[tuple, tuple] = {}  # (column index, converter) for the columns that need one

    def execute(self, connection: Connection, params: dict) -> list:
        """All rows as the driver returns them."""
        return self._run(connection, params)[0]

    def tuples(self, connection: Connection, params: dict) -> list[list]:
        """All rows as lists, each value converted by its column's type (as the ORM would)."""
        rows, description = self._run(connection, params)
        key = _key(connection.dialect)
        converters = self._results.get(key)
        if converters is None:  # some converters depend on the type the driver reports
            converters = self._results[key] = _result_converters(self.statement, connection.dialect, description)
        out = []
        for row in rows:
            row = list(row)
            for index, convert in converters:
                row[index] = convert(row[index])
            out.append(row)
        return out

    def _run(self, connection: Connection, params: dict) -> tuple[list, tuple]:
        key = _key(connection.dialect)
        c = self._by_dialect.get(key)
        if c is None:
            c = self._by_dialect[key] = _compile(self.statement, connection.dialect)
        if not c.fixed_names.isdisjoint(params):
            raise ValueError(f"fixed in the statement, not a parameter: {sorted(params.keys() & c.fixed_names)}")
        values = list(c.values)
        for index, name, convert in c.given:
            values[index] = params[name] if convert is None else convert(params[name])
        arguments = tuple(values) if c.positional else dict(zip(c.names, values, strict=True))
        dbapi = connection.connection  # SQLAlchemy's own errors (closed, invalidated) come out as they are
        cursor = None
        try:
            cursor = dbapi.cursor()
            cursor.execute(c.sql, arguments)
            rows, description = cursor.fetchall(), cursor.description
            cursor.close()
        except BaseException as error:  # handed to SQLAlchemy, which wraps and re-raises it
            # The handler `exec_driver_sql` uses: wraps driver errors, fires handle_error, closes the
            # cursor, and invalidates the connection (and the pool) when it was lost or interrupted.
            connection._handle_dbapi_exception(error, c.sql, arguments, cursor, None)
        return rows, description


def padded(values: list) -> list:
    """`values` with its last one repeated up to the next power of two in length: as the values
    of an IN list (repeats change nothing there), a few statement variants serve every length."""
    size = 1 << (len(values) - 1).bit_length()
    return values + [values[-1]] * (size - len(values))


def _key(dialect) -> tuple:
    return type(dialect), dialect.paramstyle, dialect.server_version_info


def _compile(statement: Select, dialect) -> _Compiled:
    compiled = statement.compile(dialect=dialect)
    if compiled.literal_execute_params or compiled.post_compile_params:
        raise ValueError("Prepared statements take no expanding or literal-execute parameters")
    if compiled.escaped_bind_names:
        raise ValueError("Prepared statements need plain bind parameter names")
    binds = compiled.binds
    names = tuple(compiled.positiontup) if compiled.positional else tuple(binds)
    values, given = [], []
    for index, name in enumerate(names):
        bind = binds[name]
        processor = bind.type.dialect_impl(dialect).bind_processor(dialect)
        if bind.required:
            values.append(None)
            given.append((index, name, processor))
        else:  # a literal of the statement: converted once, here
            values.append(bind.effective_value if processor is None else processor(bind.effective_value))
    fixed = frozenset(name for name in names if not binds[name].required)
    return _Compiled(compiled.string, names, compiled.positional, tuple(values), tuple(given), fixed)


def _result_converters(statement: Select, dialect, description) -> tuple[tuple[int, Callable], ...]:
    columns = zip(statement.selected_columns, description, strict=True)
    return tuple((index, processor) for index, (column, described) in enumerate(columns)
                 if (processor := column.type.dialect_impl(dialect).result_processor(dialect, described[1])))
