/**
 * The machine plane as a service: what the REST and Kubernetes API (and any other front end) asks
 * of it, per tenant. Implemented by the workload bundle.
 */
@Export
@Version("0.1.0")
package io.hivemesh.api.workload;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
