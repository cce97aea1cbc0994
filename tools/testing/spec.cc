// spec.cc: reading and checking `trailwatch test` files. See spec.h; the format is docs/test-files.md.
#include "tools/testing/spec.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <set>

#include "engine/cloudwatch/time.h"
#include "engine/input/reader.h"
#include "engine/routing/findings.h"
#include "engine/setup/cloudformation/document.h"
#include "engine/setup/sources.h"
#include "patterns/common/json_number.h"
#include "patterns/common/nearest.h"

namespace trailwatch::spec {

namespace fs = std::filesystem;
using engine::cfn::Value;

std::string Where::Text() const {
  if (line == 0) return file;
  return file + ":" + std::to_string(line) + ":" + std::to_string(column);
}

namespace {

// Thrown inside this file only (the reader is deeply nested); ReadTestFile() turns it into the Diagnostic.
struct SpecFailure {
  Diagnostic d;
};

class Reader {
 public:
  explicit Reader(std::string path) : path_(std::move(path)) {
    dir_ = fs::path(path_).parent_path();
  }

  TestFile Read(const Value& root) {
    TestFile file;
    file.path = path_;
    if (!root.IsMap()) Fail(root.mark, "a test file is a map with `tests:` (and a setup), not " + KindName(root));
    Keys(root, {"version", "setup", "templates", "parameters", "account", "start", "tests"});
    if (const Value* v = root.Find("version")) {
      const double n = Number(*v, "version");
      if (n != kSpecVersion) Fail(v->mark, "version " + v->text + " is not known: this trailwatch reads version 1");
    }
    if (const Value* v = root.Find("start")) default_start_ = Time(*v, "start", std::nullopt);
    LoadTheSetup(root, file);
    const Value* tests = root.Find("tests");
    if (tests == nullptr) Fail(root.mark, "no `tests:`: a test file lists its tests under `tests:`");
    if (!tests->IsSequence()) Fail(tests->mark, "`tests:` must be a list of tests, not " + KindName(*tests));
    std::set<std::string> names;
    for (const Value& t : tests->children) {
      TestCase c = ReadTest(t, file);
      if (!names.insert(c.name).second) Fail(t.mark, "two tests are named \"" + c.name + "\": names must be unique");
      file.tests.push_back(std::move(c));
    }
    return file;
  }

 private:
  std::string path_;
  fs::path dir_;
  std::optional<int64_t> default_start_;
  const engine::Setup* setup_ = nullptr;

  Where At(engine::cfn::Mark m) const { return Where{path_, m.line, m.column}; }

  [[noreturn]] void Fail(engine::cfn::Mark m, const std::string& message, const std::string& hint = "") const {
    Diagnostic d;
    d.exception = "SpecError";
    d.message = At(m).Text() + ": " + message;
    d.hint = hint;
    throw SpecFailure{std::move(d)};
  }

  static std::string KindName(const Value& v) {
    switch (v.kind) {
      case Value::Kind::kNull: return "null";
      case Value::Kind::kString: return "a string";
      case Value::Kind::kPlain: return "a scalar";
      case Value::Kind::kSequence: return "a list";
      case Value::Kind::kMap: return "a map";
      case Value::Kind::kNoValue: return "nothing";
    }
    return "?";
  }

  // Every key of `map` must be one of `allowed`; a key given twice is an error too.
  void Keys(const Value& map, std::initializer_list<const char*> allowed) const {
    std::vector<std::string> names(allowed.begin(), allowed.end());
    std::set<std::string> seen;
    for (const Value& e : map.children) {
      if (std::find(names.begin(), names.end(), e.key) == names.end()) {
        const std::string near = NearestName(e.key, names);
        std::string known;
        for (const std::string& n : names) known += (known.empty() ? "" : ", ") + n;
        Fail(e.EntryMark(), "unknown key `" + e.key + "`" + (near.empty() ? "" : " (did you mean `" + near + "`?)"),
             "keys here: " + known);
      }
      if (!seen.insert(e.key).second) Fail(e.EntryMark(), "`" + e.key + "` is given twice");
    }
  }

  std::string Str(const Value& v, const std::string& what) const {
    if (!v.IsScalar()) Fail(v.mark, "`" + what + "` must be a string, not " + KindName(v));
    return v.text;
  }

  double Number(const Value& v, const std::string& what) const {
    if (v.kind != Value::Kind::kPlain || !IsJsonNumber(v.text)) {
      Fail(v.mark, "`" + what + "` must be a number" + (v.IsScalar() ? ", not \"" + v.text + "\"" : ""));
    }
    const double d = std::strtod(v.text.c_str(), nullptr);
    if (!std::isfinite(d)) Fail(v.mark, "`" + what + "` is out of range");
    return d;
  }

  uint64_t Count(const Value& v, const std::string& what) const {
    const double d = Number(v, what);
    if (d < 0 || d != std::floor(d) || d > 9e15) Fail(v.mark, "`" + what + "` must be a whole number >= 0");
    return static_cast<uint64_t>(d);
  }

  bool Bool(const Value& v, const std::string& what) const {
    if (v.kind == Value::Kind::kPlain) {
      if (v.text == "true" || v.text == "True" || v.text == "TRUE") return true;
      if (v.text == "false" || v.text == "False" || v.text == "FALSE") return false;
    }
    Fail(v.mark, "`" + what + "` must be true or false" + (v.IsScalar() ? ", not \"" + v.text + "\"" : ""));
  }

  const Value& List(const Value& v, const std::string& what) const {
    if (!v.IsSequence()) Fail(v.mark, "`" + what + "` must be a list, not " + KindName(v));
    return v;
  }

  Pairs StringMap(const Value& v, const std::string& what) const {
    if (v.IsAbsent()) return {};
    if (!v.IsMap()) Fail(v.mark, "`" + what + "` must be a map of names to values, not " + KindName(v));
    Pairs out;
    for (const Value& e : v.children) {
      if (!e.IsScalar()) Fail(e.mark, "`" + what + "." + e.key + "` must be a string, not " + KindName(e));
      out.emplace_back(e.key, e.text);
    }
    std::sort(out.begin(), out.end());
    return out;
  }

  // "+5m", "-90s", "+1h30m", "+250ms", "+0": an offset from the test's start.
  static std::optional<int64_t> ParseOffset(std::string_view s) {
    if (s.size() < 2 || (s[0] != '+' && s[0] != '-')) return std::nullopt;
    const int64_t sign = s[0] == '-' ? -1 : 1;
    s.remove_prefix(1);
    if (s == "0") return 0;
    int64_t total = 0;
    while (!s.empty()) {
      size_t i = 0;
      int64_t n = 0;
      while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
        n = n * 10 + (s[i] - '0');
        if (n > 1'000'000'000) return std::nullopt;
        ++i;
      }
      if (i == 0) return std::nullopt;
      s.remove_prefix(i);
      int64_t unit = 0;
      if (s.substr(0, 2) == "ms") unit = 1, s.remove_prefix(2);
      else if (!s.empty() && s[0] == 's') unit = 1000, s.remove_prefix(1);
      else if (!s.empty() && s[0] == 'm') unit = 60'000, s.remove_prefix(1);
      else if (!s.empty() && s[0] == 'h') unit = 3'600'000, s.remove_prefix(1);
      else if (!s.empty() && s[0] == 'd') unit = 86'400'000, s.remove_prefix(1);
      else return std::nullopt;
      total += n * unit;
    }
    return sign * total;
  }

  // An RFC 3339 time, or an offset from `start`.
  int64_t Time(const Value& v, const std::string& what, std::optional<int64_t> start) const {
    const std::string text = Str(v, what);
    if (!text.empty() && (text[0] == '+' || text[0] == '-')) {
      const std::optional<int64_t> off = ParseOffset(text);
      if (!off) Fail(v.mark, "`" + what + "`: \"" + text + "\" is no offset (write +90s, +5m, +1h30m)");
      if (!start) Fail(v.mark, "`" + what + "`: the offset " + text + " needs a `start:` (in the test or the file)");
      return *start + *off;
    }
    const std::optional<int64_t> t = engine::ParseIsoUtc(text);
    if (!t) Fail(v.mark, "`" + what + "`: \"" + text + "\" is not an RFC 3339 time such as 2023-07-10T12:44:00Z");
    return *t;
  }

  std::string Resolve(const std::string& p) const {
    if (p.empty() || fs::path(p).is_absolute()) return p;
    return (dir_ / p).lexically_normal().string();
  }

  // A regular file or a directory (a device or FIFO would be read without end).
  std::string ExistingPath(const Value& v, const std::string& what) const {
    const std::string p = Resolve(Str(v, what));
    std::error_code ec;
    if (!fs::exists(p, ec)) Fail(v.mark, "`" + what + "`: " + p + " does not exist");
    if (!fs::is_regular_file(p, ec) && !fs::is_directory(p, ec)) {
      Fail(v.mark, "`" + what + "`: " + p + " is not a regular file or a directory");
    }
    return p;
  }

  // ---- the setup -----------------------------------------------------------------------------------------
  void LoadTheSetup(const Value& root, TestFile& file) {
    engine::SetupSources sources;
    const Value* setup = root.Find("setup");
    const Value* templates = root.Find("templates");
    const Value* where = setup ? setup : templates;
    if (setup && templates) Fail(templates->EntryMark(), "`setup:` and `templates:` are two setups: give one");
    if (setup) {
      sources.setup_file = ExistingPath(*setup, "setup");
    } else if (templates) {
      for (const Value& t : List(*templates, "templates").children) {
        engine::TemplateSource ts;
        if (t.IsScalar()) {
          Result<engine::TemplateSource> parsed = engine::ParseTemplateArg(t.text);
          if (!parsed.ok()) Fail(t.mark, parsed.error().message);
          ts = std::move(parsed.value());
        } else if (t.IsMap()) {
          Keys(t, {"file", "regions", "parameters", "account", "stack_name"});
          const Value* f = t.Find("file");
          if (f == nullptr) Fail(t.mark, "a template needs `file:`");
          ts.path = Str(*f, "file");
          if (const Value* r = t.Find("regions")) {
            if (r->IsSequence()) {
              for (const Value& w : r->children) ts.regions.push_back(Str(w, "regions"));
            } else {
              ts.regions.push_back(Str(*r, "regions"));
            }
          }
          if (const Value* p = t.Find("parameters")) {
            for (auto& [k, val] : StringMap(*p, "parameters")) ts.parameters[k] = val;
          }
          if (const Value* a = t.Find("account")) ts.account = Str(*a, "account");
          if (const Value* s = t.Find("stack_name")) ts.stack_name = Str(*s, "stack_name");
        } else {
          Fail(t.mark, "a template is FILE[@REGIONS] or {file:, regions:}, not " + KindName(t));
        }
        const std::string resolved = Resolve(ts.path);
        std::error_code ec;
        if (!fs::is_regular_file(resolved, ec)) Fail(t.mark, "template " + resolved + " is not a readable file");
        ts.path = resolved;
        sources.templates.push_back(std::move(ts));
      }
      if (sources.templates.empty()) Fail(templates->mark, "`templates:` is empty");
    }
    if (const Value* p = root.Find("parameters")) {
      if (!templates) Fail(p->EntryMark(), "`parameters:` are for `templates:`");
      for (auto& [k, val] : StringMap(*p, "parameters")) sources.template_options.parameters[k] = val;
    }
    if (const Value* a = root.Find("account")) {
      if (!templates) Fail(a->EntryMark(), "`account:` is for `templates:` (a setup file says its own Account)");
      sources.template_options.account = Str(*a, "account");
    }
    if (!where) return;
    Result<engine::Setup> loaded = engine::LoadSetup(sources);
    if (!loaded.ok()) {
      const Diagnostic& e = loaded.error();
      Fail(where->mark, "the setup cannot be loaded: " + e.message + (e.pointer.empty() ? "" : " (at " + e.pointer + ")"),
           e.hint);
    }
    file.has_setup = true;
    file.setup = std::move(loaded.value());
  }

  // ---- records and events written inline -----------------------------------------------------------------
  // A copy of `v` with offsets in its time fields made times.
  Value WithTimes(const Value& v, std::optional<int64_t> start, std::initializer_list<const char*> fields) const {
    Value copy = v;
    if (!copy.IsMap()) return copy;
    for (Value& e : copy.children) {
      const bool is_time = std::find_if(fields.begin(), fields.end(), [&](const char* f) { return e.key == f; }) !=
                           fields.end();
      if (is_time && e.IsScalar() && !e.text.empty() && (e.text[0] == '+' || e.text[0] == '-')) {
        const int64_t t = Time(e, e.key, start);
        e.text = engine::FormatIsoUtc(t);
        e.kind = Value::Kind::kString;
      }
      if (e.key == "detail" && e.IsMap()) e = WithTimes(e, start, {"eventTime"});
    }
    return copy;
  }

  // A record or event written in the spec: a map (made compact JSON) or a string holding JSON.
  std::string JsonObject(const Value& v, const std::string& what, std::optional<int64_t> start,
                         std::initializer_list<const char*> time_fields) const {
    if (v.IsMap()) return engine::cfn::ToCompactJson(WithTimes(v, start, time_fields));
    if (v.IsScalar()) {
      engine::cfn::Budget budget;
      Result<Value> parsed = engine::cfn::ParseJsonValue(v.text, path_, budget);
      if (!parsed.ok() || !parsed.value().IsMap()) {
        Fail(v.mark, "`" + what + "` must be a JSON object (a YAML map, or a string holding the JSON)");
      }
      return engine::cfn::ToCompactJson(WithTimes(parsed.value(), start, time_fields));
    }
    Fail(v.mark, "`" + what + "` must be a map (the JSON object), not " + KindName(v));
  }

  // The records of a file, as the reader delivers them (one message per record).
  struct FileRecord {
    std::string message, label;
    engine::RecordShape shape;
  };
  std::vector<FileRecord> FileRecords(const Value& v) const {
    const std::string p = ExistingPath(v, "file");
    std::error_code ec;
    if (!fs::is_regular_file(p, ec)) Fail(v.mark, "`file`: " + p + " is a directory: give a file of records");
    struct Sink : engine::RecordSink {
      std::vector<FileRecord> records;
      std::vector<engine::InputProblem> problems;
      bool OnRecord(const engine::InputRecord& r) override {
        std::string label = std::string(r.file) + (r.line ? ":" + std::to_string(r.line) : "");
        if (r.format == engine::InputFormat::kCloudTrailFile || r.format == engine::InputFormat::kJsonArray) {
          label += " [" + std::to_string(r.index + 1) + "]";
        }
        records.push_back({std::string(r.message), std::move(label), r.shape});
        return records.size() < 100000;
      }
      void OnProblem(const engine::InputProblem& pr) override { problems.push_back(pr); }
    } sink;
    engine::ReaderOptions options;
    options.prefetch = false;
    engine::ReadInputs({p}, options, sink);
    for (const engine::InputProblem& pr : sink.problems) {
      if (pr.kind == engine::ProblemKind::kSkippedFile || pr.kind == engine::ProblemKind::kNotRead) continue;
      Fail(v.mark, "`file`: " + pr.file + (pr.line ? ":" + std::to_string(pr.line) : "") + ": " +
                       engine::ProblemKindName(pr.kind) + ": " + pr.message);
    }
    if (sink.records.empty()) Fail(v.mark, "`file`: " + p + " holds no records");
    return std::move(sink.records);
  }

  // ---- one test ------------------------------------------------------------------------------------------
  TestCase ReadTest(const Value& t, const TestFile& file) {
    if (!t.IsMap()) Fail(t.mark, "a test is a map with `name:`, not " + KindName(t));
    Keys(t, {"name", "start", "filter", "filter_pattern", "region", "log_group", "log_group_region", "metric_value",
             "default_value", "unit", "dimensions", "messages", "rule", "event_pattern", "state", "events", "input",
             "expect", "invalid", "message_contains"});
    TestCase c;
    c.where = At(t.mark);
    const Value* name = t.Find("name");
    if (name == nullptr) Fail(t.mark, "a test needs a `name:`");
    c.name = Str(*name, "name");
    if (c.name.empty()) Fail(name->mark, "a test's `name:` is empty");
    c.start_ms = default_start_;
    if (const Value* s = t.Find("start")) c.start_ms = Time(*s, "start", std::nullopt);
    setup_ = file.has_setup ? &file.setup : nullptr;

    const bool has_messages = t.Find("messages"), has_events = t.Find("events"),
               has_replay = t.Find("input") || t.Find("expect"), has_invalid = t.Find("invalid");
    const int kinds = int(has_messages) + int(has_events) + int(has_replay) + int(has_invalid);
    if (kinds == 0) {
      Fail(t.mark, "test \"" + c.name + "\" tests nothing: give `messages:` (a filter), `events:` (a rule), "
                   "`input:` and `expect:` (a replay) or `invalid:` (a pattern AWS rejects)");
    }
    if (kinds > 1) Fail(t.mark, "test \"" + c.name + "\" mixes kinds of test: one of messages, events, input/expect, invalid");
    auto only = [&](std::initializer_list<const char*> allowed, const char* kind) {
      for (const Value& e : t.children) {
        if (e.key == "name" || e.key == "start") continue;
        if (std::find_if(allowed.begin(), allowed.end(), [&](const char* a) { return e.key == a; }) == allowed.end()) {
          Fail(e.EntryMark(), "`" + e.key + "` does not belong in a " + kind + " test");
        }
      }
    };
    if (has_invalid) {
      only({"invalid", "message_contains", "filter_pattern", "event_pattern"}, "invalid-pattern");
      ReadInvalid(t, c);
    } else if (has_messages) {
      only({"messages", "filter", "filter_pattern", "region", "log_group", "metric_value", "default_value", "unit",
            "dimensions"},
           "filter");
      ReadFilterTest(t, c);
    } else if (has_events) {
      only({"events", "rule", "event_pattern", "region", "state"}, "rule");
      ReadRuleTest(t, c);
    } else {
      only({"input", "expect", "log_group", "log_group_region"}, "replay");
      ReadReplayTest(t, c);
    }
    return c;
  }

  void ReadInvalid(const Value& t, TestCase& c) const {
    c.kind = TestCase::Kind::kInvalid;
    const Value* fp = t.Find("filter_pattern");
    const Value* ep = t.Find("event_pattern");
    if ((fp != nullptr) == (ep != nullptr)) Fail(t.mark, "an invalid-pattern test gives one `filter_pattern:` or `event_pattern:`");
    c.invalid_event = ep != nullptr;
    c.pattern = c.invalid_event ? EventPatternText(*ep) : Str(*fp, "filter_pattern");
    c.invalid = Str(*t.Find("invalid"), "invalid");
    static const std::vector<std::string> kExceptions = {"InvalidParameterException", "InvalidEventPatternException",
                                                         "LimitExceededException"};
    if (std::find(kExceptions.begin(), kExceptions.end(), c.invalid) == kExceptions.end()) {
      const std::string near = NearestName(c.invalid, kExceptions);
      Fail(t.Find("invalid")->mark, "`invalid`: " + c.invalid + " is no exception a pattern gets" +
                                        (near.empty() ? "" : " (did you mean " + near + "?)"),
           "InvalidParameterException (filter patterns), InvalidEventPatternException (event patterns), "
           "LimitExceededException");
    }
    if (const Value* m = t.Find("message_contains")) c.message_contains = Str(*m, "message_contains");
  }

  std::string EventPatternText(const Value& v) const {
    if (v.IsMap()) return engine::cfn::ToCompactJson(v);
    return Str(v, "event_pattern");
  }

  void ReadFilterTest(const Value& t, TestCase& c) const {
    c.kind = TestCase::Kind::kFilter;
    const Value* byname = t.Find("filter");
    const Value* pattern = t.Find("filter_pattern");
    if ((byname != nullptr) == (pattern != nullptr)) {
      Fail(t.mark, "a filter test names a `filter:` of the setup or gives a `filter_pattern:` (one of the two)");
    }
    if (byname) {
      for (const char* k : {"metric_value", "default_value", "unit", "dimensions"}) {
        if (const Value* e = t.Find(k)) {
          Fail(e->mark, std::string("`") + k + "` is the setup's for a filter of the setup; it goes with `filter_pattern:`");
        }
      }
      c.filter_name = Str(*byname, "filter");
      c.filter = FindFilter(*byname, t);
    } else {
      for (const char* k : {"region", "log_group"}) {
        if (const Value* e = t.Find(k)) Fail(e->mark, std::string("`") + k + "` selects a `filter:` of the setup");
      }
      c.filter.name = "filter_pattern";
      c.filter.filter_pattern = Str(*pattern, "filter_pattern");
      c.filter.transformation.metric_name = "Test";
      c.filter.transformation.metric_namespace = "Test";
      if (const Value* v = t.Find("metric_value")) c.filter.transformation.metric_value = Str(*v, "metric_value");
      if (const Value* v = t.Find("default_value")) c.filter.transformation.default_value = Number(*v, "default_value");
      if (const Value* v = t.Find("unit")) c.filter.transformation.unit = Str(*v, "unit");
      if (const Value* v = t.Find("dimensions")) {
        if (!v->IsMap()) Fail(v->mark, "`dimensions` must be a map of names to $references");
        for (const Value& e : v->children) c.filter.transformation.dimensions.emplace_back(e.key, Str(e, e.key));
      }
    }
    const Value& list = List(*t.Find("messages"), "messages");
    if (list.children.empty()) Fail(list.mark, "`messages:` is empty");
    size_t n = 0;
    for (const Value& m : list.children) {
      ++n;
      if (!m.IsMap()) Fail(m.mark, "a message is a map with `message:` (or `record:`, `event:`, `file:`) and `match:`");
      Keys(m, {"message", "record", "event", "file", "match", "value", "dimensions", "extracted"});
      const char* sources[] = {"message", "record", "event", "file"};
      int given = 0;
      for (const char* s : sources) given += m.Find(s) != nullptr;
      if (given != 1) Fail(m.mark, "a message gives exactly one of `message:`, `record:`, `event:`, `file:`");
      MessageCase base;
      base.where = At(m.mark);
      base.label = "message " + std::to_string(n);
      const Value* match = m.Find("match");
      const bool implied = m.Find("value") || m.Find("dimensions") || m.Find("extracted");
      if (match) base.match = Bool(*match, "match");
      else if (implied) base.match = true;
      else Fail(m.mark, "a message says whether it should match: `match: true` or `match: false`");
      if (const Value* v = m.Find("value")) {
        if (!base.match) Fail(v->mark, "`value:` is what a match publishes; this message should not match");
        base.has_value = true;
        if (!v->IsAbsent()) base.value = Number(*v, "value");
      }
      if (const Value* v = m.Find("dimensions")) base.dimensions = StringMap(*v, "dimensions");
      if (const Value* v = m.Find("extracted")) base.extracted = StringMap(*v, "extracted");
      if ((base.dimensions || base.extracted) && !base.match) {
        Fail(m.mark, "`dimensions:` and `extracted:` are what a match gives; this message should not match");
      }
      if (const Value* v = m.Find("message")) {
        base.message = Str(*v, "message");
        if (base.message.empty()) Fail(v->mark, "an empty message: CloudWatch Logs takes no empty log event");
        c.messages.push_back(std::move(base));
      } else if (const Value* v = m.Find("record")) {
        base.message = JsonObject(*v, "record", c.start_ms, {"eventTime"});
        c.messages.push_back(std::move(base));
      } else if (const Value* v = m.Find("event")) {
        base.message = JsonObject(*v, "event", c.start_ms, {"time"});
        c.messages.push_back(std::move(base));
      } else {
        for (FileRecord& r : FileRecords(*m.Find("file"))) {
          MessageCase one = base;
          one.label = std::move(r.label);
          one.message = std::move(r.message);
          c.messages.push_back(std::move(one));
        }
      }
    }
  }

  engine::MetricFilterConfig FindFilter(const Value& byname, const Value& t) const {
    if (setup_ == nullptr) Fail(byname.mark, "`filter:` names a filter of the setup, and this file has no setup");
    const std::string name = byname.text;
    std::string region, log_group;
    if (const Value* r = t.Find("region")) region = Str(*r, "region");
    if (const Value* l = t.Find("log_group")) log_group = Str(*l, "log_group");
    std::vector<const engine::MetricFilterConfig*> found;
    std::vector<std::string> names;
    for (const engine::MetricFilterConfig& f : setup_->metric_filters) {
      names.push_back(f.name);
      if (f.name != name || (!region.empty() && f.region != region) || (!log_group.empty() && f.log_group != log_group)) {
        continue;
      }
      found.push_back(&f);
    }
    if (found.empty()) {
      const std::string near = NearestName(name, names);
      Fail(byname.mark, "the setup has no metric filter named " + name +
                            (region.empty() && log_group.empty() ? "" : " in that Region / log group") +
                            (near.empty() ? "" : " (did you mean " + near + "?)"));
    }
    for (const engine::MetricFilterConfig* f : found) {
      const auto& a = f->transformation;
      const auto& b = found.front()->transformation;
      if (f->filter_pattern != found.front()->filter_pattern || a.metric_value != b.metric_value ||
          a.dimensions != b.dimensions || a.default_value != b.default_value) {
        Fail(byname.mark, "the setup has several metric filters named " + name + " that differ (" + found.front()->region +
                              " " + found.front()->log_group + ", " + f->region + " " + f->log_group +
                              "): say which with `region:` or `log_group:`");
      }
    }
    return *found.front();
  }

  void ReadRuleTest(const Value& t, TestCase& c) const {
    c.kind = TestCase::Kind::kRule;
    const Value* byname = t.Find("rule");
    const Value* pattern = t.Find("event_pattern");
    if ((byname != nullptr) == (pattern != nullptr)) {
      Fail(t.mark, "a rule test names a `rule:` of the setup or gives an `event_pattern:` (one of the two)");
    }
    if (byname) {
      if (const Value* s = t.Find("state")) Fail(s->mark, "`state:` is the setup's for a rule of the setup");
      c.rule_name = Str(*byname, "rule");
      c.rule = FindRule(*byname, t);
    } else {
      if (const Value* r = t.Find("region")) Fail(r->mark, "`region` selects a `rule:` of the setup");
      c.rule.name = "event_pattern";
      c.rule.event_pattern = EventPatternText(*pattern);
      if (const Value* s = t.Find("state")) {
        c.rule.state = Str(*s, "state");
        if (c.rule.state != "ENABLED" && c.rule.state != "DISABLED" &&
            c.rule.state != "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS") {
          Fail(s->mark, "`state` is ENABLED, DISABLED or ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS");
        }
      }
    }
    const Value& list = List(*t.Find("events"), "events");
    if (list.children.empty()) Fail(list.mark, "`events:` is empty");
    size_t n = 0;
    for (const Value& e : list.children) {
      ++n;
      if (!e.IsMap()) Fail(e.mark, "an event is a map with `record:` (or `event:`, `file:`) and `match:`");
      Keys(e, {"record", "event", "file", "match"});
      int given = int(e.Find("record") != nullptr) + int(e.Find("event") != nullptr) + int(e.Find("file") != nullptr);
      if (given != 1) Fail(e.mark, "an event gives exactly one of `record:`, `event:`, `file:`");
      const Value* match = e.Find("match");
      if (match == nullptr) Fail(e.mark, "an event says whether the rule should match it: `match: true` or `match: false`");
      EventCase base;
      base.where = At(e.mark);
      base.label = "event " + std::to_string(n);
      base.match = Bool(*match, "match");
      if (const Value* v = e.Find("record")) {
        base.event = JsonObject(*v, "record", c.start_ms, {"eventTime"});
        base.from_record = true;
        c.events.push_back(std::move(base));
      } else if (const Value* v = e.Find("event")) {
        base.event = JsonObject(*v, "event", c.start_ms, {"time"});
        c.events.push_back(std::move(base));
      } else {
        for (FileRecord& r : FileRecords(*e.Find("file"))) {
          if (r.shape != engine::RecordShape::kCloudTrailRecord && r.shape != engine::RecordShape::kEventBridgeEvent &&
              r.shape != engine::RecordShape::kJson) {
            Fail(e.Find("file")->mark, "`file`: " + r.label + " is not JSON: a rule sees JSON events only");
          }
          EventCase one = base;
          one.label = std::move(r.label);
          one.event = std::move(r.message);
          one.from_record = r.shape == engine::RecordShape::kCloudTrailRecord;
          c.events.push_back(std::move(one));
        }
      }
    }
  }

  engine::RuleConfig FindRule(const Value& byname, const Value& t) const {
    if (setup_ == nullptr) Fail(byname.mark, "`rule:` names a rule of the setup, and this file has no setup");
    const std::string name = byname.text;
    std::string region;
    if (const Value* r = t.Find("region")) region = Str(*r, "region");
    std::vector<const engine::RuleConfig*> found;
    std::vector<std::string> names;
    for (const engine::RuleConfig& r : setup_->rules) {
      names.push_back(r.name);
      if (r.name == name && (region.empty() || r.region == region)) found.push_back(&r);
    }
    if (found.empty()) {
      const std::string near = NearestName(name, names);
      Fail(byname.mark, "the setup has no rule named " + name + (region.empty() ? "" : " in " + region) +
                            (near.empty() ? "" : " (did you mean " + near + "?)"));
    }
    for (const engine::RuleConfig* r : found) {
      if (r->event_pattern != found.front()->event_pattern || r->state != found.front()->state) {
        Fail(byname.mark, "the setup has several rules named " + name + " that differ (" + found.front()->region + ", " +
                              r->region + "): say which with `region:`");
      }
    }
    return *found.front();
  }

  void ReadReplayTest(const Value& t, TestCase& c) const {
    c.kind = TestCase::Kind::kReplay;
    if (setup_ == nullptr) Fail(t.mark, "a replay test (`input:`/`expect:`) needs a setup: give `setup:` or `templates:`");
    if (const Value* l = t.Find("log_group")) c.log_group = Str(*l, "log_group");
    if (const Value* l = t.Find("log_group_region")) {
      if (c.log_group.empty()) Fail(l->mark, "`log_group_region` goes with `log_group`");
      c.log_group_region = Str(*l, "log_group_region");
    }
    const Value* input = t.Find("input");
    if (input == nullptr) Fail(t.mark, "a replay test needs `input:` (files, directories or inline records)");
    const Value* expect = t.Find("expect");
    if (expect == nullptr) Fail(t.mark, "a replay test needs `expect:` (metrics, alarms, findings)");
    const Value& items = *input;
    std::vector<const Value*> list;
    if (items.IsSequence()) {
      for (const Value& i : items.children) list.push_back(&i);
    } else {
      list.push_back(&items);
    }
    if (list.empty()) Fail(input->mark, "`input:` is empty");
    for (const Value* i : list) c.inputs.push_back(ReadInput(*i, c));
    ReadExpect(*expect, c);
  }

  InputItem ReadInput(const Value& i, const TestCase& c) const {
    InputItem item;
    item.where = At(i.mark);
    if (i.IsScalar()) {
      item.path = ExistingPath(i, "input");
      return item;
    }
    if (!i.IsMap()) Fail(i.mark, "an input is a path or a map with `records:`, `events:` or `messages:`");
    Keys(i, {"file", "records", "events", "messages"});
    if (i.children.size() != 1) Fail(i.mark, "an input gives one of `file:`, `records:`, `events:`, `messages:`");
    const Value& e = i.children.front();
    item.name = path_ + ":" + std::to_string(e.EntryMark().line);
    if (e.key == "file") {
      item.path = ExistingPath(e, "file");
      item.name.clear();
      return item;
    }
    const Value& list = List(e, e.key);
    if (e.key == "records") {
      std::string data = "{\"Records\":[";
      for (size_t k = 0; k < list.children.size(); ++k) {
        data += (k ? "," : "") + JsonObject(list.children[k], "records", c.start_ms, {"eventTime"});
      }
      item.data = data + "]}";
    } else {
      for (const Value& m : list.children) {
        item.data += (e.key == "events" ? JsonObject(m, "events", c.start_ms, {"time"}) : MessageLine(m)) + "\n";
      }
    }
    if (list.children.empty()) Fail(e.mark, "`" + e.key + "` is empty");
    return item;
  }

  // A text message of an inline `messages:` input: one line, as a log line is read.
  std::string MessageLine(const Value& m) const {
    if (m.IsMap()) return engine::cfn::ToCompactJson(m);
    const std::string s = Str(m, "messages");
    if (s.find('\n') != std::string::npos || s.empty()) Fail(m.mark, "a message of `messages:` is one non-empty line");
    return s;
  }

  void ReadExpect(const Value& e, TestCase& c) const {
    if (!e.IsMap()) Fail(e.mark, "`expect:` is a map with `metrics:`, `alarms:`, `findings:`");
    Keys(e, {"metrics", "alarms", "findings", "absent_findings"});
    if (e.children.empty()) Fail(e.mark, "`expect:` expects nothing");
    if (const Value* m = e.Find("metrics")) {
      for (const Value& x : List(*m, "metrics").children) c.metrics.push_back(ReadMetric(x, c));
    }
    if (const Value* a = e.Find("alarms")) {
      for (const Value& x : List(*a, "alarms").children) c.alarms.push_back(ReadAlarm(x, c));
    }
    if (const Value* f = e.Find("findings")) {
      c.findings.emplace();
      for (const Value& x : List(*f, "findings").children) {
        FindingExpect fe;
        fe.where = At(x.mark);
        if (x.IsMap()) {
          Keys(x, {"kind", "count"});
          const Value* k = x.Find("kind");
          if (k == nullptr) Fail(x.mark, "a finding needs `kind:`");
          fe.kind = FindingKind(*k);
          if (const Value* n = x.Find("count")) fe.count = Count(*n, "count");
        } else {
          fe.kind = FindingKind(x);
        }
        c.findings->push_back(std::move(fe));
      }
    }
    if (const Value* f = e.Find("absent_findings")) {
      for (const Value& x : List(*f, "absent_findings").children) c.findings_absent.push_back(FindingKind(x));
    }
  }

  std::string FindingKind(const Value& v) const {
    const std::string k = Str(v, "kind");
    if (engine::FindingKindByName(k) == nullptr) {
      std::vector<std::string> names;
      for (const auto& info : engine::kFindingKinds) names.emplace_back(info.name);
      const std::string near = NearestName(k, names);
      Fail(v.mark, "no finding kind is called " + k + (near.empty() ? "" : " (did you mean " + near + "?)"),
           "the kinds are in README \"Findings\"");
    }
    return k;
  }

  MetricExpect ReadMetric(const Value& x, const TestCase& c) const {
    if (!x.IsMap()) Fail(x.mark, "a metric expectation is a map with `metric: NAMESPACE/NAME` and a statistic");
    Keys(x, {"metric", "region", "dimensions", "at", "sum", "samples", "min", "max", "average"});
    MetricExpect m;
    m.where = At(x.mark);
    const Value* name = x.Find("metric");
    if (name == nullptr) Fail(x.mark, "a metric expectation needs `metric: NAMESPACE/NAME`");
    const std::string text = Str(*name, "metric");
    const size_t slash = text.rfind('/');
    if (slash == std::string::npos || slash == 0 || slash + 1 == text.size()) {
      Fail(name->mark, "`metric` is NAMESPACE/NAME, e.g. CloudTrailMetrics/ConsoleLoginFailure");
    }
    m.metric_namespace = text.substr(0, slash);
    m.metric_name = text.substr(slash + 1);
    m.text = text;
    bool known = false;
    std::vector<std::string> names;
    for (const engine::MetricFilterConfig& f : setup_->metric_filters) {
      const std::string n = f.transformation.metric_namespace + "/" + f.transformation.metric_name;
      names.push_back(n);
      known = known || n == text;
    }
    if (!known) {
      const std::string near = NearestName(text, names);
      Fail(name->mark, "no metric filter of the setup publishes " + text + (near.empty() ? "" : " (did you mean " + near + "?)"));
    }
    if (const Value* r = x.Find("region")) m.region = Str(*r, "region");
    if (const Value* d = x.Find("dimensions")) m.dimensions = StringMap(*d, "dimensions");
    if (const Value* a = x.Find("at")) {
      m.at_ms = Time(*a, "at", c.start_ms);
      if (*m.at_ms % 60000 != 0) Fail(a->mark, "`at` is the start of a minute (a datapoint is one minute's)");
      m.text += " at " + engine::FormatIsoUtc(*m.at_ms);
    }
    int stats = 0;
    auto stat = [&](const char* key, std::optional<double>& out) {
      if (const Value* v = x.Find(key)) {
        out = Number(*v, key);
        ++stats;
      }
    };
    stat("sum", m.sum);
    stat("samples", m.samples);
    stat("min", m.minimum);
    stat("max", m.maximum);
    stat("average", m.average);
    if (stats == 0) Fail(x.mark, "a metric expectation gives a statistic: sum, samples, min, max or average");
    return m;
  }

  AlarmExpect ReadAlarm(const Value& x, const TestCase& c) const {
    if (!x.IsMap()) Fail(x.mark, "an alarm expectation is a map with `alarm:` and `state:`");
    Keys(x, {"alarm", "region", "at", "state", "transitions"});
    AlarmExpect a;
    a.where = At(x.mark);
    const Value* name = x.Find("alarm");
    if (name == nullptr) Fail(x.mark, "an alarm expectation needs `alarm:`");
    a.alarm = Str(*name, "alarm");
    std::vector<std::string> names;
    bool known = false;
    for (const engine::AlarmConfig& cfg : setup_->alarms) {
      names.push_back(cfg.name);
      known = known || cfg.name == a.alarm;
    }
    if (!known) {
      const std::string near = NearestName(a.alarm, names);
      Fail(name->mark, "the setup has no alarm named " + a.alarm + (near.empty() ? "" : " (did you mean " + near + "?)"));
    }
    if (const Value* r = x.Find("region")) a.region = Str(*r, "region");
    if (const Value* t = x.Find("at")) a.at_ms = Time(*t, "at", c.start_ms);
    const Value* state = x.Find("state");
    if (const Value* n = x.Find("transitions")) a.transitions = Count(*n, "transitions");
    if (state == nullptr && !a.transitions) Fail(x.mark, "an alarm expectation gives `state:` (or `transitions:`)");
    if (state) {
      a.state = Str(*state, "state");
      if (a.state != "OK" && a.state != "ALARM" && a.state != "INSUFFICIENT_DATA") {
        Fail(state->mark, "`state` is OK, ALARM or INSUFFICIENT_DATA");
      }
    }
    return a;
  }
};

}  // namespace

namespace {

Result<TestFile> FromDocument(Result<engine::cfn::Document> doc, const std::string& path) {
  if (!doc.ok()) {
    Diagnostic d = doc.error();
    d.exception = "SpecError";
    return d;
  }
  try {
    Reader reader(path);
    return reader.Read(doc.value().root);
  } catch (SpecFailure& f) {
    return std::move(f.d);
  }
}

}  // namespace

Result<TestFile> ReadTestFile(const std::string& path) { return FromDocument(engine::cfn::ReadDocument(path), path); }

Result<TestFile> ParseTestFile(std::string_view text, const std::string& path) {
  return FromDocument(engine::cfn::ParseDocument(text, path), path);
}

Result<std::vector<std::string>> FindTestFiles(const std::vector<std::string>& paths) {
  auto is_test = [](const std::string& name) {
    for (const char* suffix : {".tw.yaml", ".tw.yml", "_test.yaml", "_test.yml"}) {
      const std::string s = suffix;
      if (name.size() > s.size() && name.compare(name.size() - s.size(), s.size(), s) == 0) return true;
    }
    return false;
  };
  std::vector<std::string> out;
  for (const std::string& p : paths) {
    std::error_code ec;
    if (fs::is_directory(p, ec)) {
      std::vector<std::string> found;
      for (auto it = fs::recursive_directory_iterator(p, fs::directory_options::none, ec);  // links: not followed (no cycles)
           !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
        if (it->is_regular_file(ec) && is_test(it->path().filename().string())) found.push_back(it->path().string());
      }
      std::sort(found.begin(), found.end());
      out.insert(out.end(), found.begin(), found.end());
    } else if (fs::exists(p, ec)) {
      out.push_back(p);
    } else {
      Diagnostic d;
      d.exception = "SpecError";
      d.message = p + ": no such file or directory";
      return d;
    }
  }
  return out;
}

}  // namespace trailwatch::spec
