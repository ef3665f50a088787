// Manifest lexer throughput: every token of a generated Chromium-style
// manifest, read the way the parser reads them (Lexer::Next until the end).
#include <string>

#include <benchmark/benchmark.h>

#include "bench_support.h"
#include "manifest_grammar.h"
#include "parse/lexer.h"

namespace {

const std::string& Manifest() {
  static const std::string text =
      composer_bench::FakeManifest(composer_bench::Scaled(300, 4), nullptr);
  return text;
}

void BM_LexManifest(benchmark::State& state) {
  const std::string& text = Manifest();
  size_t tokens = 0;
  for (auto _ : state) {
    composer::Lexer lexer("build.ninja", text);
    composer::Token token{};
    std::string err;
    for (;;) {
      if (!lexer.Next(&token, &err)) {
        state.SkipWithError(err.c_str());
        return;
      }
      ++tokens;
      if (token.kind == 0 || token.kind == TK_ERROR) break;
    }
    if (token.kind == TK_ERROR) {
      state.SkipWithError("lexer returned TK_ERROR");
      return;
    }
    benchmark::DoNotOptimize(tokens);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * text.size()));
  state.counters["tokens"] =
      benchmark::Counter(static_cast<double>(tokens), benchmark::Counter::kIsRate);
  state.counters["manifest_MB"] = static_cast<double>(text.size()) / 1e6;
}
BENCHMARK(BM_LexManifest)->Unit(benchmark::kMillisecond);

}  // namespace
