// The whiteboard's Excalidraw elements in the workspace's Yjs document, and back (no DOM, no Excalidraw: the unit
// tests, static/test/board.test.mjs, run it under Node with two Yjs documents).
//
// The board is the root XmlFragment "whiteboard"; each element is one XmlElement `boardElement` whose attribute
// `json` is the element as JSON (collab/workspace/board.py). Excalidraw bumps an element's `version` on every change:
// a local change whose version differs from the stored one is written; a remote one replaces the local copy when
// its version is higher (ties: the lower versionNonce, as Excalidraw's own reconcile). Deleted elements stay,
// marked `isDeleted`. The server refuses what collab/workspace/elements.py does not take: this writes only KEYS,
// of ELEMENT_TYPES, within the same bounds, and reads remote elements through the same filter.
import * as Y from 'yjs'
import { takenColour } from './_excalidraw-colour.js'

export const BOARD = 'whiteboard'
export const TAG = 'boardElement'
export const ATTRIBUTE = 'json'
export const MAX_JSON_CHARS = 5000
export const MAX_TEXT = 1000
export const MAX_POINTS = 400
export const MAX_GROUPS = 10
export const MAX_BOUND = 50
export const MAX_INDEX = 64
export const MAX_COORDINATE = 1e7
export const MAX_FONT_SIZE = 1000
export const ELEMENT_TYPES = ['arrow', 'diamond', 'ellipse', 'freedraw', 'line', 'rectangle', 'text']
// Every key the server takes (collab/workspace/elements.py KEYS: the same list, checked by a test).
export const KEYS = [
  'id', 'type', 'x', 'y', 'width', 'height', 'angle', 'strokeColor', 'backgroundColor', 'fillStyle', 'strokeWidth',
  'strokeStyle', 'roundness', 'roughness', 'opacity', 'seed', 'version', 'versionNonce', 'index', 'isDeleted',
  'groupIds', 'frameId', 'boundElements', 'updated', 'link', 'locked', 'customData',
  'fontSize', 'fontFamily', 'text', 'originalText', 'textAlign', 'verticalAlign', 'containerId', 'autoResize',
  'lineHeight',
  'points', 'lastCommittedPoint', 'startBinding', 'endBinding', 'startArrowhead', 'endArrowhead', 'elbowed',
  'fixedSegments', 'startIsSpecial', 'endIsSpecial', 'polygon', 'pressures', 'simulatePressure'
]
const LINK = /^https?:\/\/[^\s<>"'`\\]{1,2000}$/
const ID = /^[A-Za-z0-9_-]{1,64}$/

export const boardOf = (doc) => doc.getXmlFragment(BOARD)

const round = (value) => (typeof value === 'number' && Number.isFinite(value) ? Math.round(value * 100) / 100 : value)
const roundPoints = (points) => points.map(([x, y]) => [round(x), round(y)])

/** Every other point of a long line (its ends kept), until it is short enough. */
function thin (points) {
  if (points.length <= 2) return points
  const out = points.filter((_, i) => i % 2 === 0)
  if (out[out.length - 1] !== points[points.length - 1]) out.push(points[points.length - 1])
  return out
}

const clamp = (value, low, high) => (typeof value === 'number' ? Math.min(high, Math.max(low, value)) : value)

/** The integer part's length of a fractional index: its first letter says (a-z: 2 to 27, A-Z: 27 to 2). */
function integerLength (index) {
  const head = index.charCodeAt(0)
  if (head >= 97 && head <= 122) return head - 97 + 2
  if (head >= 65 && head <= 90) return 90 - head + 2
  return 1
}

/** A fractional index cut to MAX_INDEX characters. Cutting keeps the order (a < b: a's start <= b's start; two cut
 * to the same start are ordered by id, as the board's reader does); trailing zeros of the fraction go, as a valid
 * index has none. Indices grow only when elements are put between the same two again and again. */
export function shortIndex (index) {
  if (typeof index !== 'string' || index.length <= MAX_INDEX) return index
  let out = index.slice(0, MAX_INDEX)
  const keep = integerLength(out)
  while (out.length > keep && out.endsWith('0')) out = out.slice(0, -1)
  return out
}

/** Bound elements as the server takes them, at most MAX_BOUND: a container's text first (its label), then arrows.
 * An arrow left out stays bound by its own start/end binding; only moving the shape elsewhere will not drag it. */
function boundWithin (bound) {
  if (!Array.isArray(bound)) return bound
  const taken = bound.filter((b) => b && ID.test(String(b.id)) && (b.type === 'text' || b.type === 'arrow'))
    .map((b) => ({ id: b.id, type: b.type }))
  return taken.filter((b) => b.type === 'text').concat(taken.filter((b) => b.type === 'arrow')).slice(0, MAX_BOUND)
}

/** Keeps an element within every bound collab/workspace/elements.py enforces on what it may hold (beyond points
 * and text, cut in serialise), so that nothing an honest user draws is refused. */
function withinBounds (out) {
  for (const key of ['x', 'y']) out[key] = clamp(out[key], -MAX_COORDINATE, MAX_COORDINATE)
  for (const key of ['width', 'height']) out[key] = clamp(out[key], 0, MAX_COORDINATE)
  if ('fontSize' in out) out.fontSize = clamp(out.fontSize, 1, MAX_FONT_SIZE) // text scaled up past it
  // groupIds run from the deepest group to the outermost: keeping the outermost keeps every group whole (all of
  // a group's elements share the groups around it); only groups nested deeper than MAX_GROUPS are flattened.
  if (Array.isArray(out.groupIds) && out.groupIds.length > MAX_GROUPS) out.groupIds = out.groupIds.slice(-MAX_GROUPS)
  if ('boundElements' in out) out.boundElements = boundWithin(out.boundElements)
  if ('index' in out) out.index = shortIndex(out.index)
  for (const key of ['strokeColor', 'backgroundColor']) {
    if (key in out && (out[key] = takenColour(out[key])) === undefined) delete out[key] // restore's default
  }
  // An elbow arrow's moved segments past the bound: its route is worked out again.
  if (Array.isArray(out.fixedSegments) && out.fixedSegments.length > MAX_BOUND) out.fixedSegments = null
  const inside = ([x, y]) => [clamp(x, -MAX_COORDINATE, MAX_COORDINATE), clamp(y, -MAX_COORDINATE, MAX_COORDINATE)]
  if (Array.isArray(out.points)) out.points = out.points.map(inside)
  if (Array.isArray(out.lastCommittedPoint)) out.lastCommittedPoint = inside(out.lastCommittedPoint)
  if (Array.isArray(out.pressures)) out.pressures = out.pressures.map((p) => clamp(p, 0, 1))
}

/** The element as the JSON the server takes, or null when it cannot be (a type the board does not draw). */
export function serialise (element) {
  if (!element || !ELEMENT_TYPES.includes(element.type) || !ID.test(String(element.id))) return null
  const out = {}
  for (const key of KEYS) {
    if (element[key] !== undefined) out[key] = element[key]
  }
  for (const key of ['x', 'y', 'width', 'height', 'angle', 'strokeWidth', 'fontSize']) {
    if (key in out) out[key] = round(out[key])
  }
  if (typeof out.width === 'number') out.width = Math.abs(out.width)
  if (typeof out.height === 'number') out.height = Math.abs(out.height)
  if (out.link != null && !LINK.test(out.link)) out.link = null
  if (typeof out.text === 'string') out.text = out.text.slice(0, MAX_TEXT)
  if (typeof out.originalText === 'string') out.originalText = out.originalText.slice(0, MAX_TEXT)
  if (out.customData !== undefined && (typeof out.customData !== 'object' || out.customData === null)) delete out.customData
  if (Array.isArray(out.points)) {
    out.points = roundPoints(out.points)
    if (Array.isArray(out.pressures) && out.pressures.length !== out.points.length) out.pressures = []
  }
  if (out.lastCommittedPoint) out.lastCommittedPoint = roundPoints([out.lastCommittedPoint])[0]
  withinBounds(out)
  let text = JSON.stringify(out)
  while (Array.isArray(out.points) && (out.points.length > MAX_POINTS || text.length > MAX_JSON_CHARS) && out.points.length > 2) {
    out.points = thin(out.points)
    if (out.pressures && out.pressures.length) out.pressures = thin(out.pressures)
    text = JSON.stringify(out)
  }
  return text.length > MAX_JSON_CHARS ? null : text
}

/** A stored element, or null for anything the board does not draw (the server refuses them; old data, a bug). */
export function parse (text) {
  if (typeof text !== 'string' || text.length > MAX_JSON_CHARS) return null
  let element
  try { element = JSON.parse(text) } catch { return null }
  if (!element || typeof element !== 'object' || Array.isArray(element)) return null
  if (!ELEMENT_TYPES.includes(element.type) || !ID.test(String(element.id))) return null
  if (!Number.isInteger(element.version) || !Number.isFinite(element.x) || !Number.isFinite(element.y)) return null
  if (Object.keys(element).some((key) => !KEYS.includes(key))) return null
  if (element.link != null && !LINK.test(element.link)) element.link = null
  return element
}

/** Whether a is the copy to keep over b (same id). */
export function newer (a, b) {
  if (a.version !== b.version) return a.version > b.version
  return (a.versionNonce || 0) < (b.versionNonce || 0)
}

/** id -> { element, node } for every element on the board (the newest copy of each). */
const parsed = new WeakMap() // node -> [its JSON, the element read from it]: each JSON is parsed once

export function readBoard (board) {
  const found = new Map()
  for (const node of board.toArray()) {
    if (!(node instanceof Y.XmlElement) || node.nodeName !== TAG) continue
    const text = node.getAttribute(ATTRIBUTE)
    let cached = parsed.get(node)
    if (!cached || cached[0] !== text) {
      cached = [text, parse(text)]
      parsed.set(node, cached)
    }
    const element = cached[1]
    if (!element) continue
    const known = found.get(element.id)
    if (!known || newer(element, known.element)) found.set(element.id, { element, node })
  }
  return found
}

/** Stacking order: Excalidraw's fractional indices compare as plain strings (base 62 in ASCII order). */
export function ordered (elements) {
  const key = (e) => e.index || ''
  return elements.slice().sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
}

/** Write the elements whose version differs from the board's copy (one transaction); returns how many. */
export function writeElements (doc, elements, origin = null) {
  const board = boardOf(doc)
  let written = 0
  doc.transact(() => {
    const stored = readBoard(board)
    for (const element of elements) {
      const known = stored.get(element.id)
      if (known && known.element.version === element.version && known.element.versionNonce === element.versionNonce) continue
      if (known && !newer(element, known.element)) continue
      const text = serialise(element)
      if (!text) continue
      if (known) {
        known.node.setAttribute(ATTRIBUTE, text)
      } else {
        const node = new Y.XmlElement(TAG)
        node.setAttribute(ATTRIBUTE, text)
        board.push([node])
      }
      stored.set(element.id, { element, node: known ? known.node : null })
      written++
    }
  }, origin)
  return written
}

/** The local scene updated with the board's elements: a remote copy replaces the local one when newer; local
 * elements not yet on the board stay. In stacking order. */
export function merged (local, board, stored = readBoard(board)) {
  const out = new Map(local.map((e) => [e.id, e]))
  for (const [id, { element }] of stored) {
    const mine = out.get(id)
    if (!mine || newer(element, mine)) out.set(id, structuredClone(element)) // Excalidraw may change it in place
  }
  return ordered(Array.from(out.values()))
}

/** Binds a board to an Excalidraw scene: `scene` is { getElements(), setElements(elements) }. Call `changed`
 * from Excalidraw's onChange; remote changes call setElements. Local writes are batched (`delay` ms). */
export function bindBoard (doc, scene, { delay = 100, timers = globalThis } = {}) {
  const board = boardOf(doc)
  const origin = { board: true }
  let timer = null
  const lastWritten = new Map() // id -> version + nonce written or read, so that an unchanged scene writes nothing
  const stamp = (e) => e.version + ':' + e.versionNonce
  const remember = (elements) => { for (const e of elements) lastWritten.set(e.id, stamp(e)) }
  const flush = () => {
    timer = null
    const changes = scene.getElements().filter((e) => lastWritten.get(e.id) !== stamp(e))
    if (!changes.length) return
    remember(changes)
    writeElements(doc, changes, origin)
  }
  const changed = (elements) => {
    if (!elements.some((e) => lastWritten.get(e.id) !== stamp(e))) return
    if (timer !== null) return
    timer = true // set before scheduling: a timer may run at once
    const id = timers.setTimeout(flush, delay)
    if (timer !== null) timer = id
  }
  const pull = () => {
    const stored = readBoard(board)
    const elements = merged(scene.getElements(), board, stored)
    for (const e of elements) { // what the board holds already is not written back
      const copy = stored.get(e.id)
      if (copy && stamp(copy.element) === stamp(e)) lastWritten.set(e.id, stamp(e))
    }
    scene.setElements(elements)
  }
  const observer = (_events, transaction) => { if (transaction.origin !== origin) pull() }
  board.observeDeep(observer)
  pull()
  return {
    changed,
    flush: () => { if (timer !== null) { timers.clearTimeout(timer); flush() } },
    destroy: () => { board.unobserveDeep(observer); if (timer !== null) timers.clearTimeout(timer) }
  }
}
