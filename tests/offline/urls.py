"""The site's URLs plus uploaded media, for the browser tests (live_server serves static files, not media)."""

from django.conf import settings
from django.urls import re_path
from django.views.static import serve

from lms.urls import handler404, handler500  # noqa: F401
from lms.urls import urlpatterns as site_urlpatterns

urlpatterns = [
    re_path(r"^media/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT}),
    *site_urlpatterns,
]
