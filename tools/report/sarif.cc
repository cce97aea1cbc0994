// sarif.cc: see sarif.h.
#include "tools/report/sarif.h"

#include <cstdio>

#include "engine/version.h"

namespace trailwatch::report {

namespace {

using Json = nlohmann::ordered_json;

const char* Level(engine::Severity s) {
  switch (s) {
    case engine::Severity::kHigh: return "error";
    case engine::Severity::kMedium: return "warning";
    case engine::Severity::kLow: return "note";
  }
  return "note";
}

std::string Uri(std::string path) {
  for (char& c : path) {
    if (c == '\\') c = '/';
  }
  while (path.rfind("./", 0) == 0) path.erase(0, 2);
  return path;
}

// FNV-1a, 64 bits, as hex: stable across runs and machines.
std::string Fingerprint(const std::string& text) {
  uint64_t h = 1469598103934665603ull;
  for (unsigned char c : text) {
    h ^= c;
    h *= 1099511628211ull;
  }
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return buf;
}

Json Rule(std::string_view id, std::string_view meaning, engine::Severity s) {
  Json r;
  r["id"] = std::string(id);
  r["name"] = std::string(id);
  r["shortDescription"] = {{"text", std::string(meaning)}};
  r["fullDescription"] = {{"text", std::string(meaning)}};
  r["defaultConfiguration"] = {{"level", Level(s)}};
  r["help"] = {{"text", std::string(meaning) + " (see README \"trailwatch check\" and \"Findings\")"}};
  return r;
}

Json Log(Json rules, Json results) {
  Json driver;
  driver["name"] = "trailwatch";
  driver["version"] = trailwatch::kVersion;
  driver["informationUri"] = "https://github.com/trailwatch/trailwatch";
  driver["rules"] = std::move(rules);
  Json run;
  run["tool"] = {{"driver", std::move(driver)}};
  run["invocations"] = Json::array({{{"executionSuccessful", true}}});
  run["results"] = std::move(results);
  Json log;
  log["$schema"] = "https://json.schemastore.org/sarif-2.1.0.json";
  log["version"] = "2.1.0";
  log["runs"] = Json::array({std::move(run)});
  return log;
}

Json Result(std::string_view kind, size_t rule_index, engine::Severity s, const std::string& message,
            const std::string& file, uint64_t line, uint32_t column, const std::string& resource) {
  Json r;
  r["ruleId"] = std::string(kind);
  r["ruleIndex"] = rule_index;
  r["level"] = Level(s);
  r["message"] = {{"text", message}};
  Json loc = Json::object();
  if (!file.empty()) {
    Json phys;
    phys["artifactLocation"] = {{"uri", Uri(file)}};
    if (line > 0) {
      Json region;
      region["startLine"] = line;
      if (column > 0) region["startColumn"] = column;
      phys["region"] = std::move(region);
    }
    loc["physicalLocation"] = std::move(phys);
  }
  if (!resource.empty()) loc["logicalLocations"] = Json::array({{{"name", resource}, {"kind", "resource"}}});
  r["locations"] = loc.empty() ? Json::array() : Json::array({std::move(loc)});
  r["partialFingerprints"] = {{"trailwatch/v1", Fingerprint(std::string(kind) + "\n" + resource + "\n" + message)}};
  return r;
}

}  // namespace

nlohmann::ordered_json CheckSarif(const std::vector<engine::CheckFinding>& findings) {
  Json rules = Json::array();
  for (const engine::CheckKindInfo& k : engine::kCheckKinds) rules.push_back(Rule(k.name, k.meaning, k.severity));
  Json results = Json::array();
  for (const engine::CheckFinding& f : findings) {
    results.push_back(Result(f.info().name, static_cast<size_t>(f.kind), f.info().severity, f.message, f.file, f.line,
                             f.column, f.resource));
  }
  return Log(std::move(rules), std::move(results));
}

nlohmann::ordered_json ReplaySarif(const engine::ReplayResult& result) {
  Json rules = Json::array();
  for (const engine::FindingKindInfo& k : engine::kFindingKinds) rules.push_back(Rule(k.name, k.meaning, k.severity));
  Json results = Json::array();
  for (const engine::Finding& f : result.findings) {
    // The first example places the finding in the input (a file and line); the others are in the message.
    const engine::FindingExample* e = f.examples.empty() ? nullptr : &f.examples.front();
    std::string message = f.message + " (" + std::to_string(f.count) + " event(s))";
    results.push_back(Result(f.info().name, static_cast<size_t>(f.kind), f.info().severity, message,
                             e ? e->file : "", e ? e->line : 0, 0, ""));
  }
  return Log(std::move(rules), std::move(results));
}

}  // namespace trailwatch::report
