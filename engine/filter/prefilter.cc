// prefilter.cc: necessary literal conditions of filter patterns and the Hyperscan scan. See prefilter.h.
#include "engine/filter/prefilter.h"

#include <algorithm>
#include <cstring>

#ifdef TRAILWATCH_HAVE_HYPERSCAN
#include <hs/hs.h>
#endif

namespace trailwatch::engine {

using filter::CompareOp;
using filter::CompiledPattern;
using filter::ExprOp;
using filter::JsonTest;
using filter::PatternKind;
using filter::ValueKind;

namespace {

// A literal we may require in the raw message of a JSON event: it cannot have been escaped differently
// (except through \u, handled separately) and cannot be part of a re-spelled number.
bool UsableJsonLiteral(std::string_view s) {
  if (s.size() < 2) return false;
  bool only_number_chars = true;
  for (char c : s) {
    const unsigned char u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\' || c == '/' || u < 0x20) return false;
    if (!((c >= '0' && c <= '9') || c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-')) {
      only_number_chars = false;
    }
  }
  return !only_number_chars;
}

// How much a literal is worth requiring: longer literals occur less often, and the tokens that fill most
// CloudTrail records (service host names, identity types, outcomes) rule out almost nothing.
int Selectivity(std::string_view l) {
  static constexpr std::string_view kCommon[] = {"IAMUser", "AssumedRole", "AWSService", "AWSAccount", "Root",
                                                  "FederatedUser", "Success", "Failure", "Yes", "No",
                                                  "AwsApiCall", "AwsServiceEvent", "AwsConsoleSignIn",
                                                  "Management", "true", "false", "null"};
  int score = static_cast<int>(std::min<size_t>(l.size(), 64));
  if (l.ends_with(".amazonaws.com")) score -= 100;
  for (std::string_view c : kCommon) {
    if (l == c) score -= 100;
  }
  return score;
}

}  // namespace

uint32_t LiteralPrefilter::LiteralId(const std::string& literal) {
  for (size_t i = 0; i < literals_.size(); ++i) {
    if (literals_[i] == literal) return static_cast<uint32_t>(i);
  }
  literals_.push_back(literal);
  return static_cast<uint32_t>(literals_.size() - 1);
}

bool LiteralPrefilter::Available() {
#ifdef TRAILWATCH_HAVE_HYPERSCAN
  return true;
#else
  return false;
#endif
}

LiteralPrefilter::LiteralPrefilter(const std::vector<std::shared_ptr<const CompiledPattern>>& patterns) {
  conditions_.resize(patterns.size());
  json_.assign(patterns.size(), 0);
  term_exact_.assign(patterns.size(), 0);
  term_programs_.resize(patterns.size());
  bool useful = false;
  for (size_t p = 0; p < patterns.size(); ++p) {
    const CompiledPattern& cp = *patterns[p];
    std::vector<Op>& nc = conditions_[p];
    switch (cp.kind) {
      case PatternKind::kTerms: {
        // Exact: required AND NOT excluded AND (any_of).
        std::vector<Op>& prog = term_programs_[p];
        uint32_t n = 0;
        for (const std::string& t : cp.required) {
          prog.push_back(Op{Op::Kind::kLit, LiteralId(t)});
          nc.push_back(Op{Op::Kind::kLit, LiteralId(t)});
          ++n;
        }
        for (const std::string& t : cp.excluded) {
          prog.push_back(Op{Op::Kind::kNotLit, LiteralId(t)});
          ++n;
        }
        if (!cp.any_of.empty()) {
          for (const std::string& t : cp.any_of) {
            prog.push_back(Op{Op::Kind::kLit, LiteralId(t)});
            nc.push_back(Op{Op::Kind::kLit, LiteralId(t)});
          }
          prog.push_back(Op{Op::Kind::kOr, static_cast<uint32_t>(cp.any_of.size())});
          nc.push_back(Op{Op::Kind::kOr, static_cast<uint32_t>(cp.any_of.size())});
          ++n;
          if (!cp.required.empty()) nc.push_back(Op{Op::Kind::kAnd, static_cast<uint32_t>(cp.required.size() + 1)});
        } else if (cp.required.size() > 1) {
          nc.push_back(Op{Op::Kind::kAnd, static_cast<uint32_t>(cp.required.size())});
        }
        if (n == 0) prog.push_back(Op{Op::Kind::kTrue, 0});
        else if (n > 1) prog.push_back(Op{Op::Kind::kAnd, n});
        if (nc.empty()) nc.push_back(Op{Op::Kind::kTrue, 0});
        // Terms containing NUL cannot be passed to the scanner as C strings; Hyperscan takes lengths, fine.
        term_exact_[p] = 1;
        useful = true;
        break;
      }
      case PatternKind::kJson: {
        json_[p] = 1;
        // Translate the postfix program atom by atom.
        for (const ExprOp& op : cp.program) {
          switch (op.kind) {
            case ExprOp::Kind::kAtom: {
              const filter::JsonAtom& a = cp.atoms[op.arg];
              std::vector<uint32_t> lits;
              // (IS TRUE / FALSE / NULL would need the words true, false, null: too common to be worth it.)
              if (a.test == JsonTest::kCompare && a.matcher.op == CompareOp::kEq &&
                         a.matcher.kind == ValueKind::kString) {
                for (const std::string& part : a.matcher.glob.parts()) {
                  if (UsableJsonLiteral(part)) lits.push_back(LiteralId(part));
                }
              }
              if (lits.empty()) {
                nc.push_back(Op{Op::Kind::kTrue, 0});
              } else {
                for (uint32_t l : lits) nc.push_back(Op{Op::Kind::kLit, l});
                if (lits.size() > 1) nc.push_back(Op{Op::Kind::kAnd, static_cast<uint32_t>(lits.size())});
                useful = true;
              }
              break;
            }
            case ExprOp::Kind::kAnd: nc.push_back(Op{Op::Kind::kAnd, op.arg}); break;
            case ExprOp::Kind::kOr: nc.push_back(Op{Op::Kind::kOr, op.arg}); break;
          }
        }
        break;
      }
      default:
        break;  // regex, space-delimited, match-all: always evaluated
    }
  }
  masks_.resize(conditions_.size());
  for (size_t p = 0; p < conditions_.size(); ++p) Flatten(p);
  // The literals the scan must look for: those of exact term programs, of conditions kept as programs, and
  // of the flattened masks.
  std::vector<uint8_t>& used = scanned_;
  used.assign(literals_.size(), 0);
  for (size_t p = 0; p < conditions_.size(); ++p) {
    if (term_exact_[p]) {
      for (const Op& op : term_programs_[p]) {
        if (op.kind == Op::Kind::kLit || op.kind == Op::Kind::kNotLit) used[op.arg] = 1;
      }
    } else if (!masks_[p].flat) {
      for (const Op& op : conditions_[p]) {
        if (op.kind == Op::Kind::kLit) used[op.arg] = 1;
      }
    } else {
      for (size_t l = 0; l < literals_.size(); ++l) {
        if ((masks_[p].any[l >> 6] >> (l & 63)) & 1) used[l] = 1;
      }
    }
  }
  useful = useful && std::find(used.begin(), used.end(), 1) != used.end();
#ifdef TRAILWATCH_HAVE_HYPERSCAN
  if (useful) {
    // The literals are compiled as regular expressions, each byte written \xHH: Debian's Hyperscan 5.4
    // literal API (hs_compile_lit_multi) misses a short literal in a short buffer when the database also
    // holds a long literal ending in a run of one character (issue 9, F1); the regex API is exact on every
    // shape (tests/filter/differential_test.cc, LiteralShapes). A hex escape matches its byte exactly,
    // NUL included, without case folding.
    std::vector<std::string> escaped;
    std::vector<unsigned> flags, ids;
    static constexpr char kHex[] = "0123456789abcdef";
    for (size_t i = 0; i < literals_.size(); ++i) {
      if (!used[i]) continue;
      std::string e;
      e.reserve(literals_[i].size() * 4);
      for (unsigned char c : literals_[i]) {
        e += "\\x";
        e += kHex[c >> 4];
        e += kHex[c & 15];
      }
      escaped.push_back(std::move(e));
      flags.push_back(HS_FLAG_SINGLEMATCH);
      ids.push_back(static_cast<unsigned>(i));
    }
    std::vector<const char*> exprs;
    for (const std::string& e : escaped) exprs.push_back(e.c_str());
    hs_database_t* db = nullptr;
    hs_compile_error_t* err = nullptr;
    if (hs_compile_multi(exprs.data(), flags.data(), ids.data(), static_cast<unsigned>(exprs.size()), HS_MODE_BLOCK,
                         nullptr, &db, &err) == HS_SUCCESS) {
      db_ = db;
    } else {
      if (err) hs_free_compile_error(err);
    }
  }
#else
  (void)useful;
#endif
}

// Turns a pattern's postfix condition into disjunctive normal form over literals, then into bit masks.
void LiteralPrefilter::Flatten(size_t p) {
  constexpr size_t kMaxConjuncts = 256;
  using Conj = std::vector<uint32_t>;
  struct Dnf {
    bool always = false;
    std::vector<Conj> conj;  // empty and !always: never (not produced by our conditions)
  };
  std::vector<Dnf> st;
  bool too_big = false;
  for (const Op& op : conditions_[p]) {
    switch (op.kind) {
      case Op::Kind::kTrue: st.push_back(Dnf{true, {}}); break;
      case Op::Kind::kLit: st.push_back(Dnf{false, {Conj{op.arg}}}); break;
      case Op::Kind::kNotLit: return;  // not in conditions (only in exact term programs)
      case Op::Kind::kOr: {
        Dnf r;
        for (uint32_t k = 0; k < op.arg; ++k) {
          Dnf& d = st[st.size() - 1 - k];
          r.always = r.always || d.always;
          r.conj.insert(r.conj.end(), d.conj.begin(), d.conj.end());
        }
        st.resize(st.size() - op.arg);
        if (r.always) r.conj.clear();
        too_big = too_big || r.conj.size() > kMaxConjuncts;
        st.push_back(std::move(r));
        break;
      }
      case Op::Kind::kAnd: {
        Dnf r{true, {}};
        for (uint32_t k = 0; k < op.arg && !too_big; ++k) {
          Dnf& d = st[st.size() - 1 - k];
          if (d.always) continue;
          if (r.always) {
            r = d;
            continue;
          }
          std::vector<Conj> prod;
          for (const Conj& a : r.conj) {
            for (const Conj& b : d.conj) {
              Conj c = a;
              c.insert(c.end(), b.begin(), b.end());
              prod.push_back(std::move(c));
              if (prod.size() > kMaxConjuncts) too_big = true;
            }
          }
          r.conj = std::move(prod);
        }
        st.resize(st.size() - op.arg);
        st.push_back(std::move(r));
        break;
      }
    }
    if (too_big) return;  // keep the postfix program
  }
  if (st.size() != 1) return;
  Masks& m = masks_[p];
  const size_t words = (literals_.size() + 63) / 64;
  m.flat = true;
  m.always = st[0].always;
  m.any.assign(words, 0);
  for (const Conj& c : st[0].conj) {
    // A conjunct is necessary in full, so any one of its literals is a necessary condition too: requiring
    // only the most selective one keeps the condition exact and lets the scan skip the common literals.
    uint32_t best = c[0];
    for (uint32_t l : c) {
      if (Selectivity(literals_[l]) > Selectivity(literals_[best])) best = l;
    }
    m.any[best >> 6] |= uint64_t{1} << (best & 63);
  }
}

bool LiteralPrefilter::EvalMasks(const Masks& m, const PrefilterScratch& s) const {
  if (m.always) return true;
  const size_t words = m.any.size();
  for (size_t w = 0; w < words; ++w) {
    if (s.seen_[w] & m.any[w]) return true;
  }
  return false;
}

LiteralPrefilter::~LiteralPrefilter() {
#ifdef TRAILWATCH_HAVE_HYPERSCAN
  if (db_) hs_free_database(static_cast<hs_database_t*>(db_));
#endif
}

PrefilterScratch::PrefilterScratch() = default;

PrefilterScratch::~PrefilterScratch() {
#ifdef TRAILWATCH_HAVE_HYPERSCAN
  if (scratch_) hs_free_scratch(static_cast<hs_scratch_t*>(scratch_));
#endif
}

#ifdef TRAILWATCH_HAVE_HYPERSCAN
namespace {
int OnLiteral(unsigned int id, unsigned long long, unsigned long long, unsigned int, void* ctx) {
  auto* seen = static_cast<uint64_t*>(ctx);
  seen[id >> 6] |= uint64_t{1} << (id & 63);
  return 0;
}
}  // namespace
#endif

void LiteralPrefilter::Scan(std::string_view message, PrefilterScratch& s) const {
  s.seen_.assign((literals_.size() + 63) / 64, 0);
#ifdef TRAILWATCH_HAVE_HYPERSCAN
  if (s.sized_for_ != db_) {
    hs_scratch_t* sc = static_cast<hs_scratch_t*>(s.scratch_);
    hs_alloc_scratch(static_cast<const hs_database_t*>(db_), &sc);
    s.scratch_ = sc;
    s.sized_for_ = db_;
  }
  // (An empty message holds no literal; its data() may be null, which neither hs_scan nor memchr accept.)
  if (message.size() > 0xffffffffu) {
    std::fill(s.seen_.begin(), s.seen_.end(), ~uint64_t{0});  // beyond hs_scan's length type: assume every literal
  } else if (!message.empty()) {
    hs_scan(static_cast<const hs_database_t*>(db_), message.data(), static_cast<unsigned>(message.size()), 0,
            static_cast<hs_scratch_t*>(s.scratch_), OnLiteral, s.seen_.data());
  }
#else
  (void)message;
#endif
  // A \u escape could spell a literal differently: such messages skip the prefilter for JSON patterns.
  s.escaped_ = false;
  for (const char* p = message.empty() ? nullptr : static_cast<const char*>(memchr(message.data(), '\\', message.size()));
       p;) {
    const size_t at = static_cast<size_t>(p - message.data());
    if (at + 1 < message.size() && message[at + 1] == 'u') {
      s.escaped_ = true;
      break;
    }
    const size_t next = at + 2;
    if (next >= message.size()) break;
    p = static_cast<const char*>(memchr(message.data() + next, '\\', message.size() - next));
  }
  s.may_.resize(conditions_.size());
  s.any_json_ = false;
  for (size_t i = 0; i < conditions_.size(); ++i) {
    bool may;
    if (term_exact_[i]) may = Eval(term_programs_[i], s);
    else if (json_[i] && s.escaped_) may = true;
    else if (masks_[i].flat) may = EvalMasks(masks_[i], s);
    else may = Eval(conditions_[i], s);
    s.may_[i] = may;
    s.any_json_ = s.any_json_ || (json_[i] && may);
  }
}

bool LiteralPrefilter::Eval(const std::vector<Op>& program, const PrefilterScratch& s) const {
  if (program.empty()) return true;
  std::vector<uint8_t>& st = const_cast<PrefilterScratch&>(s).stack_;
  if (st.size() < program.size()) st.resize(program.size());
  size_t sp = 0;
  for (const Op& op : program) {
    switch (op.kind) {
      case Op::Kind::kTrue: st[sp++] = 1; break;
      case Op::Kind::kLit: st[sp++] = (s.seen_[op.arg >> 6] >> (op.arg & 63)) & 1; break;
      case Op::Kind::kNotLit: st[sp++] = !((s.seen_[op.arg >> 6] >> (op.arg & 63)) & 1); break;
      case Op::Kind::kAnd: {
        uint8_t r = 1;
        for (uint32_t k = 0; k < op.arg; ++k) r &= st[--sp];
        st[sp++] = r;
        break;
      }
      case Op::Kind::kOr: {
        uint8_t r = 0;
        for (uint32_t k = 0; k < op.arg; ++k) r |= st[--sp];
        st[sp++] = r;
        break;
      }
    }
  }
  return sp == 1 && st[0];
}

bool LiteralPrefilter::MayMatch(size_t i, const PrefilterScratch& s) const { return s.may_[i] != 0; }

bool LiteralPrefilter::AnyJsonMayMatch(const PrefilterScratch& s) const { return s.any_json_; }

std::string LiteralPrefilter::Dump() const {
  std::string out = "literals:";
  for (const std::string& l : literals_) out += " \"" + l + "\"";
  out += "\nscanned:";
  for (size_t l = 0; l < literals_.size(); ++l) {
    if (scanned_[l]) out += " \"" + literals_[l] + "\"";
  }
  out += "\n";
  for (size_t p = 0; p < conditions_.size(); ++p) {
    out += "p" + std::to_string(p) + ":";
    for (const Op& op : conditions_[p]) {
      switch (op.kind) {
        case Op::Kind::kTrue: out += " true"; break;
        case Op::Kind::kLit: out += " \"" + literals_[op.arg] + "\""; break;
        case Op::Kind::kNotLit: out += " !\"" + literals_[op.arg] + "\""; break;
        case Op::Kind::kAnd: out += " and/" + std::to_string(op.arg); break;
        case Op::Kind::kOr: out += " or/" + std::to_string(op.arg); break;
      }
    }
    out += "\n";
  }
  return out;
}

}  // namespace trailwatch::engine
