"""Names for the few reads Telar writes as SQL: the hot ones, where the ORM took longer to build a query
than the database took to answer it (issue 17). Each such read says so in its docstring, with what it saved.

Only names come from here, quoted for the connection's database; every value is a parameter.
"""

from __future__ import annotations

import functools
import uuid
from collections.abc import Mapping
from types import MappingProxyType
from typing import TypeVar

from django.db import connections, router
from django.db.models import Model

M = TypeVar("M", bound=Model)


@functools.cache
def names(model: type[Model], alias: str) -> tuple[str, Mapping[str, str]]:
    """The model's table and each concrete field's column (by field name), quoted for this database: worked
    out once per model and database in each worker (the names are fixed for its life); shared, never changed."""
    quote = connections[alias].ops.quote_name
    meta = model._meta
    columns = {field.name: quote(str(field.column)) for field in meta.concrete_fields}
    return quote(meta.db_table), MappingProxyType(columns)


def marks(count: int) -> str:
    """``%s, %s, …``: the placeholders of an IN list of `count` values."""
    return ", ".join(["%s"] * count)


def read_alias(model: type[Model]) -> str:
    """The database a read of this model goes to (the router's choice, as the ORM would make it)."""
    return router.db_for_read(model)


def fetch(model: type[Model], sql: str, params: list) -> list[tuple]:
    """Run one read on the model's database and return its rows."""
    with connections[read_alias(model)].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


@functools.cache
def _columns(
    model: type[Model], alias: str, fields: tuple[str, ...] | None
) -> tuple[tuple[str, ...], tuple, tuple[str, ...]]:
    """The fields read (all concrete ones by default): their attribute names, each column with the converters
    the ORM would apply to it, and the quoted column names."""
    connection = connections[alias]
    meta = model._meta
    # In the model's order whatever the order asked: ``Model.from_db`` fills the fields it is given in that order.
    wanted = None if fields is None else {meta.get_field(name) for name in fields}
    chosen = [field for field in meta.concrete_fields if wanted is None or field in wanted]
    converted = []
    for field in chosen:
        column = field.get_col(meta.db_table)
        converters = connection.ops.get_db_converters(column) + column.get_db_converters(connection)
        converted.append((column, tuple(converters)))
    quoted = tuple(connection.ops.quote_name(str(field.column)) for field in chosen)
    return tuple(field.attname for field in chosen), tuple(converted), quoted


def attnames(model: type[Model], alias: str, fields: tuple[str, ...] | None = None) -> tuple[str, ...]:
    """The attribute names of the model's concrete fields (or those of ``fields``) in the order ``instance``
    and ``Model.from_db`` read them."""
    return _columns(model, alias, fields)[0]


def columns(model: type[Model], alias: str, prefix: str, fields: tuple[str, ...] | None = None) -> str:
    """``prefix.col1, prefix.col2, …``: the model's concrete columns (or those of ``fields``), in the order
    ``instance`` reads them."""
    return ", ".join(f"{prefix}.{column}" for column in _columns(model, alias, fields)[2])


def converted(model: type[Model], alias: str, values, fields: tuple[str, ...] | None = None) -> list:
    """One row's values for ``columns(model, …, fields)``, converted as the ORM converts them (booleans and dates
    on SQLite, say)."""
    connection = connections[alias]
    row = []
    for value, (column, converters) in zip(values, _columns(model, alias, fields)[1], strict=True):
        for converter in converters:
            value = converter(value, column, connection)
        row.append(value)
    return row


def instance(model: type[M], alias: str, values, fields: tuple[str, ...] | None = None) -> M:
    """A model instance from one row's values for ``columns(model, …, fields)``: the object the ORM would return
    (``.only(*fields)``'s, with ``fields``)."""
    return model.from_db(alias, attnames(model, alias, fields), converted(model, alias, values, fields))


def key(value) -> uuid.UUID:
    """A UUID column's value as the database gives it (32 hex digits from SQLite, a UUID already from
    PostgreSQL), as a UUID. The keys read on every page are the few hundred of the pages and quizzes, each
    parsed once per worker (``_parsed``, bounded): a woman's lessons done are read as keys on every lesson and
    Mi avance, and parsing them took a third of that read (issue 17)."""
    return value if isinstance(value, uuid.UUID) else _parsed(value)


@functools.lru_cache(maxsize=4096)
def _parsed(text: str) -> uuid.UUID:
    return uuid.UUID(text)
