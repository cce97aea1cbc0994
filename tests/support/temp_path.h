// temp_path.h: a temporary file path unique to this test process, so that tests run in parallel by CTest
// (one process per test) never write the same file.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <string>

namespace trailwatch::test_support {

inline std::string UniqueTempPath(const std::string& name) {
  const ::testing::TestInfo* info = ::testing::UnitTest::GetInstance()->current_test_info();
  std::string test = info ? std::string(info->test_suite_name()) + "." + info->name() : "global";
  for (char& c : test) {
    if (c == '/') c = '_';
  }
  return ::testing::TempDir() + "/tw_" + std::to_string(getpid()) + "_" + test + "_" + name;
}

}  // namespace trailwatch::test_support
