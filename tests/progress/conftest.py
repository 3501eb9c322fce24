from tests.people.conftest import (  # noqa: F401 — shared fixtures
    ROLES,
    admin_user,
    artisan,
    cohort,
    editor,
    facilitator,
    role_client,
    sign_in_as,
)
