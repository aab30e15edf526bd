// A research cycle's study document: Tiptap bound to a Yjs document (room "study:<id>"), synced over Socket.IO and
// kept in IndexedDB, as the lesson-plan editor, without images or comments. Configuration comes from
// <script type="application/json" id="study-config"> (the CSP forbids inline JS).
import { Editor } from '@tiptap/core'
import { openSharedDocument } from './_shared-doc.js'
import { collaborativeExtensions } from './_editor-base.js'
import { bindPresence } from './_presence.js'

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
  const configElement = document.getElementById('study-config')
  const mount = document.getElementById('study-editor')
  if (!configElement || !mount) return
  const config = JSON.parse(configElement.textContent)
  const canEdit = config.access === 'edit'
  const { doc, awareness, provider, persistence, refresh } = openSharedDocument({
    room: config.room, user: config.user, storageKey: 'collab-study-' + config.studyId })
  mount.replaceChildren() // the server-rendered copy is only for people without JavaScript
  const editor = new Editor({
    element: mount,
    editable: canEdit,
    extensions: collaborativeExtensions({ doc, provider, user: config.user }),
    editorProps: {
      attributes: { class: 'plan-body', 'aria-label': 'Study document', 'aria-multiline': 'true', role: 'textbox' }
    }
  })
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
  window.collabEditor = { editor, doc, provider, awareness }
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start)
else start()
