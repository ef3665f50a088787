#include "graph/eval_string.h"

#include "util/interner.h"

namespace composer {

void EvalString::AddText(std::string_view text) {
  if (text.empty()) return;
  if (!pieces_.empty() && !pieces_.back().var.valid()) {
    pieces_.back().length += static_cast<uint32_t>(text.size());
  } else {
    pieces_.push_back(Piece{static_cast<uint32_t>(text_.size()),
                            static_cast<uint32_t>(text.size()), NameId()});
  }
  text_.append(text);
}

void EvalString::AddVar(NameId var) {
  pieces_.push_back(Piece{0, 0, var});
}

std::string EvalString::Unparse(const Interner& names) const {
  std::string result;
  for (const Piece& piece : pieces_) {
    if (piece.var.valid()) {
      result += "${";
      result += names.Get(piece.var.value);
      result += "}";
    } else {
      result += text(piece);
    }
  }
  return result;
}

}  // namespace composer
