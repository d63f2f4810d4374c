package io.hivemesh.api.multiformats;

import static io.hivemesh.api.multiformats.Errors.assertRejected;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HexFormat;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class IpTextTest {
    private static final HexFormat HEX = HexFormat.of();

    @ParameterizedTest
    @CsvSource({
        "0.0.0.0, 00000000",
        "192.168.0.1, c0a80001",
        "255.255.255.255, ffffffff",
        "10.0.100.9, 0a006409",
    })
    void ip4(String text, String hex) {
        assertEquals(hex, HEX.formatHex(IpText.parseIp4(text)));
        assertEquals(text, IpText.formatIp4(HEX.parseHex(hex), 0));
    }

    @ParameterizedTest
    @ValueSource(strings = {"256.0.0.1", "1.2.3", "1.2.3.4.5", "01.2.3.4", " 1.2.3.4", "1.2.3.4 ", "a.b.c.d",
        "-1.2.3.4", "1..2.3", "", "1.2.3.", "1234.1.1.1", "١.2.3.4"})
    void invalidIp4(String text) {
        assertRejected(() -> IpText.parseIp4(text));
    }

    /** Text forms of RFC 4291 section 2.2 and their RFC 5952 canonical form. */
    @ParameterizedTest
    @CsvSource({
        "2001:0DB8:0000:0000:0000:0000:0000:0001, 20010db8000000000000000000000001, 2001:db8::1",
        "::, 00000000000000000000000000000000, ::",
        "::1, 00000000000000000000000000000001, ::1",
        "1::, 00010000000000000000000000000000, 1::",
        "2001:db8:0:1:1:1:1:1, 20010db8000000010001000100010001, 2001:db8:0:1:1:1:1:1",
        "2001:0:0:1:0:0:0:1, 20010000000000010000000000000001, 2001:0:0:1::1",
        "2001:db8:0:0:1:0:0:1, 20010db8000000000001000000000001, 2001:db8::1:0:0:1",
        "::ffff:1.2.3.4, 00000000000000000000ffff01020304, ::ffff:1.2.3.4",
        "::FFFF:102:304, 00000000000000000000ffff01020304, ::ffff:1.2.3.4",
        "::1.2.3.4, 00000000000000000000000001020304, ::102:304",
        "64:ff9b::192.0.2.33, 0064ff9b0000000000000000c0000221, 64:ff9b::c000:221",
        "ABCD::1:2:3:4:5:6, abcd0000000100020003000400050006, abcd:0:1:2:3:4:5:6",
        "1:2:3:4:5:6:7:8, 00010002000300040005000600070008, 1:2:3:4:5:6:7:8",
        "1:2:3:4:5:6::8, 00010002000300040005000600000008, 1:2:3:4:5:6:0:8",
        "1:2:3:4:5:6:1.2.3.4, 00010002000300040005000601020304, 1:2:3:4:5:6:102:304",
        "2001:8a0:7ac5:4201:3ac9:86ff:fe31:7095, 200108a07ac542013ac986fffe317095, 2001:8a0:7ac5:4201:3ac9:86ff:fe31:7095",
        "fe80::0:0:1, fe800000000000000000000000000001, fe80::1",
    })
    void ip6(String text, String hex, String canonical) {
        assertEquals(hex, HEX.formatHex(IpText.parseIp6(text)));
        assertEquals(canonical, IpText.formatIp6(HEX.parseHex(hex)));
        assertEquals(hex, HEX.formatHex(IpText.parseIp6(canonical)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"FFFF::GGGG", "1:2:3:4:5:6:7", "1:2:3:4:5:6:7:8:9", "1::2::3", ":1:2:3:4:5:6:7",
        "1:2:3:4:5:6:7:", "12345::", "1.2.3.4::", "::1.2.3", "fe80::1%eth0", "::ffff:256.1.1.1",
        "1:2:3:4:5:6:7::8", ":::", "1:::2", "", ":", "1.2.3.4", "::1.2.3.4:1", "1:2:3:4:5:6:7:1.2.3.4",
        " ::1", "::+1"})
    void invalidIp6(String text) {
        assertRejected(() -> IpText.parseIp6(text));
    }
}
