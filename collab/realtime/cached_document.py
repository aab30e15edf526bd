"""One open shared document as the store caches it: what the log holds, and what is waiting for its commit."""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from pycrdt import Doc, Transaction

from collab.realtime import doclog
from collab.realtime.ycheck import ParentIndex, Summary, decode_state_vector
from collab.realtime.yupdates import clone


@dataclass
class CachedDocument:
    """One open document. Which rows of the log it holds is tracked by id, not by "everything up to the
    highest id seen": on PostgreSQL ids come from a sequence when a row is inserted, so another process's
    transaction can commit a LOWER id after a higher one is already visible. So:
    - every row with id <= `floor` is applied (or folded into the snapshot `snapshot_id`, also applied);
    - `applied` holds the ids above `floor` already applied; a refresh reads the ids above `floor` and fetches
      only the rows not in it;
    - `seen` remembers (when, highest id then visible); `floor` only moves up to an id seen visible at least
      the refresh window before a refresh began (see DocumentStore.refresh), so `applied` stays small.
    """

    document_id: int
    committed: Doc
    shadow: Doc | None = None  # built by `writable()` on the first write
    shadow_txn: Transaction | None = None  # open while updates wait for their commit (see `writable`)
    applied: set[int] = field(default_factory=set)
    floor: int = 0
    snapshot_id: int | None = None
    seen: deque[tuple[float, int]] = field(default_factory=deque)
    lock: threading.RLock = field(default_factory=threading.RLock)
    in_flight: dict[int, bytes] = field(default_factory=dict)
    since_compaction: int = 0
    # The document's size in bytes as the store counts it against COLLAB_MAX_DOCUMENT_BYTES: its encoding when
    # loaded (or measured again after a compaction), plus every update applied since. Yjs merges what it holds,
    # so this only over-counts: a document is never let grow past the limit.
    size: int = 0
    size_measured_at: float = -1e9
    used_at: float = field(default_factory=time.monotonic)
    # The live document's state vector, decoded (collab.realtime.ycheck checks every update against it), and
    # the encoded form it was decoded from: decoded again only when the live document has changed.
    _known: dict[int, int] = field(default_factory=dict)
    _known_from: bytes | None = None
    _parents: ParentIndex | None = None
    _looked_again_at: float = -1e9

    @property
    def live(self) -> Doc:
        """What connections are served: committed plus the updates queued for commit."""
        return self.shadow if self.shadow is not None else self.committed

    def writable(self) -> Doc:
        """The shadow, copied from `committed` on the first write (a document only read never pays for the
        copy: ~11 ms for 1 MB), with a transaction open on it. Call with the lock held.

        Updates validated between two group commits are applied in that one transaction, closed by `settle`
        when they are committed. Closing a Yrs transaction squashes the new items into their neighbours, which
        costs time in proportion to the text they join: someone appending to a long run of their own text
        (one person typing alone, a pasted page) paid ~120 us per update at 200 KB, ~4 us in batches of 64.
        Reads (`get_update`, `get_state`) inside the open transaction see every update applied so far."""
        if self.shadow is None:
            self.shadow = clone(self.committed)
        if self.shadow_txn is None:
            self.shadow_txn = self.shadow.transaction()
            self.shadow_txn.__enter__()
        return self.shadow

    def known_clocks(self) -> dict[int, int]:
        """{client: next clock} of the live document (call with the lock held)."""
        state = self.live.get_state()
        if state != self._known_from:
            self._known = decode_state_vector(state)
            self._known_from = state
        return self._known

    def parents(self) -> ParentIndex:
        """Which items of the live document may be a parent (collab.realtime.ycheck; built on first need)."""
        if self._parents is None:
            self._parents = ParentIndex(lambda: self.live.get_update())
        return self._parents

    def may_look_again(self, now: float, every: float) -> bool:
        """Whether an out-of-sync update may read the log for what it lacks (at most once per `every` s)."""
        with self.lock:
            if now - self._looked_again_at < every:
                return False
            self._looked_again_at = now
            return True

    def took(self, summary: Summary) -> None:
        """A strictly checked update was applied to the live document (lock held): its state vector and parent
        index learn what it added, so the next update is checked without decoding the whole state vector again
        (one entry per browser session that ever opened the document)."""
        for client, (_start, end) in summary.ranges.items():
            self._known[client] = max(self._known.get(client, 0), end)
        self._known_from = self.live.get_state()
        self.parents().add(summary)

    def forget_parents(self) -> None:
        self._parents = None

    def take_rows(self, rows: Sequence[Any]) -> set[int]:
        """Apply log rows another process committed (lock held) to `committed` and the shadow; returns the ids of
        those left waiting for what they build on. The parent index, once built, learns what each row adds (as
        `took` does) and answers the rows' own checks (the live document holds at least what `committed` does):
        it is not rebuilt from the whole document for them (~50 ms a MB, what every refresh bringing another
        process's edits used to cost the next attribute update)."""
        parents = self._parents
        if parents is None or not parents.built:
            # Built from the live document only if a row needs it, then kept: it holds the rows too.
            parents = ParentIndex(lambda: self.live.get_update(), source_lags=True)
        waiting = {row.id for row in doclog.apply_log(self.committed, rows, self.document_id, parents).waiting}
        self.size += sum(len(row.data) for row in rows)
        if self.shadow is not None:
            doclog.apply_log(self.shadow, rows, self.document_id, parents)
        if parents.built:
            self._parents = parents
        return waiting

    def settle(self) -> None:
        """Close the shadow's open transaction, if any (call with the lock held)."""
        txn, self.shadow_txn = self.shadow_txn, None
        if txn is not None:
            txn.__exit__(None, None, None)

    def mark_applied(self, ids: Iterable[int]) -> None:
        self.applied.update(i for i in ids if i > self.floor)

    def saw(self, update_id: int, at: float) -> None:
        """`update_id` was committed and visible at monotonic time `at` (call with the lock held)."""
        if not self.seen or update_id > self.seen[-1][1]:
            self.seen.append((at, update_id))

    def advance_floor(self, began: float, window: float) -> None:
        """A refresh that began at `began` read every row above `floor` then visible: every id up to one seen
        visible `window` seconds before that was committed by then (its transaction took less than the
        window), so it has been applied. Call with the lock held, after applying what the refresh read."""
        floor = self.floor
        while self.seen and self.seen[0][0] <= began - window:
            floor = max(floor, self.seen.popleft()[1])
        if floor > self.floor:
            self.floor = floor
            self.applied = {i for i in self.applied if i > floor}
