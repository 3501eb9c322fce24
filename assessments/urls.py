from django.urls import path

from . import views

app_name = "assessments"

urlpatterns = [
    path("<int:quiz_id>/", views.quiz_take, name="take"),
    path("<int:quiz_id>/print.pdf", views.quiz_print, name="print"),
    path("results/<int:attempt_id>/", views.attempt_result, name="result"),
    path("paper/", views.paper_index, name="paper_index"),
    path("paper/<int:cohort_id>/<int:quiz_id>/", views.paper_record, name="paper_record"),
]
