// Following a visit's records (_visit-records.js): the visit room page and the discussion page ask the server again
// whenever visit:records comes, and bring the records they read in line with its answer.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { followVisitRecords, matchSources } from '../src/_visit-records.js'

function fakeSocket () {
  const handlers = {}
  return { on: (event, fn) => { handlers[event] = fn }, fire: (event, ...args) => handlers[event](...args) }
}

/** fetch() answered by hand: each call waits until answer(body) or fail() is called for it. */
function fakeFetch () {
  const calls = []
  globalThis.fetch = (url) => new Promise((resolve, reject) => {
    calls.push({
      url,
      answer: (body) => resolve({ ok: true, json: () => Promise.resolve(body) }),
      refuse: () => resolve({ ok: false, json: () => Promise.reject(new Error('not JSON')) }),
      fail: () => reject(new TypeError('offline'))
    })
  })
  return calls
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0))

test('visit:records for the page\'s visit room makes it ask; for another room it does not', async () => {
  const calls = fakeFetch()
  const socket = fakeSocket()
  const answers = []
  followVisitRecords(socket, 'visit:7', '/visits/7/room-records', (body) => answers.push(body))
  socket.fire('visit:records', 'visit:8', { visit: 8 })
  assert.equal(calls.length, 0)
  socket.fire('visit:records', 'visit:7', { visit: 7 })
  assert.deepEqual(calls.map((c) => c.url), ['/visits/7/room-records'])
  calls[0].answer({ records: [{ room: 'observation:1' }] })
  await settle()
  assert.deepEqual(answers, [{ records: [{ room: 'observation:1' }] }])
})

test('changes heard while a question is on its way are asked about once more, after its answer', async () => {
  const calls = fakeFetch()
  const socket = fakeSocket()
  const answers = []
  const ask = followVisitRecords(socket, 'visit:7', '/r', (body) => answers.push(body.n))
  ask()
  socket.fire('visit:records', 'visit:7', { visit: 7 })
  ask()
  assert.equal(calls.length, 1) // not three questions at once, whose answers could arrive out of order
  calls[0].answer({ n: 1 })
  await settle()
  assert.equal(calls.length, 2)
  calls[1].answer({ n: 2 })
  await settle()
  assert.deepEqual(answers, [1, 2]) // the last answer is the newest
  assert.equal(calls.length, 2)
})

test('a refused or failed question changes nothing, and the next one is asked', async () => {
  const calls = fakeFetch()
  const answers = []
  const ask = followVisitRecords(fakeSocket(), 'visit:7', '/r', (body) => answers.push(body))
  ask()
  calls[0].refuse()
  await settle()
  ask()
  calls[1].fail()
  await settle()
  ask()
  assert.equal(calls.length, 3)
  assert.deepEqual(answers, [])
})

test('the sources follow the answer: new records opened, those no longer listed closed, the others kept', () => {
  const opened = []
  const closed = []
  const sources = [{ record: { room: 'observation:1' } }, { record: { room: 'observation:2' } }]
  const kept = sources[0]
  const changed = matchSources(sources, [{ room: 'observation:1' }, { room: 'observation:3' }], {
    open: (record) => { opened.push(record.room); return { record } },
    close: (source) => closed.push(source.record.room)
  })
  assert.equal(changed, true)
  assert.deepEqual(sources.map((s) => s.record.room), ['observation:1', 'observation:3'])
  assert.equal(sources[0], kept) // not opened again: its document and connection stay
  assert.deepEqual(opened, ['observation:3'])
  assert.deepEqual(closed, ['observation:2'])
  assert.equal(matchSources(sources, [{ room: 'observation:1' }, { room: 'observation:3' }],
    { open: () => assert.fail('nothing new'), close: () => assert.fail('nothing gone') }), false)
})
