// The visit room page: every record the reader may read, read-only, merged on one timeline, with the
// anticipated-versus-observed table and who is observing now, all live. The list of records follows the visit:
// on `visit:records` and after every (re)join of the visit room the page asks the server which records it may read
// now (config.recordsUrl, GET /visits/<id>/room-records), joins the new ones and leaves the others, so an observer
// who starts after the page was loaded appears without a reload. It never lists rooms itself: only those the
// server names, and each join is checked by the server again.
import { connectWhenOnline, followNetwork, openSocket } from './_socket.js'
import { byTime, notesOf, onceAFrame, renderNotes, showNone } from './_obs-notes.js'
import { followLesson, showLesson } from './_obs-visit.js'
import { startTable } from './_obs-anticipated.js'
import { followVisitRecords, matchSources, readRecord } from './_visit-records.js'

export function startRoom (config) {
  const bigIdeas = Object.fromEntries(config.bigIdeas)
  const list = document.getElementById('timeline')
  const filters = document.getElementById('timeline-filters')
  let lesson = config.state
  const sources = []

  const render = () => {
    const wanted = filters ? Object.fromEntries(new FormData(filters)) : {}
    let notes = []
    sources.forEach((s) => { notes = notes.concat(notesOf(s.doc, s.observer)) })
    notes = notes.filter((n) => (!wanted.observer || String(n.observer.id) === wanted.observer) &&
      (!wanted.phase || n.phase === wanted.phase) && (!wanted.big_idea || n.big_idea === wanted.big_idea) &&
      (!wanted.pupil || n.pupil === wanted.pupil))
    renderNotes(list, notes.sort(byTime), { bigIdeas, photoUrl: config.photoUrl, start: lesson.started_at })
  }
  const renderPresence = () => sources.forEach((s) => {
    const item = document.querySelector('#observers li[data-observer="' + s.observer.id + '"]')
    if (!item) return
    let here = false
    s.awareness.getStates().forEach((state, clientId) => {
      if (clientId !== s.doc.clientID && state && state.user && state.user.id === s.observer.id) here = true
    })
    item.classList.toggle('is-online', here)
    const label = item.querySelector('.obs-online')
    if (label) label.textContent = here ? '· observing now' : ''
  })
  const later = onceAFrame(render)
  const table = startTable({ sources, config }) // null without anticipated items

  const open = (record) => {
    const source = readRecord(record)
    source.doc.getArray('notes').observe(later)
    source.awareness.on('change', renderPresence)
    if (table) table.watch(source)
    source.provider.connect()
    return source
  }
  const close = (source) => source.provider.destroy()
  matchSources(sources, config.records, { open, close })
  if (filters) filters.addEventListener('change', render)

  // The server's answer: the records to read now, every observer, and how many observers' notes are hidden.
  let observersShown = ''
  const update = (body) => {
    if (Array.isArray(body.records) && matchSources(sources, body.records, { open, close })) {
      showObserverChoices(filters, sources)
      render()
      if (table) table.render()
    }
    if (Array.isArray(body.observers) && JSON.stringify(body.observers) !== observersShown) {
      observersShown = JSON.stringify(body.observers)
      showObservers(body.observers)
      renderPresence()
    }
    if (typeof body.hidden === 'number') showHidden(body.hidden)
  }
  const visit = openSocket(undefined, config.visitRoom)
  const ask = followVisitRecords(visit, config.visitRoom, config.recordsUrl, update)
  followLesson(visit, config, (state) => { lesson = state; showLesson(state) }, ask)
  followNetwork(visit)
  connectWhenOnline(visit)
  window.collabVisitRoom = { sources, render, refresh: ask }
}

/** The timeline's "Observer" filter offers the observers whose notes it shows. */
function showObserverChoices (filters, sources) {
  const select = filters && filters.elements.observer
  if (!select) return
  const chosen = select.value
  select.replaceChildren(new Option('Everyone', ''),
    ...sources.map((s) => new Option(s.observer.name, String(s.observer.id))))
  select.value = sources.some((s) => String(s.observer.id) === chosen) ? chosen : ''
}

/** The "Observing" list, as templates/observations/room.html draws it. */
function showObservers (observers) {
  const list = document.getElementById('observers')
  if (!list) return
  if (!observers.length) {
    showNone(list, 'No observers assigned yet.')
    return
  }
  list.replaceChildren(...observers.map((o) => {
    const li = document.createElement('li')
    li.dataset.observer = o.id
    const dot = document.createElement('span')
    dot.className = 'obs-dot'
    dot.setAttribute('aria-hidden', 'true')
    li.append(dot, ' ' + o.name)
    if (o.follows) {
      const follows = document.createElement('span')
      follows.className = 'muted'
      follows.textContent = '· follows ' + o.follows
      li.append(' ', follows)
    }
    const online = document.createElement('span')
    online.className = 'obs-online muted'
    li.append(' ', online)
    return li
  }))
}

function showHidden (count) {
  const note = document.getElementById('hidden-note')
  if (!note) return
  note.hidden = !count
  note.textContent = count + (count === 1 ? " observer's" : " observers'") + ' notes are hidden until the lesson ' +
    "ends (the host's choice)."
}
