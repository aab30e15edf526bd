// The offline page: lists the pages kept on this device (sw.js), most recent first, by their titles.
import { PAGES_CACHE, shouldReloadWhenOnline } from './_offline-pages.js'

const SUFFIX = ' · Collab'

async function titleOf (cache, request) {
  try {
    const response = await cache.match(request)
    const html = response ? await response.text() : ''
    const title = new DOMParser().parseFromString(html, 'text/html').title || ''
    return title.endsWith(SUFFIX) ? title.slice(0, -SUFFIX.length) : title
  } catch {
    return ''
  }
}

async function listKeptPages () {
  const list = document.getElementById('offline-pages')
  if (!list || !window.caches) return
  if (!(await caches.has(PAGES_CACHE))) return
  const cache = await caches.open(PAGES_CACHE)
  const requests = (await cache.keys()).reverse()
  for (const request of requests) {
    const url = new URL(request.url)
    if (url.origin !== window.location.origin) continue
    const link = document.createElement('a')
    link.href = url.pathname
    link.textContent = (await titleOf(cache, request)) || url.pathname
    const item = document.createElement('li')
    item.appendChild(link)
    list.appendChild(item)
  }
  if (requests.length) document.getElementById('offline-kept').hidden = false
}

function start () {
  listKeptPages().catch((err) => console.error('collab: could not list the pages kept on this device', err))
  // Back online: go back to the page that was asked for (the address bar still shows it). Not on every 'online'
  // event: Chromium fires one while a navigation away from here starts (navigator.onLine still false), and
  // reconnecting to a school's access point fires one with no way through yet; reloading then replaced the kept
  // page the person had just opened from the list (or the address bar) with this offline page again.
  let leaving = false
  window.addEventListener('beforeunload', () => { leaving = true })
  window.addEventListener('pageshow', (event) => { if (event.persisted) leaving = false })
  window.addEventListener('online', () => {
    if (shouldReloadWhenOnline({ leaving, onLine: navigator.onLine })) window.location.reload()
  })
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start)
else start()
