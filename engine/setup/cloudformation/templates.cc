// templates.cc: CloudFormation templates, each read (document.h) and instantiated as one stack in each of
// its Regions (stack.h), with parameters global and per template, finished by FinishSetup(). See
// templates.h.
#include "engine/setup/cloudformation/templates.h"

#include <set>
#include <utility>

#include "engine/setup/check.h"
#include "engine/setup/cloudformation/document.h"
#include "engine/setup/cloudformation/stack.h"

namespace trailwatch::engine {

using cfn::Document;
using cfn::Value;

Result<Setup> LoadTemplates(const std::vector<TemplateSource>& sources, const LoadOptions& options) {
  Setup setup;
  if (!IsAccountId(options.account)) {
    Diagnostic d;
    d.exception = "ValidationError";
    d.message = "account `" + options.account + "` is not a 12-digit account id";
    return d;
  }
  setup.account = options.account;
  std::vector<std::string> covered = DefaultRegions();
  if (!options.regions.empty()) {
    Result<std::vector<std::string>> r = ExpandRegions(options.regions);
    if (!r.ok()) return r.error();
    covered = std::move(r).value();
  }
  if (sources.empty()) {
    Diagnostic d;
    d.exception = "ValidationError";
    d.message = "no template to load";
    return d;
  }
  std::vector<SetupWarning> warnings;
  std::set<std::string> used;
  std::set<std::string> declared;  // parameters declared by some template
  for (const TemplateSource& src : sources) {
    Result<Document> doc = src.text ? cfn::ParseDocument(*src.text, src.path) : cfn::ReadDocument(src.path);
    if (!doc.ok()) return doc.error();
    std::vector<std::string> regions = {options.default_region};
    if (!src.regions.empty()) {
      Result<std::vector<std::string>> r = ExpandRegions(src.regions);
      if (!r.ok()) {
        Diagnostic d = r.error();
        d.message = src.path + ": " + d.message;
        return d;
      }
      regions = std::move(r).value();
    } else if (!IsRegionName(options.default_region)) {
      Diagnostic d;
      d.exception = "ValidationError";
      d.message = "`" + options.default_region + "` is not a Region code";
      return d;
    }
    const std::string account = src.account.empty() ? options.account : src.account;
    if (!IsAccountId(account)) {
      Diagnostic d;
      d.exception = "ValidationError";
      d.message = src.path + ": account `" + account + "` is not a 12-digit account id";
      return d;
    }
    // Global parameters apply where declared; the template's own override them.
    std::map<std::string, std::string> params;
    const Value* decl = doc->root.IsMap() ? doc->root.Find("Parameters") : nullptr;
    for (const auto& [k, v] : options.parameters) {
      if (decl != nullptr && decl->Find(k) != nullptr) {
        params[k] = v;
        declared.insert(k);
      }
    }
    for (const auto& [k, v] : src.parameters) params[k] = v;
    cfn::StackSpec spec;
    spec.doc = &*doc;
    spec.account = account;
    spec.stack_name = src.stack_name.empty() ? cfn::StackNameOf(src.path) : src.stack_name;
    spec.parameters = std::move(params);
    spec.regions = std::move(regions);
    if (auto e = cfn::LoadStack(spec, setup, warnings, used)) return *e;
  }
  for (const auto& [k, v] : options.parameters) {
    if (declared.count(k) == 0) {
      Diagnostic d;
      d.exception = "ValidationError";
      d.message = "parameter `" + k + "` is declared by none of the templates";
      return d;
    }
  }
  return FinishSetup(std::move(setup), std::move(covered), used, warnings);
}

Result<TemplateSource> ParseTemplateArg(std::string_view arg) {
  TemplateSource src;
  size_t at = arg.rfind('@');
  if (at == std::string_view::npos || arg.find('/', at) != std::string_view::npos) {
    src.path = std::string(arg);
  } else {
    src.path = std::string(arg.substr(0, at));
    std::string_view spec = arg.substr(at + 1);
    Result<std::vector<std::string>> regions = ExpandRegions(spec);
    if (!regions.ok()) {
      Diagnostic d = regions.error();
      d.message = "--template " + std::string(arg) + ": " + d.message;
      return d;
    }
    size_t start = 0;
    while (start <= spec.size()) {
      size_t comma = spec.find(',', start);
      if (comma == std::string_view::npos) comma = spec.size();
      src.regions.emplace_back(spec.substr(start, comma - start));
      start = comma + 1;
    }
  }
  if (src.path.empty()) {
    Diagnostic d;
    d.exception = "ValidationError";
    d.message = "--template " + std::string(arg) + ": no file name";
    return d;
  }
  return src;
}

}  // namespace trailwatch::engine
