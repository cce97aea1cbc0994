#!/usr/bin/python3
# yaml_reference.py: what Debian's AWS CLI does with YAML, the reference of tests/aws_output/aws_yaml_test.cc.
#   yaml_reference.py dump: JSON lines {"v": VALUE} -> {"ok": what awscli.formatter.YAMLDumper().dump writes}
#   yaml_reference.py load: JSON lines {"y": TEXT}  -> {"ok": json.dumps(YAML(typ='safe', pure=True).load(TEXT),
#       separators=(',', ':'))} with datetimes as isoformat(), bytes decoded as UTF-8, sets as lists; or
#       {"error": CLASS, "yaml": isinstance(e, YAMLError), "message": str(e)}.
# Exit 77 when awscli or ruamel.yaml is not installed (the test is then skipped).
import datetime
import io
import json
import sys
import warnings

try:
    from awscli.formatter import YAMLDumper
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError
except ImportError:
    sys.exit(77)

warnings.simplefilter("ignore")


def default(o):
    if isinstance(o, (datetime.date, datetime.datetime)):
        return o.isoformat()
    if isinstance(o, bytes):
        return o.decode("utf-8")
    if isinstance(o, (set, frozenset)):
        return list(o)
    raise TypeError("unsupported " + type(o).__name__)


mode = sys.argv[1]
for line in sys.stdin:
    case = json.loads(line)
    try:
        if mode == "dump":
            out = io.StringIO()
            YAMLDumper().dump(case["v"], out)
            answer = {"ok": out.getvalue()}
        else:
            value = YAML(typ="safe", pure=True).load(case["y"])
            answer = {"ok": json.dumps(value, separators=(",", ":"), default=default)}
    except Exception as e:  # every failure is an answer to compare
        answer = {"error": type(e).__name__, "yaml": isinstance(e, YAMLError), "message": str(e)}
    sys.stdout.write(json.dumps(answer) + "\n")
