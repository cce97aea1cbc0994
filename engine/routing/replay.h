// replay.h: the replay engine — records in, AWS's routing simulated, metrics, alarms and findings out.
//
// Contract: Replay::Create() compiles every pattern of a Setup once (an invalid pattern is a Diagnostic that
// names its resource) into an immutable plan shared by all threads. Run() reads the inputs (files split
// among --threads workers; each worker owns its scratch, metric store and counters; results are merged in
// a deterministic order, so any thread count gives the same output) and returns the result document whose
// schema README "replay --output json" documents. A Stream (one worker) takes records one at a time for
// `trailwatch tail`.
//
// Routing, as AWS does it (README "How a replay routes events"):
// - a CloudTrail record from Region R (its awsRegion) goes, as the raw record, to the CloudWatch Logs log
//   group of every logging trail that covers R (multi-Region trails cover all; others their home Region) —
//   subject to the trail's management-event selector;
// - it is also put, as the EventBridge event it becomes (engine/event/cloudtrail.h), on the default bus of
//   its account in R; EventBridge events given as input go to the default bus of their `account`/`region`;
// - on a bus every rule is tried (DISABLED rules see nothing; read-only management events reach only
//   ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS rules); a matching rule's targets forward the event to
//   another bus (keeping its account and Region; an event visits each bus at most once) or write the whole
//   event JSON to a log group;
// - every message a log group receives runs through all its metric filters; datapoints are aggregated per
//   minute at the event's time (eventTime / time; the CloudWatch Logs timestamp for CloudWatch Logs formats).
// With ReplayOptions::log_group set, every input message is a message of that log group: no routing.
#pragma once

#include <nlohmann/json.hpp>

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "engine/cloudwatch/alarms.h"
#include "engine/cloudwatch/metrics.h"
#include "engine/fast_paths.h"
#include "engine/input/reader.h"
#include "engine/routing/result.h"
#include "engine/setup/setup.h"
#include "patterns/common/diagnostic.h"

namespace trailwatch::engine {

struct ReplayOptions {
  std::string log_group;          // --log-group NAME: the inputs are this log group's messages
  std::string log_group_region;   // its Region ("" = the Region of the setup's log group of that name)
  int threads = 1;
  size_t max_examples = 5;        // examples kept per finding
  size_t max_problems = 100;      // input problems listed in the result (all are counted)
  bool findings = true;           // compute the findings (costs extra evaluations per record)
  FastPaths fast_paths;           // all on; the CLI passes FastPathsFromEnvironment()
  // Progress, called from worker threads (at most every few thousand records): bytes of input files done.
  std::function<void(uint64_t bytes_done, uint64_t records_done)> progress;
};

// A compile error of one resource's pattern or transformation.
struct ReplayError {
  std::string resource;  // e.g. "metric filter ConsoleLoginFailures (us-east-1 /aws/events/console-login)"
  std::string text;      // the text the diagnostic's span refers to
  Diagnostic diagnostic;
};

// Callbacks of a Stream (`trailwatch tail`); any may be empty.
struct StreamCallbacks {
  // A metric filter matched a message: filter name, log group, the message, the value published.
  std::function<void(const std::string& filter, const std::string& log_group, std::string_view message,
                     std::optional<double> value)>
      on_match;
  // A minute closed (an event of a later minute arrived): the metrics of that minute.
  std::function<void(int64_t minute_start_ms, const std::vector<MetricSeries>& minute)> on_minute;
  // An alarm changed state.
  std::function<void(const std::string& alarm, const AlarmTransition& t)> on_transition;
  std::function<void(const InputProblem&)> on_problem;
};

class ReplayPlan;
class ReplayWorker;
struct Tally;

class Replay {
 public:
  ~Replay();
  static Result<std::unique_ptr<Replay>> Create(const Setup& setup, const ReplayOptions& options,
                                                std::vector<ReplayError>* errors);

  // Batch replay of files, directories and "-" (stdin).
  ReplayResult Run(const std::vector<std::string>& inputs);

  // Streaming: feed records in order, then Finish() for the document.
  class Stream {
   public:
    ~Stream();
    bool Feed(const InputRecord& record);  // false: stop
    void Problem(const InputProblem& problem);
    ReplayResult Finish(const InputStats& stats);

   private:
    friend class Replay;
    Stream(const Replay& replay, StreamCallbacks callbacks);
    const Replay& replay_;
    std::unique_ptr<ReplayWorker> worker_;
    StreamCallbacks callbacks_;
    int64_t open_minute_ = INT64_MIN;
    std::vector<size_t> transitions_reported_;
    void CloseMinutesBefore(int64_t minute);
  };
  std::unique_ptr<Stream> OpenStream(StreamCallbacks callbacks) const;

  const ReplayPlan& plan() const { return *plan_; }

 private:
  Replay() = default;
  // `file_order`: each input file's position in the input order (empty for a stream).
  ReplayResult Assemble(Tally& tally, const InputStats& stats,
                                  const std::unordered_map<std::string, uint32_t>& file_order) const;
  std::unique_ptr<ReplayPlan> plan_;
  ReplayOptions options_;
};

}  // namespace trailwatch::engine
