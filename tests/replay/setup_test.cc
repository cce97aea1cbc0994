// setup_test.cc: the pure helpers of the setup model: default Regions, Region lists, ARNs, and the CLI's
// FILE@REGIONS template argument.
#include <gtest/gtest.h>

#include "engine/setup/setup.h"
#include "engine/setup/sources.h"

namespace trailwatch::engine {
namespace {

TEST(DefaultRegionsTest, TheSeventeen) {
  const std::vector<std::string> expected = {
      "us-east-1",      "us-east-2",      "us-west-1",      "us-west-2",    "ap-south-1",   "ap-northeast-1",
      "ap-northeast-2", "ap-northeast-3", "ap-southeast-1", "ap-southeast-2", "ca-central-1", "eu-central-1",
      "eu-west-1",      "eu-west-2",      "eu-west-3",      "eu-north-1",   "sa-east-1"};
  EXPECT_EQ(DefaultRegions(), expected);
  for (const std::string& r : DefaultRegions()) EXPECT_TRUE(IsRegionName(r)) << r;
}

TEST(RegionNameTest, WellFormed) {
  for (const char* ok : {"us-east-1", "us-gov-west-1", "cn-northwest-1", "us-isob-east-1", "af-south-1", "il-central-1"}) {
    EXPECT_TRUE(IsRegionName(ok)) << ok;
  }
  for (const char* bad : {"", "us-east", "useast1", "US-EAST-1", "us-east-1a", "us--1", "u-east-1", "us-east-100",
                          "default", "us-east-1 "}) {
    EXPECT_FALSE(IsRegionName(bad)) << bad;
  }
}

std::vector<std::string> Expand(std::string_view spec) {
  Result<std::vector<std::string>> r = ExpandRegions(spec);
  EXPECT_TRUE(r.ok()) << spec << ": " << (r.ok() ? "" : r.error().message);
  return r.ok() ? r.value() : std::vector<std::string>{};
}

TEST(ExpandRegionsTest, Keywords) {
  EXPECT_EQ(Expand("default"), DefaultRegions());
  EXPECT_EQ(Expand("all"), DefaultRegions());
  std::vector<std::string> no_use1(DefaultRegions().begin() + 1, DefaultRegions().end());
  EXPECT_EQ(Expand("default-except:us-east-1"), no_use1);
  EXPECT_EQ(Expand("all-except:us-east-1"), no_use1);
  EXPECT_EQ(Expand("default-except:us-east-1,eu-west-1").size(), 15u);
  EXPECT_EQ(Expand("default-except: us-east-1, eu-west-1").size(), 15u);
  EXPECT_EQ(Expand("af-south-1,default-except:us-east-1").size(), 17u);  // 16 + af-south-1
  EXPECT_EQ(Expand("af-south-1,default-except:us-east-1").front(), "af-south-1");
}

TEST(ExpandRegionsTest, ExplicitListsKeepOrderAndDropDuplicates) {
  EXPECT_EQ(Expand("eu-west-1,us-east-1,eu-west-1"), (std::vector<std::string>{"eu-west-1", "us-east-1"}));
  EXPECT_EQ(Expand(" eu-west-1 , , us-east-1"), (std::vector<std::string>{"eu-west-1", "us-east-1"}));
  EXPECT_EQ(Expand("default,af-south-1").size(), 18u);
  Result<std::vector<std::string>> words = ExpandRegions(std::vector<std::string>{"default-except:us-east-1", "eu-west-1"});
  ASSERT_TRUE(words.ok());
  EXPECT_EQ(words->size(), 15u);  // after default-except:, every word is an exclusion
}

TEST(ExpandRegionsTest, Errors) {
  struct Case {
    const char* spec;
    const char* message;
  } cases[] = {
      {"", "the Region list is empty"},
      {",", "the Region list is empty"},
      {"us-east", "`us-east` is not a Region code or a Region list keyword"},
      {"defaults", "`defaults` is not a Region code or a Region list keyword"},
      {"default-except:af-south-1", "`af-south-1` is not one of the 17 default Regions, so it cannot be excepted from them"},
      {"default-except:nowhere", "`nowhere` is not a Region code"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.spec);
    Result<std::vector<std::string>> r = ExpandRegions(std::string_view(c.spec));
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().message, c.message);
    EXPECT_EQ(r.error().exception, "ValidationError");
    EXPECT_FALSE(r.error().hint.empty());
  }
}

TEST(ParseArnTest, Fields) {
  std::optional<ParsedArn> a = ParseArn("arn:aws:logs:us-east-1:123456789012:log-group:/aws/events/x:*");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->partition, "aws");
  EXPECT_EQ(a->service, "logs");
  EXPECT_EQ(a->region, "us-east-1");
  EXPECT_EQ(a->account, "123456789012");
  EXPECT_EQ(a->resource, "log-group:/aws/events/x:*");
  std::optional<ParsedArn> iam = ParseArn("arn:aws-cn:iam::123456789012:role/x");
  ASSERT_TRUE(iam);
  EXPECT_EQ(iam->partition, "aws-cn");
  EXPECT_EQ(iam->region, "");
  EXPECT_EQ(iam->resource, "role/x");
  std::optional<ParsedArn> s3 = ParseArn("arn:aws:s3:::bucket");
  ASSERT_TRUE(s3);
  EXPECT_EQ(s3->account, "");
  EXPECT_EQ(s3->resource, "bucket");
}

TEST(ParseArnTest, Rejects) {
  for (const char* bad : {"", "arn", "arn:", "arn:aws:logs", "arn:aws:logs:us-east-1:1", "arn:aws:logs:us-east-1:1:",
                          "arn::logs:r:a:x", "arn:aws::r:a:x", "ARN:aws:logs:r:a:x", "urn:aws:logs:r:a:x",
                          "/aws/events/x"}) {
    EXPECT_FALSE(ParseArn(bad)) << bad;
  }
}

TEST(ParseTemplateArgTest, FileAndRegions) {
  Result<TemplateSource> a = ParseTemplateArg("templates/forwarding.yaml@default-except:us-east-1");
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->path, "templates/forwarding.yaml");
  EXPECT_EQ(a->regions, (std::vector<std::string>{"default-except:us-east-1"}));
  Result<TemplateSource> b = ParseTemplateArg("central.yaml@us-east-1,eu-west-1");
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(b->regions, (std::vector<std::string>{"us-east-1", "eu-west-1"}));
  Result<TemplateSource> c = ParseTemplateArg("central.yaml");
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->path, "central.yaml");
  EXPECT_TRUE(c->regions.empty());
  Result<TemplateSource> d = ParseTemplateArg("/home/me@work/central.yaml");  // '@' in a directory name
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->path, "/home/me@work/central.yaml");
}

TEST(ParseTemplateArgTest, Errors) {
  Result<TemplateSource> a = ParseTemplateArg("x.yaml@nowhere");
  ASSERT_FALSE(a.ok());
  EXPECT_EQ(a.error().message, "--template x.yaml@nowhere: `nowhere` is not a Region code or a Region list keyword");
  Result<TemplateSource> b = ParseTemplateArg("@us-east-1");
  ASSERT_FALSE(b.ok());
  EXPECT_EQ(b.error().message, "--template @us-east-1: no file name");
  EXPECT_FALSE(ParseTemplateArg("x.yaml@").ok());
}

}  // namespace
}  // namespace trailwatch::engine
