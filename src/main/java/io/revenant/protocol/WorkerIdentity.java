package io.revenant.protocol;

import jakarta.json.JsonObject;

/**
 * Who a worker is, as the supervisor told it at spawn. Routes show it so a user can watch a
 * killed worker come back with a new id under the same instance id.
 *
 * @param instance the supervisor's id for this run (UUID v4)
 * @param worker   worker id, counting up for the life of the supervisor, never reused
 * @param slot     position in the pool (1-based); a replacement takes the dead worker's slot
 * @param pid      the worker's operating-system process id
 * @param version  application version (the image tag in containers)
 */
public record WorkerIdentity(String instance, long worker, int slot, long pid, String version) {

    /** The JSON body shared by {@code GET /} and {@code POST /chaos/kill}. */
    public JsonObject toJson() {
        return JsonText.object().add("instance", instance).add("worker", worker).add("slot", slot).add("pid", pid)
                .add("version", version).build();
    }
}
