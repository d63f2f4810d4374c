package io.hivemesh.rest.internal.tls;

import org.bouncycastle.asn1.x509.GeneralName;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The subject alternative names of the serving certificate: {@code DNS:localhost},
 * {@code IP:127.0.0.1}, {@code IP:::1}, the host name, the machine's non-loopback addresses and
 * extra names from the configuration ({@code tls_san}). Each name is a string {@code DNS:x} or
 * {@code IP:x}, in a stable order, so that two sets compare equal when the names are the same.
 */
public final class SubjectNames {
    private static final Pattern DNS_NAME = Pattern.compile(
            "(\\*\\.)?[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*");

    /**
     * Interfaces that container runtimes and hypervisors create and remove (a pod's veth, podman's
     * bridge): their addresses are not the node's, and naming them would issue a new serving
     * certificate (and restart Pax Web) whenever a pod starts or stops.
     */
    private static final Pattern VIRTUAL = Pattern.compile("(veth|cni|podman|docker|virbr|br-|vnet|tap|tun).*");

    private SubjectNames() {
    }

    /** The names for this machine plus {@code extra} (each a host name or an IP address). */
    public static Set<String> forThisMachine(List<String> extra) {
        Set<String> names = new LinkedHashSet<>();
        names.add("DNS:localhost");
        names.add("IP:127.0.0.1");
        names.add("IP:0:0:0:0:0:0:0:1");
        try {
            String host = InetAddress.getLocalHost().getHostName();
            if (host != null && DNS_NAME.matcher(host).matches() && !isIp(host)) {
                names.add("DNS:" + host.toLowerCase(Locale.ROOT));
            }
        } catch (UnknownHostException e) {
            // no resolvable host name: the addresses below still name the machine
        }
        try {
            for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (!ni.isUp() || ni.isVirtual() || ni.isLoopback() || VIRTUAL.matcher(ni.getName()).matches()) {
                    continue;
                }
                for (InetAddress a : Collections.list(ni.getInetAddresses())) {
                    if (!a.isLoopbackAddress() && !a.isLinkLocalAddress()) {
                        names.add("IP:" + InetAddress.getByAddress(a.getAddress()).getHostAddress());
                    }
                }
            }
        } catch (SocketException | UnknownHostException e) {
            // no interface list: loopback and the host name only
        }
        for (String e : extra) {
            names.add(parse(e));
        }
        return names;
    }

    /** {@code name} (a host name, an IP address, or already {@code DNS:}/{@code IP:}) as a SAN string. */
    public static String parse(String name) {
        String n = name.strip();
        if (n.startsWith("DNS:")) {
            n = n.substring(4);
        } else if (n.startsWith("IP:")) {
            n = n.substring(3);
        }
        if (isIp(n)) {
            try {
                return "IP:" + InetAddress.getByName(n).getHostAddress();
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("not an IP address: " + name, e);
            }
        }
        if (n.length() > 253 || !DNS_NAME.matcher(n).matches() || n.matches("[0-9.]+")) {
            throw new IllegalArgumentException("tls_san: \"" + name + "\" is neither a DNS name nor an IP address");
        }
        return "DNS:" + n.toLowerCase(Locale.ROOT);
    }

    /** The names as X.509 general names. */
    public static List<GeneralName> generalNames(Set<String> names) {
        List<GeneralName> out = new ArrayList<>();
        for (String n : names) {
            if (n.startsWith("IP:")) {
                out.add(new GeneralName(GeneralName.iPAddress, n.substring(3)));
            } else {
                out.add(new GeneralName(GeneralName.dNSName, n.substring(4)));
            }
        }
        return out;
    }

    /** The SAN strings of a certificate (the same form as {@link #forThisMachine}). */
    public static Set<String> of(java.security.cert.X509Certificate cert) {
        Set<String> out = new LinkedHashSet<>();
        try {
            if (cert.getSubjectAlternativeNames() == null) {
                return out;
            }
            for (List<?> san : cert.getSubjectAlternativeNames()) {
                int type = (Integer) san.get(0);
                String v = String.valueOf(san.get(1));
                if (type == GeneralName.dNSName) {
                    out.add("DNS:" + v);
                } else if (type == GeneralName.iPAddress) {
                    out.add("IP:" + InetAddress.getByName(v).getHostAddress());
                }
            }
        } catch (java.security.cert.CertificateParsingException | UnknownHostException e) {
            throw new IllegalArgumentException("unreadable subject alternative names: " + e.getMessage(), e);
        }
        return out;
    }

    /** An IPv4 dotted quad (each part 0..255) or anything with a colon (an IPv6 literal, never looked up). */
    private static boolean isIp(String s) {
        if (s.contains(":")) {
            return s.matches("[0-9A-Fa-f:.]+");
        }
        String[] parts = s.split("\\.", -1);
        if (parts.length != 4) {
            return false;
        }
        for (String p : parts) {
            if (!p.matches("[0-9]{1,3}") || Integer.parseInt(p) > 255) {
                return false;
            }
        }
        return true;
    }
}
