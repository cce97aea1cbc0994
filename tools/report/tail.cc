// tail.cc: TailPrinter. See tail.h.
#include "tools/report/tail.h"

#include <nlohmann/json.hpp>

#include "engine/cloudwatch/time.h"
#include "tools/report/text.h"

namespace trailwatch::report {
namespace {

using J = nlohmann::ordered_json;

void WriteJsonLine(std::ostream& out, const char* type, J data) {
  J line{{"type", type}, {"data", std::move(data)}};
  out << line.dump(-1, ' ', false, J::error_handler_t::replace) << "\n";
}

}  // namespace

void TailPrinter::Match(const std::string& filter, const std::string& log_group, std::string_view message,
                        std::optional<double> value) {
  if (json_) {
    J d{{"filter", filter}, {"log_group", log_group}};
    d["value"] = value ? J(*value) : J();
    d["message"] = std::string(message);
    WriteJsonLine(out_, "match", std::move(d));
  } else {
    out_ << "match  " << filter << " (" << log_group << ")";
    if (value) out_ << " +" << *value;
    out_ << "  " << std::string(message.substr(0, 160)) << (message.size() > 160 ? "..." : "") << "\n";
  }
  out_.flush();
}

void TailPrinter::Minute(int64_t minute, const std::vector<engine::MetricSeries>& series) {
  for (const engine::MetricSeries& s : series) {
    for (const engine::Datapoint& d : s.datapoints) {
      if (json_) {
        WriteJsonLine(out_, "minute",
                      J{{"timestamp", engine::FormatIsoUtc(minute)},
                        {"namespace", s.key.metric_namespace},
                        {"name", s.key.name},
                        {"sum", d.stats.sum},
                        {"sample_count", d.stats.sample_count}});
      } else {
        out_ << "minute " << engine::FormatIsoUtc(minute) << "  " << s.key.metric_namespace << "/" << s.key.name
             << "  sum " << d.stats.sum << "  samples " << d.stats.sample_count << "\n";
      }
    }
  }
  out_.flush();
}

void TailPrinter::Transition(const std::string& alarm, const engine::AlarmTransition& t) {
  if (json_) {
    WriteJsonLine(out_, "alarm",
                  J{{"alarm", alarm},
                    {"timestamp", engine::FormatIsoUtc(t.timestamp_ms)},
                    {"from", engine::AlarmStateName(t.from)},
                    {"to", engine::AlarmStateName(t.to)},
                    {"reason", t.reason}});
  } else {
    out_ << "ALARM  " << alarm << "  " << engine::AlarmStateName(t.from) << " -> " << engine::AlarmStateName(t.to)
         << " at " << engine::FormatIsoUtc(t.timestamp_ms) << "  " << t.reason << "\n";
  }
  out_.flush();
}

void TailPrinter::Summary(const engine::ReplayResult& result) {
  if (json_) {
    WriteJsonLine(out_, "summary", engine::ToJson(result));
  } else {
    out_ << "\n";
    PrintSummary(result, out_);
  }
  out_.flush();
}

}  // namespace trailwatch::report
