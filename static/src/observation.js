// Observation records (tablet first, works offline) and the visit room's live lesson timeline (_obs-room.js).
// Configuration comes from <script type="application/json" id="obs-config"> (the CSP forbids inline JS).
import { openSharedDocument, messenger } from './_shared-doc.js'
import { notesOf, renderNotes, byTime, minutesSince } from './_obs-notes.js'
import { followLesson, showLesson } from './_obs-visit.js'
import { startTagging } from './_obs-anticipated.js'
import { startRoom } from './_obs-room.js'
import { forgetPhoto, photoUploader, queuePhoto, queuedPhoto, queuedPhotos, sendQueued } from './_photo-queue.js'
import { SIGNING_OUT, notePhotosWaiting } from './_local-data.js'

const RATINGS = ['seen', 'partly', 'not-seen']

function newId () {
  if (window.crypto && crypto.randomUUID) return crypto.randomUUID()
  return Date.now().toString(36) + Math.random().toString(36).slice(2)
}

// ---- one observer's record ------------------------------------------------------------------------

function startRecord (config) {
  const canEdit = config.access === 'edit'
  const bigIdeas = Object.fromEntries(config.bigIdeas)
  const report = messenger('record-message')
  let waitingPhotos = [] // taken here, not uploaded yet (_photo-queue.js): counted in the save state
  const { doc, provider, persistence, refresh } = openSharedDocument({
    room: config.room,
    user: config.user,
    storageKey: 'collab-observation-' + config.recordId,
    photos: () => waitingPhotos.length
  })

  const ratings = doc.getMap('ratings')
  const notes = doc.getArray('notes')
  const chosen = { phase: config.state.phase || '', big_idea: '', pupil: '' }
  let lesson = config.state

  // Quick tags: one of each kind at a time; the phase follows the lesson clock.
  const tagButtons = Array.from(document.querySelectorAll('.obs-tag'))
  const paintTags = () => tagButtons.forEach((b) => {
    b.setAttribute('aria-pressed', chosen[b.dataset.tag] === b.dataset.value ? 'true' : 'false')
  })
  tagButtons.forEach((b) => b.addEventListener('click', () => {
    chosen[b.dataset.tag] = chosen[b.dataset.tag] === b.dataset.value ? '' : b.dataset.value
    paintTags()
  }))
  paintTags()

  const clock = document.getElementById('lesson-clock')
  const tick = () => { if (clock) clock.textContent = lesson.started_at && !lesson.ended_at ? minutesSince(lesson.started_at, Date.now()) : '' }
  followLesson(provider.socket, config, (state) => {
    if (state.phase && state.phase !== lesson.phase) chosen.phase = state.phase // new notes default to it
    if (!chosen.phase && state.phase) chosen.phase = state.phase
    lesson = state
    showLesson(state)
    paintTags()
    tick()
  })
  setInterval(tick, 30000)

  const box = document.getElementById('note-text')
  // A note typed but not yet added survives the tablet sleeping or the page reloading.
  const draftKey = 'collab-observation-draft-' + config.recordId
  const keepDraft = (value) => { try { if (value) localStorage.setItem(draftKey, value); else localStorage.removeItem(draftKey) } catch { /* no storage */ } }
  if (box) {
    try { box.value = box.value || localStorage.getItem(draftKey) || '' } catch { /* no storage */ }
    box.addEventListener('input', () => keepDraft(box.value))
  }
  const addNote = (extra) => {
    const text = box ? box.value.trim() : ''
    if (!text && !extra) { if (box) box.focus(); return }
    notes.push([Object.assign({ id: newId(), at: Date.now(), phase: chosen.phase, big_idea: chosen.big_idea, pupil: chosen.pupil, text }, extra || {})])
    if (box && text) { box.value = ''; keepDraft(''); box.focus() }
    chosen.big_idea = ''
    chosen.pupil = ''
    paintTags()
  }
  const addButton = document.getElementById('add-note')
  if (addButton) addButton.addEventListener('click', () => addNote())
  if (box) {
    box.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) { event.preventDefault(); addNote() }
    })
  }

  const list = document.getElementById('my-notes')
  const indexOf = (id) => notes.toArray().findIndex((n) => n && n.id === id)
  // A deleted note can be put back for a while: a stray tap mid-lesson must not cost a note.
  const undoBar = document.createElement('p')
  undoBar.className = 'obs-undo'
  undoBar.setAttribute('role', 'status')
  list.before(undoBar)
  let undoTimer = null
  const offerUndo = (note, index) => {
    clearTimeout(undoTimer)
    const undo = document.createElement('button')
    undo.type = 'button'
    undo.className = 'button secondary'
    undo.textContent = 'Undo'
    undo.addEventListener('click', () => {
      if (indexOf(note.id) < 0) notes.insert(Math.min(index, notes.length), [note])
      undoBar.replaceChildren()
    })
    undoBar.replaceChildren('Note deleted. ', undo)
    undoTimer = setTimeout(() => undoBar.replaceChildren(), 15000)
  }
  const onDelete = canEdit
    ? (note) => {
        const index = indexOf(note.id)
        if (index < 0) return
        const stored = notes.get(index)
        notes.delete(index, 1)
        offerUndo(stored, index)
      }
    : null
  // The author corrects a note in place: the same id and time, the new text, marked edited (everyone's timeline
  // shows it live, as it observes the array).
  const onEdit = canEdit
    ? (note, text) => {
        const index = indexOf(note.id)
        if (index < 0) return
        const edited = Object.assign({}, notes.get(index), { text, edited: Date.now() })
        doc.transact(() => { notes.delete(index, 1); notes.insert(index, [edited]) })
      }
    : null
  const maxLength = Number(config.maxValueChars) || undefined
  const previews = new Map() // queued photo id -> a blob: URL of it, for its thumbnail
  const renderList = () => {
    const inDoc = new Set(notes.toArray().map((n) => n && n.id))
    const waiting = waitingPhotos.filter((p) => !inDoc.has(p.id)).map((p) => ({
      id: p.id, at: p.at, phase: p.phase, big_idea: p.big_idea, pupil: p.pupil, text: '', waitingPhoto: previews.get(p.id)
    }))
    const mine = notesOf(doc, null).concat(waiting).sort(byTime).reverse() // newest first on a tablet
    renderNotes(list, mine, { bigIdeas, photoUrl: config.photoUrl, start: lesson.started_at, onDelete, onEdit, maxLength })
  }
  notes.observe(renderList)

  const photos = canEdit ? queuePhotos(config, { notes, indexOf, report, refresh, renderList, previews, onWaiting: (items) => { waitingPhotos = items } }) : null
  const picker = document.getElementById('photo-picker')
  if (picker && photos) {
    picker.addEventListener('change', () => {
      const file = picker.files && picker.files[0]
      picker.value = ''
      if (!file) return
      report('')
      photos.add(file, chosen)
      chosen.big_idea = ''
      chosen.pupil = ''
      paintTags()
    })
  }

  // The checklist: tap a rating; evidence is saved as you pause typing.
  const criteria = Array.from(document.querySelectorAll('.obs-criterion'))
  const paintRatings = () => criteria.forEach((el) => {
    const value = ratings.get(el.dataset.criterion) || {}
    el.querySelectorAll('.obs-rate').forEach((b) => b.setAttribute('aria-pressed', b.dataset.rating === value.rating ? 'true' : 'false'))
    const evidence = el.querySelector('.obs-evidence')
    if (evidence && document.activeElement !== evidence && evidence.value !== (value.evidence || '')) evidence.value = value.evidence || ''
  })
  criteria.forEach((el) => {
    const id = el.dataset.criterion
    const evidence = el.querySelector('.obs-evidence')
    const save = (rating) => {
      const current = ratings.get(id) || {}
      const next = { rating: rating === undefined ? (current.rating || null) : rating, evidence: evidence ? evidence.value : '' }
      if (next.rating === current.rating && next.evidence === (current.evidence || '')) return
      ratings.set(id, next)
    }
    el.querySelectorAll('.obs-rate').forEach((b) => b.addEventListener('click', () => {
      if (!canEdit) return
      const current = (ratings.get(id) || {}).rating
      save(current === b.dataset.rating ? null : b.dataset.rating)
    }))
    if (evidence && canEdit) {
      let timer = null
      evidence.addEventListener('input', () => { clearTimeout(timer); timer = setTimeout(() => save(), 700) })
      evidence.addEventListener('blur', () => { clearTimeout(timer); save() })
    }
  })
  ratings.observe(paintRatings)

  persistence.whenSynced.then(() => provider.connect(), () => provider.connect())
  persistence.whenSynced.then(() => { renderList(); paintRatings() }, () => {})
  // Queued photos are sent once the record's own copy is loaded (a photo already noted there is not noted twice),
  // and again whenever the connection comes back.
  if (photos) {
    persistence.whenSynced.then(photos.start, photos.start)
    provider.socket.on('connect', photos.send)
  }
  renderList()
  refresh()
  startTagging({ doc, config, canEdit })
  window.collabObservation = { doc, provider, notes, ratings, RATINGS }
}

// ---- photos: queued on the device, uploaded when there is a connection (_photo-queue.js) ----------------------

const RETRY_MS = 30000

function queuePhotos (config, { notes, indexOf, report, refresh, renderList, previews, onWaiting }) {
  const csrf = document.querySelector('meta[name="csrf-token"]')
  const uploadTo = photoUploader(config.photoUploadUrl, csrf ? csrf.content : '')
  let keeping = true // until the device is cleared at sign-out: then nothing here opens the queue again
  const upload = (item) => keeping ? uploadTo(item) : Promise.reject(new Error('Signing out.'))
  let ready = false // the record's own copy is loaded
  let sending = null
  let again = false

  const show = (items) => {
    const ids = new Set(items.map((item) => item.id))
    previews.forEach((url, id) => { if (!ids.has(id)) { URL.revokeObjectURL(url); previews.delete(id) } })
    items.forEach((item) => { if (!previews.has(item.id)) previews.set(item.id, URL.createObjectURL(item.blob)) })
    onWaiting(items)
    if (keeping) notePhotosWaiting(config.recordId, items.length)
    renderList()
    refresh()
  }
  const load = () => keeping ? queuedPhotos(config.recordId).then(show, () => {}) : Promise.resolve()

  // Stored: the note points at it, under the photo's own id, so a retry after a cut-off never notes it twice.
  const note = (item, photo) => {
    if (indexOf(item.id) >= 0) return
    notes.push([{ id: item.id, at: item.at, phase: item.phase, big_idea: item.big_idea, pupil: item.pupil, text: '', photo_id: photo.id }])
  }
  const sent = async (item, photo) => { note(item, photo); if (keeping) await forgetPhoto(item.id) }
  const refused = async (item, err) => {
    if (keeping) await forgetPhoto(item.id)
    report('A photo was not added: ' + err.message)
  }

  const send = () => {
    if (!keeping || !ready || navigator.onLine === false) return sending
    if (sending) { again = true; return sending }
    sending = (async () => {
      do {
        again = false
        const items = await queuedPhotos(config.recordId).catch(() => [])
        if (!items.length) break
        const { stopped } = await sendQueued(items, { upload, sent, refused })
        await load()
        if (stopped) break // no connection, or the server is busy: the next try is on reconnecting, or soon
      } while (again && keeping)
    })().catch((err) => console.error('collab: could not send the queued photos', err)).finally(() => { sending = null })
    return sending
  }

  const add = async (file, tags) => {
    const item = queuedPhoto(config.recordId, file, tags, newId(), Date.now())
    try {
      await queuePhoto(item)
    } catch {
      // No IndexedDB here (private browsing, storage full): upload it now or say so.
      try {
        note(item, await upload(item))
      } catch (err) {
        report(navigator.onLine === false ? 'This photo could not be kept on this device: take it again when you are back online.' : err.message)
      }
      return
    }
    await load()
    send()
  }

  const stop = () => { keeping = false }
  window.addEventListener(SIGNING_OUT, stop)
  window.addEventListener('storage', (event) => { if (event.key === SIGNING_OUT && event.newValue) stop() })
  window.addEventListener('online', () => send())
  setInterval(() => { if (previews.size) send() }, RETRY_MS)

  const start = () => { ready = true; load().then(send) }
  return { add, send: () => send(), start }
}

function start () {
  const element = document.getElementById('obs-config')
  if (!element) return
  const config = JSON.parse(element.textContent)
  if (config.mode === 'record') startRecord(config)
  else startRoom(config)
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start)
else start()
