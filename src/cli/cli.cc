#include "cli/cli.h"

#include <strings.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstdlib>

#include <cstdio>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "cache/action_cache.h"
#include "cache/remote_adapter.h"
#include "cli/options.h"
#include "cli/summary.h"
#include "exec/builder.h"
#include "exec/jobserver.h"
#include "exec/status.h"
#include "graph/edge_env.h"
#include "graph/graph.h"
#include "parse/graph_image.h"
#include "parse/manifest_parser.h"
#include "plan/up_to_date_record.h"
#include "plan/watched_stats.h"
#include "state/build_log.h"
#include "state/command_hash.h"
#include "state/deps_log.h"
#include "state/logs.h"
#include "tools/tool.h"
#include "util/canon_path.h"
#include "util/clock.h"
#include "util/debug_flags.h"
#include "util/file_system.h"
#include "util/log.h"
#include "util/metrics.h"
#include "watch/watch_paths.h"

namespace composer {

namespace {

// Composer answers as Ninja when run under that name or with --ninja-compat.
void ChoosePersonality(int argc, char** argv) {
  Personality& personality = CurrentPersonality();
  const char* base = strrchr(argv[0], '/');
  base = base ? base + 1 : argv[0];
  bool compat = strcmp(base, "ninja") == 0;
  for (int i = 1; i < argc && !compat; ++i) {
    if (strcmp(argv[i], "--") == 0) break;
    compat = strcmp(argv[i], "--ninja-compat") == 0;
  }
  personality.ninja_compat = compat;
  personality.program = compat ? "ninja" : "composer";
}

// build.composer when it exists, else build.ninja (always build.ninja for
// the ninja personality).
std::string DefaultManifest(FileSystem& fs) {
  if (CurrentPersonality().ninja_compat) return "build.ninja";
  std::string err;
  if (fs.Stat("build.composer", &err).exists()) return "build.composer";
  return "build.ninja";
}

StatusConfig MakeStatusConfig(const Options& options) {
  StatusConfig config;
  config.parallelism = options.parallelism;
  switch (options.verbosity) {
    case Options::Verbosity::kQuiet:
      config.verbosity = StatusConfig::Verbosity::kQuiet;
      break;
    case Options::Verbosity::kNoStatusUpdate:
      config.verbosity = StatusConfig::Verbosity::kNoStatusUpdate;
      break;
    case Options::Verbosity::kNormal:
      config.verbosity = StatusConfig::Verbosity::kNormal;
      break;
    case Options::Verbosity::kVerbose:
      config.verbosity = StatusConfig::Verbosity::kVerbose;
      break;
  }
  return config;
}

// An on/off switch from the environment: unset, empty, "0", "off", "no" and
// "false" (in any case) are off; anything else is on.
bool EnvSwitchOn(const char* name) {
  const char* value = getenv(name);
  if (!value || !*value) return false;
  for (const char* off : {"0", "off", "no", "false"}) {
    if (strcasecmp(value, off) == 0) return false;
  }
  return true;
}

// The jobserver this build takes its slots from: its parent's (MAKEFLAGS),
// or its own with --jobserver / COMPOSER_JOBSERVER.
struct Jobserver {
  std::unique_ptr<JobserverServer> server;
  std::unique_ptr<JobserverClient> client;
};

Jobserver& TheJobserver() {
  static Jobserver jobserver;
  return jobserver;
}

void SetUpJobserver(Options* options) {
  if (options->dry_run) return;
  Jobserver& jobserver = TheJobserver();
  std::string warning;
  jobserver.client = JobserverClient::FromEnvironment(&warning);
  if (!warning.empty()) Warning("%s", warning.c_str());
  if (jobserver.client) {
    // The parent's pool decides, unless -j says otherwise.
    if (!options->parallelism_explicit) options->parallelism = INT_MAX;
    return;
  }
  const bool serve = options->jobserver_server || EnvSwitchOn("COMPOSER_JOBSERVER");
  if (!serve || options->parallelism == INT_MAX) return;
  std::string err;
  jobserver.server = JobserverServer::Start(options->parallelism, &err);
  if (!jobserver.server) {
    Warning("cannot start a jobserver: %s", err.c_str());
    return;
  }
  jobserver.client = JobserverClient::OpenPipe(jobserver.server->read_fd(),
                                               jobserver.server->write_fd(), &err);
  if (!jobserver.client) Warning("cannot use its own jobserver: %s", err.c_str());
}

BuildConfig MakeBuildConfig(const Options& options) {
  BuildConfig config;
  config.jobserver = TheJobserver().client.get();
  config.dry_run = options.dry_run;
  config.parallelism = options.parallelism;
  config.failures_allowed = options.failures_allowed;
  config.max_load_average = options.max_load_average;
  return config;
}

// One load of the manifest and the logs; rebuilt from scratch when the
// manifest regenerates itself.
class Session {
 public:
  Session(const Options& options, FileSystem* fs, int64_t start_millis)
      : options_(options), fs_(fs), start_millis_(start_millis) {}

  bool LoadManifest(const std::string& manifest) {
    manifest_ = manifest;
    ManifestParserOptions parser_options;
    parser_options.dupbuild_is_error = options_.dupbuild_is_error;
    parser_options.phonycycle_is_error = options_.phonycycle_is_error;
    GraphImageOptions image_options;
    image_options.write = !options_.dry_run;
    image_options.hash[0] = &MurmurHash64A;
    image_options.hash[1] = &RapidHash;
    image_options.current = &image_current_;
    std::string err;
    if (!LoadManifestWithImage(manifest, parser_options, image_options, &graph_, fs_,
                               &err)) {
      Error("%s", err.c_str());
      return false;
    }
    const NameId builddir = graph_.FindName("builddir");
    if (builddir.valid())
      build_dir_ = std::string(graph_.LookupVar(Graph::kRootScope, builddir));
    return true;
  }

  bool EnsureBuildDirExists() {
    if (!build_dir_.empty() && !options_.dry_run) {
      std::string err;
      if (!fs_->MakeDirs(build_dir_, &err)) {
        Error("creating build directory %s: %s", build_dir_.c_str(), strerror(errno));
        return false;
      }
    }
    logs_ = std::make_unique<Logs>(&graph_, fs_, build_dir_, options_.dry_run);
    return true;
  }

  bool OpenLogs() {
    content_check_ = ContentCheckEnabled();
    return logs_->OpenForBuild(&content_check_);
  }

  // Content checks are on unless COMPOSER_CONTENT_CHECK=0/off/no or
  // --ninja-exact asks for Ninja's mtime-only rule.
  bool ContentCheckEnabled() const {
    if (options_.ninja_exact) return false;
    const char* env = getenv("COMPOSER_CONTENT_CHECK");
    return !env || !*env || EnvSwitchOn("COMPOSER_CONTENT_CHECK");
  }

  FingerprintDb* fingerprints() {
    return content_check_ ? &logs_->fingerprints() : nullptr;
  }

  // With COMPOSER_WATCH=1, node stats go through the file watcher (one
  // per build directory, kept across reloads of the manifest).
  WatchedStats* watched_stats() {
    if (!watched_stats_ && EnvSwitchOn("COMPOSER_WATCH"))
      watched_stats_ =
          std::make_unique<WatchedStats>(fs_, logs_->Path(".composer_stats"));
    return watched_stats_.get();
  }

  void set_command_line(std::vector<std::string> command_line) {
    command_line_ = std::move(command_line);
  }

  // --- the up-to-date record (plan/up_to_date_record.h) ---

  // A plain build with the watcher, whose graph is the image's: nothing
  // that prints or writes more than "no work to do" on a no-op.
  bool UpToDateRecordApplies() const {
    return image_current_ && options_.tool.empty() && !options_.dry_run &&
           !options_.debug_explain && !options_.debug_keepdepfile &&
           !options_.debug_keeprsp && options_.summary_file.empty() &&
           EnvSwitchOn("COMPOSER_WATCH");
  }
  // Before the logs are opened (Logs::Path then).
  std::string StatePath(const char* name) const { return Logs::PathIn(build_dir_, name); }
  uint64_t UpToDateKey() {
    return composer::UpToDateKey(command_line_, fs_,
                                 {".composer_graph", StatePath(".ninja_log"),
                                  StatePath(".ninja_deps"), StatePath(".composer_db")});
  }

  // True when the record of the last no-op still holds: nothing to load,
  // nothing to stat.
  bool UpToDateByRecord() {
    if (!UpToDateRecordApplies()) return false;
    UpToDateRecord record;
    if (!LoadUpToDateRecord(fs_, StatePath(".composer_uptodate"), &record) ||
        record.key != UpToDateKey())
      return false;
    std::string state_dir = build_dir_.empty() ? "." : build_dir_;
    CanonicalizePath(&state_dir);
    // What a build writes of its own: the logs and Composer's files, and
    // the mtimes of the directories holding them. Never a node.
    auto ignored = [&](std::string_view path) {
      if (graph_.LookupNode(path).valid()) return false;
      if (path == "." || path == state_dir) return true;
      const std::string dir = watch::ParentDir(path);
      const std::string_view base = path.substr(path.rfind('/') + 1);
      return (dir == "." || dir == state_dir) &&
             (base.starts_with(".ninja_log") || base.starts_with(".ninja_deps") ||
              base.starts_with(".composer_"));
    };
    return NothingChangedSince(record.token, ignored);
  }

  // After a build that found nothing to do: the record for the next one,
  // if everything it decided from is pinned. Otherwise any old record goes.
  void RecordUpToDate(Builder& builder) {
    if (!watched_stats_) return;
    const std::string path = StatePath(".composer_uptodate");
    std::string err;
    if (UpToDateRecordApplies() && up_to_date_so_far_ &&
        watched_stats_->all_vouchable() && watched_stats_->first_token().valid() &&
        builder.scan().direct_reads() == 0) {
      const UpToDateRecord record{UpToDateKey(), watched_stats_->first_token()};
      if (SaveUpToDateRecord(fs_, path, record, &err)) return;
    }
    fs_->RemoveFile(path, &err);
  }

  void FillToolContext(ToolContext* context) {
    context->graph = &graph_;
    context->build_dir = build_dir_;
    if (logs_) {
      context->build_log = &logs_->build_log();
      context->deps_log = &logs_->deps_log();
    }
  }

  // Brings the manifest up to date if an edge builds it. True when it was
  // rebuilt (the caller reloads); false with *err set on failure.
  bool RebuildManifest(const std::string& manifest, Status* status, std::string* err) {
    std::string path = manifest;
    if (path.empty()) {
      *err = "empty path";
      return false;
    }
    CanonicalizePath(&path);
    const NodeId node = graph_.LookupNode(path);
    if (!node.valid()) return false;
    logs_->build_log().BindToGraph(graph_);
    BuildState state(&graph_);
    Builder builder(&state, MakeBuildConfig(options_), &logs_->build_log(),
                    &logs_->deps_log(), fs_, status, start_millis_);
    builder.scan().set_fingerprints(fingerprints());
    builder.scan().set_watched_stats(watched_stats());
    up_to_date_so_far_ = false;
    if (!builder.AddTarget(node, err)) return false;
    if (builder.AlreadyUpToDate()) {
      up_to_date_so_far_ = builder.scan().direct_reads() == 0;
      return false;
    }
    status->PredictFrom(state, &logs_->build_log());
    if (!builder.Build(err)) {
      exit_code_ = builder.exit_code();
      return false;
    }
    // A restat may have found the manifest unchanged after all.
    return state.dirty(node);
  }

  int RunBuild(Status* status) {
    std::string err;
    std::vector<NodeId> targets;
    if (!CollectTargets(graph_, options_.targets, &targets, &err, &logs_->deps_log())) {
      status->Error("%s", err.c_str());
      return 1;
    }
    logs_->build_log().BindToGraph(graph_);
    BuildState state(&graph_);
    BuildConfig build_config = MakeBuildConfig(options_);
    std::unique_ptr<ActionCache> cache = MakeCache();
    build_config.cache = cache.get();
    Builder builder(&state, build_config, &logs_->build_log(), &logs_->deps_log(), fs_,
                    status, start_millis_);
    builder.scan().set_fingerprints(fingerprints());
    builder.scan().set_watched_stats(watched_stats());
    for (NodeId target : targets) {
      if (!builder.AddTarget(target, &err) && !err.empty()) {
        status->Error("%s", err.c_str());
        return 1;
      }
    }
    if (builder.AlreadyUpToDate()) {
      RecordUpToDate(builder);
      status->Info("no work to do.");
      WriteSummaryIfAsked(state, targets, nullptr, cache.get(), 0);
      return 0;
    }
    status->PredictFrom(state, &logs_->build_log());
    const bool built = builder.Build(&err);
    if (cache) cache->Flush();      // the local stores still being written
    if (remote_) remote_->Flush();  // the uploads still in flight
    if (cache) {
      ReportCache(*cache, status);
      cache->MaybeCollectGarbageInBackground();
    }
    if (!built) {
      status->Info("build stopped: %s.", err.c_str());
      const int code = builder.exit_code() ? builder.exit_code() : 1;
      WriteSummaryIfAsked(state, targets, &builder.reports(), cache.get(), code);
      return code;
    }
    WriteSummaryIfAsked(state, targets, &builder.reports(), cache.get(), 0);
    // What ran, for the record (Ninja's own output ends with the last
    // status line); --quiet asks for the commands' output alone.
    if (!CurrentPersonality().ninja_compat &&
        options_.verbosity != Options::Verbosity::kQuiet &&
        options_.verbosity != Options::Verbosity::kNoStatusUpdate) {
      const int restored =
          cache ? static_cast<int>(cache->stats().hits_local + cache->stats().hits_remote)
                : 0;
      const int count = status->finished_edges() - restored;
      const char* commands = count == 1 ? "command" : "commands";
      const double seconds = (MonotonicMillis() - start_millis_) / 1000.0;
      if (options_.dry_run)
        status->Info("dry run: ran nothing (%d %s would run)", count, commands);
      else if (restored)
        status->Info("ran %d %s and restored %d from the cache in %.2fs", count, commands,
                     restored, seconds);
      else
        status->Info("ran %d %s in %.2fs", count, commands, seconds);
    }
    return 0;
  }

  void WriteSummaryIfAsked(const BuildState& state, const std::vector<NodeId>& targets,
                           const std::vector<EdgeReport>* reports,
                           const ActionCache* cache, int exit_code) {
    if (options_.summary_file.empty()) return;
    SummaryInput input;
    input.state = &state;
    input.targets = targets;
    input.reports = reports;
    input.cache = cache;
    RemoteStore::Stats remote_stats;
    if (remote_) {
      remote_stats = remote_->remote().GetStats();
      input.remote = &remote_stats;
    }
    input.exit_code = exit_code;
    input.duration_millis = MonotonicMillis() - start_millis_;
    std::string err;
    if (!WriteSummary(options_.summary_file, input, &err))
      Warning("--summary: %s", err.c_str());
  }

  // The content cache for this build, or null when it is off (or with -n).
  std::unique_ptr<ActionCache> MakeCache() {
    if (options_.dry_run) return nullptr;
    CacheConfig config;
    std::string err;
    if (!CacheConfig::FromEnvironment(manifest_, &config, &err)) {
      if (config.explicitly_enabled) Warning("cache disabled: %s", err.c_str());
      return nullptr;
    }
    if (config.mode == CacheConfig::Mode::kOff) return nullptr;
    // COMPOSER_REMOTE_CACHE: consulted after a local miss. A remote that is
    // misconfigured, down or broken costs a warning, never the build.
    std::string remote_err;
    remote_ = RemoteStoreAdapter::FromEnvironment(&remote_err);
    if (!remote_ && !remote_err.empty())
      Warning("remote cache disabled: %s", remote_err.c_str());
    auto cache = std::make_unique<ActionCache>(config, remote_.get());
    cache->set_memo_path((build_dir_.empty() ? "" : build_dir_ + "/") +
                         ".composer_digests");
    return cache;
  }

  // One line after a build that looked anything up. The ninja personality
  // prints it only when COMPOSER_CACHE asked for the cache, so the output of
  // CMake's and Meson's builds stays Ninja's.
  void ReportCache(const ActionCache& cache, Status* status) {
    const CacheStats& s = cache.stats();
    if (s.hits_local + s.hits_remote + s.misses == 0) return;
    if (CurrentPersonality().ninja_compat && !cache.config().explicitly_enabled) return;
    if (options_.verbosity == Options::Verbosity::kQuiet) return;
    // "N stored", then what the remote accepted (readwrite mode), errors,
    // damaged files found.
    std::string stored = std::to_string(s.stores) + " stored";
    if (remote_) {
      const RemoteStore::Stats remote = remote_->remote().GetStats();
      if (remote.entries_uploaded || remote.upload_errors)
        stored += ", " + std::to_string(remote.entries_uploaded) + " uploaded";
      if (remote.upload_errors)
        stored += " (" + std::to_string(remote.upload_errors) + " uploads failed)";
    }
    if (s.errors) stored += ", " + std::to_string(s.errors) + " errors";
    if (const uint64_t n = cache.local().damaged())
      stored += ", " + std::to_string(n) + " damaged";
    status->Info(
        "cache: %llu hit%s (%llu local, %llu remote), %llu miss%s, %s, %.2fs saved",
        static_cast<unsigned long long>(s.hits_local + s.hits_remote),
        s.hits_local + s.hits_remote == 1 ? "" : "s",
        static_cast<unsigned long long>(s.hits_local),
        static_cast<unsigned long long>(s.hits_remote),
        static_cast<unsigned long long>(s.misses), s.misses == 1 ? "" : "es",
        stored.c_str(), s.saved_ms / 1000.0);
  }

  // -d stats: what the content check did, after the table of timings.
  void ReportContentCheck() {
    if (!logs_) return;
    if (!content_check_) {
      printf("content check: off\n");
      return;
    }
    const FingerprintDb& db = logs_->fingerprints();
    printf("content check: %u file%s hashed, %u touched without a change\n",
           db.files_hashed, db.files_hashed == 1 ? "" : "s", db.touched_unchanged);
  }

  int rebuild_exit_code() const { return exit_code_; }
  const Graph& graph() const { return graph_; }

 private:
  const Options& options_;
  FileSystem* fs_;
  int64_t start_millis_;
  Graph graph_;
  std::unique_ptr<Logs> logs_;
  std::unique_ptr<WatchedStats> watched_stats_;
  std::vector<std::string> command_line_;
  bool image_current_ = false;     // the graph is the image file's
  bool up_to_date_so_far_ = true;  // the manifest check found nothing to do
  bool content_check_ = false;
  std::string build_dir_;
  std::string manifest_;
  std::unique_ptr<RemoteStoreAdapter> remote_;  // outlives the build's ActionCache
  int exit_code_ = 1;
};

int RunTool(const Tool& tool, ToolContext& context, const Options& options) {
  std::vector<char*> argv;
  argv.push_back(const_cast<char*>(
      options.tool_word.empty() ? tool.name : options.tool_word.c_str()));
  for (const std::string& arg : options.tool_args)
    argv.push_back(const_cast<char*>(arg.c_str()));
  argv.push_back(nullptr);
  // Tool output can be large and nothing interleaves with it: buffer fully.
  setvbuf(stdout, nullptr, _IOFBF, 1 << 16);
  const int status = tool.run(context, static_cast<int>(argv.size() - 1), argv.data());
  fflush(stdout);
  return status;
}

}  // namespace

int RunComposer(int argc, char** argv) {
  const int64_t start_millis = MonotonicMillis();
  ChoosePersonality(argc, argv);
  setvbuf(stdout, nullptr, _IOLBF, BUFSIZ);

  Options options;
  const int exit_code = ParseCommandLine(argc, argv, &options);
  if (exit_code >= 0) return exit_code;
  Debug().explain = options.debug_explain;
  Debug().keep_depfile = options.debug_keepdepfile;
  Debug().keep_rsp = options.debug_keeprsp;
  Debug().stats = options.debug_stats;
  // Jobs write to a pipe, so compilers turn colours off; on a terminal ask
  // for them (CLICOLOR_FORCE), as the output is shown there unchanged.
  const char* term = getenv("TERM");
  if (isatty(1) && term && strcmp(term, "dumb") != 0) setenv("CLICOLOR_FORCE", "1", 0);

  if (options.debug_stats) Metrics::Enable();
  SetUpJobserver(&options);

  const Tool* tool = options.tool.empty() ? nullptr : FindToolByName(options.tool);
  if (!options.working_dir.empty()) {
    // The quotes are Emacs's, which follows the directory change with them.
    // Tools print nothing extra so their output can be piped.
    if (!tool && options.verbosity != Options::Verbosity::kNoStatusUpdate)
      Info("Entering directory `%s'", options.working_dir.c_str());
    if (chdir(options.working_dir.c_str()) < 0)
      Fatal("chdir to '%s' - %s", options.working_dir.c_str(), strerror(errno));
  }

  RealFileSystem file_system;
  ToolContext context;
  context.file_system = &file_system;
  context.dry_run = options.dry_run;
  context.verbose = options.verbosity == Options::Verbosity::kVerbose;
  const std::string manifest =
      options.input_file_given ? options.input_file : DefaultManifest(file_system);

  context.manifest = manifest;
  if (tool && tool->when == Tool::When::kAfterFlags)
    return RunTool(*tool, context, options);

  // A generator edge may rewrite the manifest; reload it until it is stable.
  constexpr int kCycleLimit = 100;
  for (int cycle = 1; cycle <= kCycleLimit; ++cycle) {
    Session session(options, &file_system, start_millis);
    session.set_command_line(std::vector<std::string>(argv, argv + argc));
    if (!session.LoadManifest(manifest)) return 1;
    if (cycle == 1 && !tool && session.UpToDateByRecord()) {
      Status status(session.graph(), MakeStatusConfig(options));
      status.Info("no work to do.");
      if (Metrics* metrics = Metrics::Get()) {
        metrics->Find("no-op by up-to-date record")->count += 1;
        metrics->Report();
      }
      return 0;
    }
    if (tool && tool->when == Tool::When::kAfterLoad) {
      session.FillToolContext(&context);
      context.build_log = nullptr;
      context.deps_log = nullptr;
      return RunTool(*tool, context, options);
    }
    if (!session.EnsureBuildDirExists()) return 1;
    if (!session.OpenLogs()) return 1;
    if (tool && tool->when == Tool::When::kAfterLogs) {
      session.FillToolContext(&context);
      return RunTool(*tool, context, options);
    }

    Status status(session.graph(), MakeStatusConfig(options));
    std::string err;
    if (session.RebuildManifest(manifest, &status, &err)) {
      // With -n the manifest never changes; stop rather than loop.
      if (options.dry_run) return 0;
      continue;
    }
    if (!err.empty()) {
      status.Error("rebuilding '%s': %s", manifest.c_str(), err.c_str());
      return session.rebuild_exit_code();
    }
    const int result = session.RunBuild(&status);
    if (Metrics* metrics = Metrics::Get()) {
      metrics->Report();
      session.ReportContentCheck();
    }
    return result;
  }
  Error("manifest '%s' still dirty after %d tries, perhaps system time is not set",
        manifest.c_str(), kCycleLimit);
  return 1;
}

}  // namespace composer
