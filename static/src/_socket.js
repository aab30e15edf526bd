// The Socket.IO connection every page opens, and the words its save-state indicator uses.
//
// Every page's socket has the same options: websocket only, the session cookie sent, and a reconnection delay
// capped at 5 s so a tablet back in Wi-Fi range catches up quickly.
import { io } from 'socket.io-client'

const OPTIONS = { transports: ['websocket'], withCredentials: true, autoConnect: false, reconnectionDelayMax: 5000 }

/** A socket to `url` (this site by default), not connected yet: call connect() or connectWhenOnline().
 * `room` (a document's room, e.g. 'plan:12') goes in the connection's URL as ?room=: nginx hashes on it so that
 * every editor of a document reaches the same server process (docs/deployment.md). Only a routing hint: the
 * server ignores it, and joining the room is checked as always. */
export function openSocket (url, room) {
  return io(url || undefined, room ? { ...OPTIONS, query: { room } } : OPTIONS)
}

/** Connects unless the browser knows it is offline (then the 'online' event connects: followNetwork).
 * Returns whether it tried. */
export function connectWhenOnline (socket) {
  if (navigator.onLine === false) return false
  socket.connect()
  return true
}

/** Drops the connection when the browser goes offline (then calls onOffline) and opens it again when it is
 * back, rather than waiting for Socket.IO's next retry. Returns a function that stops following. */
export function followNetwork (socket, onOffline = () => {}) {
  const offline = () => { socket.disconnect(); onOffline() }
  const online = () => { if (!socket.connected) socket.connect() }
  window.addEventListener('offline', offline)
  window.addEventListener('online', online)
  return () => {
    window.removeEventListener('offline', offline)
    window.removeEventListener('online', online)
  }
}

// --- the save-state indicator: "Saved", "Saving…", "Offline: … kept on this device …", or an error ----------
// The count of unsent items is not the main text: a shared document counts low-level edits (one sentence can be
// dozens), which means nothing to a teacher. It stays available as the element's title and data-waiting.

/** The words for a shared document's edits. */
export const CHANGES = { one: 'change', many: 'changes', busy: 'Saving…', failed: 'Not saved — ' }
/** The words for the discussion's posts and actions. */
export const POSTS = { one: 'post', many: 'posts', busy: 'Sending…', failed: 'Not connected — ' }

/** "1 photo", "2 photos". */
export function photosText (n) {
  return n + (n === 1 ? ' photo' : ' photos')
}

/**
 * What the indicator says, and its state (saved | saving | offline | error, styled by CSS); `detail` is how
 * many items are not sent yet, for the element's title.
 * @param {{error: ?{message: string}, connected: boolean, joined: boolean, waiting: number, photos?: number}} s
 *   connected: the socket is; joined: the server accepted the join on this connection; waiting: items
 *   the server has not acknowledged yet; photos: photos queued on the device, not uploaded yet (observation
 *   records), counted in the words since each is something the person did.
 */
export function describeSaveState ({ error, connected, joined, waiting, photos = 0 }, words = CHANGES) {
  let detail = waiting === 0
    ? 'Nothing waiting to be sent'
    : waiting + ' ' + (waiting === 1 ? words.one : words.many) + ' not sent yet'
  if (photos > 0) detail = (waiting === 0 ? '' : detail + '; ') + photosText(photos) + ' waiting to upload'
  if (error) return { state: 'error', text: words.failed + error.message, detail }
  if (!connected) {
    const what = photos > 0 ? photosText(photos) + ' and your ' + words.many : 'your ' + words.many
    return {
      state: 'offline',
      text: 'Offline: ' + what + ' are kept on this device and will be sent when you are back online',
      detail
    }
  }
  if (!joined) return { state: 'saving', text: 'Connecting…', detail }
  if (photos > 0) return { state: 'saving', text: 'Sending ' + photosText(photos) + '…', detail }
  if (waiting > 0) return { state: 'saving', text: words.busy, detail }
  return { state: 'saved', text: 'Saved', detail }
}

/** Returns a function that repaints `element` (a role="status" element) from `read()`; it leaves the
 * element's text alone while it is unchanged, so screen readers are not told the same thing twice (the count
 * in the title and data-waiting follows every repaint). */
export function showSaveState (element, read, words = CHANGES) {
  let last = ''
  return () => {
    const current = read()
    const { state, text, detail } = describeSaveState(current, words)
    element.dataset.waiting = String(current.waiting)
    if (current.photos !== undefined) element.dataset.photos = String(current.photos)
    element.title = detail
    if (text === last) return
    last = text
    element.dataset.state = state
    element.textContent = text
  }
}
