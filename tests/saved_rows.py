"""Data that is slow to build through the app, saved as the rows it wrote and written again in one transaction.

Building the world (15 commits, each expiring what the next reads back) took ~100 ms a test; loading the demo
(hundreds of rows through the services, a commit each) 0.4 s on SQLite and 1-2 s on PostgreSQL. Each is built once
per database and per process, read back table by table, and each later test that wants it gets the same rows (the
same ids and values) written into its emptied database."""

from __future__ import annotations

import time
from collections.abc import Callable, Hashable
from datetime import date, datetime
from typing import Any

from sqlalchemy import Table, inspect, select, text

from collab.extensions import Base, db
from collab.timeutil import LONDON


class SavedRows:
    """Every row in the database now (which held nothing else), to write again into an empty one."""

    def __init__(self) -> None:
        self.rows: list[tuple[Table, list[dict]]] = []
        for table in Base.metadata.sorted_tables:  # parents before children
            # In key order: a row that points at another row of its table (a reply) comes after it.
            rows = [dict(row._mapping) for row in db.session.execute(table.select().order_by(*table.primary_key))]
            if rows:
                self.rows.append((table, rows))
        db.session.commit()

    def write(self) -> None:
        for table, rows in self.rows:
            db.session.execute(table.insert(), rows)
        if db.engine.dialect.name == "postgresql":
            # Rows written with their ids leave the id sequences behind (they restart when the schema is made
            # again): move each past them, as building them did (one statement: one round trip).
            moves = [f"setval(pg_get_serial_sequence('\"{table.name}\"', '{key.name}'), "
                     f'(SELECT max("{key.name}") FROM "{table.name}"))'
                     for table, _ in self.rows if (key := table.autoincrement_column) is not None]
            if moves:
                db.session.execute(text(f"SELECT {', '.join(moves)}"))
        db.session.commit()


class SavedObjects:
    """The rows a set-up wrote (SavedRows) and the ones it names (a world's people, a plan), found again by type
    and id once the rows are written; other named values (ids, labels) are kept as they are."""

    def __init__(self, named: dict[str, Any]) -> None:
        self.rows = {name: (type(value), value.id) for name, value in named.items() if _is_row(value)}
        self.values = {name: value for name, value in named.items() if not _is_row(value)}
        self.saved = SavedRows()

    def write(self) -> dict[str, Any]:
        self.saved.write()
        loaded: dict[tuple[type, int], object] = {}
        for model in {model for model, _ in self.rows.values()}:  # one query per model, not one per row
            ids = [id_ for kind, id_ in self.rows.values() if kind is model]
            loaded.update(((model, row.id), row) for row in db.session.scalars(select(model).where(model.id.in_(ids))))
        return {**self.values, **{name: loaded[key] for name, key in self.rows.items()}}


def _is_row(value: object) -> bool:
    return inspect(value, raiseerr=False) is not None


_built: dict[tuple[str, Hashable], SavedObjects] = {}


def built_once(key: Hashable, build: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    """build() into this test's empty database the first time for this database and key: the values it names
    (rows, ids). Later tests get the same rows written again, and the values named, found in them."""
    url = str(db.engine.url)
    saved = _built.get((url, key))
    if saved is not None:
        return saved.write()
    named = build()
    _built[(url, key)] = SavedObjects(named)
    return named


# The demo: its times follow the clock (today's visit began about 45 minutes before it was loaded), so a saved
# demo is loaded again on a new day, and after DEMO_KEPT_FOR seconds, to stay as a fresh load would make it.
DEMO_KEPT_FOR = 600.0
_demos: dict[str, tuple[date, float, SavedRows]] = {}


def write_demo() -> None:
    """load_demo() into this test's empty database: loaded through the app once per database (and day), its rows
    written again for the tests after."""
    from collab.demo.load import load_demo

    key = str(db.engine.url)
    today = datetime.now(LONDON).date()
    saved = _demos.get(key)
    if saved is not None and saved[0] == today and time.monotonic() - saved[1] < DEMO_KEPT_FOR:
        saved[2].write()
        return
    assert load_demo(), "the demo loads into an empty database only"
    _demos[key] = (today, time.monotonic(), SavedRows())
