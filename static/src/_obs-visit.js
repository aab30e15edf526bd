// The lesson clock: join "visit:<id>" on a provider's socket and hear `visit:phase` (docs/realtime-protocol.md).

export function followLesson (socket, config, onState) {
  let state = config.state
  const apply = (next) => { state = next; onState(state) }
  socket.on('connect', () => {
    socket.emit('visit:join', config.visitRoom, (ack) => { if (ack && ack.ok) apply(ack.state) })
  })
  socket.on('visit:phase', (room, next) => { if (room === config.visitRoom && next) apply(next) })
  onState(state)
  return () => state
}

export function describeLesson (state) {
  if (state.ended_at) return 'Lesson ended'
  if (state.started_at) return 'In progress: ' + (state.phase || '')
  return 'Lesson not started'
}
