#include "parse/graph_image.h"

#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <memory>
#include <thread>
#include <type_traits>
#include <utility>

#include "graph/edge_env.h"
#include "util/file_system.h"
#include "util/hash.h"
#include "util/log.h"
#include "util/metrics.h"
#include "util/version.h"

namespace composer {

namespace {

constexpr char kMagic[16] = {'#', ' ', 'c', 'o', 'm', 'p', 'o', 's',
                             'e', 'r', 'g', 'r', 'a', 'p', 'h', '\n'};
constexpr uint32_t kFormatVersion = 1;
constexpr uint32_t kEndianMark = 0x01020304;
// magic, version, endian mark, body size, body hash.
constexpr size_t kHeaderSize = 16 + 4 + 4 + 8 + 8;

static_assert(std::is_trivially_copyable_v<Edge>);
static_assert(std::is_trivially_copyable_v<EdgeBinding>);
static_assert(std::is_trivially_copyable_v<EvalString::Piece>);
static_assert(sizeof(NodeId) == 4 && sizeof(EdgeId) == 4);

// Appends little pieces to one string, arrays aligned to 8 bytes.
class Writer {
 public:
  std::string out;

  void Bytes(const void* data, size_t size) {
    if (size) out.append(static_cast<const char*>(data), size);
  }
  void U32(uint32_t value) { Bytes(&value, sizeof value); }
  void U64(uint64_t value) { Bytes(&value, sizeof value); }
  void Align() { out.append((8 - out.size() % 8) % 8, '\0'); }
  void Str(std::string_view s) {
    U64(s.size());
    Bytes(s.data(), s.size());
    Align();
  }
  template <typename T>
  void Array(const T* data, size_t count) {
    U64(count);
    Bytes(data, count * sizeof(T));
    Align();
  }
  template <typename T>
  void Array(const std::vector<T>& v) {
    Array(v.data(), v.size());
  }
};

// Reads what Writer wrote; any overrun clears ok and yields zeros.
class Reader {
 public:
  Reader(const char* data, size_t size) : begin_(data), p_(data), end_(data + size) {}
  bool ok = true;

  bool Take(size_t size, const char** at) {
    if (!ok || static_cast<size_t>(end_ - p_) < size) {
      ok = false;
      return false;
    }
    *at = p_;
    p_ += size;
    return true;
  }
  void Align() {
    const size_t offset = static_cast<size_t>(p_ - begin_);
    const size_t pad = (8 - offset % 8) % 8;
    const char* at;
    Take(pad, &at);
  }
  uint32_t U32() {
    uint32_t value = 0;
    const char* at;
    if (Take(sizeof value, &at)) memcpy(&value, at, sizeof value);
    return value;
  }
  uint64_t U64() {
    uint64_t value = 0;
    const char* at;
    if (Take(sizeof value, &at)) memcpy(&value, at, sizeof value);
    return value;
  }
  std::string_view Str() {
    const uint64_t size = U64();
    const char* at = nullptr;
    if (size > static_cast<size_t>(end_ - p_) || !Take(size, &at)) {
      ok = false;
      return {};
    }
    Align();
    return std::string_view(at, size);
  }
  template <typename T>
  void Array(std::vector<T>* v) {
    const uint64_t count = U64();
    const char* at = nullptr;
    if (!ok || count > static_cast<size_t>(end_ - p_) / sizeof(T) ||
        !Take(count * sizeof(T), &at)) {
      ok = false;
      v->clear();
      return;
    }
    v->resize(count);
    if (count) memcpy(static_cast<void*>(v->data()), at, count * sizeof(T));
    Align();
  }

 private:
  const char* begin_;
  const char* p_;
  const char* end_;
};

void WriteInterner(Writer* w, const Interner& interner) {
  const std::vector<std::string_view>& views = interner.views();
  std::vector<uint32_t> offsets;
  offsets.reserve(views.size() + 1);
  size_t total = 0;
  for (std::string_view view : views) {
    offsets.push_back(static_cast<uint32_t>(total));
    total += view.size();
  }
  offsets.push_back(static_cast<uint32_t>(total));
  w->U64(total);
  for (std::string_view view : views) w->Bytes(view.data(), view.size());
  w->Align();
  w->Array(offsets);
  w->Array(interner.hashes());
  w->Array(interner.slots());
}

bool ReadInterner(Reader* r, Interner* interner) {
  const std::string_view blob = r->Str();
  std::vector<uint32_t> offsets, hashes, slots;
  r->Array(&offsets);
  r->Array(&hashes);
  r->Array(&slots);
  if (!r->ok || offsets.empty() || offsets.size() != hashes.size() + 1 ||
      offsets.back() != blob.size())
    return false;
  std::vector<std::string_view> views(hashes.size());
  for (size_t i = 0; i < views.size(); ++i) {
    if (offsets[i] > offsets[i + 1]) return false;
    views[i] = blob.substr(offsets[i], offsets[i + 1] - offsets[i]);
  }
  return interner->Adopt(std::move(views), std::move(hashes), std::move(slots));
}

// This build of Composer: its version, the image format, the sizes of what
// the image copies whole, and the executable itself (any rebuild changes it).
std::string BuildId() {
  std::string id = std::string(kComposerVersion) + "/" + std::to_string(kFormatVersion) +
                   "/" + std::to_string(sizeof(Edge)) + "." +
                   std::to_string(sizeof(EvalString::Piece)) + "." +
                   std::to_string(sizeof(void*)) + "." + std::to_string(kRuleKeyCount);
  // The link's target rather than the link (valgrind reports its client).
  char exe[4096];
  const ssize_t length = readlink("/proc/self/exe", exe, sizeof exe - 1);
  struct stat st;
  if (length > 0 && (exe[length] = '\0', stat(exe, &st) == 0)) {
    id += "/" + std::to_string(st.st_size) + "." + std::to_string(st.st_mtim.tv_sec) +
          "." + std::to_string(st.st_mtim.tv_nsec) + "." + std::to_string(st.st_ino);
  }
  return id;
}

std::string CurrentDirectory() {
  std::string cwd(4096, '\0');
  if (!getcwd(cwd.data(), cwd.size())) return std::string();
  cwd.resize(strlen(cwd.c_str()));
  return cwd;
}

}  // namespace

bool GraphImageEnabled() {
  const char* value = getenv("COMPOSER_GRAPH_IMAGE");
  if (!value || !*value) return true;
  for (const char* off : {"0", "off", "no", "false"}) {
    if (strcasecmp(value, off) == 0) return false;
  }
  return true;
}

std::string GraphImage::Key(const std::string& manifest, const std::string& cwd,
                            const ManifestParserOptions& parser_options) {
  std::string key = BuildId();
  key += '\0';
  key += manifest;
  key += '\0';
  key += cwd;
  key += '\0';
  key += parser_options.dupbuild_is_error ? '1' : '0';
  key += parser_options.phonycycle_is_error ? '1' : '0';
  key += parser_options.quiet ? '1' : '0';
  return key;
}

// Evaluating every command is most of an image's cost (a tenth of a
// second on 90k edges), and each edge's is independent of the others':
// split the edges among the cores. The graph is only read.
void GraphImage::FillCommandHashes(Graph* graph, const GraphImageOptions& options) {
  Graph& g = *graph;
  g.command_hashes_.assign(size_t{g.edge_count()} * 2, 0);
  auto fill = [&](uint32_t begin, uint32_t end) {
    std::string command;
    for (uint32_t e = begin; e < end; ++e) {
      if (g.is_phony(EdgeId(e))) continue;
      if (!TryEvaluateCommand(g, EdgeId(e), &command)) continue;
      g.command_hashes_[size_t{e} * 2] = options.hash[0](command);
      g.command_hashes_[size_t{e} * 2 + 1] = options.hash[1](command);
    }
  };
  constexpr uint32_t kEdgesPerThread = 4096;
  const uint32_t threads =
      std::min<uint32_t>(std::max(1u, std::thread::hardware_concurrency()),
                         std::max(1u, g.edge_count() / kEdgesPerThread));
  const uint32_t chunk = (g.edge_count() + threads - 1) / std::max(1u, threads);
  std::vector<std::thread> workers;
  for (uint32_t t = 1; t < threads; ++t)
    workers.emplace_back(fill, std::min(g.edge_count(), t * chunk),
                         std::min(g.edge_count(), (t + 1) * chunk));
  fill(0, std::min(g.edge_count(), chunk));
  for (std::thread& worker : workers) worker.join();
}

std::string GraphImage::Write(Graph* graph, std::string_view key,
                              const std::vector<FileStamp>& files,
                              const std::vector<std::string>& warnings,
                              const GraphImageOptions& options) {
  Graph& g = *graph;
  if (options.hash[0] && options.hash[1]) FillCommandHashes(&g, options);

  Writer w;
  w.out.reserve(size_t{1} << 20);
  w.Bytes(kMagic, sizeof kMagic);
  w.U32(kFormatVersion);
  w.U32(kEndianMark);
  w.U64(0);  // body size, filled in below
  w.U64(0);  // body hash

  w.Str(key);
  w.U64(files.size());
  for (const FileStamp& file : files) {
    w.Str(file.path);
    w.U64(file.size);
    w.U64(static_cast<uint64_t>(file.mtime));
    w.U64(file.inode);
  }
  w.U64(warnings.size());
  for (const std::string& warning : warnings) w.Str(warning);

  WriteInterner(&w, g.names_);
  WriteInterner(&w, g.values_);
  WriteInterner(&w, g.paths_);

  // Scopes: parents, then (scope, name, value) and (scope, name, rule).
  std::vector<uint32_t> parents, vars, rules;
  for (uint32_t s = 0; s < g.scopes_.size(); ++s) {
    const Graph::Scope& scope = g.scopes_[s];
    parents.push_back(scope.parent.value);
    for (const auto& [name, value] : scope.vars)
      vars.insert(vars.end(), {s, name.value, value.value});
    for (const auto& [name, rule] : scope.rules)
      rules.insert(rules.end(), {s, name.value, rule.value});
  }
  w.Array(parents);
  w.Array(vars);
  w.Array(rules);

  w.U64(g.rules_.size());
  for (const Rule& rule : g.rules_) {
    w.U32(rule.name.value);
    w.U32(rule.scope.value);
    uint32_t present = 0;
    for (int k = 0; k < kRuleKeyCount; ++k) present |= rule.present[k] ? 1u << k : 0;
    w.U32(present);
    w.U32(0);
    for (const EvalString& binding : rule.bindings) {
      w.Str(binding.raw_text());
      w.Array(binding.pieces());
    }
  }

  std::vector<uint32_t> pools;
  for (const Pool& pool : g.pools_)
    pools.insert(pools.end(), {pool.name.value, static_cast<uint32_t>(pool.depth)});
  w.Array(pools);

  // Edges field by field into zeroed records, so padding is written as zeros.
  std::vector<Edge> edges(g.edges_.size());
  if (!edges.empty())  // data() may be null: no memset then
    memset(static_cast<void*>(edges.data()), 0, edges.size() * sizeof(Edge));
  for (size_t i = 0; i < edges.size(); ++i) {
    const Edge& from = g.edges_[i];
    Edge& to = edges[i];
    to.rule = from.rule;
    to.pool = from.pool;
    to.scope = from.scope;
    to.bindings_begin = from.bindings_begin;
    to.bindings_count = from.bindings_count;
    to.nodes_begin = from.nodes_begin;
    to.explicit_outs = from.explicit_outs;
    to.implicit_outs = from.implicit_outs;
    to.explicit_ins = from.explicit_ins;
    to.implicit_ins = from.implicit_ins;
    to.order_only_ins = from.order_only_ins;
    to.validation_count = from.validation_count;
    to.dyndep = from.dyndep;
    to.discovered_phony = from.discovered_phony;
  }
  w.Array(edges);
  w.Array(g.edge_nodes_);
  w.Array(g.edge_bindings_);
  w.Array(g.in_edge_);
  w.Array(g.out_begin_);
  w.Array(g.out_edges_);
  std::vector<uint32_t> phantoms;
  for (const auto& [edge, node] : g.phantom_out_edges_)
    phantoms.insert(phantoms.end(), {edge.value, node.value});
  w.Array(phantoms);
  w.Array(g.defaults_);
  w.Array(g.command_hashes_);

  const uint64_t body_size = w.out.size() - kHeaderSize;
  const uint64_t body_hash = HashString(std::string_view(w.out).substr(kHeaderSize));
  memcpy(w.out.data() + 24, &body_size, sizeof body_size);
  memcpy(w.out.data() + 32, &body_hash, sizeof body_hash);
  return std::move(w.out);
}

bool GraphImage::Read(std::string data, std::string_view key, Graph* graph,
                      std::vector<FileStamp>* files, std::vector<std::string>* warnings,
                      const std::function<bool(const std::vector<FileStamp>&)>& accept) {
  if (data.size() < kHeaderSize || memcmp(data.data(), kMagic, sizeof kMagic) != 0)
    return false;
  uint32_t version, endian;
  uint64_t body_size, body_hash;
  memcpy(&version, data.data() + 16, 4);
  memcpy(&endian, data.data() + 20, 4);
  memcpy(&body_size, data.data() + 24, 8);
  memcpy(&body_hash, data.data() + 32, 8);
  if (version != kFormatVersion || endian != kEndianMark ||
      body_size != data.size() - kHeaderSize)
    return false;
  // Keep the bytes where the interners' views will point: a heap string
  // whose buffer never moves.
  auto storage = std::make_unique<std::string>(std::move(data));
  const std::string_view body = std::string_view(*storage).substr(kHeaderSize);
  Reader r(storage->data(), storage->size());
  const char* skip;
  r.Take(kHeaderSize, &skip);
  if (r.Str() != key || !r.ok) return false;

  files->clear();
  const uint64_t file_count = r.U64();
  for (uint64_t i = 0; i < file_count && r.ok; ++i) {
    FileStamp file;
    file.path = std::string(r.Str());
    file.size = r.U64();
    file.mtime = static_cast<int64_t>(r.U64());
    file.inode = r.U64();
    files->push_back(std::move(file));
  }
  warnings->clear();
  const uint64_t warning_count = r.U64();
  for (uint64_t i = 0; i < warning_count && r.ok; ++i)
    warnings->push_back(std::string(r.Str()));
  if (!r.ok) return false;
  if (accept && !accept(*files)) return false;
  // Only now the whole body: a stale image costs no hashing.
  if (HashString(body) != body_hash) return false;

  Interner names, values, paths;
  if (!ReadInterner(&r, &names) || !ReadInterner(&r, &values) ||
      !ReadInterner(&r, &paths))
    return false;
  const uint32_t node_count = paths.size();

  std::vector<uint32_t> parents, vars, scope_rules;
  r.Array(&parents);
  r.Array(&vars);
  r.Array(&scope_rules);
  if (!r.ok || parents.empty() || vars.size() % 3 || scope_rules.size() % 3) return false;

  const uint64_t rule_count = r.U64();
  if (!r.ok || rule_count == 0 || rule_count > UINT32_MAX) return false;
  std::vector<Rule> rules;
  rules.reserve(rule_count);
  for (uint64_t i = 0; i < rule_count && r.ok; ++i) {
    Rule rule;
    rule.name = NameId(r.U32());
    rule.scope = ScopeId(r.U32());
    const uint32_t present = r.U32();
    r.U32();
    if (rule.name.value >= names.size() || rule.scope.value >= parents.size())
      return false;
    for (int k = 0; k < kRuleKeyCount; ++k) {
      rule.present[k] = (present >> k) & 1;
      std::string text(r.Str());
      std::vector<EvalString::Piece> pieces;
      r.Array(&pieces);
      for (const EvalString::Piece& piece : pieces) {
        if (piece.var.valid()
                ? piece.var.value >= names.size()
                : piece.offset > text.size() || piece.length > text.size() - piece.offset)
          return false;
      }
      rule.bindings[k].Assign(std::move(text), std::move(pieces));
    }
    rules.push_back(std::move(rule));
  }

  std::vector<uint32_t> pools;
  r.Array(&pools);
  std::vector<Edge> edges;
  r.Array(&edges);
  std::vector<NodeId> edge_nodes, defaults;
  std::vector<EdgeBinding> edge_bindings;
  std::vector<EdgeId> in_edge, out_edges;
  std::vector<uint32_t> out_begin, phantoms;
  std::vector<uint64_t> command_hashes;
  r.Array(&edge_nodes);
  r.Array(&edge_bindings);
  r.Array(&in_edge);
  r.Array(&out_begin);
  r.Array(&out_edges);
  r.Array(&phantoms);
  r.Array(&defaults);
  r.Array(&command_hashes);
  if (!r.ok || pools.size() < 4 || pools.size() % 2 || phantoms.size() % 2) return false;

  // Every id in range, so a damaged image can never index out of bounds.
  const uint32_t scope_count = static_cast<uint32_t>(parents.size());
  const uint32_t edge_count = static_cast<uint32_t>(edges.size());
  const uint32_t pool_count = static_cast<uint32_t>(pools.size() / 2);
  for (uint32_t s = 0; s < scope_count; ++s) {
    if (s == 0 ? parents[s] != ScopeId::kInvalid : parents[s] >= s) return false;
  }
  for (size_t i = 0; i < vars.size(); i += 3) {
    if (vars[i] >= scope_count || vars[i + 1] >= names.size() ||
        vars[i + 2] >= values.size())
      return false;
  }
  for (size_t i = 0; i < scope_rules.size(); i += 3) {
    if (scope_rules[i] >= scope_count || scope_rules[i + 1] >= names.size() ||
        scope_rules[i + 2] >= rule_count)
      return false;
  }
  for (size_t i = 0; i < pools.size(); i += 2) {
    if (pools[i] >= names.size()) return false;
  }
  for (const Edge& e : edges) {
    const uint64_t node_run = uint64_t{e.out_count()} + e.in_count() + e.validation_count;
    if (e.rule.value >= rule_count || e.pool.value >= pool_count ||
        e.scope.value >= scope_count ||
        uint64_t{e.bindings_begin} + e.bindings_count > edge_bindings.size() ||
        uint64_t{e.nodes_begin} + node_run > edge_nodes.size() ||
        (e.dyndep.valid() && e.dyndep.value >= node_count))
      return false;
  }
  for (NodeId node : edge_nodes) {
    if (node.value >= node_count) return false;
  }
  for (const EdgeBinding& binding : edge_bindings) {
    if (binding.name.value >= names.size() || binding.value.value >= values.size())
      return false;
  }
  if (in_edge.size() != node_count || out_begin.size() != size_t{node_count} + 1 ||
      out_begin[0] != 0 || out_begin.back() != out_edges.size())
    return false;
  for (EdgeId edge : in_edge) {
    if (edge.valid() && edge.value >= edge_count) return false;
  }
  for (uint32_t n = 0; n < node_count; ++n) {
    if (out_begin[n] > out_begin[n + 1]) return false;
  }
  for (EdgeId edge : out_edges) {
    if (edge.value >= edge_count) return false;
  }
  for (size_t i = 0; i < phantoms.size(); i += 2) {
    if (phantoms[i] >= edge_count || phantoms[i + 1] >= node_count) return false;
  }
  for (NodeId node : defaults) {
    if (node.value >= node_count) return false;
  }
  if (!command_hashes.empty() && command_hashes.size() != size_t{edge_count} * 2)
    return false;

  // All well: adopt.
  Graph& g = *graph;
  g.names_ = std::move(names);
  g.values_ = std::move(values);
  g.paths_ = std::move(paths);
  g.scopes_.assign(scope_count, Graph::Scope{});
  for (uint32_t s = 0; s < scope_count; ++s) g.scopes_[s].parent = ScopeId(parents[s]);
  for (size_t i = 0; i < vars.size(); i += 3)
    g.scopes_[vars[i]].vars[NameId(vars[i + 1])] = ValueId(vars[i + 2]);
  for (size_t i = 0; i < scope_rules.size(); i += 3)
    g.scopes_[scope_rules[i]].rules[NameId(scope_rules[i + 1])] =
        RuleId(scope_rules[i + 2]);
  g.rules_ = std::move(rules);
  g.pools_.clear();
  g.pool_by_name_.clear();
  for (size_t i = 0; i < pools.size(); i += 2) {
    g.pools_.push_back(Pool{NameId(pools[i]), static_cast<int>(pools[i + 1])});
    // The default pool has no name to look it up by.
    if (i > 0) g.pool_by_name_[NameId(pools[i])] = PoolId(static_cast<uint32_t>(i / 2));
  }
  g.edges_ = std::move(edges);
  g.edge_nodes_ = std::move(edge_nodes);
  g.edge_bindings_ = std::move(edge_bindings);
  g.in_edge_ = std::move(in_edge);
  g.out_begin_ = std::move(out_begin);
  g.out_edges_ = std::move(out_edges);
  g.added_out_.clear();
  g.added_out_head_.clear();
  g.added_out_tail_.clear();
  g.phantom_out_edges_.clear();
  for (size_t i = 0; i < phantoms.size(); i += 2)
    g.phantom_out_edges_.push_back({EdgeId(phantoms[i]), NodeId(phantoms[i + 1])});
  g.validation_out_edges_.clear();
  for (uint32_t e = 0; e < edge_count; ++e) {
    if (g.edges_[e].validation_count == 0) continue;
    for (NodeId v : g.validations(EdgeId(e)))
      g.validation_out_edges_[v].push_back(EdgeId(e));
  }
  g.defaults_ = std::move(defaults);
  g.command_hashes_ = std::move(command_hashes);
  g.image_storage_ = std::move(storage);
  return true;
}

bool LoadManifestWithImage(const std::string& manifest,
                           const ManifestParserOptions& parser_options,
                           const GraphImageOptions& image_options, Graph* graph,
                           FileSystem* file_system, std::string* err) {
  bool unused;
  bool& current = image_options.current ? *image_options.current : unused;
  current = false;
  const bool enabled = GraphImageEnabled();
  std::string key;
  if (enabled) {
    ScopedMetric metric("graph image load");
    key = GraphImage::Key(
        manifest, image_options.cwd.empty() ? CurrentDirectory() : image_options.cwd,
        parser_options);
    std::string data, read_err;
    std::string stat_err;
    const FileStat image_stat = file_system->Stat(image_options.path, &stat_err);
    if (image_stat.kind == FileStat::kFile &&
        file_system->ReadFile(image_options.path, &data, &read_err) ==
            FileSystem::ReadStatus::kOkay) {
      std::vector<GraphImage::FileStamp> files;
      std::vector<std::string> warnings;
      auto fresh = [&](const std::vector<GraphImage::FileStamp>& stamps) {
        if (stamps.empty()) return false;
        for (const GraphImage::FileStamp& file : stamps) {
          const FileStat st = file_system->Stat(file.path, &stat_err);
          // A file changed in the same clock tick as the image was written
          // could change again unseen: trust only files older than the image.
          if (st.kind != FileStat::kFile || st.size != file.size ||
              st.mtime != file.mtime || st.inode != file.inode ||
              st.mtime >= image_stat.mtime)
            return false;
        }
        return true;
      };
      if (GraphImage::Read(std::move(data), key, graph, &files, &warnings, fresh)) {
        for (const std::string& warning : warnings) Warning("%s", warning.c_str());
        current = true;
        return true;
      }
    }
  }

  // File times come from the kernel's coarse clock: a file changed after
  // this moment has an mtime at least this (see the check below).
  struct timespec start;
  clock_gettime(CLOCK_REALTIME_COARSE, &start);
  const int64_t parse_start = int64_t{start.tv_sec} * 1000000000 + start.tv_nsec;
  ManifestParser parser(graph, file_system, parser_options);
  parser.set_stat_files(enabled && image_options.write);
  if (!parser.Load(manifest, err)) return false;
  graph->FinishLoading();
  if (!enabled || !image_options.write) return true;

  ScopedMetric metric("graph image write");
  std::vector<GraphImage::FileStamp> files;
  for (size_t i = 0; i < parser.files_read().size(); ++i) {
    const std::string& path = parser.files_read()[i];
    const FileStat& before = parser.file_stats()[i];
    std::string stat_err;
    const FileStat st = file_system->Stat(path, &stat_err);
    // Nothing to check it by; or changed while it was read; or changed
    // since the parse started, in a clock tick a later change could repeat.
    if (st.kind != FileStat::kFile || before.kind != FileStat::kFile ||
        st.size != before.size || st.mtime != before.mtime || st.inode != before.inode ||
        st.mtime >= parse_start)
      return true;
    files.push_back(GraphImage::FileStamp{path, st.size, st.mtime, st.inode});
  }
  const std::string data =
      GraphImage::Write(graph, key, files, parser.warnings(), image_options);
  std::string write_err;
  current = file_system->WriteFile(image_options.path, data, &write_err);  // best effort
  return true;
}

}  // namespace composer
