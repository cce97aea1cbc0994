// dump.h: one-line text dumps of a FilterAst, for table-driven parser tests and `trailwatch debug dump-ast`.
//
// Format (stable; tests compare against it):
//   all{}                                   match-all
//   terms{+"ERROR" ?"WARN" -"Exiting"}      required, optional, excluded; "(ignored)" after ignored ?terms
//   regex{%AUTHORIZED%}
//   json{or{and{cmp{$.a = str"x"} cmp{$.b > num"5"}} group{notexists{$.c}}}}
//   delimited{ellipsis{} field{status_code = glob"4*" || status_code = num"410"} empty{}}
#pragma once

#include <string>

#include "patterns/filter/ast.h"

namespace trailwatch::filter {

std::string DumpAst(const FilterAst& ast);
std::string DumpValue(const Value& v);

}  // namespace trailwatch::filter
