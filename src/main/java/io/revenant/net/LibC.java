package io.revenant.net;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;

/** The few libc calls the JDK does not offer. Every method sets errno through {@link LastErrorException}. */
interface LibC extends Library {

    LibC INSTANCE = Native.load("c", LibC.class);

    int prctl(int option, long arg2, long arg3, long arg4, long arg5) throws LastErrorException;

    int getppid();

    void _exit(int status);

    int kill(int pid, int signal) throws LastErrorException;

    int waitpid(int pid, IntByReference status, int options) throws LastErrorException;

    long sysconf(int name) throws LastErrorException;

    int getsockopt(int fd, int level, int option, IntByReference value, IntByReference length) throws LastErrorException;

    int getsockname(int fd, Pointer address, IntByReference length) throws LastErrorException;
}
