// The save-state indicator: "Saved", "Saving…", "Offline — N changes waiting", or an error.

export function describe (provider) {
  const n = provider.waiting
  if (provider.error) {
    return { state: 'error', text: 'Not saved — ' + provider.error.message }
  }
  if (!provider.socket.connected || !provider.joined) {
    if (!provider.socket.connected) {
      return { state: 'offline', text: 'Offline — ' + (n === 0 ? 'no changes' : n + (n === 1 ? ' change' : ' changes')) + ' waiting' }
    }
    return { state: 'saving', text: 'Connecting…' }
  }
  if (n > 0) return { state: 'saving', text: 'Saving…' }
  return { state: 'saved', text: 'Saved' }
}

export function bindSaveState (element, provider) {
  let last = ''
  return () => {
    const { state, text } = describe(provider)
    if (text === last) return
    last = text
    element.dataset.state = state
    element.textContent = text
  }
}

export function warnBeforeUnload (provider) {
  window.addEventListener('beforeunload', (event) => {
    if (provider.waiting > 0) {
      event.preventDefault()
      event.returnValue = '' // older browsers need a value to show their "leave site?" dialog
    }
  })
}
