#include "exec/status.h"

#include <cstdarg>
#include <cstdio>
#include <cstdlib>

#include "graph/edge_env.h"
#include "util/debug_flags.h"
#include "util/log.h"

namespace composer {

namespace {

void AppendRate(double rate, std::string* out) {
  char buf[32];
  if (rate == -1)
    snprintf(buf, sizeof(buf), "?");
  else
    snprintf(buf, sizeof(buf), "%.1f", rate);
  *out += buf;
}

// [h:]mm:ss
void AppendClock(int64_t millis, std::string* out) {
  const int64_t seconds = millis / 1000;
  char buf[32];
  if (seconds >= 3600)
    snprintf(
        buf, sizeof(buf), "%lld:%02lld:%02lld", static_cast<long long>(seconds / 3600),
        static_cast<long long>(seconds / 60 % 60), static_cast<long long>(seconds % 60));
  else
    snprintf(buf, sizeof(buf), "%02lld:%02lld", static_cast<long long>(seconds / 60),
             static_cast<long long>(seconds % 60));
  *out += buf;
}

}  // namespace

Status::Status(const Graph& graph, const StatusConfig& config)
    : graph_(graph), config_(config) {
  // Plain lines when verbose or quiet: nothing to rewrite in place.
  if (config_.verbosity != StatusConfig::Verbosity::kNormal)
    printer_.set_smart_terminal(false);
  format_ = getenv("COMPOSER_STATUS");
  if (!format_) format_ = getenv("NINJA_STATUS");
  if (!format_) format_ = "[%f/%t] ";
}

void Status::PlanHasTotalEdges(int total) {
  total_edges_ = total;
}

void Status::BuildEdgeStarted(EdgeId edge, int64_t start_millis) {
  ++started_edges_;
  ++running_edges_;
  time_millis_ = start_millis;
  const bool console = graph_.edge(edge).pool == Graph::kConsolePool;
  if (console || printer_.is_smart_terminal()) PrintStatus(edge, start_millis);
  if (console) printer_.SetConsoleLocked(true);
}

void Status::BuildEdgeFinished(EdgeId edge, int64_t end_millis, bool success,
                               int exit_code, const std::string& output) {
  time_millis_ = end_millis;
  ++finished_edges_;
  const bool console = graph_.edge(edge).pool == Graph::kConsolePool;
  if (console) printer_.SetConsoleLocked(false);
  if (config_.verbosity == StatusConfig::Verbosity::kQuiet) return;
  if (!console) PrintStatus(edge, end_millis);
  --running_edges_;

  if (!success) {
    // Say which command failed before its output.
    std::string outputs;
    for (NodeId out : graph_.outputs(edge)) {
      outputs += graph_.Path(out);
      outputs += ' ';
    }
    std::string code;
    if (!CurrentPersonality().ninja_compat)
      code = "[code=" + std::to_string(exit_code) + "] ";
    if (printer_.supports_color())
      printer_.PrintOnNewLine("\x1B[31mFAILED: \x1B[0m" + code + outputs + "\n");
    else
      printer_.PrintOnNewLine("FAILED: " + code + outputs + "\n");
    printer_.PrintOnNewLine(EvaluateCommand(graph_, edge) + "\n");
  }
  if (!output.empty()) {
    // Jobs may colour their output (CLICOLOR_FORCE); keep colours only for
    // a terminal that shows them.
    printer_.PrintOnNewLine(printer_.supports_color() ? output
                                                      : StripAnsiEscapeCodes(output));
  }
}

void Status::BuildLoadDyndeps() {
  // Explanations may follow; start them on a line of their own.
  if (Debug().explain) printer_.PrintOnNewLine("");
}

void Status::BuildStarted() {
  started_edges_ = 0;
  finished_edges_ = 0;
  running_edges_ = 0;
}

void Status::BuildFinished() {
  printer_.SetConsoleLocked(false);
  printer_.PrintOnNewLine("");
}

void Status::Info(const char* fmt, ...) {
  const std::string program(CurrentPersonality().program);
  va_list ap;
  va_start(ap, fmt);
  printf("%s: ", program.c_str());
  vprintf(fmt, ap);
  printf("\n");
  va_end(ap);
}

void Status::Error(const char* fmt, ...) {
  const std::string program(CurrentPersonality().program);
  fflush(stdout);
  va_list ap;
  va_start(ap, fmt);
  fprintf(stderr, "%s: error: ", program.c_str());
  vfprintf(stderr, fmt, ap);
  fprintf(stderr, "\n");
  va_end(ap);
}

std::string Status::FormatProgressStatus(const char* format, int64_t time_millis) const {
  std::string out;
  char buf[32];
  for (const char* s = format; *s; ++s) {
    if (*s != '%') {
      out.push_back(*s);
      continue;
    }
    switch (*++s) {
      case '%':
        out.push_back('%');
        break;
      case 's':  // started
        out += std::to_string(started_edges_);
        break;
      case 't':  // total
        out += std::to_string(total_edges_);
        break;
      case 'r':  // running
        out += std::to_string(running_edges_);
        break;
      case 'u':  // not yet started
        out += std::to_string(total_edges_ - started_edges_);
        break;
      case 'f':  // finished
        out += std::to_string(finished_edges_);
        break;
      case 'o':  // overall rate
        AppendRate(finished_edges_ / (time_millis_ / 1e3), &out);
        break;
      case 'c': {  // current rate, over the last -j edges
        if (rate_last_update_ != finished_edges_) {
          rate_last_update_ = finished_edges_;
          if (static_cast<int>(finish_times_.size()) == config_.parallelism)
            finish_times_.pop_front();
          finish_times_.push_back(time_millis_);
          if (finish_times_.back() != finish_times_.front())
            rate_ = finish_times_.size() /
                    ((finish_times_.back() - finish_times_.front()) / 1e3);
        }
        AppendRate(rate_, &out);
        break;
      }
      case 'p': {  // percentage finished
        const int percent = total_edges_ ? (100 * finished_edges_) / total_edges_ : 100;
        snprintf(buf, sizeof(buf), "%3i%%", percent);
        out += buf;
        break;
      }
      case 'e':  // elapsed seconds
        snprintf(buf, sizeof(buf), "%.3f", time_millis_ / 1e3);
        out += buf;
        break;
      case 'w':  // elapsed [h:]mm:ss
        AppendClock(time_millis_, &out);
        break;
      case 'E':
      case 'W': {  // remaining time, extrapolated from the rate so far
        double remaining = -1;
        if (finished_edges_ > 0 && total_edges_ >= finished_edges_)
          remaining = static_cast<double>(time_millis_) / finished_edges_ *
                      (total_edges_ - finished_edges_);
        if (*s == 'E') {
          if (remaining < 0)
            out += "?";
          else {
            snprintf(buf, sizeof(buf), "%.3f", remaining / 1e3);
            out += buf;
          }
        } else if (remaining < 0) {
          out += "?";
        } else {
          AppendClock(static_cast<int64_t>(remaining), &out);
        }
        break;
      }
      case 'P': {  // elapsed share of the predicted total time
        const int percent = total_edges_ ? (100 * finished_edges_) / total_edges_ : 100;
        snprintf(buf, sizeof(buf), "%3i%%", percent);
        out += buf;
        break;
      }
      default:
        Fatal("unknown placeholder '%%%c' in $NINJA_STATUS", *s);
    }
  }
  (void)time_millis;
  return out;
}

void Status::PrintStatus(EdgeId edge, int64_t time_millis) {
  if (config_.verbosity == StatusConfig::Verbosity::kQuiet ||
      config_.verbosity == StatusConfig::Verbosity::kNoStatusUpdate)
    return;
  const bool full = config_.verbosity == StatusConfig::Verbosity::kVerbose;
  std::string to_print = full ? "" : GetBinding(graph_, edge, RuleKey::kDescription);
  if (to_print.empty()) to_print = GetBinding(graph_, edge, RuleKey::kCommand);
  printer_.Print(FormatProgressStatus(format_, time_millis) + to_print,
                 full ? LinePrinter::kFull : LinePrinter::kElide);
}

}  // namespace composer
