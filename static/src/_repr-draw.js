// A representation (bar model, double number line, ratio table...) drawn from its parameters: SVG markup and a
// text alternative. No DOM: the node view, the panel and the unit tests (static/test/repr-draw.test.mjs) use it.
// The twin of collab/maths/representations.py and drawing.py, shape for shape and number for number: the exports
// draw the same picture (tests/maths/test_drawing.py compares the two). Change both together.
//
// Every parameter is its own node attribute, a string; a list is a JSON array of strings in one string.

export const MAX_ITEMS = 20
export const MAX_LABEL_CHARS = 24
export const MAX_CAPTION_CHARS = 200
const MAX_NUMBER = 1e9
const UNKNOWN = '?'
// Control characters and lone surrogates (the u flag keeps a valid pair, an emoji say, whole).
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\ufeff\ufffe\uffff]|[\ud800-\udfff]/gu // eslint-disable-line no-control-regex
const NUMBER = /^-?[0-9]{1,10}(\.[0-9]{1,6})?$/

export const KIND_NAMES = {
  'bar-part-whole': 'Bar model (part–whole)',
  'bar-comparison': 'Bar model (comparison)',
  'double-number-line': 'Double number line',
  'ratio-table': 'Ratio table',
  'number-line': 'Number line',
  'place-value': 'Place-value chart',
  array: 'Array',
  'area-model': 'Area model',
  'fraction-wall': 'Fraction wall'
}

const label = (name) => ({ kind: 'label', label: name })
const labels = (name, items = MAX_ITEMS) => ({ kind: 'labels', label: name, items })
const count = (name, low, high) => ({ kind: 'count', label: name, low, high })
const counts = (name, low, high, items = MAX_ITEMS) => ({ kind: 'counts', label: name, low, high, items })
const YES_NO = ['yes', 'no']

// Every attribute any kind may have (collab/maths/representations.py FIELDS: the server checks the same).
export const FIELDS = {
  kind: { kind: 'choice', label: 'Kind', options: Object.keys(KIND_NAMES) },
  caption: { kind: 'text', label: 'Caption' },
  whole: label('Whole'),
  parts: count('Number of parts', 1, MAX_ITEMS),
  equal: { kind: 'choice', label: 'Equal parts', options: YES_NO },
  values: labels('Values'),
  labels: labels('Labels', MAX_ITEMS + 1),
  units: counts('Units in each bar', 1, MAX_ITEMS, 10),
  difference: label('Difference'),
  topLabel: label('Top label'),
  top: labels('Top values'),
  bottomLabel: label('Bottom label'),
  bottom: labels('Bottom values'),
  start: { kind: 'number', label: 'Start' },
  end: { kind: 'number', label: 'End' },
  intervals: count('Number of intervals', 1, MAX_ITEMS),
  headings: labels('Column headings', 12),
  counters: { kind: 'choice', label: 'Show counters', options: YES_NO },
  rows: count('Rows', 1, MAX_ITEMS),
  columns: count('Columns', 1, MAX_ITEMS),
  rowParts: labels('Row parts', 6),
  columnParts: labels('Column parts', 6),
  cells: labels('Cells', 36),
  denominators: counts('Rows split into', 1, MAX_ITEMS, 12),
  shaded: counts('Parts shaded in each row', 0, MAX_ITEMS, 12),
  fractionLabels: { kind: 'choice', label: 'Label the parts', options: YES_NO }
}

// Which fields each kind has, in the panel's order, and what a new one starts with.
export const KINDS = {
  'bar-part-whole': { whole: '24', parts: '3', equal: 'yes', values: '["?","",""]' },
  'bar-comparison': { labels: '["A","B"]', units: '["3","1"]', values: '["?","12"]', difference: '' },
  'double-number-line': { topLabel: 'Pencils', top: '["0","3","6","12"]', bottomLabel: 'Cost (£)', bottom: '["0","1.20","2.40","?"]' },
  'ratio-table': { topLabel: 'Flour (g)', top: '["200","100","300"]', bottomLabel: 'Sugar (g)', bottom: '["150","75","?"]' },
  'number-line': { start: '0', end: '1', intervals: '4', labels: '["","?","","",""]' },
  'place-value': { headings: '["Th","H","T","O"]', values: '["3","0","?","5"]', counters: 'no' },
  array: { rows: '3', columns: '4' },
  'area-model': { rowParts: '["20","3"]', columnParts: '["10","4"]', cells: '["200","80","30","?"]' },
  'fraction-wall': { denominators: '["1","2","3","4"]', shaded: '["0","1","0","2"]', fractionLabels: 'yes' }
}

// --- reading parameters, leniently: whatever merged, the drawing draws ----------------------------------------

const chars = (text) => Array.from(text)
const clean = (text, limit) => chars(text.replace(CONTROL, '')).slice(0, limit).join('')

export function number (text) {
  if (typeof text !== 'string' || !NUMBER.test(text)) return null
  const value = Number(text)
  return Math.abs(value) <= MAX_NUMBER ? value : null
}

export function textOf (attrs, key, limit = MAX_LABEL_CHARS) {
  const value = attrs[key]
  return typeof value === 'string' ? clean(value, limit) : ''
}

export function listOf (attrs, key, limit = 36) {
  const value = attrs[key]
  if (typeof value !== 'string' || value.length > 4096) return []
  let items
  try { items = JSON.parse(value) } catch { return [] }
  if (!Array.isArray(items)) return []
  return items.slice(0, limit).map((i) => (typeof i === 'string' ? clean(i, MAX_LABEL_CHARS) : ''))
}

export function clampCount (value, low, high, fallback) {
  if (typeof value === 'string' && /^[0-9]{1,3}$/.test(value)) return Math.min(Math.max(Number(value), low), high)
  return fallback
}

const countOf = (attrs, key, low, high, fallback) => clampCount(attrs[key], low, high, fallback)

export function formatValue (value) {
  let text = value.toFixed(4).replace(/0+$/, '').replace(/\.$/, '')
  if (text === '-0' || text === '') text = '0'
  return text
}

const KIND_LIST = Object.keys(KINDS)
export const kindOf = (attrs) => (KIND_LIST.includes(attrs.kind) ? attrs.kind : 'bar-part-whole')
const padded = (list, n) => list.concat(Array(n).fill('')).slice(0, n)
const s = (n) => (n === 1 ? '' : 's')

// --- text alternative ------------------------------------------------------------------------------------------

const NUMBER_WORDS = ['no', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten']
const countWords = (n, thing) => `${n < NUMBER_WORDS.length ? NUMBER_WORDS[n] : String(n)} ${thing}${s(n)}`
const shown = (text) => text || 'blank'
const joined = (list) => list.map(shown).join(', ')

export function numberLineTicks (attrs) {
  let start = number(textOf(attrs, 'start'))
  let end = number(textOf(attrs, 'end'))
  start = start === null ? 0 : start
  end = end === null ? start + 1 : end
  const intervals = countOf(attrs, 'intervals', 1, MAX_ITEMS, 1)
  const given = listOf(attrs, 'labels', MAX_ITEMS + 1)
  const ticks = []
  for (let i = 0; i <= intervals; i++) {
    ticks.push((i < given.length ? given[i] : '') || formatValue(start + (end - start) * i / intervals))
  }
  return ticks
}

export function textAlternative (attrs) {
  const kind = kindOf(attrs)
  if (kind === 'bar-part-whole') {
    const parts = countOf(attrs, 'parts', 1, MAX_ITEMS, 1)
    const values = padded(listOf(attrs, 'values'), parts)
    const whole = textOf(attrs, 'whole')
    const equal = textOf(attrs, 'equal') !== 'no' ? 'equal ' : ''
    const head = whole && whole !== UNKNOWN ? `whole ${whole}` : (whole ? 'whole unknown' : 'whole')
    let text = `Bar model: ${head} split into ${parts} ${equal}part${s(parts)}`
    const unknown = values.filter((v) => v === UNKNOWN).length
    if (unknown) text += `, ${unknown === parts && parts > 1 ? 'all parts' : countWords(unknown, 'part')} unknown`
    if (values.some((v) => v && v !== UNKNOWN)) text += `; parts: ${joined(values)}`
    return text
  }
  if (kind === 'bar-comparison') {
    const names = listOf(attrs, 'labels', 10)
    const units = listOf(attrs, 'units', 10)
    const values = listOf(attrs, 'values', 10)
    const bars = names.map((name, i) => {
      const n = clampCount(i < units.length ? units[i] : '', 1, MAX_ITEMS, 1)
      const value = i < values.length ? values[i] : ''
      return `${name || `bar ${i + 1}`} ${n} unit${s(n)}` + (value ? `, total ${value}` : '')
    })
    const text = 'Comparison bar model: ' + (bars.length ? bars.join('; ') : 'no bars')
    const difference = textOf(attrs, 'difference')
    return text + (difference && names.length > 1 ? `; difference ${difference}` : '')
  }
  if (kind === 'double-number-line' || kind === 'ratio-table') {
    const [top, bottom, n] = twoRows(attrs)
    const pairs = []
    for (let i = 0; i < n; i++) pairs.push(`${shown(top[i])} with ${shown(bottom[i])}`)
    const name = kind === 'double-number-line' ? 'Double number line' : 'Ratio table'
    const topLabel = textOf(attrs, 'topLabel') || 'top'
    const bottomLabel = textOf(attrs, 'bottomLabel') || 'bottom'
    return `${name}, ${topLabel} and ${bottomLabel}: ` + (pairs.length ? pairs.join('; ') : 'no values')
  }
  if (kind === 'number-line') {
    const ticks = numberLineTicks(attrs)
    const intervals = ticks.length - 1
    return `Number line from ${ticks[0]} to ${ticks[intervals]} in ${intervals} equal interval${s(intervals)}, ` +
      `marked ${joined(ticks)}`
  }
  if (kind === 'place-value') {
    const headings = listOf(attrs, 'headings', 12)
    const values = padded(listOf(attrs, 'values', 12), headings.length)
    const cells = headings.map((h, i) => `${h || 'column'} ${shown(values[i])}`)
    const counters = textOf(attrs, 'counters') === 'yes' ? ' with counters' : ''
    return `Place-value chart${counters}: ` + (cells.length ? cells.join(', ') : 'no columns')
  }
  if (kind === 'array') {
    const rows = countOf(attrs, 'rows', 1, MAX_ITEMS, 1)
    const columns = countOf(attrs, 'columns', 1, MAX_ITEMS, 1)
    return `Array of ${rows} row${s(rows)} and ${columns} column${s(columns)} (${rows * columns} dots)`
  }
  if (kind === 'area-model') {
    const rowParts = listOf(attrs, 'rowParts', 6)
    const columnParts = listOf(attrs, 'columnParts', 6)
    const cells = listOf(attrs, 'cells', 36)
    const rows = Math.max(rowParts.length, 1)
    const columns = Math.max(columnParts.length, 1)
    return `Area model: rows split ${joined(rowParts) || 'not at all'}, columns split ` +
      `${joined(columnParts) || 'not at all'}; cells ${joined(padded(cells, rows * columns))}`
  }
  const denominators = listOf(attrs, 'denominators', 12).map((d) => clampCount(d, 1, MAX_ITEMS, 1))
  const shaded = listOf(attrs, 'shaded', 12)
  const parts = denominators.map((d, i) => {
    const k = Math.min(clampCount(i < shaded.length ? shaded[i] : '', 0, MAX_ITEMS, 0), d)
    return `${d} part${s(d)}` + (k ? ` (${k} shaded)` : '')
  })
  return 'Fraction wall: rows of ' + (parts.length ? parts.join(', ') : 'nothing')
}

// --- shapes ----------------------------------------------------------------------------------------------------

export const WIDTH = 480
const INK = '#1f2937'
const BLUE = '#dbeafe'
const YELLOW = '#fef3c7'
const GREY = '#f3f4f6'
const WHITE = '#ffffff'
const SHADE = '#93c5fd'
const DOT = '#2563eb'

const fill = (text, usual) => (text === UNKNOWN ? YELLOW : usual)
const txt = (x, y, text, anchor = 'middle') => ['text', x, y, text, anchor, text === UNKNOWN]
const sum = (values) => values.reduce((a, b) => a + b, 0)

// Shares of a length: in proportion to the labels when every one is a positive number, else equal; none thinner
// than a twentieth, so every part stays visible.
export function weights (list, n) {
  const values = []
  for (let i = 0; i < n; i++) values.push(i < list.length ? number(list[i]) : null)
  let raw = Array(n).fill(1)
  if (values.every((v) => v !== null && v > 0)) raw = values
  const total = sum(raw)
  const shares = raw.map((r) => Math.max(r / total, 0.05))
  const spread = sum(shares)
  return shares.map((share) => share / spread)
}

function barPartWhole (attrs) {
  const parts = countOf(attrs, 'parts', 1, MAX_ITEMS, 1)
  const values = padded(listOf(attrs, 'values'), parts)
  const widths = textOf(attrs, 'equal') === 'no' ? weights(values, parts) : Array(parts).fill(1 / parts)
  const whole = textOf(attrs, 'whole')
  const out = [['line', 20, 30, 460, 30], ['line', 20, 24, 20, 36], ['line', 460, 24, 460, 36]]
  if (whole) out.push(txt(240, 18, whole))
  let x = 20
  values.forEach((value, i) => {
    const w = 440 * widths[i]
    out.push(['rect', x, 44, w, 44, fill(value, BLUE), false], txt(x + w / 2, 71, value))
    x += w
  })
  return [100, out]
}

function barComparison (attrs) {
  const names = listOf(attrs, 'labels', 10)
  const n = names.length
  const given = listOf(attrs, 'units', 10)
  const units = names.map((_, i) => clampCount(i < given.length ? given[i] : '', 1, MAX_ITEMS, 1))
  const values = padded(listOf(attrs, 'values', 10), n)
  const unit = 280 / Math.max(...units, 1)
  const out = []
  for (let i = 0; i < n; i++) {
    const y = 12 + i * 52
    out.push(txt(110, y + 23, names[i], 'end'))
    for (let u = 0; u < units[i]; u++) out.push(['rect', 120 + u * unit, y, unit, 36, BLUE, false])
    if (values[i]) out.push(txt(408, y + 23, values[i], 'start'))
  }
  const difference = textOf(attrs, 'difference')
  if (difference && n >= 2 && units[0] !== units[1]) {
    const shorter = units[0] < units[1] ? 0 : 1
    const y = 12 + shorter * 52
    const x = 120 + Math.min(units[0], units[1]) * unit
    const w = Math.abs(units[0] - units[1]) * unit
    out.push(['rect', x, y, w, 36, fill(difference, 'none'), true], txt(x + w / 2, y + 23, difference))
  }
  return [n ? 16 + n * 52 : 40, out]
}

// Where each column of a double number line sits: to scale by whichever line is all numbers, else evenly.
function positions (top, bottom, n) {
  if (n === 1) return [295]
  for (const line of [top, bottom]) {
    const values = line.map(number)
    if (n && values.every((v) => v !== null)) {
      const low = Math.min(0, ...values)
      const high = Math.max(...values)
      if (high > low) return values.map((v) => 140 + (v - low) / (high - low) * 310)
    }
  }
  const out = []
  for (let i = 0; i < n; i++) out.push(140 + i * 310 / (n - 1))
  return out
}

function twoRows (attrs) {
  const top = listOf(attrs, 'top', MAX_ITEMS)
  const bottom = listOf(attrs, 'bottom', MAX_ITEMS)
  const n = Math.max(top.length, bottom.length)
  return [padded(top, n), padded(bottom, n), n]
}

function doubleNumberLine (attrs) {
  const [top, bottom, n] = twoRows(attrs)
  const out = [['line', 130, 50, 460, 50], ['line', 130, 110, 460, 110],
    txt(120, 54, textOf(attrs, 'topLabel'), 'end'), txt(120, 114, textOf(attrs, 'bottomLabel'), 'end')]
  positions(top, bottom, n).forEach((x, i) => {
    out.push(['line', x, 43, x, 57], ['line', x, 103, x, 117], txt(x, 36, top[i]), txt(x, 134, bottom[i]))
  })
  return [146, out]
}

function ratioTable (attrs) {
  const [top, bottom, n] = twoRows(attrs)
  const cw = Math.min(64, 320 / Math.max(n, 1))
  const out = []
  const rows = [[textOf(attrs, 'topLabel'), top], [textOf(attrs, 'bottomLabel'), bottom]]
  rows.forEach(([name, line], row) => {
    const y = 10 + row * 36
    out.push(['rect', 20, y, 120, 36, GREY, false], txt(28, y + 23, name, 'start'))
    line.forEach((value, i) => {
      const x = 140 + i * cw
      out.push(['rect', x, y, cw, 36, fill(value, WHITE), false], txt(x + cw / 2, y + 23, value))
    })
  })
  return [92, out]
}

function numberLine (attrs) {
  const ticks = numberLineTicks(attrs)
  const intervals = ticks.length - 1
  const out = [['line', 30, 50, 450, 50]]
  ticks.forEach((tick, i) => {
    const x = 30 + i * 420 / intervals
    out.push(['line', x, 42, x, 58], txt(x, 78, tick))
  })
  return [92, out]
}

function placeValue (attrs) {
  const headings = listOf(attrs, 'headings', 12)
  const n = headings.length
  const values = padded(listOf(attrs, 'values', 12), n)
  const cw = Math.min(80, 440 / Math.max(n, 1))
  const counters = textOf(attrs, 'counters') === 'yes'
  const dx = Math.min(16, cw / 3)
  const out = []
  for (let i = 0; i < n; i++) {
    const x = 20 + i * cw
    const value = values[i]
    out.push(['rect', x, 10, cw, 30, GREY, false], txt(x + cw / 2, 30, headings[i]),
      ['rect', x, 40, cw, 60, fill(value, WHITE), false])
    if (counters && /^[0-9]$/.test(value)) {
      for (let j = 0; j < Number(value); j++) {
        out.push(['circle', x + cw / 2 + (j % 3 - 1) * dx, 54 + Math.floor(j / 3) * 16, dx * 0.4, DOT])
      }
    } else {
      out.push(txt(x + cw / 2, 76, value))
    }
  }
  return [110, out]
}

function array (attrs) {
  const rows = countOf(attrs, 'rows', 1, MAX_ITEMS, 1)
  const columns = countOf(attrs, 'columns', 1, MAX_ITEMS, 1)
  const size = Math.min(22, 440 / columns, 300 / rows)
  const out = []
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < columns; j++) out.push(['circle', 20 + size * j + size / 2, 10 + size * i + size / 2, size * 0.3, DOT])
  }
  return [20 + size * rows, out]
}

function areaModel (attrs) {
  let rowParts = listOf(attrs, 'rowParts', 6)
  let columnParts = listOf(attrs, 'columnParts', 6)
  const rows = Math.max(rowParts.length, 1)
  const columns = Math.max(columnParts.length, 1)
  rowParts = padded(rowParts, rows)
  columnParts = padded(columnParts, columns)
  const cells = padded(listOf(attrs, 'cells', 36), rows * columns)
  const heights = weights(rowParts, rows)
  const widths = weights(columnParts, columns)
  const out = []
  let y = 30
  for (let i = 0; i < rows; i++) {
    const h = 160 * heights[i]
    let x = 80
    for (let j = 0; j < columns; j++) {
      const w = 380 * widths[j]
      const cell = cells[i * columns + j]
      out.push(['rect', x, y, w, h, fill(cell, WHITE), false], txt(x + w / 2, y + h / 2 + 5, cell))
      x += w
    }
    out.push(txt(70, y + h / 2 + 5, rowParts[i], 'end'))
    y += h
  }
  let x = 80
  for (let j = 0; j < columns; j++) {
    const w = 380 * widths[j]
    out.push(txt(x + w / 2, 22, columnParts[j]))
    x += w
  }
  return [200, out]
}

function fractionWall (attrs) {
  const denominators = listOf(attrs, 'denominators', 12).map((d) => clampCount(d, 1, MAX_ITEMS, 1))
  const shaded = listOf(attrs, 'shaded', 12)
  const labelled = textOf(attrs, 'fractionLabels') !== 'no'
  const out = []
  denominators.forEach((d, i) => {
    const y = 10 + i * 32
    const w = 440 / d
    const k = Math.min(clampCount(i < shaded.length ? shaded[i] : '', 0, MAX_ITEMS, 0), d)
    for (let j = 0; j < d; j++) {
      out.push(['rect', 20 + j * w, y, w, 28, j < k ? SHADE : WHITE, false])
      if (labelled && w >= 20) out.push(txt(20 + j * w + w / 2, y + 19, d === 1 ? '1' : `1/${d}`))
    }
  })
  return [Math.max(20 + denominators.length * 32, 40), out]
}

const DRAW = {
  'bar-part-whole': barPartWhole,
  'bar-comparison': barComparison,
  'double-number-line': doubleNumberLine,
  'ratio-table': ratioTable,
  'number-line': numberLine,
  'place-value': placeValue,
  array,
  'area-model': areaModel,
  'fraction-wall': fractionWall
}

export const shapes = (attrs) => DRAW[kindOf(attrs)](attrs)

// --- SVG -------------------------------------------------------------------------------------------------------

export const num = (value) => String(Math.round(value * 100) / 100)

export const escape = (text) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
  .replace(/"/g, '&quot;').replace(/'/g, '&#39;')

function svgShape (shape) {
  const [kind] = shape
  if (kind === 'rect') {
    const [, x, y, w, h, colour, dashed] = shape
    const dash = dashed ? ' stroke-dasharray="4 3"' : ''
    return `<rect x="${num(x)}" y="${num(y)}" width="${num(w)}" height="${num(h)}" fill="${colour}" stroke="${INK}"${dash}/>`
  }
  if (kind === 'line') {
    const [, x1, y1, x2, y2] = shape
    return `<line x1="${num(x1)}" y1="${num(y1)}" x2="${num(x2)}" y2="${num(y2)}" stroke="${INK}"/>`
  }
  if (kind === 'circle') {
    const [, cx, cy, r, colour] = shape
    return `<circle cx="${num(cx)}" cy="${num(cy)}" r="${num(r)}" fill="${colour}"/>`
  }
  const [, x, y, text, anchor, strong] = shape
  if (!text) return ''
  const bold = strong ? ' font-weight="bold"' : ''
  return `<text x="${num(x)}" y="${num(y)}" text-anchor="${anchor}"${bold}>${escape(text)}</text>`
}

// The drawing as an SVG element, with its text alternative as aria-label and <title>.
export function svg (attrs) {
  const [height, drawn] = shapes(attrs)
  const alt = escape(textAlternative(attrs))
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${num(height)}" width="${WIDTH}" ` +
    `height="${num(height)}" role="img" aria-label="${alt}" font-family="sans-serif" font-size="13" ` +
    `fill="${INK}"><title>${alt}</title>${drawn.map(svgShape).join('')}</svg>`
}

// Why a value cannot go into `key` (the server refuses the same: collab/maths/representations.py), or ''.
export function problem (key, value) {
  const spec = FIELDS[key]
  if (!spec) return `A representation has no field ${key}.`
  if (typeof value !== 'string') return `${spec.label} must be text.`
  const tooLong = (text, limit) => chars(text).length > limit
  if (spec.kind === 'choice') return spec.options.includes(value) ? '' : `${spec.label}: choose ${spec.options.join(' or ')}.`
  if (spec.kind === 'label' || spec.kind === 'text') {
    const limit = spec.kind === 'label' ? MAX_LABEL_CHARS : MAX_CAPTION_CHARS
    return tooLong(value, limit) ? `${spec.label}: at most ${limit} characters.` : ''
  }
  if (spec.kind === 'number') return value && number(value) === null ? `${spec.label} must be a number.` : ''
  const countProblem = (text) => (/^[0-9]{1,3}$/.test(text) && Number(text) >= spec.low && Number(text) <= spec.high
    ? '' : `${spec.label}: whole numbers from ${spec.low} to ${spec.high}.`)
  if (spec.kind === 'count') return countProblem(value)
  let items
  try { items = JSON.parse(value) } catch { return `${spec.label} must be a list.` }
  if (!Array.isArray(items)) return `${spec.label} must be a list.`
  if (items.length > spec.items) return `${spec.label}: at most ${spec.items}.`
  for (const item of items) {
    if (typeof item !== 'string') return `${spec.label} must be text.`
    const found = spec.kind === 'labels'
      ? (tooLong(item, MAX_LABEL_CHARS) ? `${spec.label}: at most ${MAX_LABEL_CHARS} characters each.` : '')
      : countProblem(item)
    if (found) return found
  }
  return ''
}
