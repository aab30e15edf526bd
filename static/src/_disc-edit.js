// Correcting a post in place: the author's "Edit" opens the words as typed (Markdown) under the post; Save
// hands the new text to discussion.js, which sends it over the socket (queued while offline, like posts).
// Without JavaScript the same link opens the edit page.

import { attachMentions } from './_mentions.js'

const MAX_BODY = 10000

/** Open the editor in `article`; onSave(body) is called with the new text, which is already checked.
 * `people` (optional) are the names @-mentions suggest. */
export function openEditor (article, onSave, say, people = []) {
  if (article.querySelector('form.disc-edit-form')) return
  const body = article.querySelector('.disc-body')
  const controls = article.querySelector('.disc-post-controls')
  const form = document.createElement('form')
  form.className = 'disc-edit-form'
  const id = `edit-${article.dataset.postId}`
  const label = document.createElement('label')
  label.htmlFor = id
  label.className = 'visually-hidden'
  label.textContent = 'Edit your post'
  const area = document.createElement('textarea')
  area.id = id
  area.name = 'body'
  area.rows = 3
  area.maxLength = MAX_BODY
  area.value = article.dataset.markdown || (body ? body.textContent.trim() : '')
  const actions = document.createElement('div')
  actions.className = 'actions'
  const save = document.createElement('button')
  save.type = 'submit'
  save.className = 'button'
  save.textContent = 'Save'
  const cancel = document.createElement('button')
  cancel.type = 'button'
  cancel.className = 'button secondary'
  cancel.textContent = 'Cancel'
  actions.append(save, ' ', cancel)
  form.append(label, area, actions)
  const close = () => {
    form.remove()
    if (body) body.hidden = false
    if (controls) controls.hidden = false
  }
  cancel.addEventListener('click', close)
  form.addEventListener('submit', (event) => {
    event.preventDefault()
    const text = area.value.trim()
    if (!text) { say('Write something before saving.'); area.focus(); return }
    if (text.length > MAX_BODY) { say(`A post can be at most ${MAX_BODY.toLocaleString('en-GB')} characters.`); return }
    say('')
    close()
    onSave(text)
  })
  if (body) body.hidden = true
  if (controls) controls.hidden = true
  article.append(form)
  attachMentions(area, people)
  area.focus()
}
