// What the save-state indicator tells people (static/src/_socket.js): a plain sentence, with how many changes (plan,
// development plan and observation pages) or posts (discussion page) are not sent yet only in the detail (title).
// The provider's own transitions are in provider.test.mjs.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { CHANGES, POSTS, describeSaveState } from '../src/_socket.js'

const online = { error: null, connected: true, joined: true, waiting: 0 }
const offline = { ...online, connected: false, joined: false }

const KEPT_CHANGES = 'Offline: your changes are kept on this device and will be sent when you are back online'
const KEPT_POSTS = 'Offline: your posts are kept on this device and will be sent when you are back online'

for (const [waiting, changes, posts] of [
  [0, 'Nothing waiting to be sent', 'Nothing waiting to be sent'],
  [1, '1 change not sent yet', '1 post not sent yet'],
  [2, '2 changes not sent yet', '2 posts not sent yet']
]) {
  test(`offline with ${waiting} waiting says the work is kept on the device, the count only in the detail`, () => {
    assert.deepEqual(describeSaveState({ ...offline, waiting }, CHANGES), { state: 'offline', text: KEPT_CHANGES, detail: changes })
    assert.deepEqual(describeSaveState({ ...offline, waiting }, POSTS), { state: 'offline', text: KEPT_POSTS, detail: posts })
  })
}

test('connected but not yet let in says Connecting…', () => {
  const state = { ...online, joined: false, waiting: 3 }
  assert.equal(describeSaveState(state, CHANGES).text, 'Connecting…')
  assert.equal(describeSaveState(state, POSTS).text, 'Connecting…')
  assert.equal(describeSaveState(state, POSTS).state, 'saving')
})

test('in with something waiting says Saving… for changes and Sending… for posts', () => {
  assert.deepEqual(describeSaveState({ ...online, waiting: 1 }, CHANGES), { state: 'saving', text: 'Saving…', detail: '1 change not sent yet' })
  assert.deepEqual(describeSaveState({ ...online, waiting: 1 }, POSTS), { state: 'saving', text: 'Sending…', detail: '1 post not sent yet' })
})

test('in with nothing waiting says Saved', () => {
  assert.equal(describeSaveState(online, CHANGES).text, 'Saved')
  assert.equal(describeSaveState(online, POSTS).text, 'Saved')
})

test('an error is said before anything else, even offline with changes waiting', () => {
  const state = { ...offline, waiting: 2, error: { message: 'the discussion could not be opened.' } }
  assert.equal(describeSaveState(state, POSTS).text, 'Not connected — the discussion could not be opened.')
  assert.equal(describeSaveState(state, CHANGES).text, 'Not saved — the discussion could not be opened.')
  assert.equal(describeSaveState(state, CHANGES).state, 'error')
})

test('the words default to changes', () => {
  assert.equal(describeSaveState({ ...offline, waiting: 1 }).text, KEPT_CHANGES)
})
