#include "state/build_log.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include <cinttypes>
#include <cstdlib>
#include <cstring>

#include "state/command_hash.h"
#include "util/metrics.h"

namespace composer {

namespace {

constexpr char kSignaturePrefix[] = "# ninja log v";

// Rewrite the log when it holds this many times more lines than outputs.
constexpr uint32_t kMinCompactionEntryCount = 100;
constexpr uint32_t kCompactionRatio = 3;

bool ReadWholeFile(const std::string& path, std::string* contents, int* error) {
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    *error = errno;
    return false;
  }
  char buffer[1 << 16];
  for (;;) {
    const ssize_t n = read(fd, buffer, sizeof(buffer));
    if (n < 0) {
      if (errno == EINTR) continue;
      *error = errno;
      close(fd);
      return false;
    }
    if (n == 0) break;
    contents->append(buffer, static_cast<size_t>(n));
  }
  close(fd);
  return true;
}

// atoll and strtoull without copying the field into a string: leading
// spaces and a sign are accepted, parsing stops at the first non-digit.
int64_t ParseDecimal(std::string_view text) {
  size_t i = 0;
  while (i < text.size() && text[i] == ' ') ++i;
  bool negative = false;
  if (i < text.size() && (text[i] == '-' || text[i] == '+')) negative = text[i++] == '-';
  uint64_t value = 0;
  for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i)
    value = value * 10 + static_cast<uint64_t>(text[i] - '0');
  return negative ? -static_cast<int64_t>(value) : static_cast<int64_t>(value);
}

uint64_t ParseHex(std::string_view text) {
  uint64_t value = 0;
  for (char c : text) {
    int digit;
    if (c >= '0' && c <= '9')
      digit = c - '0';
    else if (c >= 'a' && c <= 'f')
      digit = c - 'a' + 10;
    else if (c >= 'A' && c <= 'F')
      digit = c - 'A' + 10;
    else
      break;
    value = value << 4 | static_cast<uint64_t>(digit);
  }
  return value;
}

}  // namespace

int BuildLog::DefaultVersion() {
  const char* env = getenv("COMPOSER_NINJA_LOG_VERSION");
  if (env) {
    const int v = atoi(env);
    if (v >= 5 && v <= kNewestSupportedVersion) return v;
  }
  return 5;
}

BuildLog::~BuildLog() {
  Close();
}

uint64_t BuildLog::HashCommand(std::string_view command) const {
  return composer::HashCommand(command, version_ ? version_ : DefaultVersion());
}

BuildLog::Entry* BuildLog::Upsert(std::string_view path) {
  const uint32_t id = paths_.Intern(path);
  if (id == entries_.size()) entries_.emplace_back();
  return &entries_[id];
}

LoadStatus BuildLog::Load(const std::string& path, std::string* err) {
  ScopedMetric metric(".ninja_log load");
  std::string contents;
  int error = 0;
  if (!ReadWholeFile(path, &contents, &error)) {
    if (error == ENOENT) return LoadStatus::kNotFound;
    *err = strerror(error);
    return LoadStatus::kError;
  }
  if (contents.empty()) return LoadStatus::kSuccess;

  const size_t first_end = contents.find('\n');
  const std::string_view first = std::string_view(contents).substr(
      0, first_end == std::string::npos ? contents.size() : first_end);
  int version = 0;
  if (first.substr(0, sizeof(kSignaturePrefix) - 1) == kSignaturePrefix)
    version = atoi(std::string(first.substr(sizeof(kSignaturePrefix) - 1)).c_str());
  if (version < kOldestSupportedVersion || version > kNewestSupportedVersion) {
    *err = "build log version invalid, perhaps due to being too old; starting over";
    unlink(path.c_str());
    return LoadStatus::kSuccess;
  }
  // Version 4 logs hold the command itself; they are read, and upgraded to
  // version 5 when next written.
  version_ = version < 5 ? 5 : version;
  if (version < 5) needs_recompaction_ = true;

  uint32_t total = 0;
  size_t pos = first_end == std::string::npos ? contents.size() : first_end + 1;
  while (pos < contents.size()) {
    const size_t end = contents.find('\n', pos);
    // A line without its newline is a write cut short by a crash: skip it.
    if (end == std::string::npos) break;
    const std::string_view line(contents.data() + pos, end - pos);
    pos = end + 1;

    std::string_view fields[5];
    size_t start = 0;
    int count = 0;
    for (; count < 4; ++count) {
      const size_t tab = line.find('\t', start);
      if (tab == std::string_view::npos) break;
      fields[count] = line.substr(start, tab - start);
      start = tab + 1;
    }
    if (count < 4) continue;
    fields[4] = line.substr(start);

    Entry* entry = Upsert(fields[3]);
    ++total;
    entry->start_time = static_cast<int32_t>(ParseDecimal(fields[0]));
    entry->end_time = static_cast<int32_t>(ParseDecimal(fields[1]));
    entry->mtime = ParseDecimal(fields[2]);
    entry->command_hash = version < 5 ? MurmurHash64A(fields[4]) : ParseHex(fields[4]);
  }

  if (total > kMinCompactionEntryCount && total > paths_.size() * kCompactionRatio)
    needs_recompaction_ = true;
  return LoadStatus::kSuccess;
}

void BuildLog::BindToGraph(const Graph& graph) {
  graph_ = &graph;
  bound_nodes_ = graph.node_count();
  entry_by_node_.assign(graph.node_count(), UINT32_MAX);
  for (uint32_t i = 0; i < paths_.size(); ++i) {
    const NodeId node = graph.LookupNode(paths_.Get(i));
    if (node.valid()) entry_by_node_[node.value] = i;
  }
}

const BuildLog::Entry* BuildLog::Lookup(NodeId output) const {
  const uint32_t index =
      output.value < entry_by_node_.size() ? entry_by_node_[output.value] : UINT32_MAX;
  if (index != UINT32_MAX) return &entries_[index];
  if (output.value < bound_nodes_ || !graph_) return nullptr;
  return Lookup(graph_->Path(output));
}

const BuildLog::Entry* BuildLog::Lookup(std::string_view path) const {
  const uint32_t id = paths_.Find(path);
  return id == Interner::kNone ? nullptr : &entries_[id];
}

bool BuildLog::WriteEntry(FILE* file, std::string_view path, const Entry& entry) {
  return fprintf(file, "%d\t%d\t%" PRId64 "\t%.*s\t%" PRIx64 "\n", entry.start_time,
                 entry.end_time, entry.mtime, static_cast<int>(path.size()), path.data(),
                 entry.command_hash) > 0;
}

bool BuildLog::OpenForWrite(const std::string& path,
                            const std::function<bool(std::string_view)>& is_dead,
                            std::string* err) {
  if (needs_recompaction_) {
    if (!Recompact(path, is_dead, err)) return false;
  }
  path_ = path;
  if (version_ == 0) version_ = DefaultVersion();
  return true;
}

bool BuildLog::RecordCommand(const Graph& graph, std::span<const NodeId> outputs,
                             uint64_t command_hash, int32_t start, int32_t end,
                             int64_t mtime, std::string* err) {
  if (!file_ && !path_.empty()) {
    // Opened lazily so a build that runs nothing leaves no file behind.
    file_ = fopen(path_.c_str(), "ab");
    if (!file_) {
      *err = "Error writing to build log: " + std::string(strerror(errno));
      return false;
    }
    fcntl(fileno(file_), F_SETFD, FD_CLOEXEC);
    fseek(file_, 0, SEEK_END);
    if (ftell(file_) == 0 && fprintf(file_, "%s%d\n", kSignaturePrefix, version_) < 0) {
      *err = "Error writing to build log: " + std::string(strerror(errno));
      return false;
    }
  }
  for (NodeId out : outputs) {
    const std::string_view path = graph.Path(out);
    Entry* entry = Upsert(path);
    entry->command_hash = command_hash;
    entry->start_time = start;
    entry->end_time = end;
    entry->mtime = mtime;
    if (out.value >= entry_by_node_.size())
      entry_by_node_.resize(out.value + 1, UINT32_MAX);
    entry_by_node_[out.value] = paths_.Find(path);
    if (file_ && !WriteEntry(file_, path, *entry)) {
      *err = "Error writing to build log: " + std::string(strerror(errno));
      return false;
    }
  }
  // One fflush per finished command: each record reaches the kernel whole,
  // so a crash can tear at most the last line, which Load skips.
  if (file_ && fflush(file_) != 0) {
    *err = "Error writing to build log: " + std::string(strerror(errno));
    return false;
  }
  return true;
}

void BuildLog::Close() {
  if (file_) fclose(file_);
  file_ = nullptr;
}

bool BuildLog::Recompact(const std::string& path,
                         const std::function<bool(std::string_view)>& is_dead,
                         std::string* err) {
  Close();
  if (version_ == 0) version_ = DefaultVersion();
  const std::string temp = path + ".recompact";
  FILE* f = fopen(temp.c_str(), "wb");
  if (!f) {
    *err = strerror(errno);
    return false;
  }
  bool ok = fprintf(f, "%s%d\n", kSignaturePrefix, version_) > 0;
  Interner live_paths;
  std::vector<Entry> live_entries;
  for (uint32_t i = 0; ok && i < paths_.size(); ++i) {
    if (is_dead && is_dead(paths_.Get(i))) continue;
    ok = WriteEntry(f, paths_.Get(i), entries_[i]);
    live_paths.Intern(paths_.Get(i));
    live_entries.push_back(entries_[i]);
  }
  if (fclose(f) != 0) ok = false;
  if (!ok) {
    *err = strerror(errno);
    unlink(temp.c_str());
    return false;
  }
  if (rename(temp.c_str(), path.c_str()) < 0) {
    *err = strerror(errno);
    unlink(temp.c_str());
    return false;
  }
  paths_ = std::move(live_paths);
  entries_ = std::move(live_entries);
  entry_by_node_.clear();
  needs_recompaction_ = false;
  return true;
}

bool BuildLog::Restat(const std::string& path,
                      const std::function<int64_t(std::string_view)>& stat,
                      const std::vector<std::string>& outputs, std::string* err) {
  for (uint32_t i = 0; i < paths_.size(); ++i) {
    bool wanted = outputs.empty();
    for (const std::string& output : outputs) wanted |= output == paths_.Get(i);
    if (!wanted) continue;
    const int64_t mtime = stat(paths_.Get(i));
    if (mtime < 0) {
      *err = "stat failed for " + std::string(paths_.Get(i));
      return false;
    }
    entries_[i].mtime = mtime;
  }
  return Recompact(path, nullptr, err);
}

}  // namespace composer
