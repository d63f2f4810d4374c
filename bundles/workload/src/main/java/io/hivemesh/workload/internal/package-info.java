/**
 * The machine plane's plain classes: tasks and their store, capacity and reservations, node key
 * records, scheduling, the owner, worker and share-holder flows, healing; the DS component is a thin
 * shell over them. Private to the bundle.
 */
package io.hivemesh.workload.internal;
