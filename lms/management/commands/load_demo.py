import os

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from lms.demo import FACILITATOR, load_demo_people
from people.naming import name_labels
from people.services import staff_user_ensure

# Where each demo login starts: Telar's staff sign-in (people.staff_views), then a facilitator lands in
# her workspace (/facilitator/) and the admin and the editor in Wagtail (/admin/) (issue 16).
STAFF_START = "/staff/sign-in/"

DEMO_ADMIN = ("admin", "telar-admin-demo")
DEMO_EDITOR = ("editora", "telar-editora-demo")


class Command(BaseCommand):
    help = (
        "Create the demo accounts, centre, cohort and artisans (idempotent) and print how to sign in. "
        "Refuses outside DEBUG without --force."
    )

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Run even when DEBUG is off.")

    def handle(self, *args, **options):
        if not settings.DEBUG and not options["force"]:
            raise CommandError("Demo accounts have known passwords; use --force to create them outside DEBUG.")
        _admin, created_admin = staff_user_ensure(
            username=DEMO_ADMIN[0], password=DEMO_ADMIN[1], superuser=True, first_name="Admin"
        )
        _editor, created_editor = staff_user_ensure(
            username=DEMO_EDITOR[0], password=DEMO_EDITOR[1], groups=("Editors",), first_name="Editora"
        )
        people = load_demo_people()
        created = int(created_admin) + int(created_editor) + len(people.created)
        self.stdout.write(self.style.SUCCESS(f"Demo accounts and people: {created} created, the rest already there."))
        self.stdout.write("")
        self.stdout.write(f"Demo sign-in (http://127.0.0.1:{os.environ.get('PORT', '8000')}):")
        self.stdout.write(
            f"  Admin        {STAFF_START}  user {DEMO_ADMIN[0]!r}  password {DEMO_ADMIN[1]!r}  (lands in /admin/)"
        )
        self.stdout.write(
            f"  Editor       {STAFF_START}  user {DEMO_EDITOR[0]!r}  password {DEMO_EDITOR[1]!r}  (lands in /admin/)"
        )
        self.stdout.write(
            f"  Facilitator  {STAFF_START}  user {FACILITATOR[0]!r}  password {FACILITATOR[1]!r}"
            f"  (lands in /facilitator/: her sessions, cohorts, artisans and PINs, attendance, grid)"
        )
        self.stdout.write(
            f"  Artisans     /sign-in/ → {people.centre.name} → {people.cohort.name} → tap her name → PIN:"
        )
        self._write_pins(people.artisans)
        if people.second_cohort is not None:
            self.stdout.write(
                f"  Second programme  /sign-in/ → {people.centre.name} → {people.second_cohort.name} → her name → PIN:"
            )
            self._write_pins(people.second_artisans)
            if people.in_both is not None:
                self.stdout.write(
                    f"  In both programmes: {people.in_both.full_name} signs in with {people.cohort.name};"
                    " her home and Mi avance show both."
                )

    def _write_pins(self, artisans) -> None:
        """Her label on the name screen, her PIN and her full name, in the order the screen lists them."""
        labels = name_labels([profile for profile, _pin in artisans])
        for profile, pin in sorted(artisans, key=lambda item: labels[item[0].pk]):
            self.stdout.write(f"               {labels[profile.pk]:<12} PIN {pin}   ({profile.full_name})")
