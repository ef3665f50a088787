// A binding's value as written in the manifest: literal text interleaved with
// variable references, kept unexpanded until an edge needs it.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "graph/ids.h"

namespace composer {

class Interner;

class EvalString {
 public:
  struct Piece {
    uint32_t offset = 0;  // into text_, for literal pieces
    uint32_t length = 0;
    NameId var;  // valid for a variable reference
  };

  void AddText(std::string_view text);
  void AddVar(NameId var);
  void Clear() {
    text_.clear();
    pieces_.clear();
  }

  bool empty() const { return pieces_.empty(); }
  const std::vector<Piece>& pieces() const { return pieces_; }
  std::string_view text(const Piece& piece) const {
    return std::string_view(text_).substr(piece.offset, piece.length);
  }

  // The value with references written as ${name}, as `ninja -t rules -d`
  // prints it.
  std::string Unparse(const Interner& names) const;

  // The raw parts, for the graph image.
  const std::string& raw_text() const { return text_; }
  void Assign(std::string text, std::vector<Piece> pieces) {
    text_ = std::move(text);
    pieces_ = std::move(pieces);
  }

 private:
  std::string text_;
  std::vector<Piece> pieces_;
};

}  // namespace composer
