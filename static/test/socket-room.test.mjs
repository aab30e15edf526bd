// The room goes in the Socket.IO connection's URL (?room=plan:12): nginx hashes on it so a document's editors
// share a server process (docs/deployment.md). A page without a room opens a plain connection.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { openSocket } from '../src/_socket.js'

test('a document socket carries its room in the connection URL', () => {
  const socket = openSocket('http://127.0.0.1:9', 'plan:12')
  assert.equal(socket.io.opts.query.room, 'plan:12')
  assert.deepEqual(socket.io.opts.transports, ['websocket'])
  assert.equal(socket.connected, false)
})

test('a socket without a room has no room in its URL', () => {
  const socket = openSocket('http://127.0.0.1:9')
  assert.equal(socket.io.opts.query?.room, undefined)
})
