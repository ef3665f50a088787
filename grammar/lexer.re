// The manifest lexer's primitives and its per-line mode machine.
// re2c turns this file into lexer.cc in the build tree; see src/parse/lexer.h.

#include "parse/lexer.h"

#include <cstdio>

#include "manifest_grammar.h"
#include "util/log.h"

namespace composer {

Lexer::Lexer(std::string_view filename, std::string_view input)
    : filename_(filename), input_(input.data()), ofs_(input.data()) {}

const char* Lexer::TokenName(int kind) {
  switch (kind) {
    case 0: return "eof";
    case TK_ERROR: return "lexing error";
    case TK_BUILD: return "'build'";
    case TK_COLON: return "':'";
    case TK_DEFAULT: return "'default'";
    case TK_EQUALS: return "'='";
    case TK_IDENT: return "identifier";
    case TK_INCLUDE: return "'include'";
    case TK_INDENT: return "indent";
    case TK_NEWLINE: return "newline";
    case TK_PIPE2: return "'||'";
    case TK_PIPE: return "'|'";
    case TK_PIPEAT: return "'|@'";
    case TK_POOL: return "'pool'";
    case TK_RULE: return "'rule'";
    case TK_SUBNINJA: return "'subninja'";
    case TK_PATH: return "path";
    case TK_VALUE: return "value";
  }
  return "token";
}

std::string Lexer::DescribeLastError() const {
  if (last_token_ && *last_token_ == '\t') return "tabs are not allowed, use spaces";
  return "lexing error";
}

std::string Lexer::SyntaxErrorMessage(int kind, TokenContext context) const {
  const std::string got = TokenName(kind);
  switch (context) {
    case TokenContext::kStatement:
      return kind == TK_ERROR ? DescribeLastError() : "unexpected " + got;
    case TokenContext::kNewline:
      return "expected newline, got " + got;
    case TokenContext::kEquals:
      return "expected '=', got " + got;
    case TokenContext::kColon:
      return "expected ':', got " + got + " ($ also escapes ':')";
  }
  return "unexpected " + got;
}

std::string Lexer::FormatError(std::string_view message) const {
  int line = 1;
  const char* line_start = input_;
  for (const char* p = input_; p < last_token_; ++p) {
    if (*p == '\n') {
      ++line;
      line_start = p + 1;
    }
  }
  const int col = last_token_ ? static_cast<int>(last_token_ - line_start) : 0;

  std::string err(filename_);
  err += ':';
  err += std::to_string(line);
  if (!CurrentPersonality().ninja_compat) {
    err += ':';
    err += std::to_string(col + 1);
  }
  err += ": ";
  // Ninja formats the location into a 1024-byte buffer; a longer file name
  // is cut there, and the ninja personality cuts it the same way.
  if (CurrentPersonality().ninja_compat && err.size() > 1023) err.resize(1023);
  err += message;
  err += '\n';


  // Show the line with a caret under the token, unless the token starts the
  // line or the line is too long to be useful (as Ninja does).
  constexpr int kTruncateColumn = 72;
  if (col > 0 && col < kTruncateColumn) {
    int len = 0;
    bool truncated = true;
    for (; len < kTruncateColumn; ++len) {
      if (line_start[len] == '\0' || line_start[len] == '\n') {
        truncated = false;
        break;
      }
    }
    err.append(line_start, static_cast<size_t>(len));
    if (truncated) err += "...";
    err += '\n';
    err.append(static_cast<size_t>(col), ' ');
    err += "^ near here";
  }
  return err;
}

bool Lexer::Next(Token* token, std::string* err) {
  // A token's pieces stay valid until the next line starts, so the grammar
  // may look one token ahead before it uses them.
  if (mode_ == Mode::kLine) pieces_.clear();
  token->piece_begin = static_cast<uint32_t>(pieces_.size());
  token->piece_count = 0;
  token->length = 0;
  token->context = TokenContext::kStatement;

  // Reads a token with ReadToken, noting what the grammar waits for.
  auto read_token = [&](TokenContext context) {
    token->kind = ReadToken();
    token->start = last_token_;
    token->context = context;
  };
  // Reads an identifier where the grammar requires one.
  auto read_ident = [&](const char* missing, Mode next) {
    std::string_view name;
    if (!ReadIdent(&name)) return Fail(missing, err);
    token->kind = TK_IDENT;
    token->start = name.data();
    token->length = static_cast<uint32_t>(name.size());
    mode_ = next;
    return true;
  };
  // Reads a path; true with *found false when there is none here.
  auto read_path = [&](bool* found) {
    if (!ReadEvalString(true, err)) return false;
    token->piece_count = static_cast<uint32_t>(pieces_.size()) - token->piece_begin;
    *found = token->piece_count > 0;
    if (*found) {
      token->kind = TK_PATH;
      token->start = last_token_;
    }
    return true;
  };

  switch (mode_) {
    case Mode::kLine:
      read_token(TokenContext::kStatement);
      switch (token->kind) {
        case TK_BUILD: mode_ = Mode::kBuildOuts; break;
        case TK_RULE: mode_ = Mode::kRuleName; break;
        case TK_POOL: mode_ = Mode::kPoolName; break;
        case TK_DEFAULT: mode_ = Mode::kDefaultFirst; break;
        case TK_INCLUDE:
        case TK_SUBNINJA: mode_ = Mode::kIncludePath; break;
        case TK_IDENT:
          token->length = static_cast<uint32_t>(last_token_end_ - last_token_);
          mode_ = Mode::kLetEquals;
          break;
        case TK_INDENT: mode_ = Mode::kBindingName; break;
        default: break;
      }
      return true;

    case Mode::kRuleName: return read_ident("expected rule name", Mode::kExpectNewline);
    case Mode::kPoolName: return read_ident("expected pool name", Mode::kExpectNewline);
    case Mode::kBindingName: return read_ident("expected variable name", Mode::kLetEquals);
    case Mode::kBuildRule: return read_ident(rule_name_message_, Mode::kBuildIns);

    case Mode::kExpectNewline:
      read_token(TokenContext::kNewline);
      mode_ = Mode::kLine;
      return true;

    case Mode::kLetEquals:
      read_token(TokenContext::kEquals);
      mode_ = token->kind == TK_EQUALS ? Mode::kValue : Mode::kLine;
      return true;

    case Mode::kValue:
      if (!ReadEvalString(false, err)) return false;
      token->kind = TK_VALUE;
      token->start = last_token_;
      token->piece_count = static_cast<uint32_t>(pieces_.size()) - token->piece_begin;
      mode_ = Mode::kLine;
      return true;

    case Mode::kIncludePath: {
      bool found;
      if (!read_path(&found)) return false;
      // An empty include path is still a path (loading it fails later).
      token->kind = TK_PATH;
      token->start = last_token_;
      mode_ = Mode::kExpectNewline;
      return true;
    }

    case Mode::kDefaultFirst: {
      bool found;
      if (!read_path(&found)) return false;
      if (!found) return Fail("expected target name", err);
      mode_ = Mode::kDefaultNext;
      return true;
    }

    case Mode::kBuildOuts:
    case Mode::kBuildIns:
    case Mode::kDefaultNext: {
      bool found;
      if (!read_path(&found)) return false;
      if (found) return true;
      // The list ended: what follows is a separator or the end of the line.
      if (mode_ == Mode::kBuildOuts) {
        read_token(TokenContext::kColon);
        if (token->kind == TK_COLON)
          mode_ = Mode::kBuildRule;
        else if (token->kind != TK_PIPE)
          mode_ = Mode::kLine;
      } else {
        read_token(TokenContext::kNewline);
        const bool more_inputs = mode_ == Mode::kBuildIns &&
                                 (token->kind == TK_PIPE || token->kind == TK_PIPE2 ||
                                  token->kind == TK_PIPEAT);
        if (!more_inputs) mode_ = Mode::kLine;
      }
      return true;
    }
  }
  return true;
}

/*!re2c
  re2c:define:YYCTYPE = "unsigned char";
  re2c:define:YYCURSOR = p;
  re2c:define:YYMARKER = q;
  re2c:yyfill:enable = 0;

  nul = "\000";
  simple_varname = [a-zA-Z0-9_-]+;
  varname = [a-zA-Z0-9_.-]+;
*/

int Lexer::ReadToken() {
  const char* p = ofs_;
  const char* q;
  const char* start;
  int token;
  for (;;) {
    start = p;
    /*!re2c
      [ ]*"#"[^\000\n]*"\n" { continue; }
      [ ]*"\r\n" { token = TK_NEWLINE;  break; }
      [ ]*"\n"   { token = TK_NEWLINE;  break; }
      [ ]+       { token = TK_INDENT;   break; }
      "build"    { token = TK_BUILD;    break; }
      "pool"     { token = TK_POOL;     break; }
      "rule"     { token = TK_RULE;     break; }
      "default"  { token = TK_DEFAULT;  break; }
      "="        { token = TK_EQUALS;   break; }
      ":"        { token = TK_COLON;    break; }
      "|@"       { token = TK_PIPEAT;   break; }
      "||"       { token = TK_PIPE2;    break; }
      "|"        { token = TK_PIPE;     break; }
      "include"  { token = TK_INCLUDE;  break; }
      "subninja" { token = TK_SUBNINJA; break; }
      varname    { token = TK_IDENT;    break; }
      nul        { token = 0;           break; }
      [^]        { token = TK_ERROR;    break; }
    */
  }
  (void)q;
  last_token_ = start;
  last_token_end_ = p;
  ofs_ = p;
  if (token != TK_NEWLINE && token != 0) EatWhitespace();
  return token;
}

void Lexer::EatWhitespace() {
  const char* p = ofs_;
  const char* q;
  for (;;) {
    ofs_ = p;
    /*!re2c
      [ ]+    { continue; }
      "$\r\n" { continue; }
      "$\n"   { continue; }
      nul     { break; }
      [^]     { break; }
    */
  }
  (void)q;
}

bool Lexer::ReadIdent(std::string_view* out) {
  const char* p = ofs_;
  const char* start = p;
  /*!re2c
    varname {
      *out = std::string_view(start, static_cast<size_t>(p - start));
      last_token_ = start;
      ofs_ = p;
      EatWhitespace();
      return true;
    }
    [^] {
      last_token_ = start;
      return false;
    }
  */
}

bool Lexer::ReadEvalString(bool path, std::string* err) {
  const char* p = ofs_;
  const char* q;
  const char* start;
  auto text = [this](const char* data, size_t length) {
    pieces_.push_back(LexPiece{data, static_cast<uint32_t>(length), false});
  };
  for (;;) {
    start = p;
    /*!re2c
      [^$ :\r\n|\000]+ {
        text(start, static_cast<size_t>(p - start));
        continue;
      }
      "\r\n" {
        if (path) p = start;
        break;
      }
      [ :|\n] {
        if (path) {
          p = start;
          break;
        }
        if (*start == '\n') break;
        text(start, 1);
        continue;
      }
      "$$" {
        text(start + 1, 1);
        continue;
      }
      "$ " {
        text(start + 1, 1);
        continue;
      }
      "$\r\n"[ ]* {
        continue;
      }
      "$\n"[ ]* {
        continue;
      }
      "${"varname"}" {
        pieces_.push_back(LexPiece{start + 2, static_cast<uint32_t>(p - start - 3), true});
        continue;
      }
      "$"simple_varname {
        pieces_.push_back(LexPiece{start + 1, static_cast<uint32_t>(p - start - 1), true});
        continue;
      }
      "$:" {
        text(start + 1, 1);
        continue;
      }
      "$". {
        last_token_ = start;
        return Fail("bad $-escape (literal $ must be written as $$)", err);
      }
      nul {
        last_token_ = start;
        return Fail("unexpected EOF", err);
      }
      [^] {
        last_token_ = start;
        return Fail(DescribeLastError(), err);
      }
    */
  }
  (void)q;
  last_token_ = start;
  ofs_ = p;
  // Paths are followed by separators; values end at the newline they ate.
  if (path) EatWhitespace();
  return true;
}

}  // namespace composer
