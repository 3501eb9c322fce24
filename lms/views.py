"""Site-wide views: health check and the light error pages."""

from django.http import HttpResponse
from django.template.loader import get_template
from django.views import defaults
from django.views.decorators.http import require_GET

from .csp import inline_style_hash


@require_GET
def healthz(request):
    return HttpResponse("ok", content_type="text/plain")


def page_not_found(request, exception=None):
    return defaults.page_not_found(request, exception, template_name="404.html")


def server_error(request):
    # No request context: the database or a context processor may be what failed.
    html = get_template("500.html").render()
    response = HttpResponse(html, status=500)
    response._csp_update = {"style-src-elem": inline_style_hash(html)}  # its one <style>, by its hash
    return response
