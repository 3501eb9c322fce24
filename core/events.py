"""One hook for side effects: a recording service announces what it recorded; subscribers act after commit.

The contract, in full:

- **Events** are small frozen dataclasses defined by the app that records the
  fact (``progress.events.LessonCompleted``, ``assessments.events.QuizAttemptRecorded``
  …). They carry ids, never model instances: a handler reads fresh rows after
  the commit, and an event says nothing that could go stale.
- **Emitting** is explicit: the service that writes calls ``emit(event)`` once
  it has written, inside its own transaction. Never from ``Model.save()`` nor
  a model signal: a reader of the service sees the side effect it starts.
  A service emits only for what it really changed (a repeated tap that records
  nothing emits nothing), so an offline write replayed twice announces once.
- **Subscribing** happens in the subscriber's ``AppConfig.ready()``:
  ``subscribe(LessonCompleted, handler)``. Handlers are plain functions taking
  the event; the registry is explicit and small, and ``handlers_for()`` says who
  listens (docs/ARCHITECTURE.md lists them).
- **After commit**: ``emit`` schedules each handler with
  ``transaction.on_commit(..., robust=True)``. The handler runs once the
  outermost transaction has committed (at once when there is none), so it never
  holds the recording's locks (on SQLite, the database's one write lock), and
  if the transaction rolls back — including a savepoint around the write — the
  handler never runs. A handler that raises is logged by Django and skipped:
  the recording is already safe and the other handlers still run.
- Slow work (a PDF render, a bundle) does not belong in a handler: the handler
  decides and writes rows, then enqueues a django-tasks task after its own
  commit (``certificates.tasks``).

Tests: pytest-django's ``django_capture_on_commit_callbacks(execute=True)`` runs
the handlers of a ``db`` test; a ``transactional_db`` test sees the real commit.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable
from typing import Any, TypeVar

from django.db import transaction

logger = logging.getLogger(__name__)

E = TypeVar("E")
Handler = Callable[[Any], None]

_handlers: dict[type, list[Handler]] = defaultdict(list)


def subscribe(event_type: type[E], handler: Callable[[E], None]) -> None:
    """Run `handler(event)` after the commit of every transaction that emits an `event_type`.

    Subscribing the same handler twice keeps one (``ready()`` may run again in tests).
    """
    if handler not in _handlers[event_type]:
        _handlers[event_type].append(handler)


def unsubscribe(event_type: type[E], handler: Callable[[E], None]) -> None:
    """Stop calling `handler` for `event_type` (tests that add a handler of their own remove it)."""
    if handler in _handlers[event_type]:
        _handlers[event_type].remove(handler)


def handlers_for(event_type: type) -> list[Handler]:
    """Who listens to `event_type`, in the order they subscribed."""
    return list(_handlers.get(event_type, ()))


def emit(event: object, *, using: str | None = None) -> None:
    """Announce `event`: each of its handlers runs after the current transaction commits."""
    for handler in handlers_for(type(event)):
        transaction.on_commit(_delivery(handler, event), using=using, robust=True)


def _delivery(handler: Handler, event: object) -> Callable[[], None]:
    def deliver() -> None:
        logger.debug("%s → %s", event, handler.__qualname__)
        handler(event)

    # Django names the callback when it logs a failure: say which handler and which event.
    deliver.__qualname__ = f"{handler.__module__}.{handler.__qualname__}({type(event).__name__})"
    return deliver
