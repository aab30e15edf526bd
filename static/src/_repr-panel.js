// The fields of one representation, in a small panel under its drawing: one labelled input per parameter (a list is
// a group of inputs, one per value, with buttons to add or remove one). Each change writes that one attribute.
// "?" in any value shows it as unknown. Escape closes the panel and puts the focus back on the drawing.
import { FIELDS, KINDS, KIND_NAMES, MAX_CAPTION_CHARS, MAX_LABEL_CHARS, listOf, problem } from './_repr-draw.js'

let panels = 0

// How many inputs a list shows when another field decides it (parts of a bar, ticks of a number line).
const LINKED = {
  'bar-part-whole': { values: (p) => Number(p.parts) || 1 },
  'number-line': { labels: (p) => (Number(p.intervals) || 1) + 1 }
}

const element = (tag, props = {}, children = []) => {
  const el = document.createElement(tag)
  Object.assign(el, props)
  el.append(...children)
  return el
}

export class ReprPanel {
  constructor ({ params, write, close, remove }) {
    this.id = 'repr-panel-' + (++panels)
    this.params = params
    this.writeValue = write
    this.kind = KINDS[params.kind] ? params.kind : 'bar-part-whole'
    this.dom = element('div', { className: 'repr-panel', id: this.id })
    this.dom.setAttribute('role', 'group')
    this.dom.setAttribute('aria-label', `${KIND_NAMES[this.kind]}: fields`)
    this.message = element('p', { className: 'repr-message', hidden: true })
    this.message.setAttribute('role', 'alert')
    this.fields = element('div', { className: 'repr-fields' })
    const hint = element('p', { className: 'repr-hint', textContent: 'Type ? for an unknown value. Changes are shared as you type.' })
    const done = element('button', { type: 'button', textContent: 'Done' })
    done.addEventListener('click', close)
    const del = element('button', { type: 'button', className: 'repr-remove', textContent: 'Remove drawing' })
    del.addEventListener('click', remove)
    this.dom.append(hint, this.fields, this.message, element('div', { className: 'repr-actions' }, [done, del]))
    this.dom.addEventListener('keydown', (event) => {
      if (event.key === 'Escape') { event.preventDefault(); close() }
    })
    this.build()
  }

  focus () {
    const first = this.dom.querySelector('input, select')
    if (first) first.focus()
  }

  // The drawing changed (a remote edit, or this panel's own): new values into the inputs, except the one being
  // typed in; the inputs themselves are rebuilt only when their number changes (parts added, say).
  update (params) {
    this.params = params
    const active = document.activeElement
    const inside = active && this.dom.contains(active) ? active : null
    if (this.shape() === this.builtShape) { this.refreshValues(inside); return }
    const keep = inside && inside.dataset.key ? { key: inside.dataset.key, index: inside.dataset.index } : null
    this.build()
    if (keep) {
      const selector = `[data-key="${keep.key}"]` + (keep.index !== undefined ? `[data-index="${keep.index}"]` : '')
      const again = this.dom.querySelector(selector)
      if (again) again.focus()
    }
  }

  shape () {
    return Object.keys(KINDS[this.kind]).map((key) => (FIELDS[key].items ? this.inputsFor(key) : 1)).join(',')
  }

  refreshValues (except) {
    this.dom.querySelectorAll('[data-key]').forEach((input) => {
      if (input === except) return
      const key = input.dataset.key
      if (input.dataset.index !== undefined) {
        input.value = listOf(this.params, key, 99)[Number(input.dataset.index)] || ''
      } else {
        input.value = this.params[key] || (FIELDS[key].options ? FIELDS[key].options[0] : '')
      }
    })
  }

  inputsFor (key) {
    const linked = LINKED[this.kind] && LINKED[this.kind][key]
    const items = listOf(this.params, key, 99)
    return linked ? Math.min(linked(this.params), FIELDS[key].items) : Math.max(items.length, 1)
  }

  build () {
    const rows = Object.keys(KINDS[this.kind]).map((key) => this.field(key))
    rows.push(this.field('caption'))
    this.fields.replaceChildren(...rows)
    this.builtShape = this.shape()
  }

  field (key) {
    const spec = FIELDS[key]
    const id = `${this.id}-${key}`
    if (spec.kind === 'labels' || spec.kind === 'counts') return this.listField(key, spec, id)
    const label = element('label', { htmlFor: id, textContent: spec.label })
    let input
    if (spec.kind === 'choice') {
      input = element('select', { id }, spec.options.map((o) => element('option', { value: o, textContent: o })))
      input.value = this.params[key] || spec.options[0]
      input.addEventListener('change', () => this.write(key, input.value))
    } else {
      input = element('input', { id, type: 'text', value: this.params[key] || '' })
      input.maxLength = spec.kind === 'text' ? MAX_CAPTION_CHARS : MAX_LABEL_CHARS
      if (spec.kind === 'count' || spec.kind === 'number') input.inputMode = spec.kind === 'count' ? 'numeric' : 'decimal'
      input.addEventListener('input', () => {
        this.write(key, input.value)
        if (LINKED[this.kind] && Object.keys(LINKED[this.kind]).length && spec.kind === 'count') this.relink()
      })
    }
    input.dataset.key = key
    return element('div', { className: 'repr-field' }, [label, input])
  }

  listField (key, spec, id) {
    const legend = element('legend', { textContent: spec.label })
    const box = element('fieldset', { className: 'repr-list' }, [legend])
    box.dataset.field = key
    const items = listOf(this.params, key, spec.items)
    const n = this.inputsFor(key)
    const read = () => JSON.stringify(Array.from(box.querySelectorAll('input')).map((i) => i.value))
    for (let i = 0; i < n; i++) {
      const input = element('input', { id: `${id}-${i}`, type: 'text', value: items[i] || '' })
      input.maxLength = MAX_LABEL_CHARS
      input.size = 6
      if (spec.kind === 'counts') input.inputMode = 'numeric'
      input.dataset.key = key
      input.dataset.index = String(i)
      input.setAttribute('aria-label', `${spec.label} ${i + 1}`)
      input.addEventListener('input', () => this.write(key, read()))
      box.append(input)
    }
    if (!(LINKED[this.kind] || {})[key]) {
      const add = element('button', { type: 'button', textContent: '+' })
      add.setAttribute('aria-label', `Add one to ${spec.label.toLowerCase()}`)
      add.disabled = n >= spec.items
      add.addEventListener('click', () => {
        const values = listOf(this.params, key, spec.items)
        while (values.length < n) values.push('')
        values.push(spec.kind === 'counts' ? String(spec.low || 1) : '')
        this.write(key, JSON.stringify(values))
        this.build()
        const inputs = this.dom.querySelectorAll(`[data-key="${key}"]`)
        if (inputs.length) inputs[inputs.length - 1].focus()
      })
      const remove = element('button', { type: 'button', textContent: '−' })
      remove.setAttribute('aria-label', `Remove the last of ${spec.label.toLowerCase()}`)
      remove.disabled = n <= 1
      remove.addEventListener('click', () => {
        this.write(key, JSON.stringify(listOf(this.params, key, spec.items).slice(0, n - 1)))
        this.build()
        const inputs = this.dom.querySelectorAll(`[data-key="${key}"]`)
        if (inputs.length) inputs[inputs.length - 1].focus()
      })
      box.append(add, remove)
    }
    return box
  }

  // The number of parts or intervals changed: show as many inputs for the values they decide.
  relink () {
    const active = document.activeElement
    const links = LINKED[this.kind]
    for (const key of Object.keys(links)) {
      const group = this.dom.querySelector(`[data-field="${key}"]`)
      if (group && group.querySelectorAll('input').length !== this.inputsFor(key)) {
        group.replaceWith(this.field(key))
      }
    }
    this.builtShape = this.shape()
    if (active && !this.dom.contains(active)) this.focus()
  }

  write (key, value) {
    const found = problem(key, value)
    this.message.hidden = !found
    this.message.textContent = found
    if (found) return
    this.params = { ...this.params, [key]: value }
    this.writeValue(key, value)
  }
}

// The toolbar's "Insert representation" button and the list of kinds it shows (a disclosure: Tab or the arrow
// keys move through the kinds, Enter inserts one, Escape closes the list).
export function insertMenu (insert) {
  const id = 'repr-menu-' + (++panels)
  const button = element('button', { type: 'button', textContent: 'Insert representation' })
  button.setAttribute('aria-expanded', 'false')
  button.setAttribute('aria-controls', id)
  const list = element('div', { className: 'repr-menu-list', id, hidden: true })
  list.setAttribute('role', 'group')
  list.setAttribute('aria-label', 'Representations')
  const wrap = element('span', { className: 'toolbar-group repr-menu' }, [button, list])
  const show = (open) => {
    list.hidden = !open
    button.setAttribute('aria-expanded', open ? 'true' : 'false')
  }
  for (const kind of Object.keys(KINDS)) {
    const item = element('button', { type: 'button', textContent: KIND_NAMES[kind] })
    item.dataset.kind = kind
    item.addEventListener('click', () => { show(false); insert(kind) })
    list.append(item)
  }
  button.addEventListener('click', () => {
    show(list.hidden)
    if (!list.hidden) list.querySelector('button').focus()
  })
  list.addEventListener('keydown', (event) => {
    const items = Array.from(list.querySelectorAll('button'))
    const at = items.indexOf(document.activeElement)
    if (event.key === 'Escape') { event.preventDefault(); show(false); button.focus() }
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault()
      items[(at + (event.key === 'ArrowDown' ? 1 : items.length - 1)) % items.length].focus()
    }
  })
  wrap.addEventListener('focusout', (event) => { if (!wrap.contains(event.relatedTarget)) show(false) })
  return wrap
}
