// The graph image: a binary copy of the Graph as the manifest loaded it,
// kept in `.composer_graph` in the working directory, so a later run whose
// manifest files are unchanged adopts the arrays instead of parsing (see
// doc/formats.md). A stale, truncated or corrupt image, or one written by
// another Composer build, is ignored and rewritten; it never causes an error.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "graph/graph.h"
#include "parse/manifest_parser.h"

namespace composer {

class FileSystem;

struct GraphImageOptions {
  std::string path = ".composer_graph";
  // The working directory recorded in (and required of) the image; empty:
  // getcwd().
  std::string cwd;
  // Whether a freshly parsed graph is written out (not with -n).
  bool write = true;
  // The build log's command-hash functions (state/command_hash.h): 0 for
  // logs v5/v6, 1 for v7. When both are set, the image holds each edge's
  // command hash under both (Graph::command_hash).
  uint64_t (*hash[2])(std::string_view) = {nullptr, nullptr};
  // When set, receives whether the image file now holds exactly the graph
  // loaded (it was read from it, or written from it).
  bool* current = nullptr;
};

// Whether COMPOSER_GRAPH_IMAGE allows the image (unset, or anything but
// 0/off/no/false).
bool GraphImageEnabled();

// Loads `manifest` into the freshly constructed `graph`, FinishLoading()
// included: from the image when it is fresh (replaying the parser's
// warnings), else by parsing, and then rewrites the image. False with *err
// on a parse error (no image is written then).
bool LoadManifestWithImage(const std::string& manifest,
                           const ManifestParserOptions& parser_options,
                           const GraphImageOptions& image_options, Graph* graph,
                           FileSystem* file_system, std::string* err);

// The file's parts, exposed for tests.
class GraphImage {
 public:
  struct FileStamp {
    std::string path;
    uint64_t size = 0;
    int64_t mtime = 0;
    uint64_t inode = 0;
  };

  // Fills the graph's command hashes (when the options give the functions)
  // and serialises it. `key` identifies what the image is valid for.
  static std::string Write(Graph* graph, std::string_view key,
                           const std::vector<FileStamp>& files,
                           const std::vector<std::string>& warnings,
                           const GraphImageOptions& options);

  // Adopts `data` into the freshly constructed `graph` when it is a
  // well-formed image for `key` and `accept` (when given) accepts the files
  // it was made from (asked before the rest is checked and decoded); *files
  // and *warnings receive what it recorded. False leaves the graph untouched.
  static bool Read(
      std::string data, std::string_view key, Graph* graph, std::vector<FileStamp>* files,
      std::vector<std::string>* warnings,
      const std::function<bool(const std::vector<FileStamp>&)>& accept = nullptr);

  // The key for a manifest: this Composer build, the manifest as named, the
  // working directory and the parser options.
  static std::string Key(const std::string& manifest, const std::string& cwd,
                         const ManifestParserOptions& parser_options);

 private:
  static void FillCommandHashes(Graph* graph, const GraphImageOptions& options);
};

}  // namespace composer
