from django.urls import path

from . import views

app_name = "people"

urlpatterns = [
    path("sign-in/", views.sign_in, name="sign_in"),
    path("sign-in/centre/<int:centre_id>/", views.sign_in_centre, name="sign_in_centre"),
    path("sign-in/cohort/<int:cohort_id>/", views.sign_in_cohort, name="sign_in_cohort"),
    path("sign-in/artisan/<int:user_id>/", views.sign_in_pin, name="sign_in_pin"),
    path("sign-in/photo/<str:token>/", views.sign_in_photo, name="sign_in_photo"),
    path("sign-out/", views.sign_out, name="sign_out"),
]
