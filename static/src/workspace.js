// An "exploring maths together" workspace: the task and "what we noticed" (Tiptap, the plan editor's schema and
// maths) and a shared SVG whiteboard (static/src/_board.js), all in one Yjs document (room "workspace:<id>"),
// synced over Socket.IO and kept in IndexedDB. Loaded only on the workspace page; configuration comes from
// <script type="application/json" id="workspace-config"> (the CSP forbids inline JS).
import './workspace.css'
import { Editor } from '@tiptap/core'
import { openSharedDocument } from './_shared-doc.js'
import { collaborativeExtensions } from './_editor-base.js'
import { bindMathsButton } from './_maths-editor.js'
import { bindPresence } from './_presence.js'
import {
  addItem, boardOf, boardUndoManager, bounds, deleteItem, describe, moveItem, pushPoint, readItems
} from './_board.js'

const SVG = 'http://www.w3.org/2000/svg'
const WIDTH = 1200
const HEIGHT = 800

const COMMANDS = {
  paragraph: (c) => c.setParagraph(),
  h2: (c) => c.toggleHeading({ level: 2 }),
  bold: (c) => c.toggleBold(),
  italic: (c) => c.toggleItalic(),
  bulletList: (c) => c.toggleBulletList()
}

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
  const whiteboard = mountBoard(boardMount, doc, config, awareness)
  persistence.whenSynced.then(() => provider.connect(), () => provider.connect())
  refresh()
  window.collabEditor = { editor, doc, provider, awareness, whiteboard }
}

function el (name, attrs = {}) {
  const node = document.createElementNS(SVG, name)
  for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, String(value))
  return node
}

function shapeOf (item) {
  const common = { stroke: item.colour, 'stroke-width': 3, fill: 'none', 'stroke-linecap': 'round', 'stroke-linejoin': 'round' }
  if (item.kind === 'stroke') {
    const p = item.points
    let d = `M${p[0]} ${p[1]}`
    for (let i = 2; i + 1 < p.length; i += 2) d += ` L${p[i]} ${p[i + 1]}`
    if (p.length === 2) d += ` L${p[0] + 0.1} ${p[1]}`
    return el('path', { ...common, d })
  }
  if (item.kind === 'line') {
    const [x1, y1, x2 = x1, y2 = y1] = item.points
    return el('line', { ...common, x1, y1, x2, y2 })
  }
  if (item.kind === 'rect') {
    return el('rect', { ...common, x: Math.min(0, item.w), y: Math.min(0, item.h), width: Math.abs(item.w), height: Math.abs(item.h) })
  }
  if (item.kind === 'ellipse') {
    return el('ellipse', { ...common, cx: item.w / 2, cy: item.h / 2, rx: Math.abs(item.w / 2), ry: Math.abs(item.h / 2) })
  }
  const text = el('text', { x: 0, y: 0, fill: item.colour, 'font-size': 26, 'font-family': 'system-ui, sans-serif' })
  text.textContent = item.text
  return text
}

function mountBoard (mount, doc, config, awareness) {
  const board = boardOf(doc)
  const undo = boardUndoManager(doc)
  const svg = el('svg', {
    viewBox: `0 0 ${WIDTH} ${HEIGHT}`, class: 'board-svg', role: 'application', tabindex: 0,
    'aria-label': 'Shared whiteboard', 'aria-roledescription': 'whiteboard', 'aria-describedby': 'board-items'
  })
  const background = el('rect', { x: 0, y: 0, width: WIDTH, height: HEIGHT, fill: '#ffffff' })
  const layer = el('g', { class: 'board-items' })
  const overlay = el('g', { class: 'board-overlay' })
  const cursors = el('g', { class: 'board-cursors', 'aria-hidden': 'true' })
  svg.append(background, layer, overlay, cursors)
  bindBoardCursors(svg, cursors, awareness)
  const list = document.createElement('ul')
  list.id = 'board-items'
  list.className = 'visually-hidden'
  mount.replaceChildren(svg, list)

  const toolbar = document.getElementById('board-toolbar')
  const status = document.getElementById('board-status')
  const colourSelect = document.getElementById('board-colour')
  const textForm = document.getElementById('board-text-form')
  const textInput = document.getElementById('board-text')
  const deleteButton = toolbar && toolbar.querySelector('[data-action="delete"]')
  let tool = 'pen'
  let selected = null
  let drag = null // { kind: 'draw' | 'shape' | 'move', ... }
  let textAt = null
  let items = []

  const say = (text) => { if (status) status.textContent = text }

  function render () {
    items = readItems(board)
    if (selected && !items.some((item) => item.id === selected)) selected = null
    const nodes = items.map((item) => {
      const group = el('g', { 'data-id': item.id, 'data-kind': item.kind, transform: `translate(${item.x} ${item.y})` })
      group.append(shapeOf(item))
      if (item.id === selected) {
        const b = bounds(item)
        group.append(el('rect', {
          class: 'board-selection', x: b.left - 6, y: b.top - 6, width: b.right - b.left + 12, height: b.bottom - b.top + 12,
          fill: 'none', stroke: '#2563eb', 'stroke-dasharray': '6 4', 'stroke-width': 1.5
        }))
      }
      return group
    })
    layer.replaceChildren(...nodes)
    list.replaceChildren(...items.map((item) => {
      const li = document.createElement('li')
      li.textContent = describe(item)
      return li
    }))
    svg.setAttribute('aria-label', `Shared whiteboard, ${items.length} item${items.length === 1 ? '' : 's'}`)
    if (deleteButton) deleteButton.disabled = !selected
  }
  board.observeDeep(render)
  render()

  function point (event) {
    const matrix = svg.getScreenCTM()
    if (!matrix) return { x: 0, y: 0 }
    const p = new DOMPoint(event.clientX, event.clientY).matrixTransform(matrix.inverse())
    return { x: Math.max(0, Math.min(WIDTH, p.x)), y: Math.max(0, Math.min(HEIGHT, p.y)) }
  }

  function colour () { return colourSelect ? colourSelect.value : '#1f2937' }

  function setTool (name) {
    tool = name
    if (toolbar) {
      for (const button of toolbar.querySelectorAll('[data-tool]')) button.setAttribute('aria-pressed', String(button.dataset.tool === name))
    }
    svg.dataset.tool = name
    if (name !== 'text' && textForm) textForm.hidden = true
  }

  function itemAt (event) {
    const group = event.target.closest && event.target.closest('g[data-id]')
    return group ? group.dataset.id : null
  }

  svg.addEventListener('pointerdown', (event) => {
    if (event.button !== 0) return
    const at = point(event)
    svg.focus({ preventScroll: true })
    if (tool === 'select') {
      selected = itemAt(event)
      render()
      const item = items.find((i) => i.id === selected)
      if (item) drag = { kind: 'move', id: item.id, from: at, x: item.x, y: item.y }
    } else if (tool === 'text') {
      textAt = at
      openTextForm()
      return
    } else if (tool === 'pen') {
      const points = []
      pushPoint(points, at.x, at.y)
      const path = el('path', { stroke: colour(), 'stroke-width': 3, fill: 'none', 'stroke-linecap': 'round', 'stroke-linejoin': 'round', d: `M${points[0]} ${points[1]}` })
      overlay.replaceChildren(path)
      drag = { kind: 'draw', points, path }
    } else {
      drag = { kind: 'shape', from: at, to: at }
      drawShapePreview()
    }
    svg.setPointerCapture(event.pointerId)
    event.preventDefault()
  })

  svg.addEventListener('pointermove', (event) => {
    if (!drag) return
    const at = point(event)
    if (drag.kind === 'draw') {
      if (pushPoint(drag.points, at.x, at.y)) {
        drag.path.setAttribute('d', drag.path.getAttribute('d') + ` L${drag.points[drag.points.length - 2]} ${drag.points[drag.points.length - 1]}`)
      }
    } else if (drag.kind === 'shape') {
      drag.to = at
      drawShapePreview()
    } else if (drag.kind === 'move') {
      const group = layer.querySelector(`g[data-id="${drag.id}"]`)
      drag.dx = at.x - drag.from.x
      drag.dy = at.y - drag.from.y
      if (group) group.setAttribute('transform', `translate(${drag.x + drag.dx} ${drag.y + drag.dy})`)
    }
  })

  const finish = () => {
    if (!drag) return
    const done = drag
    drag = null
    overlay.replaceChildren()
    if (done.kind === 'draw') {
      addItem(doc, { kind: 'stroke', points: done.points, colour: colour() })
    } else if (done.kind === 'shape') {
      addShape(done.from, done.to)
    } else if (done.kind === 'move' && (done.dx || done.dy)) {
      moveItem(doc, done.id, done.x + done.dx, done.y + done.dy)
    }
  }
  svg.addEventListener('pointerup', finish)
  svg.addEventListener('pointercancel', finish)

  function drawShapePreview () {
    const { from, to } = drag
    const item = shapeFields(from, to)
    const shape = shapeOf({ ...item, colour: colour(), points: item.points || [] })
    const group = el('g', { transform: `translate(${item.x} ${item.y})`, opacity: 0.6 })
    group.append(shape)
    overlay.replaceChildren(group)
  }

  function shapeFields (from, to) {
    if (tool === 'line') return { kind: 'line', x: 0, y: 0, points: [from.x, from.y, to.x, to.y].map(Math.round) }
    return { kind: tool, x: from.x, y: from.y, w: to.x - from.x, h: to.y - from.y }
  }

  function addShape (from, to) {
    if (Math.hypot(to.x - from.x, to.y - from.y) < 4) { // a click: a shape of a sensible size
      to = { x: from.x + 120, y: from.y + (tool === 'line' ? 0 : 80) }
    }
    addItem(doc, { ...shapeFields(from, to), colour: colour() })
  }

  function openTextForm () {
    if (!textForm) return
    textForm.hidden = false
    textInput.value = ''
    textInput.focus()
  }

  if (textForm) {
    textForm.addEventListener('submit', (event) => {
      event.preventDefault()
      const text = textInput.value.trim().slice(0, config.maxText || 500)
      if (text) {
        const at = textAt || { x: 40 + (items.length % 10) * 20, y: 60 + (items.length % 10) * 40 }
        addItem(doc, { kind: 'text', x: at.x, y: at.y, text, colour: colour() })
        say('Text placed on the board.')
      }
      textAt = null
      textForm.hidden = true
      svg.focus({ preventScroll: true })
    })
    textForm.querySelector('[data-action="cancel-text"]').addEventListener('click', () => {
      textAt = null
      textForm.hidden = true
    })
  }

  function removeSelected () {
    if (!selected) return
    deleteItem(doc, selected)
    selected = null
    say('Item deleted.')
  }

  svg.addEventListener('keydown', (event) => {
    const item = items.find((i) => i.id === selected)
    const steps = { ArrowLeft: [-10, 0], ArrowRight: [10, 0], ArrowUp: [0, -10], ArrowDown: [0, 10] }
    if ((event.key === 'Delete' || event.key === 'Backspace') && item) {
      event.preventDefault()
      removeSelected()
    } else if (steps[event.key] && item) {
      event.preventDefault()
      moveItem(doc, item.id, item.x + steps[event.key][0], item.y + steps[event.key][1])
    } else if (event.key === 'Enter' && tool === 'text') {
      event.preventDefault()
      textAt = null
      openTextForm()
    } else if (event.key === 'Escape') {
      selected = null
      render()
    }
  })

  if (toolbar) {
    toolbar.hidden = false
    toolbar.addEventListener('click', (event) => {
      const button = event.target.closest('button')
      if (!button) return
      if (button.dataset.tool) { setTool(button.dataset.tool); if (button.dataset.tool === 'text') openTextForm() }
      const action = button.dataset.action
      if (action === 'delete') removeSelected()
      if (action === 'undo') undo.undo()
      if (action === 'redo') undo.redo()
      if (action === 'snapshot') snapshot().catch(() => say('The snapshot could not be saved. Try again when you are online.'))
    })
  }
  setTool('pen')

  async function snapshot () {
    say('Saving a snapshot…')
    const blob = await toPng(svg)
    const csrf = document.querySelector('meta[name="csrf-token"]')
    const form = new FormData()
    form.append('image', blob, 'board.png')
    const response = await fetch(config.snapshotUrl, {
      method: 'POST', body: form, credentials: 'same-origin',
      headers: { 'X-CSRFToken': csrf ? csrf.content : '', Accept: 'application/json' }
    })
    const answer = await response.json().catch(() => ({}))
    if (!response.ok) throw new Error(answer.message || 'refused')
    say('Snapshot saved to the session’s record.')
    return answer
  }

  return { svg, board, undo, snapshot, items: () => items, setTool }
}

/** Where everyone else's pointer is on the board (awareness field "board": {x, y}), as in the plans' carets. */
function bindBoardCursors (svg, layer, awareness) {
  if (!awareness) return
  let last = 0
  const share = (at) => awareness.setLocalStateField('board', at)
  svg.addEventListener('pointermove', (event) => {
    const now = Date.now()
    if (now - last < 100) return // at most ten a second
    last = now
    const matrix = svg.getScreenCTM()
    if (!matrix) return
    const p = new DOMPoint(event.clientX, event.clientY).matrixTransform(matrix.inverse())
    share({ x: Math.round(p.x), y: Math.round(p.y) })
  })
  svg.addEventListener('pointerleave', () => share(null))
  const render = () => {
    const nodes = []
    awareness.getStates().forEach((state, clientId) => {
      const at = state && state.board
      const user = (state && state.user) || {}
      if (clientId === awareness.clientID || !at || !Number.isFinite(at.x) || !Number.isFinite(at.y)) return
      const colour = /^#[0-9a-f]{3,8}$/i.test(user.color || '') ? user.color : '#6b7280'
      const group = el('g', { class: 'board-cursor', transform: `translate(${at.x} ${at.y})` })
      const name = el('text', { x: 12, y: 24, fill: colour, 'font-size': 18, 'font-family': 'system-ui, sans-serif' })
      name.textContent = String(user.name || '').slice(0, 40)
      group.append(el('path', { d: 'M0 0 L0 20 L6 15 L14 14 Z', fill: colour, stroke: '#ffffff', 'stroke-width': 1 }), name)
      nodes.push(group)
    })
    layer.replaceChildren(...nodes)
  }
  awareness.on('change', render)
}

/** The board as a PNG: the SVG (without the selection outline) drawn onto a canvas at twice its size. */
function toPng (svg) {
  const copy = svg.cloneNode(true)
  for (const node of copy.querySelectorAll('.board-selection, .board-overlay *, .board-cursors *')) node.remove()
  copy.setAttribute('xmlns', SVG)
  copy.setAttribute('width', WIDTH)
  copy.setAttribute('height', HEIGHT)
  const source = new XMLSerializer().serializeToString(copy)
  return new Promise((resolve, reject) => {
    const image = new Image()
    image.onload = () => {
      const canvas = document.createElement('canvas')
      canvas.width = WIDTH
      canvas.height = HEIGHT
      const context = canvas.getContext('2d')
      context.fillStyle = '#ffffff'
      context.fillRect(0, 0, WIDTH, HEIGHT)
      context.drawImage(image, 0, 0, WIDTH, HEIGHT)
      canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('no image'))), 'image/png')
    }
    image.onerror = () => reject(new Error('no image'))
    image.src = 'data:image/svg+xml;charset=utf-8,' + encodeURIComponent(source)
  })
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start)
else start()
