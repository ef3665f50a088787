// The grammar of .composer manifests (a superset of Ninja's build.ninja).
//
// Lemon generates manifest_grammar.c from this file at build time. Tokens come
// from the lexer (grammar/lexer.re), which already knows from the line it is
// in whether a word is a path, a value or an identifier; the grammar fixes the
// order of the pieces of each statement. Every action is one call into
// ManifestBuilder (src/parse/manifest_builder.h), which owns the meaning.
//
// Actions that must run before the next token is read (an include is loaded,
// a rule name resolved, a default checked, as soon as they are seen) sit at
// the end of a production that ends in that token, so Lemon reduces them as
// it shifts it.

%name ManifestGrammar
%token_prefix TK_
%token_type { composer::Token }
%extra_argument { composer::ManifestBuilder* b }

%include {
#include <cassert>
#include "parse/lexer.h"
#include "parse/manifest_builder.h"
}

%syntax_error { b->SyntaxError(yymajor, TOKEN); }
%stack_overflow { b->StackOverflow(); }

// Terminals in the order the lexer's token names are listed.
%token BUILD RULE POOL DEFAULT INCLUDE SUBNINJA.
%token IDENT EQUALS VALUE COLON PIPE PIPE2 PIPEAT PATH NEWLINE INDENT ERROR.

manifest ::= statements.

statements ::= .
statements ::= statements statement.

statement ::= NEWLINE.
statement ::= IDENT(N) EQUALS VALUE(V).             { b->Let(N, V); }
statement ::= rule_head rule_bindings.              { b->EndRule(); }
statement ::= pool_head pool_bindings.              { b->EndPool(); }
statement ::= build_head edge_bindings.             { b->EndEdge(); }
statement ::= default_targets NEWLINE.
statement ::= include_head NEWLINE.

// rule NAME
//   key = value
rule_head ::= RULE IDENT(N) NEWLINE.                { b->BeginRule(N); }
rule_bindings ::= .
rule_bindings ::= rule_bindings INDENT IDENT(K) EQUALS VALUE(V).
                                                    { b->RuleBinding(K, V); }

// pool NAME
//   depth = N
pool_head ::= POOL IDENT(N) NEWLINE.                { b->BeginPool(N); }
pool_bindings ::= .
pool_bindings ::= pool_bindings INDENT IDENT(K) EQUALS VALUE(V).
                                                    { b->PoolBinding(K, V); }

// build OUTS | IMPLICIT_OUTS : RULE INS | IMPLICIT || ORDER_ONLY |@ VALIDATIONS
//   key = value
build_head ::= build_outputs COLON build_rule build_inputs NEWLINE.
build_outputs ::= BUILD outputs implicit_outputs.   { b->CheckOutputs(); }
outputs ::= .
outputs ::= outputs PATH(P).                        { b->AddPath(composer::PathKind::kOutput, P); }
implicit_outputs ::= .
implicit_outputs ::= PIPE implicit_output_list.
implicit_output_list ::= .
implicit_output_list ::= implicit_output_list PATH(P).
                                                    { b->AddPath(composer::PathKind::kImplicitOutput, P); }
build_rule ::= IDENT(N).                            { b->SetEdgeRule(N); }
build_inputs ::= inputs implicit_inputs order_only_inputs validations.
inputs ::= .
inputs ::= inputs PATH(P).                          { b->AddPath(composer::PathKind::kInput, P); }
implicit_inputs ::= .
implicit_inputs ::= PIPE implicit_input_list.
implicit_input_list ::= .
implicit_input_list ::= implicit_input_list PATH(P).
                                                    { b->AddPath(composer::PathKind::kImplicitInput, P); }
order_only_inputs ::= .
order_only_inputs ::= PIPE2 order_only_list.
order_only_list ::= .
order_only_list ::= order_only_list PATH(P).        { b->AddPath(composer::PathKind::kOrderOnlyInput, P); }
validations ::= .
validations ::= PIPEAT validation_list.
validation_list ::= .
validation_list ::= validation_list PATH(P).        { b->AddPath(composer::PathKind::kValidation, P); }
edge_bindings ::= .
edge_bindings ::= edge_bindings INDENT IDENT(K) EQUALS VALUE(V).
                                                    { b->AddEdgeBinding(K, V); }

// default TARGET...
default_targets ::= DEFAULT PATH(P).                { b->AddDefault(P); }
default_targets ::= default_targets PATH(P).        { b->AddDefault(P); }

// include FILE / subninja FILE
include_head ::= INCLUDE PATH(P).                   { b->Include(P, false); }
include_head ::= SUBNINJA PATH(P).                  { b->Include(P, true); }

%code {
// Lemon performs a reduction that needs no lookahead only when the next
// token arrives. Ninja acts on each piece of a statement as soon as it has
// read it (a rule name is resolved before the inputs are lexed), so the
// driver calls this after every token to run such reductions at once.
void ManifestGrammarReduceReady(void* parser_memory) {
  yyParser* parser = static_cast<yyParser*>(parser_memory);
  ManifestGrammarTOKENTYPE none{};
  while (parser->yytos->stateno >= YY_MIN_REDUCE && parser->yytos->stateno <= YY_MAX_REDUCE) {
    yy_reduce(parser, parser->yytos->stateno - YY_MIN_REDUCE, YYNOCODE, none);
  }
}
}
