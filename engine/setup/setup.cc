// setup.cc: the default Regions, Region lists and ARN parsing of the setup model. Pure functions, no I/O.
#include "engine/setup/setup.h"

#include <algorithm>

namespace trailwatch::engine {

const std::vector<std::string>& DefaultRegions() {
  // Regions launched before 20 March 2019 are enabled by default and cannot be disabled (AWS Account
  // Management, "Enable or disable AWS Regions in your account"); later ones are opt-in.
  static const std::vector<std::string> kRegions = {
      "us-east-1",      "us-east-2",      "us-west-1",      "us-west-2",      "ap-south-1",
      "ap-northeast-1", "ap-northeast-2", "ap-northeast-3", "ap-southeast-1", "ap-southeast-2",
      "ca-central-1",   "eu-central-1",   "eu-west-1",      "eu-west-2",      "eu-west-3",
      "eu-north-1",     "sa-east-1",
  };
  return kRegions;
}

namespace {

bool AllOf(std::string_view s, bool (*pred)(char)) {
  return !s.empty() && std::all_of(s.begin(), s.end(), pred);
}
bool IsLower(char c) { return c >= 'a' && c <= 'z'; }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

Diagnostic RegionError(std::string message, std::string hint = {}) {
  Diagnostic d;
  d.exception = "ValidationError";
  d.message = std::move(message);
  d.hint = std::move(hint);
  d.pointer = "Regions";
  return d;
}

constexpr std::string_view kRegionsHint =
    "write `default` (the 17 default Regions), `default-except:us-east-1`, or Region codes such as "
    "`us-east-1,eu-west-1`";

}  // namespace

bool IsRegionName(std::string_view name) {
  // <area>-[<qualifier>-]*<place>-<number>: us-east-1, us-gov-west-1, us-isob-east-1, cn-northwest-1.
  std::vector<std::string_view> parts;
  size_t start = 0;
  while (true) {
    size_t dash = name.find('-', start);
    parts.push_back(name.substr(start, dash == std::string_view::npos ? std::string_view::npos : dash - start));
    if (dash == std::string_view::npos) break;
    start = dash + 1;
  }
  if (parts.size() < 3 || parts.size() > 5) return false;
  if (parts.front().size() != 2 || !AllOf(parts.front(), IsLower)) return false;
  if (!AllOf(parts.back(), IsDigit) || parts.back().size() > 2) return false;
  for (size_t i = 1; i + 1 < parts.size(); ++i) {
    if (!AllOf(parts[i], IsLower)) return false;
  }
  return true;
}

Result<std::vector<std::string>> ExpandRegions(const std::vector<std::string>& words) {
  std::vector<std::string> included;
  std::vector<std::string> excluded;
  bool excluding = false;  // after `default-except:`, every word is an exclusion
  auto add = [](std::vector<std::string>& to, std::string_view r) {
    if (std::find(to.begin(), to.end(), r) == to.end()) to.emplace_back(r);
  };
  for (const std::string& raw : words) {
    std::string_view word = Trim(raw);
    if (!excluding) {
      for (std::string_view prefix : {"default-except:", "all-except:"}) {
        if (word.substr(0, prefix.size()) == prefix) {
          for (const std::string& r : DefaultRegions()) add(included, r);
          excluding = true;
          word = Trim(word.substr(prefix.size()));
          break;
        }
      }
    }
    if (word.empty()) continue;
    if (excluding) {
      if (!IsRegionName(word)) {
        return RegionError("`" + std::string(word) + "` is not a Region code", std::string(kRegionsHint));
      }
      const auto& def = DefaultRegions();
      if (std::find(def.begin(), def.end(), word) == def.end()) {
        return RegionError("`" + std::string(word) +
                               "` is not one of the 17 default Regions, so it cannot be excepted from them",
                           std::string(kRegionsHint));
      }
      add(excluded, word);
    } else if (word == "default" || word == "all") {
      for (const std::string& r : DefaultRegions()) add(included, r);
    } else if (IsRegionName(word)) {
      add(included, word);
    } else {
      return RegionError("`" + std::string(word) + "` is not a Region code or a Region list keyword",
                         std::string(kRegionsHint));
    }
  }
  std::vector<std::string> out;
  for (const std::string& r : included) {
    if (std::find(excluded.begin(), excluded.end(), r) == excluded.end()) out.push_back(r);
  }
  if (out.empty()) return RegionError("the Region list is empty", std::string(kRegionsHint));
  return out;
}

Result<std::vector<std::string>> ExpandRegions(std::string_view spec) {
  std::vector<std::string> words;
  size_t start = 0;
  while (start <= spec.size()) {
    size_t comma = spec.find(',', start);
    if (comma == std::string_view::npos) comma = spec.size();
    words.emplace_back(spec.substr(start, comma - start));
    start = comma + 1;
  }
  return ExpandRegions(words);
}

std::optional<ParsedArn> ParseArn(const std::string& arn) {
  if (arn.compare(0, 4, "arn:") != 0) return std::nullopt;
  std::string_view rest(arn);
  rest.remove_prefix(4);
  std::string_view fields[4];
  for (std::string_view& f : fields) {
    size_t colon = rest.find(':');
    if (colon == std::string_view::npos) return std::nullopt;
    f = rest.substr(0, colon);
    rest.remove_prefix(colon + 1);
  }
  if (fields[0].empty() || fields[1].empty() || rest.empty()) return std::nullopt;
  ParsedArn out;
  out.partition = std::string(fields[0]);
  out.service = std::string(fields[1]);
  out.region = std::string(fields[2]);
  out.account = std::string(fields[3]);
  out.resource = std::string(rest);
  return out;
}

bool IsAccountId(std::string_view s) {
  return s.size() == 12 && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace trailwatch::engine
