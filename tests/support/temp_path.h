// temp_path.h: a temporary file path unique to this test process, so that tests run in parallel by CTest
// (one process per test) never write the same file. Every path handed out is removed (a file, or a directory
// with what it holds) when the test process exits, so the suite leaves nothing in the temporary directory.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <mutex>
#include <string>
#include <system_error>
#include <vector>

namespace trailwatch::test_support {

// The paths to remove at exit (one registry per process: a function-local static of an inline function).
class TempPaths {
 public:
  ~TempPaths() {
    for (const std::string& p : paths_) {
      std::error_code ec;
      std::filesystem::remove_all(p, ec);
    }
  }
  void Add(const std::string& path) {
    std::lock_guard<std::mutex> lock(mu_);
    paths_.push_back(path);
  }

 private:
  std::mutex mu_;
  std::vector<std::string> paths_;
};

inline TempPaths& RegisteredTempPaths() {
  static TempPaths paths;
  return paths;
}

inline std::string UniqueTempPath(const std::string& name) {
  const ::testing::TestInfo* info = ::testing::UnitTest::GetInstance()->current_test_info();
  std::string test = info ? std::string(info->test_suite_name()) + "." + info->name() : "global";
  for (char& c : test) {
    if (c == '/') c = '_';
  }
  std::string path = ::testing::TempDir() + "/tw_" + std::to_string(getpid()) + "_" + test + "_" + name;
  RegisteredTempPaths().Add(path);
  return path;
}

}  // namespace trailwatch::test_support
