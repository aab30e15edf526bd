// A colour as the server takes it (collab/workspace/elements.py _COLOUR: "transparent", #rgb to #rrggbbaa, or a
// lower-case name). Excalidraw's colour box takes anything the browser reads as a colour ("Red", "rgb(1, 2, 3)",
// "hsl(120 50% 40%)"): the functions the server does not take are written as hex, so the edit is not refused.
const TAKEN = /^(transparent|#[0-9a-fA-F]{3,8}|[a-z]{3,20})$/
const FUNCTION = /^(rgba?|hsla?)\(\s*([^)]*)\)$/i

const hex = (value) => Math.round(Math.min(255, Math.max(0, value))).toString(16).padStart(2, '0')

/** A number or percentage of `whole` (an alpha of 0.5 or 50%). */
function amount (text, whole) {
  const number = parseFloat(text)
  if (!Number.isFinite(number)) return NaN
  return text.trim().endsWith('%') ? (number / 100) * whole : number
}

function hslToRgb (h, s, l) {
  const k = (n) => (n + h / 30) % 12
  const a = s * Math.min(l, 1 - l)
  return [0, 8, 4].map((n) => 255 * (l - a * Math.max(-1, Math.min(k(n) - 3, 9 - k(n), 1))))
}

/** The colour as the server takes it, or undefined when it cannot be (the element is then drawn in the default). */
export function takenColour (colour) {
  if (typeof colour !== 'string') return undefined
  if (TAKEN.test(colour)) return colour
  const trimmed = colour.trim()
  if (TAKEN.test(trimmed.toLowerCase())) return trimmed.toLowerCase()
  const found = FUNCTION.exec(trimmed)
  if (!found) return undefined
  const parts = found[2].split(/[\s,/]+/).filter(Boolean)
  if (parts.length < 3 || parts.length > 4) return undefined
  let rgb
  if (found[1].toLowerCase().startsWith('rgb')) {
    rgb = parts.slice(0, 3).map((p) => amount(p, 255))
  } else {
    const h = parseFloat(parts[0])
    rgb = hslToRgb(((h % 360) + 360) % 360, amount(parts[1], 1), amount(parts[2], 1))
  }
  const alpha = parts.length === 4 ? amount(parts[3], 1) : 1
  if (!rgb.every(Number.isFinite) || !Number.isFinite(alpha)) return undefined
  return '#' + rgb.map(hex).join('') + (alpha < 1 ? hex(alpha * 255) : '')
}
