// The discussion's outbox: posts and agreed actions not yet acknowledged by the server, in the order they
// were written. Kept in localStorage (per session) so posts typed offline survive a reload or a sleeping
// tablet; sent one at a time, oldest first, so the thread keeps the order they were written in.
// Each item carries its client id: resending after a dropped connection never makes a duplicate.

export function newClientId () {
  if (window.crypto && typeof window.crypto.randomUUID === 'function') return window.crypto.randomUUID()
  const bytes = new Uint8Array(16)
  window.crypto.getRandomValues(bytes)
  bytes[6] = (bytes[6] & 0x0f) | 0x40
  bytes[8] = (bytes[8] & 0x3f) | 0x80
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}

export class Outbox {
  constructor (sessionId) {
    this.key = `collab:discussion:${sessionId}:outbox`
    this.items = this._load()
  }

  _load () {
    try {
      const items = JSON.parse(window.localStorage.getItem(this.key) || '[]')
      return Array.isArray(items) ? items : []
    } catch {
      return []
    }
  }

  _save () {
    try {
      if (this.items.length) window.localStorage.setItem(this.key, JSON.stringify(this.items))
      else window.localStorage.removeItem(this.key)
    } catch (err) {
      console.warn('collab: could not keep unsent posts on this device', err) // private mode, quota
    }
  }

  /** @param {{type: 'post'|'action', payload: object}} item */
  add (item) { this.items.push(item); this._save() }

  first () { return this.items[0] || null }

  remove (clientId) {
    this.items = this.items.filter((item) => item.payload.client_id !== clientId)
    this._save()
  }

  get size () { return this.items.length }
}
