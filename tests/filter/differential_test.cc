// differential_test.cc: the compiled evaluator (simdjson, shared trie, postfix programs) against the plain
// reference interpreter (nlohmann::json, recursion over the AST) on generated patterns and events.
// Deterministic: a fixed seed per test; a failure prints the pattern and the event.
#include <gtest/gtest.h>

#include <random>

#include "engine/filter/filter_set.h"
#include "engine/filter/prefilter.h"
#include "patterns/filter/compile.h"
#include "tests/filter/reference_eval.h"

namespace trailwatch::engine {
namespace {

class Gen {
 public:
  explicit Gen(uint32_t seed) : rng_(seed) {}
  int Int(int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng_); }
  template <class T>
  const T& Pick(const std::vector<T>& v) { return v[static_cast<size_t>(Int(static_cast<int>(v.size())))]; }
  bool Chance(int percent) { return Int(100) < percent; }

  // ---- JSON events
  std::string Scalar() {
    static const std::vector<std::string> kScalars = {
        "\"\"", "\"foo\"", "\"Foo\"", "\"foobar\"", "\"barfoo\"", "\"123\"", "\"4.5\"", "\"1e3\"", "\"true\"",
        "\"null\"", "\"a b\"", "\"x\\\"y\"", "\"ConsoleLogin\"", "\"Success\"", "0", "1", "-1", "123", "4.5",
        "1000", "1e3", "-2.5e-1", "true", "false", "null", "\"caf\\u00e9\"", "\"111.111.1.5\""};
    return Pick(kScalars);
  }
  std::string Key() {
    static const std::vector<std::string> kKeys = {"a", "b", "c", "d-e", "x.y", "eventName", "detail"};
    return Pick(kKeys);
  }
  std::string Value(int depth) {
    const int r = Int(10);
    if (depth > 0 && r < 2) return Object(depth - 1);
    if (depth > 0 && r < 4) {
      std::string s = "[";
      const int n = Int(4);
      for (int i = 0; i < n; ++i) s += (i ? "," : "") + Value(depth - 1);
      return s + "]";
    }
    return Scalar();
  }
  std::string Object(int depth) {
    std::string s = "{";
    const int n = Int(5);
    for (int i = 0; i < n; ++i) s += (i ? "," : "") + ("\"" + Key() + "\":") + Value(depth);
    return s + "}";
  }
  std::string Event() {
    const int r = Int(20);
    if (r == 0) return "not json at all";
    if (r == 1) return "{\"a\":";  // truncated
    if (r == 2) return "[" + Value(2) + "]";
    return Object(3);
  }

  // ---- JSON patterns
  std::string Selector() {
    std::string s = "$";
    const int steps = 1 + Int(3);
    bool wildcard = false;
    for (int i = 0; i < steps; ++i) {
      const int r = Int(12);
      if (r < 7) {
        std::string k = Key();
        s += k == "x.y" ? ".['x.y']" : "." + k;
      } else if (r < 9) {
        s += "[" + std::to_string(Int(3)) + "]";
      } else if (r < 10 && !wildcard) {
        s += "[*]";
        wildcard = true;
      } else if (!wildcard) {
        s += ".*";
        wildcard = true;
      } else {
        s += ".a";
      }
    }
    return s;
  }
  std::string Condition() {
    const std::string sel = Selector();
    const int r = Int(20);
    if (r == 0) return sel + " IS NULL";
    if (r == 1) return sel + " IS TRUE";
    if (r == 2) return sel + " IS FALSE";
    if (r == 3) return sel + " NOT EXISTS";
    static const std::vector<std::string> kNumbers = {"0", "1", "-1", "123", "4.5", "1e3", "+1000", "1000.0"};
    static const std::vector<std::string> kStrings = {
        "foo", "\"Foo\"", "*", "\"*\"", "foo*", "*bar", "*oo*", "\"a b\"", "ConsoleLogin", "\"x\\\"y\"", "123",
        "4.5", "Success", "\"\"", "f*o", "\"caf\xC3\xA9\"", "111.111.*"};
    static const std::vector<std::string> kRegexes = {"%foo%", "%^f%", "%o$%", "%[0-9]+%", "%^1{1,3}$%", "%\\d\\.%",
                                                      "%a b|bar%"};
    static const std::vector<std::string> kRelational = {"<", "<=", ">", ">="};
    const int k = Int(10);
    if (k < 3) return sel + " " + Pick(kRelational) + " " + Pick(kNumbers);
    const std::string op = Chance(70) ? "=" : "!=";
    if (k < 5) return sel + " " + op + " " + Pick(kNumbers);
    if (k < 6) return sel + " " + op + " " + Pick(kRegexes);
    return sel + " " + op + " " + Pick(kStrings);
  }
  std::string Expr(int depth) {
    if (depth == 0 || Chance(40)) return Chance(20) ? "(" + Condition() + ")" : Condition();
    std::string s = Expr(depth - 1);
    const int n = 1 + Int(2);
    for (int i = 0; i < n; ++i) s += (Chance(50) ? " && " : " || ") + Expr(depth - 1);
    return Chance(40) ? "(" + s + ")" : s;
  }
  std::string JsonPattern() { return "{ " + Expr(2) + " }"; }

  // ---- text events, terms and space-delimited patterns
  std::string Word() {
    static const std::vector<std::string> kWords = {"ERROR", "WARN", "INFO", "error", "404", "200", "1.5", "abc",
                                                    "a-b", "\"quoted words\"", "[bracket text]", "x", "5", "1e1"};
    return Pick(kWords);
  }
  std::string TextEvent() {
    std::string s;
    const int n = Int(7);
    for (int i = 0; i < n; ++i) s += (i ? (Chance(80) ? " " : Chance(50) ? "  " : "\t") : "") + Word();
    return s;
  }
  std::string TermPattern() {
    static const std::vector<std::string> kTerms = {"ERROR", "WARN", "error", "404", "\"a-b\"", "\"quoted words\"",
                                                    "\" \"", "abc", "x"};
    std::string s;
    const int n = 1 + Int(3);
    for (int i = 0; i < n; ++i) {
      const int m = Int(10);
      s += (i ? " " : "") + std::string(m < 2 ? "?" : m < 4 ? "-" : "") + Pick(kTerms);
    }
    return s;
  }
  std::string DelimitedPattern() {
    std::vector<std::string> fields;
    const int n = Int(5);
    bool ellipsis = false;
    int regexes = 0;
    for (int i = 0; i < n; ++i) {
      const int r = Int(10);
      if (r == 0 && !ellipsis) {
        fields.push_back("...");
        ellipsis = true;
        continue;
      }
      if (r == 1) {
        fields.push_back("");
        continue;
      }
      const std::string name = "f" + std::to_string(i);
      if (Chance(50)) {
        fields.push_back(name);
        continue;
      }
      static const std::vector<std::string> kValues = {"ERROR", "4*", "*o*", "404", "5", "1.5", "\"quoted words\"",
                                                       "*", "a-b"};
      static const std::vector<std::string> kOps = {"=", "!=", "=", ">", "<=", "="};
      auto cond = [&]() {
        const std::string op = Pick(kOps);
        if (op != "=" && op != "!=") return name + op + Pick(std::vector<std::string>{"5", "100", "1e1"});
        if (regexes < 2 && Chance(15)) {
          ++regexes;
          return name + op + Pick(std::vector<std::string>{"%ERR%", "%^[0-9]+$%", "%b\\]%"});
        }
        return name + op + Pick(kValues);
      };
      std::string f = cond();
      if (Chance(25)) f += (Chance(50) ? " && " : " || ") + cond();
      fields.push_back(f);
    }
    std::string s = "[";
    for (size_t i = 0; i < fields.size(); ++i) s += (i ? ", " : "") + fields[i];
    return s + "]";
  }

 private:
  std::mt19937 rng_;
};

void RunDifferentialWith(bool fast_paths, uint32_t seed, int patterns, int events, std::string (Gen::*pattern)(),
                         std::string (Gen::*event)()) {
  Gen g(seed);
  std::vector<std::string> texts;
  std::vector<filter::FilterAst> asts;
  std::vector<std::shared_ptr<const filter::CompiledPattern>> compiled;
  int rejected = 0;
  while (static_cast<int>(texts.size()) < patterns) {
    std::string p = (g.*pattern)();
    auto ast = filter::AnalyzeFilterPattern(p);
    if (!ast.ok()) {
      ++rejected;  // e.g. a 4th wildcard selector: AWS rejects it too
      ASSERT_LT(rejected, patterns * 4) << "generator produces mostly invalid patterns: " << p << " -> "
                                        << ast.error().message;
      continue;
    }
    auto c = filter::CompileFilterAst(ast.value());
    ASSERT_TRUE(c.ok()) << p;
    texts.push_back(p);
    compiled.push_back(c.value());
    asts.push_back(std::move(ast.value()));
  }
  FilterSet set(compiled, fast_paths);  // every pattern shares each event's parse
  bool has_literals = false;  // term and JSON patterns give the prefilter literals to look for
  for (const auto& c : compiled) has_literals |= c->kind == filter::PatternKind::kTerms || c->kind == filter::PatternKind::kJson;
  if (fast_paths && has_literals && LiteralPrefilter::Available()) {
    EXPECT_TRUE(set.prefilter_enabled()) << "the literal prefilter must be exercised";
  }
  FilterScratch scratch;
  int matches = 0;
  for (int e = 0; e < events; ++e) {
    const std::string ev = (g.*event)();
    set.Evaluate(ev, scratch);
    for (size_t i = 0; i < compiled.size(); ++i) {
      const bool fast = set.Matched(i, scratch);
      const bool ref = testing::ReferenceMatch(asts[i], ev);
      matches += fast;
      ASSERT_EQ(fast, ref) << "pattern: " << texts[i] << "\nevent:   " << ev;
    }
  }
  std::printf("seed %u (%s): %d patterns, %d rejected, %d events, %d matches\n", seed,
              fast_paths ? "fast paths" : "plain", patterns, rejected, events, matches);
  // The generators must exercise both outcomes.
  EXPECT_GT(matches, 0);
  EXPECT_LT(matches, patterns * events);
}

// Both evaluation paths (with and without the literal prefilter) against the reference.
void RunDifferential(uint32_t seed, int patterns, int events, std::string (Gen::*pattern)(),
                     std::string (Gen::*event)()) {
  RunDifferentialWith(true, seed, patterns, events, pattern, event);
  RunDifferentialWith(false, seed, patterns, events, pattern, event);
}

TEST(FilterDifferentialTest, JsonPatterns) {
  for (uint32_t seed = 1; seed <= 8; ++seed) {
    SCOPED_TRACE(seed);
    RunDifferential(seed, 60, 400, &Gen::JsonPattern, &Gen::Event);
  }
}

TEST(FilterDifferentialTest, TermPatterns) { RunDifferential(11, 200, 400, &Gen::TermPattern, &Gen::TextEvent); }

TEST(FilterDifferentialTest, DelimitedPatterns) {
  RunDifferential(21, 200, 400, &Gen::DelimitedPattern, &Gen::TextEvent);
}

// The prefilter requires one literal per conjunct, the most selective: the common CloudTrail tokens ANDed
// with rarer literals (Success, IAMUser, service host names) are not scanned for; a message that has the
// rare literal but not the common one is then evaluated, and still does not match.
TEST(LiteralPrefilterTest, ScansTheSelectiveLiteralOfEachConjunct) {
  if (!LiteralPrefilter::Available()) GTEST_SKIP() << "built without Hyperscan";
  const std::vector<std::string> texts = {
      R"({ ($.eventName = "ConsoleLogin") && ($.responseElements.ConsoleLogin = "Success") })",
      R"({ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") && ($.userIdentity.type = "IAMUser") })",
      R"({ ($.eventSource = kms.amazonaws.com) && (($.eventName = DisableKey) || ($.eventName = ScheduleKeyDeletion)) })",
      R"({ $.userIdentity.type = "Root" })",  // alone in its conjunct: scanned, common or not
  };
  std::vector<std::shared_ptr<const filter::CompiledPattern>> compiled;
  for (const std::string& t : texts) {
    auto c = filter::CompileFilterPattern(t);
    ASSERT_TRUE(c.ok()) << t;
    compiled.push_back(c.value());
  }
  const LiteralPrefilter prefilter(compiled);
  ASSERT_TRUE(prefilter.enabled());
  const std::string dump = prefilter.Dump();
  const std::string scanned = dump.substr(dump.find("scanned:"), dump.find('\n', dump.find("scanned:")) - dump.find("scanned:"));
  EXPECT_EQ(scanned, R"(scanned: "ConsoleLogin" "DisableKey" "ScheduleKeyDeletion" "Root")") << dump;
  EXPECT_EQ(prefilter.scanned_literal_count(), 4u);

  FilterSet set(compiled, /*fast_paths=*/true);
  FilterScratch scratch;
  const std::string failure = R"({"eventName":"ConsoleLogin","responseElements":{"ConsoleLogin":"Failure"},)"
                              R"("eventSource":"kms.amazonaws.com","userIdentity":{"type":"AssumedRole"}})";
  set.Evaluate(failure, scratch);
  EXPECT_FALSE(set.Matched(0, scratch));
  EXPECT_FALSE(set.Matched(1, scratch));
  EXPECT_FALSE(set.Matched(2, scratch));
  const std::string success = R"({"eventName":"ConsoleLogin","responseElements":{"ConsoleLogin":"Success"},)"
                              R"("userIdentity":{"type":"IAMUser"},"additionalEventData":{"MFAUsed":"No"}})";
  set.Evaluate(success, scratch);
  EXPECT_TRUE(set.Matched(0, scratch));
  EXPECT_TRUE(set.Matched(1, scratch));
  EXPECT_FALSE(set.Matched(2, scratch));
  EXPECT_FALSE(set.Matched(3, scratch));
}

// Issue 9, F1: Debian's Hyperscan literal API missed a short literal in a short buffer when the database
// also held a long literal ending in a run of one character. The exact row, then generated literal sets of
// every shape (runs of one character, long and short literals together, short and long buffers, literals
// that are prefixes or suffixes of each other), each through one shared FilterSet (one database), fast path
// against the reference.
TEST(Issue9Test, F1ShortLiteralBesideLongRun) {
  auto c = filter::CompileFilterPattern("?Error ?RV3MMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMM");
  ASSERT_TRUE(c.ok());
  FilterSet set({c.value()}, /*fast_paths=*/true);
  FilterScratch scratch;
  set.Evaluate("an Error happened", scratch);
  EXPECT_TRUE(set.Matched(0, scratch));
  set.Evaluate("RV3MMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMM", scratch);
  EXPECT_TRUE(set.Matched(0, scratch));
  set.Evaluate("an error happened", scratch);
  EXPECT_FALSE(set.Matched(0, scratch));
}

TEST(Issue9Test, F1LiteralShapes) {
  std::mt19937 rng(9001);
  auto pick = [&](int n) { return static_cast<int>(rng() % static_cast<unsigned>(n)); };
  const std::string alphabet = "abMRV3E-_.";
  auto literal = [&]() {
    std::string l;
    const int shape = pick(4);
    const int len = 1 + pick(shape == 0 ? 4 : 24);
    for (int k = 0; k < len; ++k) l += alphabet[static_cast<size_t>(pick(static_cast<int>(alphabet.size())))];
    if (shape == 1) l += std::string(static_cast<size_t>(pick(40)), alphabet[static_cast<size_t>(pick(4))]);
    if (shape == 2) l = std::string(static_cast<size_t>(1 + pick(30)), alphabet[static_cast<size_t>(pick(4))]);
    return l;
  };
  int checked = 0, matched = 0;
  for (int round = 0; round < 300; ++round) {
    SCOPED_TRACE(round);
    std::vector<std::string> terms;
    const int nterms = 1 + pick(12);
    for (int i = 0; i < nterms; ++i) {
      std::string t = literal();
      if (!terms.empty() && pick(4) == 0) t = terms.back().substr(0, 1 + static_cast<size_t>(pick(static_cast<int>(terms.back().size()))));
      terms.push_back(t);
    }
    // Patterns over those terms: ?any, required, excluded, mixed; quoted so any character is a term.
    std::vector<std::string> texts;
    std::vector<filter::FilterAst> asts;
    std::vector<std::shared_ptr<const filter::CompiledPattern>> compiled;
    const int npatterns = 1 + pick(6);
    for (int p = 0; p < npatterns; ++p) {
      std::string text;
      const int kind = pick(3);
      const int n = 1 + pick(4);
      for (int i = 0; i < n; ++i) {
        const std::string& t = terms[static_cast<size_t>(pick(nterms))];
        const std::string prefix = kind == 0 ? "?" : (kind == 2 && i > 0 && pick(2)) ? "-" : "";
        text += (i ? " " : "") + prefix + "\"" + t + "\"";
      }
      auto ast = filter::AnalyzeFilterPattern(text);
      ASSERT_TRUE(ast.ok()) << text;
      auto cp = filter::CompileFilterAst(ast.value());
      ASSERT_TRUE(cp.ok()) << text;
      texts.push_back(text);
      compiled.push_back(cp.value());
      asts.push_back(std::move(ast.value()));
    }
    FilterSet set(compiled, /*fast_paths=*/true);
    if (LiteralPrefilter::Available()) {
      ASSERT_TRUE(set.prefilter_enabled());
    }
    FilterScratch scratch;
    for (int m = 0; m < 40; ++m) {
      std::string msg;
      const int len = pick(4) == 0 ? pick(2000) : pick(24);
      for (int k = 0; k < len; ++k) msg += alphabet[static_cast<size_t>(pick(static_cast<int>(alphabet.size())))];
      const int inserts = pick(3);
      for (int k = 0; k < inserts; ++k) {
        msg.insert(static_cast<size_t>(pick(static_cast<int>(msg.size()) + 1)), terms[static_cast<size_t>(pick(nterms))]);
      }
      set.Evaluate(msg, scratch);
      for (size_t i = 0; i < compiled.size(); ++i) {
        const bool ref = testing::ReferenceMatch(asts[i], msg);
        ASSERT_EQ(set.Matched(i, scratch), ref) << "pattern: " << texts[i] << "\nmessage: " << msg;
        ++checked;
        matched += ref;
      }
    }
  }
  EXPECT_GT(matched, checked / 10);
  EXPECT_LT(matched, checked - checked / 10);
}

// Issue 9, F12: an empty message (whose data() may be null) is evaluated without touching its bytes.
TEST(Issue9Test, F12EmptyMessage) {
  std::vector<std::shared_ptr<const filter::CompiledPattern>> compiled;
  for (const char* t : {"ERROR", "?a ?b", "{ $.x = \"foo\" }", "-x", "", "[a, b]", "%x%"}) {
    auto c = filter::CompileFilterPattern(t);
    ASSERT_TRUE(c.ok()) << t;
    compiled.push_back(c.value());
  }
  for (bool fast : {true, false}) {
    FilterSet set(compiled, fast);
    FilterScratch scratch;
    set.Evaluate(std::string_view{}, scratch);
    EXPECT_FALSE(set.Matched(0, scratch));
    EXPECT_FALSE(set.Matched(1, scratch));
    EXPECT_FALSE(set.Matched(2, scratch));
    EXPECT_TRUE(set.Matched(3, scratch));
    EXPECT_TRUE(set.Matched(4, scratch));
  }
}

// Found by fuzz_filter: a number token that is not JSON ("1e99999+3") was quoted as if it were an
// unrepresentable number, which made a message that is not JSON parse as JSON.
TEST(Issue9Test, FuzzNumberTokenThatIsNotJson) {
  auto c = filter::CompileFilterPattern("{ $.x != 1 }");
  ASSERT_TRUE(c.ok());
  FilterSet set({c.value()}, /*fast_paths=*/false);
  FilterScratch scratch;
  for (const char* m : {"{\"x\":10999999999999999+90097.4}", "{\"x\":1e99999+3}", "{\"x\":01e999}", "{\"x\":1.e999}"}) {
    set.Evaluate(m, scratch);
    EXPECT_FALSE(set.Matched(0, scratch)) << m;
    EXPECT_TRUE(scratch.json_unparsed()) << m;
  }
  set.Evaluate("{\"x\":1e99999}", scratch);  // a real number out of range: compared by its text
  EXPECT_TRUE(set.Matched(0, scratch));
}

}  // namespace
}  // namespace trailwatch::engine
