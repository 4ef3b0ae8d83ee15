package io.revenant.net;

import java.util.Map;

/** Linux signal numbers (x86-64/aarch64 values) and their names, for kill(2) and for exit causes. */
public enum Signal {
    HUP(1), INT(2), QUIT(3), KILL(9), USR1(10), SEGV(11), USR2(12), PIPE(13), TERM(15), CONT(18), STOP(19);

    private static final Map<Integer, Signal> BY_NUMBER = Map.ofEntries(
            java.util.Arrays.stream(values()).map(s -> Map.entry(s.number, s)).toArray(Map.Entry[]::new));

    private final int number;

    Signal(int number) {
        this.number = number;
    }

    public int number() {
        return number;
    }

    /** {@code "KILL"} for 9, {@code "SIG42"} for a number without a name here. */
    public static String name(int number) {
        Signal signal = BY_NUMBER.get(number);
        return signal == null ? "SIG" + number : signal.name();
    }
}
