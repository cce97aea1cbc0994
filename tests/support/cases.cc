// cases.cc: see cases.h.
#include "tests/support/cases.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace trailwatch::test_support {

void PrintTo(const KeyBlock& b, std::ostream* os) { *os << b.file << ".cases:" << b.line; }

std::vector<KeyBlock> ReadKeyBlocks(const std::string& dir) {
  std::vector<KeyBlock> blocks;
  std::vector<std::filesystem::path> files;
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    if (e.path().extension() == ".cases") files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  for (const auto& path : files) {
    std::ifstream in(path);
    std::string text;
    KeyBlock cur;
    int n = 0;
    auto flush = [&] {
      if (!cur.lines.empty()) blocks.push_back(cur);
      cur = KeyBlock{};
    };
    while (std::getline(in, text)) {
      ++n;
      if (text.empty()) {
        flush();
        continue;
      }
      if (text[0] == '#') continue;
      const size_t colon = text.find(": ");
      std::string key = colon == std::string::npos ? text : text.substr(0, colon);
      std::string value = colon == std::string::npos ? "" : text.substr(colon + 2);
      if (cur.lines.empty()) {
        cur.file = path.stem().string();
        cur.line = n;
      }
      cur.lines.push_back(KeyLine{n, key, value});
    }
    flush();
  }
  return blocks;
}

std::vector<SetupCase> ReadSetupCases(const std::string& path) {
  std::ifstream in(path);
  std::vector<SetupCase> out;
  std::string line;
  int n = 0;
  while (std::getline(in, line)) {
    ++n;
    if (line.rfind("=== ", 0) == 0) {
      std::istringstream header(line.substr(4));
      SetupCase c;
      header >> c.name >> c.file;
      c.line = n;
      out.push_back(c);
    } else if (out.empty()) {
      continue;  // the header comment
    } else if (!out.back().expected.empty() || line.rfind("--> ", 0) == 0) {
      out.back().expected.push_back(CaseLine{n, line});
    } else {
      out.back().text += line + "\n";
    }
  }
  return out;
}

Result<engine::Setup> LoadSetupCase(const SetupCase& c) {
  if (c.file == "t.yaml") {
    engine::TemplateSource src;
    src.path = c.file;
    src.text = c.text;
    src.regions = {"us-east-1"};
    return engine::LoadTemplates({src});
  }
  return engine::LoadSetupText(c.text, c.file);
}

}  // namespace trailwatch::test_support
