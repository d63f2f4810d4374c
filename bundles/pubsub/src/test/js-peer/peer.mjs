// A js-libp2p gossipsub peer (@libp2p/gossipsub 17.1.1 on libp2p 3.3.11) driven by the pubsub interop
// tests: one JSON command per stdin line, one JSON reply per stdout line ({"id":..,"ok":true,...} or
// {"id":..,"ok":false,"error":".."}). First line: {"event":"ready","peer":..,"addrs":[..]}.
//
// Optional argument: a JSON object of options.
//   msgId: "from-seqno" (default: PeerId bytes ‖ 8-byte seqno, the spec's and Hivemesh's default
//          FROM_SEQNO) or "pubkey-seqno" (js's own default: PublicKey protobuf ‖ seqno, PUBKEY_SEQNO).
//   listen: the listen multiaddr (default /ip4/127.0.0.1/tcp/0).
//   ipColocationThreshold: js's IPColocationFactorThreshold (default 10: more than 10 peers on one IP
//          cost -5 × surplus² each; the tests stay below it, see README.md).
//   scoreTopics: { topic: {..topic score params..} } explicit topic score parameters (js applies the
//          invalid-message penalty P4 only to topics listed here).
//   unsubscribeBackoffMs: the backoff js sends in the PRUNEs of an unsubscribe and keeps itself
//          (js default 10000), so a test can keep a peer out of js's mesh and see gossip at work.
//   signaturePolicy: "StrictSign" (default) or "StrictNoSign" (js's policy is global: every topic; the
//          message id is then js's default for unsigned messages, sha-256 of the data).
//   doPX: true to send peer exchange in PRUNEs (js default false); js includes each offered peer's
//          signed peer record from its peer store.
//   acceptPXThreshold: js's acceptPXThreshold (default 10); PX from peers scoring below it is ignored.
//   validate: { topic: "accept" | "reject" | "ignore" } a topic validator with a fixed answer, or
//          "reject-prefix:<text>" to reject messages whose data starts with <text>.
import { createLibp2p } from 'libp2p'
import { tcp } from '@libp2p/tcp'
import { noise } from '@libp2p/noise'
import { yamux } from '@libp2p/yamux'
import { identify } from '@libp2p/identify'
import { ping } from '@libp2p/ping'
import { gossipsub, TopicValidatorResult, StrictNoSign, StrictSign } from '@libp2p/gossipsub'
import { generateKeyPair, publicKeyToProtobuf } from '@libp2p/crypto/keys'
import { multiaddr } from '@multiformats/multiaddr'
import { peerIdFromString } from '@libp2p/peer-id'
import { createInterface } from 'node:readline'

const opts = process.argv[2] ? JSON.parse(process.argv[2]) : {}
const enc = new TextEncoder()
const dec = new TextDecoder()
const hex = (b) => Buffer.from(b).toString('hex')
const b64 = (b) => Buffer.from(b).toString('base64')

const seqnoBytes = (n) => {
  const b = new Uint8Array(8)
  new DataView(b.buffer).setBigUint64(0, n)
  return b
}
const concat = (...parts) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0))
  let o = 0
  for (const p of parts) { out.set(p, o); o += p.length }
  return out
}

// FROM_SEQNO: from (PeerId multihash bytes) ‖ seqno, the spec's default id function
const fromSeqno = (msg) => concat(msg.from.toMultihash().bytes, seqnoBytes(msg.sequenceNumber))
// PUBKEY_SEQNO: js's default (PublicKey protobuf ‖ seqno)
const pubkeySeqno = (msg) => concat(publicKeyToProtobuf(msg.from.publicKey ?? msg.key), seqnoBytes(msg.sequenceNumber))
const noSign = opts.signaturePolicy === 'StrictNoSign'
const msgIdFn = opts.msgId === 'pubkey-seqno' ? pubkeySeqno : fromSeqno

const privateKey = await generateKeyPair('Ed25519')
const scoreTopics = opts.scoreTopics ?? {}

const node = await createLibp2p({
  privateKey,
  addresses: { listen: [opts.listen ?? '/ip4/127.0.0.1/tcp/0'] },
  transports: [tcp()],
  connectionEncrypters: [noise()],
  streamMuxers: [yamux()],
  services: {
    identify: identify(),
    ping: ping(),
    pubsub: gossipsub({
      ...(noSign ? { globalSignaturePolicy: StrictNoSign } : { globalSignaturePolicy: StrictSign, msgIdFn }),
      allowPublishToZeroTopicPeers: true,
      ...(opts.doPX ? { doPX: true } : {}),
      ...(opts.acceptPXThreshold != null ? { scoreThresholds: { acceptPXThreshold: opts.acceptPXThreshold } } : {}),
      ...(opts.unsubscribeBackoffMs != null ? { unsubcribeBackoff: opts.unsubscribeBackoffMs } : {}),
      scoreParams: {
        IPColocationFactorThreshold: opts.ipColocationThreshold ?? 10,
        topics: scoreTopics
      }
    })
  }
})

const ps = node.services.pubsub

for (const [topic, rule] of Object.entries(opts.validate ?? {})) {
  ps.topicValidators.set(topic, (peer, msg) => {
    if (rule.startsWith('reject-prefix:')) {
      return dec.decode(msg.data).startsWith(rule.substring('reject-prefix:'.length))
        ? TopicValidatorResult.Reject
        : TopicValidatorResult.Accept
    }
    return { accept: TopicValidatorResult.Accept, reject: TopicValidatorResult.Reject, ignore: TopicValidatorResult.Ignore }[rule]
  })
}

// every message delivered to this node (validated, first copy only: gossipsub's seen cache drops the rest)
const received = []
ps.addEventListener('gossipsub:message', (ev) => {
  const { propagationSource, msg } = ev.detail
  if (propagationSource.equals(node.peerId)) { return } // our own publication
  received.push({
    topic: msg.topic,
    from: msg.type === 'signed' ? msg.from.toString() : null,
    seqno: msg.type === 'signed' ? hex(seqnoBytes(msg.sequenceNumber)) : null,
    id: hex(Buffer.from(ev.detail.msgId, 'base64')), // js's own message id (msgIdToStrFn is base64)
    receivedFrom: propagationSource.toString(),
    data: b64(msg.data),
    text: dec.decode(msg.data)
  })
})

// --- hand-built protobuf for the tampered message (field numbers: libp2p pubsub rpc.proto) ---
const varint = (n) => {
  const out = []
  let v = BigInt(n)
  while (v >= 0x80n) { out.push(Number(v & 0x7fn) | 0x80); v >>= 7n }
  out.push(Number(v))
  return Uint8Array.from(out)
}
const field = (num, bytes) => concat(varint((num << 3) | 2), varint(bytes.length), bytes)

// seqnos of hand-built messages: a counter from Unix time in ns, like js's own (never a duplicate of it
// in practice: js's counter started earlier and advances by one per publication)
let rawSeqno = BigInt(Date.now()) * 1000000n + 500000000n

/**
 * A Message that real js accepts (fields 1..4 in order, minimal varints, StrictSign signature over
 * "libp2p-pubsub:" ‖ Message{from,data,seqno,topic}, key present) except that `tamper` breaks it:
 * "signature" flips one bit of the signature, "data" changes the data after signing.
 */
async function buildMessage (topic, data, tamper) {
  const from = node.peerId.toMultihash().bytes
  const seqno = seqnoBytes(rawSeqno++)
  const signed = concat(field(1, from), field(2, data), field(3, seqno), field(4, enc.encode(topic)))
  const signature = Uint8Array.from(await privateKey.sign(concat(enc.encode('libp2p-pubsub:'), signed)))
  let body = data
  if (tamper === 'signature') {
    signature[7] ^= 0x01
  } else if (tamper === 'data') {
    body = concat(data, enc.encode('!'))
  } else if (tamper !== 'none') {
    throw new Error('unknown tamper mode ' + tamper)
  }
  const message = concat(field(1, from), field(2, body), field(3, seqno), field(4, enc.encode(topic)),
    field(5, signature), field(6, publicKeyToProtobuf(privateKey.publicKey)))
  return { rpc: field(2, message), seqno: hex(seqno) }
}

const payload = ({ text, base64 }) => base64 != null ? Uint8Array.from(Buffer.from(base64, 'base64')) : enc.encode(text ?? '')

const commands = {
  async dial ({ addr }) {
    const c = await node.dial(multiaddr(addr))
    return { peer: c.remotePeer.toString() }
  },
  async hangUp ({ peer }) {
    await node.hangUp(peerIdFromString(peer))
    return {}
  },
  async subscribe ({ topic }) {
    ps.subscribe(topic)
    return {}
  },
  async unsubscribe ({ topic }) {
    ps.unsubscribe(topic)
    return {}
  },
  async publish ({ topic, text, base64 }) {
    const r = await ps.publish(topic, payload({ text, base64 }))
    return { recipients: r.recipients.map(p => p.toString()) }
  },
  // messages received so far (optionally only those of `topic`)
  async messages ({ topic }) {
    return { messages: topic == null ? received : received.filter(m => m.topic === topic) }
  },
  async mesh ({ topic }) {
    return { peers: ps.getMeshPeers(topic) }
  },
  async peers ({ topic }) {
    return { peers: ps.getSubscribers(topic).map(p => p.toString()) }
  },
  // every pubsub peer and the topics it is subscribed to
  async subscribers () {
    const out = {}
    for (const [topic, peers] of ps.topics) {
      for (const p of peers) { (out[p] ??= []).push(topic) }
    }
    return { peers: ps.getPeers().map(p => p.toString()), topics: out }
  },
  async score ({ peer }) {
    return { score: ps.getScore(peer) }
  },
  // writes a hand-built message on js's own outbound gossipsub stream to `peer` (default: every peer
  // with an outbound stream that is subscribed to the topic); tamper: "signature" (default) | "data" | "none"
  async publishTampered ({ topic, text, base64, peer, tamper }) {
    const { rpc, seqno } = await buildMessage(topic, payload({ text, base64 }), tamper ?? 'signature')
    const targets = peer != null ? [peer] : [...(ps.topics.get(topic) ?? [])]
    const sent = []
    for (const id of targets) {
      const stream = ps.streamsOutbound.get(id)
      if (stream != null) { stream.push(rpc); sent.push(id) }
    }
    return { sent, seqno }
  },
  async close () {
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
