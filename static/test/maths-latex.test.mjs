// The maths input's pure helpers: templates from the palette, the check the server also makes, $...$ in text.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { PALETTE, applyTemplate, latexProblem, nextBox, previousBox, splitMathsText, KATEX_OPTIONS } from '../src/_maths-latex.js'

const entry = (id) => PALETTE.find((p) => p.id === id)

test('a fraction goes in with the caret in its numerator', () => {
  assert.deepEqual(applyTemplate('', 0, 0, entry('fraction')), { value: '\\frac{}{}', start: 6, end: 6 })
})

test('Tab then finds the denominator, and Shift+Tab the numerator again', () => {
  const value = '\\frac{3}{}'
  assert.equal(nextBox(value, 7), 9)
  assert.equal(nextBox('\\frac{3}{4}', 7), -1)
  assert.equal(previousBox('\\frac{}{4}', 9), 6)
})

test('a selection goes into the first box of a template that wraps, and the caret to the next box', () => {
  const out = applyTemplate('x + 3', 4, 5, entry('fraction'))
  assert.equal(out.value, 'x + \\frac{3}{}')
  assert.equal(out.start, 13)
})

test('a ratio and a mixed number are templates with two and three boxes', () => {
  assert.equal(applyTemplate('', 0, 0, entry('ratio')).value, '{}:{}')
  assert.equal(applyTemplate('', 0, 0, entry('mixed')).value, '{}\\frac{}{}')
})

test('symbols go in where the caret is', () => {
  assert.deepEqual(applyTemplate('3', 1, 1, entry('times')), { value: '3 \\times ', start: 9, end: 9 })
  assert.equal(applyTemplate('a', 1, 1, entry('le')).value, 'a \\le ')
  assert.equal(applyTemplate('', 0, 0, entry('pi')).value, '\\pi ')
})

test('every palette entry has a label for screen readers and a template', () => {
  for (const p of PALETTE) assert.ok(p.label && p.text && p.template.includes('|'), p.id)
  for (const id of ['fraction', 'mixed', 'ratio', 'power', 'root', 'times', 'divide', 'pi', 'le', 'ge', 'ne', 'brackets']) {
    assert.ok(entry(id), id)
  }
})

test('the check refuses what the server refuses', () => {
  assert.equal(latexProblem('\\frac{3}{4}'), '')
  for (const bad of ['\\href{javascript:x}{y}', '\\url{x}', '\\htmlClass{a}{b}', '\\includegraphics{x}',
    '<script>', '\\def\\a{b}', 'a\u0000', 'x'.repeat(1001), '']) {
    assert.notEqual(latexProblem(bad), '', bad)
  }
})

test('KaTeX runs without trust and with MathML', () => {
  assert.equal(KATEX_OPTIONS.trust, false)
  assert.equal(KATEX_OPTIONS.output, 'htmlAndMathml')
})

test('$...$ in text is maths, money is not', () => {
  assert.deepEqual(splitMathsText('Share in $2:3$ now'), [{ text: 'Share in ' }, { latex: '2:3' }, { text: ' now' }])
  assert.deepEqual(splitMathsText('costs $5 and $10'), [{ text: 'costs $5 and $10' }])
  assert.deepEqual(splitMathsText('$\\href{x}{y}$'), [{ text: '$\\href{x}{y}$' }])
  assert.deepEqual(splitMathsText(''), [])
})
