// The whiteboard's model (static/src/_board.js): items in the Yjs map "board", synced between two documents,
// undo of one's own changes only, and tolerance of entries that are not items.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import * as Y from 'yjs'
import { MAX_POINTS, addItem, boardOf, boardUndoManager, deleteItem, moveItem, pushPoint, readItems } from '../src/_board.js'

function pair () {
  const a = new Y.Doc()
  const b = new Y.Doc()
  a.on('update', (u, origin) => { if (origin !== 'peer') Y.applyUpdate(b, u, 'peer') })
  b.on('update', (u, origin) => { if (origin !== 'peer') Y.applyUpdate(a, u, 'peer') })
  return [a, b]
}

test('a stroke and a shape drawn on one board appear on the other, in stacking order', () => {
  const [a, b] = pair()
  addItem(a, { kind: 'stroke', points: [1.4, 2.6, 10, 20] })
  addItem(b, { kind: 'rect', x: 5, y: 6, w: 100, h: 50, colour: '#1d4ed8' })
  const items = readItems(boardOf(a))
  assert.deepEqual(items.map((i) => i.kind), ['stroke', 'rect'])
  assert.deepEqual(items[0].points, [1, 3, 10, 20])
  assert.deepEqual(readItems(boardOf(b)), items)
})

test('moving and deleting reach the other board; undo takes back only my own change', () => {
  const [a, b] = pair()
  const undo = boardUndoManager(a)
  const mine = addItem(a, { kind: 'text', x: 10, y: 10, text: '£0.65 a pen' })
  const theirs = addItem(b, { kind: 'ellipse', x: 0, y: 0, w: 40, h: 40 })
  moveItem(b, mine, 200, 100)
  assert.equal(readItems(boardOf(a)).find((i) => i.id === mine).x, 200)
  undo.undo() // my text goes; their ellipse stays
  assert.deepEqual(readItems(boardOf(b)).map((i) => i.id), [theirs])
  undo.redo()
  deleteItem(a, theirs)
  assert.deepEqual(readItems(boardOf(b)).map((i) => i.kind), ['text'])
})

test('entries that are not well-formed items are left out, and colours are checked', () => {
  const doc = new Y.Doc()
  const board = boardOf(doc)
  board.set('junk', 'not a map')
  const odd = new Y.Map()
  board.set('odd', odd)
  odd.set('kind', 'script')
  addItem(doc, { kind: 'line', points: [0, 0, 5, 5], colour: 'url(javascript:alert(1))' })
  const items = readItems(board)
  assert.equal(items.length, 1)
  assert.equal(items[0].colour, '#1f2937')
})

test('a long drag keeps at most MAX_POINTS points and drops points too close together', () => {
  const points = []
  assert.equal(pushPoint(points, 0, 0), true)
  assert.equal(pushPoint(points, 1, 1), false)
  for (let i = 1; i < MAX_POINTS + 50; i++) pushPoint(points, i * 3, 0)
  assert.equal(points.length, MAX_POINTS * 2)
})
