// The notification bell in the header: a live unread count pushed as `notify:count` to this person's
// own room (joined with `notify:subscribe`), with a JSON poll every 60 s while the socket is down.
import { openSocket } from './_socket.js'

function start () {
  const badge = document.getElementById('notify-count')
  if (!badge) return
  const show = (n) => {
    badge.textContent = n > 0 ? String(n) : ''
    badge.hidden = !(n > 0)
    // The link's name comes from its text ("Notifications (3 unread)"): the words around the count are hidden
    // from view only, so what a voice-control user sees matches the name.
    badge.closest('a').querySelectorAll('.notify-sr').forEach((part) => { part.hidden = !(n > 0) })
  }
  const socket = openSocket()
  socket.on('connect', () => socket.emit('notify:subscribe', (ack) => { if (ack && ack.ok) show(ack.unread) }))
  socket.on('notify:count', (data) => show(data.unread))
  socket.connect()
  setInterval(() => {
    if (socket.connected) return
    fetch(badge.dataset.url, { credentials: 'same-origin', headers: { Accept: 'application/json' } })
      .then((r) => r.json()).then((d) => show(d.unread)).catch(() => {})
  }, 60000)
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start)
else start()
