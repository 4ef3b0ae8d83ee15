package io.revenant.net;

import com.sun.jna.LastErrorException;
import com.sun.jna.ptr.IntByReference;

/** Process-level system calls: signals beyond TERM/KILL, prctl, reaping orphans by pid. */
public final class Processes {

    private static final int PR_SET_PDEATHSIG = 1;
    private static final int PR_SET_CHILD_SUBREAPER = 36;
    private static final int WNOHANG = 1;
    private static final int ECHILD = 10;
    private static final int ESRCH = 3;
    private static final int SC_NPROCESSORS_ONLN = 84;

    private Processes() {
    }

    /**
     * Asks the kernel to send {@code signal} to this process when its parent <em>thread</em> dies,
     * then checks the parent is still the expected one (it may have died before the call).
     *
     * @return false if the parent is already gone (the caller should exit)
     */
    public static boolean dieWithParent(Signal signal, long expectedParentPid) {
        try {
            LibC.INSTANCE.prctl(PR_SET_PDEATHSIG, signal.number(), 0, 0, 0);
        } catch (LastErrorException e) {
            throw new NativeCallException("prctl(PR_SET_PDEATHSIG)", e);
        }
        return LibC.INSTANCE.getppid() == expectedParentPid;
    }

    /**
     * Ends this process at once with {@code code} (_exit(2)): no shutdown hooks, no waiting. The
     * JVM's own {@code Runtime.halt} was measured to take ~300 ms to end the process while
     * threads sit in native calls, which is not what a crash looks like.
     */
    public static void exitNow(int code) {
        LibC.INSTANCE._exit(code);
    }

    /** Makes this process inherit orphaned descendants, as PID 1 does (PR_SET_CHILD_SUBREAPER). */
    public static void becomeChildSubreaper() {
        try {
            LibC.INSTANCE.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
        } catch (LastErrorException e) {
            throw new NativeCallException("prctl(PR_SET_CHILD_SUBREAPER)", e);
        }
    }

    /**
     * Sends a signal.
     *
     * @return false if the process no longer exists (ESRCH)
     */
    public static boolean signal(long pid, Signal signal) {
        try {
            LibC.INSTANCE.kill((int) pid, signal.number());
            return true;
        } catch (LastErrorException e) {
            if (e.getErrorCode() == ESRCH) {
                return false;
            }
            throw new NativeCallException("kill(" + pid + ", SIG" + signal.name() + ")", e);
        }
    }

    /**
     * Collects the exit status of a child that has ended, without blocking. Only for processes
     * the JDK did not start: reaping one of the JDK's would steal its exit status.
     *
     * @return the raw wait status, or -1 if the child is still running or not ours
     */
    public static int reapIfExited(long pid) {
        IntByReference status = new IntByReference();
        try {
            int result = LibC.INSTANCE.waitpid((int) pid, status, WNOHANG);
            return result == pid ? status.getValue() : -1;
        } catch (LastErrorException e) {
            if (e.getErrorCode() == ECHILD) {
                return -1;
            }
            throw new NativeCallException("waitpid(" + pid + ", WNOHANG)", e);
        }
    }

    /** CPUs online on the host, ignoring any container quota (sysconf(_SC_NPROCESSORS_ONLN)). */
    public static int onlineCpus() {
        try {
            return (int) LibC.INSTANCE.sysconf(SC_NPROCESSORS_ONLN);
        } catch (LastErrorException e) {
            throw new NativeCallException("sysconf(_SC_NPROCESSORS_ONLN)", e);
        }
    }
}
