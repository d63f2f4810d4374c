/** The podman runtime engine (private). */
package io.hivemesh.runtime.podman.internal;
