from django.urls import path

from . import views

app_name = "progress"

urlpatterns = [
    path("", views.mine, name="mine"),
    path("lessons/<int:page_id>/done/", views.lesson_done, name="lesson_done"),
]
