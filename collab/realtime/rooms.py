"""Room names (`<kind>:<id>`) and the registry of document kinds.

Every room is one shared Yjs document. A kind (plan, observation, devplan) registers a resolver that
says, for a signed-in user and an object id, which document it is and whether the user may edit it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from collab.web.lookups import parse_id

Access = Literal["edit", "read"]
Resolver = Callable[[Any, int], "tuple[int, Access] | None"]

_resolvers: dict[str, Resolver] = {}


@dataclass(frozen=True)
class ResolvedRoom:
    name: str
    kind: str
    object_id: int
    document_id: int
    access: Access


def register_kind(kind: str, resolve: Resolver) -> None:
    """resolve(user, object_id) -> (document_id, "edit" | "read"), or None when the user may not read it."""
    if not kind.isidentifier():
        raise ValueError(f"bad room kind {kind!r}")
    _resolvers[kind] = resolve


def registered_kinds() -> list[str]:
    return sorted(_resolvers)


def room_name(kind: str, object_id: int) -> str:
    return f"{kind}:{int(object_id)}"


def parse_room(name: object) -> tuple[str, int] | None:
    """("plan", 12) for "plan:12"; None for anything that is not a well-formed room name, or whose id no row
    can have (collab.web.lookups.MAX_ID)."""
    if not isinstance(name, str) or len(name) > 64:
        return None
    kind, sep, raw_id = name.partition(":")
    object_id = parse_id(raw_id) if sep else None
    return None if object_id is None else (kind, object_id)


def resolve_room(user: Any, name: object) -> ResolvedRoom | None:
    """The room's document and the user's access, or None (unknown kind, no such object, or not readable)."""
    parsed = parse_room(name)
    if parsed is None:
        return None
    kind, object_id = parsed
    resolve = _resolvers.get(kind)
    if resolve is None:
        return None
    found = resolve(user, object_id)
    if found is None:
        return None
    document_id, access = found
    return ResolvedRoom(room_name(kind, object_id), kind, object_id, document_id, access)
