// A js-libp2p kad-dht peer driven by the DHT interop tests: one JSON command per stdin line, one JSON
// reply per stdout line ({"id":..,"ok":true,...} or {"id":..,"ok":false,"error":".."}). First line:
// ready. Argument: "server" or "client" (the DHT mode).
import { createLibp2p } from 'libp2p'
import { tcp } from '@libp2p/tcp'
import { noise } from '@libp2p/noise'
import { yamux } from '@libp2p/yamux'
import { identify } from '@libp2p/identify'
import { ping } from '@libp2p/ping'
import { kadDHT, passthroughMapper } from '@libp2p/kad-dht'
import { multiaddr } from '@multiformats/multiaddr'
import { peerIdFromString } from '@libp2p/peer-id'
import { CID } from 'multiformats/cid'
import { createInterface } from 'node:readline'

const mode = process.argv[2] === 'client' ? 'client' : 'server'
const enc = new TextEncoder()
const dec = new TextDecoder()

const node = await createLibp2p({
  addresses: { listen: ['/ip4/127.0.0.1/tcp/0'] },
  transports: [tcp()],
  connectionEncrypters: [noise()],
  streamMuxers: [yamux()],
  services: {
    identify: identify(),
    ping: ping(),
    dht: kadDHT({
      protocol: '/ipfs/kad/1.0.0',
      clientMode: mode === 'client',
      peerInfoMapper: passthroughMapper,
      allowQueryWithZeroPeers: true,
      // the open namespace Hivemesh uses: any value is valid; js keeps no receive times, so the first wins
      validators: { mesh: async () => {} },
      selectors: { mesh: () => 0 }
    })
  }
})

const dht = node.services.dht

const commands = {
  async dial ({ addr }) {
    const c = await node.dial(multiaddr(addr))
    return { peer: c.remotePeer.toString() }
  },
  async table () {
    const peers = []
    for (const p of dht.routingTable.kb.toIterable()) { peers.push(p.peerId.toString()) }
    return { peers }
  },
  async put ({ key, value }) {
    let ok = 0
    for await (const ev of dht.put(enc.encode(key), enc.encode(value))) {
      if (ev.name === 'PEER_RESPONSE' && ev.messageName === 'PUT_VALUE') { ok++ }
    }
    return { ok }
  },
  async get ({ key }) {
    for await (const ev of dht.get(enc.encode(key))) {
      if (ev.name === 'VALUE') { return { value: dec.decode(ev.value), from: ev.from.toString() } }
    }
    return { value: null }
  },
  async provide ({ cid }) {
    for await (const ev of dht.provide(CID.parse(cid))) { void ev }
    return {}
  },
  async findProviders ({ cid }) {
    const providers = []
    for await (const ev of dht.findProviders(CID.parse(cid))) {
      if (ev.name === 'PROVIDER') {
        for (const p of ev.providers) {
          if (!providers.some(q => q.peer === p.id.toString())) {
            providers.push({ peer: p.id.toString(), addrs: p.multiaddrs.map(a => a.toString()) })
          }
        }
      }
    }
    return { providers }
  },
  async findPeer ({ peer }) {
    for await (const ev of dht.findPeer(peerIdFromString(peer))) {
      if (ev.name === 'FINAL_PEER') { return { peer: ev.peer.id.toString(), addrs: ev.peer.multiaddrs.map(a => a.toString()) } }
    }
    return { peer: null }
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
