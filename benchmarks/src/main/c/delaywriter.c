/*
 * delaywriter: the control experiment of the end-to-end harness.
 *
 *   delaywriter w TOTAL SEG PIPE NS [huge]
 *       pipebench's vmsplice writer (same ring of max(2 x pipe, pipe + seg), one vmsplice(2) per
 *       segment, pages touched before the clock starts), except that it busy-waits NS nanoseconds
 *       before every call: C with the per-call cost of a Java foreign call added, and nothing else.
 *   delaywriter cost [vmsplice]
 *       prints the nanoseconds of one sysconf(_SC_PAGESIZE) call from C (no system call), or with
 *       "vmsplice" of one vmsplice(-1, NULL, 0, 0) (the kernel refuses it with EBADF at once): the
 *       baseline the harness subtracts from the same call made through JNA. A call of vmsplice's
 *       four arguments costs JNA more than one of sysconf's one, so the control uses the second.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#define HUGE_SZ (2UL << 20)

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static void die(const char *what) {
    fprintf(stderr, "delaywriter: %s: %s\n", what, strerror(errno));
    exit(1);
}

/* A cheap clock: the time-stamp counter on x86_64, elsewhere the monotonic clock in ns. */
static inline uint64_t ticks(void) {
#if defined(__x86_64__)
    return __builtin_ia32_rdtsc();
#else
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
#endif
}

/* Ticks per nanosecond, over 50 ms. */
static double ticks_per_ns(void) {
    double t0 = now();
    uint64_t c0 = ticks();
    while (now() - t0 < 0.05) {
    }
    return (ticks() - c0) / ((now() - t0) * 1e9);
}

static int cost(int vmsplice_shaped) {
    long (*volatile call)(int) = sysconf; /* through a pointer, as a foreign call is */
    ssize_t (*volatile splice_call)(int, const struct iovec *, size_t, unsigned int) = vmsplice;
    long n = vmsplice_shaped ? 4000000 : 20000000, sum = 0;
    for (long i = 0; i < n / 10; i++) /* warm up */
        sum += vmsplice_shaped ? splice_call(-1, NULL, 0, 0) : call(_SC_PAGESIZE);
    double t0 = now();
    for (long i = 0; i < n; i++)
        sum += vmsplice_shaped ? splice_call(-1, NULL, 0, 0) : call(_SC_PAGESIZE);
    double dt = now() - t0;
    printf("%.2f\n", dt * 1e9 / n);
    return sum == 0;
}

int main(int argc, char **argv) {
    if (argc >= 2 && !strcmp(argv[1], "cost")) return cost(argc > 2 && !strcmp(argv[2], "vmsplice"));
    if (argc < 6 || strcmp(argv[1], "w")) {
        fprintf(stderr, "usage: delaywriter w TOTAL SEG PIPE NS [huge] | delaywriter cost [vmsplice]\n");
        return 2;
    }
    uint64_t total = strtoull(argv[2], NULL, 10), seg = strtoull(argv[3], NULL, 10);
    int want = atoi(argv[4]);
    double ns = atof(argv[5]);
    int huge = argc > 6 && !strcmp(argv[6], "huge");
    uint64_t delay = (uint64_t)(ns * ticks_per_ns());

    if (fcntl(STDOUT_FILENO, F_SETPIPE_SZ, want) < 0) die("F_SETPIPE_SZ");
    long psz = fcntl(STDOUT_FILENO, F_GETPIPE_SZ);
    if (psz < 0) die("F_GETPIPE_SZ");
    uint64_t ring = 2 * (uint64_t)psz;
    if ((uint64_t)psz + seg > ring) ring = psz + seg;
    ring = (ring + seg - 1) / seg * seg;
    size_t align = huge ? HUGE_SZ : 4096, len = (ring + align - 1) / align * align;
    unsigned char *raw = mmap(NULL, len + align, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (raw == MAP_FAILED) die("mmap");
    unsigned char *buf = (unsigned char *)(((uintptr_t)raw + align - 1) & ~(uintptr_t)(align - 1));
    if (madvise(buf, len, huge ? MADV_HUGEPAGE : MADV_NOHUGEPAGE) != 0) die("madvise");
    memset(buf, 0x5a, len);

    uint64_t pos = 0;
    for (uint64_t sent = 0; sent < total; sent += seg) {
        uint64_t done = 0;
        while (done < seg) {
            uint64_t t = ticks();
            while (ticks() - t < delay) {
            }
            struct iovec iov = {buf + pos + done, seg - done};
            ssize_t r = vmsplice(STDOUT_FILENO, &iov, 1, 0);
            if (r < 0) {
                if (errno == EINTR) continue;
                die("vmsplice");
            }
            done += (uint64_t)r;
        }
        pos += seg;
        if (pos >= ring) pos = 0;
    }
    return 0;
}
