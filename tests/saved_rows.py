"""Data that is slow to build through the app, saved as the rows it wrote and written again in one transaction.

Building the world (15 commits, each expiring what the next reads back) took ~100 ms a test; loading the demo
(hundreds of rows through the services, a commit each) 0.4 s on SQLite and 1-2 s on PostgreSQL. Each is built once
per database and per process, read back table by table, and each later test that wants it gets the same rows (the
same ids and values) written into its emptied database."""

from __future__ import annotations

import time
from datetime import date, datetime

from sqlalchemy import Table, text

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
            key = table.autoincrement_column
            if db.engine.dialect.name == "postgresql" and key is not None:
                # Rows written with their ids leave the id sequence behind (it restarts when the schema is made
                # again): move it past them, as building them did.
                db.session.execute(text(f"SELECT setval(pg_get_serial_sequence('\"{table.name}\"', '{key.name}'), "
                                        f'(SELECT max("{key.name}") FROM "{table.name}"))'))
        db.session.commit()


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
