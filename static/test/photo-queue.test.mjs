// Photos queued on an observation record (static/src/_photo-queue.js) and how the save state counts them
// (static/src/_socket.js): sent oldest first, one at a time; a photo the server refuses is dropped and said; any
// other failure keeps it and the rest for the next try.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { isRefused, queuedPhoto, sendQueued } from '../src/_photo-queue.js'
import { describeSaveState } from '../src/_socket.js'

const item = (id, at) => ({ id, at })

function recorder (answers) {
  const log = []
  return {
    log,
    upload: async (it) => {
      log.push('upload ' + it.id)
      const answer = answers[it.id]
      if (answer instanceof Error) throw answer
      return answer || { id: it.id.length }
    },
    sent: async (it) => { log.push('sent ' + it.id) },
    refused: async (it, err) => { log.push('refused ' + it.id + ': ' + err.message) }
  }
}

test('queued photos are sent oldest first, each noted before the next', async () => {
  const r = recorder({})
  const result = await sendQueued([item('b', 2), item('a', 1)], r)
  assert.deepEqual(result, { sent: 2, stopped: null })
  assert.deepEqual(r.log, ['upload a', 'sent a', 'upload b', 'sent b'])
})

test('with no connection the first failure stops: that photo and the rest stay queued', async () => {
  const offline = new TypeError('Failed to fetch')
  const r = recorder({ a: offline })
  const result = await sendQueued([item('a', 1), item('b', 2)], r)
  assert.equal(result.sent, 0)
  assert.equal(result.stopped, offline)
  assert.deepEqual(r.log, ['upload a'])
})

test('a photo the server refuses is dropped and said, and the next is still sent', async () => {
  const refused = Object.assign(new Error('Upload a photo: JPEG, PNG or WebP.'), { refused: true })
  const r = recorder({ a: refused })
  const result = await sendQueued([item('a', 1), item('b', 2)], r)
  assert.deepEqual(result, { sent: 1, stopped: null })
  assert.deepEqual(r.log, ['upload a', 'refused a: Upload a photo: JPEG, PNG or WebP.', 'upload b', 'sent b'])
})

test('only an answer the server explains as a refusal drops a photo', () => {
  assert.equal(isRefused(400, 'Upload a photo: JPEG, PNG or WebP.'), true)
  assert.equal(isRefused(413, 'Too big'), true)
  assert.equal(isRefused(403, 'Only the observer adds photos to their record.'), true)
  assert.equal(isRefused(400, undefined), false) // an expired form's page: try again later
  assert.equal(isRefused(500, 'Server error'), false)
  assert.equal(isRefused(0, undefined), false) // a redirect to the sign-in page
})

test('a queued photo keeps the tags chosen when it was taken', () => {
  const file = { name: 'IMG_0001.jpg' }
  assert.deepEqual(queuedPhoto(7, file, { phase: 'Starter', pupil: 'Pupil A' }, 'id-1', 1000), {
    id: 'id-1', recordId: 7, at: 1000, phase: 'Starter', big_idea: '', pupil: 'Pupil A', blob: file, name: 'IMG_0001.jpg'
  })
})

const offline = { error: null, connected: false, joined: false, waiting: 0 }

test('offline, queued photos are counted in the save state in plain words', () => {
  assert.equal(describeSaveState({ ...offline, photos: 2 }).text,
    'Offline: 2 photos and your changes are kept on this device and will be sent when you are back online')
  assert.equal(describeSaveState({ ...offline, photos: 1 }).text,
    'Offline: 1 photo and your changes are kept on this device and will be sent when you are back online')
  assert.equal(describeSaveState({ ...offline, waiting: 3, photos: 1 }).detail, '3 changes not sent yet; 1 photo waiting to upload')
})

test('online, the save state says the photos are being sent until they are', () => {
  const online = { error: null, connected: true, joined: true, waiting: 0 }
  assert.deepEqual(describeSaveState({ ...online, photos: 2 }),
    { state: 'saving', text: 'Sending 2 photos…', detail: '2 photos waiting to upload' })
  assert.equal(describeSaveState({ ...online, photos: 0 }).text, 'Saved')
})
