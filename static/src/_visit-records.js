// Following a visit's records: the server sends `visit:records` to the visit room (`visit:<id>`) when a record is
// added or removed or who may read the records changes, and names nothing but the visit. A page then asks its own
// endpoint which records this person may read now (the visit room: GET /visits/<id>/room-records; the discussion
// page: GET /sessions/<id>/discussion/anticipated-records). It never works the list out itself.

import * as Y from 'yjs'
import { Awareness } from 'y-protocols/awareness'
import { SocketIOProvider } from './_provider.js'

/** One record (as the server lists it: { id, room, observer, observerId }) to read live, over its own provider,
 * not connected yet. Watching, not observing: the awareness state has no `user`, so observers' presence lists
 * leave us out, but observers answer with who they are (the visit room's "observing now"). */
export function readRecord (record, onStatus) {
  const doc = new Y.Doc()
  const awareness = new Awareness(doc)
  awareness.setLocalState({ watching: true })
  const provider = new SocketIOProvider(record.room, doc, { awareness, onStatus })
  return { record, doc, awareness, provider, observer: { id: record.observerId, name: record.observer } }
}

/**
 * Calls onAnswer(body) with the JSON `url` answers, whenever `visit:records` comes for `room` on `socket` and
 * whenever the returned ask() is called (the page calls it after each (re)join of the visit room, so nothing
 * missed while offline is lost). A question asked while one is on its way is asked once more after it: the
 * answer then includes whatever changed meanwhile. A failed question is dropped (the next connection asks).
 */
export function followVisitRecords (socket, room, url, onAnswer) {
  let asking = false
  let askAgain = false
  const ask = () => {
    if (asking) { askAgain = true; return }
    asking = true
    fetch(url, { credentials: 'same-origin', headers: { Accept: 'application/json' } })
      .then((response) => (response.ok ? response.json() : null))
      .then((body) => { if (body) onAnswer(body) })
      .catch(() => {}) // offline: the next connection asks again
      .finally(() => {
        asking = false
        if (askAgain) { askAgain = false; ask() }
      })
  }
  socket.on('visit:records', (at) => { if (at === room) ask() })
  return ask
}

/**
 * Brings `sources` (each `{ record, ... }`, one per record room the page reads) in line with `records` (the
 * server's answer, each with its `room`): a source no longer listed (no longer readable, or removed from the
 * visit) is closed with close(source) and taken out; a record newly listed gets open(record), which returns its
 * source, pushed at the end. Returns whether anything changed.
 */
export function matchSources (sources, records, { open, close }) {
  const listed = new Set(records.map((r) => r.room))
  let changed = false
  for (let i = sources.length - 1; i >= 0; i--) {
    if (listed.has(sources[i].record.room)) continue
    close(sources[i])
    sources.splice(i, 1)
    changed = true
  }
  records.forEach((r) => {
    if (sources.some((s) => s.record.room === r.room)) return
    sources.push(open(r))
    changed = true
  })
  return changed
}
