// Images pasted, dropped or picked: uploaded to the server, then inserted by URL (never as data: URLs).

const TYPES = ['image/png', 'image/jpeg', 'image/gif', 'image/webp']

export function imageFiles (dataTransfer) {
  if (!dataTransfer || !dataTransfer.files) return []
  return Array.from(dataTransfer.files).filter((f) => TYPES.includes(f.type))
}

export async function upload (url, file) {
  const csrf = document.querySelector('meta[name="csrf-token"]')
  const body = new FormData()
  body.append('image', file, file.name || 'pasted-image')
  const response = await fetch(url, {
    method: 'POST',
    body,
    credentials: 'same-origin',
    headers: { 'X-CSRFToken': csrf ? csrf.content : '', Accept: 'application/json' }
  })
  const data = await response.json().catch(() => ({}))
  if (!response.ok) throw new Error(data.message || 'The image could not be uploaded.')
  return data.url
}

export async function uploadAndInsert (editor, url, files, pos, report) {
  for (const file of files) {
    try {
      const src = await upload(url, file)
      const chain = editor.chain().focus()
      if (typeof pos === 'number') chain.insertContentAt(pos, { type: 'image', attrs: { src, alt: '' } })
      else chain.setImage({ src, alt: '' })
      chain.run()
    } catch (err) {
      report(err.message)
    }
  }
}
