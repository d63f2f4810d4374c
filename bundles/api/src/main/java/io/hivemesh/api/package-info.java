/**
 * Hivemesh API root: the unchecked exception base shared by every Hivemesh bundle.
 */
@Export
@Version("0.1.0")
package io.hivemesh.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
