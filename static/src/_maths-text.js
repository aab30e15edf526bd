// Maths in plain text (observation notes, comments, discussion posts): $...$ is drawn with KaTeX, everything
// else stays text (never HTML). Without KaTeX (dist/maths.js not loaded) the text is shown as typed.
import katex from 'katex'
import { KATEX_OPTIONS, splitMathsText } from './_maths-latex.js'

/** A <span> with `latex` drawn by KaTeX (HTML and MathML), or the $latex$ as text if KaTeX cannot draw it. */
export function mathsElement (latex, display = false) {
  const span = document.createElement('span')
  span.className = 'maths-tex'
  span.dataset.latex = latex
  try {
    katex.render(latex, span, { ...KATEX_OPTIONS, displayMode: display })
  } catch {
    span.textContent = '$' + latex + '$'
  }
  return span
}

/** Replace the children of `node` with `text`, its $...$ drawn as maths. */
export function setMathsText (node, text) {
  node.replaceChildren(...splitMathsText(text).map((piece) =>
    piece.latex !== undefined ? mathsElement(piece.latex) : document.createTextNode(piece.text)))
}

/** Draw the maths the server marked in `root` (<span class="maths-tex" data-latex>, e.g. in a post's HTML). */
export function renderMathsIn (root) {
  if (!root || !window.katex) return
  root.querySelectorAll('span.maths-tex[data-latex]:not([data-drawn])').forEach((span) => {
    try {
      katex.render(span.dataset.latex, span, KATEX_OPTIONS)
      span.dataset.drawn = 'true'
    } catch { /* left as the $...$ the server wrote */ }
  })
}
