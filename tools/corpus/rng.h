// rng.h: the generator's deterministic random numbers — xoshiro256** seeded through SplitMix64.
//
// Contract: the same seed and stream give the same sequence on every platform and build (no std::
// distributions, whose output is implementation-defined). Independent streams (records, file names,
// delivery delays) come from Rng(seed, stream), so choosing which outputs to write never changes the records.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace trailwatch::corpus {

class Rng {
 public:
  Rng(uint64_t seed, uint64_t stream) {
    uint64_t x = seed ^ (stream * 0x9e3779b97f4a7c15ull) ^ 0x5851f42d4c957f2dull;
    for (uint64_t& w : s_) w = SplitMix(x);
  }

  uint64_t Next() {
    const uint64_t result = Rotl(s_[1] * 5, 7) * 9;
    const uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = Rotl(s_[3], 45);
    return result;
  }

  // Uniform in [0, n) (n > 0); Lemire's multiply-shift, bias below 2^-32 for the n used here.
  uint32_t Below(uint32_t n) { return static_cast<uint32_t>(((Next() >> 32) * static_cast<uint64_t>(n)) >> 32); }
  // Uniform in [lo, hi].
  int64_t Between(int64_t lo, int64_t hi) { return lo + static_cast<int64_t>(Below(static_cast<uint32_t>(hi - lo + 1))); }
  // Uniform in [0, 1).
  double Uniform() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }
  bool Chance(double p) { return Uniform() < p; }

 private:
  static uint64_t Rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  static uint64_t SplitMix(uint64_t& x) {
    uint64_t z = (x += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
  }
  uint64_t s_[4];
};

// A weighted choice among n items, by binary search over cumulative weights.
class WeightedChoice {
 public:
  WeightedChoice() = default;
  explicit WeightedChoice(std::span<const uint32_t> weights) {
    uint64_t sum = 0;
    for (uint32_t w : weights) cumulative_.push_back(sum += w);
  }
  bool empty() const { return cumulative_.empty() || cumulative_.back() == 0; }
  // Index of the chosen item (requires !empty()).
  uint32_t Pick(Rng& rng) const {
    const uint64_t r = static_cast<uint64_t>(rng.Uniform() * static_cast<double>(cumulative_.back()));
    uint32_t lo = 0, hi = static_cast<uint32_t>(cumulative_.size()) - 1;
    while (lo < hi) {
      const uint32_t mid = (lo + hi) / 2;
      if (cumulative_[mid] > r) hi = mid; else lo = mid + 1;
    }
    return lo;
  }

 private:
  std::vector<uint64_t> cumulative_;
};

}  // namespace trailwatch::corpus
