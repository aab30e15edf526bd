// Anticipated versus observed in the browser: an observer tags the plan's anticipated items on their record
// (startTagging) and the visit room redraws the table from every record it reads, live (startTable).
// The tags live in the record's Y.Doc (_obs-anticipated-rows.js), so they work offline and merge like the notes.
import { setMathsText } from './_maths-text.js'
import { onceAFrame } from './_obs-notes.js'
import { LINK_KEY, TAG_KEY, TAGS, anticipatedRows, tagsOf } from './_obs-anticipated-rows.js'

const hasContent = (note) => note && note.id && (String(note.text || '').trim() || note.photo_id)

function clock (at) {
  if (!at) return ''
  return new Date(at).toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit', timeZone: 'Europe/London' })
}

function noteLabel (note) {
  const text = String(note.text || '').trim() || "Photo of pupils' work"
  const label = (note.pupil ? note.pupil + ': ' : '') + text
  return (clock(note.at) ? clock(note.at) + ' ' : '') + (label.length > 70 ? label.slice(0, 68) + '…' : label)
}

function option (value, text) {
  const o = document.createElement('option')
  o.value = value
  o.textContent = text
  return o
}

// ---- one observer's record -------------------------------------------------------------------------------

export function startTagging ({ doc, config, canEdit }) {
  const items = config.anticipated || []
  const elements = Array.from(document.querySelectorAll('.obs-ant-item'))
  if (!items.length || !elements.length) return null
  const tags = doc.getMap(TAG_KEY)
  const links = doc.getMap(LINK_KEY)
  const notes = doc.getArray('notes')
  const myNotes = () => notes.toArray().filter(hasContent)

  elements.forEach((el) => {
    const id = el.dataset.item
    el.querySelectorAll('input[type=radio]').forEach((input) => input.addEventListener('change', () => {
      if (canEdit && input.checked && tags.get(id) !== input.value) tags.set(id, input.value)
    }))
    const clear = el.querySelector('.obs-ant-clear')
    if (clear) clear.addEventListener('click', () => { if (canEdit && tags.has(id)) tags.delete(id) })
    const picker = el.querySelector('.obs-ant-note-picker')
    if (picker) {
      picker.addEventListener('change', () => {
        if (canEdit && picker.value) links.set(picker.value, id)
        picker.value = ''
      })
    }
  })

  const paint = () => {
    const all = myNotes()
    const byId = new Map(all.map((n) => [n.id, n]))
    elements.forEach((el) => {
      const id = el.dataset.item
      const tag = tags.get(id)
      el.querySelectorAll('input[type=radio]').forEach((input) => { input.checked = input.value === tag })
      el.querySelectorAll('.obs-ant-choice').forEach((label) => label.classList.toggle('is-chosen', label.dataset.tag === tag))
      const linked = []
      links.forEach((itemId, noteId) => { if (itemId === id && byId.has(noteId)) linked.push(byId.get(noteId)) })
      linked.sort((a, b) => (a.at || 0) - (b.at || 0))
      const list = el.querySelector('.obs-ant-linked')
      list.replaceChildren(...linked.map((note) => {
        const li = document.createElement('li')
        li.className = 'obs-ant-linked-note'
        li.dataset.noteId = note.id
        const text = document.createElement('span')
        setMathsText(text, noteLabel(note))
        li.append(text)
        if (canEdit) {
          const unlink = document.createElement('button')
          unlink.type = 'button'
          unlink.className = 'link-button obs-ant-unlink'
          unlink.textContent = 'Unlink'
          unlink.setAttribute('aria-label', 'Unlink the note ' + noteLabel(note))
          unlink.addEventListener('click', () => { if (links.get(note.id) === id) links.delete(note.id) })
          li.append(' ', unlink)
        }
        return li
      }))
      const picker = el.querySelector('.obs-ant-note-picker')
      if (picker) {
        const first = picker.options[0]
        picker.replaceChildren(first, ...all.filter((n) => links.get(n.id) !== id).map((n) => option(n.id, noteLabel(n))))
        picker.disabled = picker.options.length < 2
      }
    })
    paintNotes()
  }

  // On each of my notes (the list is redrawn by observation.js): which anticipated item it is evidence of.
  const noteList = document.getElementById('my-notes')
  const paintNotes = () => {
    if (!canEdit || !noteList) return
    noteList.querySelectorAll('li.obs-note').forEach((li) => {
      const noteId = li.dataset.noteId
      if (!noteId || li.classList.contains('obs-note-waiting')) return
      let select = li.querySelector('.obs-ant-on-note select')
      if (!select) {
        const label = document.createElement('label')
        label.className = 'obs-ant-on-note'
        label.append('Anticipated item ')
        select = document.createElement('select')
        select.append(option('', 'None'), ...items.map((item) => option(item.id, (item.pupil ? item.pupil + ': ' : '') +
          (item.text.length > 60 ? item.text.slice(0, 58) + '…' : item.text))))
        select.addEventListener('change', () => {
          if (select.value) links.set(noteId, select.value)
          else if (links.has(noteId)) links.delete(noteId)
        })
        label.append(select)
        li.append(label)
      }
      const value = links.get(noteId) || ''
      if (select.value !== value) select.value = items.some((item) => item.id === value) ? value : ''
    })
  }
  if (noteList && canEdit) new MutationObserver(paintNotes).observe(noteList, { childList: true })

  tags.observe(paint)
  links.observe(paint)
  notes.observe(paint)
  paint()
  return { paint }
}

// ---- the visit room: the table, from every record it reads ------------------------------------------------

function cell (className, tag) {
  const td = document.createElement('td')
  td.className = className
  if (tag) td.dataset.tag = tag
  return td
}

function noteLine (note, summaryUrl) {
  const p = document.createElement('p')
  p.className = 'obs-ant-note'
  // A link to the note in the summary, for those who may read the summary (summaryUrl null: plain text).
  const when = document.createElement(summaryUrl === null ? 'span' : 'a')
  if (summaryUrl !== null) when.href = summaryUrl + '#note-' + encodeURIComponent(note.id)
  when.textContent = clock(note.at) || (summaryUrl === null ? '' : 'Note')
  const who = document.createElement('strong')
  who.textContent = note.observer.name
  p.append(when, ' ', who)
  if (note.pupil) {
    const pupil = document.createElement('span')
    pupil.className = 'tag obs-pupil'
    pupil.textContent = note.pupil
    p.append(' ', pupil)
  }
  p.append(': ')
  const text = document.createElement('span')
  if (String(note.text || '').trim()) setMathsText(text, note.text)
  else { text.className = 'muted'; text.textContent = "a photo of pupils' work" }
  p.append(text)
  return p
}

/**
 * Redraw the server-rendered table (templates/observations/_anticipated.html) whenever a record changes.
 * ready(): false while some record has not arrived yet, so that the table is not drawn without it (the server's
 * stays until then); call the returned render() once it is true. `sources` may change later: watch(source) each
 * one pushed onto it, render() after one is taken out.
 */
export function startTable ({ sources, config, ready = () => true }) {
  const table = document.getElementById('anticipated-table')
  const items = config.anticipated || []
  if (!table || !items.length) return null
  const render = () => {
    if (!ready()) return
    const rows = anticipatedRows(items, sources.map((s) => Object.assign({ observer: s.observer }, tagsOf(s.doc))))
    table.tBodies[0].replaceChildren(...rows.map((row) => {
      const tr = document.createElement('tr')
      tr.dataset.item = row.item.id
      const text = cell('obs-ant-text')
      if (row.item.kind === 'pupil') {
        const pupil = document.createElement('span')
        pupil.className = 'tag obs-pupil'
        pupil.textContent = row.item.pupil
        text.append(pupil, ' ')
      }
      text.append(row.item.text)
      if (!row.item.inPlan) {
        const gone = document.createElement('span')
        gone.className = 'muted'
        gone.textContent = ' (no longer in the plan)'
        text.append(gone)
      }
      tr.append(text)
      TAGS.forEach((tag) => {
        const td = cell('obs-ant-count', tag)
        td.append(String(row.counts[tag]))
        if (row.taggedBy[tag].length) {
          const who = document.createElement('span')
          who.className = 'muted obs-ant-who'
          who.textContent = ' (' + row.taggedBy[tag].join(', ') + ')'
          td.append(who)
        }
        tr.append(td)
      })
      const notes = cell('obs-ant-notes')
      if (row.notes.length) notes.append(...row.notes.map((n) => noteLine(n, config.summaryUrl === null ? null : config.summaryUrl || '')))
      else { const none = document.createElement('span'); none.className = 'muted'; none.textContent = 'None'; notes.append(none) }
      tr.append(notes)
      return tr
    }))
  }
  const later = onceAFrame(render)
  // A record added to `sources` later (the discussion page's, when an observer starts) is watched the same way.
  const watch = (s) => {
    s.doc.getMap(TAG_KEY).observe(later)
    s.doc.getMap(LINK_KEY).observe(later)
    s.doc.getArray('notes').observe(later)
  }
  sources.forEach(watch)
  return { render, watch }
}
