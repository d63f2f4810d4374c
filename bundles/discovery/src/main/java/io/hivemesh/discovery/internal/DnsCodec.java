package io.hivemesh.discovery.internal;

import io.hivemesh.discovery.internal.DnsMessage.Question;
import io.hivemesh.discovery.internal.DnsMessage.ResourceRecord;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Bytes to {@link DnsMessage} and back (RFC 1035 section 4.1), bounded for input from anyone on the
 * network: a message is at most {@link #MAX_MESSAGE_BYTES} (the mDNS maximum, RFC 6762 section 17),
 * at most {@link #MAX_QUESTIONS} questions and {@link #MAX_RECORDS} records, names at most 255 bytes
 * of labels of at most 63, compression pointers only backwards and at most
 * {@link #MAX_POINTER_JUMPS} per name (so no loop), TXT records at most {@link #MAX_TXT_STRINGS}
 * strings. Anything else is refused with a {@link DnsFormatException} naming the problem.
 * Encoding never compresses names (js-libp2p does not either). Stateless.
 */
public final class DnsCodec {
    public static final int MAX_MESSAGE_BYTES = 9000;
    public static final int MAX_QUESTIONS = 32;
    public static final int MAX_RECORDS = 128;
    public static final int MAX_POINTER_JUMPS = 16;
    public static final int MAX_TXT_STRINGS = 64;
    static final int MAX_NAME_BYTES = 255;
    static final int MAX_LABEL_BYTES = 63;
    private static final int HEADER = 12;

    private DnsCodec() {
    }

    /** Decodes one message. */
    public static DnsMessage decode(byte[] b) {
        return decode(b, b.length);
    }

    /** Decodes the first {@code length} bytes of {@code b}. */
    public static DnsMessage decode(byte[] b, int length) {
        if (length > MAX_MESSAGE_BYTES) {
            throw new DnsFormatException("DNS message of " + length + " bytes exceeds " + MAX_MESSAGE_BYTES);
        }
        if (length < HEADER) {
            throw new DnsFormatException("DNS message of " + length + " bytes is shorter than its 12-byte header");
        }
        Reader r = new Reader(b, length);
        int id = r.u16();
        int flags = r.u16();
        int qd = r.u16();
        int an = r.u16();
        int ns = r.u16();
        int ar = r.u16();
        if (qd > MAX_QUESTIONS) {
            throw new DnsFormatException("DNS message claims " + qd + " questions, more than " + MAX_QUESTIONS);
        }
        if (an + ns + ar > MAX_RECORDS) {
            throw new DnsFormatException("DNS message claims " + (an + ns + ar) + " records, more than " + MAX_RECORDS);
        }
        List<Question> questions = new ArrayList<>(qd);
        for (int i = 0; i < qd; i++) {
            String name = r.name();
            questions.add(new Question(name, r.u16(), r.u16()));
        }
        return new DnsMessage(id, flags, questions, records(r, an), records(r, ns), records(r, ar));
    }

    private static List<ResourceRecord> records(Reader r, int count) {
        List<ResourceRecord> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String name = r.name();
            int type = r.u16();
            int dnsClass = r.u16();
            long ttl = r.u32();
            int rdLength = r.u16();
            int start = r.pos;
            int end = start + rdLength;
            if (end > r.length) {
                throw new DnsFormatException("DNS record " + name + " claims " + rdLength + " data bytes, only "
                        + (r.length - start) + " left");
            }
            if (type == DnsMessage.TYPE_PTR) {
                Reader sub = new Reader(r.b, end);
                sub.pos = start;
                String target = sub.name();
                out.add(ResourceRecord.ptr(name, dnsClass, ttl, target));
            } else if (type == DnsMessage.TYPE_TXT) {
                List<byte[]> texts = new ArrayList<>();
                int p = start;
                while (p < end) {
                    int len = r.b[p] & 0xFF;
                    if (p + 1 + len > end) {
                        throw new DnsFormatException("TXT record " + name + ": a string of " + len + " bytes overruns its record");
                    }
                    if (texts.size() == MAX_TXT_STRINGS) {
                        throw new DnsFormatException("TXT record " + name + " has more than " + MAX_TXT_STRINGS + " strings");
                    }
                    byte[] s = new byte[len];
                    System.arraycopy(r.b, p + 1, s, 0, len);
                    texts.add(s);
                    p += 1 + len;
                }
                out.add(new ResourceRecord(name, type, dnsClass, ttl, null, texts, null));
            } else {
                byte[] data = new byte[rdLength];
                System.arraycopy(r.b, start, data, 0, rdLength);
                out.add(new ResourceRecord(name, type, dnsClass, ttl, null, List.of(), data));
            }
            r.pos = end;
        }
        return out;
    }

    /** Reads within the first {@code length} bytes of a message. */
    private static final class Reader {
        final byte[] b;
        final int length;
        int pos;

        Reader(byte[] b, int length) {
            this.b = b;
            this.length = length;
        }

        private void need(int n) {
            if (pos + n > length) {
                throw new DnsFormatException("DNS message truncated at byte " + pos + " (needs " + n + " more)");
            }
        }

        int u16() {
            need(2);
            int v = (b[pos] & 0xFF) << 8 | b[pos + 1] & 0xFF;
            pos += 2;
            return v;
        }

        long u32() {
            need(4);
            long v = (long) (b[pos] & 0xFF) << 24 | (b[pos + 1] & 0xFF) << 16 | (b[pos + 2] & 0xFF) << 8 | b[pos + 3] & 0xFF;
            pos += 4;
            return v;
        }

        /**
         * A possibly compressed name; {@code pos} moves past its in-place part. A pointer must point
         * before itself (so every jump goes backwards and a loop is impossible) and a name may take
         * at most {@link #MAX_POINTER_JUMPS} of them.
         */
        String name() {
            StringBuilder sb = new StringBuilder();
            int p = pos;
            int wire = 1;
            int jumps = 0;
            int resume = -1;
            while (true) {
                if (p >= length) {
                    throw new DnsFormatException("DNS name runs past the end of the message at byte " + p);
                }
                int len = b[p] & 0xFF;
                if ((len & 0xC0) == 0xC0) {
                    if (p + 1 >= length) {
                        throw new DnsFormatException("DNS compression pointer truncated at byte " + p);
                    }
                    int target = (len & 0x3F) << 8 | b[p + 1] & 0xFF;
                    if (target >= p) {
                        throw new DnsFormatException("DNS compression pointer at byte " + p + " points forward to " + target);
                    }
                    if (++jumps > MAX_POINTER_JUMPS) {
                        throw new DnsFormatException("DNS name takes more than " + MAX_POINTER_JUMPS + " compression pointers");
                    }
                    if (resume < 0) {
                        resume = p + 2;
                    }
                    p = target;
                    continue;
                }
                if ((len & 0xC0) != 0) {
                    throw new DnsFormatException("DNS label type 0x" + Integer.toHexString(len & 0xC0) + " at byte " + p + " is not supported");
                }
                if (len == 0) {
                    pos = resume >= 0 ? resume : p + 1;
                    return sb.toString();
                }
                wire += 1 + len;
                if (wire > MAX_NAME_BYTES) {
                    throw new DnsFormatException("DNS name longer than " + MAX_NAME_BYTES + " bytes");
                }
                if (p + 1 + len > length) {
                    throw new DnsFormatException("DNS label of " + len + " bytes at byte " + p + " runs past the end");
                }
                for (int i = p + 1; i <= p + len; i++) {
                    if (b[i] == '.') {
                        throw new DnsFormatException("DNS label at byte " + p + " contains a dot");
                    }
                }
                if (sb.length() > 0) {
                    sb.append('.');
                }
                sb.append(new String(b, p + 1, len, StandardCharsets.ISO_8859_1));
                p += 1 + len;
            }
        }
    }

    // ------------------------------------------------------------------ encoding

    /**
     * Encodes {@code m} without name compression.
     *
     * @throws IllegalArgumentException if a name, label, string or the whole message breaks a bound
     */
    public static byte[] encode(DnsMessage m) {
        if (m.questions().size() > MAX_QUESTIONS || m.answers().size() + m.authorities().size() + m.additionals().size() > MAX_RECORDS) {
            throw new IllegalArgumentException("DNS message has too many questions or records");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        u16(out, m.id());
        u16(out, m.flags());
        u16(out, m.questions().size());
        u16(out, m.answers().size());
        u16(out, m.authorities().size());
        u16(out, m.additionals().size());
        for (Question q : m.questions()) {
            name(out, q.name());
            u16(out, q.type());
            u16(out, q.dnsClass());
        }
        for (List<ResourceRecord> section : List.of(m.answers(), m.authorities(), m.additionals())) {
            for (ResourceRecord r : section) {
                record(out, r);
            }
        }
        if (out.size() > MAX_MESSAGE_BYTES) {
            throw new IllegalArgumentException("encoded DNS message of " + out.size() + " bytes exceeds " + MAX_MESSAGE_BYTES);
        }
        return out.toByteArray();
    }

    private static void record(ByteArrayOutputStream out, ResourceRecord r) {
        name(out, r.name());
        u16(out, r.type());
        u16(out, r.dnsClass());
        long ttl = r.ttl();
        out.write((int) (ttl >>> 24));
        out.write((int) (ttl >>> 16));
        out.write((int) (ttl >>> 8));
        out.write((int) ttl);
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        if (r.type() == DnsMessage.TYPE_PTR && r.target() != null) {
            name(data, r.target());
        } else if (r.type() == DnsMessage.TYPE_TXT) {
            if (r.texts().size() > MAX_TXT_STRINGS) {
                throw new IllegalArgumentException("TXT record " + r.name() + " has more than " + MAX_TXT_STRINGS + " strings");
            }
            for (byte[] s : r.texts()) {
                if (s.length > 255) {
                    throw new IllegalArgumentException("TXT string of " + s.length + " bytes exceeds 255");
                }
                data.write(s.length);
                data.writeBytes(s);
            }
        } else {
            data.writeBytes(r.rdata());
        }
        if (data.size() > 0xFFFF) {
            throw new IllegalArgumentException("DNS record data of " + data.size() + " bytes");
        }
        u16(out, data.size());
        out.writeBytes(data.toByteArray());
    }

    private static void u16(ByteArrayOutputStream out, int v) {
        out.write(v >>> 8 & 0xFF);
        out.write(v & 0xFF);
    }

    /** Writes {@code name} as labels (no compression); {@code ""} is the root. */
    static void name(ByteArrayOutputStream out, String name) {
        int wire = 1;
        if (!name.isEmpty()) {
            for (String label : name.split("\\.", -1)) {
                byte[] l = label.getBytes(StandardCharsets.ISO_8859_1);
                if (l.length == 0 || l.length > MAX_LABEL_BYTES || !new String(l, StandardCharsets.ISO_8859_1).equals(label)) {
                    throw new IllegalArgumentException("DNS name '" + name + "': label '" + label + "' is empty, over 63 bytes or not Latin-1");
                }
                wire += 1 + l.length;
                if (wire > MAX_NAME_BYTES) {
                    throw new IllegalArgumentException("DNS name '" + name + "' is longer than " + MAX_NAME_BYTES + " bytes");
                }
                out.write(l.length);
                out.writeBytes(l);
            }
        }
        out.write(0);
    }
}
