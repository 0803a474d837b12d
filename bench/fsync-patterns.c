// Durability patterns for one captured message (a ~300-octet .json and an .eml), timed on the
// filesystem under test. Explains MessageStore's group commit; not part of the build.
//
//   cc -O2 -pthread bench/fsync-patterns.c -o /tmp/fsync-patterns
//   /tmp/fsync-patterns DIR SIZE THREADS_OR_BATCH COUNT
//
// per-file: THREADS threads, each message: write+fsync json, write+fsync eml, two renames,
//           fsync(dir)                     (exosim before group commit)
// batch:    one thread, BATCH messages written, syncfs, renames, fsync(dir)  (group commit)
#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static char payload[1 << 20];
static const char* dir;
static size_t size;
static int per_thread;

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

static int create(const char* path, size_t n) {
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0644);
    if (fd < 0 || write(fd, payload, n) != (ssize_t)n) { perror(path); exit(1); }
    return fd;
}

static void names(char out[4][512], const char* tag, int i) {
    snprintf(out[0], 512, "%s/.tmp-%s-%d.json", dir, tag, i);
    snprintf(out[1], 512, "%s/.tmp-%s-%d.eml", dir, tag, i);
    snprintf(out[2], 512, "%s/%s-%d.json", dir, tag, i);
    snprintf(out[3], 512, "%s/%s-%d.eml", dir, tag, i);
}

static void* per_file(void* arg) {
    char tag[32], n[4][512];
    snprintf(tag, sizeof tag, "t%ld", (long)arg);
    for (int i = 0; i < per_thread; ++i) {
        names(n, tag, i);
        int fd = create(n[0], 300); fsync(fd); close(fd);
        fd = create(n[1], size); fsync(fd); close(fd);
        rename(n[0], n[2]); rename(n[1], n[3]);
        int d = open(dir, O_RDONLY | O_DIRECTORY); fsync(d); close(d);
    }
    return NULL;
}

int main(int argc, char** argv) {
    if (argc != 5) { fprintf(stderr, "usage: %s DIR SIZE THREADS_OR_BATCH COUNT\n", argv[0]); return 2; }
    dir = argv[1];
    size = (size_t)atol(argv[2]);
    int k = atoi(argv[3]), count = atoi(argv[4]);
    if (size > sizeof payload || k < 1 || k > 256 || count < k) { fprintf(stderr, "bad arguments\n"); return 2; }
    pthread_t threads[256];
    per_thread = count / k;
    double t = now();
    for (long i = 0; i < k; ++i) pthread_create(&threads[i], NULL, per_file, (void*)i);
    for (int i = 0; i < k; ++i) pthread_join(threads[i], NULL);
    double per_file_rate = per_thread * k / (now() - t);
    t = now();
    int d = open(dir, O_RDONLY | O_DIRECTORY);
    char n[4][512];
    for (int base = 0; base + k <= count; base += k) {
        for (int i = base; i < base + k; ++i) {
            names(n, "b", i);
            close(create(n[0], 300));
            close(create(n[1], size));
        }
        syncfs(d);
        for (int i = base; i < base + k; ++i) {
            names(n, "b", i);
            rename(n[0], n[2]); rename(n[1], n[3]);
        }
        fsync(d);
    }
    close(d);
    double batch_rate = (count / k) * k / (now() - t);
    printf("size %zu, %d threads / batch of %d: per-file %.0f msg/s, batch %.0f msg/s (%.2fx)\n", size, k, k,
           per_file_rate, batch_rate, batch_rate / per_file_rate);
    return 0;
}
