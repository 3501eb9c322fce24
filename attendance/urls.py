from django.urls import path

from . import views

app_name = "attendance"

urlpatterns = [
    path("", views.cohorts, name="cohorts"),
    path("cohorts/<int:cohort_id>/", views.cohort, name="cohort"),
    path("cohorts/<int:cohort_id>/import/", views.cohort_import, name="cohort_import"),
    path("cohorts/<int:cohort_id>/import/<uuid:job_id>/", views.import_job, name="import_job"),
    path("cohorts/<int:cohort_id>/import/<uuid:job_id>/confirm/", views.import_confirm, name="import_confirm"),
    path("cohorts/<int:cohort_id>/attendance.csv", views.cohort_export, {"fmt": "csv"}, name="cohort_csv"),
    path("cohorts/<int:cohort_id>/attendance.xlsx", views.cohort_export, {"fmt": "xlsx"}, name="cohort_xlsx"),
    path("sessions/<int:session_id>/", views.session, name="session"),
    path("sessions/<int:session_id>/sheet.pdf", views.session_sheet, name="session_sheet"),
    path("sessions/<int:session_id>/attendance.csv", views.session_export, {"fmt": "csv"}, name="session_csv"),
    path("sessions/<int:session_id>/attendance.xlsx", views.session_export, {"fmt": "xlsx"}, name="session_xlsx"),
]
