package io.hivemesh.workload.internal;

import io.hivemesh.api.routing.RecordValidator;
import org.osgi.service.component.annotations.Component;

import java.time.Clock;
import java.util.List;

/**
 * Offers {@link NodeKeysValidator} to the DHT's validator whiteboard for namespace
 * {@value NodeKeysRecords#NAMESPACE}, so that the DHT stores and returns only node key records
 * signed by the node they name.
 */
@Component(service = RecordValidator.class, property = RecordValidator.NAMESPACE + "=" + NodeKeysRecords.NAMESPACE)
public final class NodeKeysValidatorComponent implements RecordValidator {
    private final NodeKeysValidator validator = new NodeKeysValidator(Clock.systemUTC());

    @Override
    public void validate(byte[] key, byte[] value) {
        validator.validate(key, value);
    }

    @Override
    public int select(byte[] key, List<byte[]> values) {
        return validator.select(key, values);
    }
}
