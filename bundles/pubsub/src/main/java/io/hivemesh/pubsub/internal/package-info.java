/** The gossipsub implementation (private to the bundle). */
package io.hivemesh.pubsub.internal;
