"""Behind a proxy (COLLAB_TRUSTED_PROXIES), the address the limits count is the client's, not the proxy's: one
person's failed sign-ins must not lock everyone out. Without it, X-Forwarded-For is never believed, so a client
cannot dodge a limit by inventing addresses."""

from __future__ import annotations

import pytest

PROXY = {"REMOTE_ADDR": "10.0.0.2"}  # the load balancer, as the app sees it


def _sign_in(client, email, password, client_address):
    return client.post("/login", data={"email": email, "password": password},
                       headers={"X-Forwarded-For": client_address}, environ_base=PROXY)


@pytest.fixture
def app_config(request):
    return {"COLLAB_TRUSTED_PROXIES": request.param, "COLLAB_LOGIN_MAX_FAILURES_PER_ADDRESS": 2}


@pytest.mark.parametrize("app_config", [1], indirect=True)
def test_behind_a_trusted_proxy_one_address_s_failures_do_not_lock_out_another(client):
    for email in ("nobody@example.org", "someone@example.org"):
        assert _sign_in(client, email, "wrong", "203.0.113.7").status_code == 200
    # Past its limit, that address gets no second try at an email that failed from it...
    assert _sign_in(client, "someone@example.org", "wrong", "203.0.113.7").status_code == 429
    # ...while the same try from a colleague at another school is checked as usual.
    assert _sign_in(client, "someone@example.org", "wrong", "198.51.100.4").status_code == 200


@pytest.mark.parametrize("app_config", [0], indirect=True)
def test_without_trusted_proxies_a_forwarded_address_is_not_believed(client):
    for n, email in enumerate(("nobody@example.org", "someone@example.org")):
        assert _sign_in(client, email, "wrong", f"203.0.113.{n}").status_code == 200
    # Every try counted against the proxy's address: past its limit, and someone@ already failed from it.
    assert _sign_in(client, "someone@example.org", "wrong", "198.51.100.4").status_code == 429
