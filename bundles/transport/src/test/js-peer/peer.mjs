// A js-libp2p peer driven by the interop tests: one JSON command per stdin line, one JSON reply per
// stdout line ({"id":..,"ok":true,...} or {"id":..,"ok":false,"error":".."}). First line: ready.
import { createLibp2p } from 'libp2p'
import { tcp } from '@libp2p/tcp'
import { noise } from '@libp2p/noise'
import { yamux } from '@libp2p/yamux'
import { identify } from '@libp2p/identify'
import { ping } from '@libp2p/ping'
import { multiaddr } from '@multiformats/multiaddr'
import { peerIdFromString } from '@libp2p/peer-id'
import { createHash } from 'node:crypto'
import { createInterface } from 'node:readline'

const ECHO = '/hivemesh/test/echo/1.0.0'
const SINK = '/hivemesh/test/sink/1.0.0'

const node = await createLibp2p({
  addresses: { listen: ['/ip4/127.0.0.1/tcp/0'] },
  transports: [tcp()],
  connectionEncrypters: [noise()],
  streamMuxers: [yamux()],
  services: { identify: identify(), ping: ping() }
})

// Sends `total` bytes: one pseudo-random 256 KiB chunk (from `seed`), repeated. Returns the SHA-256
// (hex) of all of it, computed before sending so that hashing does not slow the sender down.
async function sendAll (stream, total, seed, onStart) {
  const chunkSize = 256 * 1024
  const chunk = new Uint8Array(chunkSize)
  let counter = seed
  for (let i = 0; i < chunk.length; i++) { counter = (counter * 1103515245 + 12345) >>> 0; chunk[i] = counter >>> 24 }
  const hash = createHash('sha256')
  for (let sent = 0; sent < total; sent += chunkSize) { hash.update(chunk.subarray(0, Math.min(chunkSize, total - sent))) }
  const digest = hash.digest('hex')
  onStart()
  for (let sent = 0; sent < total; sent += chunkSize) {
    const part = chunk.subarray(0, Math.min(chunkSize, total - sent))
    if (!stream.send(part)) { await stream.onDrain() }
  }
  return digest
}

async function readAll (stream) {
  const hash = createHash('sha256')
  let bytes = 0
  let text = ''
  for await (const chunk of stream) {
    const b = chunk.subarray ? chunk.subarray() : chunk
    hash.update(b)
    bytes += b.length
    if (text.length < 128) { text += new TextDecoder().decode(b.subarray(0, 128)) }
  }
  return { bytes, sha256: hash.digest('hex'), text: text.slice(0, 128) }
}

await node.handle(ECHO, async (stream) => {
  try {
    for await (const chunk of stream) {
      if (!stream.send(chunk)) { await stream.onDrain() }
    }
    await stream.close()
  } catch (e) { stream.abort(e) }
}, { maxInboundStreams: 64 })

// SINK: reads everything, answers with the SHA-256 (hex) of what it read.
await node.handle(SINK, async (stream) => {
  try {
    const r = await readAll(stream)
    stream.send(new TextEncoder().encode(r.sha256))
    await stream.close()
  } catch (e) { stream.abort(e) }
})

const commands = {
  async dial ({ addr }) {
    const c = await node.dial(multiaddr(addr))
    return { peer: c.remotePeer.toString() }
  },
  async ping ({ addr, peer }) {
    const target = addr ? multiaddr(addr) : peerIdFromString(peer)
    return { rtt: await node.services.ping.ping(target) }
  },
  async pingMany ({ addr, count }) {
    const target = multiaddr(addr)
    const rtts = []
    for (let i = 0; i < count; i++) {
      const start = process.hrtime.bigint()
      await node.services.ping.ping(target)
      rtts.push(Number(process.hrtime.bigint() - start) / 1e6)
    }
    return { rtts }
  },
  async peerInfo ({ peer }) {
    const p = await node.peerStore.get(peerIdFromString(peer))
    const agent = p.metadata.get('AgentVersion')
    return {
      protocols: p.protocols,
      agent: agent ? new TextDecoder().decode(agent) : null,
      addrs: p.addresses.map(a => a.multiaddr.toString())
    }
  },
  async connections () {
    return { connections: node.getConnections().map(c => ({ peer: c.remotePeer.toString(), status: c.status, direction: c.direction })) }
  },
  // Sends `bytes` pseudo-random bytes on `protocol` to `peer`, reads the whole reply.
  async transfer ({ peer, addr, protocol, bytes, seed }) {
    const stream = await node.dialProtocol(addr ? multiaddr(addr) : peerIdFromString(peer), protocol)
    let start = 0
    const reading = readAll(stream)
    const sent = await sendAll(stream, bytes, seed ?? 1, () => { start = process.hrtime.bigint() })
    await stream.close()
    const got = await reading
    const ms = Number(process.hrtime.bigint() - start) / 1e6
    return { sent, received: got.sha256, receivedBytes: got.bytes, replyText: got.text, ms }
  },
  async hangUp ({ peer }) {
    await node.hangUp(peerIdFromString(peer))
    return {}
  },
  async stop () {
    await node.stop()
    setTimeout(() => process.exit(0), 50)
    return {}
  }
}

const out = (o) => process.stdout.write(JSON.stringify(o) + '\n')
out({ event: 'ready', peer: node.peerId.toString(), addrs: node.getMultiaddrs().map(a => a.toString()), protocols: node.getProtocols() })

const rl = createInterface({ input: process.stdin })
rl.on('line', async (line) => {
  let msg
  try { msg = JSON.parse(line) } catch { return }
  const fn = commands[msg.cmd]
  if (!fn) { out({ id: msg.id, ok: false, error: 'unknown command ' + msg.cmd }); return }
  try {
    out({ id: msg.id, ok: true, ...(await fn(msg)) })
  } catch (e) {
    out({ id: msg.id, ok: false, error: String(e && e.stack ? e.stack : e) })
  }
})
rl.on('close', async () => { await node.stop(); process.exit(0) })
