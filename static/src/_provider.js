// A Yjs provider over Socket.IO, speaking docs/realtime-protocol.md.
//
// Durability is the point: every local update is kept in `pending` until the server acknowledges it
// (the server acks only after committing it), and whatever is still pending is sent again, merged,
// after each reconnect. Yjs updates are idempotent, so a resend never duplicates text.
import * as Y from 'yjs'
import * as syncProtocol from 'y-protocols/sync'
import * as awarenessProtocol from 'y-protocols/awareness'
import * as encoding from 'lib0/encoding'
import * as decoding from 'lib0/decoding'
import { connectWhenOnline, followNetwork, openSocket } from './_socket.js'

const MESSAGE_SYNC = 0
const MESSAGE_AWARENESS = 1
const FLUSH_MS = 40 // batch keystrokes: well under the server's per-connection update rate
const EMPTY_UPDATE_BYTES = 2 // an update with no structs and an empty delete set

export class SocketIOProvider {
  /**
   * @param {string} room e.g. "plan:12"
   * @param {Y.Doc} doc
   * @param {{awareness?: awarenessProtocol.Awareness, url?: string, socket?: object, onStatus?: Function}} options
   *   socket: the transport, a Socket.IO client socket (_socket.js) unless given, as tests give a fake one.
   */
  constructor (room, doc, { awareness, url, socket, onStatus } = {}) {
    this.room = room
    this.doc = doc
    this.awareness = awareness || new awarenessProtocol.Awareness(doc)
    this.onStatus = onStatus || (() => {})
    this.access = null // "edit" | "read" once joined
    this.joined = false
    this.error = null
    this.pending = new Map() // id -> update not yet acknowledged
    this.inflight = new Set() // ids sent on the current connection, awaiting their ack
    this._nextId = 1
    this._flushTimer = null
    this._epoch = 0 // bumps on every disconnect; acks from an older connection still clear pending
    this._serverStateVector = null
    this.ignoreOrigins = new Set() // e.g. the IndexedDB persistence replaying what it stored

    this._onDocUpdate = (update, origin) => {
      if (origin === this || this.ignoreOrigins.has(origin)) return // from the server / from local storage
      this.pending.set(this._nextId++, update)
      this._scheduleFlush()
      this._status()
    }
    this._onAwarenessUpdate = ({ added, updated, removed }, origin) => {
      if (origin === 'remote') return
      const changed = added.concat(updated, removed)
      this._sendAwareness(changed)
    }
    this._onUnload = () => {
      awarenessProtocol.removeAwarenessStates(this.awareness, [this.doc.clientID], 'window unload')
    }

    this.socket = socket || openSocket(url, room)
    doc.on('update', this._onDocUpdate)
    this.awareness.on('update', this._onAwarenessUpdate)
    window.addEventListener('pagehide', this._onUnload)
    this._stopFollowingNetwork = followNetwork(this.socket, () => this._status())
    this.socket.on('connect', () => this._join())
    this.socket.on('disconnect', () => this._disconnected())
    this.socket.on('connect_error', () => this._status())
    this.socket.on('doc:sync', (room, message) => { if (room === this.room) this._receiveSync(message) })
    this.socket.on('doc:awareness', (room, message) => { if (room === this.room) this._receiveAwareness(message) })
    this.socket.on('doc:error', (info) => this._serverError(info))
  }

  connect () {
    if (!connectWhenOnline(this.socket)) this._status() // offline: the 'online' event connects
  }

  get connected () { return this.socket.connected && this.joined }

  get waiting () { return this.pending.size }

  /** What the save-state indicator describes (_socket.js describeSaveState). */
  get saveState () {
    return { error: this.error, connected: this.socket.connected, joined: this.joined, waiting: this.waiting }
  }

  _status () { this.onStatus(this) }

  _join () {
    this.socket.emit('doc:join', this.room, (ack) => {
      if (!ack || !ack.ok) {
        this.error = { kind: 'join', code: ack && ack.error, message: (ack && ack.message) || 'This plan could not be opened.' }
        this._status()
        return
      }
      this.access = ack.access
      this.joined = true
      this.error = null
      this._sendAwareness([this.doc.clientID])
      if (this._serverStateVector) this._answerStep1(this._serverStateVector)
      this.flush() // anything still pending that the answer did not carry
      this._status()
    })
  }

  _disconnected () {
    this.joined = false
    this._serverStateVector = null
    this.inflight.clear()
    this._epoch++
    const others = Array.from(this.awareness.getStates().keys()).filter((c) => c !== this.doc.clientID)
    awarenessProtocol.removeAwarenessStates(this.awareness, others, 'remote')
    this._status()
  }

  _scheduleFlush () {
    if (this._flushTimer) return
    this._flushTimer = setTimeout(() => { this._flushTimer = null; this.flush() }, FLUSH_MS)
  }

  /** Send, merged into one update message, everything pending that this connection has not sent yet. */
  flush () {
    if (!this.connected || this.access !== 'edit') return
    const ids = []
    const updates = []
    for (const [id, update] of this.pending) {
      if (!this.inflight.has(id)) { ids.push(id); updates.push(update) }
    }
    if (!ids.length) return
    const update = updates.length === 1 ? updates[0] : Y.mergeUpdates(updates)
    const encoder = encoding.createEncoder()
    encoding.writeVarUint(encoder, MESSAGE_SYNC)
    syncProtocol.writeUpdate(encoder, update)
    this._send(ids, encoding.toUint8Array(encoder))
  }

  _send (ids, message) {
    ids.forEach((id) => this.inflight.add(id))
    const epoch = this._epoch
    this.socket.emit('doc:sync', this.room, message, (ack) => {
      if (ack && ack.ok) {
        ids.forEach((id) => { this.pending.delete(id); this.inflight.delete(id) })
        if (this.error && this.error.kind === 'send') this.error = null
      } else if (epoch === this._epoch) {
        ids.forEach((id) => this.inflight.delete(id))
        const code = ack && ack.error
        if (code === 'rate-limited' || code === 'server-error') {
          setTimeout(() => this.flush(), code === 'rate-limited' ? 500 : 3000) // nothing was stored: send again
        } else if (code === 'out-of-sync') {
          // The server has sent its step 1; our answer to it carries these changes and what they need.
        } else {
          this.error = { kind: 'send', code, message: (ack && ack.message) || 'The server refused a change.' }
        }
      }
      this._status()
    })
    this._status()
  }

  _receiveSync (message) {
    let subtype, payload
    try {
      const decoder = decoding.createDecoder(new Uint8Array(message))
      if (decoding.readVarUint(decoder) !== MESSAGE_SYNC) return
      subtype = decoding.readVarUint(decoder)
      payload = decoding.readVarUint8Array(decoder)
      if (subtype === syncProtocol.messageYjsSyncStep1) {
        // The server sends its step 1 before it acknowledges the join: answer once we know our access.
        if (this.joined) this._answerStep1(payload)
        else this._serverStateVector = payload
      } else {
        Y.applyUpdate(this.doc, payload, this) // origin: this provider, so it is never sent back
        if (subtype === syncProtocol.messageYjsSyncStep2) this.synced = true
      }
    } catch (err) {
      console.error('collab: could not apply a message from the server', err)
    }
    this._status()
  }

  /** Send what the server lacks (edits made offline, perhaps before a reload). Its ack clears every
   * update pending now, since all of them are inside it. */
  _answerStep1 (stateVector) {
    this._serverStateVector = null
    if (this.access !== 'edit') return
    const update = Y.encodeStateAsUpdate(this.doc, stateVector)
    const ids = Array.from(this.pending.keys())
    if (update.length <= EMPTY_UPDATE_BYTES && !ids.length) return
    const marker = this._nextId++
    this.pending.set(marker, update)
    const encoder = encoding.createEncoder()
    encoding.writeVarUint(encoder, MESSAGE_SYNC)
    encoding.writeVarUint(encoder, syncProtocol.messageYjsSyncStep2)
    encoding.writeVarUint8Array(encoder, update)
    this._send(ids.concat([marker]), encoding.toUint8Array(encoder))
  }

  _sendAwareness (clients) {
    if (!this.connected) return
    const encoder = encoding.createEncoder()
    encoding.writeVarUint(encoder, MESSAGE_AWARENESS)
    encoding.writeVarUint8Array(encoder, awarenessProtocol.encodeAwarenessUpdate(this.awareness, clients))
    this.socket.emit('doc:awareness', this.room, encoding.toUint8Array(encoder), () => {})
  }

  _receiveAwareness (message) {
    const decoder = decoding.createDecoder(new Uint8Array(message))
    if (decoding.readVarUint(decoder) !== MESSAGE_AWARENESS) return
    const before = new Set(this.awareness.getStates().keys())
    try {
      awarenessProtocol.applyAwarenessUpdate(this.awareness, decoding.readVarUint8Array(decoder), 'remote')
    } catch (err) {
      console.error('collab: bad awareness message', err)
      return
    }
    // Someone new arrived: tell them who we are now, not at our next 15-second renewal.
    const arrived = Array.from(this.awareness.getStates().keys()).some((c) => !before.has(c))
    if (arrived) this._sendAwareness([this.doc.clientID])
  }

  _serverError (info) {
    if (!info || (info.room && info.room !== this.room)) return
    console.warn('collab: server refused a message', info)
    if (info.error === 'read-only' || info.error === 'malformed' || info.error === 'too-large') {
      this.error = { kind: 'server', code: info.error, message: info.message }
      this._status()
    }
  }

  destroy () {
    this._onUnload()
    this.doc.off('update', this._onDocUpdate)
    this.awareness.off('update', this._onAwarenessUpdate)
    window.removeEventListener('pagehide', this._onUnload)
    this._stopFollowingNetwork()
    this.socket.disconnect()
  }
}
