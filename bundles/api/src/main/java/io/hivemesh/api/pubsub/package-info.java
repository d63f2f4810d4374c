/**
 * Publish/subscribe contracts: the {@link io.hivemesh.api.pubsub.PubSub} service (gossipsub),
 * bounded {@link io.hivemesh.api.pubsub.Subscription}s, and the
 * {@link io.hivemesh.api.pubsub.TopicValidator} whiteboard.
 */
@Export
@Version("0.2.0")
package io.hivemesh.api.pubsub;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
