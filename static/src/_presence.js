// The list of people in the document, from Yjs awareness (name and colour per connection).

export function bindPresence (list, awareness) {
  const render = () => {
    const people = new Map()
    awareness.getStates().forEach((state) => {
      const user = state && state.user
      if (user && user.name && !people.has(user.id || user.name)) people.set(user.id || user.name, user)
    })
    list.replaceChildren(...Array.from(people.values()).map((user) => {
      const li = document.createElement('li')
      li.textContent = user.name
      li.style.backgroundColor = user.color
      li.dataset.userId = user.id || ''
      return li
    }))
  }
  awareness.on('change', render)
  render()
}
