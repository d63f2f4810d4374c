/** Engine selection over the RuntimeEngine whiteboard (private). */
package io.hivemesh.runtime.internal;
