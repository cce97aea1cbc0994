// cfn_yaml_test.cc: the YAML stage of the setup loader (engine/setup/cloudformation/yaml.h).
//   - ScanYamlFlow() on a table of texts: what it must find (nesting past kMaxDepth + 1, a potential-key
//     collection over kMaxFlowKeyBytes, an unclosed collection) and what it must take for text (quotes,
//     comments, block scalars, plain scalars and the lines that continue them, later documents).
//   - ReadYaml() against the YAML::Load conversion it replaced (kept below as the reference): on snippets of
//     anchors, aliases, tags and bad keys, on every sample and fixture and on their mutations, the same tree
//     with the same marks, or the same error.
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <fstream>
#include <optional>
#include <random>
#include <sstream>

#include "engine/setup/cloudformation/yaml.h"

namespace trailwatch::engine::cfn {
namespace {

constexpr size_t npos = FlowScan::npos;

std::string Open(size_t n) { return std::string(n, '['); }
std::string Close(size_t n) { return std::string(n, ']'); }
std::string Nest(size_t n) { return Open(n) + Close(n); }

struct ScanCase {
  const char* name;
  std::string text;
  size_t deep = npos;
  size_t deep_end = npos;
  size_t long_key = npos;
  bool unclosed = false;
};

// Where ScanYamlFlow() must find the too-deep bracket of Nest(n) starting at `base` inside `outer` flow
// collections: the one nested kMaxDepth + 2 deep, and just past the bracket closing it.
size_t DeepAt(size_t base, size_t outer) { return base + kMaxDepth + 1 - outer; }
size_t DeepEnd(size_t base, size_t n, size_t outer) { return base + 2 * n - (kMaxDepth + 1 - outer); }

std::vector<ScanCase> ScanCases() {
  const size_t limit = kMaxDepth + 1;  // flow brackets nested this deep are still read by yaml-cpp
  const std::string items(kMaxFlowKeyTokens, ',');  // with its brackets, one token too many
  const std::string json_prefix = "a: {\"k\":\"x]\", \"l\": ";
  const std::string block_prefix = "- key: |\n    " + Open(100) + "\n  other: ";
  return {
      {"FlowAtTheLimit", "a: " + Nest(limit)},
      {"FlowOneDeeper", "a: " + Nest(limit + 1), DeepAt(3, 0), DeepEnd(3, limit + 1, 0)},
      {"FlowDeepInsideLater", "a: [1, 2]\nb: " + Nest(200), DeepAt(13, 0), DeepEnd(13, 200, 0)},
      {"Unclosed", "a: [[[x\n", npos, npos, npos, true},
      {"UnclosedDeep", "a: " + Open(200), DeepAt(3, 0), 203, npos, true},
      {"Quoted", "a: '" + Open(100) + "'\nb: \"\\\"" + Open(100) + "\"\nc: 'it''s " + Open(100) + "'"},
      {"QuotedOverLines", "a: \"x\n  " + Open(100) + "\n  \"\nb: 1"},
      {"Comments", "a: 1 # " + Open(100) + "\n# " + Open(100) + "\nb: [1, # " + Open(100) + "\n  2]"},
      {"BlockScalar", "a: |\n  " + Open(100) + "\n\n  # " + Open(100) + "\nb: >-\n   " + Open(100) + "\n"},
      {"BlockScalarEndsAtItsKey", block_prefix + Nest(100), DeepAt(block_prefix.size(), 0),
       DeepEnd(block_prefix.size(), 100, 0)},
      {"RootBlockScalar", "--- |\n" + Open(100) + "\n" + Open(100)},
      {"PlainScalar", "a: x" + Open(100) + "\nb: x " + Open(100)},
      {"PlainScalarGoesOn", "a: x\n  " + Open(100) + "\nb: 1\n- x\n  " + Open(100)},
      {"PlainScalarOnItsOwnLineGoesOn", "key:\n    first\n  " + Open(100) + "\nnext: 1"},
      {"PlainScalarThenComment", "a: x # c\n  " + Nest(100), DeepAt(11, 0), DeepEnd(11, 100, 0)},
      {"LaterDocumentsAreNotRead", "a: 1\n---\nb: " + Nest(200) + "\n"},
      {"JsonLike", json_prefix + Nest(100) + "}", DeepAt(json_prefix.size(), 1), DeepEnd(json_prefix.size(), 100, 1)},
      {"FlowPlainScalarWithQuote", "a: [it's, " + Nest(100) + "]", DeepAt(10, 1), DeepEnd(10, 100, 1)},
      {"TagsAndAnchors", "a: !Join &x [b, *y, " + Nest(100) + "]", DeepAt(20, 1), DeepEnd(20, 100, 1)},
      {"LongAfterDash", "- [" + items + "]", npos, npos, 2},
      {"LongAtLineStart", "{" + items + "}", npos, npos, 0},
      {"LongAfterTag", "- !Join [" + items + "]", npos, npos, 8},
      {"LongItemOfFlowList", "a: [[" + items + "]]", npos, npos, 4},
      {"LongFlowMapKey", "a: {[" + items + "]: 1}", npos, npos, 4},
      {"LongAsMapValueIsFine", "a: [" + items + "]\nb: {c: [" + items + "]}"},
      {"LongStringIsFine", "- [\"" + std::string(16 * kMaxFlowKeyTokens, 'x') + "\"]"},
      {"LongUnclosed", "- [" + items, npos, npos, 2, true},
      {"TooDeepPartIsNotCounted", "- [" + Open(limit) + items + Close(limit) + "]", DeepAt(3, 1),
       DeepEnd(3, limit, 1) + items.size()},
  };
}

class ScanYamlFlowTest : public testing::TestWithParam<ScanCase> {};

TEST_P(ScanYamlFlowTest, Finds) {
  const ScanCase& c = GetParam();
  const FlowScan s = ScanYamlFlow(c.text);
  EXPECT_EQ(s.deep, c.deep);
  EXPECT_EQ(s.deep_end, c.deep_end);
  EXPECT_EQ(s.long_key, c.long_key);
  EXPECT_EQ(s.unclosed, c.unclosed);
}

INSTANTIATE_TEST_SUITE_P(Table, ScanYamlFlowTest, testing::ValuesIn(ScanCases()),
                         [](const testing::TestParamInfo<ScanCase>& info) { return info.param.name; });

// ---------------------------------------------------------------------------------------------------
// The reference: the conversion the loader used before (YAML::Load, then a recursive walk of its nodes).

class Reference {
 public:
  explicit Reference(const std::string& path) : path_(path) {}

  Result<Value> Parse(const std::string& text) {
    try {
      YAML::Node root = YAML::Load(text);
      Value out;
      std::string pointer;
      if (!Convert(root, out, 0, pointer)) return *error_;
      return out;
    } catch (const YAML::Exception& e) {
      std::string msg = e.msg.empty() ? std::string(e.what()) : e.msg;
      return LoadError(path_, MarkOf(e.mark), "", "not valid YAML: " + msg);
    }
  }

 private:
  static Mark MarkOf(const YAML::Mark& m) {
    return m.line >= 0 ? Mark{static_cast<uint32_t>(m.line) + 1, static_cast<uint32_t>(m.column) + 1} : Mark{};
  }
  static std::string_view LongForm(const std::string& tag) {
    static const std::map<std::string, std::string_view> kForms = {
        {"!Ref", "Ref"}, {"!Condition", "Condition"}, {"!Sub", "Fn::Sub"}, {"!GetAtt", "Fn::GetAtt"},
        {"!Join", "Fn::Join"}, {"!Select", "Fn::Select"}, {"!Split", "Fn::Split"}, {"!If", "Fn::If"},
        {"!Equals", "Fn::Equals"}, {"!And", "Fn::And"}, {"!Or", "Fn::Or"}, {"!Not", "Fn::Not"},
        {"!FindInMap", "Fn::FindInMap"}, {"!GetAZs", "Fn::GetAZs"}, {"!Base64", "Fn::Base64"},
        {"!ImportValue", "Fn::ImportValue"}, {"!Cidr", "Fn::Cidr"}, {"!Length", "Fn::Length"},
        {"!ToJsonString", "Fn::ToJsonString"}};
    auto it = kForms.find(tag);
    return it == kForms.end() ? std::string_view() : it->second;
  }
  bool Convert(const YAML::Node& node, Value& out, int depth, std::string& pointer) {
    if (depth > kMaxDepth) return Fail(node, pointer, "nesting deeper than 64 levels");
    out.mark = MarkOf(node.Mark());
    const std::string& tag = node.Tag();
    if (!tag.empty() && tag[0] == '!' && tag != "!") {
      std::string_view long_form = LongForm(tag);
      if (long_form.empty()) {
        return Fail(node, pointer, "unknown YAML tag " + tag,
                    "CloudFormation's short forms are !Ref, !Sub, !GetAtt, !Join, !Select, !Split, !If, !Equals, "
                    "!And, !Or, !Not, !FindInMap, !GetAZs, !Base64, !Condition");
      }
      Value inner;
      if (!ConvertUntagged(node, inner, depth, pointer)) return false;
      inner.key = std::string(long_form);
      out.kind = Value::Kind::kMap;
      out.children.push_back(std::move(inner));
      return true;
    }
    return ConvertUntagged(node, out, depth, pointer);
  }
  bool ConvertUntagged(const YAML::Node& node, Value& out, int depth, std::string& pointer) {
    out.mark = MarkOf(node.Mark());
    switch (node.Type()) {
      case YAML::NodeType::Undefined:
      case YAML::NodeType::Null:
        out.kind = Value::Kind::kNull;
        return true;
      case YAML::NodeType::Scalar:
        out.kind = (node.Tag() == "!" || node.Tag() == "tag:yaml.org,2002:str") ? Value::Kind::kString
                                                                                 : Value::Kind::kPlain;
        out.text = node.Scalar();
        return true;
      case YAML::NodeType::Sequence: {
        out.kind = Value::Kind::kSequence;
        size_t i = 0;
        for (const YAML::Node& item : node) {
          const size_t len = pointer.size();
          pointer += "/" + std::to_string(i++);
          Value v;
          if (!Convert(item, v, depth + 1, pointer)) return false;
          pointer.resize(len);
          out.children.push_back(std::move(v));
        }
        return true;
      }
      case YAML::NodeType::Map: {
        out.kind = Value::Kind::kMap;
        for (const auto& kv : node) {
          if (!kv.first.IsScalar()) return Fail(kv.first, pointer, "a map key must be a string");
          const size_t len = pointer.size();
          pointer += "/" + PointerSegment(kv.first.Scalar());
          Value v;
          if (!Convert(kv.second, v, depth + 1, pointer)) return false;
          pointer.resize(len);
          v.key = kv.first.Scalar();
          v.key_mark = MarkOf(kv.first.Mark());
          out.children.push_back(std::move(v));
        }
        return true;
      }
    }
    return false;
  }
  bool Fail(const YAML::Node& node, const std::string& pointer, std::string message, std::string hint = {}) {
    error_ = LoadError(path_, MarkOf(node.Mark()), pointer, std::move(message), std::move(hint));
    return false;
  }

  std::string path_;
  std::optional<Diagnostic> error_;
};

void Dump(const Value& v, std::ostream& o, int indent) {
  o << std::string(indent, ' ') << static_cast<int>(v.kind) << " key=" << v.key << " @" << v.key_mark.line << ':'
    << v.key_mark.column << " text=" << v.text << " @" << v.mark.line << ':' << v.mark.column << '\n';
  for (const Value& c : v.children) Dump(c, o, indent + 2);
}

std::string Dump(const Result<Value>& r) {
  std::ostringstream o;
  if (!r.ok()) {
    o << "error " << r.error().message << " ptr=" << r.error().pointer << " hint=" << r.error().hint;
  } else {
    Dump(*r, o, 0);
  }
  return o.str();
}

void ExpectSameAsReference(const std::string& text) {
  Budget budget;
  Result<Value> got = ReadYaml(text, "x.yaml", budget);
  Result<Value> want = Reference("x.yaml").Parse(text);
  EXPECT_EQ(Dump(got), Dump(want)) << "the text:\n" << text;
}

TEST(ReadYamlTest, SnippetsReadAsYamlLoadDid) {
  const char* snippets[] = {
      "a: &x 1\nb: *x\n",
      "a: &x !Ref y\nb: [*x, *x]\n",
      "a: &x {p: [1, 2]}\nb: *x\nc: {q: *x}\n",
      "a: &x [1, &y 2, {z: &z 3}]\nb: [*x, *y, *z]\n",
      "a: &x 1\nc: &x 2\nb: *x\n",
      "a: &n\nb: *n\n",
      "a: &o {b: &i [1]}\nc: *i\nd: *o\n",
      "&k key: 1\nother: *k\n",
      "a: &x s\n*x : 2\n",
      "a: &m {p: 1}\n*m : 2\n",
      "? [a]\n: b\n",
      "~: x\n",
      ": x\n",
      "a: !Bad x\n",
      "a: [!Ref b, !Sub 'c', !GetAtt d.e, !If [c, !Ref x, !Ref AWS::NoValue]]\n",
      "a: !!str 1\nb: '2'\nc: \"3\"\nd: 4\ne: ~\nf: null\ng:\n",
      "- !Join\n  - ''\n  - [a, b]\n- !Sub |\n  text ${x}\n",
      "[a, b: c, {d: e}]\n",
      "\"a\": 1\n'b': {\"c\":2}\n",
      "a: [1, 2\n",
      "a: b: c\n",
      "a: *undefined\n",
      "",
      "# only a comment\n",
      "x\n",
      "--- [a]\n--- [b]\n",
  };
  for (const char* s : snippets) {
    SCOPED_TRACE(s);
    ExpectSameAsReference(s);
  }
}

std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream o;
  o << in.rdbuf();
  return o.str();
}

class ReadYamlFileTest : public testing::TestWithParam<const char*> {};

TEST_P(ReadYamlFileTest, FileAndMutationsReadAsYamlLoadDid) {
  const std::string text = Slurp(std::string(TW_SOURCE_DIR "/") + GetParam());
  ASSERT_FALSE(text.empty());
  ExpectSameAsReference(text);
  std::mt19937 rng(20250101);
  const std::string bytes = "{}[]:,!&*\"'\n -|>#?%@`\\\t";
  for (int i = 0; i < 100; ++i) {
    std::string m = text;
    for (int e = 0; e < 1 + static_cast<int>(rng() % 3); ++e) {
      const size_t at = rng() % m.size();
      switch (rng() % 3) {
        case 0: m[at] = bytes[rng() % bytes.size()]; break;
        case 1: m.insert(at, 1, bytes[rng() % bytes.size()]); break;
        default: m.erase(at, 1 + rng() % 8); break;
      }
      if (m.empty()) m = "x";
    }
    ExpectSameAsReference(m);
  }
}

INSTANTIATE_TEST_SUITE_P(Files, ReadYamlFileTest,
                         testing::Values("samples/console-login/setup.yaml",
                                         "samples/console-login/templates/central.yaml",
                                         "samples/console-login/templates/forwarding.yaml",
                                         "tests/data/setup/story.yaml", "tests/data/setup/story.json",
                                         "tests/data/setup/intrinsics.yaml"),
                         [](const testing::TestParamInfo<const char*>& info) {
                           std::string name;
                           for (const char* p = info.param; *p; ++p) name += std::isalnum(*p) ? *p : '_';
                           return name;
                         });

}  // namespace
}  // namespace trailwatch::engine::cfn
