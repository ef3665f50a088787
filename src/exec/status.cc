#include "exec/status.h"

#include <algorithm>
#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "graph/edge_env.h"
#include "plan/build_state.h"
#include "state/build_log.h"
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

// h:mm:ss or mm:ss.
void AppendClock(int64_t seconds, bool with_hours, std::string* out) {
  char buf[48];
  if (with_hours)
    snprintf(buf, sizeof(buf), "%lld:%02lld:%02lld",
             static_cast<long long>(seconds / 3600),
             static_cast<long long>(seconds % 3600 / 60),
             static_cast<long long>(seconds % 60));
  else
    snprintf(buf, sizeof(buf), "%02lld:%02lld", static_cast<long long>(seconds / 60),
             static_cast<long long>(seconds % 60));
  *out += buf;
}

// Whether a status format shows a placeholder that needs the prediction.
bool ShowsPrediction(const char* format) {
  for (const char* s = format; *s; ++s) {
    if (*s != '%') continue;
    if (!*++s) break;
    if (strchr("PEWw", *s)) return true;
  }
  return false;
}

}  // namespace

Status::Status(const Graph& graph, const StatusConfig& config)
    : graph_(graph), config_(config) {
  // Plain lines when verbose or quiet: nothing to rewrite in place.
  if (config_.verbosity != StatusConfig::Verbosity::kNormal)
    printer_.set_smart_terminal(false);
  format_variable_ = "COMPOSER_STATUS";
  format_ = getenv(format_variable_);
  if (!format_) {
    format_variable_ = "NINJA_STATUS";
    format_ = getenv(format_variable_);
  }
  if (!format_) format_ = "[%f/%t] ";
  // Ninja's message names NINJA_STATUS, the only variable it reads.
  if (CurrentPersonality().ninja_compat) format_variable_ = "NINJA_STATUS";
  predict_ = config_.verbosity != StatusConfig::Verbosity::kQuiet &&
             config_.verbosity != StatusConfig::Verbosity::kNoStatusUpdate &&
             ShowsPrediction(format_);
}

void Status::PredictFrom(const BuildState& state, const BuildLog* build_log) {
  predictable_.clear();
  predictable_edges_total_ = 0;
  predictable_millis_total_ = 0;
  predictable_millis_remaining_ = 0;
  time_predicted_share_ = 0;
  if (!predict_ || !build_log) return;
  // The plan wants every command whose outputs the scan found dirty.
  const Graph& graph = state.graph();
  for (uint32_t e = 0; e < graph.edge_count(); ++e) {
    const EdgeId edge(e);
    if (graph.is_phony(edge)) continue;
    const std::span<const NodeId> outputs = graph.outputs(edge);
    bool dirty = false;
    for (NodeId out : outputs) dirty = dirty || state.dirty(out);
    if (!dirty) continue;
    // Its last duration: the first output the build log knows, as Ninja.
    for (NodeId out : outputs) {
      if (const BuildLog::Entry* entry = build_log->Lookup(out)) {
        const int64_t millis = entry->end_time - entry->start_time;
        predictable_.emplace(e, millis);
        ++predictable_edges_total_;
        predictable_millis_total_ += millis;
        break;
      }
    }
  }
  predictable_millis_remaining_ = predictable_millis_total_;
}

void Status::PlanHasTotalEdges(int total) {
  total_edges_ = total;
}

void Status::BuildEdgeStarted(EdgeId edge, int64_t start_millis) {
  ++started_edges_;
  ++running_edges_;
  time_millis_ = start_millis;
  if (predict_) start_millis_[edge.value] = start_millis;
  const bool console = graph_.edge(edge).pool == Graph::kConsolePool;
  if (console || printer_.is_smart_terminal()) PrintStatus(edge, start_millis);
  if (console) printer_.SetConsoleLocked(true);
}

void Status::BuildEdgeFinished(EdgeId edge, int64_t end_millis, bool success,
                               int exit_code, const std::string& output) {
  time_millis_ = end_millis;
  ++finished_edges_;
  if (predict_) {
    const auto started = start_millis_.find(edge.value);
    if (started != start_millis_.end()) {
      cpu_millis_ += end_millis - started->second;
      start_millis_.erase(started);
    }
    const auto predictable = predictable_.find(edge.value);
    if (predictable != predictable_.end()) {
      predictable_millis_remaining_ -= predictable->second;
      predictable_.erase(predictable);
    }
  }
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
  cpu_millis_ = 0;
  start_millis_.clear();
}

void Status::BuildFinished() {
  printer_.SetConsoleLocked(false);
  printer_.PrintOnNewLine("");
  // A later build (after the manifest was rebuilt) predicts afresh.
  predictable_.clear();
  predictable_edges_total_ = 0;
  predictable_millis_total_ = 0;
  predictable_millis_remaining_ = 0;
  time_predicted_share_ = 0;
}

void Status::RecalculateProgressPrediction() {
  time_predicted_share_ = 0;
  const int predictable_remaining = static_cast<int>(predictable_.size());
  // Commands the build log has no duration for; the plan may have grown or
  // shrunk since PredictFrom, which only changes this count.
  int unpredictable_remaining = total_edges_ - finished_edges_ - predictable_remaining;
  if (unpredictable_remaining < 0) unpredictable_remaining = 0;

  // The last durations count while some of those commands remain, unless
  // this build has clearly been running at another speed (ccache hits last
  // time, none now): after 15 s and 5% of the commands, an average
  // duration ten times off the recorded one.
  bool use_previous = predictable_remaining > 0 && predictable_millis_remaining_ != 0;
  if (use_previous && total_edges_ && finished_edges_ && time_millis_ >= 15 * 1e3 &&
      static_cast<double>(finished_edges_) / total_edges_ >= 0.05) {
    const double actual_average = static_cast<double>(cpu_millis_) / finished_edges_;
    const double previous_average =
        static_cast<double>(predictable_millis_total_) / predictable_edges_total_;
    const double ratio = std::max(previous_average, actual_average) /
                         std::min(previous_average, actual_average);
    use_previous = ratio < 10;
  }

  int known_edges = finished_edges_;
  int64_t known_millis = cpu_millis_;
  if (use_previous) {
    known_edges += predictable_remaining;
    known_millis += predictable_millis_remaining_;
  }
  if (known_edges == 0) return;
  const int unknown_edges =
      use_previous ? unpredictable_remaining : total_edges_ - finished_edges_;
  // Commands of unknown duration take the average of the known ones.
  const double average = static_cast<double>(known_millis) / known_edges;
  double remaining = average * unknown_edges;
  if (use_previous) remaining += static_cast<double>(predictable_millis_remaining_);
  const double total = static_cast<double>(cpu_millis_) + remaining;
  if (total == 0.0) return;
  time_predicted_share_ = static_cast<double>(cpu_millis_) / total;
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
        int percent = 0;
        if (finished_edges_ != 0 && total_edges_ != 0)
          percent = (100 * finished_edges_) / total_edges_;
        snprintf(buf, sizeof(buf), "%3i%%", percent);
        out += buf;
        break;
      }
      case 'e':    // elapsed seconds
      case 'w':    // elapsed [h:]mm:ss
      case 'E':    // remaining seconds
      case 'W': {  // remaining [h:]mm:ss
        // The remaining time follows from the share of the predicted
        // command time done so far: unknown ("?") until some is done.
        const double elapsed = time_millis_ / 1e3;
        double eta = -1;
        if (time_predicted_share_ != 0.0)
          eta = (time_millis_ / time_predicted_share_ - time_millis_) / 1e3;
        const bool with_hours = elapsed >= 60 * 60 || eta >= 60 * 60;
        const double seconds = *s == 'e' || *s == 'w' ? elapsed : eta;
        if (seconds < 0) {
          out += "?";
        } else if (*s == 'e' || *s == 'E') {
          snprintf(buf, sizeof(buf), "%.3f", seconds);
          out += buf;
        } else {
          AppendClock(static_cast<int64_t>(seconds), with_hours, &out);
        }
        break;
      }
      case 'P':  // share of the predicted command time done
        snprintf(buf, sizeof(buf), "%3i%%",
                 static_cast<int>(100. * time_predicted_share_));
        out += buf;
        break;
      default:
        Fatal("unknown placeholder '%%%c' in $%s", *s, format_variable_);
    }
  }
  (void)time_millis;
  return out;
}

void Status::PrintStatus(EdgeId edge, int64_t time_millis) {
  if (config_.verbosity == StatusConfig::Verbosity::kQuiet ||
      config_.verbosity == StatusConfig::Verbosity::kNoStatusUpdate)
    return;
  if (predict_) RecalculateProgressPrediction();
  const bool full = config_.verbosity == StatusConfig::Verbosity::kVerbose;
  std::string to_print = full ? "" : GetBinding(graph_, edge, RuleKey::kDescription);
  if (to_print.empty()) to_print = GetBinding(graph_, edge, RuleKey::kCommand);
  printer_.Print(FormatProgressStatus(format_, time_millis) + to_print,
                 full ? LinePrinter::kFull : LinePrinter::kElide);
}

}  // namespace composer
