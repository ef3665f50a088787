// The content-addressed action cache as the builder sees it: which edges are
// cacheable, their action keys, looking a key up (and fetching every output
// blob, verified, before anything is written), restoring outputs, and
// storing the result of a command that succeeded.
//
// Keys (doc/cache.md): SHA-256 over the expanded command line, the
// rspfile_content, the names of the outputs, the depfile and deps settings,
// the name and content of every explicit and implicit input, the values of
// the environment variables the rule's `env` names, the content of the
// program (the command's first word, resolved on PATH) and
// COMPOSER_CACHE_SALT. Paths under COMPOSER_CACHE_BASEDIR enter relative to
// it (as "$B/..."), and so does the build directory itself, so another
// checkout of the same tree gets the same keys.
//
// Edges with discovered dependencies (depfile or deps) use two levels, as
// ccache's manifests do: the first key leads to the list of dependencies the
// last stored run discovered, and their contents extend it into the key of
// the result.
//
// Stores: the local one, then an optional second store (a remote) consulted
// on a local miss; what the second one has is copied into the local one.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "cache/action_entry.h"
#include "cache/digest_memo.h"
#include "cache/local_store.h"
#include "cache/store.h"
#include "graph/graph.h"
#include "util/file_system.h"
#include "util/hash.h"

namespace composer {

struct CacheConfig {
  enum class Mode { kOff, kMarked, kAll };
  // COMPOSER_CACHE: off; all; unset or anything else: edges with cache = 1.
  Mode mode = Mode::kMarked;
  // COMPOSER_CACHE was set to something other than off (the ninja
  // personality reports the cache only then).
  bool explicitly_enabled = false;
  LocalStoreConfig local;  // COMPOSER_CACHE_DIR, _MAX_SIZE_MB, _TTL_DAYS
  std::string salt;        // COMPOSER_CACHE_SALT
  std::string base_dir;    // COMPOSER_CACHE_BASEDIR, absolute, no trailing slash
  std::string build_dir;   // the working directory of the build, absolute

  // Reads the COMPOSER_CACHE* variables through `getenv` (std::getenv when
  // null). `manifest` locates the default base directory: the root of the
  // git repository holding it, else the build directory. False with *err
  // naming the variable when a value is unusable.
  static bool FromEnvironment(
      const std::string& manifest, CacheConfig* config, std::string* err,
      const std::function<const char*(const char*)>& getenv = nullptr);
};

struct CacheStats {
  uint64_t hits_local = 0, hits_remote = 0, misses = 0, stores = 0, errors = 0;
  uint64_t saved_ms = 0;  // recorded durations of the commands hits replaced
};

class ActionCache {
 public:
  // `remote` may be null.
  ActionCache(const CacheConfig& config, Store* remote = nullptr);
  ~ActionCache();
  ActionCache(const ActionCache&) = delete;
  ActionCache& operator=(const ActionCache&) = delete;

  // Where the digest memo lives (empty: in memory only). It is loaded when
  // the first key is computed, so a build without cacheable edges leaves no
  // trace.
  void set_memo_path(const std::string& path) { memo_path_ = path; }

  bool Cacheable(const Graph& graph, EdgeId edge) const;

  // What a lookup learnt, kept until the command's result is stored.
  struct Pending {
    bool valid = false;
    bool two_level = false;
    Digest key1;  // declared inputs
    Digest key;   // the result's key (equals key1 with one level)
    bool key_known = false;
  };
  struct Hit {
    ActionEntry entry;
    std::vector<std::string> blobs;  // by output, verified
    bool remote = false;
  };
  // Computes the key of `edge` and looks it up. True on a hit, with every
  // output's bytes in *hit. On a miss *pending holds what Store needs.
  bool Lookup(const Graph& graph, EdgeId edge, Pending* pending, Hit* hit);

  // A file Restore wrote, as a stat and a read of it would find it.
  struct RestoredFile {
    std::string path;
    FileStat stat;
    Hash128 hash;  // xxh3-128 of the content, as HashFile gives it
  };
  // Writes the hit's outputs (each atomically, modes kept) into the build
  // directory. False with *err naming the path.
  // `outdirs` (the edge's output directories) are emptied first, so files a
  // later run would not make do not linger. `written` (optional) receives
  // the regular files written.
  bool Restore(const Hit& hit, const std::vector<std::string>& outdirs, std::string* err,
               std::vector<RestoredFile>* written = nullptr);

  // Stores a successful run: `files` are the outputs to keep (the edge's
  // outputs and everything in its output directories, a directory before
  // what it holds, plus a depfile that stays for the next scan), relative to the
  // build directory; `deps` the discovered dependencies as paths. Sets the
  // result's key in *pending. The key is computed here; the outputs are
  // read, compressed and written by a store thread, so the builder goes on
  // at once (Flush waits for it; the first failure is warned about then).
  // `kept_depfile` (if not empty) is a depfile that stays beside the
  // outputs for the next scan: it is stored with the base directory
  // replaced by "$B" and restored with the restoring checkout's.
  //
  // Nothing is stored when a declared input's content is no longer what the
  // lookup's key was made from (it was edited while the command ran, and
  // the outputs may come from either content).
  void StoreResult(const Graph& graph, EdgeId edge, Pending* pending,
                   const std::vector<std::string>& files,
                   const std::vector<std::string>& deps, const std::string& output,
                   uint64_t duration_ms, const std::string& kept_depfile = std::string());

  // A command ran (it may have written any file): keys made from now on
  // stat their inputs again.
  void CommandRan() { memo_.NewEpoch(); }

  // A discovered dependency as stored in an entry, and back.
  std::string KeyPath(std::string_view path) const;
  std::string ResolveKeyPath(const std::string& key_path) const;

  // After a build that stored something: if the store may be over its
  // limits and no collection ran recently, collect garbage in a detached
  // background process (the build's exit does not wait for it).
  void MaybeCollectGarbageInBackground();

  // Waits until the stores queued so far are written.
  void Flush();

  CacheStats stats() const;
  const CacheConfig& config() const { return config_; }
  LocalStore& local() { return local_; }
  const LocalStore& local() const { return local_; }
  uint64_t files_hashed() const { return memo_.files_hashed; }

 private:
  // `fresh`: stat every file now, even if it was stat'ed in this epoch.
  bool Key1(const Graph& graph, EdgeId edge, Digest* key, bool fresh = false);
  bool Key2(const Digest& key1, const std::vector<std::string>& key_paths, Digest* key,
            bool fresh = false);
  bool AddFile(Sha256* sha, const std::string& path, bool fresh);
  bool ProgramDigest(const std::string& command, Digest* digest, std::string* name,
                     bool fresh);
  // The base directory as "$B" (where a path component ends), and back.
  std::string Normalize(std::string_view text) const;
  std::string Denormalize(std::string_view text) const;
  // Restored outputs are stat'ed again when next used in a key.
  void ForgetRestored(const Hit& hit, const std::vector<std::string>& outdirs);
  Store::Result GetAction(const Digest& key, std::string* data, bool* remote);
  Store::Result GetBlob(const Digest& digest, std::string* data, bool* remote);

  struct StoreJob {
    Digest key1, key;
    bool two_level = false;
    std::vector<std::string> deps;  // key paths
    std::vector<std::string> files;
    std::string kept_depfile;
    std::string output;
    uint64_t duration_ms = 0;
  };
  void WorkerLoop();
  bool RunStore(const StoreJob& job, std::string* err);

  CacheConfig config_;
  LocalStore local_;
  Store* remote_;
  DigestMemo memo_;
  std::string memo_path_;
  bool memo_open_ = false;
  CacheStats stats_;  // lookups: the builder's thread only

  // The store thread and its queue; everything below under mutex_.
  mutable std::mutex mutex_;
  std::condition_variable work_cv_, idle_cv_;
  std::deque<StoreJob> jobs_;
  bool busy_ = false, stopping_ = false;
  uint64_t stores_ = 0, store_errors_ = 0;
  std::string first_store_error_;
  bool store_error_warned_ = false;
  std::thread worker_;
  std::unordered_map<std::string, std::string> programs_;  // word -> resolved path
};

}  // namespace composer
