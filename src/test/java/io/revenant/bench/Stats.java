package io.revenant.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Min, median and max of a series of millisecond figures. */
record Stats(int count, double min, double median, double max) {

    static Stats of(List<Double> values) {
        if (values.isEmpty()) {
            return new Stats(0, Double.NaN, Double.NaN, Double.NaN);
        }
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        double median = n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
        return new Stats(n, sorted.getFirst(), median, sorted.getLast());
    }

    /** {@code 183 ms (min 150, max 240, n=12)} */
    String ms() {
        if (count == 0) {
            return "no sample";
        }
        return String.format("%.0f ms (min %.0f, max %.0f, n=%d)", median, min, max, count);
    }

    /** {@code 1.8 ms (min 1.2, max 4.0, n=12)}: for figures of a few milliseconds. */
    String msFine() {
        if (count == 0) {
            return "no sample";
        }
        return String.format("%.1f ms (min %.1f, max %.1f, n=%d)", median, min, max, count);
    }
}
