// The whiteboard's serialiser (static/src/_excalidraw-binding.js) keeps an honest user's element within every bound
// the server enforces (collab/workspace/elements.py), so that no edit is refused: a shape with more bound arrows
// than the server takes, groups nested deeper, a stacking index grown long, a text scaled past the largest size.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { generateKeyBetween } from 'fractional-indexing' // Excalidraw's own (its dependency)
import {
  MAX_BOUND, MAX_COORDINATE, MAX_FONT_SIZE, MAX_GROUPS, MAX_INDEX, ordered, serialise, shortIndex
} from '../src/_excalidraw-binding.js'

const rect = (id, fields = {}) => ({
  id, type: 'rectangle', x: 10, y: 20, width: 100, height: 50, angle: 0, strokeColor: '#1e1e1e',
  backgroundColor: 'transparent', version: 1, versionNonce: 5, index: 'a0', isDeleted: false, groupIds: [], ...fields
})
const INDEX = /^[A-Za-z0-9]{1,64}$/ // elements.py _INDEX, at most MAX_INDEX characters

test('the bounds are the server’s: 50 bound elements, 10 groups, a 64-character index', () => {
  assert.deepEqual([MAX_BOUND, MAX_GROUPS, MAX_INDEX, MAX_COORDINATE, MAX_FONT_SIZE], [50, 10, 64, 1e7, 1000])
})

test('a shape with 60 bound arrows and a label keeps 50, its label among them', () => {
  const arrows = Array.from({ length: 60 }, (_, i) => ({ id: 'arrow' + i, type: 'arrow' }))
  const stored = JSON.parse(serialise(rect('box', { boundElements: [...arrows, { id: 'label', type: 'text' }] })))
  assert.equal(stored.boundElements.length, MAX_BOUND)
  assert.deepEqual(stored.boundElements[0], { id: 'label', type: 'text' }, 'the label is never the one left out')
  assert.deepEqual(stored.boundElements.slice(1), arrows.slice(0, MAX_BOUND - 1))
  assert.deepEqual(JSON.parse(serialise(rect('few', { boundElements: arrows.slice(0, 3) }))).boundElements,
    arrows.slice(0, 3), 'a shape within the bound is written as it is')
})

test('groups nested 15 deep keep the 10 outermost, the same for every element, so each kept group stays whole', () => {
  const outer = Array.from({ length: 15 }, (_, i) => 'g' + (15 - i)) // deepest first: g15 ... g1 (outermost)
  const deep = JSON.parse(serialise(rect('deep', { groupIds: outer })))
  const shallower = JSON.parse(serialise(rect('shallower', { groupIds: outer.slice(3) })))
  assert.equal(deep.groupIds.length, MAX_GROUPS)
  assert.deepEqual(deep.groupIds, outer.slice(-MAX_GROUPS))
  assert.deepEqual(shallower.groupIds, outer.slice(-MAX_GROUPS), 'both still in g10 ... g1, together')
  assert.deepEqual(JSON.parse(serialise(rect('one', { groupIds: ['g1'] }))).groupIds, ['g1'])
})

test('indices grown long by putting elements between the same two again and again are cut, their order kept', () => {
  const keys = ['a0', 'a1']
  let above = 'a1'
  for (let i = 0; i < 600; i++) { above = generateKeyBetween('a0', above); keys.push(above) }
  keys.push(generateKeyBetween(above, 'a1'))
  assert.ok(keys.some((k) => k.length > MAX_INDEX), 'the test makes indices longer than the bound')
  const sorted = keys.slice().sort()
  const cut = sorted.map(shortIndex)
  for (let i = 0; i < cut.length; i++) {
    assert.match(cut[i], INDEX)
    assert.ok(cut[i].length <= MAX_INDEX)
    assert.doesNotThrow(() => generateKeyBetween(cut[i], null), 'still an index Excalidraw can read: ' + cut[i])
    if (i > 0) assert.ok(cut[i - 1] <= cut[i], 'cutting never reverses two elements')
  }
  // On the board, elements written with them stack as before (equal cut indices: by id, as written here).
  const elements = sorted.map((index, i) => rect('e' + String(i).padStart(4, '0'), { index }))
  const read = ordered(elements.map((e) => JSON.parse(serialise(e))))
  assert.deepEqual(read.map((e) => e.id), elements.map((e) => e.id))
  assert.equal(shortIndex('a0V'), 'a0V', 'a short index is left alone')
})

test('a text scaled past the largest size, a shape dragged past the board’s edge stay within its bounds', () => {
  const text = JSON.parse(serialise(rect('t', { type: 'text', text: 'big', originalText: 'big', fontSize: 2400, fontFamily: 5 })))
  assert.equal(text.fontSize, MAX_FONT_SIZE)
  const far = JSON.parse(serialise(rect('far', { x: -3e7, y: 2e7, width: 5e7 })))
  assert.deepEqual([far.x, far.y, far.width], [-MAX_COORDINATE, MAX_COORDINATE, MAX_COORDINATE])
  const line = JSON.parse(serialise(rect('l', { type: 'line', points: [[0, 0], [2e7, -2e7]], lastCommittedPoint: [2e7, 0] })))
  assert.deepEqual(line.points[1], [MAX_COORDINATE, -MAX_COORDINATE])
  assert.deepEqual(line.lastCommittedPoint, [MAX_COORDINATE, 0])
})

test('a colour typed into Excalidraw’s colour box as rgb() or hsl() is written as hex; one with no hex, left out', () => {
  const typed = JSON.parse(serialise(rect('c', { strokeColor: 'rgb(255, 0, 0)', backgroundColor: 'hsla(120, 100%, 25%, 0.5)' })))
  assert.deepEqual([typed.strokeColor, typed.backgroundColor], ['#ff0000', '#00800080'])
  assert.equal(JSON.parse(serialise(rect('n', { strokeColor: 'Teal' }))).strokeColor, 'teal')
  const other = JSON.parse(serialise(rect('o', { strokeColor: 'oklch(0.5 0.1 20)' })))
  assert.ok(!('strokeColor' in other), 'drawn in the default colour elsewhere, rather than the edit refused')
  assert.deepEqual(JSON.parse(serialise(rect('k', { strokeColor: '#1e1e1e', backgroundColor: 'transparent' })))
    .backgroundColor, 'transparent')
})
