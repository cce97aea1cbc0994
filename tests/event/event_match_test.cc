// event_match_test.cc: the matching rules of the event-pattern language, operator by operator
// (spec: shared/spec/eventbridge-patterns.md §1-§4). Every case runs on the compiled matcher and on the
// reference interpreter, which must agree.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <random>

#include "tests/event/event_test_util.h"

namespace trailwatch::event {
namespace {

using testing::Matches;

struct Case {
  const char* pattern;
  const char* event;
  bool match;
};

void RunCases(const Case* cases, size_t n) {
  for (size_t i = 0; i < n; ++i) {
    SCOPED_TRACE(std::string("pattern ") + cases[i].pattern + " event " + cases[i].event);
    EXPECT_EQ(Matches(cases[i].pattern, cases[i].event), cases[i].match);
  }
}
#define RUN(table) RunCases(table, sizeof(table) / sizeof(table[0]))

TEST(EventMatchTest, ExactValues) {
  const Case cases[] = {
      {R"({"source":["aws.ec2"]})", R"({"source":"aws.ec2"})", true},
      {R"({"source":["aws.ec2"]})", R"({"source":"aws.EC2"})", false},
      {R"({"source":["aws.ec2"]})", R"({"source":"aws.ec2 "})", false},
      {R"({"source":["aws.ec2"]})", R"({"other":"aws.ec2"})", false},
      {R"({"x":[""]})", R"({"x":""})", true},
      {R"({"x":[""]})", R"({"x":null})", false},
      {R"({"x":[""]})", R"({})", false},
      {R"({"x":[""]})", R"({"x":[]})", false},
      {R"({"x":[null]})", R"({"x":null})", true},
      {R"({"x":[null]})", R"({"x":""})", false},
      {R"({"x":[null]})", R"({})", false},
      {R"({"x":[null]})", R"({"x":[]})", false},
      {R"({"x":[true]})", R"({"x":true})", true},
      {R"({"x":[true]})", R"({"x":"true"})", false},
      {R"({"x":["true"]})", R"({"x":true})", false},
      {R"({"x":[false]})", R"({"x":false})", true},
      {R"({"x":[false]})", R"({"x":0})", false},
      {R"({"x":["x\u0078"]})", R"({"x":"xx"})", true},
      {R"({"x":["xx"]})", R"({"x":"x\u0078"})", true},
      {R"({"x":["é"]})", R"({"x":"e\u0301"})", false},  // no Unicode normalization
      // objects are never leaf values
      {R"({"x":["a"]})", R"({"x":{"y":"a"}})", false},
  };
  RUN(cases);
}

TEST(EventMatchTest, Numbers) {
  const Case cases[] = {
      {R"({"x":[300]})", R"({"x":300})", true},
      {R"({"x":[300]})", R"({"x":300.0})", true},   // by value (event-ruler; README decision)
      {R"({"x":[300]})", R"({"x":3.0e2})", true},
      {R"({"x":[3.0e2]})", R"({"x":300})", true},
      {R"({"x":[300]})", R"({"x":"300"})", false},
      {R"({"x":["300"]})", R"({"x":300})", false},
      {R"({"x":[300]})", R"({"x":301})", false},
      {R"({"x":[-0]})", R"({"x":0})", true},
      {R"({"x":[0.30000000000000001]})", R"({"x":0.3})", false},  // not representable: spelling only
      {R"({"x":[0.30000000000000001]})", R"({"x":0.30000000000000001})", true},
      {R"({"x":[123456789012345678901234567890]})", R"({"x":123456789012345678901234567890})", true},
      {R"({"x":[123456789012345678901234567890]})", R"({"x":123456789012345678901234567891})", false},
      {R"({"account":[123456789012]})", R"({"account":123456789012})", true},
      {R"({"account":[123456789012]})", R"({"account":"123456789012"})", false},
  };
  RUN(cases);
}

TEST(EventMatchTest, ListsAreOrFieldsAreAnd) {
  const Case cases[] = {
      {R"({"state":["running","stopped"]})", R"({"state":"stopped"})", true},
      {R"({"state":["running","stopped"]})", R"({"state":"pending"})", false},
      {R"({"source":["aws.ec2"],"detail-type":["X"]})", R"({"source":"aws.ec2","detail-type":"X"})", true},
      {R"({"source":["aws.ec2"],"detail-type":["X"]})", R"({"source":"aws.ec2","detail-type":"Y"})", false},
      {R"({"source":["aws.ec2"],"detail-type":["X"]})", R"({"source":"aws.ec2"})", false},
      // unnamed fields are ignored
      {R"({"source":["aws.ec2"]})", R"({"source":"aws.ec2","zzz":[1,2,{"a":3}]})", true},
      // nesting must agree
      {R"({"state":["x"]})", R"({"detail":{"state":"x"}})", false},
      {R"({"detail":{"state":["x"]}})", R"({"detail":{"state":"x"}})", true},
  };
  RUN(cases);
}

TEST(EventMatchTest, EventArrays) {
  const Case cases[] = {
      {R"({"resources":["arn:a","arn:b"]})", R"({"resources":["arn:c","arn:b"]})", true},
      {R"({"resources":["arn:a"]})", R"({"resources":["arn:c","arn:d"]})", false},
      {R"({"resources":["arn:a"]})", R"({"resources":[]})", false},
      {R"({"x":["a"]})", R"({"x":[["a"]]})", true},  // arrays of arrays flatten
      {R"({"x":{"y":["a"]}})", R"({"x":[{"y":"b"},{"y":"a"}]})", true},
  };
  RUN(cases);
}

TEST(EventMatchTest, ArrayConsistency) {
  const char* employees =
      R"({"employees":[{"firstName":"John","lastName":"Doe"},{"firstName":"Anna","lastName":"Smith"}]})";
  const Case cases[] = {
      {R"({"employees":{"firstName":["Anna"],"lastName":["Smith"]}})", employees, true},
      {R"({"employees":{"firstName":["Anna"],"lastName":["Doe"]}})", employees, false},
      {R"({"employees":{"firstName":["John"],"lastName":["Doe"]}})", employees, true},
      {R"({"employees":{"firstName":["Anna","John"],"lastName":["Doe"]}})", employees, true},
      // exists:false is evaluated in the element the other fields chose
      {R"({"employees":{"firstName":["Anna"],"ids":[{"exists":false}]}})",
       R"({"employees":[{"firstName":"John","ids":[1]},{"firstName":"Anna"}]})", true},
      {R"({"employees":{"firstName":["Anna"],"ids":[{"exists":false}]}})",
       R"({"employees":[{"firstName":"John"},{"firstName":"Anna","ids":[1]}]})", false},
      // different arrays do not constrain each other
      {R"({"a":{"x":["1"]},"b":{"y":["2"]}})", R"({"a":[{"x":"0"},{"x":"1"}],"b":[{"y":"2"}]})", true},
      // nested arrays: same outer element required
      {R"({"o":{"i":{"a":["1"],"b":["2"]}}})", R"({"o":[{"i":[{"a":"1"}]},{"i":[{"b":"2"}]}]})", false},
      {R"({"o":{"i":{"a":["1"],"b":["2"]}}})", R"({"o":[{"i":[{"a":"1"},{"b":"2"}]}]})", false},
      {R"({"o":{"i":{"a":["1"],"b":["2"]}}})", R"({"o":[{"i":[{"a":"1","b":"2"}]}]})", true},
  };
  RUN(cases);
}

TEST(EventMatchTest, DottedKeys) {
  const Case cases[] = {
      {R"({"detail":{"state.status":["running"]}})", R"({"detail":{"state":{"status":"running"}}})", true},
      {R"({"detail":{"state":{"status":["running"]}}})", R"({"detail":{"state.status":"running"}})", true},
      {R"({"detail.state.status":["running"]})", R"({"detail":{"state.status":"running"}})", true},
      {R"({"detail":{"state":{"status":["running"]}}})", R"({"detail.state":{"status":"running"}})", true},
      {R"({"detail":{"state.status":["running"]}})", R"({"detail":{"state":{"status":"stopped"}}})", false},
  };
  RUN(cases);
}

TEST(EventMatchTest, DuplicateKeysLastWins) {
  const Case cases[] = {
      {R"({"x":["a"],"x":["b"]})", R"({"x":"b"})", true},
      {R"({"x":["a"],"x":["b"]})", R"({"x":"a"})", false},
      {R"({"d":{"x":["a"]},"d.x":["b"]})", R"({"d":{"x":"b"}})", true},
  };
  RUN(cases);
}

TEST(EventMatchTest, Prefix) {
  const Case cases[] = {
      {R"({"time":[{"prefix":"2017-10-02"}]})", R"({"time":"2017-10-02T18:43:48Z"})", true},
      {R"({"time":[{"prefix":"2017-10-02"}]})", R"({"time":"2017-10-03T18:43:48Z"})", false},
      {R"({"x":[{"prefix":"12"}]})", R"({"x":123})", false},
      {R"({"x":[{"prefix":""}]})", R"({"x":"anything"})", true},
      {R"({"x":[{"prefix":""}]})", R"({"x":""})", true},
      {R"({"x":[{"prefix":""}]})", R"({"x":null})", false},
      {R"({"x":[{"prefix":{"equals-ignore-case":"EventB"}}]})", R"({"x":"eventbridge"})", true},
      {R"({"x":[{"prefix":{"equals-ignore-case":"EventB"}}]})", R"({"x":"EVENTBUS"})", true},
      {R"({"x":[{"prefix":{"equals-ignore-case":"EventB"}}]})", R"({"x":"Event"})", false},
      {R"({"x":[{"prefix":{"equals-ignore-case":"ß"}}]})", R"({"x":"SSx"})", true},
  };
  RUN(cases);
}

TEST(EventMatchTest, Suffix) {
  const Case cases[] = {
      {R"({"FileName":[{"suffix":".png"}]})", R"({"FileName":"image.png"})", true},
      {R"({"FileName":[{"suffix":".png"}]})", R"({"FileName":"image.PNG"})", false},
      {R"({"FileName":[{"suffix":{"equals-ignore-case":".png"}}]})", R"({"FileName":"image.PNG"})", true},
      {R"({"FileName":[{"suffix":""}]})", R"({"FileName":"x"})", true},
      {R"({"FileName":[{"suffix":"5"}]})", R"({"FileName":5})", false},
  };
  RUN(cases);
}

TEST(EventMatchTest, EqualsIgnoreCase) {
  const Case cases[] = {
      {R"({"x":[{"equals-ignore-case":"alice"}]})", R"({"x":"ALICE"})", true},
      {R"({"x":[{"equals-ignore-case":"alice"}]})", R"({"x":"AlIcE"})", true},
      {R"({"x":[{"equals-ignore-case":"alice"}]})", R"({"x":"alic"})", false},
      {R"({"x":[{"equals-ignore-case":"Σ"}]})", R"({"x":"σ"})", true},
      {R"({"x":[{"equals-ignore-case":"σ"}]})", R"({"x":"Σ"})", true},
      {R"({"x":[{"equals-ignore-case":"straße"}]})", R"({"x":"STRASSE"})", true},
      {R"({"x":[{"equals-ignore-case":""}]})", R"({"x":""})", true},
      {R"({"x":[{"equals-ignore-case":""}]})", R"({"x":"a"})", false},
      {R"({"x":[{"equals-ignore-case":"1"}]})", R"({"x":1})", false},
  };
  RUN(cases);
}

TEST(EventMatchTest, Wildcard) {
  const Case cases[] = {
      {R"({"x":[{"wildcard":"Simple*Service"}]})", R"({"x":"SimpleQueueService"})", true},
      {R"({"x":[{"wildcard":"Simple*Service"}]})", R"({"x":"SimpleService"})", true},
      {R"({"x":[{"wildcard":"Simple*Service"}]})", R"({"x":"SimpleQueueServices"})", false},
      {R"({"x":[{"wildcard":"abc"}]})", R"({"x":"abc"})", true},
      {R"({"x":[{"wildcard":"abc"}]})", R"({"x":"abcd"})", false},
      {R"({"x":[{"wildcard":""}]})", R"({"x":""})", true},
      {R"({"x":[{"wildcard":""}]})", R"({"x":"a"})", false},
      {R"({"x":[{"wildcard":"*"}]})", R"({"x":""})", true},
      {R"({"x":[{"wildcard":"*"}]})", R"({"x":5})", false},
      {R"({"x":[{"wildcard":"a\\*\\*\\\\.b"}]})", R"({"x":"a**\\.b"})", true},
      {R"({"x":[{"wildcard":"a\\*b"}]})", R"({"x":"axb"})", false},
      {R"({"x":[{"wildcard":"*/dir/*"}]})", R"({"x":"/a/dir/b"})", true},
      {R"({"x":[{"wildcard":"a*b*c"}]})", R"({"x":"abbbc"})", true},
      {R"({"x":[{"wildcard":"a*bc*c"}]})", R"({"x":"abc"})", false},
  };
  RUN(cases);
}

TEST(EventMatchTest, AnythingBut) {
  const Case cases[] = {
      {R"({"state":[{"anything-but":"initializing"}]})", R"({"state":"running"})", true},
      {R"({"state":[{"anything-but":"initializing"}]})", R"({"state":"initializing"})", false},
      {R"({"state":[{"anything-but":"initializing"}]})", R"({})", false},
      {R"({"state":[{"anything-but":"initializing"}]})", R"({"state":null})", true},
      {R"({"state":[{"anything-but":"initializing"}]})", R"({"state":12})", true},
      {R"({"state":[{"anything-but":"initializing"}]})", R"({"state":true})", true},
      {R"({"state":[{"anything-but":"initializing"}]})", R"({"state":{"a":"b"}})", false},
      {R"({"state":[{"anything-but":["stopped","overloaded"]}]})", R"({"state":"stopped"})", false},
      {R"({"state":[{"anything-but":["stopped","overloaded"]}]})", R"({"state":"running"})", true},
      {R"({"x":[{"anything-but":5}]})", R"({"x":"5"})", true},
      {R"({"x":[{"anything-but":5}]})", R"({"x":5.0})", false},
      {R"({"x":[{"anything-but":[100,200]}]})", R"({"x":200})", false},
      {R"({"x":[{"anything-but":[100,200]}]})", R"({"x":300})", true},
      {R"({"x":[{"anything-but":"a"}]})", R"({"x":["a","b"]})", true},
      {R"({"x":[{"anything-but":"a"}]})", R"({"x":["a"]})", false},
      {R"({"x":[{"anything-but":"a"}]})", R"({"x":[]})", false},
      {R"({"x":[{"anything-but":{"prefix":"init"}}]})", R"({"x":"initializing"})", false},
      {R"({"x":[{"anything-but":{"prefix":"init"}}]})", R"({"x":"running"})", true},
      {R"({"x":[{"anything-but":{"prefix":"init"}}]})", R"({"x":12})", true},
      {R"({"x":[{"anything-but":{"prefix":["a","b"]}}]})", R"({"x":"bee"})", false},
      {R"({"x":[{"anything-but":{"prefix":["a","b"]}}]})", R"({"x":"cee"})", true},
      {R"({"x":[{"anything-but":{"suffix":".txt"}}]})", R"({"x":"a.txt"})", false},
      {R"({"x":[{"anything-but":{"suffix":".txt"}}]})", R"({"x":"a.png"})", true},
      {R"({"x":[{"anything-but":{"equals-ignore-case":"Alice"}}]})", R"({"x":"ALICE"})", false},
      {R"({"x":[{"anything-but":{"equals-ignore-case":["Alice","bob"]}}]})", R"({"x":"BOB"})", false},
      {R"({"x":[{"anything-but":{"equals-ignore-case":"Alice"}}]})", R"({"x":"carol"})", true},
      {R"({"x":[{"anything-but":{"equals-ignore-case":""}}]})", R"({"x":""})", false},
      {R"({"x":[{"anything-but":{"wildcard":"*/dir/*"}}]})", R"({"x":"/a/dir/b"})", false},
      {R"({"x":[{"anything-but":{"wildcard":["*.txt","*.md"]}}]})", R"({"x":"a.png"})", true},
      {R"({"x":[{"anything-but":{"wildcard":""}}]})", R"({"x":""})", false},
      // combined with other elements of the list (OR)
      {R"({"x":[{"anything-but":["roses"]},{"exists":false}]})", R"({})", true},
      {R"({"x":[{"anything-but":["roses"]},{"exists":false}]})", R"({"x":"roses"})", false},
      {R"({"x":[{"anything-but":["roses"]},{"exists":false}]})", R"({"x":"tulips"})", true},
  };
  RUN(cases);
}

TEST(EventMatchTest, Numeric) {
  const Case cases[] = {
      {R"({"c":[{"numeric":[">",0,"<=",5]}]})", R"({"c":5})", true},
      {R"({"c":[{"numeric":[">",0,"<=",5]}]})", R"({"c":0})", false},
      {R"({"c":[{"numeric":[">",0,"<=",5]}]})", R"({"c":0.000001})", true},
      {R"({"c":[{"numeric":[">",0,"<",5]}]})", R"({"c":5})", false},
      {R"({"c":[{"numeric":[">=",0,"<",5]}]})", R"({"c":0})", true},
      {R"({"c":[{"numeric":["<",10]}]})", R"({"c":-1e300})", true},
      {R"({"c":[{"numeric":["=",3.018e2]}]})", R"({"c":301.8})", true},
      {R"({"c":[{"numeric":["=",301.8]}]})", R"({"c":301.80})", true},
      {R"({"c":[{"numeric":[">",0]}]})", R"({"c":"300"})", false},
      {R"({"c":[{"numeric":[">",0]}]})", R"({"c":null})", false},
      {R"({"c":[{"numeric":[">",0]}]})", R"({"c":true})", false},
      {R"({"c":[{"numeric":[">",0]}]})", R"({"c":[-1,3]})", true},
      {R"({"c":[{"numeric":["<",1e300]}]})", R"({"c":1e299})", true},
      {R"({"c":[{"numeric":[">",0]}]})", R"({"c":1e400})", false},  // not representable: never matches
      {R"({"c":[{"numeric":["<",0]},{"numeric":[">",100]}]})", R"({"c":150})", true},
      {R"({"c":[{"numeric":["<",0]},{"numeric":[">",100]}]})", R"({"c":50})", false},
  };
  RUN(cases);
}

TEST(EventMatchTest, Cidr) {
  const Case cases[] = {
      {R"({"ip":[{"cidr":"10.0.0.0/24"}]})", R"({"ip":"10.0.0.255"})", true},
      {R"({"ip":[{"cidr":"10.0.0.0/24"}]})", R"({"ip":"10.0.1.0"})", false},
      {R"({"ip":[{"cidr":"10.0.0.5/24"}]})", R"({"ip":"10.0.0.1"})", true},  // host bits ignored
      {R"({"ip":[{"cidr":"0.0.0.0/0"}]})", R"({"ip":"192.168.1.1"})", true},
      {R"({"ip":[{"cidr":"10.0.0.0/24"}]})", R"({"ip":123})", false},
      {R"({"ip":[{"cidr":"10.0.0.0/24"}]})", R"({"ip":"10.0.0.1 "})", false},
      {R"({"ip":[{"cidr":"10.0.0.0/24"}]})", R"({"ip":"::ffff:10.0.0.1"})", false},
      {R"({"ip":[{"cidr":"10.0.0.0/24"}]})", R"({"ip":"010.000.000.001"})", true},
      {R"({"ip":[{"cidr":"2001:db8::/32"}]})", R"({"ip":"2001:0db8:1234::1"})", true},
      {R"({"ip":[{"cidr":"2001:db8::/32"}]})", R"({"ip":"2001:db9::1"})", false},
      {R"({"ip":[{"cidr":"2001:db8::/32"}]})", R"({"ip":"10.0.0.1"})", false},
      // an IP-looking string in a value list compares as an address
      {R"({"ip":["2001:db8::1"]})", R"({"ip":"2001:0db8:0000:0000:0000:0000:0000:0001"})", true},
      {R"({"ip":["10.0.0.1"]})", R"({"ip":"010.000.000.001"})", true},
      {R"({"ip":["10.0.0.1"]})", R"({"ip":"10.0.0.2"})", false},
  };
  RUN(cases);
}

TEST(EventMatchTest, Exists) {
  const Case cases[] = {
      {R"({"x":[{"exists":true}]})", R"({"x":"a"})", true},
      {R"({"x":[{"exists":true}]})", R"({"x":null})", true},
      {R"({"x":[{"exists":true}]})", R"({"x":""})", true},
      {R"({"x":[{"exists":true}]})", R"({"x":[]})", false},
      {R"({"x":[{"exists":true}]})", R"({"x":{"y":1}})", false},
      {R"({"x":[{"exists":true}]})", R"({})", false},
      {R"({"x":[{"exists":false}]})", R"({})", true},
      {R"({"x":[{"exists":false}]})", R"({"x":null})", false},
      {R"({"x":[{"exists":false}]})", R"({"x":[]})", true},
      {R"({"x":[{"exists":false}]})", R"({"x":{"y":1}})", true},
      {R"({"x":[{"exists":false}]})", R"({"x":"a"})", false},
      {R"({"detail":{"c":[{"exists":false}]},"source":["s"]})", R"({"source":"s","detail":{}})", true},
  };
  RUN(cases);
}

TEST(EventMatchTest, Or) {
  const Case cases[] = {
      {R"({"$or":[{"a":["1"]},{"b":["2"]}]})", R"({"b":"2"})", true},
      {R"({"$or":[{"a":["1"]},{"b":["2"]}]})", R"({"b":"1"})", false},
      {R"({"source":["s"],"$or":[{"a":["1"]},{"b":["2"]}]})", R"({"source":"s","a":"1"})", true},
      {R"({"source":["s"],"$or":[{"a":["1"]},{"b":["2"]}]})", R"({"source":"t","a":"1"})", false},
      {R"({"detail":{"$or":[{"c":[{"numeric":[">",0,"<=",5]}]},{"d":[{"numeric":["<",10]}]}]}})",
       R"({"detail":{"d":3}})", true},
      {R"({"$or":[{"a":["1"]},{"$or":[{"b":["2"]},{"c":["3"]}]}]})", R"({"c":"3"})", true},
      // a branch's field overrides the same field beside $or (event-ruler's rule overriding)
      {R"({"name":["a","b"],"$or":[{"name":[{"anything-but":"a"}]},{"condition1":["x"]}]})", R"({"name":"c"})",
       true},
      // legacy: $or that is not a proper $or is an ordinary field name
      {R"({"$or":{"a":["1"]}})", R"({"$or":{"a":"1"}})", true},
      {R"({"$or":[{"numeric":[">",0]},{"cidr":"10.0.0.0/8"}]})", R"({"$or":5})", true},
      {R"({"$or":[{"numeric":[">",0]},{"cidr":"10.0.0.0/8"}]})", R"({"$or":"10.1.1.1"})", true},
  };
  RUN(cases);
}

// The fast walk prunes objects by anchor (`source` differs: `detail` is skipped); a key after the object that
// revives a sub-rule (a duplicate `source`, a dotted `detail.x`) makes it walk the event again.
TEST(EventMatchTest, PruningAndDuplicateKeys) {
  const char* rule = R"({"source":["b"],"detail":{"x":["1"]}})";
  const Case cases[] = {
      {rule, R"({"source":"b","detail":{"x":"1"}})", true},
      {rule, R"({"source":"a","detail":{"x":"1"}})", false},
      {rule, R"({"source":"a","detail":{"x":"1"},"source":"b"})", true},
      {rule, R"({"source":"a","source":"b","detail":{"x":"1"}})", true},
      {rule, R"({"detail":{"x":"1"},"source":"b"})", true},
      {rule, R"({"source":"a","detail":{"x":"0"},"detail.x":"1","source":"b"})", true},
      {rule, R"({"source":"b","detail":{"x":"0"},"detail.x":"1"})", true},
      {rule, R"({"source":"b","detail":[{"x":"0"},{"y":"1"},{"x":"1"}]})", true},
      {rule, R"({"source":"a","detail":[{"x":"1"}],"detail":{"x":"1"}})", false},
      {R"({"source":["b"],"detail":{"x":[{"exists":false}]}})", R"({"source":"a","detail":{"y":1},"source":"b"})", true},
      {R"({"source":["b"],"detail":{"x":[{"exists":false}]}})", R"({"source":"a","detail":{"x":1},"source":"b"})", false},
      {R"({"source":["b"],"$or":[{"detail":{"x":["1"]}},{"other":{"y":["2"]}}]})",
       R"({"other":{"y":"2"},"source":"a","detail":{"x":"1"},"source":"b"})", true},
  };
  RUN(cases);
}

// Keys and strings with escapes are decoded; spaces between tokens change nothing.
TEST(EventMatchTest, EscapesAndSpaces) {
  const char* rule = R"({"source":["b"],"detail":{"x":["1"],"y.z":[{"prefix":"a/"}]}})";
  const Case cases[] = {
      {rule, R"({"source":"b","detail":{"x":"1","y":{"z":"a/c"}}})", true},
      {rule, R"({"sour\u0063e":"\u0062","detail":{"\u0078":"\u0031","y\u002ez":"a\/c"}})", true},
      {rule, R"( { "source" : "b" ,
                 "detail" : { "x" : "1" , "y" : { "z" : "a/" } } } )", true},
      {rule, R"({"source":"b","detail":{"x":"1\"","y":{"z":"a/c"}}})", false},
      {rule, R"({"source":"b","detail":{"x\"":"1","y":{"z":"a/c"}}})", false},
      {rule, R"({"source":"b","detail":{"x":"1","y":{"z":"\u0061\u002f"}}})", true},
  };
  RUN(cases);
}

// Malformed events match nothing, whichever walk reads them (both check the grammar of what they walk and
// only the bracket balance of what they skip: a bad scalar under an unnamed key goes unnoticed, as in
// On-Demand).
TEST(EventMatchTest, MalformedEventsMatchNothing) {
  const char* rule = R"({"source":["b"],"detail":{"x":[{"exists":false}]}})";
  const Case cases[] = {
      {rule, R"({"source":"b","detail":{"x":1]})", false},
      {rule, R"({"source":"b","detail":{"x":}})", false},
      {rule, R"({"source":"b" "detail":{}})", false},
      {rule, R"({"source":"b","detail":{"x":tru}})", false},
      {rule, R"({"source":"b","detail":{"x":"\q"}})", false},
      {rule, R"({"source":"b","detail":{"x":+1}})", false},
      {rule, R"({"source":"b",})", false},
      {rule, R"({"source":"b","detail":{}}})", false},
      {rule, R"({"source":"b","detail":{}})", true},
  };
  RUN(cases);
}

TEST(EventMatchTest, NonObjectEventsMatchNothing) {
  const Case cases[] = {
      {R"({"x":[{"exists":false}]})", R"([])", false},
      {R"({"x":[{"exists":false}]})", R"("text")", false},
      {R"({"x":[{"exists":false}]})", R"(not json)", false},
      {R"({"x":[{"exists":false}]})", R"({"y":1} trailing)", false},
      {R"({"x":[{"exists":false}]})", R"({"y":1})", true},
  };
  RUN(cases);
}

TEST(EventMatchTest, ConsoleLoginForwardingRule) {
  const char* rule = R"({"source":["aws.signin"],"detail-type":["AWS Console Sign In via CloudTrail"]})";
  EXPECT_TRUE(Matches(rule, R"({"source":"aws.signin","detail-type":"AWS Console Sign In via CloudTrail",
      "detail":{"eventName":"ConsoleLogin"}})"));
  EXPECT_FALSE(Matches(rule, R"({"source":"aws.signin","detail-type":"AWS Console Signin via CloudTrail"})"));
}

// ---- Issue 9: reliability (fuzzing and a differential run against aws/event-ruler) ------------------------

// E9: numbers above 2^63 written with 16-17 digits compare by value when Java prints their double with the
// same value (BigDecimal.valueOf(d).compareTo(x) == 0), else only by spelling.
TEST(Issue9Test, E9WholeNumbersAbove2To63MatchByValue) {
  const Case cases[] = {
      {R"({"x":[7.583829473921843e+19]})", R"({"x":75838294739218430000})", true},
      {R"({"x":[75838294739218430000]})", R"({"x":7.583829473921843e19})", true},
      {R"({"x":[7.583829473921843e+19]})", R"({"x":75838294739218432000})", false},  // exact binary value
      {R"({"x":[75838294739218432000]})", R"({"x":75838294739218432000})", true},    // same spelling
      {R"({"x":[{"numeric":["=",1.5104463631334033e+19]}]})", R"({"x":15104463631334033000})", true},
      {R"({"x":[{"numeric":["=",1.5104463631334033e+19]}]})", R"({"x":1.5104463631334033e19})", true},
      {R"({"x":[{"numeric":["=",1.5104463631334033e+19]}]})", R"({"x":15104463631334033408})", false},
      {R"({"x":[{"numeric":[">",9.2e18]}]})", R"({"x":9223372036854775807})", false},  // not comparable
      {R"({"x":[{"numeric":[">",9.2e18]}]})", R"({"x":9223372036854775808})", false},
      {R"({"x":[{"numeric":[">",9.2e18]}]})", R"({"x":9.223372036854776e18})", true},
      {R"({"x":[{"anything-but":[7.583829473921843e+19]}]})", R"({"x":75838294739218430000})", false},
      {R"({"x":[{"anything-but":[7.583829473921843e+19]}]})", R"({"x":75838294739218432000})", true},
  };
  RUN(cases);
  // Random doubles in [9.2e18, 1e22) written as %.17g and as their exact integer value, on both sides: a
  // number in a value list matches the same spelling, or another spelling of the same double when both are
  // comparable (the oracle: testing::JavaComparable).
  std::mt19937_64 rng(63);
  std::uniform_real_distribution<double> exponent(std::log10(9.2e18), 22.0);
  int by_value = 0, by_spelling_only = 0;
  for (int k = 0; k < 300; ++k) {
    const double d = std::pow(10.0, exponent(rng));
    char g17[40], exact[40];
    std::snprintf(g17, sizeof g17, "%.17g", d);
    std::snprintf(exact, sizeof exact, "%.0f", d);
    const std::string spellings[] = {g17, exact};
    for (const std::string& p : spellings) {
      for (const std::string& e : spellings) {
        const bool expected = p == e || (testing::JavaComparable(p) && testing::JavaComparable(e));
        SCOPED_TRACE("pattern " + p + " event " + e + " java " + testing::JavaDoubleToString(d));
        EXPECT_EQ(Matches(R"({"x":[)" + p + "]}", R"({"x":)" + e + "}"), expected);
        if (testing::JavaComparable(p)) {
          EXPECT_EQ(Matches(R"({"x":[{"numeric":["=",)" + p + "]}]}", R"({"x":)" + e + "}"),
                    testing::JavaComparable(e));
        }
        by_value += p != e && expected;
        by_spelling_only += p != e && !expected;
      }
    }
  }
  EXPECT_GT(by_value, 0);
  EXPECT_GT(by_spelling_only, 0);
}

// E1: Double.MIN_VALUE is comparable as Java spells it, 4.9E-324; 5e-324 is the same double but only its own
// spelling matches it.
TEST(Issue9Test, E1SmallestDouble) {
  const Case cases[] = {
      {R"({"x":[4.9e-324]})", R"({"x":4.9E-324})", true},
      {R"({"x":[4.9e-324]})", R"({"x":0.49e-323})", true},
      {R"({"x":[4.9e-324]})", R"({"x":5e-324})", false},
      {R"({"x":[5e-324]})", R"({"x":4.9e-324})", false},
      {R"({"x":[5e-324]})", R"({"x":5e-324})", true},
      {R"({"x":[{"numeric":[">",0]}]})", R"({"x":4.9e-324})", true},
      {R"({"x":[{"numeric":[">",0]}]})", R"({"x":5e-324})", false},
      {R"({"x":[{"numeric":["<",4.9e-324]}]})", R"({"x":0})", true},
      {R"({"x":[{"numeric":["<",4.9e-324]}]})", R"({"x":-4.9e-324})", true},
      {R"({"x":[{"anything-but":4.9e-324}]})", R"({"x":5e-324})", true},  // not comparable: passes
      {R"({"x":[{"anything-but":4.9e-324}]})", R"({"x":4.9e-324})", false},
  };
  RUN(cases);
}

// Parses `pattern` with the largest size AWS allows, evaluates `event` with both walks and the reference,
// checks they agree, and returns the match; *status gets the matcher's status (the same for both walks).
bool MatchesDeep(const std::string& pattern, const std::string& event, engine::EventStatus* status) {
  PatternOptions options;
  options.max_size = 4096;
  auto parsed = ParseEventPattern(pattern, options);
  if (!parsed.ok()) {
    ADD_FAILURE() << "pattern does not parse: " << parsed.error().aws_message;
    return false;
  }
  auto p = std::make_shared<const EventPattern>(std::move(parsed).value());
  auto set = CompileRuleSet({p});
  engine::EventMatcher fast(set, /*fast_paths=*/true), plain(set, /*fast_paths=*/false);
  engine::EventScratch fs, ps;
  const bool fast_ok = fast.Evaluate(event, fs), plain_ok = plain.Evaluate(event, ps);
  EXPECT_EQ(fast_ok, fs.status() == engine::EventStatus::kEvaluated);
  EXPECT_EQ(plain_ok, ps.status() == engine::EventStatus::kEvaluated);
  EXPECT_EQ(fs.status(), ps.status()) << engine::EventStatusName(fs.status()) << " vs "
                                      << engine::EventStatusName(ps.status());
  const bool ref = engine::ReferenceMatchesText(*p, event);
  EXPECT_EQ(fast.Matched(0, fs), ref) << "fast walk and reference disagree";
  EXPECT_EQ(plain.Matched(0, ps), ref) << "plain walk and reference disagree";
  *status = fs.status();
  return fast.Matched(0, fs);
}

// `depth` nested objects {"k":{"k":...}} around `inner`.
std::string Nest(int depth, const std::string& inner) {
  std::string s;
  for (int i = 0; i < depth; ++i) s += "{\"k\":";
  s += inner;
  s += std::string(depth, '}');
  return s;
}

// F11: every pattern the parser accepts is evaluated at its depth (it used to never match beyond 500 levels),
// and an event the matcher cannot walk is reported as such, never as a silent non-match: an event nesting
// more than EventMatcher::kMaxDepth (1,000) containers anywhere is EventStatus::kTooDeep, as EventBridge's
// Jackson parser refuses it; the reference interpreter's reader refuses it too.
TEST(Issue9Test, F11DeepNestingIsEvaluatedOrReported) {
  using engine::EventStatus;
  // The deepest pattern that fits AWS's 4,096 characters: {"k": x 681 around ["v"].
  int deepest = 0;
  {
    PatternOptions options;
    options.max_size = 4096;
    for (int depth = 400; depth < 1000; ++depth) {
      if (!ParseEventPattern(Nest(depth, "[\"v\"]"), options).ok()) break;
      deepest = depth;
    }
  }
  EXPECT_GE(deepest, 600);
  for (int depth : {499, 500, 501, 502, deepest}) {
    SCOPED_TRACE("pattern depth " + std::to_string(depth));
    const std::string pattern = Nest(depth, "[\"v\"]");
    EventStatus status;
    EXPECT_TRUE(MatchesDeep(pattern, Nest(depth, "\"v\""), &status));
    EXPECT_EQ(status, EventStatus::kEvaluated);
    EXPECT_FALSE(MatchesDeep(pattern, Nest(depth, "\"w\""), &status));
    EXPECT_EQ(status, EventStatus::kEvaluated);
    // the value inside arrays, up to the limit of 1,000 containers
    const int arrays = 1000 - depth;
    EXPECT_TRUE(MatchesDeep(pattern, Nest(depth, std::string(arrays, '[') + "\"v\"" + std::string(arrays, ']')),
                            &status));
    EXPECT_EQ(status, EventStatus::kEvaluated);
    EXPECT_FALSE(MatchesDeep(
        pattern, Nest(depth, std::string(arrays + 1, '[') + "\"v\"" + std::string(arrays + 1, ']')), &status));
    EXPECT_EQ(status, EventStatus::kTooDeep);
    // {"exists": false} on the deep path, and a deep event that lacks it
    const int absent_depth = std::min(depth, deepest - 3);  // the longer value list must fit too
    const std::string absent = Nest(absent_depth, "[{\"exists\":false}]");
    EXPECT_TRUE(MatchesDeep(absent, Nest(absent_depth - 1, "{\"other\":1}"), &status));
    EXPECT_FALSE(MatchesDeep(absent, Nest(absent_depth, "null"), &status));
  }
  // Nesting the patterns do not name counts as well, walked or skipped, objects or arrays.
  const std::string shallow = R"({"source":["x"]})";
  struct DeepEvent {
    std::string event;
    EventStatus status;
    bool match;
  };
  const DeepEvent events[] = {
      {R"({"source":"x","d":)" + Nest(999, "1") + "}", EventStatus::kEvaluated, true},
      {R"({"source":"x","d":)" + Nest(1000, "1") + "}", EventStatus::kTooDeep, false},
      {R"({"d":)" + std::string(999, '[') + std::string(999, ']') + R"(,"source":"x"})", EventStatus::kEvaluated,
       true},
      {R"({"d":)" + std::string(1000, '[') + std::string(1000, ']') + R"(,"source":"x"})", EventStatus::kTooDeep,
       false},
      {R"({"source":"x","d":")" + std::string(3000, '[') + R"("})", EventStatus::kEvaluated, true},  // a string
  };
  for (const DeepEvent& e : events) {
    SCOPED_TRACE(e.event.substr(0, 40));
    EventStatus status;
    EXPECT_EQ(MatchesDeep(shallow, e.event, &status), e.match);
    EXPECT_EQ(status, e.status);
  }
  // A pattern that names the deep part, and one whose sub-rule is pruned before it (source differs): the
  // status does not depend on what the walks enter.
  const std::string named = R"({"source":["y"],"d":)" + Nest(10, "[1]") + "}";
  for (const std::string& pattern : {named, shallow}) {
    EventStatus status;
    EXPECT_FALSE(MatchesDeep(pattern, R"({"source":"x","d":)" + Nest(1000, "1") + "}", &status));
    EXPECT_EQ(status, EventStatus::kTooDeep);
  }
  // Malformed and non-object events are kInvalid, not kTooDeep.
  EventStatus status;
  EXPECT_FALSE(MatchesDeep(shallow, R"({"source":"x",})", &status));
  EXPECT_EQ(status, EventStatus::kInvalid);
  EXPECT_FALSE(MatchesDeep(shallow, R"([{"source":"x"}])", &status));
  EXPECT_EQ(status, EventStatus::kInvalid);
}

}  // namespace
}  // namespace trailwatch::event
