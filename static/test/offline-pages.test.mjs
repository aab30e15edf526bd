// Which pages the service worker keeps, and when the offline page goes back to the address asked for
// (static/src/_offline-pages.js).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { isKeptPage, shouldReloadWhenOnline } from '../src/_offline-pages.js'

test('plans, records, discussions, development plans and the dashboard are kept; other pages are not', () => {
  for (const path of ['/', '/plans/3', '/records/12', '/sessions/4/discussion', '/devplans/2']) assert.ok(isKeptPage(path), path)
  for (const path of ['/groups/', '/login', '/plans/3/history', '/records/x', '/socket.io/']) assert.ok(!isKeptPage(path), path)
})

test('the offline page reloads when the browser is back online and the person is still on it', () => {
  assert.equal(shouldReloadWhenOnline({ leaving: false, onLine: true }), true)
})

test('a stray online event while the browser still says offline does not reload the offline page', () => {
  assert.equal(shouldReloadWhenOnline({ leaving: false, onLine: false }), false)
})

test('once a navigation away has started, the offline page does not reload over it', () => {
  assert.equal(shouldReloadWhenOnline({ leaving: true, onLine: true }), false)
})
