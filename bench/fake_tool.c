/*
 * fake_tool: the "compiler", "archiver", "linker" and friends of the
 * benchmark project that bench/gen_manifests.py writes.
 *
 * It does the file work a real tool does and nothing else, so a build's cost
 * is the build executor's own plus a process start per command:
 *
 *   fake_tool cc [flags] -MF DEPFILE -o OUT [-I DIR | -IDIR]... SOURCE
 *       Reads SOURCE and, recursively, every header it names with a line
 *       `#include "name"` (looked up beside the including file, then in each
 *       -I directory, as a C preprocessor does for quoted includes). Writes
 *       OUT (a digest of everything it read) and a gcc-style DEPFILE naming
 *       SOURCE and every header. Other flags are ignored.
 *   fake_tool ar -o OUT IN...        OUT = a digest of the inputs' contents
 *   fake_tool link -o OUT IN...      the same, as a "linker"
 *   fake_tool protoc IN OUT_H OUT_CC
 *       OUT_H gets IN's contents (its include lines included); OUT_CC includes
 *       OUT_H by its name below the last "gen/" directory in its path (the
 *       project's generated-include root).
 *   fake_tool copy IN OUT            copies IN to OUT
 *   fake_tool stamp OUT              creates OUT empty and sets its mtime to now
 *
 * Outputs depend only on input contents, so two builds of the same project
 * produce byte-identical trees, and a content change propagates to every
 * object, archive and binary built from it (as with a real compiler).
 * Parent directories of outputs are created when missing.
 *
 * Exit status: 0, or 1 with a message on stderr.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char* g_mode = "fake_tool";

static void die(const char* what, const char* path) {
  fprintf(stderr, "fake_tool %s: %s: %s\n", g_mode, what, path ? path : "");
  exit(1);
}

/* --- small growable buffers ------------------------------------------------ */

typedef struct {
  char* data;
  size_t len;
  size_t cap;
} Buf;

static void buf_reserve(Buf* b, size_t extra) {
  if (b->len + extra + 1 <= b->cap) return;
  size_t cap = b->cap ? b->cap * 2 : 4096;
  while (cap < b->len + extra + 1) cap *= 2;
  b->data = realloc(b->data, cap);
  if (!b->data) die("out of memory", NULL);
  b->cap = cap;
}

static void buf_append(Buf* b, const char* s, size_t n) {
  buf_reserve(b, n);
  memcpy(b->data + b->len, s, n);
  b->len += n;
  b->data[b->len] = '\0';
}

static void buf_puts(Buf* b, const char* s) {
  buf_append(b, s, strlen(s));
}

/* --- hashing (FNV-1a, 64-bit: plenty for telling contents apart) ---------- */

static uint64_t fnv(uint64_t h, const char* data, size_t n) {
  for (size_t i = 0; i < n; ++i) {
    h ^= (unsigned char)data[i];
    h *= 1099511628211ull;
  }
  return h;
}
static const uint64_t kFnvSeed = 14695981039346656037ull;

/* --- files ------------------------------------------------------------------ */

/* Reads `path` into *out; returns 0, or -1 with errno set. */
static int read_file(const char* path, Buf* out) {
  out->len = 0;
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return -1;
  for (;;) {
    buf_reserve(out, 8192);
    ssize_t n = read(fd, out->data + out->len, out->cap - out->len - 1);
    if (n < 0) {
      if (errno == EINTR) continue;
      int saved = errno;
      close(fd);
      errno = saved;
      return -1;
    }
    if (n == 0) break;
    out->len += (size_t)n;
  }
  out->data[out->len] = '\0';
  close(fd);
  return 0;
}

static void make_parent_dirs(const char* path) {
  char tmp[4096];
  size_t n = strlen(path);
  if (n >= sizeof(tmp)) die("path too long", path);
  memcpy(tmp, path, n + 1);
  for (char* p = tmp + 1; *p; ++p) {
    if (*p != '/') continue;
    *p = '\0';
    if (mkdir(tmp, 0777) < 0 && errno != EEXIST) die("mkdir failed", tmp);
    *p = '/';
  }
}

static void write_file(const char* path, const char* data, size_t n) {
  int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
  if (fd < 0 && errno == ENOENT) {
    make_parent_dirs(path);
    fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
  }
  if (fd < 0) die("cannot create", path);
  while (n > 0) {
    ssize_t w = write(fd, data, n);
    if (w < 0) {
      if (errno == EINTR) continue;
      die("write failed", path);
    }
    data += w;
    n -= (size_t)w;
  }
  /* A stamp rewritten with the same (empty) contents must still look new. */
  futimens(fd, NULL);
  if (close(fd) < 0) die("close failed", path);
}

static void write_digest(const char* path, const char* kind, uint64_t h) {
  char text[128];
  int n = snprintf(text, sizeof(text), "%s %016llx\n", kind, (unsigned long long)h);
  write_file(path, text, (size_t)n);
}

/* --- the preprocessor ------------------------------------------------------- */

typedef struct {
  char** items;
  size_t len;
  size_t cap;
} StrList;

static void list_push(StrList* l, char* s) {
  if (l->len == l->cap) {
    l->cap = l->cap ? l->cap * 2 : 64;
    l->items = realloc(l->items, l->cap * sizeof(char*));
    if (!l->items) die("out of memory", NULL);
  }
  l->items[l->len++] = s;
}

/* Visited files, by path, in an open-addressing set. */
typedef struct {
  char** slots;
  size_t mask;
  size_t count;
} PathSet;

static int set_insert(PathSet* s, char* path) {
  if (!s->slots) {
    s->mask = 1023;
    s->slots = calloc(s->mask + 1, sizeof(char*));
  }
  if ((s->count + 1) * 2 > s->mask) {
    size_t old_mask = s->mask;
    char** old = s->slots;
    s->mask = s->mask * 2 + 1;
    s->slots = calloc(s->mask + 1, sizeof(char*));
    s->count = 0;
    for (size_t i = 0; i <= old_mask; ++i)
      if (old[i]) set_insert(s, old[i]);
    free(old);
  }
  size_t i = fnv(kFnvSeed, path, strlen(path)) & s->mask;
  while (s->slots[i]) {
    if (strcmp(s->slots[i], path) == 0) return 0;
    i = (i + 1) & s->mask;
  }
  s->slots[i] = path;
  ++s->count;
  return 1;
}

typedef struct {
  StrList include_dirs;
  StrList deps; /* headers in the order first seen */
  PathSet seen;
  uint64_t digest;
  Buf scratch;
} Preprocessor;

static char* join_path(const char* dir, size_t dir_len, const char* name,
                       size_t name_len) {
  char* p = malloc(dir_len + name_len + 2);
  if (!p) die("out of memory", NULL);
  size_t n = 0;
  if (dir_len > 0) {
    memcpy(p, dir, dir_len);
    n = dir_len;
    p[n++] = '/';
  }
  memcpy(p + n, name, name_len);
  p[n + name_len] = '\0';
  return p;
}

static void preprocess(Preprocessor* pp, const char* path, int is_header);

/* Handles `#include "name"` found in `from`. */
static void include(Preprocessor* pp, const char* from, const char* name,
                    size_t name_len) {
  const char* slash = strrchr(from, '/');
  size_t from_dir_len = slash ? (size_t)(slash - from) : 0;
  char* candidate = join_path(from, from_dir_len, name, name_len);
  if (access(candidate, F_OK) == 0) {
    preprocess(pp, candidate, 1);
    return;
  }
  free(candidate);
  for (size_t i = 0; i < pp->include_dirs.len; ++i) {
    const char* dir = pp->include_dirs.items[i];
    candidate = join_path(dir, strlen(dir), name, name_len);
    if (access(candidate, F_OK) == 0) {
      preprocess(pp, candidate, 1);
      return;
    }
    free(candidate);
  }
  char* shown = join_path("", 0, name, name_len);
  fprintf(stderr, "%s: fatal error: %s: No such file or directory\n", from, shown);
  exit(1);
}

static void preprocess(Preprocessor* pp, const char* path, int is_header) {
  if (is_header && !set_insert(&pp->seen, (char*)path)) {
    free((char*)path);
    return;
  }
  if (is_header) list_push(&pp->deps, (char*)path);
  Buf text = {0};
  if (read_file(path, &text) < 0) die(strerror(errno), path);
  pp->digest = fnv(pp->digest, text.data, text.len);
  static const char kDirective[] = "#include \"";
  const size_t directive_len = sizeof(kDirective) - 1;
  for (char* line = text.data; line && *line;) {
    char* end = strchr(line, '\n');
    if (strncmp(line, kDirective, directive_len) == 0) {
      char* name = line + directive_len;
      char* close_quote =
          memchr(name, '"', (size_t)((end ? end : name + strlen(name)) - name));
      if (close_quote) include(pp, path, name, (size_t)(close_quote - name));
    }
    line = end ? end + 1 : NULL;
  }
  free(text.data);
}

/* Writes a gcc -MD style depfile: "out: source \\\n  header \\\n ..." */
static void write_depfile(const char* depfile, const char* out, const char* source,
                          const StrList* deps) {
  Buf d = {0};
  buf_puts(&d, out);
  buf_puts(&d, ": ");
  buf_puts(&d, source);
  for (size_t i = 0; i < deps->len; ++i) {
    buf_puts(&d, " \\\n  ");
    buf_puts(&d, deps->items[i]);
  }
  buf_puts(&d, "\n");
  write_file(depfile, d.data, d.len);
  free(d.data);
}

static int run_cc(int argc, char** argv) {
  Preprocessor pp = {0};
  pp.digest = kFnvSeed;
  const char* out = NULL;
  const char* depfile = NULL;
  const char* source = NULL;
  for (int i = 2; i < argc; ++i) {
    const char* a = argv[i];
    if (strcmp(a, "-o") == 0 && i + 1 < argc) {
      out = argv[++i];
    } else if (strcmp(a, "-MF") == 0 && i + 1 < argc) {
      depfile = argv[++i];
    } else if (strcmp(a, "-I") == 0 && i + 1 < argc) {
      list_push(&pp.include_dirs, argv[++i]);
    } else if (strncmp(a, "-I", 2) == 0) {
      list_push(&pp.include_dirs, (char*)a + 2);
    } else if (a[0] == '-') {
      /* Flags a real compiler would honour; they only feed the digest. */
      pp.digest = fnv(pp.digest, a, strlen(a));
    } else {
      source = a;
    }
  }
  if (!out || !source) die("usage: cc [flags] -MF DEPFILE -o OUT SOURCE", NULL);
  preprocess(&pp, source, 0);
  write_digest(out, "object", pp.digest);
  if (depfile) write_depfile(depfile, out, source, &pp.deps);
  return 0;
}

/* ar / link: -o OUT then inputs; flags ignored. */
static int run_combine(int argc, char** argv, const char* kind) {
  const char* out = NULL;
  uint64_t h = fnv(kFnvSeed, kind, strlen(kind));
  Buf text = {0};
  for (int i = 2; i < argc; ++i) {
    const char* a = argv[i];
    if (strcmp(a, "-o") == 0 && i + 1 < argc) {
      out = argv[++i];
    } else if (a[0] == '-') {
      continue;
    } else {
      if (read_file(a, &text) < 0) die(strerror(errno), a);
      h = fnv(h, text.data, text.len);
    }
  }
  free(text.data);
  if (!out) die("usage: -o OUT INPUTS...", NULL);
  write_digest(out, kind, h);
  return 0;
}

static int run_protoc(int argc, char** argv) {
  if (argc != 5) die("usage: protoc IN OUT_H OUT_CC", NULL);
  const char* in = argv[2];
  const char* out_h = argv[3];
  const char* out_cc = argv[4];
  Buf text = {0};
  if (read_file(in, &text) < 0) die(strerror(errno), in);
  Buf h = {0};
  buf_puts(&h, "// generated from ");
  buf_puts(&h, in);
  buf_puts(&h, "\n");
  buf_append(&h, text.data, text.len);
  write_file(out_h, h.data, h.len);
  /* The .cc includes the header by its name below the generated-include
     root: what follows the last "gen/" directory in OUT_H. */
  const char* name = out_h;
  if (strncmp(name, "gen/", 4) == 0) name += 4;
  for (const char* p = strstr(out_h, "/gen/"); p; p = strstr(p + 1, "/gen/"))
    name = p + 5;
  Buf cc = {0};
  buf_puts(&cc, "#include \"");
  buf_puts(&cc, name);
  char tail[64];
  snprintf(tail, sizeof(tail), "\"\n// %016llx\n",
           (unsigned long long)fnv(kFnvSeed, text.data, text.len));
  buf_puts(&cc, tail);
  write_file(out_cc, cc.data, cc.len);
  free(text.data);
  free(h.data);
  free(cc.data);
  return 0;
}

static int run_copy(int argc, char** argv) {
  if (argc != 4) die("usage: copy IN OUT", NULL);
  Buf text = {0};
  if (read_file(argv[2], &text) < 0) die(strerror(errno), argv[2]);
  write_file(argv[3], text.data, text.len);
  free(text.data);
  return 0;
}

static int run_stamp(int argc, char** argv) {
  if (argc != 3) die("usage: stamp OUT", NULL);
  write_file(argv[2], "", 0);
  return 0;
}

int main(int argc, char** argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: fake_tool cc|ar|link|protoc|copy|stamp ...\n");
    return 1;
  }
  g_mode = argv[1];
  if (strcmp(g_mode, "cc") == 0) return run_cc(argc, argv);
  if (strcmp(g_mode, "ar") == 0) return run_combine(argc, argv, "archive");
  if (strcmp(g_mode, "link") == 0) return run_combine(argc, argv, "binary");
  if (strcmp(g_mode, "protoc") == 0) return run_protoc(argc, argv);
  if (strcmp(g_mode, "copy") == 0) return run_copy(argc, argv);
  if (strcmp(g_mode, "stamp") == 0) return run_stamp(argc, argv);
  fprintf(stderr, "fake_tool: unknown mode '%s'\n", g_mode);
  return 1;
}
