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
import { connectWhenOnline, followNetwork, openSocket } from './_socket.js'
import { startTable } from './_obs-anticipated.js'
import { followVisitRecords, matchSources, readRecord } from './_visit-records.js'

function start () {
  const element = document.getElementById('anticipated-config')
  if (!element) return
  const config = JSON.parse(element.textContent)
  if (!config.records || !config.anticipated || !config.anticipated.length) return
  let table = null
  const redraw = () => { if (table) table.render() }
  const sources = config.records.map((r) => readRecord(r, redraw))
  // Drawn from the records only once every one of them has arrived and none was refused (the server's table
  // stays otherwise): a table drawn from some of them would undercount.
  const ready = () => sources.every((s) => s.provider.synced && !s.provider.error)
  table = startTable({ sources, config, ready })
  sources.forEach((s) => s.provider.connect())

  let refresh = () => {}
  // The records the server lists now: new ones are joined, those no longer listed (no longer readable, or
  // removed from the visit) leave the table.
  const update = (records) => {
    const changed = matchSources(sources, records, {
      open: (r) => {
        const source = readRecord(r, redraw)
        table.watch(source)
        source.provider.connect()
        return source
      },
      close: (source) => source.provider.destroy()
    })
    if (changed) redraw()
  }
  if (config.visitRoom && config.recordsUrl) {
    const visit = openSocket(undefined, config.visitRoom)
    // records null: the table cannot follow them (one could not be joined); it stays as it is.
    const ask = followVisitRecords(visit, config.visitRoom, config.recordsUrl,
      (body) => { if (Array.isArray(body.records)) update(body.records) })
    visit.on('connect', () => visit.emit('visit:join', config.visitRoom, (ack) => { if (ack && ack.ok) ask() }))
    followNetwork(visit)
    connectWhenOnline(visit)
    refresh = ask
  }

  const note = document.getElementById('anticipated-live-note')
  if (note) note.hidden = false // said only where it is true: with this script running
  window.collabDiscussionTable = { sources, table, refresh }
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start)
else start()
