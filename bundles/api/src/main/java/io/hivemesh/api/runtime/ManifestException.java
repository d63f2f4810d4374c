package io.hivemesh.api.runtime;

/** A manifest is invalid; the message names the document, the field path and what is wrong. */
public class ManifestException extends RuntimeEngineException {
    private static final long serialVersionUID = 1L;

    public ManifestException(String message) {
        super(message);
    }
}
