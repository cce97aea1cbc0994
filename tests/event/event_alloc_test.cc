// event_alloc_test.cc: the matcher allocates nothing per event once its scratch has grown — with its fast
// paths on and off, one scratch serving two matchers in turn, over the real CloudTrail corpus wrapped as
// EventBridge delivers it — and neither does the CloudTrail reader that makes those events. Every operator new
// of the process is counted while the second pass runs.
#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <fstream>
#include <new>
#include <string>
#include <vector>

#include "engine/event/cloudtrail.h"
#include "engine/event/matcher.h"
#include "patterns/event/compile.h"
#include "patterns/event/parser.h"

namespace {
std::atomic<bool> counting{false};
std::atomic<size_t> allocations{0};

void* Allocate(size_t n) {
  if (counting.load(std::memory_order_relaxed)) allocations.fetch_add(1, std::memory_order_relaxed);
  return std::malloc(n == 0 ? 1 : n);
}
}  // namespace

void* operator new(size_t n) {
  if (void* p = Allocate(n)) return p;
  throw std::bad_alloc();
}
void* operator new[](size_t n) {
  if (void* p = Allocate(n)) return p;
  throw std::bad_alloc();
}
void* operator new(size_t n, const std::nothrow_t&) noexcept { return Allocate(n); }
void* operator new[](size_t n, const std::nothrow_t&) noexcept { return Allocate(n); }
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, size_t) noexcept { std::free(p); }
void operator delete[](void* p, size_t) noexcept { std::free(p); }
void operator delete(void* p, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { std::free(p); }

namespace trailwatch::event {
namespace {

std::shared_ptr<const CompiledRuleSet> Compile(const std::vector<std::string>& rules) {
  std::vector<std::shared_ptr<const EventPattern>> patterns;
  for (const std::string& r : rules) {
    auto p = ParseEventPattern(r);
    EXPECT_TRUE(p.ok()) << r;
    if (p.ok()) patterns.push_back(std::make_shared<const EventPattern>(std::move(p).value()));
  }
  return CompileRuleSet(patterns);
}

TEST(EventAllocTest, NoAllocationPerEventOnceWarm) {
  std::ifstream in(std::string(TW_TEST_DATA_DIR) + "/cloudtrail/records.ndjson");
  std::vector<std::string> events;
  std::string line, wrapped, error;
  while (std::getline(in, line)) {
    if (engine::WrapCloudTrailRecord(line, &wrapped, &error)) events.push_back(wrapped);
  }
  ASSERT_GT(events.size(), 900u);
  events.push_back(R"({"sour\u0063e":"aws.iam","detail":{"eventName":"Create\u0055ser","x":[[1,{"y":"\"q\""}]]}})");
  events.push_back(R"({"source":"aws.kms","detail":{"eventName":"Decrypt"},"source":"aws.iam"})");  // revives
  const auto security = Compile({
      R"({"source":["aws.signin"],"detail-type":["AWS Console Sign In via CloudTrail"]})",
      R"({"detail":{"userIdentity":{"type":["Root"],"invokedBy":[{"exists":false}]},"eventType":[{"anything-but":"AwsServiceEvent"}]}})",
      R"({"detail":{"errorCode":[{"suffix":"UnauthorizedOperation"},{"prefix":"AccessDenied"}]}})",
      R"({"source":["aws.iam"],"detail":{"eventName":["CreateUser","PutRolePolicy","AttachRolePolicy","CreateRole"]}})",
      R"({"source":["aws.ec2"],"detail":{"eventName":["CreateVpc","CreateRoute","AttachInternetGateway"]}})",
  });
  const auto mixed = Compile({
      R"({"detail":{"eventName":[{"equals-ignore-case":"decrypt"}],"readOnly":[true]}})",
      R"({"detail":{"sourceIPAddress":[{"cidr":"10.0.0.0/8"}],"requestParameters":{"maxResults":[{"numeric":[">",5]}]}}})",
      R"({"$or":[{"detail":{"eventSource":[{"wildcard":"*.amazonaws.com"}]}},{"resources":{"ARN":[{"exists":true}]}}]})",
  });
  for (bool fast : {true, false}) {
    SCOPED_TRACE(fast ? "fast paths on" : "fast paths off");
    engine::EventMatcher a(security, fast), b(mixed, fast);
    engine::EventScratch scratch;
    size_t warm = 0, counted = 0;
    for (const std::string& e : events) {  // warm: the scratch grows to the largest event and set
      a.Evaluate(e, scratch);
      warm += a.MatchCount(scratch);
      b.Evaluate(e, scratch);
      warm += b.MatchCount(scratch);
    }
    allocations = 0;
    counting = true;
    for (const std::string& e : events) {
      a.Evaluate(e, scratch);
      counted += a.MatchCount(scratch);
      b.Evaluate(e, scratch);
      counted += b.MatchCount(scratch);
    }
    counting = false;
    EXPECT_EQ(allocations.load(), 0u);
    EXPECT_EQ(counted, warm);
    EXPECT_GT(counted, 0u);
  }
}

// The CloudTrail reader (facts and envelope of each record, as routing and grep --event-pattern use it) gives
// exactly what ReadCloudTrailFacts() and WrapCloudTrailRecord() give, record after record — a record that does
// not parse in between leaves nothing behind — and allocates nothing once warm.
TEST(EventAllocTest, CloudTrailReaderAgreesAndAllocatesNothingOnceWarm) {
  std::ifstream in(std::string(TW_TEST_DATA_DIR) + "/cloudtrail/records.ndjson");
  std::vector<std::string> records;
  std::string line;
  while (std::getline(in, line)) {
    records.push_back(line);
    if (records.size() % 100 == 0) records.push_back("{\"eventID\": \"cut");  // does not parse
    if (records.size() % 150 == 0) records.push_back("[1, 2]");  // not an object
  }
  ASSERT_GT(records.size(), 900u);
  engine::CloudTrailReader reader;
  engine::CloudTrailFacts facts, expected;
  std::string error, expected_error, wrapped, expected_wrapped;
  size_t read = 0;
  for (const std::string& r : records) {
    const bool ok = reader.Read(r, &facts, &error);
    ASSERT_EQ(ok, engine::ReadCloudTrailFacts(r, &expected, &expected_error)) << r;
    if (!ok) {
      EXPECT_EQ(error, expected_error);
      continue;
    }
    ++read;
    EXPECT_EQ(facts.event_id, expected.event_id);
    EXPECT_EQ(facts.event_name, expected.event_name);
    EXPECT_EQ(facts.event_source, expected.event_source);
    EXPECT_EQ(facts.event_type, expected.event_type);
    EXPECT_EQ(facts.event_time, expected.event_time);
    EXPECT_EQ(facts.aws_region, expected.aws_region);
    EXPECT_EQ(facts.account, expected.account);
    EXPECT_EQ(facts.read_only, expected.read_only);
    EXPECT_EQ(facts.management, expected.management);
    reader.Wrap(r, facts, &wrapped);
    ASSERT_TRUE(engine::WrapCloudTrailRecord(r, &expected_wrapped, &expected_error));
    EXPECT_EQ(wrapped, expected_wrapped);
  }
  EXPECT_GT(read, 900u);
  // Second pass, counted: Read and Wrap apart, so a failure says which one allocates. (The error texts of the
  // broken records are assigned to `error`, whose capacity the first pass grew.)
  size_t in_read = 0, in_wrap = 0;
  for (const std::string& r : records) {
    allocations = 0;
    counting = true;
    const bool ok = reader.Read(r, &facts, &error);
    counting = false;
    in_read += allocations.load();
    if (!ok) continue;
    allocations = 0;
    counting = true;
    reader.Wrap(r, facts, &wrapped);
    counting = false;
    in_wrap += allocations.load();
  }
  EXPECT_EQ(in_read, 0u);
  EXPECT_EQ(in_wrap, 0u);
}

}  // namespace
}  // namespace trailwatch::event
