// Anchored comments on a plan's text, the same on lesson plans and development plans: the side panel (threads by
// section, open then resolved, live from `<kind>:comment`), posting comments and replies with a client-generated
// id (so a retry never makes a duplicate). What comments add to the editor is in _comment-editor.js;
// `planComments` is what an editor page uses.
import { anchorFromSelection, resolveAnchor } from './_comment-anchors.js'
import { CommentHighlights, CommentShortcut, ReadOnlyText, refreshHighlights } from './_comment-editor.js'
import { attachMentions } from './_mentions.js'
import { setMathsText } from './_maths-text.js'

const MAX_COMMENT_CHARS = 5000 // as the server's limit (collab/comments/services.py)

export function newClientId () {
  const bytes = new Uint8Array(16)
  crypto.getRandomValues(bytes)
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')
}

function csrf () {
  const meta = document.querySelector('meta[name="csrf-token"]')
  return meta ? meta.content : ''
}

async function postJSON (url, body) {
  // Retried on network failure with the same body (and client id): the server makes it once.
  for (let attempt = 0; ; attempt++) {
    try {
      const response = await fetch(url, {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json', 'X-CSRFToken': csrf() },
        body: JSON.stringify(body)
      })
      const data = await response.json().catch(() => ({}))
      if (!response.ok) throw Object.assign(new Error(data.message || 'The server refused that.'), { final: true })
      return data
    } catch (err) {
      if (err.final || attempt >= 4) throw err
      await new Promise((resolve) => setTimeout(resolve, 1000 * (attempt + 1)))
    }
  }
}

export class CommentPanel {
  constructor ({ editor, config, threads, report }) {
    this.editor = editor
    this.config = config
    this.report = report
    this.threads = new Map(threads.map((t) => [t.id, t]))
    this.activeId = null
    this.pending = null // the anchor of the comment being written
    this.openBox = document.getElementById('open-comments')
    this.resolvedBox = document.getElementById('resolved-comments')
    this.form = document.getElementById('comment-form')
    this.startButton = document.getElementById('comment-start')
    this._bind()
    this.render()
  }

  list () { return Array.from(this.threads.values()) }

  upsert (thread) {
    this.threads.set(thread.id, thread)
    this.render()
    this.refreshHighlights()
  }

  refreshHighlights () { refreshHighlights(this.editor.view) }

  // Starts a comment on the editor's selection, made with the mouse or with Shift+arrows: from the panel's
  // button (reached with Tab) or Ctrl+Alt+M in the plan. Focus moves to the comment box and a screen reader
  // hears what is being commented on. Returns whether a comment was started.
  startComment () {
    const anchor = anchorFromSelection(this.editor.state)
    if (!anchor) {
      this.report('Select some text in the plan first (with the mouse, or Shift and the arrow keys).')
      return false
    }
    this.pending = anchor
    document.getElementById('comment-quote').textContent = anchor.quote
    this.form.hidden = false
    this.announce(`Commenting on “${anchor.quote.slice(0, 120)}”. Write your comment, then press Comment.`)
    document.getElementById('comment-body').focus()
    return true
  }

  announce (text) {
    const live = document.getElementById('comment-live')
    if (!live) return
    live.textContent = ''
    setTimeout(() => { live.textContent = text }, 50) // a change a screen reader notices even for the same words
  }

  _cancel () {
    this.form.hidden = true
    this.pending = null
    this.announce('Comment cancelled.')
    this.editor.view.focus() // at once (the editor keeps its selection), not on the next frame
  }

  _bind () {
    const body = document.getElementById('comment-body')
    attachMentions(body, this.config.people)
    this.startButton.hidden = false
    // aria-disabled rather than disabled: the button stays in the Tab order, and says why when pressed.
    const showSelection = () => {
      const { from, to } = this.editor.state.selection
      this.startButton.setAttribute('aria-disabled', String(from >= to))
    }
    showSelection()
    this.editor.on('selectionUpdate', showSelection)
    this.startButton.addEventListener('mousedown', (e) => e.preventDefault()) // keep the selection
    this.startButton.addEventListener('click', () => this.startComment())
    document.getElementById('comment-cancel').addEventListener('click', () => this._cancel())
    body.addEventListener('keydown', (event) => {
      if (event.key === 'Escape' && !event.defaultPrevented) { event.preventDefault(); this._cancel() }
    })
    this.form.addEventListener('submit', async (event) => {
      event.preventDefault()
      if (!this.pending || !body.value.trim()) return
      const anchor = this.pending
      const payload = { clientId: newClientId(), body: body.value, anchor: { start: anchor.start, end: anchor.end }, quote: anchor.quote }
      try {
        const data = await postJSON(this.config.commentsUrl, payload)
        body.value = ''
        this.form.hidden = true
        this.pending = null
        this.upsert(data.thread)
        this.announce(`Comment added on “${anchor.quote.slice(0, 120)}”. It is listed under Open comments.`)
        this.startButton.focus()
      } catch (err) { this.report(err.message) }
    })
    const panel = document.querySelector('.comments-panel')
    panel.addEventListener('submit', (event) => this._threadAction(event))
    panel.addEventListener('click', (event) => {
      const article = event.target.closest('.comment-thread')
      if (article && !event.target.closest('form,button,textarea')) {
        this.activeId = Number(article.dataset.id)
        this.refreshHighlights()
      }
    })
    this.editor.view.dom.addEventListener('click', (event) => {
      const mark = event.target.closest('.comment-highlight')
      if (!mark) return
      const article = document.getElementById('comment-' + mark.dataset.commentId)
      if (article) { article.scrollIntoView({ block: 'nearest' }); article.classList.add('is-active') }
    })
  }

  async _threadAction (event) {
    const form = event.target
    const article = form.closest('.comment-thread')
    if (!article) return
    event.preventDefault()
    const id = Number(article.dataset.id)
    try {
      if (form.classList.contains('reply-form')) {
        const text = form.querySelector('textarea')
        if (!text.value.trim()) return
        const data = await postJSON(this.config.commentsUrl, { clientId: form.dataset.clientId, body: text.value, parentId: id })
        // Sent: the box the panel now draws (kept across redraws, below) starts empty, with a new id for the next.
        const box = document.getElementById(text.id)
        if (box) { box.value = ''; box.closest('form').dataset.clientId = newClientId() }
        this.upsert(data.thread)
      } else if (form.classList.contains('resolve-form')) {
        const resolved = form.dataset.resolved === '1'
        const data = await postJSON(this.config.resolveUrl.replace(/\/0\/resolve$/, '/' + id + '/resolve'), { resolved })
        const thread = data.thread || this.threads.get(id)
        if (thread) { thread.resolved = resolved; this.upsert(thread) }
      }
    } catch (err) { this.report(err.message) }
  }

  render () {
    const drafts = this._drafts()
    const state = this.editor.state
    const groups = { open: new Map(), resolved: new Map() }
    for (const thread of this.list()) {
      const live = resolveAnchor(state, thread.anchor)
      thread.liveDeleted = !live && thread.status === 'deleted' ? true : (!live && this._docReady())
      const box = thread.resolved ? groups.resolved : groups.open
      if (!box.has(thread.section)) box.set(thread.section, [])
      box.get(thread.section).push(thread)
    }
    this._fill(this.openBox, groups.open, 'No open comments.')
    this._fill(this.resolvedBox, groups.resolved, 'None yet.')
    this._restore(drafts)
  }

  // The panel is drawn again on every change to the plan (someone typing) and every comment that arrives: a reply
  // being written is kept, with its retry id, its caret and the focus, or it would vanish under the writer.
  _drafts () {
    const drafts = []
    for (const text of [this.openBox, this.resolvedBox].flatMap((box) => Array.from(box.querySelectorAll('.reply-form textarea')))) {
      const focused = text === document.activeElement
      if (text.value || focused) {
        drafts.push({ id: text.id, value: text.value, clientId: text.closest('form').dataset.clientId, focused, start: text.selectionStart, end: text.selectionEnd })
      }
    }
    return drafts
  }

  _restore (drafts) {
    for (const draft of drafts) {
      const text = document.getElementById(draft.id)
      if (!text) continue // its thread is gone (deleted with its plan, say)
      text.value = draft.value
      text.closest('form').dataset.clientId = draft.clientId
      if (draft.focused) { text.focus(); text.setSelectionRange(draft.start, draft.end) }
    }
  }

  _docReady () { return this.editor.state.doc.textContent.length > 0 }

  _fill (box, sections, empty) {
    const known = this.config.sections || [] // the plan's sections in order when the page was made
    const order = (name) => { const i = known.indexOf(name); return i < 0 ? known.length : i }
    const names = Array.from(sections.keys()).sort((a, b) => order(a) - order(b))
    box.replaceChildren()
    if (!names.length) { const p = el('p', 'muted', empty); box.append(p); return }
    for (const name of names) {
      box.append(el('h3', '', name))
      sections.get(name).forEach((thread) => box.append(this._thread(thread)))
    }
  }

  _thread (thread) {
    const article = el('article', 'comment-thread' + (thread.resolved ? ' is-resolved' : '') + (thread.id === this.activeId ? ' is-active' : ''))
    article.id = 'comment-' + thread.id
    article.dataset.id = thread.id
    const quote = el('p', 'comment-quote' + (thread.liveDeleted ? ' is-deleted' : ''))
    if (thread.liveDeleted) quote.append(el('span', 'tag', 'On deleted text'), ' ')
    quote.append(el('q', '', thread.quote))
    article.append(quote, this._message(thread))
    thread.replies.forEach((reply) => { const div = el('div', 'comment-reply'); div.append(...this._message(reply).childNodes); article.append(div) })
    const reply = el('form', 'reply-form')
    reply.dataset.clientId = newClientId()
    const label = el('label', 'visually-hidden', 'Reply')
    const text = el('textarea', '')
    text.rows = 2
    text.maxLength = MAX_COMMENT_CHARS
    text.placeholder = 'Reply (type @ and a name to mention someone)'
    text.id = label.htmlFor = 'reply-' + thread.id
    const send = el('button', 'button button-small', 'Reply')
    send.type = 'submit'
    reply.append(label, text, send)
    attachMentions(text, this.config.people)
    if (thread.resolved && thread.resolvedBy) article.append(el('p', 'muted', 'Resolved by ' + thread.resolvedBy))
    article.append(reply)
    // The plan's editors resolve and reopen any thread; everyone else their own.
    if (this.config.canResolveAll || (thread.author.id !== null && thread.author.id === this.config.user.id)) {
      const resolve = el('form', 'resolve-form')
      resolve.dataset.resolved = thread.resolved ? '0' : '1'
      const toggle = el('button', 'link-button', thread.resolved ? 'Reopen' : 'Resolve')
      toggle.type = 'submit'
      resolve.append(toggle)
      article.append(resolve)
    }
    return article
  }

  _message (message) {
    const div = el('div', 'comment-message')
    const who = el('p', '')
    who.append(el('strong', '', message.author.name), ' ', el('span', 'muted', [message.author.school, message.createdLabel].filter(Boolean).join(' · ')))
    const text = el('p', 'comment-body')
    setMathsText(text, message.body) // its $...$ maths drawn, the rest as text
    div.append(who, text)
    return div
  }
}

function el (tag, className, text) {
  const node = document.createElement(tag)
  if (className) node.className = className
  if (text !== undefined) node.textContent = text
  return node
}

// Comments for a plan's editor, in two steps: `extensions` and `attributes` go into the Editor (readers' editors
// stay editable, for the caret, with ReadOnlyText), then `start` draws the panel once the editor exists and keeps
// it live. The page gives the threads in #plan-threads and the panel's settings in its config
// (collab/comments/views.py `panel`).
export function planComments ({ config, canEdit }) {
  const threads = JSON.parse(document.getElementById('plan-threads').textContent)
  let panel = null
  return {
    extensions: [
      CommentHighlights.configure({ threads: () => (panel ? panel.list() : threads), activeId: () => (panel ? panel.activeId : null) }),
      CommentShortcut.configure({ start: () => (panel ? panel.startComment() : false) }),
      ...(canEdit ? [] : [ReadOnlyText])
    ],
    // A reader's phone shows no on-screen keyboard when they tap the plan to select words.
    attributes: { 'aria-describedby': 'comment-hint', ...(canEdit ? {} : { 'aria-readonly': 'true', inputmode: 'none' }) },
    start ({ editor, doc, provider, report }) {
      panel = new CommentPanel({ editor, config, threads, report })
      provider.socket.on(config.commentEvent, (thread) => panel.upsert(thread))
      // The document arrives after the panel is drawn: redraw (deleted-text labels) once it has synced, and on changes.
      let timer = null
      doc.on('update', () => { clearTimeout(timer); timer = setTimeout(() => panel.render(), 300) })
      return panel
    }
  }
}
