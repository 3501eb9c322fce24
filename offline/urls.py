from django.urls import path

from . import views

app_name = "offline"

urlpatterns = [
    path("", views.page, name="page"),
    path("manifest.webmanifest", views.manifest, name="manifest"),
    path("modules/<int:page_id>/", views.module, name="module"),
    path("sync/", views.sync, name="sync"),
]
