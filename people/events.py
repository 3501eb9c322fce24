"""What people announce (through `core.events`, after commit): artisans created or changed by a roster import."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ArtisansImported:
    """A roster import created or changed these artisans (emitted by `reports.services.roster_import`)."""

    user_ids: tuple[int, ...]
