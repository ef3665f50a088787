// Tests for .ninja_log: what is written reads back, appends supersede older
// records, the versions Ninja 1.11-1.13 write are read (v4 with the command
// itself is upgraded), damaged files are survived the way Ninja survives
// them, and recompaction keeps one record per live output.
//
// Expected hashes come from Debian's ninja 1.11.1 (a real .ninja_log).

#include "state/build_log.h"

#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <span>
#include <sstream>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "state/command_hash.h"
#include "support/scratch_dir.h"

namespace composer {
namespace {

using testing::HasSubstr;
using testing::StartsWith;

class BuildLogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = dir_.Path(".ninja_log");
    // The version of a new log comes from the environment: pin it.
    const char* env = getenv("COMPOSER_NINJA_LOG_VERSION");
    had_env_ = env != nullptr;
    if (env) saved_env_ = env;
    unsetenv("COMPOSER_NINJA_LOG_VERSION");
  }
  void TearDown() override {
    if (had_env_) setenv("COMPOSER_NINJA_LOG_VERSION", saved_env_.c_str(), 1);
  }

  void WriteRaw(const std::string& contents) { WriteBytes(path_, contents); }
  std::string ReadRaw() { return ReadBytes(path_); }
  bool Exists() {
    struct stat st;
    return stat(path_.c_str(), &st) == 0;
  }
  std::vector<std::string> Lines() {
    std::vector<std::string> lines;
    std::istringstream in(ReadRaw());
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    return lines;
  }

  // Records one command for `outputs` in `log` (opened for writing at path_).
  void Record(BuildLog* log, std::vector<std::string> outputs, const std::string& command,
              int32_t start, int32_t end, int64_t mtime) {
    std::vector<NodeId> nodes;
    for (const std::string& out : outputs) nodes.push_back(graph_.GetNode(out));
    std::string err;
    ASSERT_TRUE(log->RecordCommand(graph_, nodes, log->HashCommand(command), start, end,
                                   mtime, &err))
        << err;
  }

  ScratchDir dir_{"buildlog"};
  std::string path_;
  bool had_env_ = false;
  std::string saved_env_;
  Graph graph_;
};

const auto kNeverDead = [](std::string_view) { return false; };

// A hash as the log writes it: lower-case hex without leading zeros.
std::string Hex(uint64_t hash) {
  char buffer[17];
  snprintf(buffer, sizeof(buffer), "%llx", static_cast<unsigned long long>(hash));
  return buffer;
}

TEST_F(BuildLogTest, MissingFileIsNotFound) {
  BuildLog log;
  std::string err;
  EXPECT_EQ(LoadStatus::kNotFound, log.Load(path_, &err));
  EXPECT_EQ("", err);
  EXPECT_EQ(0u, log.size());
}

TEST_F(BuildLogTest, WriteAndReadBack) {
  {
    BuildLog log;
    std::string err;
    ASSERT_EQ(LoadStatus::kNotFound, log.Load(path_, &err));
    ASSERT_TRUE(log.OpenForWrite(path_, kNeverDead, &err)) << err;
    EXPECT_EQ(5, log.version());  // what Debian's ninja 1.11 reads
    Record(&log, {"out"}, "touch out", 15, 20, 1796367712056151163);
    Record(&log, {"mid", "mid.d"}, "cc -c mid.c", 20, 25, 42);
  }
  EXPECT_EQ((std::vector<std::string>{
                "# ninja log v5",
                "15\t20\t1796367712056151163\tout\t8ea3cc54bdccad2c",
                "20\t25\t42\tmid\t" + Hex(MurmurHash64A("cc -c mid.c")),
                "20\t25\t42\tmid.d\t" + Hex(MurmurHash64A("cc -c mid.c")),
            }),
            Lines());

  BuildLog log;
  std::string err;
  ASSERT_EQ(LoadStatus::kSuccess, log.Load(path_, &err));
  EXPECT_EQ("", err);
  EXPECT_EQ(5, log.version());
  ASSERT_EQ(3u, log.size());
  EXPECT_EQ("out", log.path(0));
  EXPECT_EQ("mid", log.path(1));
  EXPECT_EQ("mid.d", log.path(2));

  const BuildLog::Entry* out = log.Lookup("out");
  ASSERT_NE(nullptr, out);
  EXPECT_EQ(15, out->start_time);
  EXPECT_EQ(20, out->end_time);
  EXPECT_EQ(1796367712056151163, out->mtime);
  EXPECT_EQ(0x8ea3cc54bdccad2cu, out->command_hash);

  const BuildLog::Entry* mid = log.Lookup("mid");
  const BuildLog::Entry* mid_d = log.Lookup("mid.d");
  ASSERT_TRUE(mid && mid_d);
  EXPECT_EQ(MurmurHash64A("cc -c mid.c"), mid->command_hash);
  EXPECT_EQ(mid->command_hash, mid_d->command_hash);
  EXPECT_EQ(42, mid_d->mtime);
  EXPECT_EQ(nullptr, log.Lookup("other"));
}

TEST_F(BuildLogTest, HashesMatchNinja111) {
  // Command hashes taken from a .ninja_log written by /usr/bin/ninja 1.11.1.
  EXPECT_EQ(0x8ea3cc54bdccad2cu, MurmurHash64A("touch out"));
  EXPECT_EQ(0x992ce5d188645f40u, MurmurHash64A("echo hi > out2"));
  EXPECT_EQ(MurmurHash64A("touch out"), HashCommand("touch out", 5));
  EXPECT_EQ(MurmurHash64A("touch out"), HashCommand("touch out", 6));
  EXPECT_EQ(RapidHash("touch out"), HashCommand("touch out", 7));
  EXPECT_NE(RapidHash("touch out"), MurmurHash64A("touch out"));
  EXPECT_NE(RapidHash("touch out"), RapidHash("touch out2"));
}

TEST_F(BuildLogTest, AppendingSupersedesOlderRecords) {
  {
    BuildLog log;
    std::string err;
    log.Load(path_, &err);
    ASSERT_TRUE(log.OpenForWrite(path_, kNeverDead, &err));
    Record(&log, {"a"}, "cmd a v1", 1, 2, 100);
    Record(&log, {"b"}, "cmd b", 2, 3, 100);
  }
  {
    // A second build loads the log and appends to it.
    BuildLog log;
    std::string err;
    ASSERT_EQ(LoadStatus::kSuccess, log.Load(path_, &err));
    ASSERT_TRUE(log.OpenForWrite(path_, kNeverDead, &err));
    EXPECT_EQ(MurmurHash64A("cmd a v1"), log.Lookup("a")->command_hash);
    Record(&log, {"a"}, "cmd a v2", 10, 30, 200);
    // The in-memory entry is updated at once.
    EXPECT_EQ(MurmurHash64A("cmd a v2"), log.Lookup("a")->command_hash);
  }
  const std::vector<std::string> lines = Lines();
  ASSERT_EQ(4u, lines.size());  // one header: appending does not repeat it
  EXPECT_EQ("# ninja log v5", lines[0]);
  EXPECT_THAT(lines[3], StartsWith("10\t30\t200\ta\t"));

  BuildLog log;
  std::string err;
  ASSERT_EQ(LoadStatus::kSuccess, log.Load(path_, &err));
  EXPECT_EQ(2u, log.size());
  const BuildLog::Entry* a = log.Lookup("a");
  ASSERT_NE(nullptr, a);
  EXPECT_EQ(MurmurHash64A("cmd a v2"), a->command_hash);
  EXPECT_EQ(10, a->start_time);
  EXPECT_EQ(30, a->end_time);
  EXPECT_EQ(200, a->mtime);
  EXPECT_EQ(MurmurHash64A("cmd b"), log.Lookup("b")->command_hash);
}

TEST_F(BuildLogTest, NothingRecordedLeavesNoFile) {
  BuildLog log;
  std::string err;
  log.Load(path_, &err);
  ASSERT_TRUE(log.OpenForWrite(path_, kNeverDead, &err));
  log.Close();
  EXPECT_FALSE(Exists());
}

TEST_F(BuildLogTest, WithoutOpenForWriteRecordsStayInMemory) {
  // A dry run: the log learns the records but writes nothing.
  BuildLog log;
  Record(&log, {"out"}, "cmd", 1, 2, 3);
  EXPECT_FALSE(Exists());
  ASSERT_NE(nullptr, log.Lookup("out"));
  EXPECT_EQ(log.HashCommand("cmd"), log.Lookup("out")->command_hash);
}

TEST_F(BuildLogTest, EnvironmentSelectsVersionOfNewLog) {
  setenv("COMPOSER_NINJA_LOG_VERSION", "7", 1);
  EXPECT_EQ(7, BuildLog::DefaultVersion());
  {
    BuildLog log;
    std::string err;
    log.Load(path_, &err);
    ASSERT_TRUE(log.OpenForWrite(path_, kNeverDead, &err));
    EXPECT_EQ(7, log.version());
    EXPECT_EQ(RapidHash("cmd"), log.HashCommand("cmd"));
    Record(&log, {"out"}, "cmd", 1, 2, 3);
  }
  EXPECT_EQ("# ninja log v7", Lines()[0]);
  // Out of range or junk: the default.
  setenv("COMPOSER_NINJA_LOG_VERSION", "4", 1);
  EXPECT_EQ(5, BuildLog::DefaultVersion());
  setenv("COMPOSER_NINJA_LOG_VERSION", "8", 1);
  EXPECT_EQ(5, BuildLog::DefaultVersion());
  setenv("COMPOSER_NINJA_LOG_VERSION", "x", 1);
  EXPECT_EQ(5, BuildLog::DefaultVersion());
  setenv("COMPOSER_NINJA_LOG_VERSION", "6", 1);
  EXPECT_EQ(6, BuildLog::DefaultVersion());
}

// Ninja 1.11 writes v5, 1.12 v6, 1.13 v7 (rapidhash). Each is read, and
// appended to in its own version so that Ninja can still read it.
class BuildLogVersionTest : public BuildLogTest,
                            public ::testing::WithParamInterface<int> {};

TEST_P(BuildLogVersionTest, ReadsAndKeepsVersion) {
  const int version = GetParam();
  WriteRaw("# ninja log v" + std::to_string(version) +
           "\n"
           "1\t5\t123456789\tout.o\tdeadbeefcafef00d\n"
           "2\t6\t-1\tneg\t0\n");
  BuildLog log;
  std::string err;
  ASSERT_EQ(LoadStatus::kSuccess, log.Load(path_, &err));
  EXPECT_EQ("", err);
  EXPECT_EQ(version, log.version());
  const BuildLog::Entry* entry = log.Lookup("out.o");
  ASSERT_NE(nullptr, entry);
  EXPECT_EQ(0xdeadbeefcafef00du, entry->command_hash);
  EXPECT_EQ(1, entry->start_time);
  EXPECT_EQ(5, entry->end_time);
  EXPECT_EQ(123456789, entry->mtime);
  EXPECT_EQ(-1, log.Lookup("neg")->mtime);

  EXPECT_EQ(HashCommand("cc out.c", version), log.HashCommand("cc out.c"));
  ASSERT_TRUE(log.OpenForWrite(path_, kNeverDead, &err)) << err;
  Record(&log, {"new.o"}, "cc new.c", 7, 8, 9);
  log.Close();
  const std::vector<std::string> lines = Lines();
  ASSERT_EQ(4u, lines.size());
  EXPECT_EQ("# ninja log v" + std::to_string(version), lines[0]);
  EXPECT_EQ("7\t8\t9\tnew.o\t" + Hex(HashCommand("cc new.c", version)), lines[3]);
}

INSTANTIATE_TEST_SUITE_P(Ninja, BuildLogVersionTest, ::testing::Values(5, 6, 7));

TEST_F(BuildLogTest, Version4IsReadAndUpgraded) {
  // Version 4 logs hold the command itself, not its hash.
  WriteRaw(
      "# ninja log v4\n"
      "0\t1\t2\tout\tcommand abc\n"
      "3\t4\t5\tout2\ttouch out\n");
  BuildLog log;
  std::string err;
  ASSERT_EQ(LoadStatus::kSuccess, log.Load(path_, &err));
  EXPECT_EQ("", err);
  EXPECT_EQ(5, log.version());
  ASSERT_NE(nullptr, log.Lookup("out"));
  EXPECT_EQ(MurmurHash64A("command abc"), log.Lookup("out")->command_hash);
  EXPECT_EQ(0x8ea3cc54bdccad2cu, log.Lookup("out2")->command_hash);
  EXPECT_EQ(5, log.Lookup("out2")->mtime);

  // Opening for write rewrites it as version 5 with hashes.
  ASSERT_TRUE(log.OpenForWrite(path_, kNeverDead, &err)) << err;
  log.Close();
  EXPECT_EQ((std::vector<std::string>{
                "# ninja log v5", "0\t1\t2\tout\t" + Hex(MurmurHash64A("command abc")),
                "3\t4\t5\tout2\t8ea3cc54bdccad2c"}),
            Lines());
}

TEST_F(BuildLogTest, UnsupportedVersionsAreDiscarded) {
  for (const char* header :
       {"# ninja log v3\n", "# ninja log v8\n", "# ninja log v\n", "# ninja log vx\n"}) {
    SCOPED_TRACE(header);
    WriteRaw(std::string(header) + "1\t2\t3\tout\tabc\n");
    BuildLog log;
    std::string err;
    EXPECT_EQ(LoadStatus::kSuccess, log.Load(path_, &err));
    EXPECT_EQ("build log version invalid, perhaps due to being too old; starting over",
              err);
    EXPECT_EQ(0u, log.size());
    EXPECT_EQ(nullptr, log.Lookup("out"));
    EXPECT_FALSE(Exists()) << "the old log is removed, as Ninja does";
  }
}

TEST_F(BuildLogTest, GarbageFileIsDiscarded) {
  WriteRaw(
      std::string("\x7f"
                  "ELF\x01\x02\x00garbage\n\t\t\t\t\n",
                  19));
  BuildLog log;
  std::string err;
  EXPECT_EQ(LoadStatus::kSuccess, log.Load(path_, &err));
  EXPECT_THAT(err, HasSubstr("build log version invalid"));
  EXPECT_EQ(0u, log.size());
  EXPECT_FALSE(Exists());

  // A fresh log is started in its place.
  ASSERT_TRUE(log.OpenForWrite(path_, kNeverDead, &err));
  Record(&log, {"out"}, "cmd", 1, 2, 3);
  log.Close();
  ASSERT_EQ(2u, Lines().size());
  EXPECT_EQ("# ninja log v5", Lines()[0]);
}

TEST_F(BuildLogTest, EmptyFileIsAnEmptyLog) {
  WriteRaw("");
  BuildLog log;
  std::string err;
  EXPECT_EQ(LoadStatus::kSuccess, log.Load(path_, &err));
  EXPECT_EQ("", err);
  EXPECT_EQ(0u, log.size());
}

TEST_F(BuildLogTest, UnreadableFileIsAnError) {
  // A directory where the log should be.
  ASSERT_EQ(0, mkdir(path_.c_str(), 0755));
  BuildLog log;
  std::string err;
  EXPECT_EQ(LoadStatus::kError, log.Load(path_, &err));
  EXPECT_EQ("Is a directory", err);
  rmdir(path_.c_str());
}

TEST_F(BuildLogTest, TruncatedLastLineIsIgnored) {
  const std::string whole =
      "# ninja log v5\n"
      "1\t2\t3\tfirst\t10\n"
      "4\t5\t6\tsecond\t20\n";
  const std::string last = "7\t8\t9\tthird\t30\n";
  // Every cut inside the last line loses that line only.
  for (size_t cut = 0; cut < last.size(); ++cut) {
    SCOPED_TRACE(cut);
    WriteRaw(whole + last.substr(0, cut));
    BuildLog log;
    std::string err;
    ASSERT_EQ(LoadStatus::kSuccess, log.Load(path_, &err));
    EXPECT_EQ("", err);
    EXPECT_EQ(2u, log.size());
    ASSERT_NE(nullptr, log.Lookup("second"));
    EXPECT_EQ(0x20u, log.Lookup("second")->command_hash);
    EXPECT_EQ(nullptr, log.Lookup("third"));
    EXPECT_EQ(nullptr, log.Lookup("thir"));
  }
  WriteRaw(whole + last);
  BuildLog log;
  std::string err;
  ASSERT_EQ(LoadStatus::kSuccess, log.Load(path_, &err));
  ASSERT_NE(nullptr, log.Lookup("third"));
  EXPECT_EQ(0x30u, log.Lookup("third")->command_hash);
}

TEST_F(BuildLogTest, TruncatedAnywhereNeverFails) {
  // As Ninja's BuildLogTest.Truncate: a log cut at any byte loads, and
  // what it yields is a prefix of the whole log's records.
  std::string whole;
  {
    BuildLog log;
    std::string err;
    ASSERT_TRUE(log.OpenForWrite(path_, kNeverDead, &err));
    Record(&log, {"out1", "out1.d"}, "command one", 15, 18, 1000);
    Record(&log, {"out2"}, "command two", 20, 25, 2000);
    log.Close();
    whole = ReadRaw();
  }
  for (size_t size = whole.size(); size > 0; --size) {
    SCOPED_TRACE(size);
    WriteRaw(whole.substr(0, size));
    BuildLog log;
    std::string err;
    ASSERT_EQ(LoadStatus::kSuccess, log.Load(path_, &err));
    for (uint32_t i = 0; i < log.size(); ++i) {
      const std::string_view path = log.path(i);
      EXPECT_TRUE(path == "out1" || path == "out1.d" || path == "out2") << path;
      EXPECT_EQ(log.HashCommand(path == "out2" ? "command two" : "command one"),
                log.entry(i).command_hash);
    }
  }
}

TEST_F(BuildLogTest, MalformedLinesAreSkipped) {
  WriteRaw(
      "# ninja log v5\n"
      "1\t2\t3\tgood\tab\n"
      "not a record\n"
      "1\t2\tshort\n"
      "\n"
      "4\t5\t6\talso good\tcd\n");
  BuildLog log;
  std::string err;
  ASSERT_EQ(LoadStatus::kSuccess, log.Load(path_, &err));
  EXPECT_EQ(2u, log.size());
  ASSERT_NE(nullptr, log.Lookup("also good"));
  EXPECT_EQ(0xcdu, log.Lookup("also good")->command_hash);
  EXPECT_EQ(0xabu, log.Lookup("good")->command_hash);
}

TEST_F(BuildLogTest, LookupByNodeAfterBindToGraph) {
  WriteRaw(
      "# ninja log v5\n"
      "1\t2\t3\tout\t10\n"
      "4\t5\t6\tlater\t20\n");
  const NodeId out = graph_.GetNode("out");
  const NodeId unknown = graph_.GetNode("unknown");
  BuildLog log;
  std::string err;
  ASSERT_EQ(LoadStatus::kSuccess, log.Load(path_, &err));
  log.BindToGraph(graph_);
  ASSERT_NE(nullptr, log.Lookup(out));
  EXPECT_EQ(0x10u, log.Lookup(out)->command_hash);
  EXPECT_EQ(nullptr, log.Lookup(unknown));
  // A node the graph gains after binding (a dyndep output) is found by path.
  const NodeId later = graph_.GetNode("later");
  ASSERT_NE(nullptr, log.Lookup(later));
  EXPECT_EQ(0x20u, log.Lookup(later)->command_hash);
  const NodeId none = graph_.GetNode("none");
  EXPECT_EQ(nullptr, log.Lookup(none));
  // A record made for a node is found by that node.
  ASSERT_TRUE(log.OpenForWrite(path_, kNeverDead, &err));
  const NodeId fresh = graph_.GetNode("fresh");
  ASSERT_TRUE(
      log.RecordCommand(graph_, std::span<const NodeId>(&fresh, 1), 0x99, 1, 2, 3, &err));
  ASSERT_NE(nullptr, log.Lookup(fresh));
  EXPECT_EQ(0x99u, log.Lookup(fresh)->command_hash);
}

TEST_F(BuildLogTest, RecompactKeepsNewestRecordPerLiveOutput) {
  {
    BuildLog log;
    std::string err;
    ASSERT_TRUE(log.OpenForWrite(path_, kNeverDead, &err));
    for (int i = 0; i < 5; ++i) {
      Record(&log, {"keep"}, "keep v" + std::to_string(i), i, i + 1, 100 + i);
      Record(&log, {"dead"}, "dead", i, i + 1, 0);
    }
  }
  ASSERT_EQ(11u, Lines().size());

  BuildLog log;
  std::string err;
  ASSERT_EQ(LoadStatus::kSuccess, log.Load(path_, &err));
  ASSERT_TRUE(log.Recompact(
      path_, [](std::string_view path) { return path == "dead"; }, &err))
      << err;
  EXPECT_EQ(1u, log.size());
  EXPECT_EQ(nullptr, log.Lookup("dead"));
  ASSERT_NE(nullptr, log.Lookup("keep"));
  EXPECT_EQ(MurmurHash64A("keep v4"), log.Lookup("keep")->command_hash);

  EXPECT_EQ((std::vector<std::string>{
                "# ninja log v5", "4\t5\t104\tkeep\t" + Hex(MurmurHash64A("keep v4"))}),
            Lines());
  struct stat st;
  EXPECT_NE(0, stat((path_ + ".recompact").c_str(), &st)) << "temporary file left";
}

TEST_F(BuildLogTest, RedundantLogIsRecompactedWhenOpened) {
  // More than 100 lines and more than three per output: rewritten on open.
  std::string contents = "# ninja log v6\n";
  for (int i = 0; i < 150; ++i) {
    contents += std::to_string(i) + "\t" + std::to_string(i + 1) + "\t" +
                std::to_string(1000 + i) + "\t" + (i % 2 ? "odd" : "even") + "\t" +
                std::to_string(i) + "\n";
  }
  contents += "0\t0\t0\tgone\t1\n";
  WriteRaw(contents);
  BuildLog log;
  std::string err;
  ASSERT_EQ(LoadStatus::kSuccess, log.Load(path_, &err));
  ASSERT_TRUE(log.OpenForWrite(
      path_, [](std::string_view path) { return path == "gone"; }, &err))
      << err;
  EXPECT_EQ((std::vector<std::string>{"# ninja log v6", "148\t149\t1148\teven\t148",
                                      "149\t150\t1149\todd\t149"}),
            Lines());
  EXPECT_EQ(2u, log.size());
  EXPECT_EQ(nullptr, log.Lookup("gone"));

  // Appending after the rewrite goes to the same file, with one header.
  Record(&log, {"odd"}, "new", 1, 2, 3);
  log.Close();
  EXPECT_EQ(4u, Lines().size());
  EXPECT_EQ("# ninja log v6", Lines()[0]);
}

TEST_F(BuildLogTest, FewRedundantLinesAreNotRecompacted) {
  std::string contents = "# ninja log v5\n";
  for (int i = 0; i < 100; ++i) contents += "1\t2\t3\tsame\t" + std::to_string(i) + "\n";
  WriteRaw(contents);
  BuildLog log;
  std::string err;
  ASSERT_EQ(LoadStatus::kSuccess, log.Load(path_, &err));
  ASSERT_TRUE(log.OpenForWrite(path_, kNeverDead, &err));
  EXPECT_EQ(101u, Lines().size());  // 100 lines is not "more than 100"
  EXPECT_EQ(0x99u, log.Lookup("same")->command_hash);
}

TEST_F(BuildLogTest, RestatUpdatesRecordedMtimes) {
  WriteRaw(
      "# ninja log v5\n"
      "1\t2\t3\ta\tab\n"
      "4\t5\t6\tb\tcd\n");
  BuildLog log;
  std::string err;
  ASSERT_EQ(LoadStatus::kSuccess, log.Load(path_, &err));
  auto stat = [](std::string_view path) -> int64_t { return path == "a" ? 1000 : 2000; };
  ASSERT_TRUE(log.Restat(path_, stat, {"b"}, &err)) << err;
  EXPECT_EQ(3, log.Lookup("a")->mtime);
  EXPECT_EQ(2000, log.Lookup("b")->mtime);
  EXPECT_EQ(
      (std::vector<std::string>{"# ninja log v5", "1\t2\t3\ta\tab", "4\t5\t2000\tb\tcd"}),
      Lines());
  // No outputs named: all of them.
  ASSERT_TRUE(log.Restat(path_, stat, {}, &err)) << err;
  EXPECT_EQ(1000, log.Lookup("a")->mtime);
  // A failing stat is reported and nothing is written.
  auto failing = [](std::string_view) -> int64_t { return -1; };
  EXPECT_FALSE(log.Restat(path_, failing, {"a"}, &err));
  EXPECT_EQ("stat failed for a", err);
  EXPECT_EQ("1\t2\t1000\ta\tab", Lines()[1]);
}

}  // namespace
}  // namespace composer
