"""Signing out cuts the sign-in's sockets on the real server (eventlet, as in production), a copied cookie's too."""

from __future__ import annotations

import re

import pytest
import socketio
from pycrdt import Text

from tests import factories
from tests.realtime.client import RealtimeClient
from tests.realtime.server import serving_a_plan
from tests.waiting import wait_for

pytestmark = pytest.mark.slow


def sign_out(client: RealtimeClient) -> None:
    page = client.http.get(f"{client.base_url}/", timeout=10)
    token = re.search(r'name="csrf-token" content="([^"]+)"', page.text).group(1)
    response = client.http.post(f"{client.base_url}/logout", data={"csrf_token": token}, timeout=10,
                                allow_redirects=False)
    assert response.status_code == 302


def test_signing_out_cuts_the_sockets_of_that_sign_in_and_of_a_copied_cookie(tmp_path):
    with serving_a_plan(tmp_path, "Signed-out plan") as (server, room):
        owner = RealtimeClient(server.url, room)
        assert owner.sign_in("lead@example.org", factories.PASSWORD)
        copied_cookie = owner.http.cookies["session"]
        owner.connect()
        copy = RealtimeClient(server.url, room)
        copy.use_cookie("session", copied_cookie)
        copy.connect()
        try:
            assert owner.join()["ok"] and copy.join()["ok"]
            assert copy.edit(lambda d: d.get("text", type=Text).insert(0, "before")) == {"ok": True}

            sign_out(owner)
            assert wait_for(lambda: not copy.sio.connected and not owner.sio.connected, timeout=1.0)

            again = RealtimeClient(server.url, room)
            again.use_cookie("session", copied_cookie)
            with pytest.raises(socketio.exceptions.ConnectionError):
                again.connect()
            assert "checking the sign-ins of open sockets failed" not in server.log_file.read_text()
        finally:
            owner.disconnect()
            copy.disconnect()
