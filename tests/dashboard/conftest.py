from tests.groups.conftest import login_as  # noqa: F401  (the same sign-in helper)
