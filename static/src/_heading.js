import Heading from '@tiptap/extension-heading'
import { mergeAttributes } from '@tiptap/core'

// A level stored as a string ("2", as a server-side writer may store it) still renders as <h2>.
export const TolerantHeading = Heading.extend({
  renderHTML ({ node, HTMLAttributes }) {
    const wanted = Number(node.attrs.level)
    const level = this.options.levels.includes(wanted) ? wanted : this.options.levels[0]
    return ['h' + level, mergeAttributes(this.options.HTMLAttributes, HTMLAttributes), 0]
  }
})
