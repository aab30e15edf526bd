// Comment anchors: a pair of Yjs relative positions (start: first selected character, assoc 0; end: last
// selected character, assoc -1), base64 in JSON. Made from and resolved to ProseMirror positions with
// y-tiptap (Tiptap's y-prosemirror), so they follow the text however the plan changes.
import * as Y from 'yjs'
import { ySyncPluginKey, absolutePositionToRelativePosition, relativePositionToAbsolutePosition } from '@tiptap/y-tiptap'

function toBase64 (bytes) {
  let s = ''
  bytes.forEach((b) => { s += String.fromCharCode(b) })
  return btoa(s)
}

function fromBase64 (text) {
  const s = atob(text)
  const bytes = new Uint8Array(s.length)
  for (let i = 0; i < s.length; i++) bytes[i] = s.charCodeAt(i)
  return bytes
}

function binding (state) {
  const sync = ySyncPluginKey.getState(state)
  return sync && sync.binding ? { type: sync.type, mapping: sync.binding.mapping, doc: sync.doc || sync.type.doc } : null
}

// Both ends on characters of a text: the first selected one, and the last one (assoc -1).
export function anchorFromSelection (state) {
  const b = binding(state)
  const { from, to } = state.selection
  if (!b || from >= to) return null
  const startAbs = Y.createAbsolutePositionFromRelativePosition(absolutePositionToRelativePosition(from, b.type, b.mapping), b.doc)
  const endAbs = Y.createAbsolutePositionFromRelativePosition(absolutePositionToRelativePosition(to, b.type, b.mapping), b.doc)
  if (!startAbs || !endAbs) return null
  const start = startAbs.type instanceof Y.XmlText && startAbs.index < startAbs.type.length
    ? Y.createRelativePositionFromTypeIndex(startAbs.type, startAbs.index, 0)
    : absolutePositionToRelativePosition(from, b.type, b.mapping)
  const end = endAbs.type instanceof Y.XmlText && endAbs.index > 0
    ? Y.createRelativePositionFromTypeIndex(endAbs.type, endAbs.index, -1)
    : absolutePositionToRelativePosition(to, b.type, b.mapping)
  return {
    start: toBase64(Y.encodeRelativePosition(start)),
    end: toBase64(Y.encodeRelativePosition(end)),
    quote: state.doc.textBetween(from, to, '\n').slice(0, 2000)
  }
}

// {from, to} in the editor now, or null when every anchored character has been deleted.
export function resolveAnchor (state, anchor) {
  const b = binding(state)
  if (!b || !anchor || !anchor.start || !anchor.end) return null
  try {
    const from = relativePositionToAbsolutePosition(b.doc, b.type, Y.decodeRelativePosition(fromBase64(anchor.start)), b.mapping)
    const to = relativePositionToAbsolutePosition(b.doc, b.type, Y.decodeRelativePosition(fromBase64(anchor.end)), b.mapping)
    if (from === null || to === null || from >= to) return null
    return { from, to }
  } catch {
    return null
  }
}
