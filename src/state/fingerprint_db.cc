#include "state/fingerprint_db.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include <cstring>

#include "util/binary_put.h"
#include "util/metrics.h"
#include "util/record_reader.h"

namespace composer {

namespace {

constexpr char kMagic[] = "# composerdb\n";
constexpr size_t kHeaderSize = sizeof(kMagic) - 1 + 4;
// A record: u32 (kind << 28 | payload size), then the payload.
constexpr uint32_t kPathRecord = 0;
constexpr uint32_t kFingerprintRecord = 1;
constexpr uint32_t kLogMarkerRecord = 2;
// Payload: the db id of a command's first output.
constexpr uint32_t kCommandStartedRecord = 3;
constexpr uint32_t kCommandFinishedRecord = 4;
constexpr uint32_t kSizeMask = (1u << 28) - 1;
constexpr uint32_t kMaxPayload = 1u << 20;
// Fingerprint payload: id, size, mtime, inode, hash (2 x u64), content time.
constexpr uint32_t kFingerprintPayload = 4 + 8 * 6;
// Log marker payload: size, mtime, inode of .ninja_log.
constexpr uint32_t kLogMarkerPayload = 8 * 3;

template <typename T>
T Read(const char* p) {
  T v;
  memcpy(&v, p, sizeof(v));
  return v;
}

}  // namespace

FingerprintDb::~FingerprintDb() {
  Close();
}

LoadStatus FingerprintDb::Load(const std::string& path, Graph* graph, std::string* err) {
  ScopedMetric metric(".composer_db load");
  RecordReader reader;
  int error = 0;
  if (!reader.Open(path, &error)) {
    if (error == ENOENT) return LoadStatus::kNotFound;
    *err = strerror(error);
    return LoadStatus::kError;
  }
  std::string header;
  if (!reader.ReadHeader(kHeaderSize, &header) ||
      memcmp(header.data(), kMagic, kHeaderSize - 4) != 0 ||
      Read<uint32_t>(header.data() + kHeaderSize - 4) != kVersion) {
    if (reader.error()) {
      *err = strerror(reader.error());
      return LoadStatus::kError;
    }
    // Another version or not ours: start afresh (it only makes builds
    // hash files again).
    *err = "'" + path + "': unknown format or version; starting over";
    unlink(path.c_str());
    return LoadStatus::kSuccess;
  }

  bool torn = false;
  uint64_t offset = reader.offset();  // the end of the last sound record
  for (;;) {
    uint32_t head = 0, size = 0;
    const char* p = nullptr;
    const RecordReader::Result result =
        reader.Next(kSizeMask, kMaxPayload, &head, &p, &size);
    if (result == RecordReader::Result::kEnd) break;
    if (result == RecordReader::Result::kError) {
      *err = strerror(reader.error());
      return LoadStatus::kError;
    }
    if (result == RecordReader::Result::kTorn) {
      torn = true;
      break;
    }
    const uint32_t kind = head >> 28;
    if (kind == kPathRecord) {
      // Path, NUL padding to four bytes, then the complement of its id.
      if (size < 8 || size % 4 != 0 || ~Read<uint32_t>(p + size - 4) != nodes_.size()) {
        torn = true;
        break;
      }
      uint32_t length = size - 4;
      while (length > 0 && p[length - 1] == '\0') --length;
      const NodeId node = graph->GetNode(std::string_view(p, length));
      if (node.value >= id_of_node_.size()) id_of_node_.resize(node.value + 1, -1);
      if (length == 0 || id_of_node_[node.value] >= 0) {
        torn = true;
        break;
      }
      id_of_node_[node.value] = static_cast<int32_t>(nodes_.size());
      nodes_.push_back(node);
      prints_.emplace_back();
      has_print_.push_back(0);
      unfinished_.push_back(0);
    } else if (kind == kFingerprintRecord) {
      if (size != kFingerprintPayload) {
        torn = true;
        break;
      }
      const uint32_t id = Read<uint32_t>(p);
      if (id >= nodes_.size()) {
        torn = true;
        break;
      }
      Fingerprint& print = prints_[id];
      print.size = Read<uint64_t>(p + 4);
      print.mtime = Read<int64_t>(p + 12);
      print.inode = Read<uint64_t>(p + 20);
      print.hash.low = Read<uint64_t>(p + 28);
      print.hash.high = Read<uint64_t>(p + 36);
      print.content_mtime = Read<int64_t>(p + 44);
      has_print_[id] = 1;
      ++total_records_;
    } else if (kind == kCommandStartedRecord || kind == kCommandFinishedRecord) {
      const uint32_t id = size == 4 ? Read<uint32_t>(p) : UINT32_MAX;
      if (id >= nodes_.size()) {
        torn = true;
        break;
      }
      unfinished_[id] = kind == kCommandStartedRecord;
    } else if (kind == kLogMarkerRecord) {
      if (size != kLogMarkerPayload) {
        torn = true;
        break;
      }
      marker_.size = Read<uint64_t>(p);
      marker_.mtime = Read<int64_t>(p + 8);
      marker_.inode = Read<uint64_t>(p + 16);
      has_marker_ = true;
    } else {
      // A record kind from a newer Composer: skip it.
    }
    offset = reader.offset();
  }
  if (torn) {
    if (truncate(path.c_str(), static_cast<off_t>(offset)) < 0) {
      *err = "truncating '" + path + "': " + strerror(errno);
      return LoadStatus::kError;
    }
    *err = "'" + path + "': premature end of file; recovering";
  }
  uint32_t unique = 0;
  for (uint8_t has : has_print_) unique += has;
  if (total_records_ > 1000 && total_records_ > 3 * unique) needs_recompaction_ = true;
  return LoadStatus::kSuccess;
}

bool FingerprintDb::OpenForWrite(const std::string& path, const Graph& graph,
                                 std::string* err) {
  if (!path.empty() && needs_recompaction_ && !Recompact(path, graph, err)) return false;
  path_ = path;
  return true;
}

void FingerprintDb::Close() {
  if (file_) fclose(file_);
  file_ = nullptr;
}

bool FingerprintDb::EnsureOpen(std::string* err) {
  if (file_ || path_.empty()) return true;
  file_ = fopen(path_.c_str(), "ab");
  if (!file_) {
    *err = "opening '" + path_ + "': " + strerror(errno);
    return false;
  }
  fcntl(fileno(file_), F_SETFD, FD_CLOEXEC);
  fseek(file_, 0, SEEK_END);
  if (ftell(file_) == 0) {
    std::string header(kMagic, sizeof(kMagic) - 1);
    Put<uint32_t>(&header, kVersion);
    if (fwrite(header.data(), header.size(), 1, file_) < 1) {
      *err = "writing '" + path_ + "': " + strerror(errno);
      return false;
    }
  }
  return true;
}

bool FingerprintDb::Write(const void* data, size_t size, std::string* err) {
  if (!file_) return true;
  // Each record leaves in one write: a crash tears at most the last one.
  if (fwrite(data, size, 1, file_) < 1 || fflush(file_) != 0) {
    *err = "writing '" + path_ + "': " + strerror(errno);
    return false;
  }
  return true;
}

const Fingerprint* FingerprintDb::Find(NodeId node) const {
  const int32_t id = IdOf(node);
  if (id < 0 || !has_print_[id]) return nullptr;
  return &prints_[id];
}

bool FingerprintDb::Record(const Graph& graph, NodeId node, const Fingerprint& print,
                           std::string* err) {
  if (!EnsureOpen(err)) return false;
  std::string record;
  const int32_t id = EnsureId(graph, node, &record);
  Put<uint32_t>(&record, (kFingerprintRecord << 28) | kFingerprintPayload);
  Put<uint32_t>(&record, static_cast<uint32_t>(id));
  Put<uint64_t>(&record, print.size);
  Put<int64_t>(&record, print.mtime);
  Put<uint64_t>(&record, print.inode);
  Put<uint64_t>(&record, print.hash.low);
  Put<uint64_t>(&record, print.hash.high);
  Put<int64_t>(&record, print.content_mtime);
  prints_[id] = print;
  has_print_[id] = 1;
  ++total_records_;
  return Write(record.data(), record.size(), err);
}

int32_t FingerprintDb::EnsureId(const Graph& graph, NodeId node, std::string* record) {
  int32_t id = IdOf(node);
  if (id >= 0) return id;
  const std::string_view path = graph.Path(node);
  const uint32_t padding = 4 - path.size() % 4;  // at least one NUL
  Put<uint32_t>(record,
                (kPathRecord << 28) | static_cast<uint32_t>(path.size() + padding + 4));
  record->append(path);
  record->append(padding, '\0');
  id = static_cast<int32_t>(nodes_.size());
  Put<uint32_t>(record, ~static_cast<uint32_t>(id));
  if (node.value >= id_of_node_.size()) id_of_node_.resize(node.value + 1, -1);
  id_of_node_[node.value] = id;
  nodes_.push_back(node);
  prints_.emplace_back();
  has_print_.push_back(0);
  unfinished_.push_back(0);
  return id;
}

bool FingerprintDb::RecordCommandState(const Graph& graph, NodeId node, uint32_t kind,
                                       std::string* err) {
  const bool started = kind == kCommandStartedRecord;
  const int32_t known = IdOf(node);
  // Finishing what never started (or finished already) needs no record.
  if (!started && (known < 0 || !unfinished_[known])) return true;
  if (!EnsureOpen(err)) return false;
  std::string record;
  const int32_t id = EnsureId(graph, node, &record);
  Put<uint32_t>(&record, (kind << 28) | 4);
  Put<uint32_t>(&record, static_cast<uint32_t>(id));
  unfinished_[id] = started;
  return Write(record.data(), record.size(), err);
}

bool FingerprintDb::CommandStarted(const Graph& graph, NodeId first_output,
                                   std::string* err) {
  return RecordCommandState(graph, first_output, kCommandStartedRecord, err);
}

bool FingerprintDb::CommandFinished(const Graph& graph, NodeId first_output,
                                    std::string* err) {
  return RecordCommandState(graph, first_output, kCommandFinishedRecord, err);
}

bool FingerprintDb::RecordLogMarker(const LogMarker& marker, std::string* err) {
  // The same marker again says nothing new (a no-op build): the file stays
  // as it was rather than growing by a record per run.
  if (has_marker_ && marker_ == marker) return true;
  if (!EnsureOpen(err)) return false;
  std::string record;
  Put<uint32_t>(&record, (kLogMarkerRecord << 28) | kLogMarkerPayload);
  Put<uint64_t>(&record, marker.size);
  Put<int64_t>(&record, marker.mtime);
  Put<uint64_t>(&record, marker.inode);
  marker_ = marker;
  has_marker_ = true;
  return Write(record.data(), record.size(), err);
}

bool FingerprintDb::Recompact(const std::string& path, const Graph& graph,
                              std::string* err) {
  Close();
  const std::string temp = path + ".recompact";
  unlink(temp.c_str());
  FingerprintDb fresh;
  fresh.path_ = temp;
  for (size_t id = 0; id < nodes_.size(); ++id) {
    if ((has_print_[id] && !fresh.Record(graph, nodes_[id], prints_[id], err)) ||
        (unfinished_[id] && !fresh.CommandStarted(graph, nodes_[id], err))) {
      fresh.Close();
      unlink(temp.c_str());
      return false;
    }
  }
  fresh.Close();
  if (fresh.nodes_.empty()) {
    unlink(path.c_str());
  } else if (rename(temp.c_str(), path.c_str()) < 0) {
    *err = "rename(" + temp + "): " + strerror(errno);
    unlink(temp.c_str());
    return false;
  }
  nodes_ = std::move(fresh.nodes_);
  id_of_node_ = std::move(fresh.id_of_node_);
  prints_ = std::move(fresh.prints_);
  has_print_ = std::move(fresh.has_print_);
  unfinished_ = std::move(fresh.unfinished_);
  total_records_ = fresh.total_records_;
  needs_recompaction_ = false;
  has_marker_ = false;  // the new file has none: the next RecordLogMarker writes it
  return true;
}

}  // namespace composer
