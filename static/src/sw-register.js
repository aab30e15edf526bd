// Registers the service worker (sw.js) for signed-in pages, so that pages opened here open again offline.
// Sign-out unregisters it and deletes its caches (_local-data.js).
import { PAGES_CACHE, isKeptPage } from './_offline-pages.js'

/** The page that installed the worker did not go through it: keep that one too, with the worker's checks. */
async function keepThisPage () {
  if (!window.caches || !isKeptPage(window.location.pathname)) return
  const response = await fetch(window.location.pathname, { credentials: 'same-origin' })
  const type = response.headers.get('Content-Type') || ''
  if (response.status !== 200 || response.redirected || !type.startsWith('text/html')) return
  await (await caches.open(PAGES_CACHE)).put(window.location.origin + window.location.pathname, response)
}

function register () {
  const firstVisit = !navigator.serviceWorker.controller
  navigator.serviceWorker.register('/sw.js', { scope: '/' })
    .then(() => navigator.serviceWorker.ready)
    .then(() => (firstVisit ? keepThisPage() : null))
    .catch((err) => console.error('collab: could not keep this app for offline use', err))
}

if ('serviceWorker' in navigator && window.isSecureContext) {
  if (document.readyState === 'complete') register()
  else window.addEventListener('load', register)
}
