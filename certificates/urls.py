from django.urls import path

from . import views

app_name = "certificates"

urlpatterns = [
    path("", views.index, name="index"),
    path("verify/", views.verify, name="verify"),
    path("verify/<str:code>/", views.verify_code, name="verify_code"),
    path("mine/", views.mine, name="mine"),
    path("<int:pk>/pdf/", views.download, name="download"),
    path("cohorts/", views.cohorts, name="cohorts"),
    path("cohorts/<int:cohort_id>/", views.cohort, name="cohort"),
    path("cohorts/<int:cohort_id>/issue/<int:user_id>/", views.issue, name="issue"),
    path("cohorts/<int:cohort_id>/bundle/", views.bundle_create, name="bundle_create"),
    path("bundles/<int:pk>/", views.bundle, name="bundle"),
    path("bundles/<int:pk>/pdf/", views.bundle_pdf, name="bundle_pdf"),
]
