// The `representation` block node: a bar model, double number line, ratio table... drawn from its attributes.
// Each parameter is its own node attribute (a string; a list is a JSON array in a string), so y-prosemirror keeps
// each in its own Yjs map entry: two people editing different fields of one drawing both keep their edit.
// Copy and paste between plans keep them as data- attributes on a <figure>; what is pasted is checked with the
// same rules as the server's (collab/maths/representations.py), and a value it would refuse is dropped.
import { Node, mergeAttributes } from '@tiptap/core'
import { NodeSelection } from '@tiptap/pm/state'
import { FIELDS, KINDS, KIND_NAMES, problem, svg, textAlternative } from './_repr-draw.js'
import { ReprPanel, insertMenu } from './_repr-panel.js'

const dataName = (key) => 'data-' + key.replace(/[A-Z]/g, (c) => '-' + c.toLowerCase())

function attribute (key) {
  return {
    default: key === 'kind' ? 'bar-part-whole' : null,
    parseHTML: (element) => {
      const value = element.getAttribute(dataName(key))
      return value !== null && !problem(key, value) ? value : null
    },
    renderHTML: (attrs) => (typeof attrs[key] === 'string' ? { [dataName(key)]: attrs[key] } : {})
  }
}

// Only the attributes that are set: what the drawing reads.
export const paramsOf = (node) => Object.fromEntries(Object.entries(node.attrs).filter(([, v]) => typeof v === 'string'))

class ReprView {
  constructor ({ node, editor, getPos }, canEdit, openNow) {
    this.node = node
    this.editor = editor
    this.getPos = getPos
    this.dom = document.createElement('figure')
    this.dom.className = 'repr'
    this.dom.contentEditable = 'false'
    this.dom.dataset.representation = ''
    this.drawing = document.createElement('div')
    this.drawing.className = 'repr-drawing'
    this.caption = document.createElement('figcaption')
    this.dom.append(this.drawing, this.caption)
    if (canEdit) {
      this.editButton = document.createElement('button')
      this.editButton.type = 'button'
      this.editButton.className = 'repr-edit'
      this.editButton.addEventListener('click', () => this.open())
      this.dom.append(this.editButton)
    }
    this.panel = null
    this.render()
    if (openNow && this.editButton) setTimeout(() => this.open(), 0)
  }

  render () {
    const params = paramsOf(this.node)
    // svg() escapes every piece of text and writes only rect, line, circle and text elements.
    this.drawing.innerHTML = svg(params)
    const caption = typeof params.caption === 'string' ? params.caption : ''
    this.caption.textContent = caption
    this.caption.hidden = !caption
    this.dom.dataset.kind = params.kind || ''
    if (this.editButton) {
      this.editButton.textContent = this.panel ? 'Close' : 'Edit'
      this.editButton.setAttribute('aria-label', `${this.panel ? 'Close' : 'Edit'} ${KIND_NAMES[params.kind] || 'representation'}`)
      this.editButton.setAttribute('aria-expanded', this.panel ? 'true' : 'false')
    }
    if (this.panel) this.panel.update(params)
  }

  open () {
    if (this.panel) { this.close(true); return }
    this.panel = new ReprPanel({
      params: paramsOf(this.node),
      write: (key, value) => this.write(key, value),
      close: () => this.close(true),
      remove: () => this.remove()
    })
    this.dom.append(this.panel.dom)
    this.render()
    this.panel.focus()
  }

  close (returnFocus) {
    if (!this.panel) return
    this.panel.dom.remove()
    this.panel = null
    this.render()
    if (returnFocus) this.focusDrawing()
  }

  focusDrawing () {
    const pos = this.getPos()
    if (typeof pos !== 'number') return
    const { state, dispatch } = this.editor.view
    dispatch(state.tr.setSelection(NodeSelection.create(state.doc, pos)))
    this.editor.view.focus()
  }

  // One attribute per edit: the other fields' Yjs entries are left alone.
  write (key, value) {
    const pos = this.getPos()
    if (typeof pos !== 'number' || problem(key, value)) return
    const { state, dispatch } = this.editor.view
    if (state.doc.nodeAt(pos)?.attrs[key] === value) return
    dispatch(state.tr.setNodeAttribute(pos, key, value))
  }

  remove () {
    const pos = this.getPos()
    if (typeof pos !== 'number') return
    this.panel = null
    this.editor.chain().focus().deleteRange({ from: pos, to: pos + this.node.nodeSize }).run()
  }

  update (node) {
    if (node.type !== this.node.type) return false
    this.node = node
    this.render()
    return true
  }

  stopEvent (event) { return Boolean(event.target.closest && event.target.closest('.repr-panel, .repr-edit')) }
  ignoreMutation () { return true }
  destroy () { this.panel = null }
}

export const Representation = Node.create({
  name: 'representation',
  group: 'block',
  atom: true,
  selectable: true,
  draggable: true,

  addAttributes () {
    return Object.fromEntries(Object.keys(FIELDS).map((key) => [key, attribute(key)]))
  },

  parseHTML () {
    return [{ tag: 'figure[data-representation]' }]
  },

  renderHTML ({ node, HTMLAttributes }) {
    // The text alternative inside, so that pasting into a word processor keeps what the drawing says.
    return ['figure', mergeAttributes({ 'data-representation': '' }, HTMLAttributes),
      ['figcaption', {}, textAlternative(paramsOf(node))]]
  },

  renderText ({ node }) {
    return textAlternative(paramsOf(node))
  },

  addOptions () {
    // Whether this person may change the document (a reader's editor is editable too, to select and comment).
    return { canEdit: () => pageAllowsEditing() }
  },

  addStorage () {
    return { openNext: false }
  },

  addNodeView () {
    return (props) => {
      const openNow = this.storage.openNext
      this.storage.openNext = false
      return new ReprView(props, this.options.canEdit(), openNow)
    }
  },

  onCreate () {
    const toolbar = document.getElementById('plan-toolbar')
    if (!toolbar || !this.options.canEdit() || toolbar.querySelector('.repr-menu')) return
    toolbar.append(insertMenu((kind) => {
      this.storage.openNext = true
      if (!this.editor.chain().focus().insertRepresentation(kind).run()) this.storage.openNext = false
    }))
  },

  addCommands () {
    return {
      insertRepresentation: (kind) => ({ commands }) => {
        if (!KINDS[kind]) return false
        return commands.insertContent({ type: this.name, attrs: { kind, ...KINDS[kind] } })
      }
    }
  },

  addKeyboardShortcuts () {
    // A drawing selected with the arrow keys opens its fields with Enter (or Space).
    const open = () => {
      const { selection } = this.editor.state
      if (!(selection instanceof NodeSelection) || selection.node.type.name !== this.name) return false
      const view = this.editor.view.nodeDOM(selection.from)
      const button = view && view.querySelector('.repr-edit')
      if (!button) return false
      button.click()
      return true
    }
    return { Enter: open, Space: open }
  }
})

function pageAllowsEditing () {
  const config = document.getElementById('plan-config')
  try { return JSON.parse(config.textContent).access === 'edit' } catch { return false }
}

export { KIND_NAMES }
