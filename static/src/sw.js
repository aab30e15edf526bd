// The service worker (served at /sw.js, scope /; collab/web/service_worker.py): the app shell is precached, and
// the pages a person opened recently (plans, observation records, discussions, development plans, the dashboard)
// are kept, so that opening or reloading one with no connection shows it from the device. The page's own offline
// logic (IndexedDB + provider) then lets them keep working, and syncs when the connection comes back.
//
// Only what this person's browser fetched is kept: same-origin GET navigations answered 200 with HTML, never a
// redirect (a sign-in page served in place of a plan), one entry per path. Sign-out deletes every cache and
// unregisters this worker (_local-data.js). Built apart from the pages' bundles (scripts/build-bundle.sh): the
// server fills in the precache list (self.__WB_MANIFEST) when it serves this file.
import { clientsClaim } from 'workbox-core'
import { cleanupOutdatedCaches, matchPrecache, precacheAndRoute } from 'workbox-precaching'
import { registerRoute, setCatchHandler } from 'workbox-routing'
import { NetworkFirst, NetworkOnly } from 'workbox-strategies'
import { BOARD_CACHE, FORGET, KEEP_PAGE, MAX_PAGES, OFFLINE_URL, PAGES_CACHE, RESUME, isBoardAsset, isKeptPage } from './_offline-pages.js'

// A slow school Wi-Fi answers late: after this long, the copy on the device is shown (the page then syncs).
const NETWORK_TIMEOUT_SECONDS = 6
// Set by signing out (FORGET): this worker is being unregistered and its caches deleted, so it keeps nothing more,
// until a signed-in page says otherwise (RESUME).
let forgetting = false

self.skipWaiting()
clientsClaim()
cleanupOutdatedCaches()
precacheAndRoute(self.__WB_MANIFEST)

/** Keep only this person's own pages as the server sent them: 200, HTML, not redirected, same origin. */
const onlyOwnPages = {
  cacheKeyWillBeUsed: async ({ request }) => {
    const url = new URL(request.url)
    return url.origin + url.pathname // one entry per path: a query string never makes a second copy
  },
  cacheWillUpdate: async ({ response }) => {
    if (forgetting || !response || response.status !== 200 || response.redirected || response.type !== 'basic') return null
    const type = response.headers.get('Content-Type') || ''
    return type.startsWith('text/html') ? response : null
  },
  cacheDidUpdate: async ({ cacheName }) => {
    // Cache keys come back oldest first (a put moves a key to the end): keep the most recent pages only.
    const cache = await caches.open(cacheName)
    const keys = await cache.keys()
    await Promise.all(keys.slice(0, Math.max(0, keys.length - MAX_PAGES)).map((key) => cache.delete(key)))
  }
}

const pages = new NetworkFirst({ cacheName: PAGES_CACHE, networkTimeoutSeconds: NETWORK_TIMEOUT_SECONDS, plugins: [onlyOwnPages] })
registerRoute(
  ({ request, url }) => request.mode === 'navigate' && url.origin === self.location.origin && isKeptPage(url.pathname),
  pages
)
// The whiteboard's files: from the network while there is one (so a new release is used at once), from the device
// without (or after the same timeout as pages). Only complete same-origin answers are kept.
const boardAssets = new NetworkFirst({
  cacheName: BOARD_CACHE,
  networkTimeoutSeconds: NETWORK_TIMEOUT_SECONDS,
  plugins: [{ cacheWillUpdate: async ({ response }) => (!forgetting && response && response.status === 200 && response.type === 'basic' ? response : null) }]
})
registerRoute(
  ({ request, url }) => request.method === 'GET' && url.origin === self.location.origin && isBoardAsset(url.pathname),
  boardAssets
)
// The page that installed this worker did not go through it: it asks to be kept too, with the whiteboard's files
// it loaded (sw-register.js). Only the worker writes to the cache.
self.addEventListener('message', (event) => {
  const data = event.data || {}
  if (data.type === FORGET) forgetting = true
  if (data.type === RESUME) forgetting = false
  if (forgetting || data.type !== KEEP_PAGE || typeof data.path !== 'string') return
  const url = new URL(data.path, self.location.origin)
  if (url.origin !== self.location.origin || !isKeptPage(url.pathname)) return
  const request = new Request(url.href, { credentials: 'same-origin', headers: { Accept: 'text/html' } })
  const assets = (Array.isArray(data.assets) ? data.assets : []).slice(0, 20)
    .map((path) => typeof path === 'string' && new URL(path, self.location.origin))
    .filter((asset) => asset && asset.origin === self.location.origin && isBoardAsset(asset.pathname))
  event.waitUntil(Promise.all([
    pages.handle({ event, request }).catch(() => null),
    ...assets.map((asset) => boardAssets.handle({ event, request: new Request(asset.href) }).catch(() => null))
  ]))
})
// Every other page goes to the network, so that with no connection it gets the offline page below rather than the
// browser's error. Only GET is routed: sign-in, sign-out and forms are never touched; nor is /socket.io/ (not a
// navigation).
registerRoute(({ request }) => request.mode === 'navigate', new NetworkOnly())

setCatchHandler(async ({ request }) => {
  if (request.mode === 'navigate') {
    const offline = await matchPrecache(OFFLINE_URL)
    if (offline) return offline
  }
  return Response.error()
})
