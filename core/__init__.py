"""Telar's foundations, below every domain app: what several apps need and none of them owns.

Nothing here imports a Telar app (import-linter's layers contract in pyproject.toml holds it).
"""
