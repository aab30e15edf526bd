// Anticipated versus observed, counted in the browser as the server counts it (collab/observations/anticipated/):
// per anticipated item, how many observers tagged it seen / not seen / something else, and the notes linked.
// A record's tags (docs/realtime-protocol.md, "Observation records"):
//   Y.Map "anticipated": item id -> "seen" | "not-seen" | "something-else" (clearing deletes the key)
//   Y.Map "anticipated_notes": note id -> item id (unlinking deletes the key)

export const TAGS = ['seen', 'not-seen', 'something-else']
export const TAG_LABELS = { seen: 'Seen', 'not-seen': 'Not seen', 'something-else': 'Something else' }
export const TAG_KEY = 'anticipated'
export const LINK_KEY = 'anticipated_notes'

const hasContent = (note) => note && typeof note === 'object' && note.id && (String(note.text || '').trim() || note.photo_id)

/**
 * items: [{ id, kind, pupil, text, inPlan }] (the visit's); records: [{ observer: { id, name }, tags: { itemId: tag },
 * links: { noteId: itemId }, notes: [note] }]. Values the server would not count are left out here too.
 */
export function anticipatedRows (items, records) {
  const rows = new Map(items.map((item) => [String(item.id), {
    item,
    counts: Object.fromEntries(TAGS.map((t) => [t, 0])),
    taggedBy: Object.fromEntries(TAGS.map((t) => [t, []])),
    notes: []
  }]))
  records.forEach(({ observer, tags, links, notes }) => {
    Object.entries(tags || {}).forEach(([itemId, tag]) => {
      const row = rows.get(itemId)
      if (row && TAGS.includes(tag)) { row.counts[tag] += 1; row.taggedBy[tag].push(observer.name) }
    })
    const byId = new Map((notes || []).filter(hasContent).map((n) => [n.id, n]))
    Object.entries(links || {}).forEach(([noteId, itemId]) => {
      const row = rows.get(itemId)
      const note = byId.get(noteId)
      if (row && note) row.notes.push(Object.assign({}, note, { observer }))
    })
  })
  const rowsList = Array.from(rows.values())
  rowsList.forEach((row) => row.notes.sort((a, b) => (a.at || 0) - (b.at || 0) || String(a.observer.name).localeCompare(String(b.observer.name))))
  return rowsList
}

/** A Y.Doc's tags as anticipatedRows reads them. */
export function tagsOf (doc) {
  return { tags: doc.getMap(TAG_KEY).toJSON(), links: doc.getMap(LINK_KEY).toJSON(), notes: doc.getArray('notes').toArray() }
}
