// What this app keeps on the device, what of it is not sent yet, and clearing it when a sign-in ends.
//
// Kept: the y-indexeddb copy of every plan, development plan and observation record opened here (a database
// named 'collab-…' each), discussion outboxes and half-typed observation notes in localStorage ('collab:…',
// 'collab-…'), and, while a shared document has changes the server has not acknowledged, a marker
// 'collab:unsent:<room>' (written by _shared-doc.js), so that any page, in any tab, can tell what would be lost.
// Photos taken on an observation record wait in the database 'collab-photo-queue' until uploaded, their count in
// 'collab:photos-waiting:<record id>'.
// The service worker (sw.js) keeps the app shell and the pages opened recently in Cache Storage; clearing deletes
// every cache of this origin and unregisters the worker (signing in again registers it). Nothing goes to
// sessionStorage; it is swept anyway.

import { FORGET } from './_offline-pages.js'

const APP_PREFIXES = ['collab:', 'collab-']
const DATABASE_PREFIX = 'collab-'
const UNSENT_PREFIX = 'collab:unsent:'
const DATABASES_KEY = 'collab:databases' // names opened here, for browsers without indexedDB.databases()
const OUTBOX = /^collab:discussion:.+:outbox$/
const PHOTOS_PREFIX = 'collab:photos-waiting:' // + record id: how many photos are queued (_photo-queue.js)
const DRAFT_PREFIX = 'collab-observation-draft-'
const DELETE_TIMEOUT_MS = 3000

// A window event (this page) and a localStorage key (other tabs get a 'storage' event): stop keeping local
// copies now, the device is being cleared.
export const SIGNING_OUT = 'collab:signing-out'

function local () {
  try { return window.localStorage } catch { return null } // private mode, storage blocked
}

function keysOf (store) {
  const keys = []
  if (!store) return keys
  for (let i = 0; i < store.length; i++) keys.push(store.key(i))
  return keys
}

const lastNoted = new Map()

/** A shared document's unacknowledged changes, for unsentChanges() in any tab. Cleared only once connected and
 * caught up, so a copy reopened offline still counts until its changes are sent. */
export function noteUnsent (room, count, connected) {
  const store = local()
  if (!store || lastNoted.get(room) === count) return // called on every status change: write only changes
  try {
    if (count > 0) {
      store.setItem(UNSENT_PREFIX + room, JSON.stringify({ count, title: document.title }))
      lastNoted.set(room, count)
    } else if (connected) {
      store.removeItem(UNSENT_PREFIX + room)
      lastNoted.set(room, 0)
    }
  } catch { /* quota: the warning before closing the page still stands */ }
}

/** How many photos a record has queued on this device, for unsentChanges() in any tab. */
export function notePhotosWaiting (recordId, count) {
  const store = local()
  if (!store) return
  try {
    if (count > 0) store.setItem(PHOTOS_PREFIX + recordId, JSON.stringify({ count, title: document.title }))
    else store.removeItem(PHOTOS_PREFIX + recordId)
  } catch { /* quota: the photos are still queued, only the sign-out warning misses them */ }
}

/** Remember a database name, so it is deleted even where indexedDB.databases() is missing. */
export function rememberDatabase (name) {
  const store = local()
  if (!store) return
  try {
    const names = new Set(JSON.parse(store.getItem(DATABASES_KEY) || '[]'))
    if (names.has(name)) return
    names.add(name)
    store.setItem(DATABASES_KEY, JSON.stringify(Array.from(names)))
  } catch { /* the prefix search below still finds it */ }
}

/** What has not been sent yet, on this device: [{ what, count }]. */
export function unsentChanges () {
  const store = local()
  const found = []
  for (const key of keysOf(store)) {
    try {
      const value = store.getItem(key)
      if (key.startsWith(UNSENT_PREFIX)) {
        const { count, title } = JSON.parse(value)
        if (count > 0) found.push({ what: title || key.slice(UNSENT_PREFIX.length), count })
      } else if (OUTBOX.test(key)) {
        const items = JSON.parse(value || '[]')
        if (Array.isArray(items) && items.length) found.push({ what: 'posts in a discussion', count: items.length })
      } else if (key.startsWith(PHOTOS_PREFIX)) {
        const { count } = JSON.parse(value)
        if (count > 0) found.push({ what: 'photos waiting to upload', count })
      } else if (key.startsWith(DRAFT_PREFIX) && value) {
        found.push({ what: 'an observation note typed but not added', count: 1 })
      }
    } catch { /* not ours to read */ }
  }
  return found
}

export function countOf (unsent) {
  return unsent.reduce((sum, item) => sum + item.count, 0)
}

export function describeUnsent (unsent) {
  const n = countOf(unsent)
  const head = n === 1 ? '1 change has not been sent yet' : `${n} changes have not been sent yet`
  return head + ':\n' + unsent.map((item) => `• ${item.what} (${item.count})`).join('\n')
}

function deleteDatabase (name) {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, DELETE_TIMEOUT_MS) // still open elsewhere: the sign-in page tries again
    let request
    try { request = window.indexedDB.deleteDatabase(name) } catch { clearTimeout(timer); resolve(); return }
    request.onsuccess = request.onerror = () => { clearTimeout(timer); resolve() }
  })
}

async function databaseNames () {
  const names = new Set()
  try { JSON.parse(local().getItem(DATABASES_KEY) || '[]').forEach((name) => names.add(name)) } catch { /* none remembered, or storage blocked */ }
  if (window.indexedDB && typeof window.indexedDB.databases === 'function') {
    try {
      for (const db of await window.indexedDB.databases()) {
        if (db.name && db.name.startsWith(DATABASE_PREFIX)) names.add(db.name)
      }
    } catch { /* the remembered names still go */ }
  }
  return Array.from(names)
}

/** Stop the service worker keeping pages, then delete its caches: pages it kept hold pupil data. */
async function clearServiceWorker () {
  if (navigator.serviceWorker) {
    try {
      const registrations = await navigator.serviceWorker.getRegistrations()
      for (const registration of registrations) {
        for (const worker of [registration.installing, registration.waiting, registration.active]) {
          if (worker) worker.postMessage({ type: FORGET })
        }
      }
      await Promise.all(registrations.map((registration) => registration.unregister()))
    } catch { /* none, or not allowed here */ }
  }
  await deleteCaches()
}

async function deleteCaches () {
  if (!window.caches) return 0
  try {
    const names = await window.caches.keys()
    await Promise.all(names.map((name) => window.caches.delete(name)))
    return names.length
  } catch { return 0 /* Cache Storage blocked: nothing was kept */ }
}

/** An unregistered worker still finishes what it had started (installing its precache; a page it was writing when
 * told to forget), and may write a cache after we deleted it: look again a few times, until one look finds none. */
async function deleteLateCaches () {
  for (let attempt = 0; attempt < 5; attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 200))
    if (!await deleteCaches()) return
  }
}

/** Delete every local copy this app made on the device. Pages with a shared document open (this tab and others)
 * first stop writing to theirs. */
export async function clearLocalData () {
  const store = local()
  try { if (store) store.setItem(SIGNING_OUT, String(Date.now())) } catch { /* storage blocked: this tab still hears the event */ }
  window.dispatchEvent(new Event(SIGNING_OUT))
  await clearServiceWorker()
  if (window.indexedDB) await Promise.all((await databaseNames()).map(deleteDatabase))
  let session = null
  try { session = window.sessionStorage } catch { /* storage blocked */ }
  for (const area of [store, session]) {
    for (const key of keysOf(area)) {
      if (APP_PREFIXES.some((prefix) => key.startsWith(prefix))) {
        try { area.removeItem(key) } catch { /* storage blocked */ }
      }
    }
  }
  await deleteLateCaches()
}
