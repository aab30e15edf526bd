// Draw posts and agreed actions as the server's templates do (templates/discussions/_post.html,
// _actions.html). body_html arrives sanitised by the server; everything else is set as text.
import { renderMathsIn } from './_maths-text.js'

function el (tag, attrs = {}, text) {
  const node = document.createElement(tag)
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, value)
  if (text !== undefined) node.textContent = text
  return node
}

function quoteFigure (quote) {
  const figure = el('figure', { class: 'disc-quote' })
  if (quote.kind === 'photo' && quote.photo_url) {
    figure.append(el('img', { src: quote.photo_url, alt: quote.text || "Photo of pupils' work", loading: 'lazy' }))
  }
  if (quote.text) figure.append(el('blockquote', {}, quote.text))
  let caption = quote.kind === 'photo' ? 'Photo' : 'Observation note'
  if (quote.author) caption += ' by ' + quote.author
  if (quote.at) caption += ' · ' + quote.at
  figure.append(el('figcaption', { class: 'muted' }, caption))
  return figure
}

/** A post as the server sent it (ack, discussion:posted or discussion:post-updated). `who` is
 * {userId, isLead, canPost, sessionId, csrfToken}: the author may edit and delete, a lead may delete. */
export function postElement (post, who = {}) {
  const article = el('article', { class: 'disc-post', id: `post-${post.id}`, 'data-post-id': post.id, 'data-client-id': post.client_id, 'data-author-id': post.author.id || '' })
  if (post.deleted) {
    article.classList.add('deleted')
    article.append(el('p', { class: 'muted disc-deleted' }, 'Post deleted'))
    return article
  }
  const header = el('header', { class: 'disc-meta' })
  header.append(el('strong', {}, post.author.name), ' ', el('time', { datetime: post.created_at, class: 'muted' }, post.created_label))
  if (post.edited) header.append(' ', el('span', { class: 'muted disc-edited' }, '(edited)'))
  article.append(header)
  if (post.quote) article.append(quoteFigure(post.quote))
  const body = el('div', { class: 'disc-body' })
  body.innerHTML = post.body_html // sanitised on the server (collab/discussions/markdown.py)
  renderMathsIn(body) // its $...$ maths, marked by the server
  article.append(body)
  const mine = who.canPost && post.author.id === who.userId
  if (mine) article.dataset.markdown = post.body_markdown || ''
  if (mine || (who.canPost && who.isLead)) {
    const controls = el('div', { class: 'disc-post-controls' })
    const base = `/sessions/${who.sessionId}/discussion/posts/${post.id}`
    if (mine) {
      const edit = el('a', { class: 'link-button disc-edit', href: `${base}/edit` }, 'Edit')
      edit.append(el('span', { class: 'visually-hidden' }, ' your post'))
      controls.append(edit, ' ')
    }
    const form = el('form', { method: 'post', action: `${base}/delete`, class: 'inline disc-delete' })
    form.append(el('input', { type: 'hidden', name: 'csrf_token', value: who.csrfToken }))
    const button = el('button', { type: 'submit', class: 'link-button' }, 'Delete')
    button.append(el('span', { class: 'visually-hidden' }, ` the post by ${post.author.name}`))
    form.append(button)
    controls.append(form)
    article.append(controls)
  }
  return article
}

/** A post still in the outbox: the text as typed, marked as waiting. */
export function pendingElement (payload, authorName) {
  const article = el('article', { class: 'disc-post pending', 'data-client-id': payload.client_id })
  const header = el('header', { class: 'disc-meta' })
  header.append(el('strong', {}, authorName), ' ', el('span', { class: 'muted disc-pending-note' }, 'Waiting to send'))
  article.append(header)
  if (payload.quote) article.append(quoteFigure(payload.quote))
  article.append(el('div', { class: 'disc-body' }, payload.body))
  return article
}

export function failElement (article, message) {
  article.classList.add('failed')
  const note = article.querySelector('.disc-pending-note')
  if (note) note.textContent = 'Not sent — ' + message
}

export function actionRow (action, { interactive, sessionId, csrfToken, userId, isLead }) {
  const row = el('tr', { id: `action-${action.id}`, 'data-action-id': action.id, 'data-client-id': action.client_id })
  if (action.done) row.classList.add('done')
  const doneCell = el('td')
  if (interactive) {
    const form = el('form', { method: 'post', action: `/sessions/${sessionId}/discussion/actions/${action.id}/done`, class: 'inline disc-done' })
    form.append(el('input', { type: 'hidden', name: 'csrf_token', value: csrfToken }))
    form.append(el('input', { type: 'hidden', name: 'done', value: action.done ? 'no' : 'yes' }))
    const button = el('button', { type: 'submit', class: 'link-button', role: 'checkbox', 'aria-checked': String(action.done) }, action.done ? '☑' : '☐')
    button.append(el('span', { class: 'visually-hidden' }, ` ${action.text} done`))
    form.append(button)
    doneCell.append(form)
  } else {
    doneCell.textContent = action.done ? 'Yes' : 'No'
  }
  const due = el('td')
  if (action.due_date) due.append(el('time', { datetime: action.due_date }, action.due_label))
  else due.append(el('span', { class: 'muted' }, 'No date'))
  row.append(doneCell, el('td', {}, action.text), el('td', {}, action.owner.name), due)
  if (interactive) {
    const change = el('td')
    if (isLead || action.created_by_id === userId) {
      const link = el('a', { class: 'link-button disc-action-edit', href: `/sessions/${sessionId}/discussion/actions/${action.id}/edit` }, 'Change')
      link.append(el('span', { class: 'visually-hidden' }, ` ${action.text}`))
      change.append(link)
    }
    row.append(change)
  }
  return row
}

export function pendingActionRow (payload, ownerName) {
  const row = el('tr', { class: 'pending', 'data-client-id': payload.client_id })
  row.append(el('td', { class: 'muted disc-pending-note' }, 'Waiting to send'), el('td', {}, payload.text),
    el('td', {}, ownerName), el('td', {}, payload.due_date || ''), el('td'))
  return row
}
