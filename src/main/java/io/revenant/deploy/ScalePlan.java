package io.revenant.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The steps that take a running stack from the slots it has to {@code supervisor.containers}
 * slots 1 … desired, one container at a time: the pure part of {@link ScaleInPlace}. Slots above
 * the count go first, highest first, so that at every step the stack is slots 1 … k as a fresh
 * {@code make up} with k containers would make it (published ports, admin ports, nginx's upstream),
 * and an interrupted scale leaves a stack the next {@code make up} continues from. Missing slots
 * are then added lowest first, for the same reason.
 */
final class ScalePlan {

    private ScalePlan() {
    }

    enum Kind { ADD, REMOVE }

    /** One step: add or remove slot {@code slot}. */
    record Step(Kind kind, int slot) {

        @Override
        public String toString() {
            return (kind == Kind.ADD ? "add" : "remove") + " slot " + slot;
        }
    }

    /**
     * @param running slots that run now (holder and app container)
     * @param desired {@code supervisor.containers}, at least 1
     * @return the steps, empty when the running slots are already 1 … desired
     * @throws IllegalArgumentException for a desired count below 1 or a slot below 1
     */
    static List<Step> of(SortedSet<Integer> running, int desired) {
        if (desired < 1) {
            throw new IllegalArgumentException("supervisor.containers must be at least 1, got " + desired);
        }
        if (!running.isEmpty() && running.first() < 1) {
            throw new IllegalArgumentException("slots are numbered from 1, got " + running.first());
        }
        List<Step> steps = new ArrayList<>();
        for (int slot : new TreeSet<>(running).descendingSet()) {
            if (slot > desired) {
                steps.add(new Step(Kind.REMOVE, slot));
            }
        }
        for (int slot = 1; slot <= desired; slot++) {
            if (!running.contains(slot)) {
                steps.add(new Step(Kind.ADD, slot));
            }
        }
        return List.copyOf(steps);
    }

    /** The slots that run once {@code steps} are done, starting from {@code running}. */
    static SortedSet<Integer> after(SortedSet<Integer> running, List<Step> steps) {
        SortedSet<Integer> slots = new TreeSet<>(running);
        for (Step step : steps) {
            if (step.kind() == Kind.ADD) {
                slots.add(step.slot());
            } else {
                slots.remove(step.slot());
            }
        }
        return slots;
    }
}
