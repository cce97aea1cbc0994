// leaf.h: one leaf value of an event (string, number, true, false, null) and the value tests on it.
//
// Contract: LeafMatches() is the fast matcher's test of one pattern element against one leaf, for the
// elements it does not look up in hash maps (compile.h): prefix/suffix, case-folded forms, wildcards,
// anything-but, numeric ranges, CIDR, exists. A LeafContext carries what several tests of the same leaf
// share: its case-folded text when the caller has computed it (else empty and unused), and its IP address,
// parsed by the first test that needs it. No allocation except through `folded` by the caller. The reference
// interpreter (reference.h) has its own, deliberately independent, tests.
#pragma once

#include <cstdint>
#include <string_view>

#include "patterns/event/ast.h"
#include "patterns/event/values.h"

namespace trailwatch::engine {

enum class LeafType : uint8_t { kString, kNumber, kTrue, kFalse, kNull };

struct Leaf {
  LeafType type = LeafType::kNull;
  bool exact = false;      // numbers: spelling exactly representable, `number` valid
  std::string_view text;   // decoded string, or number spelling
  double number = 0;
  uint32_t path = 0;       // RuleSetPath id
  uint32_t mem_begin = 0;  // array membership: (array id, index) pairs, outermost first
  uint32_t mem_count = 0;
  int32_t next_in_path = -1;
};

struct LeafContext {
  std::string_view folded;
  int8_t ip_state = -1;  // -1: not parsed yet; 0: not an address; 1: `ip` holds it
  event::IpAddress ip;
};

bool LeafMatches(const event::Matcher& m, const Leaf& leaf, LeafContext& context);

}  // namespace trailwatch::engine
