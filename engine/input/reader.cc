// reader.cc: ReadInputs() — first version: plain files and stdin, line by line; a whole-file
// {"Records":[...]} document is expanded into its records. (Gzip and the other formats: see reader.h.)
#include "engine/input/reader.h"

#include <simdjson.h>

#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>

namespace trailwatch::engine {

const char* InputFormatName(InputFormat f) {
  switch (f) {
    case InputFormat::kCloudTrailFile: return "cloudtrail";
    case InputFormat::kJsonArray: return "json-array";
    case InputFormat::kNdjson: return "ndjson";
    case InputFormat::kFilterLogEvents: return "filter-log-events";
    case InputFormat::kLookupEvents: return "lookup-events";
    case InputFormat::kSubscription: return "subscription";
    case InputFormat::kCwlExport: return "cwl-export";
    case InputFormat::kLogsTail: return "logs-tail";
    case InputFormat::kText: return "text";
  }
  return "?";
}

const char* ProblemKindName(ProblemKind k) {
  switch (k) {
    case ProblemKind::kUnreadable: return "unreadable";
    case ProblemKind::kTruncatedGzip: return "truncated gzip";
    case ProblemKind::kMalformedJson: return "malformed JSON";
    case ProblemKind::kMalformedRecord: return "malformed record";
    case ProblemKind::kOversizeEvent: return "oversize event";
    case ProblemKind::kSkippedFile: return "skipped file";
  }
  return "?";
}

InputStats ReadInputs(const std::vector<std::string>& paths, const ReaderOptions& options, RecordSink& sink) {
  InputStats stats;
  simdjson::dom::parser parser;
  for (const std::string& path : paths) {
    std::string text;
    if (path == "-") {
      std::ostringstream ss;
      ss << std::cin.rdbuf();
      text = ss.str();
    } else {
      std::ifstream in(path, std::ios::binary);
      if (!in) {
        sink.OnProblem(InputProblem{ProblemKind::kUnreadable, path, 0, 0, "cannot open"});
        ++stats.unreadable;
        continue;
      }
      std::ostringstream ss;
      ss << in.rdbuf();
      text = ss.str();
    }
    ++stats.files;
    stats.bytes += text.size();
    if (options.expand_containers && text.find("\"Records\"") != std::string::npos) {
      auto doc = parser.parse(text);
      simdjson::dom::array records;
      if (!doc.error() && !doc["Records"].get(records)) {
        uint32_t index = 0;
        for (simdjson::dom::element r : records) {
          std::string message = simdjson::minify(r);
          InputRecord rec;
          rec.message = message;
          rec.shape = RecordShape::kCloudTrailRecord;
          rec.format = InputFormat::kCloudTrailFile;
          rec.file = path;
          rec.index = index++;
          ++stats.records;
          if (!sink.OnRecord(rec)) return stats;
        }
        continue;
      }
    }
    uint64_t line = 0;
    size_t pos = 0;
    while (pos < text.size()) {
      size_t nl = text.find('\n', pos);
      if (nl == std::string::npos) nl = text.size();
      std::string_view l(text.data() + pos, nl - pos);
      if (!l.empty() && l.back() == '\r') l.remove_suffix(1);
      ++line;
      InputRecord rec;
      rec.message = l;
      rec.file = path;
      rec.line = line;
      rec.offset = pos;
      pos = nl + 1;
      if (l.empty()) continue;
      ++stats.records;
      if (!sink.OnRecord(rec)) return stats;
    }
  }
  return stats;
}

}  // namespace trailwatch::engine
