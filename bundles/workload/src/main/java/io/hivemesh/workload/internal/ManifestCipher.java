package io.hivemesh.workload.internal;

import io.hivemesh.protocol.MachineMessage.ManifestDelivery;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;

/**
 * The manifest encrypted once per task generation: AES-256-GCM under a fresh random key, 96-bit
 * random nonce, associated data binding it to the task id, generation, tenant and name (so a
 * ciphertext cannot be replayed under another task or generation).
 */
public final class ManifestCipher {
    public static final int KEY_BYTES = 32;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final SecureRandom random;

    public ManifestCipher(SecureRandom random) {
        this.random = random;
    }

    /** A fresh manifest key. */
    public byte[] newKey() {
        byte[] key = new byte[KEY_BYTES];
        random.nextBytes(key);
        return key;
    }

    /** Encrypts {@code manifestYaml} under {@code key} for the task generation. */
    public ManifestDelivery seal(byte[] key, String taskId, long generation, String tenant, String name,
                                 String manifestYaml) {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            Cipher c = cipher(Cipher.ENCRYPT_MODE, key, nonce);
            c.updateAAD(aad(taskId, generation, tenant, name));
            byte[] ct = c.doFinal(manifestYaml.getBytes(StandardCharsets.UTF_8));
            return new ManifestDelivery(taskId, generation, tenant, name, nonce, ct);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available: " + e.getMessage(), e);
        }
    }

    /** Decrypts a delivery; throws {@link WorkloadException} when the key or any bound field is wrong. */
    public static String open(byte[] key, ManifestDelivery d) {
        if (key.length != KEY_BYTES || d.nonce().length != NONCE_BYTES) {
            throw new WorkloadException("manifest of task " + d.taskId() + ": bad key or nonce length");
        }
        try {
            Cipher c = cipher(Cipher.DECRYPT_MODE, key, d.nonce());
            c.updateAAD(aad(d.taskId(), d.generation(), d.tenant(), d.name()));
            return new String(c.doFinal(d.ciphertext()), StandardCharsets.UTF_8);
        } catch (AEADBadTagException e) {
            throw new WorkloadException("manifest of task " + d.taskId() + " generation " + d.generation()
                    + " does not open with the reconstructed key (wrong shares or tampered ciphertext)");
        } catch (GeneralSecurityException e) {
            throw new WorkloadException("manifest of task " + d.taskId() + " does not decrypt: " + e.getMessage());
        }
    }

    private static Cipher cipher(int mode, byte[] key, byte[] nonce) throws GeneralSecurityException {
        Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
        c.init(mode, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_BITS, nonce));
        return c;
    }

    private static byte[] aad(String taskId, long generation, String tenant, String name) {
        return ("hivemesh-manifest:" + taskId + "/" + generation + "/" + tenant + "/" + name)
                .getBytes(StandardCharsets.UTF_8);
    }
}
