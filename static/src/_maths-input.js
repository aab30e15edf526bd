// The maths input: a dialog with a palette of big buttons (fraction, mixed number, ratio, power, root, ×, ÷, π,
// ≤ ≥ ≠, brackets...) that put LaTeX templates into a text box, and a live KaTeX preview. Anyone who knows LaTeX
// types it; anyone who does not uses the buttons and types numbers into the boxes (Tab goes to the next box).
// Fully usable from the keyboard; opens from the toolbar's "Maths" button or Ctrl+Shift+M (⌘⇧M) in the editor.
import katex from 'katex'
import { KATEX_OPTIONS, PALETTE, applyTemplate, latexProblem, nextBox, previousBox } from './_maths-latex.js'

let dialog = null

function el (tag, attrs = {}, text) {
  const node = document.createElement(tag)
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, value)
  if (text !== undefined) node.textContent = text
  return node
}

function build () {
  const box = el('dialog', { class: 'maths-dialog', id: 'maths-dialog', 'aria-labelledby': 'maths-dialog-title' })
  const form = el('form', { method: 'dialog' })
  form.append(el('h2', { id: 'maths-dialog-title' }, 'Insert maths'))
  // One Tab stop for the whole palette (a toolbar): the arrow keys, Home and End move between its buttons.
  const palette = el('div', { class: 'maths-palette', role: 'toolbar', 'aria-label': 'Maths templates' })
  for (const [index, entry] of PALETTE.entries()) {
    const button = el('button', { type: 'button', class: 'maths-key', 'data-maths-key': entry.id, tabindex: index ? '-1' : '0' })
    button.append(el('span', { class: 'maths-key-symbol', 'aria-hidden': 'true' }, entry.text),
      el('span', { class: 'maths-key-name' }, entry.label))
    palette.append(button)
  }
  const label = el('label', { for: 'maths-latex' }, 'Formula')
  const area = el('textarea', {
    id: 'maths-latex', rows: '2', spellcheck: 'false', autocapitalize: 'off', autocomplete: 'off',
    'aria-describedby': 'maths-hint maths-problem'
  })
  const hint = el('p', { id: 'maths-hint', class: 'hint' },
    'Use the buttons above, then type numbers or letters into each box: Tab moves to the next empty box. ' +
    'Or type LaTeX, for example \\frac{3}{4} or 2:3. Enter inserts.')
  const previewLabel = el('p', { class: 'maths-preview-label', id: 'maths-preview-label' }, 'Preview')
  const preview = el('div', { class: 'maths-preview', id: 'maths-preview', role: 'group', 'aria-labelledby': 'maths-preview-label' })
  const problem = el('p', { id: 'maths-problem', class: 'maths-problem', 'aria-live': 'polite' })
  const layout = el('fieldset', { class: 'maths-layout' })
  layout.append(el('legend', {}, 'Show it'))
  for (const [value, text] of [['inline', 'In the line of text'], ['block', 'On a line of its own']]) {
    const option = el('label', { class: 'check' })
    const input = el('input', { type: 'radio', name: 'maths-display', value })
    option.append(input, ' ' + text)
    layout.append(option)
  }
  const actions = el('div', { class: 'actions' })
  const insert = el('button', { type: 'submit', class: 'button', id: 'maths-insert', value: 'insert' }, 'Insert')
  const cancel = el('button', { type: 'button', class: 'button secondary', id: 'maths-cancel' }, 'Cancel')
  actions.append(insert, ' ', cancel)
  form.append(palette, label, area, hint, previewLabel, preview, problem, layout, actions)
  box.append(form)
  document.body.append(box)

  const state = { box, area, preview, problem, insert, onDone: null }
  const display = () => form.querySelector('input[name="maths-display"]:checked')?.value === 'block'
  const draw = () => {
    const latex = area.value
    const why = latexProblem(latex)
    preview.replaceChildren()
    if (why) {
      problem.textContent = latex.trim() ? why : '' // an empty box says nothing yet
      insert.disabled = true
      return
    }
    try {
      katex.render(latex, preview, { ...KATEX_OPTIONS, displayMode: display() })
      problem.textContent = ''
    } catch (error) {
      preview.textContent = latex
      problem.textContent = 'Not finished yet: ' + String(error.message || error).replace(/^KaTeX parse error: /, '')
    }
    insert.disabled = false
  }
  state.draw = draw
  area.addEventListener('input', draw)
  layout.addEventListener('change', draw)
  palette.addEventListener('click', (event) => {
    const button = event.target.closest('button[data-maths-key]')
    if (!button) return
    const entry = PALETTE.find((p) => p.id === button.dataset.mathsKey)
    const next = applyTemplate(area.value, area.selectionStart, area.selectionEnd, entry)
    area.value = next.value
    area.focus()
    area.setSelectionRange(next.start, next.end)
    draw()
  })
  palette.addEventListener('keydown', (event) => {
    const keys = Array.from(palette.querySelectorAll('button'))
    const at = keys.indexOf(document.activeElement)
    if (at < 0) return
    const columns = Math.max(1, Math.round(palette.clientWidth / (keys[0].offsetWidth || 1)))
    const moves = { ArrowRight: at + 1, ArrowLeft: at - 1, ArrowDown: at + columns, ArrowUp: at - columns, Home: 0, End: keys.length - 1 }
    if (!(event.key in moves)) return
    event.preventDefault()
    const next = keys[Math.min(keys.length - 1, Math.max(0, moves[event.key]))]
    keys.forEach((key) => key.setAttribute('tabindex', key === next ? '0' : '-1'))
    next.focus()
  })
  area.addEventListener('keydown', (event) => {
    if (event.key === 'Tab' && !event.altKey && !event.ctrlKey && !event.metaKey) {
      const at = event.shiftKey ? previousBox(area.value, area.selectionStart) : nextBox(area.value, area.selectionEnd)
      if (at >= 0) { // to the next empty box; with none left, Tab leaves the text box as usual
        event.preventDefault()
        area.setSelectionRange(at, at)
      }
    } else if (event.key === 'Enter' && !event.shiftKey) {
      event.preventDefault()
      form.requestSubmit(insert)
    }
  })
  cancel.addEventListener('click', () => box.close('cancel'))
  form.addEventListener('submit', (event) => {
    const latex = area.value.trim()
    if (latexProblem(latex)) { event.preventDefault(); draw(); area.focus(); return }
    const done = state.onDone
    state.onDone = null
    if (done) setTimeout(() => done({ latex, display: display() }), 0) // after the dialog has closed
  })
  box.addEventListener('close', () => {
    if (state.onDone) { const done = state.onDone; state.onDone = null; done(null) }
  })
  return state
}

/**
 * Open the maths input. `latex` and `display` prefill it (editing a formula); `onDone({latex, display})` is called
 * on Insert, `onDone(null)` on Cancel or Escape.
 */
export function openMathsInput ({ latex = '', display = false, editing = false, onDone }) {
  if (!dialog) dialog = build()
  dialog.area.value = latex
  dialog.box.querySelector(`input[value="${display ? 'block' : 'inline'}"]`).checked = true
  dialog.box.querySelector('#maths-dialog-title').textContent = editing ? 'Change maths' : 'Insert maths'
  dialog.insert.textContent = editing ? 'Save' : 'Insert'
  dialog.onDone = onDone
  dialog.draw()
  dialog.box.showModal()
  dialog.area.focus()
  dialog.area.setSelectionRange(latex.length, latex.length)
}
