#include "state/deps_log.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include <cstring>

#include "util/metrics.h"
#include "util/record_reader.h"

namespace composer {

namespace {

constexpr char kSignature[] = "# ninjadeps\n";
constexpr int32_t kCurrentVersion = 4;
// Records are limited to under 512 KiB, as in Ninja.
constexpr uint32_t kMaxRecordSize = (1u << 19) - 1;
constexpr uint32_t kMinCompactionEntryCount = 1000;
constexpr uint32_t kCompactionRatio = 3;

uint32_t ReadU32(const char* p) {
  uint32_t v;
  memcpy(&v, p, 4);
  return v;
}

}  // namespace

DepsLog::~DepsLog() {
  Close();
}

void DepsLog::SetDeps(int32_t out_id, int64_t mtime, const NodeId* nodes,
                      uint32_t count) {
  if (static_cast<size_t>(out_id) >= deps_.size()) {
    deps_.resize(out_id + 1);
    has_deps_.resize(out_id + 1, false);
  }
  deps_[out_id] = Deps{mtime, storage_.Append(std::span<const NodeId>(nodes, count))};
  has_deps_[out_id] = true;
}

LoadStatus DepsLog::Load(const std::string& path, Graph* graph, std::string* err) {
  ScopedMetric metric(".ninja_deps load");
  RecordReader reader;
  int error = 0;
  if (!reader.Open(path, &error)) {
    if (error == ENOENT) return LoadStatus::kNotFound;
    *err = strerror(error);
    return LoadStatus::kError;
  }

  const size_t header_size = sizeof(kSignature) - 1 + 4;
  std::string header;
  int32_t version = 0;
  const bool have_header = reader.ReadHeader(header_size, &header);
  if (reader.error()) {
    *err = strerror(reader.error());
    return LoadStatus::kError;
  }
  if (have_header) memcpy(&version, header.data() + header_size - 4, 4);
  if (!have_header || memcmp(header.data(), kSignature, header_size - 4) != 0 ||
      version != kCurrentVersion) {
    *err = version == 1 ? "deps log version change; rebuilding"
                        : "bad deps log signature or version; starting over";
    unlink(path.c_str());
    return LoadStatus::kSuccess;
  }

  uint64_t offset = reader.offset();  // the end of the last sound record
  uint32_t total_records = 0, unique_records = 0;
  bool torn = false;
  std::vector<NodeId> scratch;
  for (;;) {
    uint32_t head = 0, size = 0;
    const char* record = nullptr;
    const RecordReader::Result result =
        reader.Next(0x7fffffff, kMaxRecordSize, &head, &record, &size);
    if (result == RecordReader::Result::kEnd) break;
    if (result == RecordReader::Result::kError) {
      *err = strerror(reader.error());
      return LoadStatus::kError;
    }
    if (result == RecordReader::Result::kTorn) {
      torn = true;
      break;
    }
    const bool is_deps = (head >> 31) != 0;
    if (is_deps) {
      // out id, mtime (two halves), then input ids; every id must be known.
      if (size < 12 || size % 4 != 0) {
        torn = true;
        break;
      }
      const int32_t out_id = static_cast<int32_t>(ReadU32(record));
      const int64_t mtime = static_cast<int64_t>(
          (static_cast<uint64_t>(ReadU32(record + 8)) << 32) | ReadU32(record + 4));
      const uint32_t count = (size - 12) / 4;
      bool valid = out_id >= 0 && static_cast<size_t>(out_id) < nodes_.size();
      scratch.clear();
      for (uint32_t i = 0; valid && i < count; ++i) {
        const uint32_t id = ReadU32(record + 12 + 4 * i);
        if (id >= nodes_.size()) {
          valid = false;
          break;
        }
        scratch.push_back(nodes_[id]);
      }
      if (!valid) {
        torn = true;
        break;
      }
      ++total_records;
      if (static_cast<size_t>(out_id) >= has_deps_.size() || !has_deps_[out_id])
        ++unique_records;
      SetDeps(out_id, mtime, scratch.data(), count);
    } else {
      // Path, NUL padding to four bytes, then the one's complement of the
      // id it gets: a mismatch means two writers raced on this file.
      if (size < 5) {
        torn = true;
        break;
      }
      uint32_t path_size = size - 4;
      for (int pad = 0; pad < 3 && path_size > 0 && record[path_size - 1] == '\0'; ++pad)
        --path_size;
      const uint32_t checksum = ReadU32(record + size - 4);
      if (~checksum != nodes_.size() || path_size == 0) {
        torn = true;
        break;
      }
      const NodeId node = graph->GetNode(std::string_view(record, path_size));
      if (node.value >= id_of_node_.size()) id_of_node_.resize(node.value + 1, -1);
      if (id_of_node_[node.value] >= 0) {
        torn = true;  // a path listed twice: corrupt
        break;
      }
      id_of_node_[node.value] = static_cast<int32_t>(nodes_.size());
      nodes_.push_back(node);
    }
    offset = reader.offset();
  }

  if (torn) {
    // Keep everything before the damaged record; the build goes on.
    if (truncate(path.c_str(), static_cast<off_t>(offset)) < 0) {
      *err = "truncating '" + path + "': " + strerror(errno);
      return LoadStatus::kError;
    }
    *err = "premature end of file; recovering";
    return LoadStatus::kSuccess;
  }

  if (total_records > kMinCompactionEntryCount &&
      total_records > unique_records * kCompactionRatio)
    needs_recompaction_ = true;
  return LoadStatus::kSuccess;
}

const DepsLog::Deps* DepsLog::GetDeps(NodeId node) const {
  const int32_t id = IdOf(node);
  if (id < 0 || static_cast<size_t>(id) >= deps_.size() || !has_deps_[id]) return nullptr;
  return &deps_[id];
}

NodeId DepsLog::FirstReverseDepsNode(NodeId node) const {
  for (size_t id = 0; id < deps_.size(); ++id) {
    if (!has_deps_[id]) continue;
    for (NodeId in : deps_[id].nodes) {
      if (in == node) return nodes_[id];
    }
  }
  return NodeId();
}

std::vector<NodeId> DepsLog::NodesWithDeps() const {
  std::vector<NodeId> result;
  for (size_t id = 0; id < deps_.size(); ++id) {
    if (has_deps_[id]) result.push_back(nodes_[id]);
  }
  return result;
}

bool DepsLog::OpenForWrite(const std::string& path,
                           const std::function<bool(NodeId)>& is_live, const Graph& graph,
                           std::string* err) {
  if (needs_recompaction_ && !Recompact(path, is_live, graph, err)) return false;
  path_ = path;
  return true;
}

bool DepsLog::EnsureOpen(std::string* err) {
  if (file_) return true;
  if (path_.empty()) return true;  // not writing (dry run)
  file_ = fopen(path_.c_str(), "ab");
  if (!file_) {
    *err = "Error writing to deps log: " + std::string(strerror(errno));
    return false;
  }
  fcntl(fileno(file_), F_SETFD, FD_CLOEXEC);
  // A buffer larger than any record: each record leaves in one write().
  setvbuf(file_, nullptr, _IOFBF, kMaxRecordSize + 1);
  fseek(file_, 0, SEEK_END);
  if (ftell(file_) == 0) {
    if (fwrite(kSignature, sizeof(kSignature) - 1, 1, file_) < 1 ||
        fwrite(&kCurrentVersion, 4, 1, file_) < 1) {
      *err = "Error writing to deps log: " + std::string(strerror(errno));
      return false;
    }
  }
  return true;
}

bool DepsLog::WriteRecord(const void* data, size_t size, std::string* err) {
  if (!file_) return true;
  if (fwrite(data, size, 1, file_) < 1 || fflush(file_) != 0) {
    *err = "Error writing to deps log: " + std::string(strerror(errno));
    return false;
  }
  return true;
}

bool DepsLog::RecordId(const Graph& graph, NodeId node, std::string* err) {
  const std::string_view path = graph.Path(node);
  const uint32_t padding = (4 - path.size() % 4) % 4;
  const uint32_t size = static_cast<uint32_t>(path.size()) + padding + 4;
  if (size > kMaxRecordSize) {
    *err = "deps log: path too long: " + std::string(path);
    return false;
  }
  const int32_t id = static_cast<int32_t>(nodes_.size());
  std::string record(4, '\0');
  memcpy(record.data(), &size, 4);
  record.append(path);
  record.append(padding, '\0');
  const uint32_t checksum = ~static_cast<uint32_t>(id);
  record.append(reinterpret_cast<const char*>(&checksum), 4);
  if (!EnsureOpen(err) || !WriteRecord(record.data(), record.size(), err)) return false;
  if (node.value >= id_of_node_.size()) id_of_node_.resize(node.value + 1, -1);
  id_of_node_[node.value] = id;
  nodes_.push_back(node);
  return true;
}

bool DepsLog::RecordDeps(const Graph& graph, NodeId output, int64_t mtime,
                         std::span<const NodeId> inputs, std::string* err) {
  bool changed = false;
  if (IdOf(output) < 0) {
    if (!RecordId(graph, output, err)) return false;
    changed = true;
  }
  for (NodeId in : inputs) {
    if (IdOf(in) < 0) {
      if (!RecordId(graph, in, err)) return false;
      changed = true;
    }
  }
  if (!changed) {
    const Deps* old = GetDeps(output);
    changed = !old || old->mtime != mtime || old->nodes.size() != inputs.size() ||
              !std::equal(inputs.begin(), inputs.end(), old->nodes.begin());
  }
  if (!changed) return true;

  const uint32_t size = 4 * (1 + 2 + static_cast<uint32_t>(inputs.size()));
  if (size > kMaxRecordSize) {
    *err = "deps log: too many inputs for " + std::string(graph.Path(output));
    return false;
  }
  std::vector<uint32_t> record;
  record.reserve(4 + inputs.size());
  record.push_back(size | 0x80000000u);
  record.push_back(static_cast<uint32_t>(IdOf(output)));
  record.push_back(static_cast<uint32_t>(static_cast<uint64_t>(mtime) & 0xffffffffu));
  record.push_back(static_cast<uint32_t>(static_cast<uint64_t>(mtime) >> 32));
  for (NodeId in : inputs) record.push_back(static_cast<uint32_t>(IdOf(in)));
  if (!EnsureOpen(err) || !WriteRecord(record.data(), record.size() * 4, err))
    return false;
  SetDeps(IdOf(output), mtime, inputs.data(), static_cast<uint32_t>(inputs.size()));
  return true;
}

void DepsLog::Close() {
  if (file_) fclose(file_);
  file_ = nullptr;
}

bool DepsLog::Recompact(const std::string& path,
                        const std::function<bool(NodeId)>& is_live, const Graph& graph,
                        std::string* err) {
  Close();
  const std::string temp = path + ".recompact";
  unlink(temp.c_str());
  DepsLog fresh;
  fresh.path_ = temp;
  if (!fresh.EnsureOpen(err)) return false;
  for (size_t id = 0; id < deps_.size(); ++id) {
    if (!has_deps_[id]) continue;
    if (is_live && !is_live(nodes_[id])) continue;
    if (!fresh.RecordDeps(graph, nodes_[id], deps_[id].mtime, deps_[id].nodes, err)) {
      fresh.Close();
      unlink(temp.c_str());
      return false;
    }
  }
  fresh.Close();
  if (rename(temp.c_str(), path.c_str()) < 0) {
    *err = strerror(errno);
    unlink(temp.c_str());
    return false;
  }
  nodes_ = std::move(fresh.nodes_);
  id_of_node_ = std::move(fresh.id_of_node_);
  deps_ = std::move(fresh.deps_);
  has_deps_ = std::move(fresh.has_deps_);
  storage_ = std::move(fresh.storage_);
  needs_recompaction_ = false;
  return true;
}

}  // namespace composer
