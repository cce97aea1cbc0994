// dump.h: prints a parsed event pattern in a compact, stable, one-line-per-sub-rule form for tests and
// `trailwatch debug`. Example: {"detail":{"n":[{"numeric":[">",0,"<=",5]}]}} dumps as
//   rule{detail.n: [numeric(0,5]]}
// Entry point: DumpPattern(). Pure.
#pragma once

#include <string>

#include "patterns/event/ast.h"

namespace trailwatch::event {

std::string DumpMatcher(const Matcher& m);
std::string DumpPattern(const EventPattern& p);

}  // namespace trailwatch::event
