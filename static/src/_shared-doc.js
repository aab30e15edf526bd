// Opens one shared Yjs document the way every page does: a Doc with awareness, synced over Socket.IO,
// kept offline in IndexedDB, with the save state shown and a warning before closing with unsaved changes.
import * as Y from 'yjs'
import { IndexeddbPersistence } from 'y-indexeddb'
import { Awareness } from 'y-protocols/awareness'
import { SocketIOProvider } from './_provider.js'
import { showSaveState } from './_socket.js'
import { SIGNING_OUT, noteUnsent, rememberDatabase } from './_local-data.js'

/** photos(): how many photos are queued on the device for this document (observation records), for the save
 * state. */
export function openSharedDocument ({ room, user, storageKey, photos = () => 0 }) {
  const doc = new Y.Doc()
  const awareness = new Awareness(doc)
  awareness.setLocalStateField('user', { id: user.id, name: user.name, color: user.color })
  let refresh = () => {}
  let keeping = true // until the device is cleared at sign-out
  const onStatus = (p) => { refresh(); if (keeping) noteUnsent(room, p.waiting, p.connected) } // for signout.js
  const provider = new SocketIOProvider(room, doc, { awareness, onStatus })
  const saveState = document.getElementById('save-state')
  if (saveState) refresh = showSaveState(saveState, () => Object.assign({ photos: photos() }, provider.saveState))
  warnBeforeUnload(provider)
  // The local copy: edits survive a reload and a lost connection.
  rememberDatabase(storageKey)
  const persistence = new IndexeddbPersistence(storageKey, doc)
  provider.ignoreOrigins.add(persistence)
  // Signing out (here or in another tab) clears the device: stop writing to it first. Whoever signed out was
  // told about changes not sent yet (signout.js), so nothing waits for them any more.
  const stopKeeping = () => {
    if (!keeping) return
    keeping = false
    persistence.destroy()
    provider.destroy()
    provider.pending.clear()
  }
  window.addEventListener(SIGNING_OUT, stopKeeping)
  window.addEventListener('storage', (event) => { if (event.key === SIGNING_OUT && event.newValue) stopKeeping() })
  // refresh() repaints the save state (pages call it once they are set up).
  return { doc, awareness, provider, persistence, refresh: () => refresh() }
}

function warnBeforeUnload (provider) {
  window.addEventListener('beforeunload', (event) => {
    if (provider.waiting > 0) {
      event.preventDefault()
      event.returnValue = '' // older browsers need a value to show their "leave site?" dialog
    }
  })
}

// Shows a message in an element (hidden when empty), for errors the page must tell the person about.
export function messenger (id) {
  const element = document.getElementById(id)
  return (text) => { if (element) { element.textContent = text; element.hidden = !text } }
}
