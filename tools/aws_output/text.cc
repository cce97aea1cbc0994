// text.cc: the AWS CLI's --output text (text.h).
#include "tools/aws_output/text.h"

#include <algorithm>
#include <cctype>
#include <optional>
#include <set>
#include <vector>

#include "tools/jmespath/jmespath.h"

namespace trailwatch::awsout {

namespace {

bool IsScalar(const nlohmann::ordered_json& v) { return !v.is_object() && !v.is_array(); }
std::string PyText(const nlohmann::ordered_json& v) { return jmespath::PythonStr(v); }
std::string Upper(std::string s) {
  for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

void FormatItem(const nlohmann::ordered_json& item, std::string& out, const std::optional<std::string>& identifier,
                const std::vector<std::string>* scalar_keys);

void FormatScalarList(const std::vector<const nlohmann::ordered_json*>& elements,
                      const std::optional<std::string>& identifier, std::string& out) {
  if (identifier) {
    for (const auto* e : elements) out += Upper(*identifier) + "\t" + PyText(*e) + "\n";
    return;
  }
  for (size_t i = 0; i < elements.size(); ++i) out += (i ? "\t" : "") + PyText(*elements[i]);
  out += "\n";
}

void FormatList(const nlohmann::ordered_json& item, const std::optional<std::string>& identifier, std::string& out) {
  if (item.empty()) return;
  bool any_dict = false, any_list = false;
  for (const auto& e : item) {
    any_dict = any_dict || e.is_object();
    any_list = any_list || e.is_array();
  }
  if (any_dict) {
    std::set<std::string> keys;  // every scalar key of the dicts, sorted (non-dicts have none)
    for (const auto& e : item) {
      if (!e.is_object()) continue;
      for (auto it = e.begin(); it != e.end(); ++it) {
        if (IsScalar(it.value())) keys.insert(it.key());
      }
    }
    const std::vector<std::string> all(keys.begin(), keys.end());
    for (const auto& e : item) FormatItem(e, out, identifier, &all);
    return;
  }
  std::vector<const nlohmann::ordered_json*> scalars, others;
  for (const auto& e : item) (IsScalar(e) ? scalars : others).push_back(&e);
  if (any_list) {
    if (!scalars.empty()) FormatScalarList(scalars, identifier, out);
    for (const auto* e : others) FormatItem(*e, out, identifier, nullptr);
    return;
  }
  FormatScalarList(scalars, identifier, out);
}

void FormatDict(const nlohmann::ordered_json& item, const std::optional<std::string>& identifier,
                const std::vector<std::string>* scalar_keys, std::string& out) {
  std::vector<std::string> scalars;
  std::vector<std::pair<std::string, const nlohmann::ordered_json*>> others;
  if (scalar_keys == nullptr) {
    std::vector<std::string> keys;
    for (auto it = item.begin(); it != item.end(); ++it) keys.push_back(it.key());
    std::sort(keys.begin(), keys.end());
    for (const std::string& k : keys) {
      const auto& v = item[k];
      if (IsScalar(v)) {
        scalars.push_back(PyText(v));
      } else {
        others.emplace_back(k, &v);
      }
    }
  } else {
    for (const std::string& k : *scalar_keys) {
      const auto it = item.find(k);
      scalars.push_back(it == item.end() ? std::string() : PyText(*it));
    }
    std::vector<std::string> rest;
    for (auto it = item.begin(); it != item.end(); ++it) {
      if (!std::binary_search(scalar_keys->begin(), scalar_keys->end(), it.key())) rest.push_back(it.key());
    }
    std::sort(rest.begin(), rest.end());
    for (const std::string& k : rest) others.emplace_back(k, &item[k]);
  }
  if (!scalars.empty()) {
    if (identifier) scalars.insert(scalars.begin(), Upper(*identifier));
    for (size_t i = 0; i < scalars.size(); ++i) out += (i ? "\t" : "") + scalars[i];
    out += "\n";
  }
  for (const auto& [key, value] : others) FormatItem(*value, out, key, nullptr);
}

void FormatItem(const nlohmann::ordered_json& item, std::string& out, const std::optional<std::string>& identifier,
                const std::vector<std::string>* scalar_keys) {
  if (item.is_object()) {
    FormatDict(item, identifier, scalar_keys, out);
  } else if (item.is_array()) {
    FormatList(item, identifier, out);
  } else {
    out += PyText(item) + "\n";
  }
}

}  // namespace

std::string FormatText(const nlohmann::ordered_json& value) {
  std::string out;
  FormatItem(value, out, std::nullopt, nullptr);
  return out;
}


}  // namespace trailwatch::awsout
