"""What the groups domain announces to the others, so that they need not be imported here (they import groups).

`member_role_changed(group, user_id=...)`: sent after the commit that changed a member's role in `group` or
removed them from it; what that person may read elsewhere (a private lesson's notes) may have changed.
Receivers are connected where the app is put together (create_app, through each domain's init_app).
"""

from __future__ import annotations

from flask.signals import Namespace

member_role_changed = Namespace().signal("member-role-changed")
