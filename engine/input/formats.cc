// formats.cc: JSON values to records — containers split with simdjson On-Demand, salvage of damaged
// containers with the structural scanner, subscription payloads (see formats.h for the contract).
#include "engine/input/formats.h"

#include <simdjson.h>

#include <cstring>
#include <string>
#include <utility>

#include "engine/input/json_scan.h"
#include "engine/input/source.h"

namespace trailwatch::engine::input {

namespace od = simdjson::ondemand;

namespace {

constexpr std::string_view kRecordsPrefix = "{\"Records\":[";
constexpr int kMaxPayloadDepth = 4;

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && std::memcmp(s.data(), prefix.data(), prefix.size()) == 0;
}

// A short printable excerpt of s for problem messages.
std::string Snippet(std::string_view s) {
  std::string out;
  const size_t n = std::min<size_t>(s.size(), 40);
  for (size_t i = 0; i < n; ++i) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c < 0x7f) {
      out.push_back(static_cast<char>(c));
    } else {
      static const char* hex = "0123456789abcdef";
      out += "\\x";
      out.push_back(hex[c >> 4]);
      out.push_back(hex[c & 15]);
    }
  }
  if (s.size() > n) out += "...";
  return "'" + out + "'";
}

bool Silent(const FileContext& ctx, Cut cut) { return cut == Cut::kEndOfInput && ctx.truncated_input; }

simdjson::padded_string_view Padded(std::string_view v, const Window& win) {
  return simdjson::padded_string_view(v.data(), v.size(), win.CapacityFrom(v.data()));
}

// Where the array of a container is, and what to call it in messages.
struct ArrayTarget {
  std::string_view key;               // member holding the array; empty when the value is the array
  const char* array_start = nullptr;  // its '[' when already known
  const char* what = "the array";
};

// Splits the array of a container into elements and hands each (as a slice of the input) to `handler`
// (bool(std::string_view element, uint32_t index); false stops). Returns how many bytes of `v` the value
// took (less than v.size() when other values follow it).
template <class Handler>
class ArrayExpander {
 public:
  ArrayExpander(FileContext& ctx, std::string_view v, Window& win, Cut cut, const ArrayTarget& target,
                Handler& handler)
      : ctx_(ctx), v_(v), win_(win), cut_(cut), target_(target), handler_(handler),
        array_start_(target.array_start) {}

  size_t Run() {
    size_t consumed = v_.size();
    od::document doc;
    simdjson::error_code err = ctx_.shared().outer.iterate(Padded(v_, win_)).get(doc);
    if (!err) {
      if (target_.key.empty()) {
        od::array arr;
        err = doc.get_array().get(arr);
        if (!err) {
          array_start_ = v_.data();
          err = Iterate(arr);
        }
      } else {
        od::object obj;
        err = doc.get_object().get(obj);
        if (!err) {
          for (auto field_result : obj) {
            od::field field;
            if ((err = std::move(field_result).get(field))) break;
            if (!(field.key() == target_.key)) continue;
            od::value value = field.value();
            array_start_ = value.raw_json_token().data();
            od::array arr;
            err = value.get_array().get(arr);
            if (err == simdjson::INCORRECT_TYPE) {
              err = simdjson::SUCCESS;
              ctx_.Problem(ProblemKind::kMalformedRecord, win_.At(array_start_),
                           std::string(target_.what) + " is not an array: " + Snippet(value.raw_json_token()));
              array_start_ = nullptr;
              continue;
            }
            if (err) break;
            if ((err = Iterate(arr))) break;
            if (ctx_.stopped()) break;
          }
        }
      }
      if (!err && !ctx_.stopped()) {
        const char* next = nullptr;  // the next token, when the value is followed by more (OUT_OF_BOUNDS if not)
        if (!doc.current_location().get(next) && next > v_.data() && next <= v_.data() + v_.size()) {
          consumed = static_cast<size_t>(next - v_.data());
        }
      }
    }
    if (err && !ctx_.stopped()) Salvage(err);
    return consumed;
  }

 private:
  simdjson::error_code Iterate(od::array& arr) {
    in_array_ = true;
    array_done_ = false;
    for (auto element_result : arr) {
      od::value element;
      simdjson::error_code err = std::move(element_result).get(element);
      if (err) return err;
      od::json_type type;
      if ((err = element.type().get(type))) return err;
      std::string_view slice;
      if (type == od::json_type::object) {
        od::object o;
        if ((err = element.get_object().get(o))) return err;
        if ((err = o.raw_json().get(slice))) return err;
      } else if (type == od::json_type::array) {
        od::array a;
        if ((err = element.get_array().get(a))) return err;
        if ((err = a.raw_json().get(slice))) return err;
      } else {
        slice = element.raw_json_token();
      }
      slice = TrimRightJsonSpace(slice);
      last_end_ = slice.data() + slice.size();
      if (!handler_(slice, index_++)) return simdjson::SUCCESS;
    }
    in_array_ = false;
    array_done_ = true;
    return simdjson::SUCCESS;
  }

  // The fast path failed: walk the array again with the structural scanner from the last good element.
  void Salvage(simdjson::error_code why) {
    const char* const end = v_.data() + v_.size();
    if (array_done_ && !in_array_) {
      if (!Silent(ctx_, cut_)) {
        ctx_.Problem(ProblemKind::kMalformedJson, win_.At(last_end_ != nullptr ? last_end_ : v_.data()),
                     std::string(simdjson::error_message(why)) + " (after " + target_.what + ")");
      }
      return;
    }
    const char* p;
    bool expect_separator;
    if (last_end_ != nullptr) {
      p = last_end_;
      expect_separator = true;
    } else {
      if (array_start_ == nullptr) array_start_ = FindArrayStart();
      if (array_start_ == nullptr || *array_start_ != '[') {
        if (!Silent(ctx_, cut_)) {
          ctx_.Problem(ProblemKind::kMalformedJson, win_.At(v_.data()),
                       std::string("invalid JSON (") + simdjson::error_message(why) + "), no " + target_.what +
                           " array found");
        }
        return;
      }
      p = array_start_ + 1;
      expect_separator = false;
    }
    bool first = !expect_separator;
    bool reported = false;
    for (;;) {
      while (p < end && IsJsonSpace(*p)) ++p;
      if (p >= end) {
        if (!Silent(ctx_, cut_)) {
          ctx_.Problem(ProblemKind::kMalformedJson, win_.At(end),
                       std::string("unexpected end of JSON inside ") + target_.what + " after " +
                           std::to_string(index_) + " elements");
        }
        reported = true;
        break;
      }
      if (expect_separator) {
        if (*p == ']') break;
        if (*p == ',') {
          ++p;
          expect_separator = false;
          continue;
        }
        ctx_.Problem(ProblemKind::kMalformedJson, win_.At(p),
                     std::string("expected ',' or ']' after element ") + std::to_string(index_ - 1) + " of " +
                         target_.what + ", found " + Snippet(std::string_view(p, static_cast<size_t>(end - p))));
        reported = true;
        break;
      }
      if (*p == ']' && first) break;
      if (*p == ']' || *p == '}' || *p == ',' || *p == ':') {
        ctx_.Problem(ProblemKind::kMalformedJson, win_.At(p),
                     "missing element " + std::to_string(index_) + " of " + target_.what + ", found " +
                         Snippet(std::string_view(p, static_cast<size_t>(end - p))));
        reported = true;
        break;
      }
      const std::string_view rest(p, static_cast<size_t>(end - p));
      const size_t e = SkipJsonValue(rest, 0);
      if (e == std::string_view::npos) {
        if (!Silent(ctx_, cut_)) {
          ctx_.Problem(ProblemKind::kMalformedJson, win_.At(p),
                       "unterminated element " + std::to_string(index_) + " of " + target_.what);
        }
        reported = true;
        break;
      }
      const std::string_view element = rest.substr(0, e);
      first = false;
      expect_separator = true;
      p += e;
      if (element[0] == '{' || element[0] == '[') {
        simdjson::dom::element parsed;
        const simdjson::error_code err =
            ctx_.shared().validator.parse(element.data(), element.size(), false).get(parsed);
        if (err) {
          ctx_.Problem(ProblemKind::kMalformedJson, win_.At(element.data()),
                       "element " + std::to_string(index_) + " of " + target_.what + ": " +
                           simdjson::error_message(err));
          ++index_;
          reported = true;
          continue;
        }
      }
      if (!handler_(element, index_++) || ctx_.stopped()) return;
    }
    if (!reported) {
      // The array itself is sound: the damage is in what surrounds it.
      ctx_.Problem(ProblemKind::kMalformedJson, win_.At(p < end ? p : end),
                   std::string(simdjson::error_message(why)) + " (around " + target_.what + ")");
    }
  }

  const char* FindArrayStart() {
    if (target_.key.empty()) return v_.empty() ? nullptr : v_.data();
    if (target_.key == "Records" && StartsWith(v_, kRecordsPrefix)) return v_.data() + kRecordsPrefix.size() - 1;
    const ObjectKeys k = ScanObjectKeys(v_);
    std::string_view found;
    if (target_.key == "Records") found = k.records;
    else if (target_.key == "events") found = k.events;
    else if (target_.key == "Events") found = k.lookup_events;
    else if (target_.key == "logEvents") found = k.log_events;
    return found.empty() ? nullptr : found.data();
  }

  FileContext& ctx_;
  std::string_view v_;
  Window& win_;
  Cut cut_;
  const ArrayTarget& target_;
  Handler& handler_;
  const char* array_start_;
  const char* last_end_ = nullptr;
  uint32_t index_ = 0;
  bool in_array_ = false;
  bool array_done_ = false;
};

template <class Handler>
size_t ExpandArray(FileContext& ctx, std::string_view v, Window& win, Cut cut, const ArrayTarget& target,
                   Handler& handler) {
  ArrayExpander<Handler> expander(ctx, v, win, cut, target, handler);
  return expander.Run();
}

// --- element handlers ------------------------------------------------------------------------------------

struct RecordsElement {
  FileContext& ctx;
  Window& win;
  bool operator()(std::string_view e, uint32_t index) {
    if (e[0] != '{') {
      ctx.Problem(ProblemKind::kMalformedRecord, win.At(e.data()),
                  "Records[" + std::to_string(index) + "] is not an object: " + Snippet(e));
      return !ctx.stopped();
    }
    return EmitJsonRecord(ctx, e, win, RecordShape::kCloudTrailRecord, InputFormat::kCloudTrailFile, index);
  }
};

struct ArrayElement {
  FileContext& ctx;
  Window& win;
  bool operator()(std::string_view e, uint32_t index) {
    if (e[0] != '{') {
      ctx.Problem(ProblemKind::kMalformedRecord, win.At(e.data()),
                  "array element " + std::to_string(index) + " is not an object: " + Snippet(e));
      return !ctx.stopped();
    }
    RecordShape shape = ClassifyJson(e);
    if (shape == RecordShape::kText) shape = RecordShape::kJson;
    return EmitJsonRecord(ctx, e, win, shape, InputFormat::kJsonArray, index);
  }
};

// Fields of one log event of filter-log-events / get-log-events (events[]) or of a subscription
// (logEvents[]); parsed with the inner parser, whose strings stay valid until the record is delivered.
struct LogEventElement {
  FileContext& ctx;
  Window& win;
  InputFormat format;
  const char* what;
  std::string_view log_group;
  std::string_view log_stream;

  bool operator()(std::string_view e, uint32_t index) {
    const Position at = win.At(e.data());
    auto where = [&] { return std::string(what) + "[" + std::to_string(index) + "]"; };
    if (e[0] != '{') {
      ctx.Problem(ProblemKind::kMalformedRecord, at, where() + " is not an object: " + Snippet(e));
      return !ctx.stopped();
    }
    od::document doc;
    od::object obj;
    simdjson::error_code err = ctx.shared().inner.iterate(Padded(e, win)).get(doc);
    if (!err) err = doc.get_object().get(obj);
    std::string_view message, stream = log_stream;
    bool has_message = false;
    int64_t timestamp = -1;
    if (!err) {
      for (auto field_result : obj) {
        od::field field;
        if ((err = std::move(field_result).get(field))) break;
        const od::raw_json_string key = field.key();
        if (key == "message") {
          if ((err = field.value().get_string().get(message))) {
            if (err != simdjson::INCORRECT_TYPE) break;
            err = simdjson::SUCCESS;
            continue;
          }
          has_message = true;
        } else if (key == "timestamp") {
          int64_t t;
          if (!field.value().get_int64().get(t)) timestamp = t;
        } else if (key == "logStreamName") {
          std::string_view s;
          if (!field.value().get_string().get(s)) stream = s;
        }
      }
    }
    if (err) {
      ctx.Problem(ProblemKind::kMalformedJson, at, where() + ": " + simdjson::error_message(err));
      return !ctx.stopped();
    }
    if (!has_message) {
      ctx.Problem(ProblemKind::kMalformedRecord, at, where() + " has no \"message\" string");
      return !ctx.stopped();
    }
    InputRecord r;
    r.message = message;
    r.shape = ClassifyJson(message);
    r.format = format;
    r.timestamp_ms = timestamp;
    r.log_group = log_group;
    r.log_stream = stream;
    r.line = at.line;
    r.offset = at.offset;
    r.index = index;
    return ctx.Emit(r);
  }
};

struct LookupElement {
  FileContext& ctx;
  Window& win;
  bool operator()(std::string_view e, uint32_t index) {
    const Position at = win.At(e.data());
    if (e[0] != '{') {
      ctx.Problem(ProblemKind::kMalformedRecord, at,
                  "Events[" + std::to_string(index) + "] is not an object: " + Snippet(e));
      return !ctx.stopped();
    }
    od::document doc;
    od::object obj;
    simdjson::error_code err = ctx.shared().inner.iterate(Padded(e, win)).get(doc);
    if (!err) err = doc.get_object().get(obj);
    std::string_view record;
    bool found = false;
    if (!err) {
      for (auto field_result : obj) {
        od::field field;
        if ((err = std::move(field_result).get(field))) break;
        if (field.key() == "CloudTrailEvent") {
          found = !field.value().get_string().get(record);
        }
      }
    }
    if (err) {
      ctx.Problem(ProblemKind::kMalformedJson, at, "Events[" + std::to_string(index) + "]: " + simdjson::error_message(err));
      return !ctx.stopped();
    }
    const std::string_view trimmed = TrimJsonSpace(record);
    if (!found || trimmed.empty() || trimmed[0] != '{') {
      ctx.Problem(ProblemKind::kMalformedRecord, at,
                  "Events[" + std::to_string(index) + "] has no \"CloudTrailEvent\" record string");
      return !ctx.stopped();
    }
    InputRecord r;
    r.message = CompactJson(trimmed, ctx.shared().compact);
    r.shape = RecordShape::kCloudTrailRecord;
    r.format = InputFormat::kLookupEvents;
    r.line = at.line;
    r.offset = at.offset;
    r.index = index;
    return ctx.Emit(r);
  }
};

// --- one value -------------------------------------------------------------------------------------------

void HandleSubscription(FileContext& ctx, std::string_view v, Window& win, Cut cut, const ObjectKeys& k) {
  if (k.message_type == "\"CONTROL_MESSAGE\"") {
    ctx.SkipRecord();
    return;
  }
  std::string group, stream;
  if (!k.log_group.empty() && !UnescapeJsonString(k.log_group, group)) group.clear();
  if (!k.log_stream.empty() && !UnescapeJsonString(k.log_stream, stream)) stream.clear();
  LogEventElement handler{ctx, win, InputFormat::kSubscription, "logEvents", group, stream};
  const ArrayTarget target{"logEvents", k.log_events.data(), "logEvents"};
  ExpandArray(ctx, v, win, cut, target, handler);
}

void HandleAwslogs(FileContext& ctx, std::string_view v, Window& win, const ObjectKeys& k, int depth) {
  const Position at = win.At(v.data());
  od::document doc;
  od::object obj;
  std::string_view data;
  simdjson::error_code err = ctx.shared().inner.iterate(Padded(k.awslogs, win)).get(doc);
  if (!err) err = doc.get_object().get(obj);
  if (!err) err = obj["data"].get_string().get(data);
  if (err) {
    ctx.Problem(ProblemKind::kMalformedRecord, at,
                std::string("awslogs event without a \"data\" string: ") + simdjson::error_message(err));
    return;
  }
  if (!HandleEncodedPayload(ctx, data, at, depth)) {
    ctx.Problem(ProblemKind::kMalformedRecord, at, "awslogs.data is not base64");
  }
}

// Handles exactly one value `v` (cut as `cut` says); returns nothing, reports everything.
void HandleValue(FileContext& ctx, std::string_view v, Window& win, Cut cut, InputFormat single_format, int depth) {
  if (!ctx.options().expand_containers) {
    if (cut != Cut::kNo) {
      if (!Silent(ctx, cut)) ctx.Problem(ProblemKind::kMalformedJson, win.At(v.data()), "unterminated JSON value");
      return;
    }
    RecordShape shape = v[0] == '{' ? ClassifyJson(v) : RecordShape::kJson;
    if (shape == RecordShape::kText) shape = RecordShape::kJson;
    const Position at = win.At(v.data());
    InputRecord r;
    r.message = single_format == InputFormat::kNdjson ? v : CompactJson(v, ctx.shared().compact);
    r.shape = shape;
    r.format = single_format;
    r.line = at.line;
    r.offset = at.offset;
    ctx.Emit(r);
    return;
  }
  if (v[0] == '[') {
    ArrayElement handler{ctx, win};
    const ArrayTarget target{{}, v.data(), "the array"};
    ExpandArray(ctx, v, win, cut, target, handler);
    return;
  }
  const ObjectKeys k = ScanObjectKeys(v);
  const bool record_keys = k.event_version || k.detail_type;
  if (!k.records.empty()) {
    RecordsElement handler{ctx, win};
    const ArrayTarget target{"Records", k.records.data(), "Records"};
    ExpandArray(ctx, v, win, cut, target, handler);
  } else if (!k.log_events.empty() && !k.message_type.empty()) {
    HandleSubscription(ctx, v, win, cut, k);
  } else if (!k.events.empty() && k.events[0] == '[' && k.other == 0 && !record_keys) {
    LogEventElement handler{ctx, win, InputFormat::kFilterLogEvents, "events", {}, {}};
    const ArrayTarget target{"events", k.events.data(), "events"};
    ExpandArray(ctx, v, win, cut, target, handler);
  } else if (!k.lookup_events.empty() && k.lookup_events[0] == '[' && k.other == 0 && !record_keys) {
    LookupElement handler{ctx, win};
    const ArrayTarget target{"Events", k.lookup_events.data(), "Events"};
    ExpandArray(ctx, v, win, cut, target, handler);
  } else if (!k.awslogs.empty() && k.members == 1 && k.ok) {
    HandleAwslogs(ctx, v, win, k, depth);
  } else if (k.digest && !record_keys && k.ok) {
    ctx.Problem(ProblemKind::kSkippedFile, win.At(v.data()), "CloudTrail digest file (integrity hashes, no events)");
  } else if (cut != Cut::kNo || !k.ok) {
    if (!Silent(ctx, cut)) {
      const char* at = v.data() + (k.ok ? v.size() : k.error_at);
      ctx.Problem(ProblemKind::kMalformedJson, win.At(at),
                  cut != Cut::kNo ? "unterminated JSON value" : "invalid JSON object near " +
                                                                   Snippet(v.substr(k.error_at)));
    }
  } else {
    const RecordShape shape = ShapeFromKeys(k);
    // An application's own JSON line is its log message as is; records and documents become compact.
    const bool compact = single_format != InputFormat::kNdjson || shape != RecordShape::kJson;
    const Position at = win.At(v.data());
    InputRecord r;
    r.message = compact ? CompactJson(v, ctx.shared().compact) : v;
    r.shape = shape;
    r.format = single_format;
    r.line = at.line;
    r.offset = at.offset;
    ctx.Emit(r);
  }
}

}  // namespace

void HandleJsonValue(FileContext& ctx, std::string_view value, Window& win, Cut cut, InputFormat single_format,
                     int depth) {
  if (!value.empty()) HandleValue(ctx, value, win, cut, single_format, depth);
}

bool EmitJsonRecord(FileContext& ctx, std::string_view raw, Window& win, RecordShape shape, InputFormat format,
                    uint32_t index) {
  const Position at = win.At(raw.data());
  InputRecord r;
  r.message = CompactJson(raw, ctx.shared().compact);
  r.shape = shape;
  r.format = format;
  r.line = at.line;
  r.offset = at.offset;
  r.index = index;
  return ctx.Emit(r);
}

void HandleJsonUnit(FileContext& ctx, std::string_view unit, Window& win, Cut cut, InputFormat single_format,
                    int depth) {
  size_t p = 0;
  bool first = true;
  while (!ctx.stopped()) {
    while (p < unit.size() && IsJsonSpace(unit[p])) ++p;
    if (p >= unit.size()) return;
    const std::string_view rest = unit.substr(p);
    if (rest[0] != '{' && rest[0] != '[') {
      ctx.Problem(ProblemKind::kMalformedJson, win.At(rest.data()), "text outside JSON values: " + Snippet(rest));
      return;
    }
    if (first && ctx.options().expand_containers && StartsWith(rest, kRecordsPrefix)) {
      // The common big case, a CloudTrail file: On-Demand finds the end of the document itself.
      RecordsElement handler{ctx, win};
      const ArrayTarget target{"Records", rest.data() + kRecordsPrefix.size() - 1, "Records"};
      p += ExpandArray(ctx, rest, win, cut, target, handler);
      first = false;
      continue;
    }
    first = false;
    StructureScanner scanner;
    const char* end = scanner.Feed(rest.data(), rest.data() + rest.size());
    if (end == nullptr) {
      HandleValue(ctx, rest, win, cut == Cut::kNo ? Cut::kBroken : cut, single_format, depth);
      return;
    }
    const size_t len = static_cast<size_t>(end - rest.data());
    HandleValue(ctx, rest.substr(0, len), win, Cut::kNo, single_format, depth);
    p += len;
  }
}

bool HandleEncodedPayload(FileContext& ctx, std::string_view base64, Position at, int depth) {
  if (depth >= kMaxPayloadDepth) {
    ctx.Problem(ProblemKind::kMalformedRecord, at, "payload nested too deeply");
    return true;
  }
  Shared& sh = ctx.shared();
  if (!Base64Decode(base64, sh.text)) return false;
  PaddedBuffer& buffer = sh.Nested(static_cast<size_t>(depth));
  Cut cut = Cut::kNo;
  if (IsGzip(sh.text)) {
    // Bounded by the payload limit, not the file's: a payload is a small thing inside the input.
    const GunzipResult r = sh.gunzip.Decompress(sh.text, buffer, ctx.options().max_payload_bytes);
    if (!r.complete) {
      ctx.Problem(ProblemKind::kTruncatedGzip, at,
                  "payload: " + r.message + " at compressed byte " + std::to_string(r.stopped_at) + " of the payload");
      cut = Cut::kEndOfInput;
    }
  } else {
    buffer.Clear();
    buffer.Trim();
    if (!buffer.Append(sh.text.data(), sh.text.size())) {
      ctx.Problem(ProblemKind::kMalformedRecord, at, "out of memory decoding a payload");
      return true;
    }
  }
  if (buffer.size() == 0) {
    // (Nothing to read, and an empty buffer may have no storage at all.)
    if (cut == Cut::kNo) ctx.Problem(ProblemKind::kMalformedRecord, at, "the payload is empty");
    return true;
  }
  Window win = Window::Pinned(buffer.data(), buffer.data() + buffer.size() + kPadding, at);
  const bool saved = ctx.truncated_input;
  ctx.truncated_input = cut == Cut::kEndOfInput;
  HandleJsonUnit(ctx, buffer.view(), win, cut, InputFormat::kJsonDocument, depth + 1);
  ctx.truncated_input = saved;
  return true;
}

}  // namespace trailwatch::engine::input
