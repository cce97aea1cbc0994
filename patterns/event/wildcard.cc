// wildcard.cc: see wildcard.h.
#include "patterns/event/wildcard.h"

#include <algorithm>
#include <cstdint>
#include <map>
#include <queue>
#include <set>

namespace trailwatch::event {

bool ParseWildcard(std::string_view value, Wildcard* out, std::string* error) {
  out->pieces.assign(1, std::string());
  for (size_t i = 0; i < value.size(); ++i) {
    const char c = value[i];
    const size_t pos = i + 1;  // event-ruler counts from the leading quote it prepends
    if (c == '*') {
      if (i + 1 < value.size() && value[i + 1] == '*') {
        *error = "Consecutive wildcard characters at pos " + std::to_string(pos);
        return false;
      }
      out->pieces.emplace_back();
    } else if (c == '\\') {
      if (i + 1 < value.size() && (value[i + 1] == '*' || value[i + 1] == '\\')) {
        out->pieces.back().push_back(value[i + 1]);
        ++i;
      } else {
        *error = "Invalid escape character at pos " + std::to_string(pos);
        return false;
      }
    } else {
      out->pieces.back().push_back(c);
    }
  }
  return true;
}

bool MatchWildcard(const Wildcard& w, std::string_view s) {
  const auto& p = w.pieces;
  if (p.size() == 1) return s == p[0];
  const std::string& first = p.front();
  const std::string& last = p.back();
  if (s.size() < first.size() + last.size()) return false;
  if (s.substr(0, first.size()) != first) return false;
  if (s.substr(s.size() - last.size()) != last) return false;
  size_t at = first.size();
  const size_t end = s.size() - last.size();
  for (size_t k = 1; k + 1 < p.size(); ++k) {
    const std::string& piece = p[k];
    if (piece.empty()) continue;
    const size_t found = s.substr(0, end).find(piece, at);
    if (found == std::string_view::npos) return false;
    at = found + piece.size();
  }
  return at <= end;
}

int WildcardComplexity(const std::vector<const Wildcard*>& wildcards, int cap) {
  // Items per wildcard: -1 = star, else a byte. A state (w, k) means items[0..k) are matched.
  std::vector<std::vector<int>> items;
  std::set<int> alphabet;
  for (const Wildcard* w : wildcards) {
    std::vector<int> v;
    for (size_t k = 0; k < w->pieces.size(); ++k) {
      if (k > 0) v.push_back(-1);
      for (unsigned char c : w->pieces[k]) {
        v.push_back(c);
        alphabet.insert(c);
      }
    }
    items.push_back(std::move(v));
  }
  alphabet.insert(256);  // any other byte
  using State = std::pair<uint32_t, uint32_t>;
  auto closure = [&](std::vector<State>& set) {
    for (size_t i = 0; i < set.size(); ++i) {
      auto [w, k] = set[i];
      if (k < items[w].size() && items[w][k] == -1) {
        State next{w, k + 1};
        if (std::find(set.begin(), set.end(), next) == set.end()) set.push_back(next);
      }
    }
    std::sort(set.begin(), set.end());
  };
  // Live states: those that can still reach the end of their wildcard (all can), but a state at the end that is
  // not a star cannot consume more; count every state in the set.
  std::vector<State> start;
  for (uint32_t w = 0; w < items.size(); ++w) start.push_back({w, 0});
  closure(start);
  std::set<std::vector<State>> seen{start};
  std::queue<std::vector<State>> todo;
  todo.push(start);
  int best = static_cast<int>(start.size());
  size_t explored = 0;
  while (!todo.empty() && best < cap && explored < 20000) {
    std::vector<State> cur = std::move(todo.front());
    todo.pop();
    ++explored;
    for (int b : alphabet) {
      std::vector<State> next;
      for (auto [w, k] : cur) {
        if (k >= items[w].size()) continue;
        const int it = items[w][k];
        if (it == -1) next.push_back({w, k});
        else if (it == b) next.push_back({w, k + 1});
      }
      if (next.empty()) continue;
      std::sort(next.begin(), next.end());
      next.erase(std::unique(next.begin(), next.end()), next.end());
      closure(next);
      best = std::max(best, static_cast<int>(next.size()));
      if (seen.insert(next).second) todo.push(std::move(next));
    }
  }
  return std::min(best, cap);
}

}  // namespace trailwatch::event
