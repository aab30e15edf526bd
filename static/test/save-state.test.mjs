// What the save-state indicator tells people (static/src/_socket.js): the plan, development plan and observation
// pages count changes, the discussion page counts posts. The provider's own transitions are in provider.test.mjs.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { CHANGES, POSTS, describeSaveState } from '../src/_socket.js'

const online = { error: null, connected: true, joined: true, waiting: 0 }
const offline = { ...online, connected: false, joined: false }

for (const [waiting, changes, posts] of [
  [0, 'Offline — no changes waiting', 'Offline — no posts waiting'],
  [1, 'Offline — 1 change waiting', 'Offline — 1 post waiting'],
  [2, 'Offline — 2 changes waiting', 'Offline — 2 posts waiting']
]) {
  test(`offline with ${waiting} waiting says how many, in changes or posts`, () => {
    assert.deepEqual(describeSaveState({ ...offline, waiting }, CHANGES), { state: 'offline', text: changes })
    assert.deepEqual(describeSaveState({ ...offline, waiting }, POSTS), { state: 'offline', text: posts })
  })
}

test('connected but not yet let in says Connecting…', () => {
  const state = { ...online, joined: false, waiting: 3 }
  assert.deepEqual(describeSaveState(state, CHANGES), { state: 'saving', text: 'Connecting…' })
  assert.deepEqual(describeSaveState(state, POSTS), { state: 'saving', text: 'Connecting…' })
})

test('in with something waiting says Saving… for changes and Sending… for posts', () => {
  assert.deepEqual(describeSaveState({ ...online, waiting: 1 }, CHANGES), { state: 'saving', text: 'Saving…' })
  assert.deepEqual(describeSaveState({ ...online, waiting: 1 }, POSTS), { state: 'saving', text: 'Sending…' })
})

test('in with nothing waiting says Saved', () => {
  assert.deepEqual(describeSaveState(online, CHANGES), { state: 'saved', text: 'Saved' })
  assert.deepEqual(describeSaveState(online, POSTS), { state: 'saved', text: 'Saved' })
})

test('an error is said before anything else, even offline with changes waiting', () => {
  const state = { ...offline, waiting: 2, error: { message: 'the discussion could not be opened.' } }
  assert.deepEqual(describeSaveState(state, POSTS), { state: 'error', text: 'Not connected — the discussion could not be opened.' })
  assert.deepEqual(describeSaveState(state, CHANGES), { state: 'error', text: 'Not saved — the discussion could not be opened.' })
})

test('the words default to changes', () => {
  assert.equal(describeSaveState({ ...offline, waiting: 1 }).text, 'Offline — 1 change waiting')
})
