package io.hivemesh.rest.internal.tls;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SubjectNamesTest {
    @Test
    void parsesNamesAndAddresses() {
        assertEquals("DNS:node.example.test", SubjectNames.parse("Node.Example.TEST"));
        assertEquals("DNS:node", SubjectNames.parse("DNS:node"));
        assertEquals("IP:192.168.1.20", SubjectNames.parse("192.168.1.20"));
        assertEquals("IP:0:0:0:0:0:0:0:1", SubjectNames.parse("::1"));
        assertEquals("IP:10.0.0.1", SubjectNames.parse("IP:10.0.0.1"));
    }

    @Test
    void refusesWhatIsNeither() {
        for (String bad : new String[] {"", "a b", "bad_name", "-x.test", "x..test", "999.1.1.1", "1.2.3.4.5.6",
                "fe80::zz", "a".repeat(64) + ".test", "x/y"}) {
            assertThrows(IllegalArgumentException.class, () -> SubjectNames.parse(bad), bad);
        }
    }
}
