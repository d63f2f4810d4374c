/** Implementation of the crypto bundle: private to the bundle. */
package io.hivemesh.crypto.internal;
