"""Imports every model so SQLAlchemy and Alembic see the whole schema."""

from collab.accounts.models import Invitation, LoginAttempt, PasswordReset, User  # noqa: F401
from collab.activity.models import Activity  # noqa: F401
from collab.cycles.models import *  # noqa: F401,F403
from collab.devplans.delivery.models import *  # noqa: F401,F403
from collab.devplans.models import *  # noqa: F401,F403
from collab.discussions.models import AgreedAction, DiscussionThread, Post  # noqa: F401
from collab.groups.models import Department, Hub, Membership, School, WorkGroup, WorkGroupSchool  # noqa: F401
from collab.library.models import *  # noqa: F401,F403
from collab.observations.models import *  # noqa: F401,F403
from collab.plans.models import *  # noqa: F401,F403
from collab.realtime.models import *  # noqa: F401,F403
from collab.reports.models import *  # noqa: F401,F403
from collab.search.models import *  # noqa: F401,F403
from collab.sessions.models import Attendance, GroupSession  # noqa: F401
from collab.workspace.models import *  # noqa: F401,F403
