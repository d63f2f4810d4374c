// A js-libp2p peer with @libp2p/mdns for the mDNS interop tests, started inside a network namespace.
// Argument: the listen multiaddr. Prints one JSON line per event: ready, discovered (peer:discovery,
// i.e. js accepted an mDNS response), connected/disconnected (connection:open/close). It never dials:
// libp2p 3 does not dial mDNS-discovered peers. Exits when stdin closes.
import { createLibp2p } from 'libp2p'
import { tcp } from '@libp2p/tcp'
import { noise } from '@libp2p/noise'
import { yamux } from '@libp2p/yamux'
import { identify } from '@libp2p/identify'
import { ping } from '@libp2p/ping'
import { mdns } from '@libp2p/mdns'
import { createInterface } from 'node:readline'

const listen = process.argv[2] || '/ip4/127.0.0.1/tcp/0'
const out = (o) => process.stdout.write(JSON.stringify(o) + '\n')

const node = await createLibp2p({
  addresses: { listen: [listen] },
  transports: [tcp()],
  connectionEncrypters: [noise()],
  streamMuxers: [yamux()],
  peerDiscovery: [mdns({ interval: 10000 })],
  services: { identify: identify(), ping: ping() }
})

node.addEventListener('peer:discovery', (evt) => {
  out({ event: 'discovered', peer: evt.detail.id.toString(), addrs: evt.detail.multiaddrs.map(a => a.toString()) })
})
node.addEventListener('connection:open', (evt) => {
  out({ event: 'connected', peer: evt.detail.remotePeer.toString(), addr: evt.detail.remoteAddr.toString() })
})
node.addEventListener('connection:close', (evt) => {
  out({ event: 'disconnected', peer: evt.detail.remotePeer.toString() })
})
out({ event: 'ready', peer: node.peerId.toString(), addrs: node.getMultiaddrs().map(a => a.toString()) })

const rl = createInterface({ input: process.stdin })
rl.on('close', async () => { await node.stop(); process.exit(0) })
