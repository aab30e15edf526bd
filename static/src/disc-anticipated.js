// The post-lesson discussion's "Anticipated versus observed" table, live: it reads the observers' records it may
// read over the same real-time layer as the visit room (a read-only Yjs provider per record, _provider.js) and
// redraws the table as an observer tags an item or links a note (_obs-anticipated.js startTable). Without this
// script the page shows the table as it was when loaded. Configuration: <script id="anticipated-config">.
import * as Y from 'yjs'
import { Awareness } from 'y-protocols/awareness'
import { SocketIOProvider } from './_provider.js'
import { startTable } from './_obs-anticipated.js'

function start () {
  const element = document.getElementById('anticipated-config')
  if (!element) return
  const config = JSON.parse(element.textContent)
  if (!config.records || !config.records.length || !config.anticipated || !config.anticipated.length) return
  let table = null
  const sources = config.records.map((r) => {
    const doc = new Y.Doc()
    const awareness = new Awareness(doc)
    awareness.setLocalState({ watching: true }) // no `user`: observers' presence lists leave us out
    const provider = new SocketIOProvider(r.room, doc, {
      awareness,
      onStatus: () => { if (table) table.render() }
    })
    return { record: r, doc, provider, observer: { id: r.observerId, name: r.observer } }
  })
  // Drawn from the records only once every one of them has arrived and none was refused (the server's table
  // stays otherwise): a table drawn from some of them would undercount.
  const ready = () => sources.every((s) => s.provider.synced && !s.provider.error)
  table = startTable({ sources, config, ready })
  sources.forEach((s) => s.provider.connect())
  const note = document.getElementById('anticipated-live-note')
  if (note) note.hidden = false // said only where it is true: with this script running
  window.collabDiscussionTable = { sources, table }
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start)
else start()
