// Observation notes: reading them from a record's Y.Doc and rendering the lesson timeline.
// Layout of a record's document (docs/realtime-protocol.md, "Observation records"):
//   Y.Map "ratings": look-for id -> { rating: "seen" | "partly" | "not-seen", evidence: string }
//   Y.Array "notes": { id, at (ms since epoch), phase, big_idea, pupil, text, photo_id? }
// A photo still queued on the device (_photo-queue.js) is shown among them, from the device: { ..., waitingPhoto:
// a blob: URL }, with no photo_id yet.

import { setMathsText } from './_maths-text.js'

export function notesOf (doc, observer) {
  return doc.getArray('notes').toArray()
    .filter((n) => n && typeof n === 'object' && (String(n.text || '').trim() || n.photo_id))
    .map((n) => Object.assign({}, n, { observer }))
}

function clock (at) {
  if (!at) return ''
  return new Date(at).toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit', timeZone: 'Europe/London' })
}

export function minutesSince (start, at) {
  if (!start || !at) return ''
  return '+' + Math.max(0, Math.floor((at - start) / 60000)) + ' min'
}

function tag (text, extra) {
  const span = document.createElement('span')
  span.className = 'tag' + (extra ? ' ' + extra : '')
  span.textContent = text
  return span
}

/** One <li> like templates/observations/_timeline.html renders. */
export function noteItem (note, { bigIdeas, photoUrl, start, onDelete, onEdit, maxLength }) {
  const li = document.createElement('li')
  li.className = 'obs-note'
  li.dataset.observer = note.observer ? note.observer.id : ''
  li.dataset.phase = note.phase || ''
  li.dataset.bigIdea = note.big_idea || ''
  li.dataset.pupil = note.pupil || ''
  li.dataset.at = note.at || 0
  li.dataset.noteId = note.id || ''
  const meta = document.createElement('div')
  meta.className = 'obs-note-meta'
  const time = document.createElement('time')
  time.textContent = clock(note.at)
  meta.append(time)
  const minute = minutesSince(start, note.at)
  if (minute) { const m = document.createElement('span'); m.className = 'muted'; m.textContent = ' ' + minute; meta.append(m) }
  if (note.observer) {
    meta.append(' · ')
    const who = document.createElement('strong')
    who.className = 'obs-note-observer'
    who.textContent = note.observer.name
    meta.append(who)
  }
  if (note.phase) meta.append(' ', tag(note.phase))
  if (note.big_idea && bigIdeas[note.big_idea]) meta.append(' ', tag(bigIdeas[note.big_idea], 'obs-idea'))
  if (note.pupil) meta.append(' ', tag(note.pupil, 'obs-pupil'))
  if (note.edited) meta.append(' ', tag('edited', 'obs-edited'))
  if (note.waitingPhoto) {
    li.classList.add('obs-note-waiting')
    meta.append(' ', tag('waiting to upload', 'obs-waiting'))
  }
  li.append(meta)
  if (String(note.text || '').trim()) {
    const p = document.createElement('p')
    p.className = 'obs-note-text'
    setMathsText(p, note.text) // its $...$ maths drawn, the rest as text
    li.append(p)
  }
  if (note.waitingPhoto) {
    const img = document.createElement('img')
    img.className = 'obs-thumb'
    img.src = note.waitingPhoto
    img.alt = "Photo of pupils' work, waiting to upload"
    li.append(img)
  } else if (note.photo_id) {
    const a = document.createElement('a')
    a.href = photoUrl + '/' + note.photo_id
    const img = document.createElement('img')
    img.className = 'obs-thumb'
    img.src = photoUrl + '/' + note.photo_id + '/thumb'
    img.alt = "Photo of pupils' work"
    a.append(img)
    li.append(a)
  }
  if (note.waitingPhoto) return li // nothing to edit or delete until it is uploaded
  if (onEdit && String(note.text || '').trim()) {
    li.append(linkButton('Edit note', 'obs-edit', () => editInPlace(li, note, onEdit, maxLength)))
  }
  if (onDelete) li.append(linkButton('Delete note', 'obs-delete', () => onDelete(note)))
  return li
}

function linkButton (text, className, onClick) {
  const button = document.createElement('button')
  button.type = 'button'
  button.className = 'link-button ' + className
  button.textContent = text
  button.addEventListener('click', onClick)
  return button
}

/** Swap the note's text for a box to correct it; Save calls onEdit(note, text), Cancel (or Escape) puts it back. */
function editInPlace (li, note, onEdit, maxLength) {
  const form = document.createElement('form')
  form.className = 'obs-note-editor'
  const label = document.createElement('label')
  label.className = 'visually-hidden'
  label.htmlFor = 'edit-' + note.id
  label.textContent = 'Note text'
  const box = document.createElement('textarea')
  box.id = 'edit-' + note.id
  box.rows = 3
  box.value = note.text || ''
  if (maxLength) box.maxLength = maxLength
  const save = document.createElement('button')
  save.type = 'submit'
  save.className = 'button'
  save.textContent = 'Save'
  const cancel = linkButton('Cancel', 'obs-edit-cancel', () => form.replaceWith(...kept))
  const kept = Array.from(li.querySelectorAll('.obs-note-text, .obs-edit, .obs-delete'))
  form.append(label, box, save, cancel)
  form.addEventListener('submit', (event) => {
    event.preventDefault()
    const text = box.value.trim()
    if (text && text !== note.text) onEdit(note, text)
    else form.replaceWith(...kept)
  })
  box.addEventListener('keydown', (event) => { if (event.key === 'Escape') form.replaceWith(...kept) })
  kept[0].before(form)
  kept.forEach((el) => el.remove())
  box.focus()
}

export function renderNotes (list, notes, options) {
  if (!notes.length) showNone(list, 'No notes yet.', 'muted obs-empty')
  else list.replaceChildren(...notes.map((n) => noteItem(n, options)))
}

/** A list with nothing in it says so, in one muted item. */
export function showNone (list, text, className = 'muted') {
  const li = document.createElement('li')
  li.className = className
  li.textContent = text
  list.replaceChildren(li)
}

/** fn() at the next frame, once however often this is called before it: a burst of changes, one redraw. */
export function onceAFrame (fn) {
  let scheduled = false
  return () => {
    if (scheduled) return
    scheduled = true
    requestAnimationFrame(() => { scheduled = false; fn() })
  }
}

export function byTime (a, b) {
  return (a.at || 0) - (b.at || 0) || String(a.observer && a.observer.name).localeCompare(String(b.observer && b.observer.name))
}
