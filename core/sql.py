"""Names for the few reads Telar writes as SQL: the hot ones, where the ORM took longer to build a query
than the database took to answer it (issue 17). Each such read says so in its docstring, with what it saved.

Only names come from here, quoted for the connection's database; every value is a parameter.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from types import MappingProxyType

from django.db import connections, router
from django.db.models import Model


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
