package io.hivemesh.discovery.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * One DNS message (RFC 1035 section 4) as far as discovery needs it: header, questions, and the
 * answer, authority and additional sections. Names are dot-joined labels (ISO-8859-1, case kept: mDNS
 * peers compare {@code _p2p._udp.local} byte for byte). Immutable.
 */
public record DnsMessage(int id, int flags, List<Question> questions, List<ResourceRecord> answers,
        List<ResourceRecord> authorities, List<ResourceRecord> additionals) {
    public static final int TYPE_A = 1;
    public static final int TYPE_PTR = 12;
    public static final int TYPE_TXT = 16;
    public static final int TYPE_AAAA = 28;
    public static final int TYPE_SRV = 33;
    public static final int TYPE_ANY = 255;
    public static final int CLASS_IN = 1;
    /** QR: the message is a response. */
    public static final int FLAG_RESPONSE = 0x8000;
    /** AA: authoritative answer (mDNS responses set it). */
    public static final int FLAG_AUTHORITATIVE = 0x0400;
    /** RD: recursion desired (unicast queries to a resolver). */
    public static final int FLAG_RECURSION_DESIRED = 0x0100;

    public DnsMessage {
        questions = List.copyOf(questions);
        answers = List.copyOf(answers);
        authorities = List.copyOf(authorities);
        additionals = List.copyOf(additionals);
    }

    /** Whether QR is set. */
    public boolean isResponse() {
        return (flags & FLAG_RESPONSE) != 0;
    }

    /** The response code (low four bits of the flags). */
    public int rcode() {
        return flags & 0xF;
    }

    /** Answers, authorities and additionals in order. */
    public List<ResourceRecord> allRecords() {
        List<ResourceRecord> all = new ArrayList<>(answers);
        all.addAll(authorities);
        all.addAll(additionals);
        return all;
    }

    /** One question: name, type, class (the top class bit is mDNS's unicast-response request). */
    public record Question(String name, int type, int dnsClass) {
        public Question {
            Objects.requireNonNull(name, "name");
        }
    }

    /**
     * One resource record. {@code rdata} holds the record data as it goes on the wire for types
     * other than PTR and TXT; a PTR's data is its {@code target} name (it may be compressed on the
     * wire), a TXT's its character strings {@code texts}.
     */
    public record ResourceRecord(String name, int type, int dnsClass, long ttl, String target, List<byte[]> texts,
            byte[] rdata) {
        public ResourceRecord {
            Objects.requireNonNull(name, "name");
            texts = texts == null ? List.of() : texts.stream().map(byte[]::clone).toList();
            rdata = rdata == null ? new byte[0] : rdata.clone();
        }

        public static ResourceRecord ptr(String name, int dnsClass, long ttl, String target) {
            return new ResourceRecord(name, TYPE_PTR, dnsClass, ttl, Objects.requireNonNull(target), List.of(), null);
        }

        public static ResourceRecord txt(String name, int dnsClass, long ttl, List<String> strings) {
            return new ResourceRecord(name, TYPE_TXT, dnsClass, ttl, null,
                    strings.stream().map(s -> s.getBytes(StandardCharsets.UTF_8)).toList(), null);
        }

        /** The TXT strings as UTF-8 text (invalid sequences replaced). */
        public List<String> textStrings() {
            return texts.stream().map(b -> new String(b, StandardCharsets.UTF_8)).toList();
        }

        @Override
        public byte[] rdata() {
            return rdata.clone();
        }

        @Override
        public List<byte[]> texts() {
            return texts.stream().map(byte[]::clone).toList();
        }

        @Override
        public boolean equals(Object o) {
            if (!(o instanceof ResourceRecord r)) {
                return false;
            }
            if (texts.size() != r.texts.size()) {
                return false;
            }
            for (int i = 0; i < texts.size(); i++) {
                if (!Arrays.equals(texts.get(i), r.texts.get(i))) {
                    return false;
                }
            }
            return name.equals(r.name) && type == r.type && dnsClass == r.dnsClass && ttl == r.ttl
                    && Objects.equals(target, r.target) && Arrays.equals(rdata, r.rdata);
        }

        @Override
        public int hashCode() {
            return Objects.hash(name, type, dnsClass, ttl, target, texts.size(), Arrays.hashCode(rdata));
        }

        @Override
        public String toString() {
            return name + " " + type + " " + (target != null ? target : type == TYPE_TXT ? textStrings() : rdata.length + " bytes");
        }
    }
}
