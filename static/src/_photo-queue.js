// Photos taken on an observation record wait on the device until they are uploaded: in IndexedDB (the database
// 'collab-photo-queue', one entry per photo, its id made here), so a photo taken with no connection, or whose
// upload was cut off, survives the tablet sleeping and the page reloading. The upload sends that id: uploading
// the same photo again returns the photo already stored, never a second one (collab/observations/photos).
// Signing out deletes the database with every other 'collab-' one (_local-data.js).

export const QUEUE_DATABASE = 'collab-photo-queue'
const STORE = 'photos'

// The server refused this photo (not an image, too big, no longer the observer's record): it is dropped and the
// person told why. Anything else (no connection, signed out, server trouble) keeps it queued for the next try.
const REFUSED = new Set([400, 403, 404, 413])

/** A queued photo: { id, recordId, at, phase, big_idea, pupil, blob, name }. */
export function queuedPhoto (recordId, file, tags, id, at) {
  return {
    id,
    recordId,
    at,
    phase: tags.phase || '',
    big_idea: tags.big_idea || '',
    pupil: tags.pupil || '',
    blob: file,
    name: file.name || 'photo.jpg'
  }
}

/**
 * Uploads queued photos one at a time, oldest first. upload(item) resolves the stored photo, or throws: an error
 * with `refused` set drops that photo (refused(item, err)), any other stops until the next try. sent(item, photo)
 * runs once a photo is stored, before the next. Resolves { sent, stopped } (stopped: the error, or null).
 */
export async function sendQueued (items, { upload, sent, refused }) {
  let count = 0
  for (const item of [...items].sort((a, b) => a.at - b.at)) {
    let photo
    try {
      photo = await upload(item)
    } catch (err) {
      if (err && err.refused) { await refused(item, err); continue }
      return { sent: count, stopped: err || new Error('The photo could not be uploaded.') }
    }
    await sent(item, photo)
    count++
  }
  return { sent: count, stopped: null }
}

/** Whether an upload's answer means the server will never take this photo (versus: try again later). */
export function isRefused (status, message) {
  return REFUSED.has(status) && Boolean(message) // a 400 with no message is a page (an expired form), not a refusal
}

/** An upload(item) for sendQueued: posts the photo and its id to the record's upload address. */
export function photoUploader (url, csrfToken) {
  return async (item) => {
    const body = new FormData()
    body.append('photo', item.blob, item.name)
    body.append('client_id', item.id)
    // A sign-in that has ended redirects to the sign-in page: not followed, the photo stays queued.
    const response = await fetch(url, {
      method: 'POST', body, credentials: 'same-origin', redirect: 'manual',
      headers: { 'X-CSRFToken': csrfToken, Accept: 'application/json' }
    })
    const data = await response.json().catch(() => ({}))
    if (response.ok && data && data.id) return data
    const err = new Error(data.message || 'The photo could not be uploaded yet; it stays on this device.')
    err.refused = isRefused(response.status, data.message)
    throw err
  }
}

// ---- the database ---------------------------------------------------------------------------------------------

function openDatabase () {
  return new Promise((resolve, reject) => {
    const request = window.indexedDB.open(QUEUE_DATABASE, 1)
    request.onupgradeneeded = () => request.result.createObjectStore(STORE, { keyPath: 'id' })
    request.onsuccess = () => {
      const db = request.result
      db.onversionchange = () => db.close() // being deleted (sign-out): let it go
      resolve(db)
    }
    request.onerror = () => reject(request.error)
    request.onblocked = () => reject(new Error('The photo queue is busy.'))
  })
}

// Each call opens and closes the database, so that no connection held here delays deleting it at sign-out.
async function inStore (mode, work) {
  const db = await openDatabase()
  try {
    return await new Promise((resolve, reject) => {
      const transaction = db.transaction(STORE, mode)
      const request = work(transaction.objectStore(STORE))
      transaction.oncomplete = () => resolve(request ? request.result : undefined)
      transaction.onerror = transaction.onabort = () => reject(transaction.error)
    })
  } finally {
    db.close()
  }
}

/** The photos queued for a record, oldest first. */
export async function queuedPhotos (recordId) {
  const all = await inStore('readonly', (store) => store.getAll())
  return (all || []).filter((item) => item.recordId === recordId).sort((a, b) => a.at - b.at)
}

export function queuePhoto (item) {
  return inStore('readwrite', (store) => store.put(item))
}

export function forgetPhoto (id) {
  return inStore('readwrite', (store) => store.delete(id))
}
