// The post-lesson discussion's "Anticipated versus observed" table, live: it reads the observers' records it may
// read over the same real-time layer as the visit room (a read-only Yjs provider per record, _provider.js) and
// redraws the table as an observer tags an item or links a note (_obs-anticipated.js startTable). Without this
// script the page shows the table as it was when loaded. Configuration: <script id="anticipated-config">.
//
// The list of records follows the visit too: the script joins the visit room, and whenever the server says there
// that the records or their readers changed (visit:records, which names nothing but the visit), and on every
// (re)connection, it asks the server which record rooms it may read now (config.recordsUrl) and joins the new
// ones, so an observer who starts recording after the page was loaded appears without a reload. It never lists
// rooms itself: only those the server names, and each join is checked by the server again.
import * as Y from 'yjs'
import { Awareness } from 'y-protocols/awareness'
import { SocketIOProvider } from './_provider.js'
import { connectWhenOnline, followNetwork, openSocket } from './_socket.js'
import { startTable } from './_obs-anticipated.js'

/** A source of the table: one record, read over its own provider (not connected yet). */
function follow (record, onStatus) {
  const doc = new Y.Doc()
  const awareness = new Awareness(doc)
  awareness.setLocalState({ watching: true }) // no `user`: observers' presence lists leave us out
  const provider = new SocketIOProvider(record.room, doc, { awareness, onStatus })
  return { record, doc, provider, observer: { id: record.observerId, name: record.observer } }
}

function start () {
  const element = document.getElementById('anticipated-config')
  if (!element) return
  const config = JSON.parse(element.textContent)
  if (!config.records || !config.anticipated || !config.anticipated.length) return
  let table = null
  const redraw = () => { if (table) table.render() }
  const sources = config.records.map((r) => follow(r, redraw))
  // Drawn from the records only once every one of them has arrived and none was refused (the server's table
  // stays otherwise): a table drawn from some of them would undercount.
  const ready = () => sources.every((s) => s.provider.synced && !s.provider.error)
  table = startTable({ sources, config, ready })
  sources.forEach((s) => s.provider.connect())

  // The records the server lists now: new ones are joined, those no longer listed (no longer readable, or
  // removed from the visit) leave the table.
  const update = (records) => {
    const listed = new Set(records.map((r) => r.room))
    let changed = false
    for (let i = sources.length - 1; i >= 0; i--) {
      if (listed.has(sources[i].record.room)) continue
      sources[i].provider.destroy()
      sources.splice(i, 1)
      changed = true
    }
    records.forEach((r) => {
      if (sources.some((s) => s.record.room === r.room)) return
      const source = follow(r, redraw)
      sources.push(source)
      table.watch(source)
      source.provider.connect()
      changed = true
    })
    if (changed) redraw()
  }
  let asking = false
  let askAgain = false
  const refresh = () => {
    if (asking) { askAgain = true; return }
    asking = true
    fetch(config.recordsUrl, { credentials: 'same-origin', headers: { Accept: 'application/json' } })
      .then((response) => (response.ok ? response.json() : null))
      // records null: the table cannot follow them (one could not be joined); it stays as it is.
      .then((body) => { if (body && Array.isArray(body.records)) update(body.records) })
      .catch(() => {}) // offline: the next connection asks again
      .finally(() => {
        asking = false
        if (askAgain) { askAgain = false; refresh() }
      })
  }
  if (config.visitRoom && config.recordsUrl) {
    const visit = openSocket(undefined, config.visitRoom)
    visit.on('connect', () => visit.emit('visit:join', config.visitRoom, (ack) => { if (ack && ack.ok) refresh() }))
    visit.on('visit:records', (room) => { if (room === config.visitRoom) refresh() })
    followNetwork(visit)
    connectWhenOnline(visit)
  }

  const note = document.getElementById('anticipated-live-note')
  if (note) note.hidden = false // said only where it is true: with this script running
  window.collabDiscussionTable = { sources, table, refresh }
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start)
else start()
