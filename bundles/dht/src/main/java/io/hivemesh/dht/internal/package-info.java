/** The Kademlia DHT implementation (private to the bundle). */
package io.hivemesh.dht.internal;
