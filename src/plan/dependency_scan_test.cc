// Tests for the dirty scan, modelled on Ninja 1.11's graph_test.cc and the
// dirty-checking cases of build_test.cc: missing and out-of-date outputs,
// order-only inputs, phony edges, restat, the build log's command hashes,
// generators, depfiles and the deps log, dyndep files, cycles, validations,
// and content checks (a touched but unchanged input does not dirty).
//
// Files come from a VirtualFileSystem except for the content checks, which
// hash real files in a temporary directory.

#include "plan/dependency_scan.h"

#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "graph/edge_env.h"
#include "parse/manifest_parser.h"
#include "state/build_log.h"
#include "state/deps_log.h"
#include "state/fingerprint_db.h"
#include "support/scratch_dir.h"
#include "support/test_manifest.h"
#include "support/virtual_file_system.h"
#include "util/debug_flags.h"
#include "util/log.h"

namespace composer {
namespace {

using testing::HasSubstr;

class ScanTest : public ::testing::Test {
 protected:
  void SetUp() override { saved_ = CurrentPersonality(); }
  void TearDown() override {
    CurrentPersonality() = saved_;
    Debug().explain = false;
  }

  // Loads `manifest` (with the cat rule in front) and sets up a scan of it.
  void Parse(const std::string& manifest, ManifestParserOptions options = {}) {
    ParseWithCatRule(&graph_, &fs_, manifest, options);
    state_ = std::make_unique<BuildState>(&graph_);
    scan_ = std::make_unique<DependencyScan>(state_.get(), nullptr, &deps_log_, &fs_);
  }

  NodeId Node(std::string_view path) {
    const NodeId node = graph_.LookupNode(path);
    EXPECT_TRUE(node.valid()) << "no node " << path;
    return node;
  }
  EdgeId EdgeOf(std::string_view path) { return graph_.in_edge(Node(path)); }
  bool Dirty(std::string_view path) { return state_->dirty(Node(path)); }
  bool Ready(std::string_view path) { return state_->outputs_ready(EdgeOf(path)); }

  // Scans from `target`, which must succeed; returns what -d explain said.
  std::string Scan(std::string_view target) {
    Debug().explain = true;
    testing::internal::CaptureStderr();
    std::string err;
    const bool ok = scan_->RecomputeDirty(Node(target), &validations_, &err);
    const std::string explained = testing::internal::GetCapturedStderr();
    Debug().explain = false;
    EXPECT_TRUE(ok) << err;
    EXPECT_EQ("", err);
    return explained;
  }
  // Scans from `target`, which must fail; returns the error.
  std::string ScanError(std::string_view target) {
    std::string err;
    EXPECT_FALSE(scan_->RecomputeDirty(Node(target), &validations_, &err));
    return err;
  }

  // Records in the build log that `output`'s edge ran its current command
  // (or `command`) and left `mtime` (default: the file's).
  void Log(std::string_view output, int64_t mtime = -1, std::string command = "") {
    const NodeId node = Node(output);
    const EdgeId edge = graph_.in_edge(node);
    if (command.empty()) command = EvaluateCommand(graph_, edge, true);
    if (mtime < 0) mtime = fs_.files[std::string(output)].mtime;
    std::string err;
    ASSERT_TRUE(build_log_.RecordCommand(graph_, std::span<const NodeId>(&node, 1),
                                         build_log_.HashCommand(command), 0, 10, mtime,
                                         &err))
        << err;
    scan_->set_build_log(&build_log_);
  }

  Personality saved_;
  VirtualFileSystem fs_;
  Graph graph_;
  BuildLog build_log_;
  DepsLog deps_log_;
  std::unique_ptr<BuildState> state_;
  std::unique_ptr<DependencyScan> scan_;
  std::vector<NodeId> validations_;
};

// --- outputs and inputs ------------------------------------------------------

TEST_F(ScanTest, MissingOutputIsDirty) {
  Parse("build out: cat in\n");
  fs_.Create("in", "");
  const std::string explained = Scan("out");
  EXPECT_TRUE(Dirty("out"));
  EXPECT_FALSE(Dirty("in"));
  EXPECT_FALSE(Ready("out"));
  EXPECT_THAT(explained, HasSubstr("output out doesn't exist"));
}

TEST_F(ScanTest, UpToDateOutputIsClean) {
  Parse("build out: cat in\n");
  fs_.Create("in", "");
  fs_.Tick();
  fs_.Create("out", "");
  EXPECT_EQ("", Scan("out"));
  EXPECT_FALSE(Dirty("out"));
  EXPECT_TRUE(Ready("out"));
  EXPECT_EQ(fs_.now(), state_->mtime(Node("out")));
}

TEST_F(ScanTest, InputNewerThanOutputIsDirty) {
  Parse("build out: cat in\n");
  fs_.Create("out", "");
  fs_.Tick();
  fs_.Create("in", "");
  EXPECT_THAT(Scan("out"),
              HasSubstr("output out older than most recent input in (1 vs 2)"));
  EXPECT_TRUE(Dirty("out"));
}

TEST_F(ScanTest, EqualMtimesAreClean) {
  Parse("build out: cat in\n");
  fs_.Create("in", "");
  fs_.Create("out", "");
  Scan("out");
  EXPECT_FALSE(Dirty("out"));
}

TEST_F(ScanTest, MissingSourceIsDirtyAndSoIsItsUser) {
  Parse("build out: cat in\n");
  fs_.Create("out", "");
  EXPECT_THAT(Scan("out"), HasSubstr("in has no in-edge and is missing"));
  EXPECT_TRUE(Dirty("in"));
  EXPECT_TRUE(Dirty("out"));
}

TEST_F(ScanTest, MissingImplicitInputIsDirty) {
  // Ninja's GraphTest.MissingImplicit.
  Parse("build out: cat in | implicit\n");
  fs_.Create("in", "");
  fs_.Create("out", "");
  Scan("out");
  EXPECT_TRUE(Dirty("implicit"));
  EXPECT_TRUE(Dirty("out"));
}

TEST_F(ScanTest, ModifiedImplicitInputIsDirty) {
  // Ninja's GraphTest.ModifiedImplicit.
  Parse("build out: cat in | implicit\n");
  fs_.Create("in", "");
  fs_.Create("out", "");
  fs_.Tick();
  fs_.Create("implicit", "");
  Scan("out");
  EXPECT_TRUE(Dirty("out"));
}

TEST_F(ScanTest, MissingImplicitOutputIsDirty) {
  // Ninja's GraphTest.ImplicitOutputMissing.
  Parse("build out | out.imp: cat in\n");
  fs_.Create("in", "");
  fs_.Create("out", "");
  EXPECT_THAT(Scan("out"), HasSubstr("output out.imp doesn't exist"));
  EXPECT_TRUE(Dirty("out"));
  EXPECT_TRUE(Dirty("out.imp"));
}

TEST_F(ScanTest, OutOfDateImplicitOutputIsDirty) {
  // Ninja's GraphTest.ImplicitOutputOutOfDate.
  Parse("build out | out.imp: cat in\n");
  fs_.Create("out.imp", "");
  fs_.Tick();
  fs_.Create("in", "");
  fs_.Create("out", "");
  Scan("out.imp");
  EXPECT_TRUE(Dirty("out"));
  EXPECT_TRUE(Dirty("out.imp"));
}

TEST_F(ScanTest, DirtinessPropagatesThroughAChain) {
  Parse(
      "build mid: cat in\n"
      "build out: cat mid\n");
  fs_.Create("mid", "");
  fs_.Create("out", "");
  fs_.Tick();
  fs_.Create("in", "");
  Scan("out");
  EXPECT_TRUE(Dirty("mid"));
  EXPECT_TRUE(Dirty("out"));
  EXPECT_FALSE(Ready("mid"));
  EXPECT_FALSE(Ready("out"));
}

TEST_F(ScanTest, OrderOnlyInputNewerDoesNotDirty) {
  Parse("build out: cat in || oo\n");
  fs_.Create("in", "");
  fs_.Create("out", "");
  fs_.Tick();
  fs_.Create("oo", "");
  Scan("out");
  EXPECT_FALSE(Dirty("out"));
  EXPECT_TRUE(Ready("out"));
}

TEST_F(ScanTest, DirtyOrderOnlyInputDelaysButDoesNotDirty) {
  Parse(
      "build oo: cat oo-in\n"
      "build out: cat in || oo\n");
  fs_.Create("in", "");
  fs_.Create("out", "");
  fs_.Create("oo-in", "");  // oo itself is missing
  Scan("out");
  EXPECT_TRUE(Dirty("oo"));
  EXPECT_FALSE(Dirty("out"));
  // It must wait for oo all the same.
  EXPECT_FALSE(Ready("out"));
}

TEST_F(ScanTest, StatErrorFailsTheScan) {
  Parse("build out: cat in\n");
  fs_.Create("in", "");
  fs_.files["in"].stat_error = "stat(in): Permission denied";
  EXPECT_EQ("stat(in): Permission denied", ScanError("out"));
}

// --- phony -----------------------------------------------------------------

TEST_F(ScanTest, PhonyWithoutInputsIsDirtyWhenMissing) {
  Parse("build all: phony\n");
  EXPECT_THAT(Scan("all"),
              HasSubstr("output all of phony edge with no inputs doesn't exist"));
  EXPECT_TRUE(Dirty("all"));
  // Nothing to run, so it stays ready.
  EXPECT_TRUE(Ready("all"));
}

TEST_F(ScanTest, PhonyWithoutInputsIsCleanWhenFileExists) {
  Parse("build all: phony\n");
  fs_.Create("all", "");
  Scan("all");
  EXPECT_FALSE(Dirty("all"));
}

TEST_F(ScanTest, PhonyWithoutInputsDirtiesItsUsers) {
  // A "FORCE" target: whatever depends on it always runs.
  Parse(
      "build FORCE: phony\n"
      "build out: cat in | FORCE\n");
  fs_.Create("in", "");
  fs_.Tick();
  fs_.Create("out", "");
  EXPECT_THAT(Scan("out"), HasSubstr("FORCE is dirty"));
  EXPECT_TRUE(Dirty("out"));
}

TEST_F(ScanTest, PhonyTakesNewestInputMtime) {
  Parse(
      "build alias: phony in1 in2\n"
      "build out: cat alias\n");
  fs_.Create("in1", "");
  fs_.Tick();
  fs_.Create("out", "");
  fs_.Tick();
  fs_.Create("in2", "");
  EXPECT_THAT(Scan("out"),
              HasSubstr("output out older than most recent input alias (2 vs 3)"));
  EXPECT_FALSE(Dirty("alias"));
  EXPECT_TRUE(Dirty("out"));
  EXPECT_EQ(3, state_->mtime(Node("alias")));
}

TEST_F(ScanTest, PhonyAliasOfOlderInputsIsClean) {
  Parse(
      "build alias: phony in\n"
      "build out: cat alias\n");
  fs_.Create("in", "");
  fs_.Tick();
  fs_.Create("out", "");
  Scan("out");
  EXPECT_FALSE(Dirty("alias"));
  EXPECT_FALSE(Dirty("out"));
}

TEST_F(ScanTest, PhonyIsNotCheckedAgainstTheBuildLog) {
  Parse("build alias: phony in\n");
  fs_.Create("in", "");
  scan_->set_build_log(&build_log_);  // empty: no record of alias
  Scan("alias");
  EXPECT_FALSE(Dirty("alias"));
}

// --- the build log ---------------------------------------------------------

TEST_F(ScanTest, ChangedCommandIsDirty) {
  Parse("build out: cat in\n");
  fs_.Create("in", "");
  fs_.Tick();
  fs_.Create("out", "");
  Log("out", -1, "cat in > out --old-flag");
  EXPECT_THAT(Scan("out"), HasSubstr("command line changed for out"));
  EXPECT_TRUE(Dirty("out"));
}

TEST_F(ScanTest, SameCommandIsClean) {
  Parse("build out: cat in\n");
  fs_.Create("in", "");
  fs_.Tick();
  fs_.Create("out", "");
  Log("out");
  EXPECT_EQ("", Scan("out"));
  EXPECT_FALSE(Dirty("out"));
}

TEST_F(ScanTest, OutputMissingFromLogIsDirty) {
  Parse("build out: cat in\n");
  fs_.Create("in", "");
  fs_.Tick();
  fs_.Create("out", "");
  scan_->set_build_log(&build_log_);
  EXPECT_THAT(Scan("out"), HasSubstr("command line not found in log for out"));
  EXPECT_TRUE(Dirty("out"));
}

TEST_F(ScanTest, RecordedMtimeOlderThanInputIsDirty) {
  // The output is newer than the input, but the run that wrote it started
  // before the input changed (ninja #1162).
  Parse("build out: cat in\n");
  fs_.Tick();
  fs_.Create("in", "");  // 2
  fs_.Tick();
  fs_.Create("out", "");  // 3
  Log("out", 1);
  EXPECT_THAT(
      Scan("out"),
      HasSubstr("recorded mtime of out older than most recent input in (1 vs 2)"));
  EXPECT_TRUE(Dirty("out"));
}

TEST_F(ScanTest, RspfileContentIsPartOfTheCommand) {
  Parse(
      "rule link\n"
      "  command = link @$out.rsp\n"
      "  rspfile = $out.rsp\n"
      "  rspfile_content = $in\n"
      "build out: link in\n");
  fs_.Create("in", "");
  fs_.Tick();
  fs_.Create("out", "");
  Log("out", -1, "link @out.rsp");  // the command alone, without the content
  EXPECT_THAT(Scan("out"), HasSubstr("command line changed for out"));
  EXPECT_TRUE(Dirty("out"));
}

TEST_F(ScanTest, GeneratorCommandChangeIsClean) {
  Parse(
      "rule gen\n"
      "  command = regenerate $out\n"
      "  generator = 1\n"
      "build build.ninja: gen in\n");
  fs_.Create("in", "");
  fs_.Tick();
  fs_.Create("build.ninja", "");
  Log("build.ninja", -1, "an older generator command");
  EXPECT_EQ("", Scan("build.ninja"));
  EXPECT_FALSE(Dirty("build.ninja"));
}

TEST_F(ScanTest, GeneratorMissingFromLogIsClean) {
  Parse(
      "rule gen\n"
      "  command = regenerate $out\n"
      "  generator = 1\n"
      "build build.ninja: gen in\n");
  fs_.Create("in", "");
  fs_.Tick();
  fs_.Create("build.ninja", "");
  scan_->set_build_log(&build_log_);
  Scan("build.ninja");
  EXPECT_FALSE(Dirty("build.ninja"));
  // But a newer input still makes it dirty.
  fs_.Tick();
  fs_.Create("in", "");
  state_ = std::make_unique<BuildState>(&graph_);
  scan_ = std::make_unique<DependencyScan>(state_.get(), &build_log_, &deps_log_, &fs_);
  Scan("build.ninja");
  EXPECT_TRUE(Dirty("build.ninja"));
}

// --- restat ----------------------------------------------------------------

TEST_F(ScanTest, RestatOutputOlderThanInputIsCleanWhenLogged) {
  Parse(
      "rule touch_if_changed\n"
      "  command = update $out\n"
      "  restat = 1\n"
      "build out: touch_if_changed in\n");
  fs_.Create("out", "");  // 1: left untouched by the last run
  fs_.Tick();
  fs_.Create("in", "");  // 2
  Log("out", 2);         // that run saw "in" at 2
  EXPECT_EQ("", Scan("out"));
  EXPECT_FALSE(Dirty("out"));
}

TEST_F(ScanTest, RestatWithOlderRecordIsDirty) {
  Parse(
      "rule touch_if_changed\n"
      "  command = update $out\n"
      "  restat = 1\n"
      "build out: touch_if_changed in\n");
  fs_.Create("out", "");
  fs_.Tick();
  fs_.Create("in", "");
  Log("out", 1);
  EXPECT_THAT(Scan("out"),
              HasSubstr("restat of output out older than most recent input in"));
  EXPECT_TRUE(Dirty("out"));
}

TEST_F(ScanTest, WithoutRestatTheLogDoesNotExcuseAnOldOutput) {
  Parse("build out: cat in\n");
  fs_.Create("out", "");
  fs_.Tick();
  fs_.Create("in", "");
  Log("out", 2);
  Scan("out");
  EXPECT_TRUE(Dirty("out"));
}

TEST_F(ScanTest, RestatWithoutLogEntryIsDirty) {
  Parse(
      "rule touch_if_changed\n"
      "  command = update $out\n"
      "  restat = 1\n"
      "build out: touch_if_changed in\n");
  fs_.Create("out", "");
  fs_.Tick();
  fs_.Create("in", "");
  Scan("out");  // no build log at all
  EXPECT_TRUE(Dirty("out"));
}

// --- depfiles and the deps log ---------------------------------------------

constexpr char kDepfileRule[] =
    "rule cc\n"
    "  command = cc -c $in -o $out -MF $out.d\n"
    "  depfile = $out.d\n"
    "build out.o: cc in.c\n";

TEST_F(ScanTest, DepfileInputsAreLoadedAndChecked) {
  Parse(kDepfileRule);
  fs_.Create("in.c", "");
  fs_.Create("dir/hdr.h", "");
  fs_.Tick();
  fs_.Create("out.o", "");
  fs_.Create("out.o.d", "out.o: in.c ./dir/../dir/hdr.h \\\n  other.h\n");
  fs_.Create("other.h", "");
  Scan("out.o");
  EXPECT_FALSE(Dirty("out.o"));
  const EdgeId edge = EdgeOf("out.o");
  std::vector<std::string> discovered;
  for (NodeId n : state_->discovered(edge)) discovered.emplace_back(graph_.Path(n));
  // Canonicalised paths, in the depfile's order.
  EXPECT_EQ((std::vector<std::string>{"in.c", "dir/hdr.h", "other.h"}), discovered);
  EXPECT_FALSE(state_->deps_missing(edge));

  // Touching a header the depfile named makes the object dirty.
  fs_.Tick();
  fs_.Create("dir/hdr.h", "");
  Graph fresh;
  ManifestParser parser(&fresh, &fs_);
  std::string err;
  ASSERT_TRUE(
      parser.ParseString("build.ninja", std::string(kCatRule) + kDepfileRule, &err));
  fresh.FinishLoading();
  BuildState state(&fresh);
  DependencyScan scan(&state, nullptr, nullptr, &fs_);
  ASSERT_TRUE(scan.RecomputeDirty(fresh.LookupNode("out.o"), nullptr, &err)) << err;
  EXPECT_TRUE(state.dirty(fresh.LookupNode("out.o")));
}

TEST_F(ScanTest, MissingDepfileIsDirty) {
  // Ninja's GraphTest.DepfileRemoved.
  Parse(kDepfileRule);
  fs_.Create("in.c", "");
  fs_.Tick();
  fs_.Create("out.o", "");
  EXPECT_THAT(Scan("out.o"), HasSubstr("depfile 'out.o.d' is missing"));
  EXPECT_TRUE(Dirty("out.o"));
  EXPECT_TRUE(state_->deps_missing(EdgeOf("out.o")));
}

TEST_F(ScanTest, HeaderNamedByDepfileButMissingIsDirty) {
  Parse(kDepfileRule);
  fs_.Create("in.c", "");
  fs_.Tick();
  fs_.Create("out.o", "");
  fs_.Create("out.o.d", "out.o: in.c gone.h\n");
  Scan("out.o");
  // The missing header gets a phony producer instead of failing the build.
  const NodeId gone = Node("gone.h");
  ASSERT_TRUE(graph_.in_edge(gone).valid());
  EXPECT_TRUE(graph_.is_discovered_phony(graph_.in_edge(gone)));
  EXPECT_TRUE(Dirty("gone.h"));
  EXPECT_TRUE(Dirty("out.o"));
}

TEST_F(ScanTest, DepfileForAnotherOutputIsDirty) {
  Parse(kDepfileRule);
  fs_.Create("in.c", "");
  fs_.Tick();
  fs_.Create("out.o", "");
  fs_.Create("out.o.d", "other.o: in.c\n");
  EXPECT_THAT(Scan("out.o"),
              HasSubstr("expected depfile 'out.o.d' to mention 'out.o', got 'other.o'"));
  EXPECT_TRUE(Dirty("out.o"));
}

TEST_F(ScanTest, DepfileNamingUndeclaredOutputIsAnError) {
  Parse(kDepfileRule);
  fs_.Create("in.c", "");
  fs_.Create("out.o", "");
  fs_.Create("out.o.d", "out.o extra.o: in.c\n");
  EXPECT_EQ(
      "out.o.d: depfile mentions 'extra.o' as an output, but no such output was declared",
      ScanError("out.o"));
}

TEST_F(ScanTest, DepfilePrimaryOutputIsCanonicalised) {
  // As in Ninja, "./out.o" names out.o: the first output is canonicalised
  // before it is compared, and before the declared outputs are checked.
  Parse(kDepfileRule);
  fs_.Create("in.c", "");
  fs_.Create("hdr.h", "");
  fs_.Tick();
  fs_.Create("out.o", "");
  fs_.Create("out.o.d", "./out.o: in.c hdr.h\n");
  Scan("out.o");
  EXPECT_FALSE(Dirty("out.o"));
  ASSERT_EQ(2u, state_->discovered(EdgeOf("out.o")).size());
  EXPECT_EQ(Node("hdr.h"), state_->discovered(EdgeOf("out.o"))[1]);
}

TEST_F(ScanTest, DepfileOtherOutputsMustMatchAsWritten) {
  // Only the first output is canonicalised (Ninja 1.11 gives this error too).
  Parse(
      "rule cc\n"
      "  command = cc $in\n"
      "  depfile = deps.d\n"
      "build out.o out.h: cc in.c\n");
  fs_.Create("in.c", "");
  fs_.Create("out.o", "");
  fs_.Create("out.h", "");
  fs_.Create("deps.d", "out.o out.h: in.c\n");
  Scan("out.o");
  EXPECT_FALSE(Dirty("out.o"));
  fs_.Create("deps.d", "out.o ./out.h: in.c\n");
  state_ = std::make_unique<BuildState>(&graph_);
  scan_ = std::make_unique<DependencyScan>(state_.get(), nullptr, &deps_log_, &fs_);
  EXPECT_EQ(
      "deps.d: depfile mentions './out.h' as an output, but no such output was declared",
      ScanError("out.o"));
}

TEST_F(ScanTest, UnreadableDepfileIsAnError) {
  Parse(kDepfileRule);
  fs_.Create("in.c", "");
  fs_.Create("out.o", "");
  fs_.Create("out.o.d", "");
  fs_.files["out.o.d"].read_error = "Permission denied";
  EXPECT_EQ("loading 'out.o.d': Permission denied", ScanError("out.o"));
}

constexpr char kDepsRule[] =
    "rule cc\n"
    "  command = cc -c $in -o $out\n"
    "  deps = gcc\n"
    "  depfile = $out.d\n"
    "build out.o: cc in.c\n";

TEST_F(ScanTest, DepsLogInputsAreLoaded) {
  Parse(kDepsRule);
  fs_.Create("in.c", "");
  fs_.Create("hdr.h", "");
  fs_.Tick();
  fs_.Create("out.o", "");
  std::string err;
  const NodeId deps[] = {graph_.GetNode("in.c"), graph_.GetNode("hdr.h")};
  ASSERT_TRUE(deps_log_.RecordDeps(graph_, Node("out.o"), fs_.now(), deps, &err));
  state_->Grow();
  Scan("out.o");
  EXPECT_FALSE(Dirty("out.o"));
  ASSERT_EQ(2u, state_->discovered(EdgeOf("out.o")).size());
  EXPECT_EQ(Node("hdr.h"), state_->discovered(EdgeOf("out.o"))[1]);
  // With "deps", the depfile itself is never read.
  for (const std::string& read : fs_.files_read) EXPECT_NE("out.o.d", read);
}

TEST_F(ScanTest, DepsLogHeaderNewerIsDirty) {
  Parse(kDepsRule);
  fs_.Create("in.c", "");
  fs_.Create("out.o", "");
  std::string err;
  const NodeId deps[] = {graph_.GetNode("hdr.h")};
  ASSERT_TRUE(deps_log_.RecordDeps(graph_, Node("out.o"), fs_.now(), deps, &err));
  state_->Grow();
  fs_.Tick();
  fs_.Create("hdr.h", "");
  EXPECT_THAT(Scan("out.o"),
              HasSubstr("output out.o older than most recent input hdr.h"));
  EXPECT_TRUE(Dirty("out.o"));
}

TEST_F(ScanTest, MissingDepsRecordIsDirty) {
  Parse(kDepsRule);
  fs_.Create("in.c", "");
  fs_.Tick();
  fs_.Create("out.o", "");
  EXPECT_THAT(Scan("out.o"), HasSubstr("deps for 'out.o' are missing"));
  EXPECT_TRUE(Dirty("out.o"));
  EXPECT_TRUE(state_->deps_missing(EdgeOf("out.o")));
}

TEST_F(ScanTest, StaleDepsRecordIsDirty) {
  Parse(kDepsRule);
  fs_.Create("in.c", "");
  std::string err;
  const NodeId deps[] = {graph_.GetNode("in.c")};
  ASSERT_TRUE(deps_log_.RecordDeps(graph_, Node("out.o"), fs_.now(), deps, &err));
  state_->Grow();
  fs_.Tick();
  fs_.Create("out.o", "");  // rewritten after the deps were recorded
  EXPECT_THAT(Scan("out.o"),
              HasSubstr("stored deps info out of date for 'out.o' (1 vs 2)"));
  EXPECT_TRUE(Dirty("out.o"));
}

// --- dyndep ----------------------------------------------------------------

constexpr char kDyndepManifest[] =
    "rule r\n"
    "  command = unused\n"
    "build dd: r dd-in\n"
    "build out: r || dd\n"
    "  dyndep = dd\n";

TEST_F(ScanTest, CleanDyndepFileIsLoadedDuringTheScan) {
  // Ninja's GraphTest.DyndepFileReady, with an input the dyndep file adds.
  Parse(kDyndepManifest);
  fs_.Create("dd-in", "");
  fs_.Create("dd",
             "ninja_dyndep_version = 1\n"
             "build out | out.imp: dyndep | in\n");
  fs_.Create("out", "");
  fs_.Create("out.imp", "");
  fs_.Tick();
  fs_.Create("in", "");
  EXPECT_THAT(Scan("out"), HasSubstr("loading dyndep file 'dd'"));
  EXPECT_FALSE(Dirty("dd"));
  EXPECT_FALSE(state_->dyndep_pending(Node("dd")));
  // The dyndep file's implicit input is newer than the output.
  EXPECT_TRUE(Dirty("out"));
  EXPECT_EQ(EdgeOf("out"), EdgeOf("out.imp"));
  EXPECT_TRUE(Dirty("out.imp"));
}

TEST_F(ScanTest, DyndepRestatIsApplied) {
  Parse(kDyndepManifest);
  fs_.Create("dd-in", "");
  fs_.Create("dd",
             "ninja_dyndep_version = 1\n"
             "build out: dyndep | in\n"
             "  restat = 1\n");
  fs_.Create("out", "");
  fs_.Tick();
  fs_.Create("in", "");
  Log("out", fs_.now());
  Log("dd");
  Scan("out");
  EXPECT_TRUE(state_->dyndep_restat(EdgeOf("out")));
  EXPECT_FALSE(Dirty("out"));
}

TEST_F(ScanTest, DirtyDyndepFileIsNotLoaded) {
  // Ninja's GraphTest.DyndepFileNotClean.
  Parse(kDyndepManifest);
  fs_.Create("dd", "this-should-not-be-loaded");
  fs_.Tick();
  fs_.Create("dd-in", "");
  fs_.Create("out", "");
  Scan("out");
  EXPECT_TRUE(Dirty("dd"));
  EXPECT_TRUE(state_->dyndep_pending(Node("dd")));
  // "out" is clean but must wait for dd.
  EXPECT_FALSE(Dirty("out"));
  EXPECT_FALSE(Ready("out"));
}

TEST_F(ScanTest, MissingDyndepSourceIsAnError) {
  // Ninja's GraphTest.DyndepFileMissing.
  Parse(
      "rule r\n"
      "  command = unused\n"
      "build out: r || dd\n"
      "  dyndep = dd\n");
  EXPECT_EQ("loading 'dd': No such file or directory", ScanError("out"));
}

TEST_F(ScanTest, DyndepFileNotMentioningTheEdgeIsAnError) {
  // Ninja's GraphTest.DyndepFileError.
  Parse(
      "rule r\n"
      "  command = unused\n"
      "build out: r || dd\n"
      "  dyndep = dd\n");
  fs_.Create("dd", "ninja_dyndep_version = 1\n");
  EXPECT_EQ("'out' not mentioned in its dyndep file 'dd'", ScanError("out"));
}

TEST_F(ScanTest, DyndepFileNamingAnotherEdgeIsAnError) {
  // Ninja's GraphTest.DyndepFileError (extra output).
  Parse(
      "rule r\n"
      "  command = unused\n"
      "build out1: r || dd\n"
      "  dyndep = dd\n"
      "build out2: r\n");
  fs_.Create("dd",
             "ninja_dyndep_version = 1\n"
             "build out1: dyndep\n"
             "build out2: dyndep\n");
  EXPECT_EQ(
      "dyndep file 'dd' mentions output 'out2' whose build statement does not have a "
      "dyndep binding for the file",
      ScanError("out1"));
}

TEST_F(ScanTest, DyndepOutputWithMultipleRules) {
  // Ninja's DyndepLoaderTest.LoadOutputWithMultipleRules1 and 2.
  Parse(
      "rule r\n"
      "  command = unused\n"
      "build out1 | out-twice.imp: r in1\n"
      "build out2: r in2 || dd\n"
      "  dyndep = dd\n"
      "build out3: r in3 || dd\n"
      "  dyndep = dd\n");
  fs_.Create("dd",
             "ninja_dyndep_version = 1\n"
             "build out2 | out-twice.imp: dyndep\n"
             "build out3: dyndep\n");
  EXPECT_EQ("multiple rules generate out-twice.imp", ScanError("out2"));
}

TEST_F(ScanTest, DyndepSameOutputTwice) {
  Parse(
      "rule r\n"
      "  command = unused\n"
      "build out1: r in1 || dd\n"
      "  dyndep = dd\n"
      "build out2: r in2 || dd\n"
      "  dyndep = dd\n");
  fs_.Create("dd",
             "ninja_dyndep_version = 1\n"
             "build out1 | out-twice.imp: dyndep\n"
             "build out2 | out-twice.imp: dyndep\n");
  EXPECT_EQ("multiple rules generate out-twice.imp", ScanError("out1"));
}

TEST_F(ScanTest, DyndepFileCircular) {
  // Ninja's GraphTest.DyndepFileCircular: an implicit output the dyndep
  // file adds closes a cycle; the depfile is loaded once all the same.
  Parse(
      "rule r\n"
      "  command = unused\n"
      "build out: r in || dd\n"
      "  depfile = out.d\n"
      "  dyndep = dd\n"
      "build in: r circ\n");
  fs_.Create("out.d", "out: inimp\n");
  fs_.Create("dd",
             "ninja_dyndep_version = 1\n"
             "build out | circ: dyndep\n");
  fs_.Create("out", "");
  EXPECT_EQ("dependency cycle: circ -> in -> circ", ScanError("out"));
  EXPECT_EQ(1, std::count(fs_.files_read.begin(), fs_.files_read.end(), "out.d"));
}

// --- cycles and validations ------------------------------------------------

TEST_F(ScanTest, DependencyCycle) {
  // Ninja's GraphTest.DependencyCycle.
  Parse(
      "build out: cat mid\n"
      "build mid: cat in\n"
      "build in: cat pre\n"
      "build pre: cat out\n");
  EXPECT_EQ("dependency cycle: out -> mid -> in -> pre -> out", ScanError("out"));
}

TEST_F(ScanTest, CycleThroughAnotherOutputOfTheEdge) {
  // Ninja's GraphTest.CycleInEdgesButNotInNodes1 and 3.
  Parse("build a b: cat a\n");
  EXPECT_EQ("dependency cycle: a -> a", ScanError("b"));
}

TEST_F(ScanTest, CycleNamedFromTheNodeReachedAgain) {
  // Ninja's GraphTest.CycleInEdgesButNotInNodes4.
  Parse(
      "build d: cat c\n"
      "build c: cat b\n"
      "build b: cat a\n"
      "build a e: cat d\n"
      "build f: cat e\n");
  EXPECT_EQ("dependency cycle: a -> d -> c -> b -> a", ScanError("f"));
}

TEST_F(ScanTest, PhonySelfReferenceWhenKept) {
  // Ninja's GraphTest.PhonySelfReferenceError.
  ManifestParserOptions options;
  options.phonycycle_is_error = true;
  Parse("build a: phony a\n", options);
  EXPECT_EQ("dependency cycle: a -> a [-w phonycycle=err]", ScanError("a"));
}

TEST_F(ScanTest, ValidationsAreReportedAndScanned) {
  Parse(
      "build out: cat in |@ validate\n"
      "build validate: cat in2\n");
  fs_.Create("in", "");
  fs_.Create("in2", "");
  fs_.Tick();
  fs_.Create("out", "");
  Scan("out");
  ASSERT_EQ(1u, validations_.size());
  EXPECT_EQ(Node("validate"), validations_[0]);
  // The validation is scanned as a root of its own; it does not dirty out.
  EXPECT_TRUE(Dirty("validate"));
  EXPECT_FALSE(Dirty("out"));
}

// --- content checks --------------------------------------------------------

// Real files: the fingerprints hash what is on disk.
class ContentCheckTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string err;
    ASSERT_TRUE(db_.OpenForWrite("", graph_, &err));  // in memory
    ManifestParser parser(&graph_, &fs_);
    ASSERT_TRUE(parser.ParseString(
        "build.ninja",
        std::string(kCatRule) + "build " + Path("out") + ": cat " + Path("in") + "\n",
        &err))
        << err;
    graph_.FinishLoading();
  }
  std::string Path(const char* name) { return dir_.Path(name); }
  // Writes `name` with `contents` and an mtime of `seconds`.
  void Write(const char* name, const std::string& contents, int64_t seconds) {
    {
      std::ofstream out(Path(name), std::ios::binary | std::ios::trunc);
      out << contents;
    }
    const timespec times[2] = {{seconds, 0}, {seconds, 0}};
    ASSERT_EQ(0, utimensat(AT_FDCWD, Path(name).c_str(), times, 0));
  }
  // A fresh scan of "out", as a new build would do; true if dirty.
  bool OutDirty(bool content_check) {
    BuildState state(&graph_);
    DependencyScan scan(&state, nullptr, nullptr, &fs_);
    if (content_check) scan.set_fingerprints(&db_);
    std::string err;
    const NodeId out = graph_.LookupNode(Path("out"));
    EXPECT_TRUE(scan.RecomputeDirty(out, nullptr, &err)) << err;
    return state.dirty(out);
  }

  ScratchDir dir_{"scan"};
  RealFileSystem fs_;
  Graph graph_;
  FingerprintDb db_;
};

TEST_F(ContentCheckTest, TouchedButUnchangedInputDoesNotDirty) {
  Write("in", "int x;\n", 1000);
  Write("out", "built\n", 2000);
  EXPECT_FALSE(OutDirty(true));  // the first sight of "in" records its hash
  EXPECT_EQ(1u, db_.files_hashed);
  ASSERT_NE(nullptr, db_.Find(graph_.LookupNode(Path("in"))));

  Write("in", "int x;\n", 3000);  // touched
  EXPECT_TRUE(OutDirty(false)) << "by mtime alone it is dirty";
  EXPECT_FALSE(OutDirty(true));
  EXPECT_EQ(1u, db_.touched_unchanged);
  EXPECT_EQ(1000 * 1000000000LL, db_.Find(graph_.LookupNode(Path("in")))->content_mtime);

  Write("in", "int y;\n", 4000);  // edited
  EXPECT_TRUE(OutDirty(true));
  EXPECT_EQ(4000 * 1000000000LL, db_.Find(graph_.LookupNode(Path("in")))->content_mtime);
}

TEST_F(ContentCheckTest, UntrustedRecordsGoByMtime) {
  // After another program built here, a matching hash is not proof.
  Write("in", "int x;\n", 1000);
  Write("out", "built\n", 2000);
  EXPECT_FALSE(OutDirty(true));
  Write("in", "int x;\n", 3000);
  db_.set_trusted(false);
  EXPECT_TRUE(OutDirty(true));
}

}  // namespace
}  // namespace composer
