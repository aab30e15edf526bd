// Suggesting Work Group members while "@name" is typed (static/src/_mention-match.js).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { insertMention, matchPeople, mentionAt } from '../src/_mention-match.js'

const people = [{ id: 1, name: 'Alex Advocate' }, { id: 2, name: 'Chris Colleague' }, { id: 3, name: 'Lee Alston' }, { id: 4, name: 'Sam Lead' }]

test('an @ at the start or after a space starts a mention, up to the caret', () => {
  assert.deepEqual(mentionAt('@Al', 3), { start: 0, query: 'Al' })
  assert.deepEqual(mentionAt('Thanks @Alex Ad', 15), { start: 7, query: 'Alex Ad' })
  assert.deepEqual(mentionAt('Thanks @', 8), { start: 7, query: '' })
})

test('an email address, a new line or a space after the @ is not a mention', () => {
  assert.equal(mentionAt('write to a@b', 12), null)
  assert.equal(mentionAt('@Al\nsome', 8), null)
  assert.equal(mentionAt('@ Al', 4), null)
  assert.equal(mentionAt('no at sign', 5), null)
})

test('the text after the caret does not count', () => {
  assert.deepEqual(mentionAt('@Al and more', 3), { start: 0, query: 'Al' })
})

test('names starting with the query come before names with a later word starting with it', () => {
  assert.deepEqual(matchPeople(people, 'Al').map((p) => p.name), ['Alex Advocate', 'Lee Alston'])
  assert.deepEqual(matchPeople(people, 'al').map((p) => p.id), [1, 3])
})

test('an empty query lists everyone by name, up to the limit', () => {
  assert.deepEqual(matchPeople(people, '', 3).map((p) => p.name), ['Alex Advocate', 'Chris Colleague', 'Lee Alston'])
})

test('a query matching nobody suggests nobody', () => {
  assert.deepEqual(matchPeople(people, 'Zed'), [])
  assert.deepEqual(matchPeople(people, 'Alex said hello'), [])
})

test('picking a name replaces the typed part with @Full Name and a space, caret after it', () => {
  assert.deepEqual(insertMention('Ask @Al', 4, 7, 'Alex Advocate'), { text: 'Ask @Alex Advocate ', caret: 19 })
  assert.deepEqual(insertMention('Ask @Al about it', 4, 7, 'Alex Advocate'), { text: 'Ask @Alex Advocate about it', caret: 19 })
})
