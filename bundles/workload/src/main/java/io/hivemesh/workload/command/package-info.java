/** The {@code workload:*} shell commands: thin over {@link io.hivemesh.workload.internal.WorkloadService}. */
package io.hivemesh.workload.command;
