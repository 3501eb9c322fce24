"""Telar's measured budgets: a realistic data set, page weights and query counts, load and PDF timings.

`make bench` runs `python -m bench.run` (bench/measure.py measures), which writes bench/RESULTS.md. The data
set lives in its own SQLite file under var/bench/ (never the development database).
"""
