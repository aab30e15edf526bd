// @-mention suggestions under a textarea, as an accessible combobox (the ARIA list-autocomplete pattern): the
// textarea keeps its textbox role and gets aria-autocomplete, aria-controls and aria-activedescendant; the
// names are a listbox just below it. Arrow keys move, Enter or Tab picks, Escape closes; a click or a tap picks.
// `people` are the names the page was given (the Work Group's members, or the plan's readers): nobody else.
import { insertMention, matchPeople, mentionAt } from './_mention-match.js'

let lists = 0
const attached = new WeakSet()

export function attachMentions (area, people) {
  if (!area || !people || !people.length || attached.has(area)) return
  attached.add(area)
  // A cloned form (a new reply box) brings a copy of its model's list: drop it, this box gets its own.
  const copy = area.nextElementSibling
  if (copy && copy.classList.contains('mention-list')) copy.remove()
  const id = `mention-list-${++lists}`
  const list = document.createElement('ul')
  list.id = id
  list.className = 'mention-list'
  list.setAttribute('role', 'listbox')
  list.setAttribute('aria-label', 'People to mention')
  list.hidden = true
  area.after(list)
  area.setAttribute('aria-autocomplete', 'list')
  area.setAttribute('aria-controls', id)
  area.removeAttribute('aria-activedescendant')

  let matches = []
  let active = 0
  let mention = null

  const close = () => {
    list.hidden = true
    list.replaceChildren()
    matches = []
    mention = null
    area.removeAttribute('aria-activedescendant')
  }
  const highlight = (index) => {
    active = index
    Array.from(list.children).forEach((option, i) => option.setAttribute('aria-selected', String(i === index)))
    const option = list.children[index]
    if (option) {
      area.setAttribute('aria-activedescendant', option.id)
      option.scrollIntoView({ block: 'nearest' })
    }
  }
  const pick = (index) => {
    const person = matches[index]
    if (!person || !mention) return
    const next = insertMention(area.value, mention.start, area.selectionStart, person.name)
    area.value = next.text
    area.setSelectionRange(next.caret, next.caret)
    close()
    area.focus()
  }
  const update = () => {
    mention = area.selectionStart === area.selectionEnd ? mentionAt(area.value, area.selectionStart) : null
    matches = mention ? matchPeople(people, mention.query) : []
    // A name already written in full (just picked) needs no list.
    if (matches.length === 1 && matches[0].name.toLowerCase() === mention.query.trim().toLowerCase()) matches = []
    if (!matches.length) { close(); return }
    list.replaceChildren(...matches.map((person, i) => {
      const option = document.createElement('li')
      option.id = `${id}-${i}`
      option.setAttribute('role', 'option')
      option.textContent = person.name
      return option
    }))
    list.hidden = false
    highlight(0)
  }

  area.addEventListener('input', update)
  area.addEventListener('click', update)
  area.addEventListener('blur', () => setTimeout(() => { if (document.activeElement !== area) close() }, 150))
  area.addEventListener('keydown', (event) => {
    if (list.hidden || !matches.length) return
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault()
      const step = event.key === 'ArrowDown' ? 1 : -1
      highlight((active + step + matches.length) % matches.length)
    } else if (event.key === 'Enter' || event.key === 'Tab') {
      if (event.shiftKey || event.ctrlKey || event.metaKey || event.altKey) return
      event.preventDefault()
      pick(active)
    } else if (event.key === 'Escape') {
      event.preventDefault()
      event.stopPropagation()
      close()
    }
  })
  // Keep the focus (and the caret) in the textarea when a name is pressed, with a mouse or a finger.
  list.addEventListener('mousedown', (event) => event.preventDefault())
  list.addEventListener('pointerdown', (event) => { if (event.pointerType === 'mouse') event.preventDefault() })
  list.addEventListener('click', (event) => {
    const option = event.target.closest('[role="option"]')
    if (option) pick(Array.from(list.children).indexOf(option))
  })
}
