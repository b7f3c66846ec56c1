// write_fault_shim: an LD_PRELOAD library that makes a process's file writes fail the way a
// full or failing disk does, on command, so the real carbonledgerd can be tested against
// storage faults without root (tests/e2e/storage_fault_test.cc). While the file named by
// CARBONLEDGER_FAULT_FILE exists, its first word picks the fault:
//
//   enospc  write, pwrite and writev on regular files fail with ENOSPC, writing nothing
//   eio     fsync and fdatasync fail with EIO without syncing (writes still reach the page
//           cache, as on a device that fails to flush)
//
// Sockets, pipes and terminals are never affected, so the daemon keeps answering and logging.
// Built without sanitizers: under ASan the daemon needs ASAN_OPTIONS=verify_asan_link_order=0,
// since this library, not ASan's runtime, comes first in its library list.
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <unistd.h>

enum fault { kNone, kNoSpace, kSyncError };

// Read on every call, so the test switches faults by writing or removing the file.
static enum fault current_fault(void) {
  const char* path = getenv("CARBONLEDGER_FAULT_FILE");
  if (path == NULL) return kNone;
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return kNone;
  char word[16] = {0};
  ssize_t n = read(fd, word, sizeof word - 1);
  close(fd);
  if (n >= 6 && strncmp(word, "enospc", 6) == 0) return kNoSpace;
  if (n >= 3 && strncmp(word, "eio", 3) == 0) return kSyncError;
  return kNone;
}

static int regular_file(int fd) {
  struct stat st;
  return fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
}

static int refuse_write(int fd) {
  if (!regular_file(fd) || current_fault() != kNoSpace) return 0;
  errno = ENOSPC;
  return 1;
}

static int refuse_sync(void) {
  if (current_fault() != kSyncError) return 0;
  errno = EIO;
  return 1;
}

typedef ssize_t (*write_fn)(int, const void*, size_t);
typedef ssize_t (*pwrite_fn)(int, const void*, size_t, off_t);
typedef ssize_t (*writev_fn)(int, const struct iovec*, int);
typedef int (*sync_fn)(int);

// The next definition of `name` (libc's, or a sanitizer's interceptor), looked up once.
#define REAL(name, type)                                                      \
  static type real_##name##_cache = NULL;                                     \
  type real_##name = __atomic_load_n(&real_##name##_cache, __ATOMIC_ACQUIRE); \
  if (real_##name == NULL) {                                                  \
    real_##name = (type)dlsym(RTLD_NEXT, #name);                              \
    __atomic_store_n(&real_##name##_cache, real_##name, __ATOMIC_RELEASE);    \
  }

ssize_t write(int fd, const void* buf, size_t count) {
  REAL(write, write_fn);
  if (refuse_write(fd)) return -1;
  return real_write(fd, buf, count);
}

ssize_t pwrite(int fd, const void* buf, size_t count, off_t offset) {
  REAL(pwrite, pwrite_fn);
  if (refuse_write(fd)) return -1;
  return real_pwrite(fd, buf, count, offset);
}

ssize_t pwrite64(int fd, const void* buf, size_t count, off_t offset) {
  REAL(pwrite64, pwrite_fn);
  if (refuse_write(fd)) return -1;
  return real_pwrite64(fd, buf, count, offset);
}

ssize_t writev(int fd, const struct iovec* iov, int iovcnt) {
  REAL(writev, writev_fn);
  if (refuse_write(fd)) return -1;
  return real_writev(fd, iov, iovcnt);
}

int fsync(int fd) {
  REAL(fsync, sync_fn);
  if (refuse_sync()) return -1;
  return real_fsync(fd);
}

int fdatasync(int fd) {
  REAL(fdatasync, sync_fn);
  if (refuse_sync()) return -1;
  return real_fdatasync(fd);
}
