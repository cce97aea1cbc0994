// cfn_budget_test.cc: every place of the setup loader that makes values charges the document's Budget
// first (document.h). Each row evaluates one intrinsic function (intrinsics.h) or one resource
// conversion (resources.h) twice: with room, where it must succeed having charged at least what it
// made; and with half that, where it must stop with the Budget's error at its pointer, before making it.
#include <gtest/gtest.h>

#include "engine/setup/cloudformation/intrinsics.h"
#include "engine/setup/cloudformation/resources.h"

namespace trailwatch::engine::cfn {
namespace {

// A Scope with nothing to refer to but Mappings, and a Budget of its own.
class TestScope : public Scope {
 public:
  TestScope(const Value* mappings, size_t limit) : mappings_(mappings), budget_(limit) {}
  const std::string& path() const override { return path_; }
  const std::string& region() const override { return region_; }
  Result<Value> Ref(const std::string& name, const Value& at, const std::string& pointer) override {
    return LoadError(path_, at.mark, pointer, "no Ref in this test: " + name);
  }
  Result<Value> GetAtt(const std::string& resource, const std::string&, const Value& at,
                       const std::string& pointer) override {
    return LoadError(path_, at.mark, pointer, "no GetAtt in this test: " + resource);
  }
  Result<bool> Condition(const std::string& name, const Value& at, const std::string& pointer) override {
    return LoadError(path_, at.mark, pointer, "no Condition in this test: " + name);
  }
  bool IsResource(const std::string&) const override { return false; }
  const Value* Mappings() const override { return mappings_; }
  Budget& budget() override { return budget_; }

 private:
  const Value* mappings_;
  Budget budget_;
  std::string path_ = "x.yaml";
  std::string region_ = "us-east-1";
};

std::string Repeat(std::string_view s, size_t n) {
  std::string out;
  for (size_t i = 0; i < n; ++i) out += s;
  return out;
}

struct ChargeCase {
  const char* name;
  std::string document;  // its value `v` is evaluated (Mappings, if any, are the Scope's)
  size_t made;           // bytes the evaluation makes at the least
  std::string pointer;   // where the Budget's error is when only half of `made` is left
};

void PrintTo(const ChargeCase& c, std::ostream* os) { *os << c.name; }

std::vector<ChargeCase> ChargeCases() {
  const std::string k10(10'000, 'x');
  return {
      {"CopyOfAValue", "v: [" + std::string(50'000, 'x') + "]", 50'000, "/v/0"},
      {"Sub", "v: !Sub ['${a}${a}${a}${a}', {a: " + k10 + "}]", 40'000, "/v/Fn::Sub"},
      {"Join", "v: !Join [',', [" + k10 + ", " + k10 + ", " + k10 + "]]", 2 * 30'000, "/v/Fn::Join"},
      {"Split", "v: !Split [',', '" + std::string(10'000, ',') + "']", 10'001 * kNodeBytes, "/v/Fn::Split"},
      {"Base64", "v: !Base64 " + std::string(30'000, 'x'), 40'000, "/v/Fn::Base64"},
      {"ToJsonString", "v: !ToJsonString [\"" + Repeat("\\x01", 10'000) + "\"]", 60'000, "/v/Fn::ToJsonString"},
      {"FindInMap", "Mappings: {M: {a: {b: " + std::string(50'000, 'x') + "}}}\nv: !FindInMap [M, a, b]", 50'000,
       "/v/Fn::FindInMap"},
      {"Select", "v: !Select [0, [" + std::string(50'000, 'x') + ", y]]", 50'000, "/v/Fn::Select"},
      {"GetAZs", "v: !GetAZs us-east-1", 3 * kNodeBytes, "/v/Fn::GetAZs"},
      {"Length", "v: !Length [a, b]", kNodeBytes, "/v/Fn::Length"},
  };
}

class ChargeTest : public testing::TestWithParam<ChargeCase> {};

TEST_P(ChargeTest, ChargedBeforeMade) {
  const ChargeCase& c = GetParam();
  Result<Document> doc = ParseDocument(c.document, "x.yaml");
  ASSERT_TRUE(doc.ok()) << doc.error().message;
  const Value* v = doc->root.Find("v");
  ASSERT_NE(v, nullptr);
  {
    TestScope scope(doc->root.Find("Mappings"), 1u << 30);
    Result<Value> r = Evaluate(*v, scope, "/v");
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_GE(scope.budget().used(), c.made);
  }
  {
    TestScope scope(doc->root.Find("Mappings"), c.made / 2);
    Result<Value> r = Evaluate(*v, scope, "/v");
    ASSERT_FALSE(r.ok());
    EXPECT_NE(r.error().message.find("the document expands to more than"), std::string::npos) << r.error().message;
    EXPECT_EQ(r.error().pointer.rfind(c.pointer, 0), 0u) << r.error().pointer;
    EXPECT_TRUE(scope.budget().exhausted());
    EXPECT_LE(scope.budget().used(), c.made / 2);
  }
}

INSTANTIATE_TEST_SUITE_P(Intrinsics, ChargeTest, testing::ValuesIn(ChargeCases()),
                         [](const testing::TestParamInfo<ChargeCase>& info) { return info.param.name; });

// Fn::Equals compares the values it evaluated in place: no JSON text of either is made.
TEST(ChargeTest, EqualsMakesNothingButItsArguments) {
  const std::string big(50'000, 'x');
  struct Case {
    std::string a, b;
    bool equal;
  } cases[] = {
      {big, big, true},
      {"[a, 1, {k: v}]", "[a, '1', {k: v}]", true},  // compared as strings, as CloudFormation does
      {"[a]", "[a, b]", false},
      {"{k: 1}", "{j: 1}", false},
      {"~", "'null'", false},
      {"[]", "{}", false},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.a.substr(0, 40) + " vs " + c.b.substr(0, 40));
    Result<Document> doc = ParseDocument("v: !Equals [" + c.a + ", " + c.b + "]", "x.yaml");
    ASSERT_TRUE(doc.ok()) << doc.error().message;
    TestScope scope(nullptr, 1u << 30);
    Result<bool> r = EvaluateCondition(*doc->root.Find("v"), scope, "/v");
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(*r, c.equal);
    EXPECT_LE(scope.budget().used(), 2 * (c.a.size() + c.b.size()) + 16 * kNodeBytes);
  }
}

ResourceContext Context(std::string type) {
  ResourceContext ctx;
  ctx.path = "x.yaml";
  ctx.logical_id = "R";
  ctx.type = std::move(type);
  ctx.region = "us-east-1";
  ctx.account = "123456789012";
  ctx.partition = "aws";
  ctx.stack_name = "x";
  ctx.mark = {2, 3};
  ctx.pointer = "/Resources/R";
  ctx.setup_file = true;
  return ctx;
}

// Ref and GetAtt of a resource make a name or an ARN: charged first.
TEST(ChargeTest, ResourceRefAndAttribute) {
  Result<Document> doc = ParseDocument("LogGroupName: " + std::string(50'000, 'g'), "x.yaml");
  ASSERT_TRUE(doc.ok());
  const ResourceContext ctx = Context("AWS::Logs::LogGroup");
  const Value at = Value::String("", {5, 6});
  for (bool attribute : {false, true}) {
    SCOPED_TRACE(attribute ? "GetAtt" : "Ref");
    auto call = [&](Budget& budget) {
      return attribute ? ResourceAttribute(ctx, &doc->root, "Arn", at, "/p", budget)
                       : ResourceRef(ctx, &doc->root, at, "/p", budget);
    };
    Budget room;
    ASSERT_TRUE(call(room).ok());
    EXPECT_GE(room.used(), 50'000u);
    Budget tight(25'000);
    Result<Value> r = call(tight);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().message.rfind("x.yaml:5:6: the document expands to more than", 0), 0u) << r.error().message;
    EXPECT_EQ(r.error().pointer, "/p");
  }
}

// The JSON text of an EventPattern (a map, or a string that is JSON) is charged before it is written.
TEST(ChargeTest, EventPatternJson) {
  // 10,000 U+0001, 60,000 bytes of JSON: in a YAML map, and in a string of JSON text
  for (const std::string& pattern : {"{source: [\"" + Repeat("\\x01", 10'000) + "\"]}",
                                     "'{\"source\": [\"" + Repeat("\\u0001", 10'000) + "\"]}'"}) {
    SCOPED_TRACE(pattern.substr(0, 20));
    Result<Document> doc = ParseDocument("EventPattern: " + pattern, "x.yaml");
    ASSERT_TRUE(doc.ok()) << doc.error().message;
    engine::Setup setup;
    std::vector<Warning> warnings;
    Budget room;
    EXPECT_EQ(AddResource(Context("AWS::Events::Rule"), &doc->root, setup, warnings, room), std::nullopt);
    EXPECT_GE(room.used(), 60'000u);
    Budget tight(30'000);
    std::optional<Diagnostic> e = AddResource(Context("AWS::Events::Rule"), &doc->root, setup, warnings, tight);
    ASSERT_TRUE(e.has_value());
    EXPECT_NE(e->message.find("the document expands to more than"), std::string::npos) << e->message;
    EXPECT_EQ(e->pointer, "/Resources/R/Properties/EventPattern");
  }
}

}  // namespace
}  // namespace trailwatch::engine::cfn
