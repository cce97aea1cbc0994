#!/usr/bin/env python3
"""compare_stats.py: compares a generated records.ndjson with the real records' statistics (stats.json).

Usage: tools/corpus/compare_stats.py CORPUS/records.ndjson [SHARED/data/cloudtrail/stats.json] [MAX_LINES]
Prints, side by side, record sizes, nesting depth, identity types, error share, readOnly share, key presence
and the top eventNames. A check for people, not a test: the generator's realism at a glance.
"""
import collections
import json
import os
import sys


def depth(v):
  if isinstance(v, dict):
    return 1 + max((depth(x) for x in v.values()), default=0)
  if isinstance(v, list):
    return 1 + max((depth(x) for x in v), default=0)
  return 0


def pct(xs, p):
  xs = sorted(xs)
  return xs[min(len(xs) - 1, int(p / 100 * len(xs)))]


def main():
  path = sys.argv[1]
  stats_path = sys.argv[2] if len(sys.argv) > 2 else os.path.join(
      os.path.dirname(__file__), '..', '..', '..', 'shared', 'data', 'cloudtrail', 'stats.json')
  limit = int(sys.argv[3]) if len(sys.argv) > 3 else 200000
  real = json.load(open(stats_path))['raw_s3_delivery_only']
  sizes, depths, types, names, keys = [], [], collections.Counter(), collections.Counter(), collections.Counter()
  errors = ro = n = 0
  with open(path) as f:
    for line in f:
      r = json.loads(line)
      n += 1
      sizes.append(len(line) - 1)
      depths.append(depth(r))
      types[str(r['userIdentity'].get('type', 'null'))] += 1
      names[r['eventName']] += 1
      errors += 'errorCode' in r
      ro += r.get('readOnly') is True
      keys.update(r.keys())
      if n >= limit:
        break
  s = real['size_bytes_compact_utf8']
  print('%-28s %-28s %s' % ('', 'generated', 'real (stats.json)'))
  print('%-28s %-28s %s' % ('records', n, real['records']))
  print('%-28s %-28s %s' % ('size mean/p50/p90/p99/max',
                            '%.0f/%d/%d/%d/%d' % (sum(sizes) / n, pct(sizes, 50), pct(sizes, 90), pct(sizes, 99),
                                                  max(sizes)),
                            '%.0f/%d/%d/%d/%d' % (s['mean'], s['p50'], s['p90'], s['p99'], s['max'])))
  d = real['depth']
  print('%-28s %-28s %s' % ('depth mean/p50/p99/max', '%.2f/%d/%d/%d' % (sum(depths) / n, pct(depths, 50),
                                                                          pct(depths, 99), max(depths)),
                            '%.2f/%d/%d/%d' % (d['mean'], d['p50'], d['p99'], d['max'])))
  print('%-28s %-28s %s' % ('errorCode share', '%.3f' % (errors / n), real['errorCode_share']))
  print('%-28s %-28s %.3f' % ('readOnly true share', '%.3f' % (ro / n),
                              real['readOnly']['True'] / real['records']))
  rt = real['userIdentity_type']
  print('userIdentity.type share:')
  for t in sorted(set(rt) | set(types)):
    print('  %-26s %-28s %.3f' % (t, '%.3f' % (types.get(t, 0) / n),
                                  rt.get(t, 0) / real['records']))
  print('key presence (generated / real):')
  for k, v in real['top_level_key_presence'].items():
    print('  %-26s %-28s %.3f' % (k, '%.3f' % (keys[k] / n), v))
  print('top eventNames (generated share / real share):')
  for name, c in names.most_common(12):
    print('  %-26s %-28s %.3f' % (name, '%.4f' % (c / n), real['eventName_all'].get(name, 0) / real['records']))


if __name__ == '__main__':
  main()
