// The lesson clock: join "visit:<id>" on a socket and hear `visit:phase` (docs/realtime-protocol.md). The record page
// joins on its record's socket; the visit room page on one of its own (_obs-room.js).

/** onJoined(): after each (re)join of the visit room (the visit room page then asks which records it may read). */
export function followLesson (socket, config, onState, onJoined = () => {}) {
  let state = config.state
  const apply = (next) => { state = next; onState(state) }
  socket.on('connect', () => {
    socket.emit('visit:join', config.visitRoom, (ack) => {
      if (!ack || !ack.ok) return
      apply(ack.state)
      onJoined()
    })
  })
  socket.on('visit:phase', (room, next) => { if (room === config.visitRoom && next) apply(next) })
  onState(state)
  return () => state
}

export function showLesson (state) {
  const status = document.getElementById('lesson-status')
  if (status) status.textContent = describeLesson(state)
}

export function describeLesson (state) {
  if (state.ended_at) return 'Lesson ended'
  if (state.started_at) return 'In progress: ' + (state.phase || '')
  return 'Lesson not started'
}
