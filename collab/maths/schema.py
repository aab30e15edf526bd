"""Which attributes the maths nodes of a co-edited document may hold: one validator per node (tag) name.

The document store calls `check_attribute` for every attribute value an incoming update writes on an XML element
(collab.realtime.ycheck finds them, with the element's tag); a validator raises `InvalidNode` (a ValueError) to
refuse the update, as malformed. Tags without a validator are not checked here.

A validator takes (key, value): the attribute's name and its value (str, int, float, bool, None, or a list/dict
for JSON values). Add one with `VALIDATORS[tag] = function`, in this file, beside the others.
"""

from __future__ import annotations

from collections.abc import Callable

from collab.maths import notation, representations


class InvalidNode(ValueError):
    """An attribute value that the node may not hold."""


Validator = Callable[[str, object], None]


def _maths(key: str, value: object) -> None:
    """inlineMath and blockMath (@tiptap/extension-mathematics): the formula is `latex`."""
    if key == "latex":
        try:
            notation.check(value)
        except notation.InvalidLatex as exc:
            raise InvalidNode(str(exc)) from exc


def _representation(key: str, value: object) -> None:
    """A bar model, double number line...: each parameter is its own attribute (collab.maths.representations)."""
    try:
        representations.check_attribute(key, value)
    except representations.InvalidAttribute as exc:
        raise InvalidNode(str(exc)) from exc


def _board_element(key: str, value: object) -> None:
    """One element of a workspace's whiteboard (an Excalidraw element as JSON: collab.workspace.elements)."""
    from collab.workspace import elements

    try:
        elements.check_attribute(key, value)
    except elements.InvalidElement as exc:
        raise InvalidNode(str(exc)) from exc


VALIDATORS: dict[str, Validator] = {
    "boardElement": _board_element,
    "inlineMath": _maths,
    "blockMath": _maths,
    representations.TAG: _representation,
}


def check_attribute(tag: str, key: str, value: object) -> None:
    """Raise InvalidNode unless an element named `tag` may hold `value` as its attribute `key`."""
    validator = VALIDATORS.get(tag)
    if validator is not None:
        validator(key, value)
