// The shared whiteboard's model: items in the Yjs map "board" of the workspace document, one Y.Map per item
// (kind, x, y, points, w, h, text, colour, z; see collab/workspace/board.py, which reads and writes the same).
// Pure Yjs, no DOM: static/test/board.test.mjs runs it in Node.
import * as Y from 'yjs'

export const KINDS = ['stroke', 'line', 'rect', 'ellipse', 'text']
export const MAX_POINTS = 2000 // one stroke; a longer drag simply stops adding points
export const LOCAL = Symbol('board-local') // the origin of this person's changes (what Undo takes back)

export function boardOf (doc) { return doc.getMap('board') }

export function newId () {
  const bytes = new Uint8Array(8)
  globalThis.crypto.getRandomValues(bytes)
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')
}

/** The items as plain objects, bottom first. Entries that are not well-formed items are left out. */
export function readItems (board) {
  const items = []
  board.forEach((value, id) => {
    if (!(value instanceof Y.Map)) return
    const item = value.toJSON()
    if (!KINDS.includes(item.kind)) return
    item.id = id
    item.x = num(item.x); item.y = num(item.y); item.z = num(item.z)
    if (item.kind === 'stroke' || item.kind === 'line') {
      item.points = Array.isArray(item.points) ? item.points.map(num) : []
      if (item.points.length < 2) return
    }
    if (item.kind === 'rect' || item.kind === 'ellipse') { item.w = num(item.w); item.h = num(item.h) }
    if (item.kind === 'text') item.text = typeof item.text === 'string' ? item.text : ''
    item.colour = /^#[0-9a-f]{6}$/i.test(item.colour || '') ? item.colour : '#1f2937'
    items.push(item)
  })
  return items.sort((a, b) => (a.z - b.z) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
}

function num (value) { return typeof value === 'number' && Number.isFinite(value) ? value : 0 }

function topZ (board) {
  let top = 0
  board.forEach((value) => { if (value instanceof Y.Map) top = Math.max(top, num(value.get('z'))) })
  return top
}

/** Adds an item; returns its id. Coordinates are rounded to whole units (small updates). */
export function addItem (doc, fields) {
  if (!KINDS.includes(fields.kind)) throw new Error('unknown item')
  const board = boardOf(doc)
  const id = newId()
  doc.transact(() => {
    const item = new Y.Map()
    const clean = { x: 0, y: 0, colour: '#1f2937', ...fields, z: topZ(board) + 1 }
    if (clean.points) clean.points = clean.points.slice(0, MAX_POINTS * 2).map(Math.round)
    for (const key of ['x', 'y', 'w', 'h']) if (key in clean) clean[key] = Math.round(clean[key])
    for (const [key, value] of Object.entries(clean)) item.set(key, value)
    board.set(id, item)
  }, LOCAL)
  return id
}

export function moveItem (doc, id, x, y) {
  const item = boardOf(doc).get(id)
  if (!(item instanceof Y.Map)) return
  doc.transact(() => { item.set('x', Math.round(x)); item.set('y', Math.round(y)) }, LOCAL)
}

export function deleteItem (doc, id) {
  const board = boardOf(doc)
  if (board.has(id)) doc.transact(() => board.delete(id), LOCAL)
}

/** Undo and redo of this person's own changes to the board only. */
export function boardUndoManager (doc) {
  return new Y.UndoManager(boardOf(doc), { trackedOrigins: new Set([LOCAL]), captureTimeout: 0 })
}

/** The bounding box of an item in board units, before its x, y move. */
export function bounds (item) {
  if (item.kind === 'stroke' || item.kind === 'line') {
    const xs = item.points.filter((_, i) => i % 2 === 0)
    const ys = item.points.filter((_, i) => i % 2 === 1)
    return { left: Math.min(...xs), top: Math.min(...ys), right: Math.max(...xs), bottom: Math.max(...ys) }
  }
  if (item.kind === 'text') {
    return { left: 0, top: -26, right: Math.max(20, item.text.length * 14), bottom: 7 }
  }
  return { left: Math.min(0, item.w), top: Math.min(0, item.h), right: Math.max(0, item.w), bottom: Math.max(0, item.h) }
}

/** Simplifies a point list while drawing: a point closer than `min` to the last kept one is dropped. */
export function pushPoint (points, x, y, min = 2) {
  const n = points.length
  if (n >= MAX_POINTS * 2) return false
  if (n >= 2 && Math.hypot(points[n - 2] - x, points[n - 1] - y) < min) return false
  points.push(Math.round(x), Math.round(y))
  return true
}

/** What the item is, in words (the list beside the board for screen readers, and tests). */
export function describe (item) {
  const names = { stroke: 'Pen stroke', line: 'Line', rect: 'Rectangle', ellipse: 'Circle', text: 'Text' }
  return item.kind === 'text' ? `${names.text}: ${item.text}` : names[item.kind]
}
