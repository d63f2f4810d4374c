/**
 * For runtime engine implementations: {@link io.hivemesh.runtime.spi.AbstractRuntimeEngine} (name,
 * validation, executor plumbing), {@link io.hivemesh.runtime.spi.ContainerRuntimeEngine} (the shared
 * orchestration of engines over a container runtime found by label: status, list, logs, following
 * logs with its end-of-stream check, failed-deploy clean-up), {@link io.hivemesh.runtime.spi.ForwardingRuntimeEngine}
 * (the base of the DS shells that keep only config and lifecycle) and {@link io.hivemesh.runtime.spi.EngineThreads}.
 */
@Export
@Version("0.1.0")
package io.hivemesh.runtime.spi;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
