#!/usr/bin/python3
# reference.py: Python's jmespath (the AWS CLI's), the reference of tests/jmespath/jmespath_test.cc.
# Reads JSON lines {"e": EXPRESSION, "d": DOCUMENT} on stdin; writes one JSON line per case:
# {"ok": json.dumps(result, separators=(',', ':'))} or {"error": CLASS, "message": str(e)}.
# Exit 77 when jmespath is not installed (the test is then skipped).
import json
import sys
import warnings

try:
    import jmespath
except ImportError:
    sys.exit(77)

warnings.simplefilter("ignore")
sys.setrecursionlimit(20000)
for line in sys.stdin:
    case = json.loads(line)
    try:
        result = jmespath.search(case["e"], case["d"])
        out = {"ok": json.dumps(result, separators=(",", ":"))}
    except Exception as e:  # every failure is an answer to compare
        out = {"error": type(e).__name__, "message": str(e)}
    sys.stdout.write(json.dumps(out) + "\n")
