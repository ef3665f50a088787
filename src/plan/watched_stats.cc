#include "plan/watched_stats.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <unordered_map>
#include <unordered_set>

#include "plan/stat_prefetch.h"
#include "util/log.h"
#include "util/metrics.h"
#include "watch/watch_client.h"
#include "watch/watch_paths.h"

namespace composer {

namespace {

struct Hash128Hasher {
  size_t operator()(const Hash128& h) const { return h.low; }
};

struct FreshStat {
  FileStat stat;
  bool reusable = false;  // may be vouched for by the watcher next time
  // A directory (not through a link): reusable once the watcher follows
  // it itself, since its mtime moves with its entries.
  bool directory = false;
};

// lstat first: a symbolic link's target may live in a directory nobody
// watches, so a link's stat is never reused.
FreshStat StatEntry(const std::string& path) {
  FreshStat result;
  struct stat st;
  if (lstat(path.c_str(), &st) != 0) {
    if (errno == ENOENT || errno == ENOTDIR) {
      result.reusable = !watch::ParentDir(path).empty();
    } else {
      result.stat.kind = FileStat::kError;
    }
    return result;
  }
  if (S_ISLNK(st.st_mode)) {
    if (stat(path.c_str(), &st) != 0) {
      if (errno != ENOENT && errno != ENOTDIR) result.stat.kind = FileStat::kError;
      return result;
    }
    result.stat = FileStatOf(st);
    return result;
  }
  result.stat = FileStatOf(st);
  result.directory = result.stat.kind == FileStat::kDirectory;
  result.reusable = !result.directory && !watch::ParentDir(path).empty();
  return result;
}

std::vector<FreshStat> StatAll(const Graph& graph, std::span<const NodeId> nodes,
                               unsigned threads) {
  if (nodes.size() < 2048) threads = 1;  // below this, threads cost more than they save
  return MapPathsInParallel<FreshStat>(graph, nodes, threads, &StatEntry);
}

// The directories of `nodes`, once each.
std::vector<std::string> DirsOf(const Graph& graph, std::span<const NodeId> nodes) {
  std::unordered_set<std::string> seen;
  std::vector<std::string> dirs;
  for (NodeId node : nodes) {
    std::string dir = watch::ParentDir(graph.Path(node));
    if (!dir.empty() && seen.insert(dir).second) dirs.push_back(std::move(dir));
  }
  return dirs;
}

// Whether `path` or a directory above it is in `subtrees`.
bool UnderAny(const std::unordered_set<std::string_view>& subtrees,
              const std::string& path) {
  if (subtrees.count(path)) return true;
  for (std::string dir = watch::ParentDir(path); !dir.empty();
       dir = watch::ParentDir(dir))
    if (subtrees.count(dir)) return true;
  return false;
}

// Directory nodes stat'ed now: asks the watcher to follow each itself (an
// entry created or removed inside moves its mtime, and only its own watch
// hears of that). One it followed since before `token` is vouched for like
// a file; one it starts following only now is reported as a subtree, and
// is stat'ed again next time (and vouched for from then on).
void VouchForDirectories(const Graph& graph, std::span<const NodeId> stated,
                         watch::Token token, std::vector<FreshStat>* fresh) {
  watch::Request request;
  request.since = token;
  for (size_t j = 0; j < fresh->size(); ++j)
    if ((*fresh)[j].directory) request.dirs.emplace_back(graph.Path(stated[j]));
  if (request.dirs.empty()) return;
  watch::Reply reply;
  std::string err;
  // Complete means the same watcher as `token`'s, history intact.
  if (watch::AskWatcher(request, &reply, false, 10000, &err) !=
          watch::AskResult::kAnswered ||
      !reply.complete)
    return;
  const std::unordered_set<std::string_view> subtrees(reply.subtrees.begin(),
                                                      reply.subtrees.end());
  for (size_t j = 0; j < fresh->size(); ++j) {
    FreshStat& f = (*fresh)[j];
    if (f.directory) f.reusable = !UnderAny(subtrees, std::string(graph.Path(stated[j])));
  }
}

}  // namespace

void WatchedStats::Stat(const Graph& graph, std::span<const NodeId> nodes,
                        unsigned threads,
                        const std::function<void(NodeId, const FileStat&)>& apply) {
  // Read anew on every call and let go at its end: the records of a large
  // tree are megabytes the rest of the build does not need.
  StatSnapshot snapshot;
  {
    std::string err;
    if (!LoadStatSnapshot(file_system_, snapshot_path_, &snapshot, &err))
      Warning("%s: %s", snapshot_path_.c_str(), err.c_str());
  }
  const uint32_t node_count = graph.node_count();
  const size_t entry_count = snapshot.size();

  // Which entry, if any, holds each node's stat. An entry's id is checked
  // against its path's hash; when the ids moved (another manifest, a
  // rewritten deps log), the node is found by that hash.
  std::vector<int32_t> entry_of(node_count, -1);
  std::vector<NodeId> node_of(entry_count);
  std::unordered_map<Hash128, NodeId, Hash128Hasher> by_hash;
  for (size_t i = 0; i < entry_count; ++i) {
    const StatSnapshot::Entry entry = snapshot.entry(i);
    NodeId node(entry.node_hint);
    if (node.value >= node_count || HashBytes128(graph.Path(node)) != entry.path_hash) {
      if (by_hash.empty()) {
        by_hash.reserve(node_count);
        for (uint32_t n = 0; n < node_count; ++n)
          by_hash.emplace(HashBytes128(graph.Path(NodeId(n))), NodeId(n));
      }
      auto found = by_hash.find(entry.path_hash);
      node = found == by_hash.end() ? NodeId() : found->second;
    }
    if (node.valid()) {
      entry_of[node.value] = static_cast<int32_t>(i);
      node_of[i] = node;
    }
  }

  // The watcher starts watching the directories of nodes with no entry;
  // the others it watches since the build that recorded them.
  std::vector<NodeId> unrecorded;
  for (NodeId node : nodes)
    if (entry_of[node.value] < 0) unrecorded.push_back(node);
  watch::Request request;
  if (entry_count) request.since = watch::Token{snapshot.instance, snapshot.seq};
  request.dirs = DirsOf(graph, unrecorded);
  watch::Reply reply;
  std::string err;
  auto ask = [&] {
    const watch::AskResult result =
        watch::AskWatcher(request, &reply, start_watcher_, 10000, &err);
    if (result == watch::AskResult::kFailed) Warning("file watcher: %s", err.c_str());
    return result == watch::AskResult::kAnswered;
  };
  bool answered = ask();
  if (answered && !reply.complete && unrecorded.size() < nodes.size()) {
    // A watcher that does not know the token (a new one, or one that lost
    // its history) must start watching every directory.
    request.since = watch::Token{};
    request.dirs = DirsOf(graph, nodes);
    answered = ask();
  }

  // Entries the reply does not vouch for.
  std::vector<uint8_t> stale(entry_count, answered && reply.complete ? 0 : 1);
  if (answered && reply.complete) {
    for (const std::string& path : reply.changed) {
      const NodeId node = graph.LookupNode(path);
      if (node.valid() && node.value < node_count && entry_of[node.value] >= 0)
        stale[entry_of[node.value]] = 1;
    }
    if (!reply.subtrees.empty()) {
      const std::unordered_set<std::string_view> subtrees(reply.subtrees.begin(),
                                                          reply.subtrees.end());
      for (size_t i = 0; i < entry_count; ++i)
        if (!stale[i] && node_of[i].valid() &&
            UnderAny(subtrees, std::string(graph.Path(node_of[i]))))
          stale[i] = 1;
    }
  }

  // Stats from the snapshot go straight to `apply`: no copy of them all.
  std::vector<NodeId> to_stat;
  for (NodeId node : nodes) {
    const int32_t e = entry_of[node.value];
    if (e >= 0 && !stale[e])
      apply(node, snapshot.entry(e).stat());
    else
      to_stat.push_back(node);
  }
  std::vector<FreshStat> fresh = StatAll(graph, to_stat, std::max(1u, threads));
  for (size_t j = 0; j < fresh.size(); ++j) apply(to_stat[j], fresh[j].stat);
  reused_ += nodes.size() - to_stat.size();
  stated_ += to_stat.size();
  if (Metrics* metrics = Metrics::Get()) {
    metrics->Find("stat answered by watcher")->count += nodes.size() - to_stat.size();
    metrics->Find("stat despite watcher")->count += to_stat.size();
  }
  if (!answered) {
    all_vouchable_ = false;
    return;
  }
  if (!first_token_.valid()) first_token_ = reply.token;
  VouchForDirectories(graph, to_stat, reply.token, &fresh);
  for (const FreshStat& f : fresh) all_vouchable_ = all_vouchable_ && f.reusable;

  // The next snapshot: what is still vouched for, and what was stat'ed now
  // (after the token was taken). Unchanged, the old token still covers
  // every entry and the file need not be written.
  std::vector<uint8_t> keep(entry_count, 0);
  for (size_t i = 0; i < entry_count; ++i)
    keep[i] = !stale[i] && node_of[i].valid() &&
              entry_of[node_of[i].value] == static_cast<int32_t>(i);
  for (NodeId node : to_stat)
    if (entry_of[node.value] >= 0) keep[entry_of[node.value]] = 0;
  bool changed = snapshot.instance != reply.token.instance;
  for (uint8_t k : keep) changed = changed || !k;
  for (const FreshStat& f : fresh) changed = changed || f.reusable;
  if (!changed) return;

  StatSnapshot next;
  next.instance = reply.token.instance;
  next.seq = reply.token.seq;
  for (size_t i = 0; i < entry_count; ++i) {
    if (!keep[i]) continue;
    StatSnapshot::Entry entry = snapshot.entry(i);
    entry.node_hint = node_of[i].value;
    next.Append(entry);
  }
  for (size_t j = 0; j < fresh.size(); ++j) {
    if (!fresh[j].reusable) continue;
    next.Append(StatSnapshot::Entry::Of(to_stat[j].value, fresh[j].stat,
                                        HashBytes128(graph.Path(to_stat[j]))));
  }
  if (!SaveStatSnapshot(file_system_, snapshot_path_, next, &err))
    Warning("%s", err.c_str());
}

}  // namespace composer
