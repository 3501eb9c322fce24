"""Mounted under /facilitator/ beside the attendance pages (lms/urls.py), so the paths read as one workspace."""

from django.urls import path

from . import views

app_name = "workspace"

urlpatterns = [
    path("cohorts/<int:cohort_id>/progress/", views.cohort_progress, name="cohort_progress"),
    path("cohorts/<int:cohort_id>/artisans/", views.artisans, name="artisans"),
    path("artisans/<int:profile_id>/", views.artisan, name="artisan"),
]
