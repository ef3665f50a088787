#include "parse/manifest_builder.h"

#include <climits>
#include <cstdlib>

#include "graph/edge_env.h"
#include "manifest_grammar.h"
#include "parse/manifest_parser.h"
#include "parse/version.h"
#include "util/canon_path.h"
#include "util/log.h"

namespace composer {

ManifestBuilder::ManifestBuilder(Graph* graph, ScopeId scope, Lexer* lexer,
                                 ManifestParser* parser,
                                 const ManifestParserOptions& options)
    : graph_(graph), scope_(scope), lexer_(lexer), parser_(parser), options_(options) {}

void ManifestBuilder::Fail(std::string_view message) {
  if (failed_) return;
  failed_ = true;
  error_ = lexer_->FormatError(message);
}

std::string_view ManifestBuilder::LookupInScope(std::string_view name) const {
  const NameId id = graph_->FindName(name);
  if (!id.valid()) return std::string_view();
  return graph_->LookupVar(scope_, id);
}

void ManifestBuilder::EvaluateInScope(const Token& token, std::string* out) {
  out->clear();
  const std::vector<LexPiece>& pieces = lexer_->pieces();
  for (uint32_t i = token.piece_begin; i < token.piece_begin + token.piece_count; ++i) {
    if (pieces[i].is_var)
      out->append(LookupInScope(pieces[i].text()));
    else
      out->append(pieces[i].text());
  }
}

void ManifestBuilder::ToEvalString(const Token& token, EvalString* out) {
  out->Clear();
  const std::vector<LexPiece>& pieces = lexer_->pieces();
  for (uint32_t i = token.piece_begin; i < token.piece_begin + token.piece_count; ++i) {
    if (pieces[i].is_var)
      out->AddVar(graph_->InternName(pieces[i].text()));
    else
      out->AddText(pieces[i].text());
  }
}

void ManifestBuilder::CheckVersion(std::string_view name, std::string_view value) {
  std::string warning;
  if (name == "ninja_required_version")
    CheckNinjaVersion(value, &warning);
  else if (name == "composer_required_version")
    CheckComposerVersion(value, &warning);
  // Version warnings are printed even when quiet.
  if (!warning.empty()) parser_->Warn(warning, true);
}

void ManifestBuilder::Let(const Token& name, const Token& value) {
  EvaluateInScope(value, &scratch_);
  // The version is checked at once, before any later syntax the running
  // version might not understand.
  CheckVersion(name.text(), scratch_);
  graph_->SetVar(scope_, graph_->InternName(name.text()), graph_->InternValue(scratch_));
}

void ManifestBuilder::BeginRule(const Token& name) {
  pending_name_ = graph_->InternName(name.text());
  if (graph_->LookupRuleInScope(scope_, pending_name_).valid()) {
    Fail("duplicate rule '" + std::string(name.text()) + "'");
    return;
  }
  pending_rule_ = Rule{};
}

void ManifestBuilder::RuleBinding(const Token& key, const Token& value) {
  RuleKey rule_key;
  if (!AsRuleKey(graph_->FindName(key.text()), &rule_key)) {
    Fail("unexpected variable '" + std::string(key.text()) + "'");
    return;
  }
  ToEvalString(value, &pending_rule_.bindings[static_cast<int>(rule_key)]);
  pending_rule_.present[static_cast<int>(rule_key)] = true;
}

void ManifestBuilder::EndRule() {
  if (failed_) return;
  if (pending_rule_.has(RuleKey::kRspfile) !=
      pending_rule_.has(RuleKey::kRspfileContent)) {
    Fail("rspfile and rspfile_content need to be both specified");
    return;
  }
  if (!pending_rule_.has(RuleKey::kCommand)) {
    Fail("expected 'command =' line");
    return;
  }
  const RuleId id = graph_->AddRule(scope_, pending_name_);
  Rule& rule = graph_->rule(id);
  for (int k = 0; k < kRuleKeyCount; ++k) {
    rule.bindings[k] = std::move(pending_rule_.bindings[k]);
    rule.present[k] = pending_rule_.present[k];
  }
}

void ManifestBuilder::BeginPool(const Token& name) {
  pending_name_ = graph_->InternName(name.text());
  if (graph_->LookupPool(pending_name_).valid()) {
    Fail("duplicate pool '" + std::string(name.text()) + "'");
    return;
  }
  pending_depth_ = -1;
}

void ManifestBuilder::PoolBinding(const Token& key, const Token& value) {
  if (key.text() != "depth") {
    Fail("unexpected variable '" + std::string(key.text()) + "'");
    return;
  }
  EvaluateInScope(value, &scratch_);
  // atol, as Ninja: leading digits count, anything else reads as 0.
  // atol into an int, as Ninja: a huge value wraps (usually to negative).
  const int depth = static_cast<int>(atol(scratch_.c_str()));
  if (depth < 0) {
    Fail("invalid pool depth");
    return;
  }
  pending_depth_ = depth;
}

void ManifestBuilder::EndPool() {
  if (failed_) return;
  if (pending_depth_ < 0) {
    Fail("expected 'depth =' line");
    return;
  }
  graph_->AddPool(pending_name_, pending_depth_);
}

void ManifestBuilder::AddPath(PathKind kind, const Token& path) {
  const std::vector<LexPiece>& pieces = lexer_->pieces();
  pending_paths_.push_back(
      PendingPath{static_cast<uint32_t>(pending_pieces_.size()), path.piece_count, kind});
  pending_pieces_.insert(pending_pieces_.end(), pieces.begin() + path.piece_begin,
                         pieces.begin() + path.piece_begin + path.piece_count);
  ++pending_counts_[static_cast<int>(kind)];
}

void ManifestBuilder::CheckOutputs() {
  if (pending_paths_.empty()) Fail("expected path");
}

void ManifestBuilder::SetEdgeRule(const Token& name) {
  const NameId id = graph_->FindName(name.text());
  const RuleId rule = id.valid() ? graph_->LookupRule(scope_, id) : RuleId();
  if (!rule.valid()) {
    Fail("unknown build rule '" + std::string(name.text()) + "'");
    return;
  }
  edge_ = graph_->StartEdge(rule, scope_);
}

void ManifestBuilder::AddEdgeBinding(const Token& key, const Token& value) {
  // Edge bindings are expanded at once, in the file scope: they cannot see
  // each other, only what the file had bound so far.
  EvaluateInScope(value, &scratch_);
  graph_->AddEdgeBinding(graph_->InternName(key.text()), graph_->InternValue(scratch_));
}

void ManifestBuilder::EvaluatePending(uint32_t begin, uint32_t count, std::string* out) {
  out->clear();
  const Edge& edge = graph_->edge(edge_);
  std::span<const EdgeBinding> bindings = graph_->edge_bindings(edge_);
  for (uint32_t i = begin; i < begin + count; ++i) {
    const LexPiece& piece = pending_pieces_[i];
    if (!piece.is_var) {
      out->append(piece.text());
      continue;
    }
    const NameId name = graph_->FindName(piece.text());
    if (!name.valid()) continue;
    bool found = false;
    if (edge.bindings_count > 0) {
      for (auto it = bindings.rbegin(); it != bindings.rend(); ++it) {
        if (it->name == name) {
          out->append(graph_->Value(it->value));
          found = true;
          break;
        }
      }
    }
    if (!found) out->append(graph_->LookupVar(scope_, name));
  }
}

bool ManifestBuilder::ResolvePending(uint32_t index, std::string* path) {
  const PendingPath& pending = pending_paths_[index];
  EvaluatePending(pending.piece_begin, pending.piece_count, path);
  if (path->empty()) {
    Fail("empty path");
    return false;
  }
  CanonicalizePath(path);
  return true;
}

void ManifestBuilder::EndEdge() {
  if (failed_) return;
  // Clear the pending lists however this ends.
  struct Reset {
    ManifestBuilder* b;
    ~Reset() {
      b->pending_pieces_.clear();
      b->pending_paths_.clear();
      for (uint32_t& count : b->pending_counts_) count = 0;
    }
  } reset{this};

  // The pool is looked up before the edge has paths, so $in and $out in a
  // pool binding are empty, as in Ninja.
  const std::string pool_name = GetBinding(*graph_, edge_, RuleKey::kPool);
  if (!pool_name.empty()) {
    const NameId name = graph_->FindName(pool_name);
    const PoolId pool = name.valid() ? graph_->LookupPool(name) : PoolId();
    if (!pool.valid()) {
      Fail("unknown pool name '" + pool_name + "'");
      return;
    }
    graph_->edge(edge_).pool = pool;
  }

  std::string path;
  uint32_t explicit_outs = 0, implicit_outs = 0;
  uint32_t index = 0;
  const uint32_t output_count =
      pending_counts_[static_cast<int>(PathKind::kOutput)] +
      pending_counts_[static_cast<int>(PathKind::kImplicitOutput)];
  for (; index < output_count; ++index) {
    if (!ResolvePending(index, &path)) return;
    const bool implicit = pending_paths_[index].kind == PathKind::kImplicitOutput;
    if (!graph_->AddOutput(edge_, graph_->GetNode(path))) {
      if (options_.dupbuild_is_error) {
        Fail("multiple rules generate " + path);
        return;
      }
      parser_->Warn("multiple rules generate " + path +
                    ". builds involving this target will not be correct; continuing "
                    "anyway");
      continue;
    }
    ++(implicit ? implicit_outs : explicit_outs);
  }
  Edge* edge = &graph_->edge(edge_);
  edge->explicit_outs = explicit_outs;
  edge->implicit_outs = implicit_outs;
  if (explicit_outs + implicit_outs == 0) {
    // Every output already has an edge (dupbuild=warn): drop this one.
    graph_->DiscardLastEdge();
    return;
  }

  uint32_t counts[3] = {0, 0, 0};  // explicit, implicit, order-only
  for (; index < pending_paths_.size(); ++index) {
    const PathKind kind = pending_paths_[index].kind;
    if (kind == PathKind::kValidation) break;
    if (!ResolvePending(index, &path)) return;
    graph_->AddInput(edge_, graph_->GetNode(path));
    ++counts[kind == PathKind::kInput ? 0 : kind == PathKind::kImplicitInput ? 1 : 2];
  }
  edge = &graph_->edge(edge_);
  edge->explicit_ins = counts[0];
  edge->implicit_ins = counts[1];
  edge->order_only_ins = counts[2];

  uint32_t validations = 0;
  for (; index < pending_paths_.size(); ++index) {
    if (!ResolvePending(index, &path)) return;
    graph_->AddValidation(edge_, graph_->GetNode(path));
    ++validations;
  }
  graph_->edge(edge_).validation_count = validations;

  edge = &graph_->edge(edge_);
  // CMake 2.8.12 and 3.0 wrote "build a: phony ... a ...". Ninja drops the
  // self-reference with a warning unless -w phonycycle=err.
  if (!options_.phonycycle_is_error && edge->rule == Graph::kPhonyRule &&
      edge->out_count() == 1 && edge->implicit_outs == 0 && edge->implicit_ins == 0) {
    const NodeId out = graph_->outputs(edge_)[0];
    std::vector<NodeId>& nodes = graph_->edge_nodes();
    const uint32_t in_begin = edge->nodes_begin + edge->out_count();
    const uint32_t in_end = in_begin + edge->in_count();
    uint32_t kept = in_begin;
    for (uint32_t i = in_begin; i < in_end; ++i) {
      if (nodes[i] != out)
        nodes[kept++] = nodes[i];
      else
        graph_->AddPhantomOutEdge(out, edge_);
    }
    if (kept != in_end) {
      // Shift the validations down over the removed inputs.
      const uint32_t removed = in_end - kept;
      for (uint32_t i = in_end; i < in_end + edge->validation_count; ++i)
        nodes[i - removed] = nodes[i];
      nodes.resize(nodes.size() - removed);
      const uint32_t remaining = edge->in_count() - removed;
      edge->order_only_ins = std::min(edge->order_only_ins, remaining);
      edge->explicit_ins = remaining - edge->order_only_ins;
      parser_->Warn("phony target '" + std::string(graph_->Path(out)) +
                    "' names itself as an input; ignoring [-w phonycycle=warn]");
    }
  }

  // The dyndep file must be one of the edge's inputs, so the build reaches it
  // before it needs it.
  std::string dyndep = GetUnescapedBinding(*graph_, edge_, RuleKey::kDyndep);
  if (!dyndep.empty()) {
    CanonicalizePath(&dyndep);
    const NodeId node = graph_->GetNode(dyndep);
    graph_->edge(edge_).dyndep = node;
    bool is_input = false;
    for (NodeId in : graph_->inputs(edge_)) is_input |= in == node;
    if (!is_input) {
      Fail("dyndep '" + dyndep + "' is not an input");
      return;
    }
  }
}

void ManifestBuilder::AddDefault(const Token& token) {
  if (failed_) return;
  EvaluateInScope(token, &scratch_);
  if (scratch_.empty()) {
    Fail("empty path");
    return;
  }
  CanonicalizePath(&scratch_);
  const NodeId node = graph_->LookupNode(scratch_);
  if (!node.valid()) {
    Fail("unknown target '" + scratch_ + "'");
    return;
  }
  graph_->AddDefault(node);
}

void ManifestBuilder::Include(const Token& token, bool new_scope) {
  if (failed_) return;
  std::string path;
  EvaluateInScope(token, &path);
  const ScopeId scope = new_scope ? graph_->AddScope(scope_) : scope_;
  std::string err;
  if (!parser_->LoadFile(path, scope, lexer_, &err)) {
    failed_ = true;
    error_ = std::move(err);
  }
}

void ManifestBuilder::SyntaxError(int kind, const Token& token) {
  if (failed_) return;
  Fail(lexer_->SyntaxErrorMessage(kind, token.context));
}

void ManifestBuilder::StackOverflow() {
  Fail("manifest nesting too deep");
}

}  // namespace composer
