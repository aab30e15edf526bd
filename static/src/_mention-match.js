// @-mentions, the words only (no DOM, tested in static/test/mentions.test.mjs): which "@name" is being typed
// at the caret, which people match it, and the text once a name is picked. The combobox is _mentions.js.

const MAX_QUERY = 40
const NAME_CHAR = /[\p{L}\p{M}'’-]/u

/** The mention being typed just before `caret`: {start, query} (start is the "@"), or null. */
export function mentionAt (text, caret) {
  const before = text.slice(0, caret)
  const at = before.lastIndexOf('@')
  if (at < 0) return null
  const query = before.slice(at + 1)
  if (query.length > MAX_QUERY || /[\n@]/.test(query) || /^\s/.test(query) || /\s\s/.test(query)) return null
  // An "@" inside a word (an email address) is not a mention.
  if (at > 0 && (NAME_CHAR.test(before[at - 1]) || /\d/.test(before[at - 1]))) return null
  return { start: at, query }
}

/** People whose name starts with `query`, or has a word that does; whole-name matches first, then by name. */
export function matchPeople (people, query, limit = 6) {
  const q = query.trim().toLowerCase()
  const scored = []
  for (const person of people) {
    const name = person.name.toLowerCase()
    let score = -1
    if (name.startsWith(q)) score = 0
    else if (name.split(/[\s-]+/).some((word, i) => i > 0 && word.startsWith(q))) score = 1
    if (score >= 0) scored.push({ person, score })
  }
  scored.sort((a, b) => a.score - b.score || a.person.name.localeCompare(b.person.name, 'en-GB'))
  return scored.slice(0, limit).map((s) => s.person)
}

/** `text` with the mention from `start` to `caret` replaced by "@Name "; returns {text, caret}. */
export function insertMention (text, start, caret, name) {
  const after = text.slice(caret)
  const inserted = '@' + name + (/^\s/.test(after) ? '' : ' ')
  const value = text.slice(0, start) + inserted + after
  return { text: value, caret: start + inserted.length + (/^\s/.test(after) ? 1 : 0) }
}
