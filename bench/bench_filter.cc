// bench_filter.cc: compiling filter patterns, and evaluating one and many patterns per CloudTrail event.
// Reports bytes/s and events/s. Each benchmark checks its match count against a plain count made before
// timing (SkipWithError on disagreement), so a fast wrong answer cannot pass.
#include <benchmark/benchmark.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "engine/fast_paths.h"
#include "engine/filter/filter_set.h"
#include "patterns/filter/compile.h"

namespace {

using trailwatch::engine::FastPath;
using trailwatch::engine::FastPathEnabled;
using trailwatch::engine::FilterScratch;
using trailwatch::engine::FilterSet;
using trailwatch::filter::CompiledPattern;
using trailwatch::filter::CompileFilterPattern;

const char* kSuccess =
    R"({ (($.eventName = ConsoleLogin) && ($.responseElements.ConsoleLogin = "Success")) || (($.detail.eventName = ConsoleLogin) && ($.detail.responseElements.ConsoleLogin = "Success")) })";
const char* kFailure =
    R"({ ($.eventName = ConsoleLogin) && ($.errorMessage = "Failed authentication") || ($.detail.eventName = ConsoleLogin) && ($.detail.errorMessage = "Failed authentication") })";

// The 14 CIS / Security Hub patterns (shared/data/patterns/cis.json), as published.
const std::vector<std::string> kCis = {
    R"({$.userIdentity.type="Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType !="AwsServiceEvent"})",
    R"({($.errorCode="*UnauthorizedOperation") || ($.errorCode="AccessDenied*")})",
    R"({ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") && ($.userIdentity.type = "IAMUser") && ($.responseElements.ConsoleLogin = "Success") })",
    R"({($.eventName=DeleteGroupPolicy) || ($.eventName=DeleteRolePolicy) || ($.eventName=DeleteUserPolicy) || ($.eventName=PutGroupPolicy) || ($.eventName=PutRolePolicy) || ($.eventName=PutUserPolicy) || ($.eventName=CreatePolicy) || ($.eventName=DeletePolicy) || ($.eventName=CreatePolicyVersion) || ($.eventName=DeletePolicyVersion) || ($.eventName=AttachRolePolicy) || ($.eventName=DetachRolePolicy) || ($.eventName=AttachUserPolicy) || ($.eventName=DetachUserPolicy) || ($.eventName=AttachGroupPolicy) || ($.eventName=DetachGroupPolicy)})",
    R"({($.eventName=CreateTrail) || ($.eventName=UpdateTrail) || ($.eventName=DeleteTrail) || ($.eventName=StartLogging) || ($.eventName=StopLogging)})",
    R"({($.eventName=ConsoleLogin) && ($.errorMessage="Failed authentication")})",
    R"({($.eventSource=kms.amazonaws.com) && (($.eventName=DisableKey) || ($.eventName=ScheduleKeyDeletion))})",
    R"({($.eventSource=s3.amazonaws.com) && (($.eventName=PutBucketAcl) || ($.eventName=PutBucketPolicy) || ($.eventName=PutBucketCors) || ($.eventName=PutBucketLifecycle) || ($.eventName=PutBucketReplication) || ($.eventName=DeleteBucketPolicy) || ($.eventName=DeleteBucketCors) || ($.eventName=DeleteBucketLifecycle) || ($.eventName=DeleteBucketReplication))})",
    R"({($.eventSource=config.amazonaws.com) && (($.eventName=StopConfigurationRecorder) || ($.eventName=DeleteDeliveryChannel) || ($.eventName=PutDeliveryChannel) || ($.eventName=PutConfigurationRecorder))})",
    R"({($.eventName=AuthorizeSecurityGroupIngress) || ($.eventName=AuthorizeSecurityGroupEgress) || ($.eventName=RevokeSecurityGroupIngress) || ($.eventName=RevokeSecurityGroupEgress) || ($.eventName=CreateSecurityGroup) || ($.eventName=DeleteSecurityGroup)})",
    R"({($.eventName=CreateNetworkAcl) || ($.eventName=CreateNetworkAclEntry) || ($.eventName=DeleteNetworkAcl) || ($.eventName=DeleteNetworkAclEntry) || ($.eventName=ReplaceNetworkAclEntry) || ($.eventName=ReplaceNetworkAclAssociation)})",
    R"({($.eventName=CreateCustomerGateway) || ($.eventName=DeleteCustomerGateway) || ($.eventName=AttachInternetGateway) || ($.eventName=CreateInternetGateway) || ($.eventName=DeleteInternetGateway) || ($.eventName=DetachInternetGateway)})",
    R"({($.eventName=CreateRoute) || ($.eventName=CreateRouteTable) || ($.eventName=ReplaceRoute) || ($.eventName=ReplaceRouteTableAssociation) || ($.eventName=DeleteRouteTable) || ($.eventName=DeleteRoute) || ($.eventName=DisassociateRouteTable)})",
    R"({($.eventName=CreateVpc) || ($.eventName=DeleteVpc) || ($.eventName=ModifyVpcAttribute) || ($.eventName=AcceptVpcPeeringConnection) || ($.eventName=CreateVpcPeeringConnection) || ($.eventName=DeleteVpcPeeringConnection) || ($.eventName=RejectVpcPeeringConnection) || ($.eventName=AttachClassicLinkVpc) || ($.eventName=DetachClassicLinkVpc) || ($.eventName=DisableVpcClassicLink) || ($.eventName=EnableVpcClassicLink)})",
};

std::vector<std::string> LoadEvents() {
  std::ifstream in(std::string(TW_SOURCE_DIR) + "/tests/data/cloudtrail/records.ndjson");
  std::vector<std::string> out;
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty()) out.push_back(line);
  }
  return out;
}

std::shared_ptr<const CompiledPattern> Compile(const std::string& p) {
  auto r = CompileFilterPattern(p);
  return r.ok() ? r.value() : nullptr;
}

void BM_Compile(benchmark::State& state) {
  const std::string p = state.range(0) == 0 ? kFailure : kCis[3];
  for (auto _ : state) benchmark::DoNotOptimize(CompileFilterPattern(p).ok());
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Compile)->Arg(0)->Arg(1);

// Evaluates `patterns` over every event; range(0) selects the pattern set.
void RunEval(benchmark::State& state, const std::vector<std::string>& texts) {
  static const std::vector<std::string> events = LoadEvents();
  if (events.empty()) {
    state.SkipWithError("tests/data/cloudtrail/records.ndjson not found");
    return;
  }
  std::vector<std::shared_ptr<const CompiledPattern>> compiled;
  for (const auto& t : texts) compiled.push_back(Compile(t));
  FilterSet set(compiled, FastPathEnabled(FastPath::kPrefilter));
  FilterScratch scratch;
  // Reference count, made one pattern at a time with separate sets.
  uint64_t expected = 0;
  for (const auto& c : compiled) {
    FilterSet one({c}, FastPathEnabled(FastPath::kPrefilter));
    FilterScratch s1;
    for (const auto& e : events) {
      one.Evaluate(e, s1);
      expected += one.Matched(0, s1);
    }
  }
  uint64_t bytes = 0;
  for (const auto& e : events) bytes += e.size();
  for (auto _ : state) {
    uint64_t matches = 0;
    for (const auto& e : events) {
      set.Evaluate(e, scratch);
      for (size_t i = 0; i < set.size(); ++i) matches += set.Matched(i, scratch);
    }
    if (matches != expected) {
      state.SkipWithError("match count differs from the one-pattern-at-a-time reference");
      return;
    }
    benchmark::DoNotOptimize(matches);
  }
  state.SetBytesProcessed(static_cast<int64_t>(bytes * state.iterations()));
  state.SetItemsProcessed(static_cast<int64_t>(events.size() * state.iterations()));
}

void BM_EvalOneJson(benchmark::State& state) { RunEval(state, {kSuccess}); }
BENCHMARK(BM_EvalOneJson);

void BM_EvalStory2(benchmark::State& state) { RunEval(state, {kSuccess, kFailure}); }
BENCHMARK(BM_EvalStory2);

void BM_EvalCis16(benchmark::State& state) {
  std::vector<std::string> all = kCis;
  all.push_back(kSuccess);
  all.push_back(kFailure);
  RunEval(state, all);
}
BENCHMARK(BM_EvalCis16);

void BM_EvalTerms(benchmark::State& state) { RunEval(state, {R"("ConsoleLogin" -"Success")"}); }
BENCHMARK(BM_EvalTerms);

void BM_EvalRegex(benchmark::State& state) { RunEval(state, {R"(%Access[A-Za-z]*Denied|Unauthorized%)"}); }
BENCHMARK(BM_EvalRegex);

void BM_EvalDelimited(benchmark::State& state) { RunEval(state, {R"([..., status_code=4*, bytes])"}); }
BENCHMARK(BM_EvalDelimited);

}  // namespace

BENCHMARK_MAIN();
