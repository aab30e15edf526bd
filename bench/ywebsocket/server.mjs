// The y-websocket reference server for bench/realtime.py: @y/websocket-server's own connection handler
// (setupWSConnection: sync step 1/2, updates and awareness relayed to every connection of the document), its
// documents in memory (no YPERSISTENCE, no callback), on 127.0.0.1:PORT. Like the package's src/server.js, with
// GET /health for the bench's readiness check. Usage: PORT=1234 node bench/ywebsocket/server.mjs
import http from 'node:http'
import WebSocket from 'ws'
import { setupWSConnection, docs } from '@y/websocket-server/utils'

const port = parseInt(process.env.PORT || '1234', 10)
const wss = new WebSocket.Server({ noServer: true })
wss.on('connection', setupWSConnection)

const server = http.createServer((request, response) => {
  response.writeHead(request.url === '/health' ? 200 : 404, { 'Content-Type': 'text/plain' })
  response.end(`${docs.size} documents\n`)
})
server.on('upgrade', (request, socket, head) => {
  wss.handleUpgrade(request, socket, head, ws => wss.emit('connection', ws, request))
})
server.listen(port, '127.0.0.1', () => console.log(`y-websocket reference server on 127.0.0.1:${port}`))
process.on('SIGTERM', () => process.exit(0))
