"""The profile page: name, password, school and Work Groups."""

from __future__ import annotations

from tests import factories

NEW_PASSWORD = "a brand new passphrase"


def change_password(client, current: str = factories.PASSWORD, new: str = NEW_PASSWORD):
    return client.post("/profile", data={"password-current_password": current, "password-password": new,
                                         "password-confirm": new, "password-submit": "Change password"})


def test_the_profile_asks_an_anonymous_visitor_to_sign_in(client):
    assert client.get("/profile").headers["Location"].startswith("/login")


def test_the_profile_shows_school_and_work_groups(client, auth, world):
    auth.login()
    html = client.get("/profile").get_data(as_text=True)
    assert "Castle Hill Academy" in html
    assert "NCP24-14b" in html
    assert "Work Group Lead" in html


def test_changing_the_name_saves_it(client, auth, world):
    auth.login()
    response = client.post("/profile", data={"profile-name": "Sam Leader", "profile-submit": "Save name"})
    assert response.status_code == 302
    assert world.lead.name == "Sam Leader"


def test_changing_the_password_needs_the_current_one(client, auth, world):
    auth.login()
    response = change_password(client, current="not my password")
    assert response.status_code == 200
    assert "Your current password is not right." in response.get_data(as_text=True)
    auth.logout()
    assert auth.login(password=factories.PASSWORD).status_code == 302


def test_changing_the_password_keeps_this_device_signed_in(client, auth, world):
    auth.login()
    assert change_password(client).status_code == 302
    assert client.get("/profile").status_code == 200


def test_changing_the_password_signs_out_other_devices(app, client, auth, world):
    other_device = app.test_client()
    other_device.post("/login", data={"email": "lead@example.org", "password": factories.PASSWORD})
    auth.login()
    change_password(client)
    assert other_device.get("/profile").status_code == 302


def test_the_new_password_works_for_signing_in(client, auth, world):
    auth.login()
    change_password(client)
    auth.logout()
    assert auth.login(password=NEW_PASSWORD).status_code == 302


def test_guessing_the_current_password_is_rate_limited(client, auth, world):
    auth.login()
    for _ in range(5):
        change_password(client, current="wrong guess")
    assert change_password(client).status_code == 429
