// Drawing one agreed action's row beside the revised plan as done or not done, as the server draws it
// (templates/cycles/_plan_panel.html): the checkbox button's state and glyph, the row's class, and the hidden
// field that says what the next tick asks for.

export const GLYPHS = { true: '☑', false: '☐' }

export function paintAction (form, done) {
  const row = form.closest('li')
  if (row) row.classList.toggle('action-done', done)
  const next = form.querySelector('input[name="done"]')
  if (next) next.value = done ? 'no' : 'yes'
  const button = form.querySelector('button')
  if (button) {
    button.setAttribute('aria-checked', done ? 'true' : 'false')
    const glyph = button.querySelector('[aria-hidden="true"]')
    if (glyph) glyph.textContent = GLYPHS[done]
  }
}
