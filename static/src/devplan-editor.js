// The development-plan editor: the lesson-plan editor's Yjs + Tiptap + Socket.IO + IndexedDB set-up
// (same provider, save state and presence modules), plus anchored comments in a side panel.
import { Editor, Extension } from '@tiptap/core'
import { Plugin } from '@tiptap/pm/state'
import { ySyncPluginKey } from '@tiptap/y-tiptap'
import { openSharedDocument, messenger } from './_shared-doc.js'
import { collaborativeExtensions } from './_editor-base.js'
import { bindPresence } from './_presence.js'
import { CommentHighlights, CommentPanel } from './_devplan-comments.js'

const COMMANDS = {
  paragraph: (c) => c.setParagraph(),
  h2: (c) => c.toggleHeading({ level: 2 }),
  h3: (c) => c.toggleHeading({ level: 3 }),
  bold: (c) => c.toggleBold(),
  italic: (c) => c.toggleItalic(),
  bulletList: (c) => c.toggleBulletList(),
  orderedList: (c) => c.toggleOrderedList()
}

// A reader (a reviewer) gets an editor that takes the caret and keyboard selections (Shift+arrows), so that
// they can comment without a mouse, but whose text only changes with what arrives from the shared document.
const ReadOnlyText = Extension.create({
  name: 'devplanReadOnlyText',
  addProseMirrorPlugins () {
    return [new Plugin({
      filterTransaction: (tr) => !tr.docChanged || Boolean(tr.getMeta(ySyncPluginKey)),
      props: {
        handleDOMEvents: { beforeinput: (view, event) => { event.preventDefault(); return true } },
        handlePaste: () => true,
        handleDrop: () => true
      }
    })]
  }
})

// Ctrl+Alt+M (⌘⌥M) starts a comment on the selection, as the hint beside "Comment on selection" says.
const CommentShortcut = Extension.create({
  name: 'devplanCommentShortcut',
  addOptions () { return { start: () => false } },
  addKeyboardShortcuts () { return { 'Mod-Alt-m': () => this.options.start() } }
})

function start () {
  const configElement = document.getElementById('plan-config')
  const mount = document.getElementById('plan-editor')
  if (!configElement || !mount) return
  const config = JSON.parse(configElement.textContent)
  const threads = JSON.parse(document.getElementById('plan-threads').textContent)
  const canEdit = config.access === 'edit'
  const report = messenger('editor-message')
  const { doc, awareness, provider, persistence, refresh } = openSharedDocument({
    room: config.room, user: config.user, storageKey: 'collab-devplan-' + config.planId })

  let panel = null
  mount.replaceChildren()
  const editor = new Editor({
    element: mount,
    editable: true,
    extensions: [
      ...collaborativeExtensions({ doc, provider, user: config.user }),
      CommentHighlights.configure({ threads: () => (panel ? panel.list() : threads), activeId: () => (panel ? panel.activeId : null) }),
      CommentShortcut.configure({ start: () => (panel ? panel.startComment() : false) }),
      ...(canEdit ? [] : [ReadOnlyText])
    ],
    editorProps: {
      attributes: {
        class: 'plan-body', 'aria-label': 'Development plan', 'aria-multiline': 'true', role: 'textbox',
        // A reader's phone shows no on-screen keyboard when they tap the plan to select words.
        // A reader's phone shows no on-screen keyboard when they tap the plan to select words.
        'aria-describedby': 'comment-hint', ...(canEdit ? {} : { 'aria-readonly': 'true', inputmode: 'none' })
      }
    }
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
