// The representation drawing (static/src/_repr-draw.js): text alternatives, safe SVG, and the checks the panel
// makes before writing a value (the server's, collab/maths/representations.py, are the same).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { KINDS, problem, svg, textAlternative } from '../src/_repr-draw.js'

const withDefaults = (kind, changes = {}) => ({ kind, ...KINDS[kind], ...changes })

test('a bar model says what it shows', () => {
  assert.equal(textAlternative(withDefaults('bar-part-whole', { values: '["?","",""]' })),
    'Bar model: whole 24 split into 3 equal parts, one part unknown')
  assert.equal(textAlternative(withDefaults('bar-part-whole', { values: '["8","8","?"]', whole: '?' })),
    'Bar model: whole unknown split into 3 equal parts, one part unknown; parts: 8, 8, ?')
})

test('a double number line pairs its values', () => {
  assert.equal(textAlternative(withDefaults('double-number-line', { top: '["3","12"]', bottom: '["1.20","?"]' })),
    'Double number line, Pencils and Cost (£): 3 with 1.20; 12 with ?')
})

test('a number line labels its ticks with their values unless given', () => {
  assert.equal(textAlternative(withDefaults('number-line', { labels: '["","?"]' })),
    'Number line from 0 to 1 in 4 equal intervals, marked 0, ?, 0.5, 0.75, 1')
})

test('every kind draws an SVG with its text alternative as its title and label', () => {
  for (const kind of Object.keys(KINDS)) {
    const markup = svg(withDefaults(kind))
    const alt = textAlternative(withDefaults(kind)).replace(/&/g, '&amp;').replace(/'/g, '&#39;')
    assert.ok(markup.startsWith('<svg xmlns="http://www.w3.org/2000/svg"'), kind)
    assert.ok(markup.includes(`<title>${alt}</title>`), kind)
    assert.ok(markup.includes('role="img"'), kind)
  }
})

test('text in the drawing is escaped', () => {
  const markup = svg(withDefaults('ratio-table', { topLabel: '<script>alert(1)</script>', top: '["\\"><a href=x>"]' }))
  assert.ok(!markup.includes('<script'))
  assert.ok(!markup.includes('<a '))
  assert.ok(markup.includes('&lt;script&gt;'))
})

test('unknown values are shown in bold, on a highlighted cell', () => {
  const markup = svg(withDefaults('ratio-table'))
  assert.ok(markup.includes('font-weight="bold">?</text>'))
  assert.ok(markup.includes('fill="#fef3c7"'))
})

test('parameters that do not fit are drawn anyway, never thrown on', () => {
  for (const kind of Object.keys(KINDS)) {
    for (const junk of ['', '[', '{"a":1}', '[1,null,{}]', '99999', '-1', '?']) {
      const attrs = { kind }
      for (const key of Object.keys(KINDS[kind])) attrs[key] = junk
      assert.ok(svg(attrs).endsWith('</svg>'), `${kind} ${junk}`)
      assert.ok(textAlternative(attrs).length > 0)
    }
  }
})

test('the panel refuses what the server would refuse', () => {
  assert.equal(problem('parts', '4'), '')
  assert.match(problem('parts', '21'), /1 to 20/)
  assert.match(problem('whole', 'x'.repeat(25)), /24 characters/)
  assert.match(problem('top', JSON.stringify(Array(21).fill('1'))), /at most 20/)
  assert.match(problem('onclick', 'x'), /no field/)
  assert.equal(problem('start', '-2.5'), '')
  assert.match(problem('start', '1e3'), /number/)
})
