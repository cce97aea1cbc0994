// expected.h: the benchmark filters and rules, and the generator's own answer for each record.
//
// Contract: the expected counts are computed *by construction*: the generator records, for each record it
// writes, the fields it chose (RecordFacts), and plain C++ predicates written from the CIS controls, the story
// (samples/console-login) and the rules below decide which filters and rules match. Nothing here calls trailwatch's
// pattern compilers or evaluators, so a test comparing trailwatch's counts with these checks trailwatch.
//
// The 16 filters: CloudWatch.1..14 (tests/data/cis.json; a pattern's eventName list is read as written,
// e.g. CloudWatch.4 does not look at eventSource) and the story's two seed filters
// (samples/console-login/filters.txt), in the order of bench/setup16.json. On a raw record the CIS filters
// and the raw halves of the seed filters apply; on the EventBridge event of a record, only the `$.detail`
// halves of the seed filters can match (every CIS selector is missing there, and a missing selector makes a
// comparison false, != included).
//
// The 16 rules (bench/rules16.json, RulesJson()): EventBridge event patterns over the wrapped record
// (source "aws." + the eventSource's first label, detail-type from eventType), matched whatever the rule
// state (as `trailwatch grep --event-pattern` and the EventMatcher count them).
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace trailwatch::corpus {

inline constexpr int kFilterCount = 16;
inline constexpr int kRuleCount = 16;

// What the generator chose for one record, as far as the filters and rules look. Empty optional-like
// fields are "absent" unless their has_ flag says otherwise.
struct RecordFacts {
  std::string_view event_name, event_source, event_type;
  std::string_view identity_type;  // "" when userIdentity has no type
  bool has_invoked_by = false;     // userIdentity.invokedBy present
  std::string_view user_name;      // userIdentity.userName ("" when absent)
  bool has_error_code = false;
  std::string_view error_code;
  bool has_error_message = false;
  std::string_view error_message;
  std::string_view console_login;  // responseElements.ConsoleLogin ("" when absent)
  bool has_mfa_used = false;       // additionalEventData.MFAUsed present
  std::string_view mfa_used;
  std::string_view source_ip;
  int read_only = -1;              // -1 absent, 0 false, 1 true
};

const char* FilterId(int i);  // "CloudWatch.1" ... "CloudWatch.14", "ConsoleLoginSuccess", "ConsoleLoginFailure"
const char* RuleId(int i);
// The rules as a JSON array of {"id": ..., "pattern": {...}} (the content of bench/rules16.json).
std::string RulesJson();

bool FilterMatchesRecord(int filter, const RecordFacts& f);   // the raw record as a log message
bool FilterMatchesWrapped(int filter, const RecordFacts& f);  // its EventBridge event as a log message
bool RuleMatches(int rule, const RecordFacts& f);

// The EventBridge envelope's derived fields.
std::string_view DetailTypeOf(std::string_view event_type);
std::string_view SourceLabelOf(std::string_view event_source);  // "signin" for signin.amazonaws.com

struct ExpectedCounts {
  uint64_t records = 0;
  std::array<uint64_t, kFilterCount> filter_records{};   // per filter, over raw records (NDJSON, S3 layout)
  std::array<uint64_t, kFilterCount> filter_wrapped{};   // per filter, over the EventBridge events
  std::array<uint64_t, kRuleCount> rules{};              // per rule, over the EventBridge events
  // For the summary: the sign-in events by kind.
  uint64_t console_success = 0, console_failure = 0, console_unknown_user = 0, console_root = 0, check_mfa = 0;

  void Add(const RecordFacts& f);
};

}  // namespace trailwatch::corpus
