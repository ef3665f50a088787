#include "parse/manifest_parser.h"

#include <cstdlib>

#include "manifest_grammar.h"
#include "parse/lexer.h"
#include "parse/manifest_builder.h"
#include "util/canon_path.h"
#include "util/file_system.h"
#include "util/log.h"
#include "util/metrics.h"

// Lemon's generated entry points (grammar/manifest.y).
void* ManifestGrammarAlloc(void* (*malloc_fn)(size_t));
void ManifestGrammarFree(void* parser, void (*free_fn)(void*));
void ManifestGrammar(void* parser, int kind, composer::Token token,
                     composer::ManifestBuilder* builder);
void ManifestGrammarReduceReady(void* parser);

namespace composer {

namespace {

// Deeper include chains than this are reported rather than risking the
// stack (Ninja itself has no limit and crashes on an include cycle).
constexpr size_t kMaxIncludeDepth = 1000;

struct GrammarHandle {
  void* parser = ManifestGrammarAlloc(malloc);
  ~GrammarHandle() { ManifestGrammarFree(parser, free); }
};

}  // namespace

ManifestParser::ManifestParser(Graph* graph, FileSystem* file_system,
                               ManifestParserOptions options)
    : graph_(graph), file_system_(file_system), options_(options) {}

bool ManifestParser::Load(const std::string& filename, std::string* err) {
  return LoadFile(filename, Graph::kRootScope, nullptr, err);
}

bool ManifestParser::ParseString(std::string_view filename, const std::string& input,
                                 std::string* err) {
  return Parse(filename, input, Graph::kRootScope, err);
}

bool ManifestParser::LoadFile(const std::string& path, ScopeId scope, Lexer* parent,
                              std::string* err) {
  std::string canonical = path;
  CanonicalizePath(&canonical);
  for (size_t i = 0; i < include_stack_.size(); ++i) {
    if (include_stack_[i] != canonical) continue;
    std::string cycle;
    for (size_t j = i; j < include_stack_.size(); ++j)
      cycle += include_stack_[j] + " -> ";
    cycle += canonical;
    *err = "include cycle: " + cycle;
    if (parent) *err = parent->FormatError(*err);
    return false;
  }
  if (include_stack_.size() >= kMaxIncludeDepth) {
    *err = "includes nested deeper than " + std::to_string(kMaxIncludeDepth) + " files";
    if (parent) *err = parent->FormatError(*err);
    return false;
  }

  FileStat stat;
  if (stat_files_) {
    std::string stat_err;
    stat = file_system_->Stat(path, &stat_err);
  }
  std::string contents;
  std::string read_err;
  if (file_system_->ReadFile(path, &contents, &read_err) !=
      FileSystem::ReadStatus::kOkay) {
    *err = "loading '" + path + "': " + read_err;
    if (parent) *err = parent->FormatError(*err);
    return false;
  }
  files_read_.push_back(path);
  file_stats_.push_back(stat);
  include_stack_.push_back(std::move(canonical));
  const bool ok = Parse(path, contents, scope, err);
  include_stack_.pop_back();
  return ok;
}

void ManifestParser::Warn(const std::string& message, bool always) {
  if (options_.quiet && !always) return;
  Warning("%s", message.c_str());
  warnings_.push_back(message);
}

bool ManifestParser::Parse(std::string_view filename, std::string_view input,
                           ScopeId scope, std::string* err) {
  ScopedMetric metric(".ninja parse");
  Lexer lexer(filename, input);
  ManifestBuilder builder(graph_, scope, &lexer, this, options_);
  GrammarHandle grammar;
  Token token{};
  for (;;) {
    if (!lexer.Next(&token, err)) return false;
    ManifestGrammar(grammar.parser, token.kind, token, &builder);
    if (token.kind != 0) ManifestGrammarReduceReady(grammar.parser);
    if (builder.failed()) {
      *err = builder.error();
      return false;
    }
    if (token.kind == 0) return true;
  }
}

}  // namespace composer
