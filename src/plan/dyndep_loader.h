// Loads a dyndep file and applies it to the edges that name it.
#pragma once

#include <string>

#include "parse/dyndep_parser.h"
#include "plan/build_state.h"

namespace composer {

class FileSystem;

class DyndepLoader {
 public:
  DyndepLoader(BuildState* state, FileSystem* file_system)
      : state_(state), file_system_(file_system) {}

  // Reads `node`'s dyndep file and adds its inputs, outputs and restat to
  // every edge whose dyndep binding names it; *file receives what was read.
  bool LoadDyndeps(NodeId node, DyndepFile* file, std::string* err) const;
  bool LoadDyndeps(NodeId node, std::string* err) const {
    DyndepFile file;
    return LoadDyndeps(node, &file, err);
  }

 private:
  BuildState* state_;
  FileSystem* file_system_;
};

}  // namespace composer
