/** Karaf shell commands of scope {@code mesh}: private to the bundle. */
package io.hivemesh.shell.command;
