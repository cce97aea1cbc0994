// setup_file.cc: the setup file's own keys (Account, Region, Regions), then its document as one stack in
// the home Region (cloudformation/stack.h), finished by FinishSetup(). See setup_file.h.
#include "engine/setup/setup_file/setup_file.h"

#include <set>
#include <utility>
#include <vector>

#include "engine/setup/check.h"
#include "engine/setup/cloudformation/document.h"
#include "engine/setup/cloudformation/stack.h"

namespace trailwatch::engine {
namespace {

using cfn::Document;
using cfn::LoadError;
using cfn::Value;

Result<Setup> LoadSetupDocument(const Document& doc) {
  const Value& root = doc.root;
  if (!root.IsMap()) return LoadError(doc.path, root.mark, "", "a setup file is a map with Resources");
  Setup setup;
  if (const Value* a = root.Find("Account"); a != nullptr) {
    if (!a->IsScalar() || !IsAccountId(a->text)) {
      return LoadError(doc.path, a->mark, "/Account", "Account must be a 12-digit account id",
                       "quote it in YAML if it starts with 0: Account: \"012345678901\"");
    }
    setup.account = a->text;
  }
  std::string home = "us-east-1";
  if (const Value* r = root.Find("Region"); r != nullptr) {
    if (!r->IsScalar() || !IsRegionName(r->text)) {
      return LoadError(doc.path, r->mark, "/Region", "Region (the home Region) must be one Region code, e.g. us-east-1");
    }
    home = r->text;
  }
  std::vector<std::string> covered = DefaultRegions();
  if (const Value* r = root.Find("Regions"); r != nullptr) {
    Result<std::vector<std::string>> expanded = cfn::RegionsOf(*r, doc.path, "/Regions");
    if (!expanded.ok()) return expanded.error();
    covered = std::move(expanded).value();
  }
  std::vector<SetupWarning> warnings;
  std::set<std::string> used;
  cfn::StackSpec spec;
  spec.doc = &doc;
  spec.setup_file = true;
  spec.account = setup.account;
  spec.stack_name = cfn::StackNameOf(doc.path);
  spec.regions = {home};
  if (auto e = cfn::LoadStack(spec, setup, warnings, used)) return *e;
  return FinishSetup(std::move(setup), std::move(covered), used, warnings);
}

}  // namespace

Result<Setup> LoadSetupFile(const std::string& path) {
  Result<Document> doc = cfn::ReadDocument(path);
  if (!doc.ok()) return doc.error();
  return LoadSetupDocument(*doc);
}

Result<Setup> LoadSetupText(std::string_view text, const std::string& name) {
  Result<Document> doc = cfn::ParseDocument(text, name);
  if (!doc.ok()) return doc.error();
  return LoadSetupDocument(*doc);
}

}  // namespace trailwatch::engine
