// What comments add to a plan's editor: highlights on the commented words, Ctrl+Alt+M to comment, and for readers
// an editor that takes the caret and selections but never changes the text (_comments.js uses them).
import { Extension } from '@tiptap/core'
import { Plugin, PluginKey } from '@tiptap/pm/state'
import { Decoration, DecorationSet } from '@tiptap/pm/view'
import { ySyncPluginKey } from '@tiptap/y-tiptap'
import { resolveAnchor } from './_comment-anchors.js'

const highlightKey = new PluginKey('comment-highlights')

export const CommentHighlights = Extension.create({
  name: 'commentHighlights',
  addOptions () { return { threads: () => [], activeId: () => null } },
  addProseMirrorPlugins () {
    const options = this.options
    return [new Plugin({
      key: highlightKey,
      props: {
        decorations (state) {
          const decorations = []
          for (const thread of options.threads()) {
            if (thread.resolved) continue
            const range = resolveAnchor(state, thread.anchor)
            if (!range) continue
            const active = options.activeId() === thread.id ? ' is-active' : ''
            decorations.push(Decoration.inline(range.from, range.to, {
              class: 'comment-highlight' + active, 'data-comment-id': String(thread.id)
            }))
          }
          return DecorationSet.create(state.doc, decorations)
        }
      }
    })]
  }
})

// Draws the highlights again (the threads changed; the document's changes redraw them anyway).
export function refreshHighlights (view) {
  view.dispatch(view.state.tr.setMeta(highlightKey, 'refresh'))
}

// A reader gets an editor that takes the caret and keyboard selections (Shift+arrows), so that they can comment
// without a mouse, but whose text only changes with what arrives from the shared document.
export const ReadOnlyText = Extension.create({
  name: 'readOnlyText',
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
export const CommentShortcut = Extension.create({
  name: 'commentShortcut',
  addOptions () { return { start: () => false } },
  addKeyboardShortcuts () { return { 'Mod-Alt-m': () => this.options.start() } }
})
