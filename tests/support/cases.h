// cases.h: the one reader of the golden `.cases` files of the tests. They come in two layouts:
//  - key blocks (tests/golden/filter/*.cases, tests/golden/event/*.cases): blocks separated by blank lines, of
//    `key: value` lines (split at the first ": "; a line without one is a key with an empty value); a line
//    that starts with '#' is a comment. ReadKeyBlocks() reads every .cases file of a folder, in name order.
//  - setup cases (tests/data/setup/errors.cases, warnings.cases): a line "=== <name> <file>" starts a case;
//    the document follows verbatim up to the first line that starts with "--> "; that line and the ones after
//    it, up to the next "=== ", are the case's expected lines, which each test reads its own way. Lines before
//    the first "=== " are the file's header comment. LoadSetupCase() loads a case's document as its file name
//    says: t.yaml is a template deployed to us-east-1, any other name a setup file.
// A setup-cases file that does not open reads as no cases (the tests check their counts); a folder of key
// blocks that does not exist throws std::filesystem::filesystem_error.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "engine/setup/sources.h"

namespace trailwatch::test_support {

struct KeyLine {
  int number = 0;  // in its file, from 1
  std::string key, value;
};

struct KeyBlock {
  std::string file;  // the file's name without ".cases", e.g. "json"
  int line = 0;      // the block's first line
  std::vector<KeyLine> lines;
};

// "<file>.cases:<line>", as gtest shows a parameter.
void PrintTo(const KeyBlock& b, std::ostream* os);

std::vector<KeyBlock> ReadKeyBlocks(const std::string& dir);

struct CaseLine {
  int number = 0;  // in its file, from 1
  std::string text;
};

struct SetupCase {
  std::string name, file;
  int line = 0;                    // of the "=== " line
  std::string text;                // the document, every line ending in '\n'
  std::vector<CaseLine> expected;  // from the first "--> " line on
};

std::vector<SetupCase> ReadSetupCases(const std::string& path);

Result<engine::Setup> LoadSetupCase(const SetupCase& c);

}  // namespace trailwatch::test_support
