"""SQLite writers queue on one lock file (core.sqlite): held for a write transaction, never for a read.

Real connections to the suite's SQLite file, in real threads; nothing here runs on PostgreSQL,
whose writers do not share a file.
"""

import fcntl
import os
import threading

import pytest
from django.db import OperationalError, connection, connections, transaction

from people.models import Cohort
from tests.factories import CohortFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "sqlite", reason="the lock file is SQLite's"),
]


def lock_path() -> str:
    return f"{connection.settings_dict['NAME']}-writer.lock"


def lock_is_free() -> bool:
    fd = os.open(lock_path(), os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    else:
        fcntl.flock(fd, fcntl.LOCK_UN)
        return True
    finally:
        os.close(fd)


def test_a_write_transaction_holds_the_lock_until_it_commits():
    assert lock_is_free()
    with transaction.atomic():
        CohortFactory(name="Grupo del candado")
        assert not lock_is_free()
    assert lock_is_free()
    assert Cohort.objects.filter(name="Grupo del candado").exists()


def test_a_rolled_back_transaction_gives_the_lock_back():
    with pytest.raises(ZeroDivisionError), transaction.atomic():
        CohortFactory(name="Grupo que no queda")
        1 / 0  # noqa: B018
    assert lock_is_free()
    assert not Cohort.objects.filter(name="Grupo que no queda").exists()


def test_reads_and_savepoints_take_no_second_turn():
    CohortFactory(name="Grupo leído")
    assert list(Cohort.objects.values_list("name", flat=True)) == ["Grupo leído"]
    assert lock_is_free()
    with transaction.atomic():
        with transaction.atomic():  # a savepoint inside: the same turn, no deadlock with itself
            CohortFactory(name="Grupo anidado")
        assert not lock_is_free()
    assert lock_is_free()


def test_a_writer_waits_for_the_one_before_it_and_then_writes():
    first_in = threading.Event()
    release = threading.Event()
    order = []

    def first():
        with transaction.atomic():
            CohortFactory(name="Primero")
            first_in.set()
            release.wait(timeout=10)
            order.append("first commits")
        connections["default"].close()

    def second():
        first_in.wait(timeout=10)
        with transaction.atomic():
            order.append("second starts")
            CohortFactory(name="Segundo")
        connections["default"].close()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    first_in.wait(timeout=10)
    assert not lock_is_free()
    release.set()
    for thread in threads:
        thread.join(timeout=30)
    assert order == ["first commits", "second starts"]
    assert set(Cohort.objects.values_list("name", flat=True)) == {"Primero", "Segundo"}
    assert lock_is_free()


def test_a_writer_that_never_gets_its_turn_fails_as_sqlite_would_and_writes_nothing():
    fd = os.open(lock_path(), os.O_RDWR | os.O_CREAT, 0o600)
    fcntl.flock(fd, fcntl.LOCK_EX)  # another process's writer that does not finish
    errors = []

    def impatient():
        own = connections["default"]  # this thread's own connection, with a short timeout
        own.settings_dict = {**own.settings_dict, "OPTIONS": {**own.settings_dict["OPTIONS"], "timeout": 0.2}}
        try:
            with transaction.atomic():
                CohortFactory(name="Grupo que esperó demasiado")
        except OperationalError as error:
            errors.append(error)
        finally:
            own.close()

    try:
        thread = threading.Thread(target=impatient)
        thread.start()
        thread.join(timeout=30)
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)
    assert [str(error) for error in errors] == ["database is locked"]
    assert not Cohort.objects.filter(name="Grupo que esperó demasiado").exists()
    assert lock_is_free()
