// The whiteboard's binding (static/src/_excalidraw-binding.js): Excalidraw elements in the Yjs fragment
// "whiteboard", synced between two documents, the newer version winning, nothing the server refuses written.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import * as Y from 'yjs'
import {
  ATTRIBUTE, MAX_JSON_CHARS, MAX_POINTS, TAG, bindBoard, boardOf, merged, parse, readBoard, serialise, writeElements
} from '../src/_excalidraw-binding.js'

function pair () {
  const a = new Y.Doc()
  const b = new Y.Doc()
  a.on('update', (u, origin) => { if (origin !== 'peer') Y.applyUpdate(b, u, 'peer') })
  b.on('update', (u, origin) => { if (origin !== 'peer') Y.applyUpdate(a, u, 'peer') })
  return [a, b]
}

const rect = (id, fields = {}) => ({
  id, type: 'rectangle', x: 10, y: 20, width: 100, height: 50, angle: 0, strokeColor: '#1e1e1e',
  backgroundColor: 'transparent', version: 1, versionNonce: 5, index: 'a0', isDeleted: false, groupIds: [], ...fields
})

/** A fake Excalidraw scene: what the binding reads and sets. */
function scene (initial = []) {
  let elements = initial
  return { getElements: () => elements, setElements: (e) => { elements = e }, set: (e) => { elements = e } }
}

const now = { setTimeout: (f) => { f(); return 1 }, clearTimeout: () => {} } // write at once

test('an element drawn on one board appears on the other; a newer version replaces it there', () => {
  const [a, b] = pair()
  const sa = scene()
  const sb = scene()
  const ba = bindBoard(a, sa, { timers: now })
  bindBoard(b, sb, { timers: now })
  sa.set([rect('r1')])
  ba.changed(sa.getElements())
  assert.deepEqual(sb.getElements().map((e) => [e.id, e.x]), [['r1', 10]])
  sa.set([rect('r1', { x: 300, version: 2, versionNonce: 9 })])
  ba.changed(sa.getElements())
  assert.equal(sb.getElements()[0].x, 300)
  assert.equal(boardOf(b).length, 1, 'a change rewrites the element, it does not add one')
})

test('an older copy arriving late does not undo a newer one; equal versions resolve the same way everywhere', () => {
  const [a, b] = pair()
  writeElements(a, [rect('r1', { version: 3, x: 3 })])
  writeElements(b, [rect('r1', { version: 2, x: 2 })]) // older than what b already holds: not written
  assert.equal(readBoard(boardOf(b)).get('r1').element.x, 3)
  const local = [rect('r1', { version: 4, x: 4 })]
  assert.equal(merged(local, boardOf(a))[0].x, 4, 'an unsent newer local copy stays')
  const c = new Y.Doc()
  const d = new Y.Doc()
  writeElements(c, [rect('r2', { version: 2, versionNonce: 7, x: 7 })])
  writeElements(d, [rect('r2', { version: 2, versionNonce: 1, x: 1 })])
  Y.applyUpdate(c, Y.encodeStateAsUpdate(d))
  Y.applyUpdate(d, Y.encodeStateAsUpdate(c))
  assert.equal(readBoard(boardOf(c)).get('r2').element.x, 1)
  assert.equal(readBoard(boardOf(d)).get('r2').element.x, 1)
})


test('stacking order follows the fractional index', () => {
  const [a] = pair()
  writeElements(a, [rect('top', { index: 'a2' }), rect('bottom', { index: 'a0' }), rect('middle', { index: 'a1' })])
  assert.deepEqual(merged([], boardOf(a)).map((e) => e.id), ['bottom', 'middle', 'top'])
})

test('only what the server takes is written: no image, embeddable or iframe, no unknown key, no javascript: link', () => {
  for (const type of ['image', 'embeddable', 'iframe', 'frame', 'magicframe', 'selection']) {
    assert.equal(serialise({ ...rect('x'), type }), null, type)
  }
  assert.equal(serialise(rect('bad id!')), null)
  const text = serialise(rect('r', { link: 'javascript:alert(1)', fileId: 'f', status: 'saved', unknown: 1 }))
  const stored = JSON.parse(text)
  assert.equal(stored.link, null)
  assert.ok(!('fileId' in stored) && !('status' in stored) && !('unknown' in stored))
  assert.equal(JSON.parse(serialise(rect('r', { link: 'https://example.org/a' }))).link, 'https://example.org/a')
})

test('a long freehand stroke is thinned to fit, its ends kept', () => {
  const points = Array.from({ length: 3000 }, (_, i) => [i * 0.123456, Math.sin(i) * 100.98765])
  const text = serialise({ ...rect('s'), type: 'freedraw', points, pressures: [], simulatePressure: true })
  assert.ok(text.length <= MAX_JSON_CHARS)
  const stored = JSON.parse(text)
  assert.ok(stored.points.length <= MAX_POINTS && stored.points.length > 50)
  assert.deepEqual(stored.points[0], [0, 0])
  assert.deepEqual(stored.points[stored.points.length - 1], [Math.round(2999 * 0.123456 * 100) / 100, Math.round(Math.sin(2999) * 100.98765 * 100) / 100])
})

test('what is not an element is ignored when reading: other tags, bad JSON, unknown types or keys', () => {
  const doc = new Y.Doc()
  const board = boardOf(doc)
  const add = (tag, value) => { const n = new Y.XmlElement(tag); n.setAttribute(ATTRIBUTE, value); board.push([n]) }
  add('paragraph', serialise(rect('p')))
  add(TAG, '{not json')
  add(TAG, JSON.stringify({ ...rect('i'), type: 'image', fileId: 'x' }))
  add(TAG, JSON.stringify({ ...rect('k'), onclick: 'x' }))
  add(TAG, serialise(rect('ok')))
  assert.deepEqual(Array.from(readBoard(board).keys()), ['ok'])
  assert.equal(parse(JSON.stringify(rect('l', { link: 'javascript:x' }))).link, null)
})

test('remote changes reach the scene; the scene is not written back; local edits are batched', () => {
  const [a, b] = pair()
  const sb = scene()
  const pending = []
  const later = { setTimeout: (f) => { pending.push(f); return pending.length }, clearTimeout: () => {} }
  const bb = bindBoard(b, sb, { timers: later })
  let writes = 0
  b.on('update', (_u, origin) => { if (origin !== 'peer') writes++ })
  writeElements(a, [rect('r1')])
  assert.equal(sb.getElements().length, 1)
  bb.changed(sb.getElements()) // Excalidraw's onChange after updateScene: nothing new
  assert.equal(pending.length, 0)
  sb.set([rect('r1', { version: 2, x: 1 })])
  bb.changed(sb.getElements())
  sb.set([rect('r1', { version: 3, x: 2 })])
  bb.changed(sb.getElements())
  assert.equal(pending.length, 1, 'one write for a burst of changes')
  pending[0]()
  assert.equal(writes, 1)
  assert.equal(readBoard(boardOf(a)).get('r1').element.x, 2)
})

test('a bar model becomes grouped rectangles, lines and texts from the plans’ drawing model', async () => {
  const { representationSkeletons, anchored } = await import('../src/_excalidraw-repr.js')
  const attrs = { kind: 'bar-part-whole', whole: '24', parts: '3', equal: 'yes', values: '["?","8",""]' }
  const made = representationSkeletons(attrs, { x: 100, y: 50, groupId: 'g1' })
  const types = made.map((e) => e.type)
  assert.equal(types.filter((t) => t === 'rectangle').length, 3, 'one rectangle per part')
  assert.ok(types.includes('line'))
  assert.deepEqual(made.filter((e) => e.type === 'text').map((e) => e.text), ['24', '?', '8'])
  assert.ok(made.every((e) => e.groupIds[0] === 'g1' && e.customData.representation === 'bar-part-whole'))
  assert.match(made[0].customData.alt, /^Bar model: whole 24 split into 3 equal parts, one part unknown/)
  const unknown = made.find((e) => e.type === 'rectangle' && e.backgroundColor === '#fef3c7')
  assert.ok(unknown && unknown.x === 100 + 25, 'the unknown part is first, drawn yellow, where the SVG draws it (scaled)')
  const [centred] = anchored([{ type: 'text', x: 200, width: 40, customData: { anchor: 'middle' } }])
  assert.equal(centred.x, 180)
  // Each element passes what the server takes once Excalidraw has filled it in (ids, versions...).
  const full = made.map((e, i) => ({ id: 'e' + i, version: 1, versionNonce: 1, index: 'a' + i, ...e }))
  assert.ok(full.every((e) => serialise(e)))
})

test('an element handed to the scene and changed there in place does not change what the board holds', () => {
  const [a, b] = pair()
  const sb = scene()
  bindBoard(b, sb, { timers: now })
  writeElements(a, [rect('r1')])
  const shown = sb.getElements()[0]
  shown.x = 999 // as Excalidraw's mutateElement does, with a new version
  shown.version = 2
  assert.equal(readBoard(boardOf(b)).get('r1').element.x, 10)
  assert.equal(writeElements(b, [shown]), 1, 'the change is written: the board still holds version 1')
  assert.equal(readBoard(boardOf(a)).get('r1').element.x, 999)
})
