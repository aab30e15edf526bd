// A representation (bar model, double number line...) as Excalidraw elements: the same drawing model as the plans'
// SVG (static/src/_repr-draw.js shapes: rect, line, circle, text), as skeletons for Excalidraw's
// convertToExcalidrawElements, all in one group so that the drawing moves as one and each part stays editable.
// No DOM (static/test/board.test.mjs runs it under Node).
import { KIND_NAMES, kindOf, shapes, textAlternative } from './_repr-draw.js'

const INK = '#1f2937'
const FONT_SIZE = 16
const SCALE = 1.25 // the plans' drawings are 480 wide: a little larger on the board
export const HELVETICA = 2 // Excalidraw's FONT_FAMILY.Helvetica: plain figures, as in the plans

/** Skeletons for the representation `attrs` (its parameters, strings), its top left corner at (x, y). */
export function representationSkeletons (attrs, { x = 0, y = 0, groupId }) {
  const kind = kindOf(attrs)
  const [, drawn] = shapes(attrs)
  const common = { strokeColor: INK, roughness: 0, strokeWidth: 1, groupIds: [groupId], customData: { representation: kind } }
  const at = (v) => Math.round(v * SCALE * 100) / 100
  const out = []
  for (const shape of drawn) {
    const [type] = shape
    if (type === 'rect') {
      const [, sx, sy, w, h, colour, dashed] = shape
      out.push({ ...common, type: 'rectangle', x: x + at(sx), y: y + at(sy), width: at(w), height: at(h), backgroundColor: colour, fillStyle: 'solid', strokeStyle: dashed ? 'dashed' : 'solid' })
    } else if (type === 'line') {
      const [, x1, y1, x2, y2] = shape
      out.push({ ...common, type: 'line', x: x + at(x1), y: y + at(y1), points: [[0, 0], [at(x2 - x1), at(y2 - y1)]] })
    } else if (type === 'circle') {
      const [, cx, cy, r, colour] = shape
      out.push({ ...common, type: 'ellipse', x: x + at(cx - r), y: y + at(cy - r), width: at(2 * r), height: at(2 * r), backgroundColor: colour, fillStyle: 'solid', strokeColor: colour })
    } else if (type === 'text') {
      const [, tx, ty, text, anchor] = shape
      if (!text) continue
      // SVG places text by its baseline and anchor; Excalidraw by its top left corner (moved once measured: centre()).
      out.push({ ...common, type: 'text', x: x + at(tx), y: y + at(ty) - FONT_SIZE, text, fontSize: FONT_SIZE, fontFamily: HELVETICA, textAlign: anchor === 'middle' ? 'center' : anchor === 'end' ? 'right' : 'left', customData: { ...common.customData, anchor } })
    }
  }
  if (out.length) out[0].customData = { ...out[0].customData, alt: textAlternative(attrs).slice(0, 200) }
  return out
}

/** After Excalidraw measured the texts: a centred (or right-aligned) text moved so that its anchor is where the
 * SVG's is. Returns new element objects (Excalidraw's own, with x changed). */
export function anchored (elements) {
  return elements.map((e) => {
    const anchor = e.customData && e.customData.anchor
    if (e.type !== 'text' || !anchor || anchor === 'start') return e
    const dx = anchor === 'middle' ? e.width / 2 : e.width
    return { ...e, x: Math.round((e.x - dx) * 100) / 100 }
  })
}

/** What a screen reader hears for a drawing on the board: its text alternative, or its kind. */
export function describeRepresentation (customData) {
  if (!customData) return ''
  return customData.alt || KIND_NAMES[customData.representation] || ''
}
