package io.hivemesh.api.peer;

import io.hivemesh.api.multiformats.MultiformatException;

/** The libp2p key types, with their numbers in the libp2p {@code KeyType} protobuf enum. */
public enum KeyType {
    /** RSA; public key as DER PKIX, private key as DER PKCS#1. */
    RSA(0),
    /** Ed25519; 32-byte public key, private key as 32-byte seed followed by the public key. */
    ED25519(1),
    /** secp256k1; public key as a SEC 1 point (33 bytes compressed), private key 32 bytes. */
    SECP256K1(2),
    /** ECDSA; public key as DER PKIX, private key as DER. */
    ECDSA(3);

    private final int number;

    KeyType(int number) {
        this.number = number;
    }

    /** The protobuf enum number. */
    public int number() {
        return number;
    }

    /**
     * The key type with protobuf enum number {@code number}.
     *
     * @throws MultiformatException if no key type has that number
     */
    public static KeyType of(int number) {
        for (KeyType t : values()) {
            if (t.number == number) {
                return t;
            }
        }
        throw new MultiformatException("key type: unknown number " + number);
    }
}
