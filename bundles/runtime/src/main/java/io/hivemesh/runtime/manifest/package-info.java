/**
 * Kubernetes manifests as the runtime engines run them: {@link io.hivemesh.runtime.manifest.Manifests}
 * parses and validates (possibly multi-document) YAML into {@link io.hivemesh.runtime.manifest.ManifestDocument}s,
 * {@link io.hivemesh.runtime.manifest.PodPlan} turns them with a deploy config into the labelled pods
 * an engine creates, and {@link io.hivemesh.runtime.manifest.WorkloadStatuses} turns what a runtime
 * reports about containers back into one workload status. Shared by every engine bundle.
 */
@Export
@Version("0.1.0")
package io.hivemesh.runtime.manifest;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
