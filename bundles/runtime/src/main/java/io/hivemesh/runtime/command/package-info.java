/** Karaf shell commands of scope {@code runtime}: thin layers over {@link io.hivemesh.api.runtime.RuntimeEngines}. */
package io.hivemesh.runtime.command;
