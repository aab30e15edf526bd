// Observation notes: reading them from a record's Y.Doc and rendering the lesson timeline.
// Layout of a record's document (docs/realtime-protocol.md, "Observation records"):
//   Y.Map "ratings": look-for id -> { rating: "seen" | "partly" | "not-seen", evidence: string }
//   Y.Array "notes": { id, at (ms since epoch), phase, big_idea, pupil, text, photo_id? }

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
export function noteItem (note, { bigIdeas, photoUrl, start, onDelete }) {
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
  li.append(meta)
  if (String(note.text || '').trim()) {
    const p = document.createElement('p')
    p.className = 'obs-note-text'
    p.textContent = note.text
    li.append(p)
  }
  if (note.photo_id) {
    const a = document.createElement('a')
    a.href = photoUrl + '/' + note.photo_id
    const img = document.createElement('img')
    img.className = 'obs-thumb'
    img.src = photoUrl + '/' + note.photo_id + '/thumb'
    img.alt = "Photo of pupils' work"
    a.append(img)
    li.append(a)
  }
  if (onDelete) {
    const button = document.createElement('button')
    button.type = 'button'
    button.className = 'link-button obs-delete'
    button.textContent = 'Delete note'
    button.addEventListener('click', () => onDelete(note))
    li.append(button)
  }
  return li
}

export function renderNotes (list, notes, options) {
  if (!notes.length) {
    const li = document.createElement('li')
    li.className = 'muted obs-empty'
    li.textContent = 'No notes yet.'
    list.replaceChildren(li)
    return
  }
  list.replaceChildren(...notes.map((n) => noteItem(n, options)))
}

export function byTime (a, b) {
  return (a.at || 0) - (b.at || 0) || String(a.observer && a.observer.name).localeCompare(String(b.observer && b.observer.name))
}
