package io.hivemesh.runtime.manifest;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.hivemesh.api.runtime.ManifestException;

class ManifestsFuzzTest {
    /** Any input either parses into documents or fails with a ManifestException; nothing else escapes. */
    @FuzzTest(maxDuration = "10s")
    void parseNeverThrowsAnythingElse(byte[] input) {
        try {
            Manifests.parse(new String(input, java.nio.charset.StandardCharsets.UTF_8));
        } catch (ManifestException expected) {
            // the contract: a clear error, nothing else
        }
    }
}
