#include "cache/digest_memo.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ctime>

namespace composer {

namespace {

constexpr char kMagic[8] = {'C', 'M', 'P', 'D', 'I', 'G', '\n', '\0'};
constexpr size_t kHeaderSize = sizeof kMagic + 4;
// path length (u32), size, mtime, inode (u64 each), digest.
constexpr size_t kFixedRecord = 4 + 8 * 3 + 32;

void PutU64(std::string* out, uint64_t v) {
  for (int i = 0; i < 8; ++i) out->push_back(static_cast<char>(v >> (8 * i)));
}
void PutU32(std::string* out, uint32_t v) {
  for (int i = 0; i < 4; ++i) out->push_back(static_cast<char>(v >> (8 * i)));
}
uint64_t GetU64(const char* p) {
  uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = v << 8 | static_cast<uint8_t>(p[i]);
  return v;
}
uint32_t GetU32(const char* p) {
  uint32_t v = 0;
  for (int i = 3; i >= 0; --i) v = v << 8 | static_cast<uint8_t>(p[i]);
  return v;
}

std::string Header() {
  std::string header(kMagic, sizeof kMagic);
  PutU32(&header, DigestMemo::kVersion);
  return header;
}

int64_t NowNanos() {
  timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return static_cast<int64_t>(ts.tv_sec) * 1000000000 + ts.tv_nsec;
}

}  // namespace

DigestMemo::~DigestMemo() {
  Close();
}

void DigestMemo::Close() {
  if (file_) fclose(file_);
  file_ = nullptr;
}

bool DigestMemo::Open(const std::string& path, std::string* err) {
  path_ = path;
  if (path.empty()) return true;
  std::string data;
  if (FILE* f = fopen(path.c_str(), "rb")) {
    char buffer[1 << 16];
    size_t n;
    while ((n = fread(buffer, 1, sizeof buffer, f)) > 0) data.append(buffer, n);
    fclose(f);
  }
  size_t good = 0;
  if (data.size() >= kHeaderSize && data.compare(0, kHeaderSize, Header()) == 0) {
    size_t pos = kHeaderSize;
    while (pos + kFixedRecord <= data.size()) {
      const uint32_t len = GetU32(&data[pos]);
      if (pos + kFixedRecord + len > data.size()) break;
      const char* p = &data[pos + 4];
      Entry entry;
      entry.size = GetU64(p);
      entry.mtime = static_cast<int64_t>(GetU64(p + 8));
      entry.inode = GetU64(p + 16);
      memcpy(entry.digest.bytes.data(), p + 24, 32);
      entry.persisted = true;
      entries_[std::string(p + 56, len)] = entry;
      ++records_;
      pos += kFixedRecord + len;
    }
    good = pos;
  }
  if (good == 0 || (records_ > 1000 && records_ > 2 * entries_.size()))
    return Rewrite(err);
  if (good < data.size() && truncate(path.c_str(), static_cast<off_t>(good)) < 0) {
    *err = "truncate(" + path + "): " + strerror(errno);
    return false;
  }
  file_ = fopen(path.c_str(), "ab");
  if (!file_) {
    *err = "open(" + path + "): " + strerror(errno);
    return false;
  }
  return true;
}

bool DigestMemo::Rewrite(std::string* err) {
  const std::string temp = path_ + ".tmp";
  FILE* f = fopen(temp.c_str(), "wb");
  if (!f) {
    *err = "open(" + temp + "): " + strerror(errno);
    return false;
  }
  file_ = f;
  const std::string header = Header();
  fwrite(header.data(), 1, header.size(), f);
  records_ = 0;
  for (auto& [path, entry] : entries_) {
    if (entry.persisted) Append(path, entry);
  }
  if (fflush(f) != 0 || rename(temp.c_str(), path_.c_str()) < 0) {
    *err = "write(" + path_ + "): " + strerror(errno);
    fclose(f);
    file_ = nullptr;
    unlink(temp.c_str());
    return false;
  }
  return true;
}

bool DigestMemo::Append(const std::string& path, const Entry& entry) {
  if (!file_) return false;
  std::string record;
  record.reserve(kFixedRecord + path.size());
  PutU32(&record, static_cast<uint32_t>(path.size()));
  PutU64(&record, entry.size);
  PutU64(&record, static_cast<uint64_t>(entry.mtime));
  PutU64(&record, entry.inode);
  record.append(reinterpret_cast<const char*>(entry.digest.bytes.data()), 32);
  record += path;
  ++records_;
  return fwrite(record.data(), 1, record.size(), file_) == record.size();
}

void DigestMemo::Invalidate(const std::string& path) {
  auto it = entries_.find(path);
  if (it != entries_.end()) it->second.checked_epoch = 0;
}

void DigestMemo::Remember(const std::string& path, const struct stat& st,
                          const Digest& digest) {
  Entry& entry = entries_[path];
  entry.size = static_cast<uint64_t>(st.st_size);
  entry.mtime = static_cast<int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec;
  entry.inode = static_cast<uint64_t>(st.st_ino);
  entry.digest = digest;
  entry.missing = false;
  // Written just now: kept for this process only (see the file comment).
  entry.persisted = false;
  entry.checked_epoch = epoch_;
}

bool DigestMemo::Get(const std::string& path, Digest* digest, bool* missing,
                     std::string* err, bool fresh) {
  auto it = entries_.find(path);
  if (!fresh && it != entries_.end() && it->second.checked_epoch == epoch_) {
    *missing = it->second.missing;
    if (!*missing) *digest = it->second.digest;
    return true;
  }
  *missing = false;
  struct stat st;
  if (stat(path.c_str(), &st) < 0) {
    if (errno == ENOENT || errno == ENOTDIR) {
      *missing = true;
      // (A new entry's zero inode matches no file that appears later.)
      if (it == entries_.end()) it = entries_.emplace(path, Entry()).first;
      // The digest of the content it had stays for when it comes back with
      // the same stat (a checkout switching branches and back).
      it->second.missing = true;
      it->second.checked_epoch = epoch_;
      return true;
    }
    *err = "stat(" + path + "): " + strerror(errno);
    return false;
  }
  const int64_t mtime =
      static_cast<int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec;
  const uint64_t size = static_cast<uint64_t>(st.st_size);
  const uint64_t inode = static_cast<uint64_t>(st.st_ino);
  if (it != entries_.end() && it->second.size == size && it->second.mtime == mtime &&
      it->second.inode == inode) {
    it->second.missing = false;
    it->second.checked_epoch = epoch_;
    *digest = it->second.digest;
    return true;
  }
  Entry entry;
  entry.size = size;
  entry.mtime = mtime;
  entry.inode = inode;
  if (!Sha256File(path, &entry.digest, err)) return false;
  ++files_hashed;
  *digest = entry.digest;
  entry.persisted = mtime < NowNanos() - 1000000000;
  entry.checked_epoch = epoch_;
  if (entry.persisted) Append(path, entry);
  entries_[path] = entry;
  return true;
}

}  // namespace composer
