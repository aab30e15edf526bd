// The development-plan editor: the lesson-plan editor's Yjs + Tiptap + Socket.IO + IndexedDB set-up
// (same provider, save state and presence modules), plus anchored comments in a side panel.
import * as Y from 'yjs'
import { IndexeddbPersistence } from 'y-indexeddb'
import { Awareness } from 'y-protocols/awareness'
import { Editor, mergeAttributes } from '@tiptap/core'
import StarterKit from '@tiptap/starter-kit'
import Heading from '@tiptap/extension-heading'
import Collaboration from '@tiptap/extension-collaboration'
import CollaborationCaret from '@tiptap/extension-collaboration-caret'
import { SocketIOProvider } from './_provider.js'
import { bindSaveState, warnBeforeUnload } from './_savestate.js'
import { bindPresence } from './_presence.js'
import { CommentHighlights, CommentPanel } from './_devplan-comments.js'

const TolerantHeading = Heading.extend({
  renderHTML ({ node, HTMLAttributes }) {
    const wanted = Number(node.attrs.level)
    const level = this.options.levels.includes(wanted) ? wanted : this.options.levels[0]
    return ['h' + level, mergeAttributes(this.options.HTMLAttributes, HTMLAttributes), 0]
  }
})

const COMMANDS = {
  paragraph: (c) => c.setParagraph(),
  h2: (c) => c.toggleHeading({ level: 2 }),
  h3: (c) => c.toggleHeading({ level: 3 }),
  bold: (c) => c.toggleBold(),
  italic: (c) => c.toggleItalic(),
  bulletList: (c) => c.toggleBulletList(),
  orderedList: (c) => c.toggleOrderedList()
}

function start () {
  const configElement = document.getElementById('plan-config')
  const mount = document.getElementById('plan-editor')
  if (!configElement || !mount) return
  const config = JSON.parse(configElement.textContent)
  const threads = JSON.parse(document.getElementById('plan-threads').textContent)
  const canEdit = config.access === 'edit'
  const message = document.getElementById('editor-message')
  const report = (text) => { if (message) { message.textContent = text; message.hidden = !text } }

  const doc = new Y.Doc()
  const awareness = new Awareness(doc)
  awareness.setLocalStateField('user', { id: config.user.id, name: config.user.name, color: config.user.color })
  let refresh = () => {}
  const provider = new SocketIOProvider(config.room, doc, { awareness, onStatus: () => refresh() })
  const saveState = document.getElementById('save-state')
  if (saveState) refresh = bindSaveState(saveState, provider)
  warnBeforeUnload(provider)
  const persistence = new IndexeddbPersistence('collab-devplan-' + config.planId, doc)
  provider.ignoreOrigins.add(persistence)

  let panel = null
  mount.replaceChildren()
  const editor = new Editor({
    element: mount,
    editable: canEdit,
    extensions: [
      StarterKit.configure({ undoRedo: false, heading: false, link: { openOnClick: false } }),
      TolerantHeading,
      Collaboration.configure({ document: doc, field: 'default' }),
      CollaborationCaret.configure({ provider, user: { name: config.user.name, color: config.user.color } }),
      CommentHighlights.configure({ threads: () => (panel ? panel.list() : threads), activeId: () => (panel ? panel.activeId : null) })
    ],
    editorProps: { attributes: { class: 'plan-body', 'aria-label': 'Development plan', 'aria-multiline': 'true', role: 'textbox' } }
  })

  panel = new CommentPanel({ editor, config, threads, report })
  provider.socket.on('devplan:comment', (thread) => panel.upsert(thread))
  // The document arrives after the panel is drawn: redraw (deleted-text labels) once it has synced, and on changes.
  let timer = null
  doc.on('update', () => { clearTimeout(timer); timer = setTimeout(() => panel.render(), 300) })

  bindPresence(document.getElementById('presence'), awareness)
  const toolbar = document.getElementById('plan-toolbar')
  if (toolbar && canEdit) {
    toolbar.hidden = false
    toolbar.addEventListener('click', (event) => {
      const button = event.target.closest('button[data-command]')
      if (!button) return
      event.preventDefault()
      const command = COMMANDS[button.dataset.command]
      if (command) command(editor.chain().focus()).run()
    })
  }
  persistence.whenSynced.then(() => provider.connect(), () => provider.connect())
  refresh()
  window.collabEditor = { editor, doc, provider, awareness, panel }
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start)
else start()
