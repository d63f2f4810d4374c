package io.hivemesh.workload.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

import java.time.Duration;
import java.util.Optional;

/**
 * The machine plane's configuration (PID {@value #PID}, {@code etc/io.hivemesh.workload.cfg}).
 * Declarative Services maps a double '__' in a method name to '_' in the key (OSGi Compendium
 * 112.8.2.1): {@code bid__window__ms()} reads {@code bid_window_ms}.
 */
public final class WorkloadConfig {
    public static final String PID = "io.hivemesh.workload";

    private WorkloadConfig() {
    }

    @ObjectClassDefinition(name = "Hivemesh machine plane",
            description = "Tenders, bids and awards, key shares, heartbeats, healing and the node's capacity.")
    public @interface Config {
        @AttributeDefinition(description = "Tenant the tasks applied on this node belong to (task id = hash of tenant and metadata.name).")
        String tenant() default "default";

        @AttributeDefinition(description = "How long an owner collects bids after publishing a tender (ms).")
        long bid__window__ms() default 250;

        @AttributeDefinition(description = "Status check, heartbeat and repair interval (ms).")
        long heartbeat__interval__ms() default 2000;

        @AttributeDefinition(description = "A replica's node unheard of and disconnected this long is lost; its replica is rescheduled (ms).")
        long node__grace__ms() default 10000;

        @AttributeDefinition(description = "First and longest wait before re-tendering replicas nobody had room for (ms).")
        long retender__min__ms() default 1000;

        @AttributeDefinition(description = "Longest wait between re-tenders (ms).")
        long retender__max__ms() default 30000;

        @AttributeDefinition(description = "Most key-share holders per task generation (threshold k = max(2, n/2+1)).")
        int max__holders() default 5;

        @AttributeDefinition(description = "Lifetime of the capability an awarded node presents to the share holders (s).")
        long capability__ttl__s() default 300;

        @AttributeDefinition(description = "Deadline of each machine-plane request (ms).")
        long request__timeout__ms() default 5000;

        @AttributeDefinition(description = "How long an awarded node may take to gather its shares and start before the owner gives the replica to another (ms).")
        long share__timeout__ms() default 20000;

        @AttributeDefinition(description = "Runtime engine for awarded replicas (empty: the preferred available one).")
        String engine() default "";

        @AttributeDefinition(description = "Whether this node bids on the tasks it owns itself.")
        boolean bid__on__own__tasks() default true;

        @AttributeDefinition(description = "CPU request assumed for a container without requests or limits (millicores).")
        long default__cpu__millis() default 100;

        @AttributeDefinition(description = "Memory request assumed for a container without requests or limits (bytes).")
        long default__memory__bytes() default 134217728L;

        @AttributeDefinition(description = "A task's owner neither connected nor heard from this long is gone: its guardians take over healing the task (ms).")
        long owner__grace__ms() default 30000;

        @AttributeDefinition(description = "CPU this node offers (millicores); 0: measured from cgroups and /proc, minus the reserve.")
        long capacity__cpu__millis() default 0;

        @AttributeDefinition(description = "Memory this node offers (bytes); 0: measured from cgroups and /proc, minus the reserve.")
        long capacity__memory__bytes() default 0;

        @AttributeDefinition(description = "Share of the measured capacity kept back for the node itself (percent).")
        int reserve__percent() default 10;
    }

    static MachineSettings settings(Config c) {
        return new MachineSettings(c.tenant(), Duration.ofMillis(c.bid__window__ms()),
                Duration.ofMillis(c.heartbeat__interval__ms()), Duration.ofMillis(c.node__grace__ms()),
                Duration.ofMillis(c.retender__min__ms()), Duration.ofMillis(c.retender__max__ms()), c.max__holders(),
                Duration.ofSeconds(c.capability__ttl__s()), Duration.ofMillis(c.request__timeout__ms()),
                Duration.ofMillis(c.share__timeout__ms()),
                c.engine().isBlank() ? Optional.empty() : Optional.of(c.engine().trim()), c.bid__on__own__tasks(),
                c.default__cpu__millis(), c.default__memory__bytes(), Duration.ofMillis(c.owner__grace__ms()));
    }
}
