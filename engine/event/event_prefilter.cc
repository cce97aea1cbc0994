// event_prefilter.cc: necessary literal conditions of event sub-rules and the Hyperscan scan. See
// event_prefilter.h.
#include "engine/event/event_prefilter.h"

#include <algorithm>
#include <map>

#ifdef TRAILWATCH_HAVE_HYPERSCAN
#include <hs/hs.h>
#endif

namespace trailwatch::engine {

namespace {

using event::MatchKind;

// Text JSON can spell only as itself (apart from \u escapes, which disable the prefilter per event).
bool Usable(std::string_view s) {
  for (char c : s) {
    const unsigned char u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\' || c == '/' || u < 0x20) return false;
  }
  return true;
}

std::string Quoted(bool before, const std::string& text, bool after) {
  if (text.size() >= 6) return text;
  return (before ? "\"" : "") + text + (after ? "\"" : "");
}

// The literal every string this matcher accepts shows in the raw event, or "" when there is none.
std::string ValueLiteral(const event::Matcher& m) {
  switch (m.kind) {
    case MatchKind::kExactString:
      if (Usable(m.strings[0])) return Quoted(true, m.strings[0], true);
      return "";
    case MatchKind::kPrefix:
      if (!m.strings[0].empty() && Usable(m.strings[0])) return Quoted(true, m.strings[0], false);
      return "";
    case MatchKind::kSuffix:
      if (!m.strings[0].empty() && Usable(m.strings[0])) return Quoted(false, m.strings[0], true);
      return "";
    case MatchKind::kWildcard: {
      const std::vector<std::string>& pieces = m.wildcards[0].pieces;
      if (pieces.empty()) return "";
      if (pieces.size() == 1) return Usable(pieces[0]) ? Quoted(true, pieces[0], true) : "";
      std::string best;
      for (size_t i = 0; i < pieces.size(); ++i) {
        if (pieces[i].empty() || !Usable(pieces[i])) continue;
        std::string lit = Quoted(i == 0, pieces[i], i + 1 == pieces.size());
        if (lit.size() > best.size()) best = std::move(lit);
      }
      return best;
    }
    default:
      return "";  // numbers, addresses, case-folded forms, anything-but, numeric, cidr, exists, literals
  }
}

// The key literal of a path: its last segment and the key's closing quote, or "" when unusable.
std::string KeyLiteral(const std::string& path) {
  const size_t dot = path.rfind('.');
  const std::string seg = dot == std::string::npos ? path : path.substr(dot + 1);
  if (seg.empty() || !Usable(seg)) return "";
  return Quoted(false, seg, true);
}

}  // namespace

bool EventPrefilter::Available() {
#ifdef TRAILWATCH_HAVE_HYPERSCAN
  static const bool valid = hs_valid_platform() == HS_SUCCESS;
  return valid;
#else
  return false;
#endif
}

EventPrefilter::EventPrefilter(const event::CompiledRuleSet& set) {
  std::map<std::string, uint32_t> ids;
  auto literal_id = [&](const std::string& lit) {
    auto [it, added] = ids.emplace(lit, static_cast<uint32_t>(literals_.size()));
    if (added) literals_.push_back(lit);
    return it->second;
  };
  std::vector<std::vector<uint32_t>> by_literal;  // literal -> clauses
  rule_clauses_.assign(set.rules_.size(), 0);
  for (uint32_t r = 0; r < set.rules_.size(); ++r) {
    for (const event::RuleSetField& f : set.rules_[r].fields) {
      if (f.absent_ok || f.atoms.empty()) continue;
      std::vector<uint32_t> lits;
      bool all = true;
      for (uint32_t a : f.atoms) {
        const std::string lit = ValueLiteral(*set.atoms_[a].matcher);
        if (lit.empty()) {
          all = false;
          break;
        }
        lits.push_back(literal_id(lit));
      }
      if (!all) {
        const std::string key = KeyLiteral(set.paths_[f.path].path);
        if (key.empty()) continue;
        lits.assign(1, literal_id(key));
      }
      std::sort(lits.begin(), lits.end());
      lits.erase(std::unique(lits.begin(), lits.end()), lits.end());
      const uint32_t clause = static_cast<uint32_t>(clause_rule_.size());
      clause_rule_.push_back(r);
      clause_literals_.push_back(lits);
      ++rule_clauses_[r];
      if (by_literal.size() < literals_.size()) by_literal.resize(literals_.size());
      for (uint32_t l : lits) by_literal[l].push_back(clause);
    }
    if (rule_clauses_[r] == 0) unconditional_.push_back(r);
  }
  by_literal.resize(literals_.size());
  for (const auto& clauses : by_literal) {
    literal_begin_.push_back(static_cast<uint32_t>(literal_clauses_.size()));
    literal_clauses_.insert(literal_clauses_.end(), clauses.begin(), clauses.end());
  }
  literal_begin_.push_back(static_cast<uint32_t>(literal_clauses_.size()));
#ifdef TRAILWATCH_HAVE_HYPERSCAN
  if (!literals_.empty() && Available()) {
    // The literals, then "\u" (id literals_.size()): an event holding it is not prefiltered.
    std::vector<const char*> exprs;
    std::vector<size_t> lens;
    std::vector<unsigned> flags, hs_ids;
    static const char kEscape[] = "\\u";
    for (size_t i = 0; i <= literals_.size(); ++i) {
      exprs.push_back(i < literals_.size() ? literals_[i].data() : kEscape);
      lens.push_back(i < literals_.size() ? literals_[i].size() : 2);
      flags.push_back(HS_FLAG_SINGLEMATCH);
      hs_ids.push_back(static_cast<unsigned>(i));
    }
    hs_database_t* db = nullptr;
    hs_compile_error_t* err = nullptr;
    if (hs_compile_lit_multi(exprs.data(), flags.data(), hs_ids.data(), lens.data(),
                             static_cast<unsigned>(exprs.size()), HS_MODE_BLOCK, nullptr, &db,
                             &err) == HS_SUCCESS) {
      db_ = db;
    } else if (err != nullptr) {
      hs_free_compile_error(err);
    }
  }
#endif
}

EventPrefilter::~EventPrefilter() {
#ifdef TRAILWATCH_HAVE_HYPERSCAN
  if (db_ != nullptr) hs_free_database(static_cast<hs_database_t*>(db_));
#endif
}

EventPrefilterScratch::EventPrefilterScratch() = default;

EventPrefilterScratch::~EventPrefilterScratch() {
#ifdef TRAILWATCH_HAVE_HYPERSCAN
  if (scratch_ != nullptr) hs_free_scratch(static_cast<hs_scratch_t*>(scratch_));
#endif
}

struct EventPrefilter::Callback {
  const EventPrefilter* f;
  EventPrefilterScratch* s;

  static int OnLiteral(unsigned int id, unsigned long long, unsigned long long, unsigned int, void* ctx) {
    const Callback& c = *static_cast<const Callback*>(ctx);
    const EventPrefilter& f = *c.f;
    EventPrefilterScratch& s = *c.s;
    if (id >= f.literals_.size()) {
      s.escaped_ = true;
      return 1;  // stop: this event is not prefiltered
    }
    for (uint32_t k = f.literal_begin_[id]; k < f.literal_begin_[id + 1]; ++k) {
      const uint32_t clause = f.literal_clauses_[k];
      if (s.clause_stamp_[clause] == s.stamp_) continue;
      s.clause_stamp_[clause] = s.stamp_;
      const uint32_t r = f.clause_rule_[clause];
      if (s.rule_stamp_[r] != s.stamp_) {
        s.rule_stamp_[r] = s.stamp_;
        s.rule_count_[r] = 0;
      }
      if (++s.rule_count_[r] == f.rule_clauses_[r]) s.possible_.push_back(r);
    }
    return 0;
  }
};

bool EventPrefilter::Scan(std::string_view json, EventPrefilterScratch& s) const {
#ifdef TRAILWATCH_HAVE_HYPERSCAN
  if (db_ == nullptr || json.size() > 0xFFFFFFFFu) return false;
  if (std::find(s.sized_for_.begin(), s.sized_for_.end(), db_) == s.sized_for_.end()) {
    hs_scratch_t* sc = static_cast<hs_scratch_t*>(s.scratch_);
    if (hs_alloc_scratch(static_cast<const hs_database_t*>(db_), &sc) != HS_SUCCESS) return false;
    s.scratch_ = sc;
    s.sized_for_.push_back(db_);
  }
  // Stamps grow only, so one scratch serves several prefilters: an entry equal to the current stamp was
  // written during this scan.
  if (++s.stamp_ == 0) {
    std::fill(s.clause_stamp_.begin(), s.clause_stamp_.end(), 0);
    std::fill(s.rule_stamp_.begin(), s.rule_stamp_.end(), 0);
    s.stamp_ = 1;
  }
  if (s.clause_stamp_.size() < clause_rule_.size()) s.clause_stamp_.resize(clause_rule_.size(), 0);
  if (s.rule_stamp_.size() < rule_clauses_.size()) {
    s.rule_stamp_.resize(rule_clauses_.size(), 0);
    s.rule_count_.resize(rule_clauses_.size(), 0);
  }
  s.possible_.assign(unconditional_.begin(), unconditional_.end());
  s.escaped_ = false;
  Callback cb{this, &s};
  const hs_error_t rc = hs_scan(static_cast<const hs_database_t*>(db_), json.data(),
                                static_cast<unsigned>(json.size()), 0, static_cast<hs_scratch_t*>(s.scratch_),
                                &Callback::OnLiteral, &cb);
  if (s.escaped_ || (rc != HS_SUCCESS && rc != HS_SCAN_TERMINATED)) return false;
  return true;
#else
  (void)json;
  (void)s;
  return false;
#endif
}

const std::vector<uint32_t>& EventPrefilter::Possible(const EventPrefilterScratch& s) const { return s.possible_; }

std::string EventPrefilter::Dump() const {
  std::string out = "prefilter: " + std::to_string(literals_.size()) + " literals" +
                    (enabled() ? "" : " (off)") + "\n";
  std::vector<std::string> rules(rule_clauses_.size());
  for (size_t c = 0; c < clause_rule_.size(); ++c) {
    std::string& r = rules[clause_rule_[c]];
    r += r.empty() ? "" : " and ";
    r += "(";
    for (size_t i = 0; i < clause_literals_[c].size(); ++i) {
      r += (i ? " or " : "");
      r += "'" + literals_[clause_literals_[c][i]] + "'";
    }
    r += ")";
  }
  for (size_t r = 0; r < rules.size(); ++r) {
    out += "  rule " + std::to_string(r) + ": " + (rules[r].empty() ? "always" : rules[r]) + "\n";
  }
  return out;
}

}  // namespace trailwatch::engine
