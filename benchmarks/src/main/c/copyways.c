/*
 * copyways: the ways a writer can copy into a pipe without blocking in the kernel, beside the
 * blocking write(2), so that their costs can be compared where nothing else differs.
 *
 *   copyways TOTAL SEG WAY > pipe      WAY: write | nowait | twin | writev
 *
 *   write   write(2) on standard output, blocking (what pipebench w write does)
 *   nowait  pwritev2(RWF_NOWAIT) on standard output, poll(2) when the pipe is full (jsplice's copy path)
 *   twin    write(2) on a second, O_NONBLOCK open of the same pipe through /proc/self/fd/1, poll(2)
 *           when the pipe is full (jsplice's copy path where RWF_NOWAIT is refused)
 *   writev  writev(2) of one segment on standard output, blocking
 *
 * The pipe is set to 1 MiB. Prints the writer's own rate on standard error; take the reader's
 * (copyways TOTAL 4096 WAY | pipebench r read -s 4096 -p 1M -n TOTAL) for the figure.
 *
 *   gcc -O2 -o copyways benchmarks/src/main/c/copyways.c
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv) {
    if (argc != 4) {
        fprintf(stderr, "usage: copyways TOTAL SEG write|nowait|twin|writev\n");
        return 2;
    }
    long total = atol(argv[1]);
    long seg = atol(argv[2]);
    const char *way = argv[3];
    int nowait = !strcmp(way, "nowait"), twin = !strcmp(way, "twin"), vec = !strcmp(way, "writev");
    if (!nowait && !twin && !vec && strcmp(way, "write")) {
        fprintf(stderr, "copyways: unknown way %s\n", way);
        return 2;
    }
    if (fcntl(1, F_SETPIPE_SZ, 1 << 20) < 0) {
        perror("copyways: F_SETPIPE_SZ on standard output");
        return 1;
    }
    int fd = 1;
    if (twin) {
        fd = open("/proc/self/fd/1", O_WRONLY | O_NONBLOCK | O_CLOEXEC);
        if (fd < 0) {
            perror("copyways: open /proc/self/fd/1");
            return 1;
        }
    }
    char *buf = aligned_alloc(4096, (seg + 4095) / 4096 * 4096);
    memset(buf, 1, seg);
    long polls = 0;
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (long sent = 0; sent < total; ) {
        long len = seg < total - sent ? seg : total - sent; /* the last segment: what is left */
        long done = 0;
        while (done < len) {
            struct iovec iov = {buf + done, len - done};
            ssize_t r = nowait ? pwritev2(1, &iov, 1, -1, RWF_NOWAIT)
                      : vec    ? writev(1, &iov, 1)
                               : write(fd, buf + done, len - done);
            if (r < 0) {
                if (errno == EAGAIN) {
                    struct pollfd p = {fd, POLLOUT, 0};
                    poll(&p, 1, -1);
                    polls++;
                    continue;
                }
                if (errno == EINTR) {
                    continue;
                }
                perror("copyways: write");
                return 1;
            }
            done += r;
        }
        sent += len;
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double secs = (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
    fprintf(stderr, "COPYWAYS way=%s seg=%ld bytes=%ld polls=%ld secs=%.4f gibps=%.3f\n", way, seg, total, polls, secs,
            total / secs / (double)(1L << 30));
    return 0;
}
