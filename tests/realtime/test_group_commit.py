"""The group commit (collab.realtime.group_commit): how a follower waits, and that no sender waits for good."""

from __future__ import annotations

import threading
import time

from collab.realtime.group_commit import GroupCommit, Submission, WakeUp


def test_senders_left_unanswered_by_a_failing_commit_are_told_it_failed():
    """A commit that raises before answering its batch (a bug, the cache failing) must not leave anyone waiting:
    the leader gets the exception, and a follower in the same batch is told its update was not saved."""
    entered, release = threading.Event(), threading.Event()

    def commit_batch(batch: list[Submission]) -> None:
        entered.set()
        release.wait(10)
        raise RuntimeError("the cache broke")

    commits = GroupCommit(commit_batch)
    leader, follower = Submission(1, b"a", None, 1), Submission(1, b"b", None, 2)
    raised: list[BaseException] = []

    def lead() -> None:
        try:
            commits.wait_for(leader)
        except RuntimeError as exc:
            raised.append(exc)

    commits.enqueue(leader)
    commits.enqueue(follower)
    leading = threading.Thread(target=lead, daemon=True)
    leading.start()
    assert entered.wait(5)  # the leader holds the commit lock and is committing both in one batch
    following = threading.Thread(target=commits.wait_for, args=(follower,), daemon=True)
    following.start()
    release.set()
    leading.join(5)
    following.join(5)
    assert not following.is_alive(), "the follower was never answered"
    assert [str(exc) for exc in raised] == ["the cache broke"]
    assert follower.done and isinstance(follower.error, RuntimeError) and follower.update_id is None


def test_a_wake_up_is_kept_until_waited_for_and_never_missed():
    """The follower's wait: a wake-up set before the wait is not lost, several count as one, and a wait with none
    times out."""
    wake = WakeUp()
    started = time.monotonic()
    wake.wait(0.05)
    assert time.monotonic() - started >= 0.04  # nothing set: waits the whole bound
    wake.set()
    wake.set()
    started = time.monotonic()
    wake.wait(5)
    assert time.monotonic() - started < 1  # set before the wait: returns at once
    started = time.monotonic()
    wake.wait(0.05)
    assert time.monotonic() - started >= 0.04  # the two sets were one wake-up, already taken
    threading.Timer(0.05, wake.set).start()
    started = time.monotonic()
    wake.wait(5)
    assert time.monotonic() - started < 1  # set from another thread while waiting
