// Where Excalidraw loads its fonts from: dist/excalidraw/ beside this bundle (scripts/build-bundle.sh copies them
// there), never its CDN. Imported first by workspace.js, before Excalidraw reads it.
const script = document.currentScript
const base = script && script.src ? new URL('excalidraw/', script.src).href : '/static/dist/excalidraw/'
window.EXCALIDRAW_ASSET_PATH = base
