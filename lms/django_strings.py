"""Never called. Django's strings that its Spanish catalogue says with "usted" ("Su contraseña…") and that
staff read on their account page (issue 16: tú everywhere). Written here exactly as Django writes them so
that `make messages` keeps them in Telar's root catalogue (locale/), which LOCALE_PATHS puts before Django's.
A Python file and not templates/lms/wagtail_strings.html because one of them is a %(…)d plural."""

from django.utils.translation import gettext, ngettext


def _kept_in_the_catalogue() -> None:  # pragma: no cover - for makemessages only
    gettext("Your password can’t be too similar to your other personal information.")
    ngettext(
        "Your password must contain at least %(min_length)d character.",
        "Your password must contain at least %(min_length)d characters.",
        0,
    )
    gettext("Your password can’t be a commonly used password.")
    gettext("Your password can’t be entirely numeric.")
