"""gunicorn's settings for Telar: `gunicorn --config gunicorn.conf.py lms.wsgi` (README, Production).

The master imports Django, Wagtail and Telar once (``preload_app``; lms/wsgi.py also loads there what
every first request would load: the URL configuration, the templates, the catalogues), and the workers
are forked from it, sharing those pages copy-on-write. ``gc.freeze()`` just before each fork moves
every object the master made into the collector's permanent generation: a worker's collections then
never walk them, so they never write to (and so never copy) the pages the master's objects live on.
What each worker adds is measured by `python -m bench.workers` (PSS, /proc/<pid>/smaps_rollup).
"""

import gc

preload_app = True


def pre_fork(server, worker):
    gc.freeze()
