// The development-plan editor: the lesson-plan editor's Yjs + Tiptap + Socket.IO + IndexedDB set-up
// (same provider, save state and presence modules), plus anchored comments in a side panel (_comments.js).
import { Editor } from '@tiptap/core'
import { openSharedDocument, messenger } from './_shared-doc.js'
import { collaborativeExtensions } from './_editor-base.js'
import { bindPresence } from './_presence.js'
import { planComments } from './_comments.js'

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
  const canEdit = config.access === 'edit'
  const report = messenger('editor-message')
  const { doc, awareness, provider, persistence, refresh } = openSharedDocument({
    room: config.room, user: config.user, storageKey: 'collab-devplan-' + config.planId })

  const comments = planComments({ config, canEdit })
  mount.replaceChildren()
  const editor = new Editor({
    element: mount,
    editable: true, // a reader's too: ReadOnlyText keeps their text as it is (_comments.js)
    extensions: [...collaborativeExtensions({ doc, provider, user: config.user }), ...comments.extensions],
    editorProps: {
      attributes: {
        class: 'plan-body', 'aria-label': 'Development plan', 'aria-multiline': 'true', role: 'textbox', ...comments.attributes
      }
    }
  })
  const panel = comments.start({ editor, doc, provider, report })

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
