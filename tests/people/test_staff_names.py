"""Staff names through the text policy (core.text): the Wagtail user forms and every validated user (issue 13)."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from people.models import User
from people.services import artisan_account_create

pytestmark = pytest.mark.django_db


def add_user(client, **names):
    data = {
        "username": "coordinadora",
        "email": "coordinadora@example.org",
        "password1": "una-contraseña-larga-y-segura-2026",
        "password2": "una-contraseña-larga-y-segura-2026",
        "first_name": "",
        "last_name": "",
        **names,
    }
    return client.post(reverse("wagtailusers_users:add"), data)


def test_a_staff_name_typed_in_the_admin_is_stored_clean_and_kept_exactly(client, admin_user):
    client.force_login(admin_user)
    decomposed = "Mari\u0301a"  # "María" with a combining accent, as some keyboards send it
    response = add_user(client, first_name=f"  {decomposed}\x07  Loxa\u02bc ", last_name="Ñuñez\u200b  Santiz\x1b")
    assert response.status_code == 302, response.content.decode()[:2000]
    user = User.objects.get(username="coordinadora")
    assert user.first_name == "María Loxaʼ"  # NFC, the saltillo kept, the bell and spaces gone
    assert user.last_name == "Ñuñez Santiz"


def test_a_staff_name_that_would_print_reversed_is_refused_with_a_message(client, admin_user):
    client.force_login(admin_user)
    response = add_user(client, first_name="Ana", last_name="\u202ezeuR")
    assert response.status_code == 200
    assert "cambian el orden" in response.content.decode()
    assert not User.objects.filter(username="coordinadora").exists()


def test_every_validated_user_gets_the_policy():
    user = User(username="x-staff", first_name="Eva\x00 ", last_name="Ruiz\t\tGómez")
    user.set_unusable_password()
    user.full_clean()
    assert (user.first_name, user.last_name) == ("Eva", "Ruiz Gómez")
    user.last_name = "\u2067Ruiz"
    with pytest.raises(ValidationError) as error:
        user.full_clean()
    assert "last_name" in error.value.message_dict
    assert artisan_account_create(preferred_name="Xunka\u02bc\x1b").first_name == "Xunkaʼ"
