// KaTeX comes in its own bundle, dist/maths.js (static/src/maths.js), which the pages with maths load before their
// own: one copy in the browser's cache for every page, instead of ~270 KB inside each bundle. scripts/build-bundle.sh
// points `import katex from 'katex'` here, in our code and in @tiptap/extension-mathematics alike.
function katex () {
  if (!window.katex) throw new Error('KaTeX is not loaded (dist/maths.js)')
  return window.katex
}

export default {
  render: (latex, element, options) => katex().render(latex, element, options),
  renderToString: (latex, options) => katex().renderToString(latex, options)
}
