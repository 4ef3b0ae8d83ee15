/**
 * The contract between the supervisor and its worker JVMs, and nothing else: what a worker is
 * told at spawn ({@link io.revenant.protocol.WorkerSettings}, the descriptor hand-over included),
 * what it says back on the notify socket and what the supervisor answers
 * ({@link io.revenant.protocol.Notice}, {@link io.revenant.protocol.Command}, one codec each),
 * the exit codes both sides read, and the health probe. Both sides import this package; the
 * supervisor imports nothing of {@code io.revenant.worker}, so a change to a worker's internals
 * cannot change what the supervisor expects of it.
 */
package io.revenant.protocol;
