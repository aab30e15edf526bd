// Signing out leaves nothing of pupils on the device: the sign-out form clears every local copy the app made
// (_local-data.js) before it is sent, since the server then cuts this sign-in's sockets and nothing more could be
// sent. Changes not sent yet are never thrown away silently: the person is told how many, given a moment for an
// open page to send them, and asked. The sign-in page clears again when the server says a sign-in ended
// (data-clear-local), for a sign-out without this script or a deletion another tab held up; there, unsent
// changes are kept (and mentioned) so that signing in again sends them.
import { clearLocalData, countOf, describeUnsent, unsentChanges } from './_local-data.js'

const WAIT_FOR_SENDING_MS = 3000

function sleep (ms) { return new Promise((resolve) => setTimeout(resolve, ms)) }

/** What is still unsent after giving open pages a few seconds to send it (when online). */
async function unsentAfterAMoment () {
  let unsent = unsentChanges()
  const deadline = Date.now() + WAIT_FOR_SENDING_MS
  while (unsent.length && navigator.onLine !== false && Date.now() < deadline) {
    await sleep(200)
    unsent = unsentChanges()
  }
  return unsent
}

function guardSignOut (form) {
  let ready = false
  form.addEventListener('submit', async (event) => {
    if (ready) return
    event.preventDefault()
    const button = form.querySelector('button[type=submit]')
    if (button) { button.disabled = true; button.setAttribute('aria-busy', 'true') }
    try {
      const unsent = await unsentAfterAMoment()
      if (unsent.length && !window.confirm(describeUnsent(unsent) + '\n\n' +
          'Cancel to stay signed in so they can be sent (keep those pages open while online). ' +
          'OK to sign out now and delete them from this device.')) return
      await clearLocalData()
    } catch (err) {
      console.error('collab: could not clear this device before signing out', err) // the sign-in page tries again
    } finally {
      if (button) { button.disabled = false; button.removeAttribute('aria-busy') }
    }
    ready = true
    form.submit()
  })
}

function clearAfterSignInEnded (holder) {
  const unsent = unsentChanges()
  if (!unsent.length) {
    clearLocalData().catch((err) => console.error('collab: could not clear this device', err))
    return
  }
  const n = countOf(unsent)
  const note = document.getElementById('local-data-note')
  if (note) {
    note.textContent = (n === 1 ? '1 change' : `${n} changes`) + ' made on this device ' +
      (n === 1 ? 'has' : 'have') + ' not been sent yet. Sign in to send them; until then they stay on this device.'
    holder.hidden = false
  }
}

function start () {
  document.querySelectorAll('form[data-sign-out]').forEach(guardSignOut)
  const holder = document.querySelector('[data-clear-local]')
  if (holder) clearAfterSignInEnded(holder)
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start)
else start()
