"""People: the custom user, community centres, cohorts and artisan profiles."""

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.languages import interface_language
from core.storage import private_storage
from core.text import clean_text
from core.validators import validate_name


class User(AbstractUser):
    """The one user model: artisans, facilitators, editors and admins.

    Artisans sign in with a PIN on a shared device and carry an
    ArtisanProfile; staff sign in with a username and a strong password.
    """

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def clean(self) -> None:
        """Staff and artisans' names under the text policy (core.text), on every path that validates a user:
        the Wagtail user forms (a model form calls this) and ``people.services.artisan_account_create``.

        Names are stored in NFC without control characters or doubled spaces; reordering marks, which
        would print the name reversed in the admin and the logs, are refused with the name validator's
        message. No migration: the columns do not change.
        """
        super().clean()
        errors = {}
        for name in ("first_name", "last_name"):
            value = getattr(self, name) or ""
            try:
                validate_name(value)
            except ValidationError as error:
                if error.code == "bidi":
                    errors[name] = error
                    continue
            setattr(self, name, clean_text(value)[:150])
        if errors:
            raise ValidationError(errors)


class CommunityCentre(models.Model):
    """A community centre where artisans share devices and meet in person."""

    name = models.CharField(_("name"), max_length=150, unique=True, validators=[validate_name])
    municipality = models.CharField(_("municipality"), max_length=120, validators=[validate_name])
    state = models.CharField(_("state"), max_length=120, default="Chiapas")

    class Meta:
        ordering = ["name"]
        verbose_name = _("community centre")
        verbose_name_plural = _("community centres")

    def __str__(self) -> str:
        return self.name


class Cohort(models.Model):
    """One run of a programme at a centre, led by one or more facilitators.

    The programme is the default-language page (progress is counted on that tree, by translation
    key); a new edition of a programme is a new page, and a cohort already running keeps its own.
    """

    centre = models.ForeignKey(
        CommunityCentre, on_delete=models.PROTECT, related_name="cohorts", verbose_name=_("community centre")
    )
    # Null only for rows made outside the forms before a programme exists (the data migration
    # pointed every cohort at the programme of the time); such a cohort earns no certificate.
    programme = models.ForeignKey(
        "courses.ProgrammePage",
        on_delete=models.PROTECT,
        null=True,
        related_name="cohorts",
        verbose_name=_("programme"),
        limit_choices_to={"locale__language_code": settings.LANGUAGE_CODE},
        help_text=_("The programme this cohort takes. A cohort already running keeps its programme."),
    )
    name = models.CharField(_("name"), max_length=150, validators=[validate_name])
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    facilitators = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="facilitated_cohorts", blank=True, verbose_name=_("facilitators")
    )

    class Meta:
        ordering = ["centre__name", "-start_date", "name"]
        verbose_name = _("cohort")
        verbose_name_plural = _("cohorts")
        constraints = [
            models.UniqueConstraint(fields=["centre", "name"], name="cohort_unique_name_per_centre"),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="cohort_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.centre.name})"


class ArtisanProfile(models.Model):
    """What Telar knows about an artisan beyond her sign-in."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="artisan", verbose_name=_("user")
    )
    full_name = models.CharField(
        _("full name"),
        max_length=200,
        validators=[validate_name],
        help_text=_("Exactly as it must appear on the certificate."),
    )
    preferred_name = models.CharField(
        _("preferred name"),
        max_length=100,
        validators=[validate_name],
        help_text=_("The name she likes to be called on screen."),
    )
    preferred_language = models.CharField(
        _("preferred language"), max_length=10, choices=settings.PEOPLE_LANGUAGES, default=settings.LANGUAGE_CODE
    )
    # The centre is the cohort's: one source of truth, see the `centre` property.
    cohort = models.ForeignKey(Cohort, on_delete=models.PROTECT, related_name="artisans", verbose_name=_("cohort"))
    external_id = models.CharField(
        _("external id"), max_length=64, blank=True, help_text=_("Identifier used in the programme's spreadsheets.")
    )
    consent_given = models.BooleanField(_("consent to data processing"), default=False)
    consent_date = models.DateTimeField(_("consent date"), null=True, blank=True)
    privacy_notice_version = models.CharField(_("privacy notice version"), max_length=20, blank=True)
    # A small photo her facilitator took (people.services.set_artisan_photo: a WebP of at most 3 KB) for
    # the sign-in name screen. Personal data: private storage, no URL, served by people.views.sign_in_photo.
    photo = models.FileField(
        _("photo"), storage=private_storage, upload_to="artisan-photos/", blank=True, editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["cohort", "preferred_name"]
        verbose_name = _("artisan")
        verbose_name_plural = _("artisans")
        constraints = [
            models.UniqueConstraint(
                fields=["external_id"], condition=~Q(external_id=""), name="artisan_unique_external_id"
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    def save(self, *args, **kwargs) -> None:
        """Her current cohort is always also one of her enrolments (see ``Enrolment``).

        Here rather than in one service because every path that writes a profile (the admin form,
        the roster import through django-import-export, the demo, factories) must keep it true;
        an enrolment is never removed when she moves on: her earlier programmes stay hers.
        """
        super().save(*args, **kwargs)
        # One INSERT that does nothing when she is enrolled already (the unique constraint): no SELECT and
        # no savepoint per profile, which made a third of a 10,000-row roster confirmation.
        Enrolment.objects.bulk_create(
            [Enrolment(user_id=self.user_id, cohort_id=self.cohort_id)], ignore_conflicts=True
        )

    @property
    def interface_language(self) -> str:
        """Her language when Telar's interface speaks it, Spanish (the default) until it does."""
        return interface_language(self.preferred_language)

    @property
    def centre(self) -> CommunityCentre:
        return self.cohort.centre

    @property
    def initials(self) -> str:
        """Up to two letters: first name and first surname (the admin; sign-in shows her picture, people.pictures)."""
        words = [word for word in (self.full_name or self.preferred_name).split() if word[:1].isalpha()]
        if len(words) >= 2:
            return (words[0][0] + words[1][0]).upper()
        return (self.preferred_name or self.full_name)[:2].upper()

    @property
    def avatar_colour(self) -> str:
        """A stable colour per artisan (white text on it passes WCAG AA), to find her name without reading."""
        return AVATAR_COLOURS[(self.user_id or 0) % len(AVATAR_COLOURS)]


class Enrolment(models.Model):
    """An artisan in a cohort, and so in its programme: one row per cohort she has been in.

    Successive cohorts (the six workshops, then the second phase) are successive enrolments; her
    profile's ``cohort`` is the current one (sign-in, the facilitator's lists). "Her programmes" are
    the programmes of her enrolments' cohorts (``people.selectors.programme_enrolments``).
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enrolments", verbose_name=_("artisan")
    )
    cohort = models.ForeignKey(Cohort, on_delete=models.PROTECT, related_name="enrolments", verbose_name=_("cohort"))
    created_at = models.DateTimeField(_("enrolled at"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        constraints = [
            models.UniqueConstraint(fields=["user", "cohort"], name="enrolment_once_per_cohort"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.cohort_id}"


AVATAR_COLOURS = (
    "#8E3B46",
    "#1F6B3A",
    "#1D4E89",
    "#6B3FA0",
    "#8A4B00",
    "#0F6A6A",
    "#A3261B",
    "#4A5A12",
    "#9C2F6B",
    "#5A4640",
)


class PinCredential(models.Model):
    """An artisan's 4-digit PIN, hashed, and the lockout state of her account.

    Kept apart from ArtisanProfile so that no profile form, export or import
    can ever carry the hash. The lockout is counted here, per account and never
    per IP address: thirty women share one community centre's connection.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="pin", verbose_name=_("user")
    )
    pin_hash = models.CharField(_("PIN (hashed)"), max_length=128)
    failed_attempts = models.PositiveSmallIntegerField(_("wrong PINs in a row"), default=0)
    locked_until = models.DateTimeField(_("locked until"), null=True, blank=True)
    last_locked_at = models.DateTimeField(_("last locked at"), null=True, blank=True)
    wrong_since_unlock = models.PositiveSmallIntegerField(_("wrong PINs since she was last unlocked"), default=0)
    held = models.BooleanField(
        _("waits for her facilitator"), default=False, help_text=_("Locked until her facilitator unlocks it.")
    )
    changed_at = models.DateTimeField(_("PIN set at"), null=True, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("PIN set by"),
    )

    class Meta:
        verbose_name = _("PIN")
        verbose_name_plural = _("PINs")
        constraints = [
            models.CheckConstraint(condition=Q(failed_attempts__lte=5), name="pin_failed_attempts_at_most_5"),
            models.CheckConstraint(condition=Q(wrong_since_unlock__lte=15), name="pin_wrong_since_unlock_at_most_15"),
        ]

    def __str__(self) -> str:
        return str(self.user)
