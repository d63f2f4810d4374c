/** The Docker Engine API runtime engine (private). */
package io.hivemesh.runtime.docker.internal;
