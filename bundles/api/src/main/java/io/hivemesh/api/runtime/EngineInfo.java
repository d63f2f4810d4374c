package io.hivemesh.api.runtime;

/** Whether an engine's runtime answers, its version, and if not, why. */
public record EngineInfo(String engine, boolean available, String version, String reason) {
}
