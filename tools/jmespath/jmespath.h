// jmespath.h: JMESPath (https://jmespath.org/specification.html), as the AWS CLI's --query evaluates it.
//
// Contract: Compile() parses an expression once into an immutable Expression; Search() evaluates it on a
// JSON document, any number of times, from any thread. The reference is the implementation the AWS CLI
// runs (Python's jmespath 1.0, Debian's python3-jmespath): its grammar (a Pratt parser with its binding
// powers, including what it tolerates, such as `{a: b c: d}` and the legacy `` `foo` `` string literal),
// its runtime rules (projections drop nulls, `[?...]` and `[*]` need arrays, `.*` needs an object, slices
// apply to arrays, ordering comparisons take numbers and strings, `==` is Python's equality but `true` never
// equals `1`), every built-in function of the specification with its signature checks, and its error
// texts: Diagnostic::exception is the Python exception's class name (ParseError, LexerError,
// IncompleteExpressionError, EmptyExpressionError, ArityError, VariadictArityError, UnknownFunctionError,
// JMESPathTypeError, ValueError, TypeError) and Diagnostic::aws_message its text as the AWS CLI prints it,
// Diagnostic::span the column the parser stopped at. As in Python, arity, unknown functions and types are
// errors of Search(), not of Compile(). Where Python itself fails with an error no JMESPath text covers
// (`contains('abc', `1`)`), the specification's answer is given. Numbers keep Python's kinds: integers stay
// integers (sum, abs, ceil, floor), averages are floats. Nothing here does I/O.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "patterns/common/diagnostic.h"

namespace trailwatch::jmespath {

using Json = nlohmann::ordered_json;

struct Node;

class Expression {
 public:
  static Result<Expression> Compile(std::string_view text);

  Result<Json> Search(const Json& document) const;

  const std::string& text() const { return text_; }
  // The syntax tree, one node per line (tests and `trailwatch debug jmespath --ast`).
  std::string Dump() const;

 private:
  std::string text_;
  std::shared_ptr<const Node> root_;
};

// Python's str() and repr() of a JSON value ('a' in a list, None, True, 1.5): what jmespath's type errors and
// botocore's validation errors show; and the name of its Python type ("str", "int", "float", "bool",
// "NoneType", "list", "dict").
std::string PythonStr(const Json& value);
std::string PythonRepr(const Json& value);
std::string PythonTypeName(const Json& value);
// json.dumps(value) as Python writes it: ASCII only; separators (',', ':') or, `spaced`, the default (', ', ': ').
std::string PythonJsonDumps(const Json& value, bool spaced = false);

// Nesting allowed in an expression (Python stops at about this depth with a RecursionError).
inline constexpr int kMaxDepth = 500;

}  // namespace trailwatch::jmespath
