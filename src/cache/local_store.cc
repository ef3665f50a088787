#include "cache/local_store.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zstd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <vector>

#include "util/file_system.h"
#include "util/log.h"

namespace composer {

namespace {

// Frames larger than this are refused (a damaged size field).
constexpr uint64_t kMaxBlobBytes = uint64_t{4} << 30;

// A use older than this refreshes the file's mtime, the "last used" time of
// garbage collection. An hour is nothing to an order kept in days, and it
// spares most hits a metadata write each.
constexpr int64_t kTouchAfterSeconds = 3600;

// Reads a stored file whole (stored files are replaced by rename, never
// rewritten, so its size does not change while it is open) and refreshes
// its last use.
Store::Result ReadStored(const std::string& path, std::string* data) {
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return errno == ENOENT ? Store::Result::kMiss : Store::Result::kError;
  struct stat st;
  Store::Result result = Store::Result::kError;
  if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
    const size_t size = static_cast<size_t>(st.st_size);
    data->resize(size);
    size_t used = 0;
    while (used < size) {
      const ssize_t n = read(fd, data->data() + used, size - used);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) break;
      used += static_cast<size_t>(n);
    }
    if (used == size) {
      result = Store::Result::kHit;
      if (time(nullptr) - st.st_mtime > kTouchAfterSeconds) futimens(fd, nullptr);
    }
  }
  close(fd);
  return result;
}

bool MakeDir(const std::string& path) {
  return mkdir(path.c_str(), 0777) == 0 || errno == EEXIST;
}

// mkdir -p.
bool MakeDirs(const std::string& path) {
  struct stat st;
  if (path.empty() || (stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode))) return true;
  const size_t slash = path.rfind('/');
  if (slash != std::string::npos && slash > 0 && !MakeDirs(path.substr(0, slash)))
    return false;
  return MakeDir(path);
}

struct StoredFile {
  std::string path;
  uint64_t size;
  int64_t mtime;
};

// Every regular file two levels under <dir>/<top>; temporary ones go to
// *temps.
void ListFiles(const std::string& top, std::vector<StoredFile>* files,
               std::vector<StoredFile>* temps) {
  DIR* outer = opendir(top.c_str());
  if (!outer) return;
  while (dirent* shard = readdir(outer)) {
    if (shard->d_name[0] == '.') continue;
    const std::string shard_path = top + "/" + shard->d_name;
    DIR* inner = opendir(shard_path.c_str());
    if (!inner) continue;
    while (dirent* file = readdir(inner)) {
      if (strcmp(file->d_name, ".") == 0 || strcmp(file->d_name, "..") == 0) continue;
      const std::string path = shard_path + "/" + file->d_name;
      struct stat st;
      if (lstat(path.c_str(), &st) < 0 || !S_ISREG(st.st_mode)) continue;
      StoredFile f{path, static_cast<uint64_t>(st.st_size), st.st_mtim.tv_sec};
      if (file->d_name[0] == '.')
        temps->push_back(std::move(f));
      else
        files->push_back(std::move(f));
    }
    closedir(inner);
  }
  closedir(outer);
}

bool RemoveTree(const std::string& path, std::string* err) {
  DIR* dir = opendir(path.c_str());
  if (!dir) {
    if (errno == ENOENT) return true;
    *err = "opendir(" + path + "): " + strerror(errno);
    return false;
  }
  bool ok = true;
  while (dirent* e = readdir(dir)) {
    if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
    const std::string child = path + "/" + e->d_name;
    struct stat st;
    if (lstat(child.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) {
      ok = RemoveTree(child, err) && ok;
    } else if (unlink(child.c_str()) < 0 && errno != ENOENT) {
      *err = "unlink(" + child + "): " + strerror(errno);
      ok = false;
    }
  }
  closedir(dir);
  if (rmdir(path.c_str()) < 0 && errno != ENOENT) {
    *err = "rmdir(" + path + "): " + strerror(errno);
    return false;
  }
  return ok;
}

}  // namespace

namespace {

// One compression and one decompression context per thread, reused: making
// a context per call costs more than (de)compressing a small output.
struct ZstdContexts {
  ZSTD_CCtx* compress = ZSTD_createCCtx();
  ZSTD_DCtx* decompress = ZSTD_createDCtx();
  ~ZstdContexts() {
    ZSTD_freeCCtx(compress);
    ZSTD_freeDCtx(decompress);
  }
};

ZstdContexts& ThreadZstd() {
  thread_local ZstdContexts contexts;
  return contexts;
}

}  // namespace

bool Compress(const std::string& data, int level, std::string* out) {
  ZSTD_CCtx* context = ThreadZstd().compress;
  if (!context) return false;
  out->resize(ZSTD_compressBound(data.size()));
  const size_t n = ZSTD_compressCCtx(context, out->data(), out->size(), data.data(),
                                     data.size(), level);
  if (ZSTD_isError(n)) return false;
  out->resize(n);
  return true;
}

bool Decompress(const std::string& frame, std::string* out) {
  ZSTD_DCtx* context = ThreadZstd().decompress;
  if (!context) return false;
  const unsigned long long size = ZSTD_getFrameContentSize(frame.data(), frame.size());
  if (size == ZSTD_CONTENTSIZE_ERROR || size == ZSTD_CONTENTSIZE_UNKNOWN ||
      size > kMaxBlobBytes)
    return false;
  out->resize(static_cast<size_t>(size));
  const size_t n =
      ZSTD_decompressDCtx(context, out->data(), out->size(), frame.data(), frame.size());
  return !ZSTD_isError(n) && n == size;
}

std::string LocalStore::ActionPath(const Digest& key) const {
  const std::string hex = key.Hex();
  return config_.dir + "/ac/" + hex.substr(0, 2) + "/" + hex;
}

std::string LocalStore::BlobPath(const Digest& digest) const {
  const std::string hex = digest.Hex();
  return config_.dir + "/cas/" + hex.substr(0, 2) + "/" + hex;
}

void LocalStore::Damaged(const std::string& path, const char* what) {
  unlink(path.c_str());
  ++damaged_;
  if (!warned_.exchange(true))
    Warning("cache: damaged %s %s removed (treated as a miss)", what, path.c_str());
}

bool LocalStore::WriteAtomically(const std::string& path, const std::string& data,
                                 std::string* err) {
  const size_t slash = path.rfind('/');
  const std::string dir = path.substr(0, slash);
  const std::string top = dir.substr(0, dir.rfind('/'));
  static std::atomic<uint64_t> counter{0};
  // getpid() each time: a forked child must not reuse its parent's names.
  const std::string temp = dir + "/." + path.substr(slash + 1, 16) + "." +
                           std::to_string(getpid()) + "." + std::to_string(++counter);
  int fd = open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0 && errno == ENOENT) {
    // The shard (or the store) does not exist yet.
    if (!MakeDir(dir) && (!MakeDirs(config_.dir) || !MakeDir(top) || !MakeDir(dir))) {
      *err = "mkdir(" + dir + "): " + strerror(errno);
      return false;
    }
    fd = open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  }
  if (fd < 0) {
    *err = "open(" + temp + "): " + strerror(errno);
    return false;
  }
  size_t done = 0;
  while (done < data.size()) {
    const ssize_t n = write(fd, data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      *err = "write(" + temp + "): " + strerror(errno);
      close(fd);
      unlink(temp.c_str());
      return false;
    }
    done += static_cast<size_t>(n);
  }
  close(fd);
  if (rename(temp.c_str(), path.c_str()) < 0) {
    *err = "rename(" + temp + ", " + path + "): " + strerror(errno);
    unlink(temp.c_str());
    return false;
  }
  return true;
}

Store::Result LocalStore::GetAction(const Digest& key, std::string* entry) {
  const std::string path = ActionPath(key);
  std::string data;
  if (const Result read = ReadStored(path, &data); read != Result::kHit) return read;
  if (data.size() < 32 ||
      memcmp(data.data(), Sha256Of(std::string_view(data).substr(32)).bytes.data(), 32) !=
          0) {
    Damaged(path, "action entry");
    return Result::kMiss;
  }
  entry->assign(data, 32);
  return Result::kHit;
}

bool LocalStore::PutAction(const Digest& key, const std::string& entry,
                           std::string* err) {
  const Digest sum = Sha256Of(entry);
  std::string data(reinterpret_cast<const char*>(sum.bytes.data()), 32);
  data += entry;
  return WriteAtomically(ActionPath(key), data, err);
}

Store::Result LocalStore::GetBlob(const Digest& digest, std::string* data) {
  const std::string path = BlobPath(digest);
  std::string frame;
  if (const Result read = ReadStored(path, &frame); read != Result::kHit) return read;
  if (!Decompress(frame, data) || Sha256Of(*data) != digest) {
    Damaged(path, "blob");
    return Result::kMiss;
  }
  return Result::kHit;
}

bool LocalStore::PutBlob(const Digest& digest, const std::string& data,
                         std::string* err) {
  const std::string path = BlobPath(digest);
  // Deduplicated, unless the copy there is damaged (then it is replaced).
  std::string frame, existing;
  if (ReadStored(path, &frame) == Result::kHit && Decompress(frame, &existing) &&
      Sha256Of(existing) == digest)
    return true;
  if (!Compress(data, config_.compression_level, &frame)) {
    *err = "zstd compression failed for " + path;
    return false;
  }
  return WriteAtomically(path, frame, err);
}

LocalStore::Usage LocalStore::Measure() const {
  Usage usage;
  std::vector<StoredFile> files, temps;
  ListFiles(config_.dir + "/ac", &files, &temps);
  usage.entries = files.size();
  for (const StoredFile& f : files) usage.entry_bytes += f.size;
  files.clear();
  ListFiles(config_.dir + "/cas", &files, &temps);
  usage.blobs = files.size();
  for (const StoredFile& f : files) usage.blob_bytes += f.size;
  return usage;
}

LocalStore::GcReport LocalStore::CollectGarbage(int64_t now_seconds) {
  GcReport report;
  std::vector<StoredFile> files, temps;
  ListFiles(config_.dir + "/ac", &files, &temps);
  const size_t entry_count = files.size();
  ListFiles(config_.dir + "/cas", &files, &temps);
  auto remove = [&](const StoredFile& f) {
    if (unlink(f.path.c_str()) == 0) {
      ++report.removed_files;
      report.removed_bytes += f.size;
    }
  };
  // A writer renames its temporary file within moments; an hour-old one
  // belongs to a process that died.
  for (const StoredFile& f : temps) {
    if (f.mtime < now_seconds - 3600) remove(f);
  }
  std::vector<size_t> order(files.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(),
            [&](size_t a, size_t b) { return files[a].mtime < files[b].mtime; });
  uint64_t total = 0;
  for (const StoredFile& f : files) total += f.size;
  std::vector<uint8_t> gone(files.size());
  for (size_t i : order) {
    const StoredFile& f = files[i];
    const bool expired =
        config_.ttl_seconds > 0 && f.mtime < now_seconds - config_.ttl_seconds;
    const bool over = config_.max_size_bytes > 0 && total > config_.max_size_bytes;
    if (!expired && !over) continue;
    remove(f);
    total -= f.size;
    gone[i] = 1;
  }
  for (size_t i = 0; i < files.size(); ++i) {
    if (gone[i]) continue;
    if (i < entry_count) {
      ++report.after.entries;
      report.after.entry_bytes += files[i].size;
    } else {
      ++report.after.blobs;
      report.after.blob_bytes += files[i].size;
    }
  }
  return report;
}

LocalStore::VerifyReport LocalStore::Verify() {
  VerifyReport report;
  std::vector<StoredFile> files, temps;
  ListFiles(config_.dir + "/ac", &files, &temps);
  const size_t entry_count = files.size();
  ListFiles(config_.dir + "/cas", &files, &temps);
  const uint64_t before = damaged_.load();
  for (size_t i = 0; i < files.size(); ++i) {
    const std::string& path = files[i].path;
    Digest digest;
    const std::string name = path.substr(path.rfind('/') + 1);
    ++report.checked;
    if (!Digest::FromHex(name, &digest)) continue;
    std::string data;
    if (i < entry_count)
      GetAction(digest, &data);
    else
      GetBlob(digest, &data);
  }
  report.damaged = damaged_.load() - before;
  return report;
}

bool LocalStore::Clear(std::string* err) {
  return RemoveTree(config_.dir + "/ac", err) && RemoveTree(config_.dir + "/cas", err);
}

}  // namespace composer
