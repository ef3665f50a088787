// The grammar of dyndep files: the dependency information a build step
// writes for edges that name the file in a "dyndep" binding.
//
//   ninja_dyndep_version = 1
//   build out | implicit-outs: dyndep | implicit-ins
//     restat = 1
//
// It shares the manifest's lexer, so the terminals are declared in the same
// order as in manifest_grammar.y and get the same codes.

%name DyndepGrammar
%token_prefix TK_
%token_type { composer::Token }
%extra_argument { composer::DyndepBuilder* b }

%include {
#include <cassert>
#include "parse/lexer.h"
#include "parse/dyndep_parser.h"
}

%syntax_error { b->SyntaxError(yymajor, TOKEN); }
%stack_overflow { b->StackOverflow(); }

%token BUILD RULE POOL DEFAULT INCLUDE SUBNINJA.
%token IDENT EQUALS VALUE COLON PIPE PIPE2 PIPEAT PATH NEWLINE INDENT ERROR.

file ::= statements.

statements ::= .
statements ::= statements statement.

statement ::= NEWLINE.
statement ::= version_name EQUALS VALUE(V).         { b->Version(V); }
statement ::= build_head restat_binding.            { b->EndEdge(); }

version_name ::= IDENT(N).                          { b->VersionName(N); }

build_head ::= build_output implicit_outputs COLON dyndep_rule implicit_inputs NEWLINE.
build_output ::= build_keyword PATH(P).             { b->SetOutput(P); }
build_keyword ::= BUILD.                            { b->BeginEdge(); }
implicit_outputs ::= .
implicit_outputs ::= PIPE implicit_output_list.
implicit_output_list ::= .
implicit_output_list ::= implicit_output_list PATH(P).
                                                    { b->AddImplicitOutput(P); }
dyndep_rule ::= IDENT(N).                           { b->CheckRule(N); }
implicit_inputs ::= .
implicit_inputs ::= PIPE implicit_input_list.
implicit_input_list ::= .
implicit_input_list ::= implicit_input_list PATH(P).
                                                    { b->AddImplicitInput(P); }
restat_binding ::= .
restat_binding ::= INDENT IDENT(K) EQUALS VALUE(V). { b->Binding(K, V); }

%code {
// As in manifest_grammar.y: run reductions that need no lookahead at once.
void DyndepGrammarReduceReady(void* parser_memory) {
  yyParser* parser = static_cast<yyParser*>(parser_memory);
  DyndepGrammarTOKENTYPE none{};
  while (parser->yytos->stateno >= YY_MIN_REDUCE && parser->yytos->stateno <= YY_MAX_REDUCE) {
    yy_reduce(parser, parser->yytos->stateno - YY_MIN_REDUCE, YYNOCODE, none);
  }
}
}
