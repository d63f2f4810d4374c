package io.hivemesh.api;

/**
 * The one unchecked base of every Hivemesh exception. Subtypes say which side is at fault:
 * malformed input from outside (a peer, a file, an operator) is a {@code MultiformatException} or
 * another specific subtype, never a bare {@code RuntimeException}. Messages name the problem and,
 * where there is one, the offending value or position.
 */
public class HivemeshException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public HivemeshException(String message) {
        super(message);
    }

    public HivemeshException(String message, Throwable cause) {
        super(message, cause);
    }
}
