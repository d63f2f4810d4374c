/** The in-memory mock runtime engine (private): runs nothing. */
package io.hivemesh.runtime.mock.internal;
