// What Composer writes into the stamp (first output) of an edge with
// `outdirs`: one line per directory, file and symlink of the trees, with
// modes and SHA-256 digests. The stamp's bytes then change exactly when the
// trees do, so dependents' mtime checks and content-cache keys (which hash
// their inputs, the stamp among them) follow the trees' content.
//
//   # composer output directories 1
//   dir 755 packages/lib/dist
//   file 644 1234 <sha256 hex> packages/lib/dist/index.js
//   link <sha256 hex of the target> packages/lib/dist/current
#pragma once

#include <string>
#include <vector>

namespace composer {

bool DescribeOutputDirs(const std::vector<std::string>& dirs, std::string* listing,
                        std::string* err);

}  // namespace composer
