// The post-lesson discussion page, live: posts and agreed actions go over Socket.IO (discussion:* events,
// docs/discussions.md) and everyone's appear as they are made. Without this script the page still works:
// its forms post over HTTP.
import { POSTS, connectWhenOnline, followNetwork, openSocket, showSaveState } from './_socket.js'
import { Outbox, newClientId } from './_disc-outbox.js'
import { actionRow, failElement, pendingActionRow, pendingElement, postElement } from './_disc-render.js'
import { openEditor } from './_disc-edit.js'
import { attachMentions } from './_mentions.js'
import { renderMathsIn } from './_maths-text.js'

const RETRY_MS = 3000
const ACK_TIMEOUT_MS = 15000
const config = JSON.parse(document.getElementById('discussion-config').textContent)
const csrfToken = document.querySelector('meta[name="csrf-token"]').content
const stateEl = document.getElementById('disc-state')
const messageEl = document.getElementById('disc-message')
const outbox = new Outbox(config.sessionId)
// Who is looking: the author may edit and delete their posts, a lead may delete any (drawn by _disc-render.js).
const who = { userId: config.user.id, isLead: config.isLead, canPost: config.canPost, sessionId: config.sessionId, csrfToken }
const EVENTS = { post: 'discussion:post', action: 'discussion:action', done: 'discussion:action-done', edit: 'discussion:edit', delete: 'discussion:delete' }

let joined = false
let sending = false
let epoch = 0 // bumps on each disconnect: a late answer from an older connection must not restart sending
let joinError = null // {message} when the server would not let us in

const socket = openSocket(undefined, 'discussion:' + config.sessionId) // its room: nginx keeps a discussion on one process
const status = showSaveState(stateEl, () => ({ error: joinError, connected: socket.connected, joined, waiting: outbox.size }), POSTS)

function say (text) {
  messageEl.textContent = text
  messageEl.hidden = !text
}

// --- showing posts and actions ------------------------------------------------------------------------

function listFor (post) {
  if (post.parent_id) return document.querySelector(`.disc-replies[data-parent-id="${post.parent_id}"]`)
  return document.querySelector(`.disc-posts[data-section="${post.section}"]`)
}

function replyForm (post) {
  // A reply form under a new top-level post, cloned from the section's composer.
  const composer = document.querySelector(`.disc-section[data-section="${post.section}"] > form.disc-composer`)
  if (!composer) return null
  const details = document.createElement('details')
  details.className = 'disc-reply'
  details.innerHTML = '<summary>Reply</summary>'
  const form = composer.cloneNode(true)
  form.dataset.parentId = post.id
  form.querySelector('[name="parent_id"]').value = post.id
  form.querySelector('[name="client_id"]').value = newClientId()
  const area = form.querySelector('textarea')
  area.id = `body-${post.section}-${post.id}`
  area.value = ''
  area.rows = 2
  const label = form.querySelector('label')
  label.htmlFor = area.id
  label.textContent = 'Your reply'
  label.className = 'visually-hidden'
  const button = form.querySelector('button')
  button.textContent = 'Reply'
  button.classList.add('secondary')
  form.querySelector('.disc-quote-preview').hidden = true
  form.querySelector('[name="quote"]').value = ''
  const quoteButton = form.querySelector('.disc-quote-open')
  if (quoteButton) quoteButton.remove()
  bindComposer(form)
  details.append(form)
  return details
}

function showPost (post) {
  if (post.deleted) { removePost(post); return }
  const existing = document.querySelector(`[data-client-id="${post.client_id}"].disc-post`)
  const article = postElement(post, who)
  if (existing && !existing.classList.contains('pending')) {
    existing.replaceWith(article) // already shown: the ack and the broadcast both bring it
    return
  }
  const list = listFor(post)
  if (!list) return
  const item = document.createElement('li')
  if (existing) existing.closest('li').replaceWith(item) // our own post, now stored: same place
  else list.append(item)
  if (!post.parent_id) {
    item.className = 'disc-thread'
    item.dataset.postId = post.id
    const replies = document.createElement('ol')
    replies.className = 'disc-replies'
    replies.dataset.parentId = post.id
    item.append(article, replies)
    const reply = config.canPost && replyForm(post)
    if (reply) item.append(reply)
    const empty = list.parentElement.querySelector('.disc-empty')
    if (empty) empty.hidden = true
  } else {
    item.append(article)
  }
}

// A deleted post leaves the page, for everyone at once; it stays as "Post deleted" while replies hang off it.
function removePost (post) {
  const article = document.querySelector(`.disc-post[data-post-id="${post.id}"]`)
  if (!article) return
  const item = article.closest('li')
  const replies = item && item.classList.contains('disc-thread') ? item.querySelector('.disc-replies') : null
  if (replies && replies.children.length) {
    article.replaceWith(postElement(post, who))
    return
  }
  const list = item.parentElement
  item.remove()
  if (list.classList.contains('disc-posts') && !list.children.length) {
    const empty = list.parentElement.querySelector('.disc-empty')
    if (empty) empty.hidden = false
  }
  if (list.classList.contains('disc-replies') && !list.children.length) {
    // The last reply under a deleted post: the placeholder has nothing left to hold.
    const parent = list.closest('.disc-thread')
    const parentPost = parent && parent.querySelector('.disc-post.deleted')
    if (parentPost) removePost({ id: Number(parentPost.dataset.postId), deleted: true })
  }
}

function waiting (article, note) {
  article.classList.add('disc-waiting')
  let span = article.querySelector('.disc-waiting-note')
  if (!span) {
    span = document.createElement('span')
    span.className = 'muted disc-waiting-note'
    const header = article.querySelector('.disc-meta') || article
    header.append(' ', span)
  }
  span.textContent = note
}

function showDone (row, done) {
  row.classList.toggle('done', done)
  const form = row.querySelector('form.disc-done')
  if (!form) return
  form.querySelector('[name="done"]').value = done ? 'no' : 'yes'
  const button = form.querySelector('button')
  button.setAttribute('aria-checked', String(done))
  button.firstChild.textContent = done ? '☑' : '☐'
}

function showPending (item) {
  const { payload } = item
  if (item.type === 'done') {
    const row = document.querySelector(`#action-list tr[data-action-id="${payload.action_id}"]`)
    if (row) showDone(row, payload.done)
    return
  }
  if (item.type === 'edit' || item.type === 'delete') {
    const article = document.querySelector(`.disc-post[data-post-id="${payload.post_id}"]`)
    if (!article) return
    if (item.type === 'edit') {
      article.dataset.markdown = payload.body
      const body = article.querySelector('.disc-body')
      if (body) body.textContent = payload.body // as typed, until the server's rendering comes back
      waiting(article, 'Edit waiting to send')
    } else {
      article.querySelectorAll('.disc-body, .disc-quote, .disc-post-controls').forEach((node) => { node.hidden = true })
      waiting(article, 'Deleting — waiting to send')
    }
    return
  }
  if (item.type === 'action') {
    const owner = document.querySelector(`#action-form select[name="action-owner_id"] option[value="${payload.owner_id}"]`)
    document.querySelector('#action-list tbody').append(pendingActionRow(payload, owner ? owner.textContent : ''))
    document.querySelector('.disc-no-actions').hidden = true
    return
  }
  const list = listFor(payload)
  if (!list) return
  const li = document.createElement('li')
  li.append(pendingElement(payload, config.user.name))
  list.append(li)
  if (!payload.parent_id) {
    const empty = list.parentElement.querySelector('.disc-empty')
    if (empty) empty.hidden = true
  }
}

function showAction (action) {
  const row = actionRow(action, { interactive: config.canPost, sessionId: config.sessionId, csrfToken, userId: config.user.id, isLead: config.isLead })
  const existing = document.querySelector(`#action-list tr[data-client-id="${action.client_id}"]`)
  if (existing) existing.replaceWith(row)
  else document.querySelector('#action-list tbody').append(row)
  document.querySelector('.disc-no-actions').hidden = true
  const form = row.querySelector('form.disc-done')
  if (form) bindDone(form)
}

// --- sending, oldest first ----------------------------------------------------------------------------

function pump () {
  if (!joined || sending) return
  const item = outbox.first()
  if (!item) { status(); return }
  sending = true
  const mine = epoch
  const event = EVENTS[item.type] || 'discussion:post'
  socket.timeout(ACK_TIMEOUT_MS).emit(event, item.payload, (err, ack) => {
    if (!err && ack && ack.ok) {
      outbox.remove(item.payload.client_id)
      if (ack.post) showPost(ack.post)
      if (ack.action) showAction(ack.action)
    } else if (!err && ack && !['server-error', 'not-joined', 'rate-limited'].includes(ack.error)) {
      // Refused for good (e.g. too long): nothing was stored; keep the words on screen and say why.
      outbox.remove(item.payload.client_id)
      const shown = document.querySelector(`.pending[data-client-id="${item.payload.client_id}"]`)
      if (shown) failElement(shown, ack.message)
      const corrected = item.payload.post_id && document.querySelector(`.disc-post.disc-waiting[data-post-id="${item.payload.post_id}"]`)
      if (corrected) waiting(corrected, 'Not saved — ' + ack.message)
      const row = item.type === 'done' && document.querySelector(`#action-list tr[data-action-id="${item.payload.action_id}"]`)
      if (row) showDone(row, !item.payload.done)
      say(ack.message)
    } else if (mine === epoch) {
      // No answer, or the server could not store it: the same client id goes again, so never twice.
      sending = false
      status()
      setTimeout(pump, RETRY_MS)
      return
    }
    if (mine === epoch) {
      sending = false
      pump()
    }
    status()
  })
  status()
}

function enqueue (item) {
  outbox.add(item)
  showPending(item)
  status()
  pump()
}

// --- the forms ----------------------------------------------------------------------------------------

function bindComposer (form) {
  attachMentions(form.querySelector('textarea'), config.people)
  form.addEventListener('submit', (event) => {
    event.preventDefault()
    const area = form.querySelector('textarea')
    const body = area.value.trim()
    if (!body) { say('Write something before posting.'); area.focus(); return }
    say('')
    const quoteField = form.querySelector('[name="quote"]')
    const payload = {
      client_id: form.querySelector('[name="client_id"]').value || newClientId(),
      section: form.dataset.section,
      parent_id: form.dataset.parentId ? Number(form.dataset.parentId) : null,
      body,
      quote: quoteField.value ? JSON.parse(quoteField.value) : null
    }
    form.querySelector('[name="client_id"]').value = newClientId() // the next post is a new one
    area.value = ''
    quoteField.value = ''
    form.querySelector('.disc-quote-preview').hidden = true
    const details = form.closest('details')
    if (details) details.open = false
    enqueue({ type: 'post', payload })
  })
}

function bindActionForm (form) {
  form.addEventListener('submit', (event) => {
    event.preventDefault()
    const text = form.querySelector('[name="action-text"]').value.trim()
    if (!text) { say('Say what was agreed.'); return }
    say('')
    const ownerField = form.querySelector('[name="action-owner_id"]')
    if (!ownerField.value) { say('Choose who owns this action: every agreed action needs an owner.'); ownerField.focus(); return }
    say('')
    const idField = form.querySelector('[name="action-client_id"]')
    const payload = {
      client_id: idField.value || newClientId(),
      text,
      owner_id: Number(ownerField.value),
      due_date: form.querySelector('[name="action-due_date"]').value
    }
    idField.value = newClientId()
    ownerField.value = '' // the next action's owner is chosen again, never carried over
    form.querySelector('[name="action-text"]').value = ''
    form.querySelector('[name="action-due_date"]').value = ''
    enqueue({ type: 'action', payload })
  })
}

function bindDone (form) {
  form.addEventListener('submit', (event) => {
    event.preventDefault()
    // Queued like posts: ticked offline, it is sent (in order) once the connection is back.
    const row = form.closest('tr')
    const done = form.querySelector('[name="done"]').value === 'yes'
    enqueue({ type: 'done', payload: { client_id: newClientId(), action_id: Number(row.dataset.actionId), done } })
  })
}

// Edit and Delete on any post, drawn by the server or by _disc-render.js.
function bindCorrections () {
  document.addEventListener('click', (event) => {
    const link = event.target.closest('a.disc-edit')
    if (!link) return
    event.preventDefault()
    const article = link.closest('.disc-post')
    openEditor(article, (body) => {
      enqueue({ type: 'edit', payload: { client_id: newClientId(), post_id: Number(article.dataset.postId), body } })
    }, say, config.people)
  })
  document.addEventListener('submit', (event) => {
    const form = event.target.closest('form.disc-delete')
    if (!form) return
    event.preventDefault()
    if (!window.confirm('Delete this post? Its words will be removed for everyone.')) return
    const article = form.closest('.disc-post')
    enqueue({ type: 'delete', payload: { client_id: newClientId(), post_id: Number(article.dataset.postId) } })
  })
}

/** Quote an observation note or photo into the next post: {kind, text, photo_url?, author, at}. */
function quote (snapshot, section = 'evidence') {
  const form = document.querySelector(`.disc-section[data-section="${section}"] > form.disc-composer`)
  if (form) attachQuote(form, snapshot)
}

function attachQuote (form, snapshot) {
  form.querySelector('[name="quote"]').value = JSON.stringify(snapshot)
  const preview = form.querySelector('.disc-quote-preview')
  preview.textContent = 'Quoting: ' + (snapshot.text || 'a photo') + (snapshot.author ? ' (' + snapshot.author + ')' : '') + ' '
  const remove = document.createElement('button')
  remove.type = 'button'
  remove.className = 'link-button'
  remove.textContent = 'Remove quote'
  remove.addEventListener('click', () => { form.querySelector('[name="quote"]').value = ''; preview.hidden = true })
  preview.append(remove)
  preview.hidden = false
  form.querySelector('textarea').focus()
}

// The list of the visit's notes: opened under the composer that asked for it.
function bindQuotePicker () {
  const picker = document.getElementById('quote-picker')
  if (!picker) return
  let target = null
  document.querySelectorAll('.disc-quote-open').forEach((button) => {
    button.hidden = false
    button.addEventListener('click', () => {
      target = button.closest('form')
      target.after(picker)
      picker.hidden = false
      const first = picker.querySelector('.disc-quote-pick')
      if (first) first.focus()
    })
  })
  picker.querySelectorAll('.disc-quote-pick').forEach((button) => {
    button.addEventListener('click', () => {
      if (target) attachQuote(target, JSON.parse(button.dataset.quote))
      picker.hidden = true
    })
  })
  document.getElementById('quote-picker-close').addEventListener('click', () => { picker.hidden = true })
}

// --- start --------------------------------------------------------------------------------------------

function join () {
  socket.emit('discussion:join', config.sessionId, (ack) => {
    if (!ack || !ack.ok) {
      joinError = { message: (ack && ack.message) || 'the discussion could not be opened.' }
      status()
      return
    }
    joinError = null
    joined = true
    status()
    pump() // whatever was written offline, in order
  })
}

socket.on('connect', join)
socket.on('disconnect', () => { joined = false; sending = false; epoch++; status() })
socket.on('connect_error', status)
socket.on('discussion:posted', showPost)
socket.on('discussion:post-updated', showPost)
socket.on('discussion:action-added', showAction)
socket.on('discussion:action-updated', showAction)
followNetwork(socket, status)

if (config.canPost) {
  document.querySelectorAll('form.disc-composer').forEach(bindComposer)
  const actionForm = document.getElementById('action-form')
  if (actionForm) bindActionForm(actionForm)
  document.querySelectorAll('form.disc-done').forEach(bindDone)
  bindCorrections()
  bindQuotePicker()
  outbox.items.forEach(showPending) // typed before a reload and not sent yet
  const quoteKey = `collab:discussion:${config.sessionId}:quote`
  const waiting = window.localStorage.getItem(quoteKey)
  if (waiting) {
    window.localStorage.removeItem(quoteKey)
    try { const q = JSON.parse(waiting); quote(q.quote || q, q.section) } catch { /* not ours */ }
  }
}
window.collabDiscussion = { quote, outbox, socket }
renderMathsIn(document.querySelector('main')) // the maths in the posts the server drew
status()
connectWhenOnline(socket)
