from tests.groups.conftest import forget_user_after_each_request, login_as  # noqa: F401  (shared helpers)
