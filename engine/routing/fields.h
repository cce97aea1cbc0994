// fields.h (internal to engine/routing): the JSON selectors a log group's metric filters read, and whether
// any message the log group received had them — the misspelled-field and absent-field findings.
//
// Contract: WatchFieldsOf() lists each distinct selector a metric filter reads (its pattern's selectors, its
// metric value and its dimensions), merged per log group by AddWatchedFields(). A worker asks of each JSON
// message a log group receives, for each watched field not yet seen there:
// - MayHave(): whether the message can have the field at all. False only when the text lacks the quoted
//   key the path stops at (`"eventname"`) and holds no escape that could spell a key (`\u`, `\/`): a field
//   that is there is never ruled out. Only then is the message parsed.
// - WalkField(): whether the parsed message has the field — as filter evaluation reads selectors (the last
//   of duplicate keys wins, `.*` and `[*]` select every member and element) — and, when it does not, how
//   deep the path got and which keys there are near the key it wanted (NearName()).
// Besides the messages MayHave() lets through, a worker walks a sample that depends on the message alone
// (SampledForFields(): the first records of each file and about one message in 32 chosen by its bytes), so
// that a field never seen still gets its nearest existing names. FieldSeen, in the Tally, keeps what was
// learnt (tally.h); its Merge() gives the same state in any split of the input (threads, files, stream or batch).
#pragma once

#include <simdjson.h>

#include <cstdint>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "engine/input/reader.h"
#include "patterns/filter/metric.h"

namespace trailwatch::engine {

struct WatchedField {
  std::string path;                        // canonical: "$.userIdentity.type", "$.resources[*].ARN"
  std::vector<filter::SelectorStep> steps;
  std::vector<std::string> literals;       // per step: `"key"` for key steps JSON writes as themselves, else ""
  std::vector<int32_t> literal_ids;        // per step: its literal's index in the log group's list, -1 if none
  std::vector<size_t> filters;             // the plan's filters that read it, in filter order
  bool only_not_exists = true;             // every reader tests it with NOT EXISTS (absence is expected)
};

// The canonical text of a selector's steps: `.key` for identifier keys, `['key']` otherwise, `[N]`, `.*`,
// `[*]`, after `$`.
std::string FieldPath(const std::vector<filter::SelectorStep>& steps, size_t count);

// The path with step `depth` replaced by key `key`: the first depth + 1 steps, or (with `rest`) all of them.
std::string FieldPathWithKey(const std::vector<filter::SelectorStep>& steps, size_t depth, std::string_view key,
                             bool rest);

// Adds the fields metric filter `filter` (compiled as `mf`) reads to `fields`, merging a path already there.
void AddWatchedFields(const filter::CompiledMetricFilter& mf, size_t filter, std::vector<WatchedField>* fields);

// Numbers the distinct literals of `fields` (WatchedField::literal_ids) and returns them in that order.
std::vector<std::string> IndexLiterals(std::vector<WatchedField>* fields);

// memmem(), faster for the quoted keys of MayHave(): 16 positions at a time test the key's first and last
// characters (SSE2 where the machine has it), then the whole literal.
bool ContainsLiteral(std::string_view hay, std::string_view literal);

// The first byte of the message, past JSON whitespace, opens an object or an array.
bool LooksLikeJsonDocument(std::string_view message);

// The text holds a backslash escape that could spell a key's character (`\u`, `\/`).
bool HasKeyEscapes(std::string_view message);

// False only when the message cannot have `field`: the quoted key of step `step` (a key step) is absent from
// the text, and `escapes` (HasKeyEscapes) is false. A step without a literal can always be there. `memo`
// (one int8_t per literal of the log group, 0 before the message's first question) keeps each literal's
// answer for the message: 1 present, -1 absent.
bool MayHave(std::string_view message, const WatchedField& field, size_t step, bool escapes, int8_t* memo);

// A sample of messages that depends on the message alone: the first 8 records of a file (by line and
// container index) and about one message in 32 chosen by a few of its bytes.
bool SampledForFields(std::string_view message, const InputRecord& r);

// What one walk of one message along a field's path found.
struct FieldWalk {
  bool present = false;         // the whole path selected something (a null value counts)
  uint32_t depth = 0;           // otherwise: the steps of the deepest prefix that selected something
  std::set<std::string> near;   // the keys at that depth near the key the next step wanted
};
void WalkField(const simdjson::dom::element& root, const WatchedField& field, FieldWalk* out);

}  // namespace trailwatch::engine
