// The agreed actions beside a revised plan (templates/cycles/_plan_panel.html): ticking one saves it with fetch
// and redraws the row in place, so the co-editor and the caret stay where they are. Without this script each
// tick is an ordinary form post and the page reloads at the action. The server answers JSON when asked for it
// (collab/cycles/revision_views.py action_done) and the same errors as the form gets otherwise.
import { paintAction } from './_plan-actions.js'

function start () {
  const list = document.querySelector('.action-checklist')
  if (!list) return
  const status = document.getElementById('action-checklist-status')
  const say = (text, error) => {
    if (!status) return
    status.textContent = text
    status.classList.toggle('error-message', Boolean(error))
  }
  list.addEventListener('submit', async (event) => {
    const form = event.target.closest('form')
    if (!form || !list.contains(form)) return
    event.preventDefault()
    const button = form.querySelector('button')
    if (button.getAttribute('aria-busy') === 'true') return // a double tap sends once
    button.setAttribute('aria-busy', 'true')
    const text = form.dataset.text || ''
    try {
      const response = await fetch(form.action, {
        method: 'POST',
        credentials: 'same-origin',
        headers: { Accept: 'application/json' },
        body: new FormData(form)
      })
      const data = await response.json().catch(() => ({}))
      if (!response.ok || !data.ok) {
        say((data.detail || 'That could not be saved.') + ' Nothing was changed.', true)
        return
      }
      paintAction(form, data.done)
      say((data.done ? 'Marked done: ' : 'Marked not done: ') + text, false)
    } catch {
      say('Could not reach Collab: check the connection and tick again. Nothing was changed.', true)
    } finally {
      button.removeAttribute('aria-busy')
    }
  })
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start)
else start()
