import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings.production")

application = get_wsgi_application()

# What each first request would load, loaded here: with gunicorn's --preload, once for all workers (lms/warmup.py).
from lms.warmup import warm_up  # noqa: E402

warm_up()
