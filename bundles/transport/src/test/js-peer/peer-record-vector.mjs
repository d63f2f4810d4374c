// One-off generator of the signed peer record test vector (RFC 0002 envelope, RFC 0003 record) that
// PeerRecordsTest checks against: `node --import ./polyfill.mjs peer-record-vector.mjs` prints it as
// JSON; `... peer-record-vector.mjs <hex>` instead verifies an envelope (e.g. one Hivemesh wrote).
import { generateKeyPairFromSeed } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { PeerRecord, RecordEnvelope } from '@libp2p/peer-record'
import { multiaddr } from '@multiformats/multiaddr'

const hex = (b) => Buffer.from(b).toString('hex')

if (process.argv[2] != null) {
  const envelope = await RecordEnvelope.openAndCertify(Buffer.from(process.argv[2], 'hex'), PeerRecord.DOMAIN)
  const record = PeerRecord.createFromProtobuf(envelope.payload)
  console.log(JSON.stringify({
    peerId: record.peerId.toString(),
    seq: record.seqNumber.toString(),
    addresses: record.multiaddrs.map((m) => m.toString())
  }))
} else {
  const key = await generateKeyPairFromSeed('Ed25519', new Uint8Array(32).fill(7))
  const peerId = peerIdFromPrivateKey(key)
  const addresses = ['/ip4/192.0.2.7/tcp/4001', '/ip6/2001:db8::7/tcp/4002']
  const seq = 1764633600000n
  const record = new PeerRecord({ peerId, multiaddrs: addresses.map((a) => multiaddr(a)), seqNumber: seq })
  const envelope = await RecordEnvelope.seal(record, key)
  console.log(JSON.stringify({ peerId: peerId.toString(), seq: seq.toString(), addresses, envelope: hex(envelope.marshal()) }, null, 2))
}
