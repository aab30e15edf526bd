// What every collaborative Tiptap editor shares: the starter kit without its own undo (Yjs has it),
// our tolerant heading, and the Yjs binding with everyone's carets.
import Heading from '@tiptap/extension-heading'
import { mergeAttributes } from '@tiptap/core'
import StarterKit from '@tiptap/starter-kit'
import Collaboration from '@tiptap/extension-collaboration'
import CollaborationCaret from '@tiptap/extension-collaboration-caret'
import { mathsExtensions } from './_maths-editor.js'
import { Representation } from './_repr-node.js'

// A level stored as a string ("2", as a server-side writer may store it) still renders as <h2>.
export const TolerantHeading = Heading.extend({
  renderHTML ({ node, HTMLAttributes }) {
    const wanted = Number(node.attrs.level)
    const level = this.options.levels.includes(wanted) ? wanted : this.options.levels[0]
    return ['h' + level, mergeAttributes(this.options.HTMLAttributes, HTMLAttributes), 0]
  }
})

export function collaborativeExtensions ({ doc, provider, user }) {
  return [
    StarterKit.configure({ undoRedo: false, heading: false, link: { openOnClick: false } }),
    TolerantHeading,
    Collaboration.configure({ document: doc, field: 'default' }),
    CollaborationCaret.configure({ provider, user: { name: user.name, color: user.color } }),
    ...mathsExtensions(), // inline and display maths (KaTeX from dist/maths.js, loaded by the page)
    Representation // bar models, double number lines...: an "Insert representation" menu in the toolbar
  ]
}
