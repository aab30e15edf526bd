// The provider's promise to the person typing (static/src/_provider.js, docs/realtime-protocol.md): nothing they
// wrote is dropped before the server has acknowledged it, and the save state says where their changes are.
// Yjs and the sync protocol are the real ones; the test plays the server through a fake Socket.IO socket.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import * as Y from 'yjs'
import * as syncProtocol from 'y-protocols/sync'
import * as encoding from 'lib0/encoding'
import * as decoding from 'lib0/decoding'
import { SocketIOProvider } from '../src/_provider.js'
import { describeSaveState } from '../src/_socket.js'

// The browser around the provider: its offline, online and pagehide events, and navigator.onLine.
const browserWindow = new EventTarget()
globalThis.window = browserWindow
Object.defineProperty(globalThis, 'navigator', { value: { onLine: true }, configurable: true, writable: true })

const ROOM = 'plan:1'
const FLUSH_MS = 40 // the provider batches keystrokes for this long

/** The client end of a Socket.IO connection; the test answers what the provider emits, as the server would. */
class FakeSocket {
  constructor () {
    this.connected = false
    this.handlers = new Map()
    this.sent = [] // {event, args, ack}, oldest first
  }

  on (event, handler) {
    if (!this.handlers.has(event)) this.handlers.set(event, [])
    this.handlers.get(event).push(handler)
    return this
  }

  emit (event, ...args) {
    const ack = typeof args[args.length - 1] === 'function' ? args.pop() : null
    this.sent.push({ event, args, ack })
    return this
  }

  connect () {
    this.connected = true
    this.receive('connect')
  }

  disconnect () {
    if (!this.connected) return
    this.connected = false
    this.receive('disconnect', 'io client disconnect')
  }

  /** The server (or Socket.IO) sends `event`. */
  receive (event, ...args) {
    for (const handler of this.handlers.get(event) || []) handler(...args)
  }

  /** The messages sent as `event` since the last take, oldest first. */
  take (event) {
    const taken = this.sent.filter((m) => m.event === event)
    this.sent = this.sent.filter((m) => m.event !== event)
    return taken
  }
}

const KEPT = 'Offline: your changes are kept on this device and will be sent when you are back online'
const offline = (detail) => `${KEPT} (${detail})`

/** A plan open in one browser, with the clock under the test's control. */
function openPlan (t) {
  t.mock.timers.enable({ apis: ['setTimeout'] })
  const socket = new FakeSocket()
  const doc = new Y.Doc()
  const provider = new SocketIOProvider(ROOM, doc, { socket })
  t.after(() => { provider.destroy(); provider.awareness.destroy() }) // the awareness keeps a timer running
  const type = (words) => doc.getText('body').insert(doc.getText('body').length, words)
  // Offline, the indicator's plain sentence and, in brackets, its title: how many edits are not sent yet.
  const saveState = () => {
    const { state, text, detail } = describeSaveState(provider.saveState)
    return state === 'offline' ? `${text} (${detail})` : text
  }
  return { socket, doc, provider, type, saveState, wait: (ms) => t.mock.timers.tick(ms) }
}

/** Connects and lets the provider in (the server's answer to doc:join). */
function connectAndJoin (socket, access = 'edit') {
  socket.connect()
  const joins = socket.take('doc:join')
  assert.equal(joins.length, 1)
  assert.equal(joins[0].args[0], ROOM)
  joins[0].ack({ ok: true, access })
}

/** The update a doc:sync message carries, read as the server reads it. */
function readSync (message) {
  const decoder = decoding.createDecoder(message)
  assert.equal(decoding.readVarUint(decoder), 0) // a sync message
  const subtype = decoding.readVarUint(decoder)
  return { subtype, update: decoding.readVarUint8Array(decoder) }
}

/** The text a server would hold after storing the updates of these doc:sync messages, and nothing else. */
function storedText (...messages) {
  const server = new Y.Doc()
  for (const m of messages) Y.applyUpdate(server, readSync(m.args[1]).update)
  return server.getText('body').toString()
}

/** The server's sync step 1: its state vector, asking for whatever it lacks. */
function step1 (serverDoc) {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, 0)
  syncProtocol.writeSyncStep1(encoder, serverDoc)
  return encoding.toUint8Array(encoder)
}

test('the save state says Connecting… until the server lets us in, then Saved', (t) => {
  const { socket, provider, saveState } = openPlan(t)
  provider.connect()
  assert.equal(saveState(), 'Connecting…')
  socket.take('doc:join')[0].ack({ ok: true, access: 'edit' })
  assert.equal(saveState(), 'Saved')
})

test('an edit says Saving… until the server acknowledges it, then Saved', (t) => {
  const { socket, type, saveState, wait } = openPlan(t)
  connectAndJoin(socket)
  type('Hello')
  assert.equal(saveState(), 'Saving…')
  wait(FLUSH_MS)
  const [sent, ...more] = socket.take('doc:sync')
  assert.equal(more.length, 0)
  assert.equal(storedText(sent), 'Hello')
  assert.equal(saveState(), 'Saving…')
  sent.ack({ ok: true })
  assert.equal(saveState(), 'Saved')
})

test('edits made offline are counted, kept, and sent once the connection is back', (t) => {
  const { socket, type, saveState, wait } = openPlan(t)
  connectAndJoin(socket)
  socket.disconnect()
  assert.equal(saveState(), offline('Nothing waiting to be sent'))
  type('Fractions ')
  assert.equal(saveState(), offline('1 change not sent yet'))
  type('as division')
  assert.equal(saveState(), offline('2 changes not sent yet'))
  wait(FLUSH_MS)
  assert.deepEqual(socket.take('doc:sync'), []) // nothing can go while offline

  connectAndJoin(socket)
  const sent = socket.take('doc:sync')
  assert.equal(storedText(...sent), 'Fractions as division')
  assert.equal(saveState(), 'Saving…')
  sent.forEach((m) => m.ack({ ok: true }))
  assert.equal(saveState(), 'Saved')
})

test('an edit sent but never acknowledged before the connection dropped is sent again', (t) => {
  const { socket, type, saveState, wait } = openPlan(t)
  connectAndJoin(socket)
  type('Hello')
  wait(FLUSH_MS)
  assert.equal(socket.take('doc:sync').length, 1) // its ack is lost with the connection
  socket.disconnect()
  assert.equal(saveState(), offline('1 change not sent yet'))

  connectAndJoin(socket)
  const [again] = socket.take('doc:sync')
  assert.equal(storedText(again), 'Hello')
  again.ack({ ok: true })
  assert.equal(saveState(), 'Saved')
})

test('an acknowledgement clears exactly the edits it covers', (t) => {
  const { socket, type, saveState, wait } = openPlan(t)
  connectAndJoin(socket)
  type('one ')
  wait(FLUSH_MS)
  const [first] = socket.take('doc:sync')
  type('two')
  wait(FLUSH_MS)
  const [second] = socket.take('doc:sync')
  second.ack({ ok: true })
  assert.equal(saveState(), 'Saving…') // the first is still waiting for its ack
  socket.disconnect()
  assert.equal(saveState(), offline('1 change not sent yet'))

  connectAndJoin(socket)
  const [again, ...more] = socket.take('doc:sync')
  assert.equal(more.length, 0)
  assert.equal(storedText(again), 'one ') // the unacknowledged one, and only it
  assert.equal(storedText(first), 'one ')
  again.ack({ ok: true })
  assert.equal(saveState(), 'Saved')
})

test('an acknowledgement that arrives after the connection dropped still counts', (t) => {
  const { socket, type, saveState, wait } = openPlan(t)
  connectAndJoin(socket)
  type('Hello')
  wait(FLUSH_MS)
  const [sent] = socket.take('doc:sync')
  socket.disconnect()
  sent.ack({ ok: true })
  assert.equal(saveState(), offline('Nothing waiting to be sent'))
  connectAndJoin(socket)
  assert.deepEqual(socket.take('doc:sync'), [])
  assert.equal(saveState(), 'Saved')
})

test('out-of-sync: the edit goes with the answer to the server\'s step 1, whose ack clears it', (t) => {
  const { socket, type, saveState, wait } = openPlan(t)
  connectAndJoin(socket)
  type('Hello')
  wait(FLUSH_MS)
  socket.take('doc:sync')[0].ack({ ok: false, error: 'out-of-sync' })
  assert.equal(saveState(), 'Saving…')
  wait(5000)
  assert.deepEqual(socket.take('doc:sync'), []) // not sent alone again: the server is asking for what it lacks

  socket.receive('doc:sync', ROOM, step1(new Y.Doc()))
  const [answer, ...more] = socket.take('doc:sync')
  assert.equal(more.length, 0)
  assert.equal(readSync(answer.args[1]).subtype, syncProtocol.messageYjsSyncStep2)
  assert.equal(storedText(answer), 'Hello')
  answer.ack({ ok: true })
  assert.equal(saveState(), 'Saved')
})

for (const [code, pause] of [['server-error', 3000], ['rate-limited', 500]]) {
  test(`${code}: the edit the server did not store is sent again after ${pause} ms`, (t) => {
    const { socket, type, saveState, wait } = openPlan(t)
    connectAndJoin(socket)
    type('Hello')
    wait(FLUSH_MS)
    socket.take('doc:sync')[0].ack({ ok: false, error: code })
    assert.equal(saveState(), 'Saving…')
    wait(pause - 1)
    assert.deepEqual(socket.take('doc:sync'), [])
    wait(1)
    const [again] = socket.take('doc:sync')
    assert.equal(storedText(again), 'Hello')
    again.ack({ ok: true })
    assert.equal(saveState(), 'Saved')
  })
}

test('an edit the server refuses for good says Not saved, with its reason, and is not dropped', (t) => {
  const { socket, provider, type, wait } = openPlan(t)
  connectAndJoin(socket)
  type('Hello')
  wait(FLUSH_MS)
  socket.take('doc:sync')[0].ack({ ok: false, error: 'too-large', message: 'That change is too large to save.' })
  assert.deepEqual(describeSaveState(provider.saveState), { state: 'error', text: 'Not saved — That change is too large to save.', detail: '1 change not sent yet' })
  assert.equal(provider.waiting, 1) // still warned about before closing the page
})

for (const [answer, said] of [
  [{ ok: false, error: 'not-found', message: 'This plan was deleted.' }, 'Not saved — This plan was deleted.'],
  [undefined, 'Not saved — This plan could not be opened.']
]) {
  test(`a refused join says why: ${said}`, (t) => {
    const { socket, provider, saveState } = openPlan(t)
    provider.connect()
    socket.take('doc:join')[0].ack(answer)
    assert.equal(saveState(), said)
  })
}

test('when the browser goes offline the connection is closed at once, and opened again when it is back', (t) => {
  const { socket, saveState } = openPlan(t)
  connectAndJoin(socket)
  browserWindow.dispatchEvent(new Event('offline'))
  assert.equal(socket.connected, false)
  assert.equal(saveState(), offline('Nothing waiting to be sent'))
  browserWindow.dispatchEvent(new Event('online'))
  assert.equal(socket.connected, true)
  assert.equal(socket.take('doc:join').length, 1)
})

test('opened while the browser is offline, it waits for the online event', (t) => {
  const { socket, provider, saveState } = openPlan(t)
  navigator.onLine = false
  t.after(() => { navigator.onLine = true })
  provider.connect()
  assert.equal(socket.connected, false)
  assert.equal(saveState(), offline('Nothing waiting to be sent'))
  navigator.onLine = true
  browserWindow.dispatchEvent(new Event('online'))
  assert.equal(socket.connected, true)
})

test('edits kept on the device from an earlier visit reach the server in the answer to its step 1', (t) => {
  const { socket, doc, provider, saveState, wait } = openPlan(t)
  const device = {} // the IndexedDB persistence replaying what it stored
  provider.ignoreOrigins.add(device)
  const earlier = new Y.Doc()
  earlier.getText('body').insert(0, 'typed offline yesterday')
  Y.applyUpdate(doc, Y.encodeStateAsUpdate(earlier), device)
  wait(FLUSH_MS)
  assert.equal(provider.waiting, 0) // not new edits of this visit

  // The server sends its step 1 before it acknowledges the join.
  socket.connect()
  socket.receive('doc:sync', ROOM, step1(new Y.Doc()))
  assert.deepEqual(socket.take('doc:sync'), []) // the provider does not know its access yet
  socket.take('doc:join')[0].ack({ ok: true, access: 'edit' })
  const [answer] = socket.take('doc:sync')
  assert.equal(storedText(answer), 'typed offline yesterday')
  assert.equal(saveState(), 'Saving…')
  answer.ack({ ok: true })
  assert.equal(saveState(), 'Saved')
})

test('a reader sends nothing, and the server\'s edits are not counted as ours', (t) => {
  const { socket, doc, provider, saveState, wait } = openPlan(t)
  connectAndJoin(socket, 'read')
  const server = new Y.Doc()
  server.getText('body').insert(0, 'from the author')
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, 0)
  syncProtocol.writeUpdate(encoder, Y.encodeStateAsUpdate(server))
  socket.receive('doc:sync', ROOM, encoding.toUint8Array(encoder))
  wait(FLUSH_MS)
  assert.equal(doc.getText('body').toString(), 'from the author')
  assert.equal(provider.waiting, 0)
  assert.deepEqual(socket.take('doc:sync'), [])
  assert.equal(saveState(), 'Saved')
})
