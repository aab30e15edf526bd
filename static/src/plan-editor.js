// The lesson-plan editor: Tiptap bound to a Yjs document, synced over Socket.IO, kept in IndexedDB.
// Configuration comes from <script type="application/json" id="plan-config"> (the CSP forbids inline JS).
import { Editor } from '@tiptap/core'
import { TableKit } from '@tiptap/extension-table'
import Image from '@tiptap/extension-image'
import { openSharedDocument, messenger } from './_shared-doc.js'
import { collaborativeExtensions } from './_editor-base.js'
import { bindPresence } from './_presence.js'
import { imageFiles, uploadAndInsert } from './_images.js'
import { planComments } from './_comments.js'


function start () {
  const configElement = document.getElementById('plan-config')
  const mount = document.getElementById('plan-editor')
  if (!configElement || !mount) return
  const config = JSON.parse(configElement.textContent)
  const canEdit = config.access === 'edit'
  const report = messenger('editor-message')
  const { doc, awareness, provider, persistence, refresh } = openSharedDocument({
    room: config.room, user: config.user, storageKey: 'collab-plan-' + config.planId })

  const comments = planComments({ config, canEdit })
  mount.replaceChildren() // the server-rendered copy is only for people without JavaScript
  const editor = new Editor({
    element: mount,
    editable: true, // a reader's too, to select and comment: ReadOnlyText keeps their text as it is (_comments.js)
    extensions: [
      ...collaborativeExtensions({ doc, provider, user: config.user }),
      TableKit.configure({ table: { resizable: false } }),
      Image.configure({ inline: false, allowBase64: false }),
      ...comments.extensions
    ],
    editorProps: {
      attributes: { class: 'plan-body', 'aria-label': 'Lesson plan', 'aria-multiline': 'true', role: 'textbox', ...comments.attributes },
      handlePaste: (view, event) => {
        const files = imageFiles(event.clipboardData)
        if (!files.length || !canEdit) return false
        uploadAndInsert(editor, config.imageUploadUrl, files, null, report)
        return true
      },
      handleDrop: (view, event) => {
        const files = imageFiles(event.dataTransfer)
        if (!files.length || !canEdit) return false
        const at = view.posAtCoords({ left: event.clientX, top: event.clientY })
        uploadAndInsert(editor, config.imageUploadUrl, files, at ? at.pos : null, report)
        return true
      }
    }
  })

  const panel = comments.start({ editor, doc, provider, report })
  bindPresence(document.getElementById('presence'), awareness)
  bindToolbar(editor, config, canEdit, report)

  // Connect once the local copy is loaded, so our answer to the server's step 1 holds every offline edit.
  persistence.whenSynced.then(() => provider.connect(), () => provider.connect())
  refresh()

  window.collabEditor = { editor, doc, provider, awareness, panel }
}

const COMMANDS = {
  paragraph: (c) => c.setParagraph(),
  h2: (c) => c.toggleHeading({ level: 2 }),
  h3: (c) => c.toggleHeading({ level: 3 }),
  bold: (c) => c.toggleBold(),
  italic: (c) => c.toggleItalic(),
  bulletList: (c) => c.toggleBulletList(),
  orderedList: (c) => c.toggleOrderedList(),
  insertTable: (c) => c.insertTable({ rows: 3, cols: 3, withHeaderRow: true }),
  addRowAfter: (c) => c.addRowAfter(),
  addColumnAfter: (c) => c.addColumnAfter(),
  deleteRow: (c) => c.deleteRow(),
  deleteColumn: (c) => c.deleteColumn(),
  deleteTable: (c) => c.deleteTable()
}

function bindToolbar (editor, config, canEdit, report) {
  const toolbar = document.getElementById('plan-toolbar')
  if (!toolbar) return
  if (!canEdit) { toolbar.hidden = true; return }
  toolbar.hidden = false
  toolbar.addEventListener('click', (event) => {
    const button = event.target.closest('button[data-command]')
    if (!button) return
    event.preventDefault()
    const command = COMMANDS[button.dataset.command]
    if (command) command(editor.chain().focus()).run()
  })
  const picker = document.getElementById('image-picker')
  if (picker) {
    picker.addEventListener('change', () => {
      const files = Array.from(picker.files || [])
      uploadAndInsert(editor, config.imageUploadUrl, files, null, report).then(() => { picker.value = '' })
    })
  }
  const update = () => {
    toolbar.querySelectorAll('button[data-command]').forEach((button) => {
      const name = button.dataset.command
      const active = {
        bold: () => editor.isActive('bold'),
        italic: () => editor.isActive('italic'),
        h2: () => editor.isActive('heading', { level: 2 }),
        h3: () => editor.isActive('heading', { level: 3 }),
        bulletList: () => editor.isActive('bulletList'),
        orderedList: () => editor.isActive('orderedList')
      }[name]
      if (active) button.setAttribute('aria-pressed', active() ? 'true' : 'false')
      if (name.startsWith('add') || name.startsWith('delete')) button.disabled = !editor.isActive('table')
    })
  }
  editor.on('selectionUpdate', update)
  editor.on('transaction', update)
  update()
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start)
else start()
