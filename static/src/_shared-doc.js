// Opens one shared Yjs document the way every page does: a Doc with awareness, synced over Socket.IO,
// kept offline in IndexedDB, with the save state shown and a warning before closing with unsaved changes.
import * as Y from 'yjs'
import { IndexeddbPersistence } from 'y-indexeddb'
import { Awareness } from 'y-protocols/awareness'
import { SocketIOProvider } from './_provider.js'
import { bindSaveState, warnBeforeUnload } from './_savestate.js'

export function openSharedDocument ({ room, user, storageKey }) {
  const doc = new Y.Doc()
  const awareness = new Awareness(doc)
  awareness.setLocalStateField('user', { id: user.id, name: user.name, color: user.color })
  let refresh = () => {}
  const provider = new SocketIOProvider(room, doc, { awareness, onStatus: () => refresh() })
  const saveState = document.getElementById('save-state')
  if (saveState) refresh = bindSaveState(saveState, provider)
  warnBeforeUnload(provider)
  // The local copy: edits survive a reload and a lost connection.
  const persistence = new IndexeddbPersistence(storageKey, doc)
  provider.ignoreOrigins.add(persistence)
  // refresh() repaints the save state (pages call it once they are set up).
  return { doc, awareness, provider, persistence, refresh: () => refresh() }
}

// Shows a message in an element (hidden when empty), for errors the page must tell the person about.
export function messenger (id) {
  const element = document.getElementById(id)
  return (text) => { if (element) { element.textContent = text; element.hidden = !text } }
}
