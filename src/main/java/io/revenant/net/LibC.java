package io.revenant.net;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;

/**
 * The few libc calls the JDK does not offer. Every method sets errno through {@link LastErrorException}.
 * {@code ssize_t} results are Java {@code long}: Revenant runs on 64-bit Linux (LP64) only.
 */
interface LibC extends Library {

    LibC INSTANCE = Native.load("c", LibC.class);

    int prctl(int option, long arg2, long arg3, long arg4, long arg5) throws LastErrorException;

    int getppid();

    int getuid();

    void _exit(int status);

    int kill(int pid, int signal) throws LastErrorException;

    /** signal(2): returns the previous handler; {@code null} is SIG_DFL. */
    Pointer signal(int signal, Pointer handler) throws LastErrorException;

    int waitpid(int pid, IntByReference status, int options) throws LastErrorException;

    long sysconf(int name) throws LastErrorException;

    int getsockopt(int fd, int level, int option, IntByReference value, IntByReference length) throws LastErrorException;

    int getsockopt(int fd, int level, int option, Pointer value, IntByReference length) throws LastErrorException;

    int setsockopt(int fd, int level, int option, IntByReference value, int length) throws LastErrorException;

    int setsockopt(int fd, int level, int option, Pointer value, int length) throws LastErrorException;

    int getsockname(int fd, Pointer address, IntByReference length) throws LastErrorException;

    int socket(int domain, int type, int protocol) throws LastErrorException;

    int bind(int fd, Pointer address, int length) throws LastErrorException;

    int listen(int fd, int backlog) throws LastErrorException;

    int connect(int fd, Pointer address, int length) throws LastErrorException;

    int accept4(int fd, Pointer address, Pointer length, int flags) throws LastErrorException;

    int shutdown(int fd, int how) throws LastErrorException;

    long sendmsg(int fd, Pointer message, int flags) throws LastErrorException;

    long recvmsg(int fd, Pointer message, int flags) throws LastErrorException;

    int dup2(int oldFd, int newFd) throws LastErrorException;

    int close(int fd) throws LastErrorException;

    long read(int fd, byte[] buffer, long count) throws LastErrorException;

    long send(int fd, byte[] buffer, long length, int flags) throws LastErrorException;

    /** For system calls glibc 2.36 has no wrapper for (pidfd_open). */
    long syscall(long number, long arg1, long arg2) throws LastErrorException;

    int poll(Pointer fds, long count, int timeoutMs) throws LastErrorException;
}
