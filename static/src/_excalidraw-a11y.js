// Three gaps in Excalidraw 0.18's own controls that axe-core reports (WCAG 2 A/AA), mended in the page as Excalidraw
// renders them: its main menu button has no name; its zoom button's name ("Reset zoom") does not contain what it
// shows ("100%"), so speech input cannot find it; its closed popovers name, in aria-controls, elements that do not
// exist yet. Each mend is idempotent (the observer sees its own changes and finds nothing left to do).
const mend = (root) => {
  for (const button of root.querySelectorAll('.main-menu-trigger:not([aria-label])')) button.setAttribute('aria-label', 'Board menu')
  for (const button of root.querySelectorAll('.reset-zoom-button[aria-label]')) button.removeAttribute('aria-label') // named by its text; its title says what it does
  for (const node of root.querySelectorAll('[aria-controls]')) {
    const id = node.getAttribute('aria-controls')
    if (id && !document.getElementById(id)) node.removeAttribute('aria-controls')
  }
}

export function mendExcalidrawAccessibility (root) {
  mend(root)
  const observer = new MutationObserver(() => mend(root))
  observer.observe(root, { subtree: true, childList: true, attributes: true, attributeFilter: ['aria-controls', 'aria-label'] })
  return observer
}
