// dump.cc: DumpAst() and DumpProgram(); formats documented in dump.h and program.h.
#include "patterns/filter/dump.h"

#include "patterns/filter/program.h"

namespace trailwatch::filter {

namespace {

std::string Quote(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

void DumpJson(const JsonExpr& e, std::string& out) {
  switch (e.kind) {
    case JsonExpr::Kind::kCondition: {
      const JsonCondition& c = e.condition;
      switch (c.test) {
        case JsonTest::kCompare:
          out += "cmp{" + c.selector.text + " " + CompareOpText(c.op) + " " + DumpValue(c.value) + "}";
          break;
        case JsonTest::kIsNull: out += "isnull{" + c.selector.text + "}"; break;
        case JsonTest::kIsTrue: out += "istrue{" + c.selector.text + "}"; break;
        case JsonTest::kIsFalse: out += "isfalse{" + c.selector.text + "}"; break;
        case JsonTest::kNotExists: out += "notexists{" + c.selector.text + "}"; break;
      }
      return;
    }
    case JsonExpr::Kind::kAnd: out += "and{"; break;
    case JsonExpr::Kind::kOr: out += "or{"; break;
    case JsonExpr::Kind::kGroup: out += "group{"; break;
  }
  for (size_t i = 0; i < e.children.size(); ++i) {
    if (i > 0) out += ' ';
    DumpJson(*e.children[i], out);
  }
  out += '}';
}

std::string DumpMatcher(const Matcher& m) {
  std::string out = std::string(CompareOpText(m.op)) + " ";
  switch (m.kind) {
    case ValueKind::kString:
      out += m.glob.IsAny() ? "any" : (m.glob.HasWildcard() ? "glob" : "str") + Quote(m.glob.ToString());
      break;
    case ValueKind::kNumber: out += "num" + Quote(m.text); break;
    case ValueKind::kRegex: out += "re%" + m.text + "%"; break;
  }
  return out;
}

}  // namespace

std::string DumpValue(const Value& v) {
  switch (v.kind) {
    case ValueKind::kString:
      if (v.glob.IsAny()) return "any";
      return (v.glob.HasWildcard() ? "glob" : "str") + Quote(v.glob.ToString());
    case ValueKind::kNumber: return "num" + Quote(v.raw);
    case ValueKind::kRegex: return "re%" + v.regex.source + "%";
  }
  return "?";
}

std::string DumpAst(const FilterAst& ast) {
  std::string out;
  switch (ast.kind) {
    case PatternKind::kMatchAll:
      return "all{}";
    case PatternKind::kTerms:
      out = "terms{";
      for (size_t i = 0; i < ast.terms.size(); ++i) {
        const Term& t = ast.terms[i];
        if (i > 0) out += ' ';
        out += t.mode == TermMode::kRequired ? "+" : t.mode == TermMode::kOptional ? "?" : "-";
        out += Quote(t.text);
        if (t.mode == TermMode::kOptional && ast.optional_terms_ignored) out += "(ignored)";
      }
      return out + "}";
    case PatternKind::kRegex:
      return "regex{%" + ast.regex.source + "%}";
    case PatternKind::kJson:
      out = "json{";
      DumpJson(*ast.json, out);
      return out + "}";
    case PatternKind::kDelimited:
      out = "delimited{";
      for (size_t i = 0; i < ast.fields.size(); ++i) {
        const DelimitedField& f = ast.fields[i];
        if (i > 0) out += ' ';
        switch (f.kind) {
          case DelimitedField::Kind::kEllipsis: out += "ellipsis{}"; continue;
          case DelimitedField::Kind::kEmpty: out += "empty{}"; continue;
          case DelimitedField::Kind::kNamed: break;
        }
        out += "field{" + f.name;
        for (size_t d = 0; d < f.condition.any_of.size(); ++d) {
          out += d == 0 ? " " : " || ";
          const auto& conj = f.condition.any_of[d];
          for (size_t k = 0; k < conj.size(); ++k) {
            if (k > 0) out += " && ";
            if (d > 0 || k > 0) out += f.name + " ";
            out += std::string(CompareOpText(conj[k].op)) + " " + DumpValue(conj[k].value);
          }
        }
        out += "}";
      }
      return out + "}";
  }
  return "?";
}

std::string DumpProgram(const CompiledPattern& p) {
  std::string out = std::string(PatternKindName(p.kind)) + "\n";
  switch (p.kind) {
    case PatternKind::kMatchAll:
      break;
    case PatternKind::kTerms:
      for (const std::string& t : p.required) out += "  require " + Quote(t) + "\n";
      for (const std::string& t : p.excluded) out += "  exclude " + Quote(t) + "\n";
      if (!p.any_of.empty()) {
        out += "  any-of";
        for (const std::string& t : p.any_of) out += " " + Quote(t);
        out += "\n";
      }
      break;
    case PatternKind::kRegex:
      out += "  search %" + p.regex_source + "%\n";
      break;
    case PatternKind::kJson:
      for (size_t i = 0; i < p.selectors.size(); ++i) {
        out += "  s" + std::to_string(i) + " " + p.selectors[i].text + "\n";
      }
      for (size_t i = 0; i < p.atoms.size(); ++i) {
        const JsonAtom& a = p.atoms[i];
        out += "  a" + std::to_string(i) + " s" + std::to_string(a.selector) + " ";
        switch (a.test) {
          case JsonTest::kCompare: out += DumpMatcher(a.matcher); break;
          case JsonTest::kIsNull: out += "IS NULL"; break;
          case JsonTest::kIsTrue: out += "IS TRUE"; break;
          case JsonTest::kIsFalse: out += "IS FALSE"; break;
          case JsonTest::kNotExists: out += "NOT EXISTS"; break;
        }
        out += "\n";
      }
      out += "  program:";
      for (const ExprOp& op : p.program) {
        switch (op.kind) {
          case ExprOp::Kind::kAtom: out += " a" + std::to_string(op.arg); break;
          case ExprOp::Kind::kAnd: out += " and/" + std::to_string(op.arg); break;
          case ExprOp::Kind::kOr: out += " or/" + std::to_string(op.arg); break;
        }
      }
      out += "\n";
      break;
    case PatternKind::kDelimited:
      out += "  fields " + std::to_string(p.fixed_fields) + (p.ellipsis >= 0 ? " + ellipsis at " +
                                                                      std::to_string(p.ellipsis) : "") + "\n";
      for (size_t i = 0; i < p.fields.size(); ++i) {
        const CompiledField& f = p.fields[i];
        out += "  f" + std::to_string(i) + " ";
        if (f.kind == DelimitedField::Kind::kEllipsis) { out += "...\n"; continue; }
        if (f.kind == DelimitedField::Kind::kEmpty) { out += "(unnamed)\n"; continue; }
        out += f.name;
        for (size_t d = 0; d < f.any_of.size(); ++d) {
          out += d == 0 ? " " : " || ";
          for (size_t k = 0; k < f.any_of[d].size(); ++k) {
            if (k > 0) out += " && ";
            out += DumpMatcher(f.any_of[d][k]);
          }
        }
        out += "\n";
      }
      break;
  }
  return out;
}

}  // namespace trailwatch::filter
