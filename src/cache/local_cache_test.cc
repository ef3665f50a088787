// Tests for the local half of the content cache: SHA-256, action entries,
// the local store (round trips, damage, garbage collection, concurrent
// writers) and action keys (stable, and sensitive to every ingredient).

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "cache/action_cache.h"
#include "cache/action_entry.h"
#include "cache/digest_memo.h"
#include "cache/local_store.h"
#include "cache/sha256.h"
#include "support/scratch_dir.h"

namespace composer {
namespace {

Digest D(char c) {
  return Sha256Of(std::string(1, c));
}

TEST(Sha256Test, KnownVector) {
  EXPECT_EQ("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
            Sha256Of("abc").Hex());
  Digest back;
  ASSERT_TRUE(Digest::FromHex(Sha256Of("abc").Hex(), &back));
  EXPECT_EQ(Sha256Of("abc"), back);
  EXPECT_FALSE(Digest::FromHex("xyz", &back));
}

TEST(Sha256Test, FieldsAreDelimited) {
  Sha256 a, b;
  a.AddField("ab");
  a.AddField("c");
  b.AddField("a");
  b.AddField("bc");
  EXPECT_NE(a.Finish(), b.Finish());
}

TEST(ActionEntryTest, RoundTrip) {
  ActionEntry entry;
  entry.outputs.push_back({"out/a.o", 0755, 3, D('a'), {}});
  entry.outputs.push_back({"a.d", 0644, 0, D('b'), {}});
  entry.deps = {"$B/include/a.h", "/usr/include/stdio.h"};
  entry.output = "warning: something\n";
  entry.duration_ms = 1234;
  ActionEntry parsed;
  std::string err;
  ASSERT_TRUE(parsed.Parse(entry.Serialize(), &err)) << err;
  ASSERT_EQ(2u, parsed.outputs.size());
  EXPECT_EQ("out/a.o", parsed.outputs[0].path);
  EXPECT_EQ(0755u, parsed.outputs[0].mode);
  EXPECT_EQ(D('a'), parsed.outputs[0].digest);
  EXPECT_EQ(entry.deps, parsed.deps);
  EXPECT_EQ(entry.output, parsed.output);
  EXPECT_EQ(1234u, parsed.duration_ms);
}

TEST(ActionEntryTest, InlineOutputsRoundTripAndAreChecked) {
  ActionEntry entry;
  const std::string bytes = "small object";
  entry.outputs.push_back(
      {"a.o", 0644 | ActionEntry::kInline, bytes.size(), Sha256Of(bytes), bytes});
  ActionEntry parsed;
  std::string err;
  ASSERT_TRUE(parsed.Parse(entry.Serialize(), &err)) << err;
  EXPECT_EQ(bytes, parsed.outputs[0].data);
  EXPECT_EQ(0644u | ActionEntry::kInline, parsed.outputs[0].mode);
  // Bytes that are not what the digest says are refused.
  entry.outputs[0].data = "small objecT";
  EXPECT_FALSE(parsed.Parse(entry.Serialize(), &err));
  EXPECT_NE(std::string::npos, err.find("inline")) << err;
}

TEST(ActionEntryTest, RefusesPathsOutsideTheBuildDirAndTruncation) {
  for (const char* path : {"../x", "/etc/passwd", "a/../../b", "", "a//b", "./a"}) {
    ActionEntry entry;
    entry.outputs.push_back({path, 0644, 0, D('a'), {}});
    ActionEntry parsed;
    std::string err;
    EXPECT_FALSE(parsed.Parse(entry.Serialize(), &err)) << path;
  }
  ActionEntry entry;
  entry.outputs.push_back({"a", 0644, 0, D('a'), {}});
  const std::string data = entry.Serialize();
  for (size_t size = 0; size < data.size(); ++size) {
    ActionEntry parsed;
    std::string err;
    EXPECT_FALSE(parsed.Parse(data.substr(0, size), &err)) << size;
  }
}

class LocalStoreTest : public testing::Test {
 protected:
  LocalStoreConfig Config() {
    LocalStoreConfig config;
    config.dir = dir_.path() + "/store";
    return config;
  }
  ScratchDir dir_{"cache"};
};

TEST_F(LocalStoreTest, RoundTrip) {
  LocalStore store(Config());
  const std::string data(100000, 'x');
  const Digest digest = Sha256Of(data);
  std::string got, err;
  EXPECT_EQ(Store::Result::kMiss, store.GetBlob(digest, &got));
  ASSERT_TRUE(store.PutBlob(digest, data, &err)) << err;
  ASSERT_EQ(Store::Result::kHit, store.GetBlob(digest, &got));
  EXPECT_EQ(data, got);
  // Compressed on disk, sharded by the first two digits.
  const std::string path = store.BlobPath(digest);
  EXPECT_NE(std::string::npos, path.find("/cas/" + digest.Hex().substr(0, 2) + "/"));
  EXPECT_LT(ReadBytes(path).size(), data.size() / 10);

  EXPECT_EQ(Store::Result::kMiss, store.GetAction(D('k'), &got));
  ASSERT_TRUE(store.PutAction(D('k'), "entry bytes", &err)) << err;
  ASSERT_EQ(Store::Result::kHit, store.GetAction(D('k'), &got));
  EXPECT_EQ("entry bytes", got);
  EXPECT_EQ(0u, store.damaged());
}

TEST_F(LocalStoreTest, CorruptAndTruncatedFilesAreMissesAndRemoved) {
  LocalStore store(Config());
  std::string err, got;
  const std::string data = "some output bytes, some output bytes";
  const Digest digest = Sha256Of(data);
  ASSERT_TRUE(store.PutBlob(digest, data, &err));
  ASSERT_TRUE(store.PutAction(D('k'), "entry", &err));

  // A flipped byte in the blob.
  std::string frame = ReadBytes(store.BlobPath(digest));
  frame[frame.size() - 5] ^= 1;
  WriteBytes(store.BlobPath(digest), frame);
  EXPECT_EQ(Store::Result::kMiss, store.GetBlob(digest, &got));
  EXPECT_EQ(1u, store.damaged());
  EXPECT_NE(0, access(store.BlobPath(digest).c_str(), F_OK));

  // A truncated blob.
  ASSERT_TRUE(store.PutBlob(digest, data, &err));
  frame = ReadBytes(store.BlobPath(digest));
  WriteBytes(store.BlobPath(digest), frame.substr(0, frame.size() / 2));
  EXPECT_EQ(Store::Result::kMiss, store.GetBlob(digest, &got));
  EXPECT_EQ(2u, store.damaged());

  // A truncated action entry.
  const std::string entry = ReadBytes(store.ActionPath(D('k')));
  WriteBytes(store.ActionPath(D('k')), entry.substr(0, entry.size() - 1));
  EXPECT_EQ(Store::Result::kMiss, store.GetAction(D('k'), &got));
  EXPECT_EQ(3u, store.damaged());

  // verify finds damage too.
  ASSERT_TRUE(store.PutBlob(digest, data, &err));
  WriteBytes(store.BlobPath(digest), "garbage");
  const LocalStore::VerifyReport report = store.Verify();
  EXPECT_EQ(1u, report.checked);
  EXPECT_EQ(1u, report.damaged);
}

void SetMtime(const std::string& path, time_t when) {
  struct timespec times[2] = {{when, 0}, {when, 0}};
  utimensat(AT_FDCWD, path.c_str(), times, 0);
}

TEST_F(LocalStoreTest, GcBySizeRemovesLeastRecentlyUsed) {
  LocalStoreConfig config = Config();
  config.compression_level = 1;
  LocalStore writer(config);
  std::string err;
  std::vector<Digest> digests;
  const time_t now = 1000000000;
  for (int i = 0; i < 10; ++i) {
    // Incompressible-ish content of ~10 kB each.
    std::string data;
    for (int j = 0; j < 10000; ++j)
      data.push_back(static_cast<char>((j * 7919 + i * 31) ^ (j >> 3)));
    digests.push_back(Sha256Of(data));
    ASSERT_TRUE(writer.PutBlob(digests.back(), data, &err));
    SetMtime(writer.BlobPath(digests.back()), now - 1000 + i);  // 0 is the oldest
  }
  const uint64_t total = writer.Measure().bytes();
  config.max_size_bytes = total / 2;
  LocalStore store(config);
  const LocalStore::GcReport report = store.CollectGarbage(now);
  EXPECT_LE(report.after.bytes(), total / 2);
  EXPECT_GE(report.removed_files, 4u);
  // The oldest went first; the newest stayed.
  EXPECT_NE(0, access(store.BlobPath(digests[0]).c_str(), F_OK));
  EXPECT_EQ(0, access(store.BlobPath(digests[9]).c_str(), F_OK));
}

TEST_F(LocalStoreTest, GcByAge) {
  LocalStoreConfig config = Config();
  config.ttl_seconds = 86400;
  LocalStore store(config);
  std::string err;
  const time_t now = 1000000000;
  ASSERT_TRUE(store.PutBlob(Sha256Of("old"), "old", &err));
  ASSERT_TRUE(store.PutBlob(Sha256Of("new"), "new", &err));
  ASSERT_TRUE(store.PutAction(D('o'), "old entry", &err));
  SetMtime(store.BlobPath(Sha256Of("old")), now - 2 * 86400);
  SetMtime(store.ActionPath(D('o')), now - 2 * 86400);
  SetMtime(store.BlobPath(Sha256Of("new")), now - 3600);
  const LocalStore::GcReport report = store.CollectGarbage(now);
  EXPECT_EQ(2u, report.removed_files);
  EXPECT_EQ(1u, report.after.blobs);
  EXPECT_EQ(0u, report.after.entries);
  std::string got;
  EXPECT_EQ(Store::Result::kHit, store.GetBlob(Sha256Of("new"), &got));
}

TEST_F(LocalStoreTest, ClearRemovesEverything) {
  LocalStore store(Config());
  std::string err;
  ASSERT_TRUE(store.PutBlob(Sha256Of("x"), "x", &err));
  ASSERT_TRUE(store.PutAction(D('k'), "e", &err));
  ASSERT_TRUE(store.Clear(&err)) << err;
  EXPECT_EQ(0u, store.Measure().bytes());
}

// Many threads, then two processes, writing the same and different blobs:
// every blob reads back whole.
TEST_F(LocalStoreTest, ConcurrentWriters) {
  const LocalStoreConfig config = Config();
  auto write_all = [&config](int worker) {
    LocalStore store(config);
    std::string err;
    for (int i = 0; i < 200; ++i) {
      const std::string data = std::string(5000 + i, static_cast<char>('a' + i % 26)) +
                               std::to_string(i % 50 == 0 ? worker : 0);
      if (!store.PutBlob(Sha256Of(data), data, &err)) return false;
      if (!store.PutAction(Sha256Of(std::to_string(i)), data, &err)) return false;
    }
    return true;
  };
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) threads.emplace_back([&, t] { EXPECT_TRUE(write_all(t)); });
  for (std::thread& thread : threads) thread.join();

  std::vector<pid_t> children;
  for (int p = 0; p < 2; ++p) {
    const pid_t pid = fork();
    if (pid == 0) _exit(write_all(10 + p) ? 0 : 1);
    children.push_back(pid);
  }
  for (pid_t pid : children) {
    int status = 0;
    waitpid(pid, &status, 0);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  }
  LocalStore store(config);
  const LocalStore::VerifyReport report = store.Verify();
  EXPECT_GT(report.checked, 200u);
  EXPECT_EQ(0u, report.damaged);
  // No temporary files left behind.
  EXPECT_EQ(0,
            std::system(
                ("test -z \"$(find '" + config.dir + "' -name '.*' -type f)\"").c_str()));
}

TEST(DigestMemoTest, HashesOncePerChangeAndPersists) {
  ScratchDir dir{"cache"};
  const std::string file = dir.path() + "/f";
  const std::string memo_path = dir.path() + "/memo";
  WriteBytes(file, "one");
  SetMtime(file, 1000000000);  // old enough to be memoised on disk
  Digest digest;
  bool missing;
  std::string err;
  {
    DigestMemo memo;
    ASSERT_TRUE(memo.Open(memo_path, &err)) << err;
    ASSERT_TRUE(memo.Get(file, &digest, &missing, &err));
    EXPECT_EQ(Sha256Of("one"), digest);
    ASSERT_TRUE(memo.Get(file, &digest, &missing, &err));
    EXPECT_EQ(1u, memo.files_hashed);
  }
  {
    DigestMemo memo;
    ASSERT_TRUE(memo.Open(memo_path, &err)) << err;
    ASSERT_TRUE(memo.Get(file, &digest, &missing, &err));
    EXPECT_EQ(0u, memo.files_hashed);  // from the file
    WriteBytes(file, "two!");
    ASSERT_TRUE(memo.Get(file, &digest, &missing, &err));
    EXPECT_EQ(Sha256Of("one"), digest) << "stat'ed once per epoch";
    ASSERT_TRUE(memo.Get(file, &digest, &missing, &err, /*fresh=*/true));
    EXPECT_EQ(Sha256Of("two!"), digest);
    EXPECT_EQ(1u, memo.files_hashed);
    WriteBytes(file, "three");
    memo.Invalidate(file);
    ASSERT_TRUE(memo.Get(file, &digest, &missing, &err));
    EXPECT_EQ(Sha256Of("three"), digest);
    unlink(file.c_str());
    memo.NewEpoch();
    ASSERT_TRUE(memo.Get(file, &digest, &missing, &err));
    EXPECT_TRUE(missing);
    WriteBytes(file, "four");
    ASSERT_TRUE(memo.Get(file, &digest, &missing, &err));
    EXPECT_TRUE(missing) << "missing, as stat'ed in this epoch";
    memo.NewEpoch();
    ASSERT_TRUE(memo.Get(file, &digest, &missing, &err));
    EXPECT_FALSE(missing);
    EXPECT_EQ(Sha256Of("four"), digest);
    EXPECT_EQ(3u, memo.files_hashed);
  }
  // A torn tail is cut off.
  const std::string data = ReadBytes(memo_path);
  WriteBytes(memo_path, data + "\x07\x00");
  DigestMemo memo;
  ASSERT_TRUE(memo.Open(memo_path, &err)) << err;
  ASSERT_TRUE(memo.Get(dir.path() + "/none", &digest, &missing, &err));
  EXPECT_TRUE(missing);
}

// Action keys from a small graph of real files in a scratch directory.
class ActionKeyTest : public testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(0, getcwd(old_cwd_, sizeof old_cwd_) == nullptr);
    ASSERT_EQ(0, chdir(dir_.path().c_str()));
    WriteBytes("a.c", "int a;");
    WriteBytes("a.h", "#define A");
    WriteBytes("tool", "#!/bin/sh\n");
    chmod("tool", 0755);
    config_.local.dir = dir_.path() + "/store";
    config_.build_dir = dir_.path();
    config_.base_dir = dir_.path();
  }
  void TearDown() override { ASSERT_EQ(0, chdir(old_cwd_)); }

  // Each edge in a graph of its own (an output has one producer).
  struct Built {
    Graph* graph;
    EdgeId edge;
  };
  Built AddEdge(const std::string& command, std::vector<std::string> outs = {"a.o"},
                std::vector<std::pair<RuleKey, std::string>> bindings = {},
                std::pair<std::string, std::string> ins = {"a.c", "a.h"}) {
    graphs_.push_back(std::make_unique<Graph>());
    Graph& graph_ = *graphs_.back();
    const RuleId rule = graph_.AddRule(Graph::kRootScope, graph_.InternName("r"));
    auto set = [&](RuleKey key, const std::string& value) {
      EvalString eval;
      eval.AddText(value);
      graph_.rule(rule).bindings[static_cast<int>(key)] = std::move(eval);
      graph_.rule(rule).present[static_cast<int>(key)] = true;
    };
    set(RuleKey::kCommand, command);
    set(RuleKey::kCache, "1");
    for (const auto& [key, value] : bindings) set(key, value);
    const EdgeId edge = graph_.StartEdge(rule, Graph::kRootScope);
    for (const std::string& out : outs) graph_.AddOutput(edge, graph_.GetNode(out));
    graph_.AddInput(edge, graph_.GetNode(ins.first));
    graph_.AddInput(edge, graph_.GetNode(ins.second));
    graph_.AddInput(edge, graph_.GetNode("order"));
    Edge& e = graph_.edge(edge);
    e.explicit_outs = static_cast<uint32_t>(outs.size());
    e.explicit_ins = 1;
    e.implicit_ins = 1;
    e.order_only_ins = 1;
    return Built{&graph_, edge};
  }

  std::string Key(Built built) {
    ActionCache cache(config_);
    ActionCache::Pending pending;
    ActionCache::Hit hit;
    EXPECT_FALSE(cache.Lookup(*built.graph, built.edge, &pending, &hit));
    EXPECT_TRUE(pending.valid);
    return pending.key1.Hex();
  }

  ScratchDir dir_{"cache"};
  char old_cwd_[4096];
  CacheConfig config_;
  std::vector<std::unique_ptr<Graph>> graphs_;
};

TEST_F(ActionKeyTest, StableAndSensitiveToEveryIngredient) {
  const Built edge = AddEdge("./tool -c a.c -o a.o");
  const std::string key = Key(edge);
  EXPECT_EQ(key, Key(edge));
  std::map<std::string, std::string> keys;
  auto differs = [&](const std::string& what, const std::string& k) {
    EXPECT_NE(key, k) << what;
    for (const auto& [other, other_key] : keys)
      EXPECT_NE(other_key, k) << what << " vs " << other;
    keys[what] = k;
  };
  differs("command", Key(AddEdge("./tool -O2 -c a.c -o a.o")));
  differs("output names", Key(AddEdge("./tool -c a.c -o a.o", {"b.o"})));
  differs("rspfile_content", Key(AddEdge("./tool -c a.c -o a.o", {"a.o"},
                                         {{RuleKey::kRspfileContent, "x"}})));
  differs("depfile",
          Key(AddEdge("./tool -c a.c -o a.o", {"a.o"}, {{RuleKey::kDepfile, "a.d"}})));

  WriteBytes("a.c", "int a = 1;");
  differs("explicit input", Key(edge));
  WriteBytes("a.c", "int a;");
  EXPECT_EQ(key, Key(edge));
  WriteBytes("a.h", "#define B");
  differs("implicit input", Key(edge));
  WriteBytes("a.h", "#define A");
  WriteBytes("order", "order-only inputs do not count");
  EXPECT_EQ(key, Key(edge));

  WriteBytes("tool", "#!/bin/sh\n# another version\n");
  differs("program", Key(edge));
  WriteBytes("tool", "#!/bin/sh\n");
  EXPECT_EQ(key, Key(edge));

  config_.salt = "1";
  differs("salt", Key(edge));
  config_.salt.clear();

  const Built env_edge =
      AddEdge("./tool -c a.c -o a.o", {"a.o"}, {{RuleKey::kEnv, "CACHE_TEST_VAR"}});
  unsetenv("CACHE_TEST_VAR");
  const std::string unset = Key(env_edge);
  setenv("CACHE_TEST_VAR", "1", 1);
  differs("env", Key(env_edge));
  unsetenv("CACHE_TEST_VAR");
  EXPECT_EQ(unset, Key(env_edge));
}

TEST_F(ActionKeyTest, PathsUnderTheBaseDirAreRelative) {
  // The same command naming the checkout by its absolute path gets the same
  // key in another checkout.
  const std::string key = Key(AddEdge("./tool -I" + dir_.path() + "/inc -c a.c"));
  ScratchDir other{"cache"};
  WriteBytes(other.path() + "/a.c", "int a;");
  WriteBytes(other.path() + "/a.h", "#define A");
  WriteBytes(other.path() + "/tool", "#!/bin/sh\n");
  chmod((other.path() + "/tool").c_str(), 0755);
  ASSERT_EQ(0, chdir(other.path().c_str()));
  config_.build_dir = config_.base_dir = other.path();
  EXPECT_EQ(key, Key(AddEdge("./tool -I" + other.path() + "/inc -c a.c")));
  ActionCache cache(config_);
  EXPECT_EQ("$B/x/y.h", cache.KeyPath(other.path() + "/x/y.h"));
  EXPECT_EQ(other.path() + "/x/y.h", cache.ResolveKeyPath("$B/x/y.h"));
  EXPECT_EQ("/usr/include/stdio.h", cache.KeyPath("/usr/include/stdio.h"));
  EXPECT_EQ("rel/x.h", cache.KeyPath("rel/x.h"));
}

// A miss, a store (on the store thread), then a hit that restores the
// output with its mode.
TEST_F(ActionKeyTest, StoreThenHit) {
  const Built edge = AddEdge("./tool -c a.c -o a.o");
  ActionCache cache(config_);
  ActionCache::Pending pending;
  ActionCache::Hit hit;
  ASSERT_FALSE(cache.Lookup(*edge.graph, edge.edge, &pending, &hit));
  WriteBytes("a.o", "object code");
  chmod("a.o", 0751);
  cache.StoreResult(*edge.graph, edge.edge, &pending, {"a.o"}, {}, "compiler said\n",
                    1500);
  EXPECT_TRUE(pending.key_known);
  cache.Flush();
  EXPECT_EQ(1u, cache.stats().stores);
  unlink("a.o");
  ActionCache::Pending again;
  ASSERT_TRUE(cache.Lookup(*edge.graph, edge.edge, &again, &hit));
  EXPECT_EQ(pending.key, again.key);
  EXPECT_EQ("compiler said\n", hit.entry.output);
  EXPECT_EQ(1500u, hit.entry.duration_ms);
  std::string err;
  ASSERT_TRUE(cache.Restore(hit, {}, &err)) << err;
  EXPECT_EQ("object code", ReadBytes("a.o"));
  struct stat st;
  ASSERT_EQ(0, stat("a.o", &st));
  EXPECT_EQ(0751u, st.st_mode & 07777);
  EXPECT_EQ(1u, cache.stats().hits_local);
  EXPECT_EQ(1500u, cache.stats().saved_ms);
}

// Within a build, an input is stat'ed once until a command runs (it may
// write anything) or a restore rewrites it.
TEST_F(ActionKeyTest, StatsAreReusedUntilACommandRunsOrARestoreWrites) {
  const Built edge = AddEdge("./tool -c a.c -o a.o");
  ActionCache cache(config_);
  ActionCache::Pending first, second;
  ActionCache::Hit hit;
  ASSERT_FALSE(cache.Lookup(*edge.graph, edge.edge, &first, &hit));
  WriteBytes("a.h", "#define A 2");  // an edit from outside, mid-build
  ASSERT_FALSE(cache.Lookup(*edge.graph, edge.edge, &second, &hit));
  EXPECT_EQ(first.key1, second.key1) << "the same epoch: a.h was not stat'ed again";
  cache.CommandRan();
  ASSERT_FALSE(cache.Lookup(*edge.graph, edge.edge, &second, &hit));
  EXPECT_NE(first.key1, second.key1) << "a command ran: a.h stat'ed again";

  // A restore of a.h (an output of another edge) is seen at once.
  WriteBytes("a.idl", "interface A");
  const Built maker = AddEdge("./tool -o a.h", {"a.h"}, {}, {"a.idl", "a.c"});
  ActionCache::Pending made;
  ASSERT_FALSE(cache.Lookup(*maker.graph, maker.edge, &made, &hit));
  WriteBytes("a.h", "#define A 3");
  cache.StoreResult(*maker.graph, maker.edge, &made, {"a.h"}, {}, "", 1);
  cache.Flush();
  ASSERT_EQ(1u, cache.stats().stores);
  WriteBytes("a.h", "#define A 4");
  cache.CommandRan();
  ActionCache::Pending before;
  ASSERT_FALSE(cache.Lookup(*edge.graph, edge.edge, &before, &hit));
  ASSERT_TRUE(cache.Lookup(*maker.graph, maker.edge, &made, &hit));
  std::string err;
  ASSERT_TRUE(cache.Restore(hit, {}, &err)) << err;
  EXPECT_EQ("#define A 3", ReadBytes("a.h"));
  ActionCache::Pending after;
  ASSERT_FALSE(cache.Lookup(*edge.graph, edge.edge, &after, &hit));
  EXPECT_NE(before.key1, after.key1) << "the restored a.h was stat'ed again";
  WriteBytes("a.h", "#define A");
}

// An input edited while its command ran: the outputs may come from either
// content, so nothing is stored under the key made from the old one.
TEST_F(ActionKeyTest, NoStoreWhenAnInputChangedWhileTheCommandRan) {
  const Built edge = AddEdge("./tool -c a.c -o a.o");
  ActionCache cache(config_);
  ActionCache::Pending pending;
  ActionCache::Hit hit;
  ASSERT_FALSE(cache.Lookup(*edge.graph, edge.edge, &pending, &hit));
  WriteBytes("a.c", "int a = 2;");  // the command edits its own input
  WriteBytes("a.o", "object of the new a.c");
  cache.CommandRan();
  cache.StoreResult(*edge.graph, edge.edge, &pending, {"a.o"}, {}, "", 1);
  cache.Flush();
  EXPECT_EQ(0u, cache.stats().stores);
  WriteBytes("a.c", "int a;");
  cache.CommandRan();
  ASSERT_FALSE(cache.Lookup(*edge.graph, edge.edge, &pending, &hit))
      << "no entry under the old content's key";
}

// Edges with discovered dependencies: the list a run stored leads to its
// result, and the lists of earlier runs stay (up to four), so switching
// between two branches whose headers include different files hits on both.
TEST_F(ActionKeyTest, SeveralListsOfDiscoveredDependencies) {
  WriteBytes("b.c", "int b;");
  WriteBytes("x.h", "x");
  WriteBytes("y.h", "y");
  const Built edge =
      AddEdge("./tool -c a.c -o a.o", {"a.o"}, {{RuleKey::kDeps, "gcc"}}, {"a.c", "b.c"});
  // One build of the edge on a branch whose m.h reads `branch` and
  // includes `header`: the restored object, or "ran" after storing `object`.
  auto build = [&](const std::string& branch, const std::string& header) {
    WriteBytes("m.h", branch);
    ActionCache cache(config_);
    ActionCache::Pending pending;
    ActionCache::Hit hit;
    if (cache.Lookup(*edge.graph, edge.edge, &pending, &hit)) return hit.blobs[0];
    WriteBytes("a.o", "object of " + branch);
    cache.StoreResult(*edge.graph, edge.edge, &pending, {"a.o"}, {"m.h", header}, "", 1);
    cache.Flush();
    EXPECT_EQ(1u, cache.stats().stores);
    return std::string("ran");
  };
  EXPECT_EQ("ran", build("A", "x.h"));
  EXPECT_EQ("object of A", build("A", "x.h"));
  EXPECT_EQ("ran", build("B", "y.h"));
  EXPECT_EQ("object of A", build("A", "x.h")) << "the older list still leads to A";
  EXPECT_EQ("object of B", build("B", "y.h"));
  // A list is a set of paths: another branch with x.h adds no list.
  EXPECT_EQ("ran", build("C", "x.h"));
  EXPECT_EQ("object of A", build("A", "x.h"));
  // Five sets of paths: the oldest falls out.
  WriteBytes("z.h", "z");
  WriteBytes("w.h", "w");
  WriteBytes("v.h", "v");
  EXPECT_EQ("ran", build("D", "z.h"));
  EXPECT_EQ("ran", build("E", "w.h"));
  EXPECT_EQ("ran", build("F", "v.h"));
  EXPECT_EQ("object of D", build("D", "z.h"));
  EXPECT_EQ("ran", build("B", "y.h")) << "y.h's list was the fifth";
}

// Outputs up to 4 KiB travel inside the entry; larger ones are blobs.
TEST_F(ActionKeyTest, SmallOutputsInlineLargeOnesAsBlobs) {
  const Built edge = AddEdge("./tool -c a.c -o a.o", {"a.o", "big.o"});
  ActionCache cache(config_);
  ActionCache::Pending pending;
  ActionCache::Hit hit;
  ASSERT_FALSE(cache.Lookup(*edge.graph, edge.edge, &pending, &hit));
  const std::string big(ActionEntry::kMaxInlineBytes + 1, 'b');
  WriteBytes("a.o", "small");
  WriteBytes("big.o", big);
  cache.StoreResult(*edge.graph, edge.edge, &pending, {"a.o", "big.o"}, {}, "", 1);
  cache.Flush();
  ASSERT_EQ(1u, cache.stats().stores);
  EXPECT_NE(0, access(cache.local().BlobPath(Sha256Of("small")).c_str(), F_OK))
      << "the small output has no blob";
  EXPECT_EQ(0, access(cache.local().BlobPath(Sha256Of(big)).c_str(), F_OK));
  unlink("a.o");
  unlink("big.o");
  cache.CommandRan();
  ASSERT_TRUE(cache.Lookup(*edge.graph, edge.edge, &pending, &hit));
  std::string err;
  ASSERT_TRUE(cache.Restore(hit, {}, &err)) << err;
  EXPECT_EQ("small", ReadBytes("a.o"));
  EXPECT_EQ(big, ReadBytes("big.o"));
}

// An output tree (`outdirs`) is stored file by file and restored exactly:
// directories with their modes, symlinks as links, and nothing else left in it.
TEST_F(ActionKeyTest, OutputTreeRoundTrip) {
  const Built edge = AddEdge("./tool", {"stamp"}, {{RuleKey::kOutdirs, "dist"}});
  EXPECT_NE(Key(AddEdge("./tool", {"stamp"})), Key(edge)) << "outdirs are in the key";
  ActionCache cache(config_);
  ActionCache::Pending pending;
  ActionCache::Hit hit;
  ASSERT_FALSE(cache.Lookup(*edge.graph, edge.edge, &pending, &hit));
  ASSERT_EQ(0, mkdir("dist", 0755));
  ASSERT_EQ(0, mkdir("dist/ro", 0755));
  WriteBytes("dist/ro/a.js", "a");
  WriteBytes("dist/run", "#!/bin/sh\n");
  chmod("dist/run", 0755);
  chmod("dist/ro", 0555);
  ASSERT_EQ(0, symlink("run", "dist/link"));
  WriteBytes("stamp", "listing");
  cache.StoreResult(*edge.graph, edge.edge, &pending,
                    {"stamp", "dist", "dist/link", "dist/ro", "dist/ro/a.js", "dist/run"},
                    {}, "", 10);
  cache.Flush();
  ASSERT_EQ(1u, cache.stats().stores);

  // A later state of the tree: a stale file, a changed one, no link.
  chmod("dist/ro", 0755);
  WriteBytes("dist/stale.js", "stale");
  WriteBytes("dist/ro/a.js", "changed");
  unlink("dist/link");
  ASSERT_TRUE(cache.Lookup(*edge.graph, edge.edge, &pending, &hit));
  std::string err;
  ASSERT_TRUE(cache.Restore(hit, {"dist"}, &err)) << err;
  struct stat st;
  EXPECT_NE(0, lstat("dist/stale.js", &st)) << "stale file removed";
  EXPECT_EQ("a", ReadBytes("dist/ro/a.js"));
  ASSERT_EQ(0, stat("dist/run", &st));
  EXPECT_EQ(0755u, st.st_mode & 07777);
  ASSERT_EQ(0, stat("dist/ro", &st));
  EXPECT_EQ(0555u, st.st_mode & 07777);
  ASSERT_EQ(0, lstat("dist/link", &st));
  ASSERT_TRUE(S_ISLNK(st.st_mode));
  char target[16] = {};
  ASSERT_EQ(3, readlink("dist/link", target, sizeof target - 1));
  EXPECT_STREQ("run", target);
  EXPECT_EQ("listing", ReadBytes("stamp"));
  chmod("dist/ro", 0755);  // so the scratch directory can be removed
}

TEST_F(ActionKeyTest, Cacheable) {
  ActionCache cache(config_);
  auto cacheable = [](const ActionCache& c, Built b) {
    return c.Cacheable(*b.graph, b.edge);
  };
  EXPECT_TRUE(cacheable(cache, AddEdge("./tool")));
  EXPECT_FALSE(cacheable(cache, AddEdge("./tool", {"../outside"})));
  EXPECT_FALSE(cacheable(cache, AddEdge("./tool", {"a.o"}, {{RuleKey::kOutdirs, "."}})));
  EXPECT_FALSE(
      cacheable(cache, AddEdge("./tool", {"a.o"}, {{RuleKey::kOutdirs, "d ../x"}})));
  EXPECT_TRUE(cacheable(cache, AddEdge("./tool", {"a.o"}, {{RuleKey::kOutdirs, "d/e"}})));
  EXPECT_FALSE(cacheable(cache, AddEdge("./tool", {"a.o"}, {{RuleKey::kCache, "0"}})));
  EXPECT_FALSE(
      cacheable(cache, AddEdge("./tool", {"a.o"}, {{RuleKey::kGenerator, "1"}})));
  config_.mode = CacheConfig::Mode::kOff;
  ActionCache off(config_);
  EXPECT_FALSE(cacheable(off, AddEdge("./tool")));
}

}  // namespace
}  // namespace composer
