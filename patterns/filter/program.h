// program.h: the immutable compiled form of one filter pattern, shared by every thread.
//
// Contract: built only by CompileFilterPattern() (compile.h). It holds no per-event state: evaluators keep
// their scratch elsewhere (engine/filter/filter_set.h). JSON patterns are lowered to atoms (one test of one
// selector) and a postfix boolean program over the atoms, so that many patterns can share one walk of a
// parsed event: the engine merges the selectors of every pattern into one trie and evaluates every atom at
// most once per event. DumpProgram() prints the program for tests and `trailwatch debug dump-program`.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "patterns/common/diagnostic.h"
#include "patterns/filter/ast.h"

namespace re2 {
class RE2;
}

namespace trailwatch::filter {

// A value test, shared by JSON atoms and space-delimited conditions.
struct Matcher {
  CompareOp op = CompareOp::kEq;
  ValueKind kind = ValueKind::kString;
  Glob glob;                            // kString
  double number = 0;                    // kNumber
  std::string text;                     // kNumber: the literal as written; kRegex: the CloudWatch source
  std::shared_ptr<const re2::RE2> re;   // kRegex
};

struct JsonAtom {
  uint32_t selector = 0;  // index into CompiledPattern::selectors
  JsonTest test = JsonTest::kCompare;
  Matcher matcher;        // kCompare
};

// Postfix boolean program: kAtom pushes atoms' truth value; kAnd/kOr pop `arity` values and push one.
struct ExprOp {
  enum class Kind : uint8_t { kAtom, kAnd, kOr } kind = Kind::kAtom;
  uint32_t arg = 0;  // kAtom: atom index; kAnd/kOr: arity
};

struct CompiledField {
  DelimitedField::Kind kind = DelimitedField::Kind::kNamed;
  std::string name;                                  // kNamed
  std::vector<std::vector<Matcher>> any_of;          // OR of ANDs; empty: no condition
};

struct CompiledPattern {
  std::string text;
  PatternKind kind = PatternKind::kMatchAll;
  std::vector<Diagnostic> warnings;  // accepted by AWS but probably not what was meant

  // kTerms: every `required` occurs, no `excluded` occurs, and (when non-empty) one of `any_of` occurs.
  std::vector<std::string> required;
  std::vector<std::string> excluded;
  std::vector<std::string> any_of;

  // kRegex
  std::shared_ptr<const re2::RE2> regex;
  std::string regex_source;

  // kJson
  std::vector<Selector> selectors;  // distinct, in order of first use
  std::vector<JsonAtom> atoms;
  std::vector<ExprOp> program;      // postfix
  uint32_t max_stack = 0;

  // kDelimited
  std::vector<CompiledField> fields;  // as written; empty for [] (every field extracted)
  int ellipsis = -1;                  // index of the ... field, -1 if none
  int fixed_fields = 0;               // fields other than the ellipsis

  int regex_count = 0;
  bool HasRegex() const { return regex_count > 0; }
};

std::string DumpProgram(const CompiledPattern& p);

}  // namespace trailwatch::filter
