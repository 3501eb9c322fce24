from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from people.services import staff_user_ensure

DEMO_ADMIN = ("admin", "telar-admin-demo")
DEMO_EDITOR = ("editora", "telar-editora-demo")


class Command(BaseCommand):
    help = "Create the demo accounts (idempotent) and print how to sign in. Refuses outside DEBUG without --force."

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
        created = int(created_admin) + int(created_editor)
        self.stdout.write(self.style.SUCCESS(f"Demo accounts: {created} created."))
        self.stdout.write("")
        self.stdout.write("Demo sign-in (http://127.0.0.1:8000):")
        self.stdout.write(f"  Admin   /admin/  user {DEMO_ADMIN[0]!r}  password {DEMO_ADMIN[1]!r}")
        self.stdout.write(f"  Editor  /admin/  user {DEMO_EDITOR[0]!r}  password {DEMO_EDITOR[1]!r}")
