// Maths in the co-edited rich text: @tiptap/extension-mathematics' nodes `inlineMath` and `blockMath` (attribute
// `latex`; in the Yjs document as XmlElements, so live for everyone and offline like any edit), drawn by KaTeX
// without trust and with MathML, edited through the maths input (_maths-input.js): Ctrl+Shift+M (⌘⇧M) inserts, or
// changes the selected formula; a click or Enter on a formula changes it. The server checks every formula
// (collab/maths/schema.py) and refuses an edit holding a link or script.
import { Extension } from '@tiptap/core'
import { NodeSelection, Plugin } from '@tiptap/pm/state'
import { ySyncPluginKey } from '@tiptap/y-tiptap'
import { Mathematics } from '@tiptap/extension-mathematics'
import { KATEX_OPTIONS, latexProblem } from './_maths-latex.js'
import { openMathsInput } from './_maths-input.js'

/** Open the maths input for the selected formula, or for a new one at the selection. */
export function editMaths (editor, at = null) {
  // a reader: not editable, or a development plan's reviewer (editable for selecting, marked aria-readonly)
  if (!editor.isEditable || editor.view.dom.getAttribute('aria-readonly') === 'true') return false
  const { state } = editor
  const selection = at === null ? state.selection : NodeSelection.create(state.doc, at)
  const node = selection instanceof NodeSelection ? selection.node : null
  const existing = node && (node.type.name === 'inlineMath' || node.type.name === 'blockMath') ? node : null
  const from = selection.from
  openMathsInput({
    latex: existing ? existing.attrs.latex : '',
    display: existing ? existing.type.name === 'blockMath' : false,
    editing: Boolean(existing),
    onDone: (result) => {
      const chain = editor.chain().focus()
      if (!result) { chain.run(); return }
      const content = { type: result.display ? 'blockMath' : 'inlineMath', attrs: { latex: result.latex } }
      if (existing) {
        const same = (existing.type.name === 'blockMath') === result.display
        if (same) chain.command(({ tr }) => { tr.setNodeMarkup(from, undefined, { ...existing.attrs, latex: result.latex }); return true }).run()
        else chain.insertContentAt({ from, to: from + existing.nodeSize }, content).run()
      } else if (result.display) {
        chain.insertBlockMath({ latex: result.latex }).run()
      } else {
        chain.insertInlineMath({ latex: result.latex }).run()
      }
    }
  })
  return true
}

const MATHS_NODES = ['inlineMath', 'blockMath']

/** Whether a local change would put a formula the server refuses into the document (typed with $$...$$, pasted). */
export function addsRefusedLatex (tr) {
  let refused = false
  for (const step of tr.steps) {
    if (step.attr === 'latex' && latexProblem(step.value)) return true // AttrStep
    if (!step.slice) continue
    step.slice.content.descendants((node) => {
      if (MATHS_NODES.includes(node.type.name) && latexProblem(node.attrs.latex)) refused = true
      return !refused
    })
    if (refused) return true
  }
  return false
}

const MathsKeys = Extension.create({
  name: 'collabMathsKeys',
  // The server refuses an edit holding a formula with a link or script (collab/maths/schema.py), and a refused
  // edit would leave this copy apart from everyone's: such a change is not made here in the first place.
  addProseMirrorPlugins () {
    return [new Plugin({
      filterTransaction: (tr) => !tr.docChanged || Boolean(tr.getMeta(ySyncPluginKey)) || !addsRefusedLatex(tr)
    })]
  },
  addKeyboardShortcuts () {
    const onFormula = () => {
      const { selection } = this.editor.state
      return selection instanceof NodeSelection && ['inlineMath', 'blockMath'].includes(selection.node.type.name)
    }
    return {
      'Mod-Shift-m': () => editMaths(this.editor),
      Enter: () => (onFormula() ? editMaths(this.editor) : false)
    }
  }
})

/** The extensions for maths in an editor. */
export function mathsExtensions () {
  let editor = null
  const onClick = (node, pos) => { if (editor) editMaths(editor, pos) }
  return [
    Mathematics.configure({ katexOptions: KATEX_OPTIONS, inlineOptions: { onClick }, blockOptions: { onClick } }),
    MathsKeys.extend({
      onCreate () {
        editor = this.editor
        // Both editors' pages have their formatting toolbar as #plan-toolbar; its "Maths" button opens the input.
        bindMathsButton(editor, document.getElementById('plan-toolbar'))
      }
    })
  ]
}

/** Wire a toolbar button (data-command="maths") to the maths input. */
export function bindMathsButton (editor, toolbar) {
  const button = toolbar && toolbar.querySelector('button[data-command="maths"]')
  if (!button) return
  button.addEventListener('click', (event) => { event.preventDefault(); event.stopPropagation(); editMaths(editor) })
}
