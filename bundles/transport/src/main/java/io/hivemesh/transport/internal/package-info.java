/** The libp2p host implementation (private to the bundle). */
package io.hivemesh.transport.internal;
