"""Hot read statements, compiled once per dialect and run with plain values.

Search runs the same two or three SELECTs for every request. SQLAlchemy rebuilds each
execution's parameters from the compiled statement (escaping, defaults, expanding lists,
each value through its type), which costs as much as SQLite's own work on these small
queries: about 80 us of a 160 us statement. `Prepared` does that bookkeeping once: it
compiles the Core statement for the connection's dialect, keeps the SQL text, the order of
its parameters, their fixed values and the type converters they need, then hands the
driver a ready tuple (or dict) through `Connection.exec_driver_sql`. That is still
SQLAlchemy's connection, so errors are wrapped and broken connections invalidated as for
any other statement.

Limits, kept on purpose: no expanding ("IN :list") parameters (give each value its own
bind parameter, and pad lists with `padded` to a few lengths); execution options such as
`schema_translate_map` are not applied. `execute` returns rows as the driver gives them;
`tuples` converts each value by its column's type (dates on SQLite, term sets).
"""

from __future__ import annotations

from typing import Any, Callable, NamedTuple

from sqlalchemy.engine import Connection
from sqlalchemy.sql import Select


class _Compiled(NamedTuple):
    sql: str
    names: tuple[str, ...]
    positional: bool
    fixed: dict[str, Any]  # parameters whose value is part of the statement
    convert: tuple[tuple[int, Callable], ...]  # (position, type converter) of the parameters that need one


class Prepared:
    def __init__(self, statement: Select):
        self.statement = statement
        self._by_dialect: dict[tuple, _Compiled] = {}
        self._results: dict[tuple, tuple] = {}  # (column index, converter) for the columns that need one

    def execute(self, connection: Connection, params: dict) -> list:
        """All rows as the driver returns them (attribute access by column label)."""
        return self._run(connection, params).all()

    def tuples(self, connection: Connection, params: dict) -> list[list]:
        """All rows as lists, each value converted by its column's type (as the ORM would)."""
        result = self._run(connection, params)
        key = _key(connection.dialect)
        converters = self._results.get(key)
        if converters is None:  # some converters depend on the type the driver reports
            converters = self._results[key] = _result_converters(self.statement, connection.dialect,
                                                                 result.cursor.description)
        out = []
        for row in result.all():
            row = list(row)
            for index, convert in converters:
                row[index] = convert(row[index])
            out.append(row)
        return out

    def _run(self, connection: Connection, params: dict):
        key = _key(connection.dialect)
        c = self._by_dialect.get(key)
        if c is None:
            c = self._by_dialect[key] = _compile(self.statement, connection.dialect)
        fixed = c.fixed
        values = [params[name] if name in params else fixed[name] for name in c.names]
        for index, convert in c.convert:
            values[index] = convert(values[index])
        arguments = tuple(values) if c.positional else dict(zip(c.names, values, strict=True))
        return connection.exec_driver_sql(c.sql, arguments)


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
    fixed, convert = {}, []
    for index, name in enumerate(names):
        bind = binds[name]
        if not bind.required:
            fixed[name] = bind.effective_value
        processor = bind.type.dialect_impl(dialect).bind_processor(dialect)
        if processor is not None:
            convert.append((index, processor))
    return _Compiled(compiled.string, names, compiled.positional, fixed, tuple(convert))


def _result_converters(statement: Select, dialect, description) -> tuple[tuple[int, Callable], ...]:
    columns = zip(statement.selected_columns, description, strict=True)
    return tuple((index, processor) for index, (column, described) in enumerate(columns)
                 if (processor := column.type.dialect_impl(dialect).result_processor(dialect, described[1])))
