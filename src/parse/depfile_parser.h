// Makefile-style dependency files as GCC and Clang write them ("out: in1
// in2 \"), with their escaping of spaces, '#', ':' and '$'.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace composer {

class DepfileParser {
 public:
  // Parses *content in place (unescaping shrinks it); the views in outs()
  // and ins() point into it. Inputs are deduplicated, first one wins.
  bool Parse(std::string* content, std::string* err);

  const std::vector<std::string_view>& outs() const { return outs_; }
  const std::vector<std::string_view>& ins() const { return ins_; }

 private:
  std::vector<std::string_view> outs_;
  std::vector<std::string_view> ins_;
};

}  // namespace composer
