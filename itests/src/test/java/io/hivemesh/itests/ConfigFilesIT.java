package io.hivemesh.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.InputStream;
import java.io.Reader;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * Every key of every shipped {@code etc/io.hivemesh.*.cfg} is one its component reads. Declarative
 * Services maps a configuration method name to a property name (OSGi Compendium 112.8.2.2: a single
 * {@code _} becomes {@code .}, {@code __} becomes {@code _}), and so does the metatype bnd generates
 * from the same annotation: a method {@code low_water()} reads {@code low.water}, and a file line
 * {@code low_water = 8} would be silently ignored. This test compares the files in the running
 * node's {@code etc/} with the attribute ids of the bundles' metatype.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ConfigFilesIT extends KarafTestSupport {

    @Configuration
    public Option[] config() {
        return distribution();
    }

    /** PID → attribute ids, from every Hivemesh bundle's OSGI-INF/metatype. */
    private Map<String, Set<String>> metatype() throws Exception {
        Map<String, Set<String>> byOcd = new HashMap<>();
        Map<String, String> pidToOcd = new HashMap<>();
        for (Bundle b : bundleContext.getBundles()) {
            if (!b.getSymbolicName().startsWith("io.hivemesh.")) {
                continue;
            }
            Enumeration<URL> xmls = b.findEntries("OSGI-INF/metatype", "*.xml", false);
            while (xmls != null && xmls.hasMoreElements()) {
                Document d;
                try (InputStream in = xmls.nextElement().openStream()) {
                    DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
                    f.setNamespaceAware(true);
                    d = f.newDocumentBuilder().parse(in);
                }
                NodeList ocds = d.getElementsByTagNameNS("*", "OCD");
                if (ocds.getLength() == 0) {
                    ocds = d.getElementsByTagName("OCD");
                }
                for (int i = 0; i < ocds.getLength(); i++) {
                    Element ocd = (Element) ocds.item(i);
                    Set<String> ids = new TreeSet<>();
                    NodeList ads = ocd.getElementsByTagName("AD");
                    for (int j = 0; j < ads.getLength(); j++) {
                        ids.add(((Element) ads.item(j)).getAttribute("id"));
                    }
                    byOcd.put(ocd.getAttribute("id"), ids);
                }
                NodeList designates = d.getElementsByTagName("Designate");
                for (int i = 0; i < designates.getLength(); i++) {
                    Element des = (Element) designates.item(i);
                    Element obj = (Element) des.getElementsByTagName("Object").item(0);
                    pidToOcd.put(des.getAttribute("pid"), obj.getAttribute("ocdref"));
                }
            }
        }
        Map<String, Set<String>> out = new TreeMap<>();
        pidToOcd.forEach((pid, ocd) -> out.put(pid, byOcd.getOrDefault(ocd, Set.of())));
        return out;
    }

    @Test
    public void everyKeyOfEveryShippedConfigFileIsReadByItsComponent() throws Exception {
        Map<String, Set<String>> meta = metatype();
        assertTrue("metatype found for the DHT, discovery and pubsub: " + meta.keySet(),
                meta.keySet().containsAll(Set.of("io.hivemesh.dht", "io.hivemesh.discovery", "io.hivemesh.pubsub",
                        "io.hivemesh.transport", "io.hivemesh.transport.limits")));
        Path etc = Path.of(System.getProperty("karaf.etc"));
        int checked = 0;
        for (Map.Entry<String, Set<String>> e : meta.entrySet()) {
            Path file = etc.resolve(e.getKey() + ".cfg");
            if (!Files.isRegularFile(file)) {
                continue;
            }
            Properties p = new Properties();
            try (Reader r = Files.newBufferedReader(file)) {
                p.load(r);
            }
            Set<String> unread = new TreeSet<>(p.stringPropertyNames());
            unread.removeAll(e.getValue());
            assertEquals("keys of " + file.getFileName() + " that no configuration method reads (the component reads "
                    + e.getValue() + ")", Set.of(), unread);
            checked++;
        }
        assertTrue("at least the five files with multi-word keys were checked: " + checked, checked >= 5);
    }
}
