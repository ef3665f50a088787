// Tests for the graph image: a graph loaded from the image is the graph the
// parser built (every observable compared), warnings are replayed, and a
// stale, truncated or corrupt image is never used.

#include "parse/graph_image.h"

#include <cstdlib>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "graph/edge_env.h"
#include "support/virtual_file_system.h"
#include "util/hash.h"

namespace composer {
namespace {

uint64_t HashA(std::string_view s) {
  return HashString(s) | 1;
}
uint64_t HashB(std::string_view s) {
  return HashString(std::string(s) + "#") | 1;
}

GraphImageOptions ImageOptions() {
  GraphImageOptions options;
  options.cwd = "/work";
  options.hash[0] = &HashA;
  options.hash[1] = &HashB;
  return options;
}

ManifestParserOptions DupbuildWarn() {
  ManifestParserOptions options;
  options.dupbuild_is_error = false;
  return options;
}

// Everything a later stage can observe of the graph, as text.
std::string Dump(const Graph& graph) {
  std::string out;
  auto line = [&](const std::string& s) { out += s + "\n"; };
  for (uint32_t n = 0; n < graph.names().size(); ++n)
    line("name " + std::to_string(n) + " " + std::string(graph.Name(NameId(n))));
  for (uint32_t n = 0; n < graph.node_count(); ++n) {
    const NodeId node(n);
    std::string s = "node " + std::string(graph.Path(node)) +
                    " in=" + std::to_string(graph.in_edge(node).value) + " out=";
    for (EdgeId e : graph.out_edges(node)) s += std::to_string(e.value) + ",";
    s += " validated-by=";
    for (EdgeId e : graph.validation_out_edges(node)) s += std::to_string(e.value) + ",";
    EXPECT_EQ(node, graph.LookupNode(graph.Path(node)));
    line(s);
  }
  for (uint32_t p = 0; p < graph.pool_count(); ++p) {
    const Pool& pool = graph.pool(PoolId(p));
    line("pool " + std::string(graph.Name(pool.name)) + " " + std::to_string(pool.depth));
    // The default pool has no name to look it up by.
    EXPECT_EQ(p == 0 ? PoolId() : PoolId(p), graph.LookupPool(pool.name));
  }
  for (uint32_t e = 0; e < graph.edge_count(); ++e) {
    const EdgeId edge(e);
    const Edge& ed = graph.edge(edge);
    std::string s = "edge " + std::to_string(e) +
                    " rule=" + std::string(graph.Name(graph.rule(ed.rule).name)) +
                    " pool=" + std::string(graph.Name(graph.pool(ed.pool).name)) +
                    " scope=" + std::to_string(ed.scope.value);
    for (uint32_t c : {ed.explicit_outs, ed.implicit_outs, ed.explicit_ins,
                       ed.implicit_ins, ed.order_only_ins, ed.validation_count})
      s += " " + std::to_string(c);
    s += " outs:";
    for (NodeId n : graph.outputs(edge)) s += " " + std::string(graph.Path(n));
    s += " ins:";
    for (NodeId n : graph.inputs(edge)) s += " " + std::string(graph.Path(n));
    s += " validations:";
    for (NodeId n : graph.validations(edge)) s += " " + std::string(graph.Path(n));
    s += " bindings:";
    for (const EdgeBinding& b : graph.edge_bindings(edge))
      s +=
          " " + std::string(graph.Name(b.name)) + "=" + std::string(graph.Value(b.value));
    if (ed.dyndep.valid()) s += " dyndep=" + std::string(graph.Path(ed.dyndep));
    line(s);
    if (!graph.is_phony(edge)) {
      line("  command " + EvaluateCommand(graph, edge, true));
      for (int k = 0; k < kRuleKeyCount; ++k) {
        line("  " + std::string(kRuleKeyNames[k]) + "=" +
             GetBinding(graph, edge, static_cast<RuleKey>(k)) + "|" +
             GetUnescapedBinding(graph, edge, static_cast<RuleKey>(k)));
      }
    }
    line("  hashes " + std::to_string(graph.command_hash(edge, 0)) + " " +
         std::to_string(graph.command_hash(edge, 1)));
  }
  // Scopes: every name's value and rules.
  for (uint32_t s = 0; s < graph.scope_count(); ++s) {
    for (uint32_t n = 0; n < graph.names().size(); ++n) {
      const std::string_view value = graph.LookupVar(ScopeId(s), NameId(n));
      if (!value.empty())
        line("scope " + std::to_string(s) + " " + std::string(graph.Name(NameId(n))) +
             "=" + std::string(value));
    }
    for (RuleId rule : graph.RulesInScope(ScopeId(s))) {
      const Rule& r = graph.rule(rule);
      std::string t = "rule " + std::to_string(s) + " " + std::string(graph.Name(r.name));
      for (int k = 0; k < kRuleKeyCount; ++k) {
        if (r.present[k])
          t += " " + std::string(kRuleKeyNames[k]) + "=" +
               r.bindings[k].Unparse(graph.names());
      }
      line(t);
    }
  }
  std::string defaults = "defaults";
  for (NodeId n : graph.defaults()) defaults += " " + std::string(graph.Path(n));
  line(defaults);
  std::string err;
  std::string roots = "roots";
  for (NodeId n : graph.RootNodes(&err)) roots += " " + std::string(graph.Path(n));
  line(roots + " " + err);
  return out;
}

class GraphImageTest : public testing::Test {
 protected:
  void SetUp() override {
    unsetenv("COMPOSER_GRAPH_IMAGE");
    fs_.Create("build.ninja",
               "cflags = -O2\n"
               "pool link\n"
               "  depth = 3\n"
               "rule cc\n"
               "  command = cc $cflags -c $in -o $out\n"
               "  description = CC $out\n"
               "  depfile = $out.d\n"
               "  deps = gcc\n"
               "rule link\n"
               "  command = ld $in -o $out @$out.rsp\n"
               "  rspfile = $out.rsp\n"
               "  rspfile_content = $in_newline\n"
               "  pool = link\n"
               "  restat =\n"
               "build a.o: cc a.c | a.h || gen\n"
               "  cflags = -O0 $cflags\n"
               "build b.o | b.o.extra: cc b$ c.c |@ check\n"
               "build app: link a.o b.o\n"
               "build gen: phony\n"
               "build self: phony self a.o\n"
               "build dup: phony a.o\n"
               "build dup: phony b.o\n"
               "build dd: cc x.c || dd.dyndep\n"
               "  dyndep = dd.dyndep\n"
               "include rules.ninja\n"
               "subninja sub/build.ninja\n"
               "default app\n");
    fs_.Create("rules.ninja", "build c.o: cc c.c\n  pool = console\n");
    fs_.Create("sub/build.ninja",
               "cflags = -g\n"
               "rule cc\n"
               "  command = subcc $cflags $in > $out\n"
               "build sub/x.o: cc sub/x.c\n"
               "build sub/y.o: link sub/x.o\n");
    fs_.Tick();
  }

  // Loads into a fresh graph; the result's dump, and whether the root
  // manifest was parsed.
  std::string Load(Graph* graph, bool* parsed, std::string* stderr_text = nullptr,
                   ManifestParserOptions parser = DupbuildWarn()) {
    fs_.files_read.clear();
    std::string err;
    testing::internal::CaptureStderr();
    const bool ok =
        LoadManifestWithImage("build.ninja", parser, ImageOptions(), graph, &fs_, &err);
    const std::string printed = testing::internal::GetCapturedStderr();
    if (stderr_text) *stderr_text = printed;
    EXPECT_TRUE(ok) << err;
    *parsed = false;
    for (const std::string& path : fs_.files_read) *parsed |= path == "build.ninja";
    fs_.Tick();
    return Dump(*graph);
  }

  VirtualFileSystem fs_;
};

TEST_F(GraphImageTest, RoundTripIsTheParsedGraph) {
  Graph parsed_graph;
  bool parsed;
  std::string first_stderr, second_stderr;
  const std::string first = Load(&parsed_graph, &parsed, &first_stderr);
  EXPECT_TRUE(parsed);
  ASSERT_TRUE(fs_.files.count(".composer_graph"));
  EXPECT_NE(std::string::npos, first_stderr.find("multiple rules generate dup"));
  EXPECT_NE(std::string::npos, first_stderr.find("phony target 'self' names itself"));

  Graph image_graph;
  const std::string second = Load(&image_graph, &parsed, &second_stderr);
  EXPECT_FALSE(parsed);
  EXPECT_EQ(first, second);
  EXPECT_EQ(first_stderr, second_stderr);

  // Commands are hashed ahead of time with both functions.
  for (uint32_t e = 0; e < image_graph.edge_count(); ++e) {
    const EdgeId edge(e);
    if (image_graph.is_phony(edge)) {
      EXPECT_EQ(0u, image_graph.command_hash(edge, 0));
      continue;
    }
    const std::string command = EvaluateCommand(image_graph, edge, true);
    EXPECT_EQ(HashA(command), image_graph.command_hash(edge, 0));
    EXPECT_EQ(HashB(command), image_graph.command_hash(edge, 1));
  }
  EXPECT_EQ(0u, image_graph.command_hash(EdgeId(image_graph.edge_count()), 0));

  // The loaded graph still grows as a parsed one does.
  const NodeId fresh = image_graph.GetNode("brand/new");
  EXPECT_EQ(fresh, image_graph.LookupNode("brand/new"));
  EXPECT_EQ(image_graph.LookupNode("a.o"), parsed_graph.LookupNode("a.o"));
  const NameId name = image_graph.InternName("cflags");
  EXPECT_EQ(name, parsed_graph.FindName("cflags"));
  image_graph.AddOutEdge(fresh, EdgeId(0));
  EXPECT_EQ(EdgeId(0), image_graph.out_edges(fresh).front());

  // A third load still uses the image.
  Graph third;
  EXPECT_EQ(first, Load(&third, &parsed));
  EXPECT_FALSE(parsed);
}

TEST_F(GraphImageTest, ChangedIncludeIsSeen) {
  Graph g1;
  bool parsed;
  Load(&g1, &parsed);
  fs_.Create("rules.ninja", "build c.o: cc c2.c\n");
  fs_.Tick();
  Graph g2;
  const std::string second = Load(&g2, &parsed);
  EXPECT_TRUE(parsed);
  EXPECT_TRUE(g2.LookupNode("c2.c").valid());
  // And the rewritten image has it.
  Graph g3;
  EXPECT_EQ(second, Load(&g3, &parsed));
  EXPECT_FALSE(parsed);
}

TEST_F(GraphImageTest, StaleStatRejected) {
  Graph g1;
  bool parsed;
  const std::string first = Load(&g1, &parsed);
  // Same bytes, new mtime: parsed again (and the result is the same).
  fs_.Create("sub/build.ninja", fs_.files["sub/build.ninja"].contents);
  fs_.Tick();
  Graph g2;
  EXPECT_EQ(first, Load(&g2, &parsed));
  EXPECT_TRUE(parsed);
  // A file gone: an error, as without the image.
  fs_.files.erase("rules.ninja");
  Graph g3;
  std::string err;
  testing::internal::CaptureStderr();
  EXPECT_FALSE(LoadManifestWithImage("build.ninja", DupbuildWarn(), ImageOptions(), &g3,
                                     &fs_, &err));
  testing::internal::GetCapturedStderr();
  EXPECT_NE(std::string::npos, err.find("loading 'rules.ninja'"));
}

TEST_F(GraphImageTest, FileAsNewAsTheImageIsNotTrusted) {
  Graph g1;
  bool parsed;
  Load(&g1, &parsed);
  // Rewritten in the tick the image was written in: its stat cannot tell.
  const int64_t image_time = fs_.files[".composer_graph"].mtime;
  fs_.files["rules.ninja"].mtime = image_time;
  Graph g2;
  Load(&g2, &parsed);
  EXPECT_TRUE(parsed);
}

// A file system on which rules.ninja is rewritten just after it is read.
class ChangingFileSystem : public VirtualFileSystem {
 public:
  ReadStatus ReadFile(const std::string& path, std::string* contents,
                      std::string* err) override {
    const ReadStatus status = VirtualFileSystem::ReadFile(path, contents, err);
    if (path == "rules.ninja") files[path].mtime = Tick();
    return status;
  }
};

TEST(GraphImageChangeTest, FileChangedWhileLoadingWritesNoImage) {
  ChangingFileSystem fs;
  fs.Create("build.ninja", "rule r\n  command = x\ninclude rules.ninja\n");
  fs.Create("rules.ninja", "build a: r\n");
  fs.Tick();
  Graph graph;
  std::string err;
  ASSERT_TRUE(LoadManifestWithImage("build.ninja", ManifestParserOptions(),
                                    ImageOptions(), &graph, &fs, &err))
      << err;
  EXPECT_FALSE(fs.files.count(".composer_graph"));
}

TEST_F(GraphImageTest, OtherKeyRejected) {
  Graph g1;
  bool parsed;
  Load(&g1, &parsed);
  // Other parser options: a different graph and other warnings.
  Graph g2;
  std::string printed;
  ManifestParserOptions options = DupbuildWarn();
  options.phonycycle_is_error = true;
  Load(&g2, &parsed, &printed, options);
  EXPECT_TRUE(parsed);
  EXPECT_EQ(std::string::npos, printed.find("phony target"));

  GraphImageOptions other_dir = ImageOptions();
  other_dir.cwd = "/elsewhere";
  Graph g3;
  std::string err;
  fs_.files_read.clear();
  testing::internal::CaptureStderr();
  EXPECT_TRUE(LoadManifestWithImage("build.ninja", options, other_dir, &g3, &fs_, &err));
  testing::internal::GetCapturedStderr();
  bool reparsed = false;
  for (const std::string& path : fs_.files_read) reparsed |= path == "build.ninja";
  EXPECT_TRUE(reparsed);
}

TEST_F(GraphImageTest, TruncatedOrCorruptImageRejected) {
  Graph g1;
  bool parsed;
  const std::string first = Load(&g1, &parsed);
  const std::string image = fs_.files[".composer_graph"].contents;
  const std::string key = GraphImage::Key("build.ninja", "/work", DupbuildWarn());
  {
    Graph g;
    std::vector<GraphImage::FileStamp> files;
    std::vector<std::string> warnings;
    ASSERT_TRUE(GraphImage::Read(image, key, &g, &files, &warnings));
    EXPECT_EQ(3u, files.size());
    EXPECT_EQ(2u, warnings.size());
  }
  for (size_t size = 0; size < image.size(); size += 1 + size / 7) {
    Graph g;
    std::vector<GraphImage::FileStamp> files;
    std::vector<std::string> warnings;
    EXPECT_FALSE(GraphImage::Read(image.substr(0, size), key, &g, &files, &warnings))
        << size;
    EXPECT_EQ(0u, g.edge_count());
  }
  for (size_t at = 0; at < image.size(); at += 1 + at / 5) {
    std::string bad = image;
    bad[at] = static_cast<char>(bad[at] ^ 0x40);
    Graph g;
    std::vector<GraphImage::FileStamp> files;
    std::vector<std::string> warnings;
    EXPECT_FALSE(GraphImage::Read(bad, key, &g, &files, &warnings)) << at;
    EXPECT_EQ(0u, g.edge_count());
  }
  // Through the loader: parsed again, the same graph, the image repaired.
  fs_.files[".composer_graph"].contents = image.substr(0, image.size() / 2);
  Graph g2;
  EXPECT_EQ(first, Load(&g2, &parsed));
  EXPECT_TRUE(parsed);
  EXPECT_EQ(image.size(), fs_.files[".composer_graph"].contents.size());
}

TEST_F(GraphImageTest, ParseErrorWritesNoImage) {
  fs_.Create("rules.ninja", "build c.o: nosuchrule c.c\n");
  fs_.Tick();
  Graph g;
  std::string err;
  testing::internal::CaptureStderr();
  EXPECT_FALSE(LoadManifestWithImage("build.ninja", DupbuildWarn(), ImageOptions(), &g,
                                     &fs_, &err));
  testing::internal::GetCapturedStderr();
  EXPECT_NE(std::string::npos, err.find("unknown build rule 'nosuchrule'"));
  EXPECT_FALSE(fs_.files.count(".composer_graph"));
}

TEST_F(GraphImageTest, SwitchedOff) {
  setenv("COMPOSER_GRAPH_IMAGE", "off", 1);
  Graph g;
  bool parsed;
  Load(&g, &parsed);
  EXPECT_FALSE(fs_.files.count(".composer_graph"));
  EXPECT_EQ(0u, g.command_hash(EdgeId(0), 0));
  unsetenv("COMPOSER_GRAPH_IMAGE");
  EXPECT_TRUE(GraphImageEnabled());
  setenv("COMPOSER_GRAPH_IMAGE", "1", 1);
  EXPECT_TRUE(GraphImageEnabled());
  unsetenv("COMPOSER_GRAPH_IMAGE");
}

TEST_F(GraphImageTest, CycleInRuleVariablesIsNotFatalAheadOfTime) {
  // Ninja reports the cycle only when it evaluates the command; hashing
  // ahead of time must not.
  fs_.Create("build.ninja",
             "rule r\n"
             "  command = $description\n"
             "  description = $command\n"
             "build out: r in\n"
             "build ok: r in\n"
             "  command = fine\n");
  fs_.Tick();
  for (int round = 0; round < 2; ++round) {
    Graph g;
    std::string err;
    fs_.files_read.clear();
    ASSERT_TRUE(LoadManifestWithImage("build.ninja", DupbuildWarn(), ImageOptions(), &g,
                                      &fs_, &err));
    fs_.Tick();
    EXPECT_EQ(round == 0, fs_.files_read.back() == "build.ninja");
    EXPECT_EQ(0u, g.command_hash(EdgeId(0), 0));
    EXPECT_EQ(HashA("fine"), g.command_hash(EdgeId(1), 0));
  }
}

}  // namespace
}  // namespace composer
