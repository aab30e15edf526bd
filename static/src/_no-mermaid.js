// Stands in for @excalidraw/mermaid-to-excalidraw in the workspace bundle (scripts/build-bundle.sh): Mermaid and its
// layout engines are 2.9 MB minified, for diagrams from code that a maths board does not need. Excalidraw catches
// the error (a pasted Mermaid text stays text; its "text to diagram" dialog says it failed).
export async function parseMermaidToExcalidraw () {
  throw new Error('Diagrams from Mermaid code are not available on this board.')
}
