// Pure helpers for maths notation (no DOM; tested in static/test/maths-latex.test.mjs): the palette's templates
// and how they go into the LaTeX being typed, the check the server makes (collab/maths/notation.py), and $...$
// in plain text (notes, comments, posts).

// KaTeX as we run it everywhere: no \href or \html... (trust: false), MathML beside the HTML for screen readers.
export const KATEX_OPTIONS = Object.freeze({
  trust: false, output: 'htmlAndMathml', throwOnError: true, strict: 'ignore', maxSize: 20, maxExpand: 200
})

export const MAX_LATEX_CHARS = 1000
// The same refusals as collab.maths.notation.check: the server refuses an edit holding them.
const FORBIDDEN = /\\(?:href|url|html[a-z]*|includegraphics|(?:[gex]?def|let|newcommand|renewcommand|providecommand|global|input|include|write|openout|catcode)(?![a-z]))|<\s*\/?\s*script|javascript\s*:/i
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u000c\u000e-\u001f\u007f-\u009f\u2028\u2029\ufeff]/

/** Why `latex` may not be saved, or '' when it may. */
export function latexProblem (latex) {
  if (typeof latex !== 'string') return 'The formula is not text.'
  if (!latex.trim()) return 'Type a formula first.'
  if (latex.length > MAX_LATEX_CHARS) return `A formula can be at most ${MAX_LATEX_CHARS} characters.`
  if (CONTROL.test(latex)) return 'The formula holds control characters.'
  if (FORBIDDEN.test(latex)) return 'The formula holds a command that is not allowed (links, HTML, images, macros).'
  return ''
}

// The palette. `template`: `|` is where the caret goes, `{}` are the boxes still to fill (Tab moves to the next one);
// `wrap`: the selection, if any, goes in the first box. `label` is what a screen reader says; `text` is shown.
export const PALETTE = Object.freeze([
  { id: 'fraction', text: 'a/b', label: 'Fraction', template: '\\frac{|}{}', wrap: true },
  { id: 'mixed', text: 'a b/c', label: 'Mixed number', template: '{|}\\frac{}{}' },
  { id: 'ratio', text: 'a:b', label: 'Ratio', template: '{|}:{}', wrap: true },
  { id: 'power', text: 'xⁿ', label: 'Power', template: '^{|}' },
  { id: 'squared', text: 'x²', label: 'Squared', template: '^{2}|' },
  { id: 'root', text: '√', label: 'Square root', template: '\\sqrt{|}', wrap: true },
  { id: 'nthroot', text: 'ⁿ√', label: 'Root of any degree', template: '\\sqrt[|]{}' },
  { id: 'times', text: '×', label: 'Times', template: ' \\times |' },
  { id: 'divide', text: '÷', label: 'Divided by', template: ' \\div |' },
  { id: 'pi', text: 'π', label: 'Pi', template: '\\pi |' },
  { id: 'le', text: '≤', label: 'Less than or equal to', template: ' \\le |' },
  { id: 'ge', text: '≥', label: 'Greater than or equal to', template: ' \\ge |' },
  { id: 'ne', text: '≠', label: 'Not equal to', template: ' \\ne |' },
  { id: 'brackets', text: '( )', label: 'Brackets', template: '\\left(|\\right)', wrap: true },
  { id: 'degrees', text: '°', label: 'Degrees', template: '^{\\circ}|' },
  { id: 'text', text: 'Aa', label: 'Words (units, labels)', template: '\\text{|}', wrap: true }
])

/**
 * Put a palette entry into `value` where the selection [start, end) is.
 * Returns { value, start, end }: the new text and the selection to show (the first box, or the selection wrapped).
 */
export function applyTemplate (value, start, end, entry) {
  const selected = value.slice(start, end)
  let template = entry.template
  if (entry.wrap && selected) template = template.replace('|', selected + '\u0001')
  else if (selected) template = selected + template // keep what was selected, then the new piece
  const caretAt = template.indexOf('|') >= 0 ? template.indexOf('|') : template.indexOf('\u0001')
  const inserted = template.replace('|', '').replace('\u0001', '')
  const before = value.slice(0, start)
  const next = before + inserted + value.slice(end)
  if (entry.wrap && selected) {
    // the selection went into the first box: the caret goes to the next empty box, or after the piece
    const box = nextBox(next, start + caretAt)
    const at = box >= 0 && box <= start + inserted.length ? box : start + inserted.length
    return { value: next, start: at, end: at }
  }
  return { value: next, start: start + caretAt, end: start + caretAt }
}

/** Where the next empty box `{}` after `from` is (the position between its braces), or -1. */
export function nextBox (value, from) {
  const at = value.indexOf('{}', from)
  return at < 0 ? -1 : at + 1
}

/** The previous empty box before `from`, or -1. */
export function previousBox (value, from) {
  const at = value.lastIndexOf('{}', Math.max(0, from - 2))
  return at < 0 ? -1 : at + 1
}

// $...$ on one line, not "$5 and $10" (no space inside the dollars, no digit straight after the closing one);
// the same rule as collab.maths.notation.INLINE.
const INLINE = /\$(?!\s)([^$\n]{1,1000}?)(?<!\s)\$(?!\d)/g

/** Plain text cut into [{text}] and [{latex}] pieces (only LaTeX the server would accept becomes maths). */
export function splitMathsText (text) {
  const pieces = []
  let at = 0
  const source = String(text ?? '')
  for (const match of source.matchAll(INLINE)) {
    if (latexProblem(match[1])) continue
    if (match.index > at) pieces.push({ text: source.slice(at, match.index) })
    pieces.push({ latex: match[1] })
    at = match.index + match[0].length
  }
  if (at < source.length) pieces.push({ text: source.slice(at) })
  return pieces
}
