"""The "exploring maths together" workspace: a session's task, shared whiteboard and what the group noticed, in
one shared Yjs document (room kind "workspace"), with PNG snapshots of the board kept in the session's record."""
