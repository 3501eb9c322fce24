from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.conf.urls.static import static
from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from offline import views as offline_views
from people import staff_views

from . import pages, views

urlpatterns = [
    # Wagtail's login page is replaced by Telar's own staff sign-in (people.staff_views), `next` kept.
    path("admin/login/", staff_views.wagtail_login, name="wagtail_login_redirect"),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("healthz", views.healthz, name="healthz"),
    # The service worker lives at the root so that its scope is the whole site.
    path("sw.js", offline_views.service_worker, name="service_worker"),
]

if settings.DEBUG or getattr(settings, "SERVE_MEDIA", False):
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Everything a learner, facilitator or visitor sees is translated. Spanish,
# the default, has no prefix, so its URLs stay short and stable; English and
# any later language live under /<code>/.
urlpatterns += i18n_patterns(
    path("", include("people.urls")),
    path("staff/", include("people.staff_urls")),  # facilitators and staff: username and password
    path("progress/", include("progress.urls")),
    path("quizzes/", include("assessments.urls")),
    path("facilitator/", include("attendance.urls")),
    path("facilitator/", include("workspace.urls")),  # the cohort grid: progress, attendance, certificates
    path("certificates/", include("certificates.urls")),
    path("offline/", include("offline.urls")),
    # Every page URL, as Wagtail's own pattern and name, served with cached routing (lms/pages.py);
    # Wagtail's _util/ URLs (password-protected pages) stay Wagtail's.
    re_path(r"^(?!_util/)((?:[\w\-]+/)*)$", pages.serve, name="wagtail_serve"),
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)

handler404 = "lms.views.page_not_found"
handler500 = "lms.views.server_error"
