"""Staff sign-in (people.staff_views), mounted at /staff/ in lms/urls.py."""

from django.urls import path

from . import staff_views

app_name = "staff"

urlpatterns = [
    path("sign-in/", staff_views.staff_sign_in, name="sign_in"),
]
