// An "exploring maths together" workspace: the task and "what we noticed" (Tiptap, the plan editor's schema and
// maths) and a shared whiteboard drawn with Excalidraw (bound to the document by static/src/_excalidraw-binding.js),
// all in one Yjs document (room "workspace:<id>"), synced over Socket.IO and kept in IndexedDB. Loaded only on the
// workspace page, its own bundle (dist/workspace.js, with React and Excalidraw; their fonts in dist/excalidraw/);
// configuration comes from <script type="application/json" id="workspace-config"> (the CSP forbids inline JS).
import './_excalidraw-assets.js' // first: where Excalidraw finds its fonts (our server, never a CDN)
import './workspace.css'
import '@excalidraw/excalidraw/index.css'
import React from 'react'
import { createRoot } from 'react-dom/client'
import { CaptureUpdateAction, Excalidraw, MainMenu, convertToExcalidrawElements, exportToBlob, restoreElements } from '@excalidraw/excalidraw'
import { Editor } from '@tiptap/core'
import { openSharedDocument } from './_shared-doc.js'
import { collaborativeExtensions } from './_editor-base.js'
import { bindMathsButton } from './_maths-editor.js'
import { bindPresence } from './_presence.js'
import { ELEMENT_TYPES, bindBoard } from './_excalidraw-binding.js'
import { anchored, describeRepresentation, representationSkeletons } from './_excalidraw-repr.js'
import { KINDS, KIND_NAMES } from './_repr-draw.js'
import { ReprPanel, insertMenu } from './_repr-panel.js'
import { mendExcalidrawAccessibility } from './_excalidraw-a11y.js'

const h = React.createElement

const COMMANDS = {
  paragraph: (c) => c.setParagraph(),
  h2: (c) => c.toggleHeading({ level: 2 }),
  bold: (c) => c.toggleBold(),
  italic: (c) => c.toggleItalic(),
  bulletList: (c) => c.toggleBulletList()
}

const NAMES = { rectangle: 'Rectangle', diamond: 'Diamond', ellipse: 'Circle', arrow: 'Arrow', line: 'Line', freedraw: 'Drawing', text: 'Text' }

function start () {
  const configElement = document.getElementById('workspace-config')
  const mount = document.getElementById('workspace-editor')
  const boardMount = document.getElementById('board')
  if (!configElement || !mount || !boardMount) return
  const config = JSON.parse(configElement.textContent)
  const { doc, awareness, provider, persistence, refresh } = openSharedDocument({
    room: config.room, user: config.user, storageKey: 'collab-workspace-' + config.workspaceId })
  mount.replaceChildren() // the server-rendered copy is only for people without JavaScript
  const editor = new Editor({
    element: mount,
    extensions: collaborativeExtensions({ doc, provider, user: config.user }),
    editorProps: {
      attributes: { class: 'plan-body', 'aria-label': 'The task and what we noticed', 'aria-multiline': 'true', role: 'textbox' }
    }
  })
  bindPresence(document.getElementById('presence'), awareness)
  const toolbar = document.getElementById('plan-toolbar')
  if (toolbar) {
    toolbar.hidden = false
    bindMathsButton(editor, toolbar)
    toolbar.addEventListener('click', (event) => {
      const button = event.target.closest('button[data-command]')
      if (!button || !COMMANDS[button.dataset.command]) return
      event.preventDefault()
      COMMANDS[button.dataset.command](editor.chain().focus()).run()
    })
  }
  const whiteboard = { doc }
  window.collabEditor = { editor, doc, provider, awareness, whiteboard }
  mountBoard(boardMount, doc, config, awareness, whiteboard, provider, persistence)
  persistence.whenSynced.then(() => provider.connect(), () => provider.connect())
  refresh()
}

// The elements through Excalidraw's own restore, as for a file it opens: an element another member stored with keys
// missing (the server checks the keys that are there, not that every one is) gets Excalidraw's defaults, and one
// that even restore cannot read is left out, instead of the board failing for everyone who opens it. No local
// elements are given: restore would bump their versions, and the binding would write them back.
const RESTORE = { refreshDimensions: false, repairBindings: false }
function restored (elements) {
  try {
    return restoreElements(elements, null, RESTORE)
  } catch {
    return elements.flatMap((element) => {
      try {
        return restoreElements([element], null, RESTORE)
      } catch (err) {
        console.warn('collab: an element on the board could not be drawn and is left out:', element && element.id, err)
        return []
      }
    })
  }
}

function mountBoard (mount, doc, config, awareness, whiteboard, provider, persistence) {
  const status = document.getElementById('board-status')
  const say = (text) => { if (status) status.textContent = text }
  const canvas = document.createElement('div')
  canvas.className = 'board-canvas'
  const list = document.createElement('ul')
  list.id = 'board-items'
  list.className = 'visually-hidden'
  list.setAttribute('aria-label', 'What is on the whiteboard')
  mount.replaceChildren(canvas, list)
  mount.setAttribute('aria-describedby', 'board-items')

  let api = null
  let binding = null
  let lastPointer = 0
  const scene = {
    getElements: () => api.getSceneElementsIncludingDeleted(),
    setElements: (elements) => api.updateScene({ elements: restored(elements), captureUpdate: CaptureUpdateAction.NEVER })
  }

  let described = ''
  function describe (elements) {
    const shown = elements.filter((e) => !e.isDeleted)
    const signature = shown.map((e) => e.id + ':' + e.version).join(',')
    if (signature === described) return // onChange also comes for every pointer move and selection
    described = signature
    const told = new Set()
    const lines = []
    for (const e of shown) {
      const group = e.groupIds && e.groupIds[0]
      if (e.customData && e.customData.representation) {
        if (told.has(group)) continue
        told.add(group)
        const first = shown.find((o) => o.groupIds && o.groupIds[0] === group && o.customData && o.customData.alt) || e
        lines.push(['representation', describeRepresentation(first.customData)])
      } else {
        lines.push([e.type, e.type === 'text' ? `Text: ${e.text}` : NAMES[e.type] || e.type])
      }
    }
    list.replaceChildren(...lines.map(([kind, text]) => {
      const li = document.createElement('li')
      li.dataset.kind = kind
      li.textContent = text
      return li
    }))
    mount.dataset.count = String(lines.length)
  }

  const onChange = (elements) => {
    if (!binding) return
    const all = api.getSceneElementsIncludingDeleted()
    if (all.some((e) => !e.isDeleted && !ELEMENT_TYPES.includes(e.type))) {
      // A pasted image, a frame, an embed: not shared (the server refuses them), so not kept here either.
      api.updateScene({ elements: all.filter((e) => ELEMENT_TYPES.includes(e.type)), captureUpdate: CaptureUpdateAction.NEVER })
      say('Only drawings, shapes, arrows and text go on the shared board: images, frames and embedded pages are left out.')
      return
    }
    binding.changed(all)
    describe(elements)
  }
  let pointerTimer = null
  let pointerAt = null
  const sharePointer = () => {
    pointerTimer = null
    lastPointer = Date.now()
    awareness.setLocalStateField('pointer', pointerAt)
  }
  const onPointerUpdate = ({ pointer, button }) => {
    pointerAt = { x: Math.round(pointer.x), y: Math.round(pointer.y), button }
    if (pointerTimer !== null) return
    const wait = 100 - (Date.now() - lastPointer) // at most ten a second, the last position always sent
    if (wait <= 0) sharePointer()
    else pointerTimer = setTimeout(sharePointer, wait)
  }
  const onApi = (ready) => {
    if (api || !ready) return
    api = ready
    bindWhenLoaded()
  }
  // Bound once Excalidraw has loaded its initial scene: what it loads replaces the scene, so a board read before
  // would be wiped off the screen until the next change arrives.
  const bindWhenLoaded = () => {
    if (binding) return
    if (api.getAppState().isLoading) { setTimeout(bindWhenLoaded, 20); return }
    binding = bindBoard(doc, scene)
    // A stroke ended in the last 100 ms before the page goes away still reaches the document (and the device).
    window.addEventListener('pagehide', () => binding && binding.flush())
    describe(api.getSceneElements())
    // Once the saved board is here (from this device, else from the server), show all of it, centred.
    let shown = false
    const showAll = () => {
      if (shown || !api.getSceneElements().length) return
      shown = true
      api.scrollToContent(api.getSceneElements(), { animate: false })
    }
    showAll()
    // Only the board as saved: not whatever others draw later (that would move the view under one's pen).
    const onLoad = (_update, origin) => {
      if (origin !== provider && origin !== persistence) return
      requestAnimationFrame(() => {
        showAll()
        if (provider.synced) doc.off('update', onLoad) // the server's copy is in
      })
    }
    if (!provider.synced) doc.on('update', onLoad)
    bindCollaborators(api, awareness, whiteboard)
    // Excalidraw maps the pointer from where its canvas was at the last scroll or resize of the window: when the
    // page above it changes height (someone writes in the task), it must be told, or a drag lands off the pointer.
    if (typeof ResizeObserver !== 'undefined') {
      const moved = new ResizeObserver(() => api.refresh())
      for (const above of document.querySelectorAll('.workspace-text, .board-toolbar, .board-repr')) moved.observe(above)
    }
    Object.assign(whiteboard, { api, binding, snapshot, insertRepresentation })
  }
  // Its menu without what does not fit a shared board: opening or saving files, exporting (snapshots do that),
  // clearing everyone's drawing at once, links to Excalidraw's own sites.
  const menu = h(MainMenu, null, h(MainMenu.DefaultItems.Help), h(MainMenu.DefaultItems.SearchMenu),
    h(MainMenu.DefaultItems.ChangeCanvasBackground))
  createRoot(canvas).render(h(Excalidraw, {
    excalidrawAPI: onApi,
    onChange,
    onPointerUpdate,
    isCollaborating: true,
    langCode: 'en',
    name: 'Shared whiteboard',
    autoFocus: false,
    validateEmbeddable: () => false, // no iframes on the board (the server refuses them too)
    UIOptions: {
      tools: { image: false },
      canvasActions: { loadScene: false, saveToActiveFile: false, export: false, saveAsImage: false, toggleTheme: false, clearCanvas: false }
    },
    initialData: { appState: { viewBackgroundColor: '#ffffff', currentItemFontFamily: 2, currentItemRoughness: 0 } }
  }, menu))
  mount.addEventListener('pointerleave', () => {
    if (pointerTimer !== null) clearTimeout(pointerTimer)
    pointerTimer = null
    awareness.setLocalStateField('pointer', null)
  })
  mendExcalidrawAccessibility(canvas)

  // --- representations ---------------------------------------------------------------------------------------
  const toolbar = document.getElementById('board-toolbar')
  const form = document.getElementById('board-repr')
  let panel = null
  let params = null
  // Closed (placed, cancelled, Escape): the focus goes back to the menu's button.
  const closeForm = () => {
    if (!form) return
    form.hidden = true
    form.querySelector('.board-repr-fields').replaceChildren()
    panel = null
    const trigger = toolbar && toolbar.querySelector('.repr-menu > button')
    if (trigger) trigger.focus()
  }
  const openForm = (kind) => {
    if (!form) return
    params = { kind, ...KINDS[kind] }
    panel = new ReprPanel({ params, write: (key, value) => { params = { ...params, [key]: value } }, close: closeForm, remove: closeForm })
    form.querySelector('.board-repr-title').textContent = KIND_NAMES[kind]
    form.querySelector('.board-repr-fields').replaceChildren(panel.dom)
    form.hidden = false
    panel.focus()
  }
  if (form) {
    form.addEventListener('submit', (event) => {
      event.preventDefault()
      if (!params) return
      insertRepresentation(params)
      closeForm()
      say(`${KIND_NAMES[params.kind]} placed on the board.`)
    })
    form.querySelector('[data-action="cancel-repr"]').addEventListener('click', closeForm)
    form.addEventListener('keydown', (event) => { if (event.key === 'Escape') { event.preventDefault(); closeForm() } })
  }
  if (toolbar) {
    toolbar.hidden = false
    toolbar.prepend(insertMenu(openForm))
    toolbar.addEventListener('click', (event) => {
      const button = event.target.closest('button[data-action]')
      if (!button) return
      if (button.dataset.action === 'snapshot') {
        snapshot().catch((error) => say(error.message === 'empty' ? 'The board is empty: draw something first.' : 'The snapshot could not be saved. Try again when you are online.'))
      }
    })
  }

  /** The drawing of `attrs` as grouped elements, where the board is being looked at; returns their ids. */
  function insertRepresentation (attrs) {
    if (!api) return []
    // In the middle of what the board shows, selected: ready to be dragged where it goes.
    const state = api.getAppState()
    const zoom = (state.zoom && state.zoom.value) || 1
    const groupId = Math.random().toString(36).slice(2, 12)
    const drawn = representationSkeletons(attrs, { x: 0, y: 0, groupId })
    const right = Math.max(...drawn.map((e) => e.x + (e.width || 0)), 100)
    const bottom = Math.max(...drawn.map((e) => e.y + (e.height || 0)), 60)
    const x = Math.round(-state.scrollX + Math.max(20, (state.width / zoom - right) / 2))
    const y = Math.round(-state.scrollY + Math.max(80, (state.height / zoom - bottom) / 2))
    const made = anchored(convertToExcalidrawElements(representationSkeletons(attrs, { x, y, groupId }), { regenerateIds: true }))
    api.updateScene({
      elements: [...api.getSceneElementsIncludingDeleted(), ...made],
      appState: { selectedElementIds: Object.fromEntries(made.map((e) => [e.id, true])), selectedGroupIds: { [groupId]: true } },
      captureUpdate: CaptureUpdateAction.IMMEDIATELY
    })
    return made.map((e) => e.id)
  }

  async function snapshot () {
    const elements = api ? api.getSceneElements() : []
    if (!elements.length) throw new Error('empty')
    say('Saving a snapshot…')
    const blob = await exportToBlob({
      elements,
      appState: { ...api.getAppState(), exportBackground: true, viewBackgroundColor: '#ffffff', exportWithDarkMode: false },
      files: api.getFiles(),
      mimeType: 'image/png',
      exportPadding: 24
    })
    const csrf = document.querySelector('meta[name="csrf-token"]')
    const body = new FormData()
    body.append('image', blob, 'board.png')
    const response = await fetch(config.snapshotUrl, {
      method: 'POST', body, credentials: 'same-origin',
      headers: { 'X-CSRFToken': csrf ? csrf.content : '', Accept: 'application/json' }
    })
    const answer = await response.json().catch(() => ({}))
    if (!response.ok) throw new Error(answer.message || 'refused')
    say('Snapshot saved to the session’s record.')
    return answer
  }
}

/** Everyone else's pointer on the board, with their name and colour (awareness field "pointer", in the board's
 * coordinates): Excalidraw's collaborators. */
function bindCollaborators (api, awareness, whiteboard) {
  let others = new Map()
  const render = () => {
    const next = new Map()
    awareness.getStates().forEach((state, clientId) => {
      if (clientId === awareness.clientID || !state) return
      const user = state.user || {}
      const colour = /^#[0-9a-f]{3,8}$/i.test(user.color || '') ? user.color : '#6b7280'
      const at = state.pointer
      const pointer = at && Number.isFinite(at.x) && Number.isFinite(at.y) ? { x: at.x, y: at.y, tool: 'pointer' } : undefined
      next.set(String(clientId), {
        id: String(user.id || clientId),
        username: String(user.name || '').slice(0, 40),
        color: { background: colour, stroke: colour },
        pointer,
        button: at && at.button === 'down' ? 'down' : 'up'
      })
    })
    others = next
    api.updateScene({ collaborators: next, captureUpdate: CaptureUpdateAction.NEVER })
  }
  awareness.on('change', render)
  render()
  whiteboard.collaborators = () => Array.from(others.values())
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start)
else start()
