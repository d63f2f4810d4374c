/** Peer discovery and the connection manager (private to the bundle). */
package io.hivemesh.discovery.internal;
