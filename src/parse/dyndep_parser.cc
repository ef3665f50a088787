#include "parse/dyndep_parser.h"

#include <cstdlib>

#include "dyndep_grammar.h"
#include "parse/version.h"
#include "util/canon_path.h"

void* DyndepGrammarAlloc(void* (*malloc_fn)(size_t));
void DyndepGrammarFree(void* parser, void (*free_fn)(void*));
void DyndepGrammar(void* parser, int kind, composer::Token token,
                   composer::DyndepBuilder* builder);
void DyndepGrammarReduceReady(void* parser);

namespace composer {

void DyndepBuilder::Fail(std::string_view message) {
  if (failed_) return;
  failed_ = true;
  error_ = lexer_->FormatError(message);
}

std::string DyndepBuilder::Evaluate(const Token& token) const {
  std::string result;
  const std::vector<LexPiece>& pieces = lexer_->pieces();
  for (uint32_t i = token.piece_begin; i < token.piece_begin + token.piece_count; ++i) {
    if (!pieces[i].is_var) result += pieces[i].text();
  }
  return result;
}

void DyndepBuilder::VersionName(const Token& name) {
  if (have_version_) {
    Fail("unexpected " + std::string(Lexer::TokenName(TK_IDENT)));
    return;
  }
  version_name_ = std::string(name.text());
}

void DyndepBuilder::Version(const Token& value) {
  if (failed_) return;
  if (version_name_ != "ninja_dyndep_version") {
    Fail("expected 'ninja_dyndep_version = ...'");
    return;
  }
  const std::string version = Evaluate(value);
  int major, minor;
  ParseVersion(version, &major, &minor);
  if (major != 1 || minor != 0) {
    Fail("unsupported 'ninja_dyndep_version = " + version + "'");
    return;
  }
  have_version_ = true;
}

void DyndepBuilder::BeginEdge() {
  if (!have_version_) {
    Fail("expected 'ninja_dyndep_version = ...'");
    return;
  }
  phase_ = Phase::kFirstOutput;
  pending_outputs_.clear();
  pending_inputs_.clear();
}

void DyndepBuilder::SetOutput(const Token& token) {
  if (failed_) return;
  std::string path = Evaluate(token);
  if (path.empty()) {
    Fail("empty path");
    return;
  }
  CanonicalizePath(&path);
  const NodeId node = graph_->LookupNode(path);
  const EdgeId edge = node.valid() ? graph_->in_edge(node) : EdgeId();
  if (!edge.valid()) {
    Fail("no build statement exists for '" + path + "'");
    return;
  }
  auto [it, inserted] = file_->emplace(edge, Dyndeps{});
  if (!inserted) {
    Fail("multiple statements for '" + path + "'");
    return;
  }
  current_ = &it->second;
  phase_ = Phase::kOutputs;
}

void DyndepBuilder::AddImplicitOutput(const Token& token) {
  const std::vector<LexPiece>& pieces = lexer_->pieces();
  pending_outputs_.emplace_back(pieces.begin() + token.piece_begin,
                                pieces.begin() + token.piece_begin + token.piece_count);
}

void DyndepBuilder::CheckRule(const Token& name) {
  if (name.text() != "dyndep") {
    Fail("expected build command name 'dyndep'");
    return;
  }
  phase_ = Phase::kInputs;
}

void DyndepBuilder::AddImplicitInput(const Token& token) {
  const std::vector<LexPiece>& pieces = lexer_->pieces();
  pending_inputs_.emplace_back(pieces.begin() + token.piece_begin,
                               pieces.begin() + token.piece_begin + token.piece_count);
  phase_ = Phase::kAfterInputs;
}

void DyndepBuilder::Binding(const Token& key, const Token& value) {
  if (key.text() != "restat") {
    Fail("binding is not 'restat'");
    return;
  }
  current_->restat = !Evaluate(value).empty();
}

bool DyndepBuilder::ResolvePaths(const std::vector<std::vector<LexPiece>>& pending,
                                 std::vector<NodeId>* nodes) {
  for (const std::vector<LexPiece>& pieces : pending) {
    std::string path;
    for (const LexPiece& piece : pieces) {
      if (!piece.is_var) path += piece.text();
    }
    if (path.empty()) {
      Fail("empty path");
      return false;
    }
    CanonicalizePath(&path);
    nodes->push_back(graph_->GetNode(path));
  }
  return true;
}

void DyndepBuilder::EndEdge() {
  if (failed_) return;
  phase_ = Phase::kNone;
  // Inputs first, then outputs, as Ninja resolves them.
  if (!ResolvePaths(pending_inputs_, &current_->implicit_inputs)) return;
  ResolvePaths(pending_outputs_, &current_->implicit_outputs);
}

void DyndepBuilder::SyntaxError(int kind, const Token& token) {
  if (failed_) return;
  switch (phase_) {
    case Phase::kFirstOutput:
      Fail("expected path");
      return;
    case Phase::kOutputs:
      if (kind == TK_PATH) {
        Fail("explicit outputs not supported");
        return;
      }
      break;
    case Phase::kInputs:
    case Phase::kAfterInputs:
      if (kind == TK_PATH && phase_ == Phase::kInputs) {
        Fail("explicit inputs not supported");
        return;
      }
      if (kind == TK_PIPE2) {
        Fail("order-only inputs not supported");
        return;
      }
      break;
    case Phase::kNone:
      break;
  }
  Fail(lexer_->SyntaxErrorMessage(kind, token.context));
}

void DyndepBuilder::StackOverflow() {
  Fail("dyndep file nesting too deep");
}

void DyndepBuilder::Finish() {
  if (!failed_ && !have_version_) Fail("expected 'ninja_dyndep_version = ...'");
}

bool ParseDyndepFile(Graph* graph, std::string_view filename, const std::string& contents,
                     DyndepFile* file, std::string* err) {
  Lexer lexer(filename, contents);
  lexer.set_rule_name_message("expected build command name 'dyndep'");
  DyndepBuilder builder(graph, &lexer, file);
  void* parser = DyndepGrammarAlloc(malloc);
  Token token{};
  bool ok = true;
  for (;;) {
    if (!lexer.Next(&token, err)) {
      ok = false;
      break;
    }
    DyndepGrammar(parser, token.kind, token, &builder);
    if (token.kind != 0) DyndepGrammarReduceReady(parser);
    if (token.kind == 0 && !builder.failed()) builder.Finish();
    if (builder.failed()) {
      *err = builder.error();
      ok = false;
      break;
    }
    if (token.kind == 0) break;
  }
  DyndepGrammarFree(parser, free);
  return ok;
}

}  // namespace composer
