#include "cache/action_cache.h"

#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <ctime>

#include "graph/edge_env.h"
#include "graph/output_dirs.h"
#include "util/file_system.h"
#include "util/file_tree.h"
#include "util/log.h"

namespace composer {

namespace {

constexpr char kKeyVersion[] = "composer-cache-key-1";

bool IsDir(const std::string& path) {
  struct stat st;
  return stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

bool Exists(const std::string& path) {
  struct stat st;
  return stat(path.c_str(), &st) == 0;
}

std::string Cwd() {
  char buffer[4096];
  return getcwd(buffer, sizeof buffer) ? std::string(buffer) : std::string(".");
}

std::string Absolute(const std::string& path) {
  if (!path.empty() && path[0] == '/') return path;
  return Cwd() + "/" + path;
}

std::string StripSlashes(std::string path) {
  while (path.size() > 1 && path.back() == '/') path.pop_back();
  return path;
}

bool MakeDirs(const std::string& dir) {
  if (dir.empty() || IsDir(dir)) return true;
  const size_t slash = dir.rfind('/');
  if (slash != std::string::npos && slash > 0 && !MakeDirs(dir.substr(0, slash)))
    return false;
  return mkdir(dir.c_str(), 0777) == 0 || errno == EEXIST;
}

bool ParseNumber(const char* name, const char* value, uint64_t* out, std::string* err) {
  char* end = nullptr;
  errno = 0;
  const unsigned long long n = strtoull(value, &end, 10);
  if (!*value || *end || errno) {
    *err = std::string(name) + "='" + value + "': not a whole number";
    return false;
  }
  *out = n;
  return true;
}

// The process's umask, read without changing it (umask(2) would change it
// for every thread for a moment); -1 if unknown.
int ProcessUmask() {
  static const int mask = [] {
    std::string status, err;
    if (RealFileSystem().ReadFile("/proc/self/status", &status, &err) !=
        FileSystem::ReadStatus::kOkay)
      return -1;
    const size_t at = status.find("\nUmask:");
    if (at == std::string::npos) return -1;
    return static_cast<int>(strtol(status.c_str() + at + 8, nullptr, 8));
  }();
  return mask;
}

// Writes `path` by a rename; *st (optional) receives the file's stat.
bool WriteFileAtomically(const std::string& path, const std::string& data, uint32_t mode,
                         std::string* err, struct stat* st = nullptr) {
  static const std::string pid = std::to_string(getpid());
  const size_t slash = path.rfind('/');
  const std::string dir =
      slash == std::string::npos ? std::string() : path.substr(0, slash);
  const std::string temp = (dir.empty() ? std::string() : dir + "/") +
                           ".composer-restore." + pid + "." +
                           path.substr(slash == std::string::npos ? 0 : slash + 1);
  // Created with its final mode when the umask lets it through, sparing a
  // chmod; directories are made only when the open finds none.
  const mode_t want = static_cast<mode_t>(mode & 07777);
  const int umask_now = ProcessUmask();
  const bool exact = umask_now >= 0 && (want & 07000) == 0 &&
                     (want & ~static_cast<mode_t>(umask_now)) == want;
  auto create = [&] {
    return open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
                exact ? want : 0600);
  };
  int fd = create();
  if (fd < 0 && errno == ENOENT && !dir.empty()) {
    if (!MakeDirs(dir)) {
      *err = "mkdir(" + dir + "): " + strerror(errno);
      return false;
    }
    fd = create();
  }
  if (fd < 0 && errno == EEXIST) {
    // Left by a killed restore whose process had this pid.
    unlink(temp.c_str());
    fd = create();
  }
  if (fd < 0) {
    *err = "open(" + temp + "): " + strerror(errno);
    return false;
  }
  size_t done = 0;
  bool ok = true;
  while (done < data.size()) {
    const ssize_t n = write(fd, data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      ok = false;
      break;
    }
    done += static_cast<size_t>(n);
  }
  if (ok && !exact && fchmod(fd, want) < 0) ok = false;
  // The rename keeps the inode, size and mtime.
  if (ok && st && fstat(fd, st) < 0) ok = false;
  if (!ok) *err = "write(" + temp + "): " + strerror(errno);
  close(fd);
  if (ok && rename(temp.c_str(), path.c_str()) < 0) {
    *err = "rename(" + temp + ", " + path + "): " + strerror(errno);
    ok = false;
  }
  if (!ok) unlink(temp.c_str());
  return ok;
}

}  // namespace

bool CacheConfig::FromEnvironment(
    const std::string& manifest, CacheConfig* config, std::string* err,
    const std::function<const char*(const char*)>& getenv_fn) {
  auto env = [&](const char* name) -> const char* {
    const char* value = getenv_fn ? getenv_fn(name) : std::getenv(name);
    return value && *value ? value : nullptr;
  };
  config->build_dir = Cwd();
  if (const char* mode = env("COMPOSER_CACHE")) {
    if (strcasecmp(mode, "off") == 0 || strcmp(mode, "0") == 0 ||
        strcasecmp(mode, "no") == 0 || strcasecmp(mode, "false") == 0) {
      config->mode = Mode::kOff;
    } else {
      config->explicitly_enabled = true;
      config->mode = strcasecmp(mode, "all") == 0 ? Mode::kAll : Mode::kMarked;
    }
  }
  if (const char* dir = env("COMPOSER_CACHE_DIR")) {
    config->local.dir = StripSlashes(Absolute(dir));
  } else if (const char* xdg = env("XDG_CACHE_HOME")) {
    config->local.dir = StripSlashes(Absolute(xdg)) + "/composer";
  } else if (const char* home = env("HOME")) {
    config->local.dir = StripSlashes(home) + "/.cache/composer";
  } else {
    *err = "COMPOSER_CACHE_DIR: not set, nor XDG_CACHE_HOME or HOME";
    return false;
  }
  uint64_t n = 0;
  if (const char* mb = env("COMPOSER_CACHE_MAX_SIZE_MB")) {
    if (!ParseNumber("COMPOSER_CACHE_MAX_SIZE_MB", mb, &n, err)) return false;
    config->local.max_size_bytes = n << 20;
  }
  if (const char* days = env("COMPOSER_CACHE_TTL_DAYS")) {
    if (!ParseNumber("COMPOSER_CACHE_TTL_DAYS", days, &n, err)) return false;
    config->local.ttl_seconds = static_cast<int64_t>(n) * 86400;
  }
  if (const char* salt = env("COMPOSER_CACHE_SALT")) config->salt = salt;
  if (const char* base = env("COMPOSER_CACHE_BASEDIR")) {
    config->base_dir = StripSlashes(Absolute(base));
  } else {
    // The git repository holding the manifest, else the build directory.
    std::string dir = Absolute(manifest);
    dir = dir.substr(0, dir.rfind('/'));
    config->base_dir = config->build_dir;
    for (std::string d = dir; !d.empty();) {
      if (Exists(d + "/.git")) {
        config->base_dir = d;
        break;
      }
      const size_t slash = d.rfind('/');
      if (slash == std::string::npos) break;
      d = d.substr(0, slash);
    }
  }
  return true;
}

ActionCache::ActionCache(const CacheConfig& config, Store* remote)
    : config_(config), local_(config.local), remote_(remote) {}

bool ActionCache::Cacheable(const Graph& graph, EdgeId edge) const {
  if (config_.mode == CacheConfig::Mode::kOff || graph.is_phony(edge)) return false;
  const std::string cache = GetBinding(graph, edge, RuleKey::kCache);
  if (cache == "0") return false;
  if (cache != "1" && config_.mode != CacheConfig::Mode::kAll) return false;
  if (GetBindingBool(graph, edge, RuleKey::kGenerator)) return false;
  if (graph.edge(edge).pool == Graph::kConsolePool) return false;
  // Dyndep files add inputs and outputs the key would not see.
  if (graph.edge(edge).dyndep.valid()) return false;
  for (NodeId out : graph.outputs(edge)) {
    if (!IsContainedRelativePath(std::string(graph.Path(out)))) return false;
  }
  for (const std::string& dir : OutputDirs(graph, edge)) {
    if (!CheckOutputDir(dir).empty()) return false;
  }
  return true;
}

std::string ActionCache::KeyPath(std::string_view path) const {
  const std::string& base = config_.base_dir;
  if (path == base) return "$B";
  if (!path.empty() && path[0] == '/' && path.size() > base.size() &&
      path.substr(0, base.size()) == base && path[base.size()] == '/')
    return "$B" + std::string(path.substr(base.size()));
  return std::string(path);
}

std::string ActionCache::ResolveKeyPath(const std::string& key_path) const {
  if (key_path.size() > 2 && key_path[0] == '$' && key_path[1] == 'B' &&
      key_path[2] == '/')
    return config_.base_dir + key_path.substr(2);
  return key_path;
}

std::string ActionCache::Denormalize(std::string_view text) const {
  std::string out;
  size_t pos = 0;
  for (;;) {
    const size_t at = text.find("$B", pos);
    if (at == std::string_view::npos) break;
    const size_t after = at + 2;
    const char next = after < text.size() ? text[after] : '\0';
    const bool escaped = at > 0 && text[at - 1] == '$';
    const bool boundary = !(isalnum(static_cast<unsigned char>(next)) || next == '_' ||
                            next == '-' || next == '.');
    out.append(text.substr(pos, at - pos));
    out += boundary && !escaped ? config_.base_dir : std::string("$B");
    pos = after;
  }
  out.append(text.substr(pos));
  return out;
}

std::string ActionCache::Normalize(std::string_view text) const {
  const std::string& base = config_.base_dir;
  if (base.size() <= 1) return std::string(text);
  std::string out;
  size_t pos = 0;
  for (;;) {
    const size_t at = text.find(base, pos);
    if (at == std::string_view::npos) break;
    const size_t after = at + base.size();
    const char next = after < text.size() ? text[after] : '\0';
    const bool boundary = !(isalnum(static_cast<unsigned char>(next)) || next == '_' ||
                            next == '-' || next == '.');
    out.append(text.substr(pos, at - pos));
    out += boundary ? "$B" : base;
    pos = after;
  }
  out.append(text.substr(pos));
  return out;
}

bool ActionCache::AddFile(Sha256* sha, const std::string& path, bool fresh) {
  sha->AddField(KeyPath(path));
  Digest digest;
  bool missing = false;
  std::string err;
  if (!memo_.Get(path, &digest, &missing, &err, fresh)) {
    // A file that cannot be read (a directory, say): no key.
    return false;
  }
  if (missing) {
    sha->AddField("<missing>");
  } else {
    sha->AddDigest(digest);
  }
  return true;
}

bool ActionCache::ProgramDigest(const std::string& command, Digest* digest,
                                std::string* name, bool fresh) {
  size_t start = command.find_first_not_of(" \t");
  if (start == std::string::npos) return false;
  size_t end = command.find_first_of(" \t", start);
  std::string word = command.substr(start, end == std::string::npos ? end : end - start);
  if (word.size() >= 2 && (word[0] == '"' || word[0] == '\'') && word.back() == word[0])
    word = word.substr(1, word.size() - 2);
  *name = word;
  auto it = programs_.find(word);
  if (it == programs_.end()) {
    std::string resolved;
    if (word.find('/') != std::string::npos) {
      resolved = word;
    } else if (const char* path = getenv("PATH")) {
      std::string_view dirs(path);
      while (!dirs.empty()) {
        const size_t colon = dirs.find(':');
        std::string dir(dirs.substr(0, colon));
        dirs =
            colon == std::string_view::npos ? std::string_view() : dirs.substr(colon + 1);
        if (dir.empty()) dir = ".";
        const std::string candidate = dir + "/" + word;
        struct stat st;
        if (stat(candidate.c_str(), &st) == 0 && S_ISREG(st.st_mode) &&
            access(candidate.c_str(), X_OK) == 0) {
          resolved = candidate;
          break;
        }
      }
    }
    it = programs_.emplace(word, resolved).first;
  }
  if (it->second.empty()) return false;  // a shell builtin, or not found
  bool missing = false;
  std::string err;
  return memo_.Get(it->second, digest, &missing, &err, fresh) && !missing;
}

bool ActionCache::Key1(const Graph& graph, EdgeId edge, Digest* key, bool fresh) {
  Sha256 sha;
  sha.AddField(kKeyVersion);
  sha.AddField(config_.salt);
  sha.AddField(KeyPath(config_.build_dir));
  const std::string command = EvaluateCommand(graph, edge);
  sha.AddField(Normalize(command));
  sha.AddField(Normalize(GetBinding(graph, edge, RuleKey::kRspfileContent)));
  sha.AddField(GetBinding(graph, edge, RuleKey::kDeps));
  sha.AddField(Normalize(GetUnescapedBinding(graph, edge, RuleKey::kDepfile)));
  std::string program;
  Digest program_digest;
  const bool found = ProgramDigest(command, &program_digest, &program, fresh);
  sha.AddField(program);
  if (found) sha.AddDigest(program_digest);
  std::string env_names = GetBinding(graph, edge, RuleKey::kEnv);
  for (size_t pos = 0; pos < env_names.size();) {
    const size_t start = env_names.find_first_not_of(" \t", pos);
    if (start == std::string::npos) break;
    size_t end = env_names.find_first_of(" \t", start);
    if (end == std::string::npos) end = env_names.size();
    const std::string name = env_names.substr(start, end - start);
    const char* value = getenv(name.c_str());
    sha.AddField(name);
    sha.AddField(value ? Normalize(value) : std::string("\0<unset>", 8));
    pos = end;
  }
  const std::span<const NodeId> outputs = graph.outputs(edge);
  sha.AddU64(outputs.size());
  for (NodeId out : outputs) sha.AddField(KeyPath(graph.Path(out)));
  // Only when there are some, so that other edges keep their keys.
  const std::vector<std::string> outdirs = OutputDirs(graph, edge);
  if (!outdirs.empty()) {
    sha.AddField("outdirs");
    sha.AddU64(outdirs.size());
    for (const std::string& dir : outdirs) sha.AddField(dir);
  }
  const Edge& e = graph.edge(edge);
  const std::span<const NodeId> inputs = graph.inputs(edge);
  sha.AddU64(e.explicit_ins + e.implicit_ins);
  for (uint32_t i = 0; i < e.explicit_ins + e.implicit_ins; ++i) {
    if (!AddFile(&sha, std::string(graph.Path(inputs[i])), fresh)) return false;
  }
  *key = sha.Finish();
  return true;
}

bool ActionCache::Key2(const Digest& key1, const std::vector<std::string>& key_paths,
                       Digest* key, bool fresh) {
  Sha256 sha;
  sha.AddDigest(key1);
  sha.AddU64(key_paths.size());
  for (const std::string& p : key_paths) {
    if (!AddFile(&sha, ResolveKeyPath(p), fresh)) return false;
  }
  *key = sha.Finish();
  return true;
}

Store::Result ActionCache::GetAction(const Digest& key, std::string* data, bool* remote) {
  *remote = false;
  Store::Result result = local_.GetAction(key, data);
  if (result == Store::Result::kHit || !remote_) return result;
  result = remote_->GetAction(key, data);
  if (result != Store::Result::kHit) return result;
  *remote = true;
  std::string err;
  if (!local_.PutAction(key, *data, &err)) Warning("cache: %s", err.c_str());
  return result;
}

Store::Result ActionCache::GetBlob(const Digest& digest, std::string* data,
                                   bool* remote) {
  *remote = false;
  Store::Result result = local_.GetBlob(digest, data);
  if (result == Store::Result::kHit || !remote_) return result;
  result = remote_->GetBlob(digest, data);
  if (result != Store::Result::kHit) return result;
  if (Sha256Of(*data) != digest) return Store::Result::kMiss;
  *remote = true;
  std::string err;
  if (!local_.PutBlob(digest, *data, &err)) Warning("cache: %s", err.c_str());
  return result;
}

bool ActionCache::Lookup(const Graph& graph, EdgeId edge, Pending* pending, Hit* hit) {
  *pending = Pending();
  if (!memo_open_) {
    memo_open_ = true;
    std::string err;
    if (!memo_.Open(memo_path_, &err)) Warning("cache: %s", err.c_str());
  }
  if (!Key1(graph, edge, &pending->key1)) return false;
  pending->valid = true;
  pending->two_level = !GetBinding(graph, edge, RuleKey::kDeps).empty() ||
                       !GetUnescapedBinding(graph, edge, RuleKey::kDepfile).empty();
  bool remote = false, any_remote = false;
  std::string data, err;
  pending->key = pending->key1;
  // The result's key: the first key itself, or made from a list of
  // discovered dependencies, trying each list runs stored, newest first.
  std::vector<const std::vector<std::string>*> lists;
  ActionEntry list;
  if (pending->two_level) {
    const Store::Result r = GetAction(pending->key1, &data, &remote);
    if (r != Store::Result::kHit || !list.Parse(data, &err) ||
        list.kind != ActionEntry::Kind::kDiscovered) {
      if (r == Store::Result::kError) ++stats_.errors;
      ++stats_.misses;
      return false;
    }
    any_remote = remote;
    lists.push_back(&list.deps);
    for (const std::vector<std::string>& older : list.older_deps) lists.push_back(&older);
  }
  bool found = false;
  for (size_t i = 0; i < std::max<size_t>(lists.size(), 1) && !found; ++i) {
    Digest key = pending->key1;
    if (pending->two_level && !Key2(pending->key1, *lists[i], &key)) continue;
    // On a miss the newest list's key is the one reported.
    if (i == 0 || !pending->key_known) pending->key = key;
    pending->key_known = true;
    const Store::Result r = GetAction(key, &data, &remote);
    if (r == Store::Result::kError) ++stats_.errors;
    if (r == Store::Result::kHit && hit->entry.Parse(data, &err) &&
        hit->entry.kind == ActionEntry::Kind::kResult) {
      pending->key = key;
      found = true;
    }
  }
  if (!found) {
    ++stats_.misses;
    return false;
  }
  any_remote |= remote;
  hit->blobs.resize(hit->entry.outputs.size());
  for (size_t i = 0; i < hit->entry.outputs.size(); ++i) {
    ActionEntry::Output& out = hit->entry.outputs[i];
    if (out.mode & ActionEntry::kDirectory) continue;
    if (out.mode & ActionEntry::kInline) {
      hit->blobs[i] = std::move(out.data);  // verified by Parse
      continue;
    }
    const Store::Result b =
        GetBlob(hit->entry.outputs[i].digest, &hit->blobs[i], &remote);
    if (b != Store::Result::kHit) {
      if (b == Store::Result::kError) ++stats_.errors;
      ++stats_.misses;
      return false;
    }
    any_remote |= remote;
  }
  hit->remote = any_remote;
  ++(any_remote ? stats_.hits_remote : stats_.hits_local);
  stats_.saved_ms += hit->entry.duration_ms;
  return true;
}

bool ActionCache::Restore(const Hit& hit, const std::vector<std::string>& outdirs,
                          std::string* err, std::vector<RestoredFile>* written) {
  for (const std::string& dir : outdirs) {
    if (!EmptyTree(dir, err)) return false;
  }
  // Files into directories still writable; then symlinks, so that no file
  // is written through one; then the directories' own modes.
  for (size_t i = 0; i < hit.entry.outputs.size(); ++i) {
    const ActionEntry::Output& out = hit.entry.outputs[i];
    if (out.mode & (ActionEntry::kDirectory | ActionEntry::kSymlink)) {
      if ((out.mode & ActionEntry::kDirectory) && !MakeDirs(out.path)) {
        *err = "mkdir(" + out.path + "): " + strerror(errno);
        return false;
      }
      continue;
    }
    const bool relocated = out.mode & ActionEntry::kRelocated;
    const std::string relocated_data = relocated ? Denormalize(hit.blobs[i]) : "";
    const std::string& data = relocated ? relocated_data : hit.blobs[i];
    struct stat st;
    if (!WriteFileAtomically(out.path, data, out.mode, err, &st)) return false;
    // What the next key that reads it needs, so it is not read back.
    const Digest digest = relocated ? Sha256Of(data) : out.digest;
    memo_.Remember(out.path, st, digest);
    if (written)
      written->push_back(RestoredFile{out.path, FileStatOf(st), HashBytes128(data)});
  }
  for (size_t i = 0; i < hit.entry.outputs.size(); ++i) {
    const ActionEntry::Output& out = hit.entry.outputs[i];
    if (!(out.mode & ActionEntry::kSymlink)) continue;
    const size_t slash = out.path.rfind('/');
    if (slash != std::string::npos && !MakeDirs(out.path.substr(0, slash))) {
      *err = "mkdir(" + out.path.substr(0, slash) + "): " + strerror(errno);
      return false;
    }
    if ((unlink(out.path.c_str()) < 0 && errno != ENOENT) ||
        symlink(hit.blobs[i].c_str(), out.path.c_str()) < 0) {
      *err = "symlink(" + out.path + "): " + strerror(errno);
      return false;
    }
  }
  for (auto it = hit.entry.outputs.rbegin(); it != hit.entry.outputs.rend(); ++it) {
    if ((it->mode & ActionEntry::kDirectory) &&
        chmod(it->path.c_str(), it->mode & 07777) < 0) {
      *err = "chmod(" + it->path + "): " + strerror(errno);
      return false;
    }
  }
  ForgetRestored(hit, outdirs);
  return true;
}

void ActionCache::ForgetRestored(const Hit& hit,
                                 const std::vector<std::string>& outdirs) {
  // Output directories hold files that are no node of the graph: forget
  // every stat. Otherwise just the outputs' absolute names (a depfile may
  // use them).
  if (!outdirs.empty()) {
    memo_.NewEpoch();
    return;
  }
  // The relative names were remembered with the content written.
  for (const ActionEntry::Output& out : hit.entry.outputs)
    memo_.Invalidate(config_.build_dir + "/" + out.path);
}

void ActionCache::StoreResult(const Graph& graph, EdgeId edge, Pending* pending,
                              const std::vector<std::string>& files,
                              const std::vector<std::string>& deps,
                              const std::string& output, uint64_t duration_ms,
                              const std::string& kept_depfile) {
  if (!pending->valid) return;
  // The lookup may have used stats taken earlier in the build: the key must
  // still describe the inputs as they are now, after the command.
  Digest key1_now;
  if (!Key1(graph, edge, &key1_now, /*fresh=*/true) || key1_now != pending->key1) return;
  // The keys on this thread (the digest memo is the builder's); reading,
  // compressing and writing the outputs on the store thread.
  StoreJob job;
  for (const std::string& dep : deps) job.deps.push_back(KeyPath(dep));
  job.key1 = pending->key1;
  job.key = pending->key1;
  job.two_level = pending->two_level;
  if (pending->two_level && !Key2(pending->key1, job.deps, &job.key, /*fresh=*/true))
    return;  // an unreadable dependency: nothing to store
  pending->key = job.key;
  pending->key_known = true;
  job.files = files;
  job.kept_depfile = kept_depfile;
  job.output = output;
  job.duration_ms = duration_ms;
  std::lock_guard<std::mutex> lock(mutex_);
  if (!worker_.joinable()) {
    // Signals stay with the builder's thread (it waits for them in ppoll).
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    worker_ = std::thread([this] { WorkerLoop(); });
    pthread_sigmask(SIG_SETMASK, &old, nullptr);
  }
  jobs_.push_back(std::move(job));
  work_cv_.notify_one();
}

void ActionCache::WorkerLoop() {
  std::unique_lock<std::mutex> lock(mutex_);
  for (;;) {
    work_cv_.wait(lock, [this] { return stopping_ || !jobs_.empty(); });
    if (jobs_.empty()) return;
    StoreJob job = std::move(jobs_.front());
    jobs_.pop_front();
    busy_ = true;
    lock.unlock();
    std::string err;
    const bool ok = RunStore(job, &err);
    lock.lock();
    busy_ = false;
    if (!ok) {
      ++store_errors_;
      if (first_store_error_.empty()) first_store_error_ = err;
    }
    idle_cv_.notify_all();
  }
}

void ActionCache::Flush() {
  std::unique_lock<std::mutex> lock(mutex_);
  idle_cv_.wait(lock, [this] { return jobs_.empty() && !busy_; });
  if (!first_store_error_.empty() && !store_error_warned_) {
    store_error_warned_ = true;
    Warning("cache: %s (outputs not stored)", first_store_error_.c_str());
  }
}

ActionCache::~ActionCache() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  work_cv_.notify_all();
  if (worker_.joinable()) worker_.join();
}

CacheStats ActionCache::stats() const {
  CacheStats stats = stats_;
  std::lock_guard<std::mutex> lock(mutex_);
  stats.stores += stores_;
  stats.errors += store_errors_;
  return stats;
}

bool ActionCache::RunStore(const StoreJob& job, std::string* err) {
  ActionEntry entry;
  entry.kind = ActionEntry::Kind::kResult;
  entry.deps = job.deps;
  std::vector<std::string> files = job.files;
  if (!job.kept_depfile.empty()) files.push_back(job.kept_depfile);
  for (const std::string& path : files) {
    ActionEntry::Output out;
    out.path = path;
    std::string data;
    struct stat link_st;
    if (lstat(path.c_str(), &link_st) == 0 && S_ISDIR(link_st.st_mode)) {
      out.mode = (link_st.st_mode & 07777) | ActionEntry::kDirectory;
      entry.outputs.push_back(std::move(out));
      continue;
    }
    if (lstat(path.c_str(), &link_st) == 0 && S_ISLNK(link_st.st_mode)) {
      data.resize(static_cast<size_t>(link_st.st_size) + 1);
      const ssize_t n = readlink(path.c_str(), data.data(), data.size());
      if (n < 0) return true;  // gone meanwhile: nothing to keep
      data.resize(static_cast<size_t>(n));
      out.mode = 0777 | ActionEntry::kSymlink;
      out.size = data.size();
      out.digest = Sha256Of(data);
      if (!local_.PutBlob(out.digest, data, err)) return false;
      if (remote_) remote_->PutBlob(out.digest, data, err);
      entry.outputs.push_back(std::move(out));
      continue;
    }
    const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
      if (fd >= 0) close(fd);
      // An output the command did not write (or not a file): nothing to keep.
      return true;
    }
    data.resize(static_cast<size_t>(st.st_size));
    size_t done = 0;
    while (done < data.size()) {
      const ssize_t n = read(fd, data.data() + done, data.size() - done);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) break;
      done += static_cast<size_t>(n);
    }
    close(fd);
    if (done != data.size()) {
      *err = "read(" + path + "): changed while being stored";
      return false;
    }
    out.mode = st.st_mode & 07777;
    if (path == job.kept_depfile) {
      data = Normalize(data);
      out.mode |= ActionEntry::kRelocated;
    }
    out.size = data.size();
    out.digest = Sha256Of(data);
    if (data.size() <= ActionEntry::kMaxInlineBytes) {
      // Small: kept in the entry, one file (and one request) fewer a hit.
      out.mode |= ActionEntry::kInline;
      out.data = std::move(data);
    } else {
      if (!local_.PutBlob(out.digest, data, err)) return false;
      if (remote_) remote_->PutBlob(out.digest, data, err);
    }
    entry.outputs.push_back(std::move(out));
  }
  entry.output = job.output;
  entry.duration_ms = job.duration_ms;
  // The result before the list that leads to it: whoever finds the list
  // finds the result.
  const std::string serialized = entry.Serialize();
  if (!local_.PutAction(job.key, serialized, err)) return false;
  if (remote_) remote_->PutAction(job.key, serialized, err);
  if (job.two_level) {
    ActionEntry list;
    list.kind = ActionEntry::Kind::kDiscovered;
    list.deps = job.deps;
    // The lists earlier runs stored stay behind this one (the headers of
    // another branch), so switching back still hits.
    std::string old_data, parse_err;
    ActionEntry old;
    if (local_.GetAction(job.key1, &old_data) == Store::Result::kHit &&
        old.Parse(old_data, &parse_err) && old.kind == ActionEntry::Kind::kDiscovered) {
      auto keep = [&list](const std::vector<std::string>& deps) {
        if (deps == list.deps || list.older_deps.size() + 1 >= ActionEntry::kMaxDepsLists)
          return;
        for (const std::vector<std::string>& kept : list.older_deps)
          if (kept == deps) return;
        list.older_deps.push_back(deps);
      };
      keep(old.deps);
      for (const std::vector<std::string>& older : old.older_deps) keep(older);
    }
    const std::string list_serialized = list.Serialize();
    if (!local_.PutAction(job.key1, list_serialized, err)) return false;
    if (remote_) remote_->PutAction(job.key1, list_serialized, err);
  }
  std::lock_guard<std::mutex> lock(mutex_);
  ++stores_;
  return true;
}

void ActionCache::MaybeCollectGarbageInBackground() {
  Flush();
  if (stats().stores == 0) return;
  const std::string stamp = config_.local.dir + "/gc.stamp";
  struct stat st;
  const time_t now = time(nullptr);
  // At most one collection an hour; each one measures the store first.
  if (stat(stamp.c_str(), &st) == 0 && st.st_mtime > now - 3600) return;
  const int fd = open(stamp.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) return;
  close(fd);
  utimensat(AT_FDCWD, stamp.c_str(), nullptr, 0);
  fflush(stdout);
  fflush(stderr);
  const pid_t child = fork();
  if (child < 0) return;
  if (child == 0) {
    // Detach: the grandchild collects, the child exits at once.
    setsid();
    if (fork() != 0) _exit(0);
    const int null_fd = open("/dev/null", O_RDWR);
    if (null_fd >= 0) {
      dup2(null_fd, 0);
      dup2(null_fd, 1);
      dup2(null_fd, 2);
    }
    const LocalStore::Usage usage = local_.Measure();
    if (config_.local.ttl_seconds > 0 ||
        (config_.local.max_size_bytes && usage.bytes() > config_.local.max_size_bytes))
      local_.CollectGarbage(time(nullptr));
    _exit(0);
  }
  waitpid(child, nullptr, 0);
}

}  // namespace composer
