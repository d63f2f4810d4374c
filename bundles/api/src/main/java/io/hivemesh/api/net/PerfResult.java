package io.hivemesh.api.net;

import java.time.Duration;

/**
 * One libp2p perf exchange ({@code /perf/1.0.0}) on one stream: the client uploads, half-closes, then
 * downloads. The upload phase runs from the first byte written until the first byte of the download
 * arrives (the server answers only after reading the whole upload; when nothing is downloaded, until
 * the end of the stream); the download phase from that first byte to the end of the stream.
 *
 * @param uploaded   bytes sent to the peer
 * @param downloaded bytes received from the peer
 * @param upload     time of the upload phase
 * @param download   time of the download phase
 * @param total      the whole exchange, stream already open
 */
public record PerfResult(long uploaded, long downloaded, Duration upload, Duration download, Duration total) {

    /** Upload throughput in MiB/s (0 when nothing was uploaded). */
    public double uploadMiBps() {
        return mibps(uploaded, upload);
    }

    /** Download throughput in MiB/s (0 when nothing was downloaded). */
    public double downloadMiBps() {
        return mibps(downloaded, download);
    }

    private static double mibps(long bytes, Duration d) {
        long nanos = Math.max(1, d.toNanos());
        return bytes == 0 ? 0 : bytes / 1048576.0 / (nanos / 1e9);
    }
}
