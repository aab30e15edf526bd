// Which pages the service worker keeps for offline use, shared by sw.js and the offline page (offline.js).

export const PAGES_CACHE = 'collab-pages'
/** The whiteboard's bundle and fonts, kept once a board has been opened (collab/web/service_worker.py ON_DEMAND). */
export const BOARD_CACHE = 'collab-board'
export const OFFLINE_URL = '/offline'
export const MAX_PAGES = 40
/** The message a page sends the worker to be kept (the page that installed it did not go through it). */
export const KEEP_PAGE = 'collab:keep-page'
/** The message signing out sends the worker before unregistering it: write nothing more, not even an answer
 * already on its way (a page fetched before the sign-out would otherwise be kept after it). */
export const FORGET = 'collab:forget'
/** The message every signed-in page sends the worker: keep pages again (after signing out and back in, the browser
 * may reuse the worker that was told to forget). */
export const RESUME = 'collab:resume'

// The dashboard, lesson plans, observation records, post-lesson discussions, development plans and workspaces.
const KEPT = [
  /^\/$/,
  /^\/plans\/\d+$/,
  /^\/records\/\d+$/,
  /^\/sessions\/\d+\/discussion$/,
  /^\/devplans\/\d+$/,
  /^\/sessions\/\d+\/workspace$/
]

export function isKeptPage (pathname) {
  return KEPT.some((pattern) => pattern.test(pathname))
}

/** The exploring-maths whiteboard's files (Excalidraw, several MB): left out of the precache every device
 * downloads, kept on the device by the worker the first time a board is opened. */
export function isBoardAsset (pathname) {
  return /^\/static\/dist\/(workspace\.(js|css)|excalidraw\/)/.test(pathname)
}

/** Whether the offline page goes back to the address asked for on an 'online' event: only when the browser says
 * it is online and no navigation away from it has started (a reload would replace that page). */
export function shouldReloadWhenOnline ({ leaving, onLine }) {
  return !leaving && onLine !== false
}
