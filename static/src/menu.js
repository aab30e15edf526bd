// The header's menu button (templates/base.html): on a phone the main navigation folds under it.
//
// The button is hidden until this runs, so without JavaScript the list simply shows. CSS hides the list only
// on narrow screens while the button says aria-expanded="false"; on wider screens the button is not shown
// and the list always is. Escape closes the menu and puts focus back on the button.
const button = document.querySelector('.menu-toggle')
const menu = button && document.getElementById(button.getAttribute('aria-controls'))

if (button && menu) {
  const setOpen = (open) => button.setAttribute('aria-expanded', String(open))
  setOpen(false)
  button.hidden = false
  button.addEventListener('click', () => setOpen(button.getAttribute('aria-expanded') !== 'true'))
  button.parentElement.addEventListener('keydown', (event) => {
    if (event.key !== 'Escape' || button.getAttribute('aria-expanded') !== 'true') return
    setOpen(false)
    button.focus()
  })
}
