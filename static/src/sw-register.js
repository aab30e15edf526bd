// Registers the service worker (sw.js) for signed-in pages, so that pages opened here open again offline.
// Sign-out unregisters it and deletes its caches (_local-data.js).
import { KEEP_PAGE, RESUME } from './_offline-pages.js'

function register () {
  const cameThroughWorker = pageCameThroughWorker()
  navigator.serviceWorker.register('/sw.js', { scope: '/' })
    .then(() => navigator.serviceWorker.ready)
    .then((registration) => {
      if (registration.active) registration.active.postMessage({ type: RESUME }) // signed in: keep pages again
      // This page did not go through the worker: ask it to keep this one too (it checks which pages it keeps).
      if (!cameThroughWorker && registration.active) {
        registration.active.postMessage({ type: KEEP_PAGE, path: window.location.pathname, assets: pageAssets() })
      }
    })
    .catch((err) => console.error('collab: could not keep this app for offline use', err))
}

/** Whether a worker answered this page's own request. Not "is the page controlled now": a worker installed by the
 * previous page takes control of this one (clientsClaim) while it loads, after its request went to the network, so
 * a plan opened straight after signing in would never be kept. Navigation timing says what happened to the request. */
function pageCameThroughWorker () {
  const [navigation] = performance.getEntriesByType('navigation')
  return navigation ? navigation.workerStart > 0 : Boolean(navigator.serviceWorker.controller)
}

/** The scripts and stylesheets this page loaded: the worker keeps those it does not precache (the whiteboard's). */
function pageAssets () {
  return Array.from(document.querySelectorAll('script[src], link[rel="stylesheet"][href]'),
    (element) => new URL(element.src || element.href, window.location.href).pathname)
}

if ('serviceWorker' in navigator && window.isSecureContext) {
  if (document.readyState === 'complete') register()
  else window.addEventListener('load', register)
}
