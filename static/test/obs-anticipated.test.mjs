// The visit room's anticipated-versus-observed table counts what the server counts
// (collab/observations/anticipated/table.py): valid tags of known items, notes linked from the same record.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { anticipatedRows } from '../src/_obs-anticipated-rows.js'

const items = [{ id: '1', kind: 'response', pupil: '', text: 'Adds 9 to both', inPlan: true },
  { id: '2', kind: 'pupil', pupil: 'Pupil B', text: 'Will add rather than scale', inPlan: true }]
const ann = { id: 7, name: 'Ann' }
const bob = { id: 8, name: 'Bob' }
const note = (id, at, text) => ({ id, at, phase: '', big_idea: '', pupil: '', text })

test('counts each observer tag per item and lists the linked notes in time order', () => {
  const rows = anticipatedRows(items, [
    { observer: ann, tags: { 1: 'seen', 2: 'something-else' }, links: { a2: '1', a1: '1' }, notes: [note('a1', 20, 'later'), note('a2', 10, 'first')] },
    { observer: bob, tags: { 1: 'seen' }, links: {}, notes: [] }
  ])
  assert.deepEqual(rows[0].counts, { seen: 2, 'not-seen': 0, 'something-else': 0 })
  assert.deepEqual(rows[0].taggedBy.seen, ['Ann', 'Bob'])
  assert.deepEqual(rows[0].notes.map((n) => n.text), ['first', 'later'])
  assert.equal(rows[0].notes[0].observer.name, 'Ann')
  assert.deepEqual(rows[1].counts, { seen: 0, 'not-seen': 0, 'something-else': 1 })
})

test('leaves out unknown tags and items, and notes that are not the same record\'s', () => {
  const rows = anticipatedRows(items, [
    { observer: ann, tags: { 1: 'maybe', 99: 'seen' }, links: { b1: '1', a1: '99' }, notes: [note('a1', 1, 'mine')] },
    { observer: bob, tags: {}, links: {}, notes: [note('b1', 1, 'theirs'), note('b2', 2, '  ')] }
  ])
  assert.deepEqual(rows.map((r) => r.counts.seen + r.counts['not-seen'] + r.counts['something-else']), [0, 0])
  assert.deepEqual(rows.map((r) => r.notes.length), [0, 0])
})
