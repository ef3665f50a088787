// Manifests for the plan layer's unit tests: a `cat` rule in front of the
// test's own statements, loaded quietly into a graph ready for a scan.
#pragma once

#include <gtest/gtest.h>

#include <string>

#include "graph/graph.h"
#include "parse/manifest_parser.h"

namespace composer {

inline constexpr char kCatRule[] =
    "rule cat\n"
    "  command = cat $in > $out\n";

// Parses kCatRule + `manifest` into `graph` (a test failure on error) and
// finishes loading it.
inline void ParseWithCatRule(Graph* graph, FileSystem* file_system,
                             const std::string& manifest,
                             ManifestParserOptions options = {}) {
  options.quiet = true;
  ManifestParser parser(graph, file_system, options);
  std::string err;
  ASSERT_TRUE(parser.ParseString("build.ninja", kCatRule + manifest, &err)) << err;
  ASSERT_EQ("", err);
  graph->FinishLoading();
}

}  // namespace composer
