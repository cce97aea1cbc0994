#!/usr/bin/env python3
"""validate_sarif.py: the SARIF of `trailwatch check --output sarif` and `replay --output sarif` validates
against tests/data/schemas/sarif-2.1.0-subset.schema.json (Debian's python3-jsonschema), on the story's setup
and templates and on the sample replay; ruleIndex points at the rule of ruleId.
Usage: validate_sarif.py TRAILWATCH SOURCE_DIR"""
import json
import subprocess
import sys

import jsonschema


def main():
    tw, src = sys.argv[1], sys.argv[2]
    schema = json.load(open(f"{src}/tests/data/schemas/sarif-2.1.0-subset.schema.json"))
    validator = jsonschema.Draft7Validator(schema, format_checker=jsonschema.FormatChecker())
    runs = [
        ["check", "samples/console-login/setup.yaml", "--output", "sarif"],
        ["check", "--template", "samples/console-login/templates/central.yaml@us-east-1", "--template",
         "samples/console-login/templates/forwarding.yaml@default-except:us-east-1,eu-west-1", "--account",
         "123837392027", "--output", "sarif"],
        ["replay", "samples/console-login/setup.yaml", "samples/console-login/events/AWSLogs", "--output", "sarif"],
        ["replay", "samples/console-login/setup.yaml", "/dev/null", "--output", "sarif"],
    ]
    for args in runs:
        out = subprocess.run([tw] + args, cwd=src, capture_output=True, text=True)
        if out.returncode not in (0, 1):
            sys.exit(f"{args}: exit {out.returncode}: {out.stderr}")
        log = json.loads(out.stdout)
        errors = sorted(validator.iter_errors(log), key=lambda e: list(e.path))
        for e in errors:
            print(f"{' '.join(args)}: {list(e.path)}: {e.message}")
        if errors:
            sys.exit(1)
        run = log["runs"][0]
        rules = run["tool"]["driver"]["rules"]
        for r in run["results"]:
            if rules[r["ruleIndex"]]["id"] != r["ruleId"]:
                sys.exit(f"{args}: ruleIndex {r['ruleIndex']} is not {r['ruleId']}")
        print(f"{' '.join(args[:2])}: {len(run['results'])} result(s) valid")
    # The validator itself rejects what it must (a test that cannot fail is no test).
    bad = {"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "x"}},
                                          "results": [{"ruleId": "a", "message": {"text": "m"}, "level": "fatal"}]}]}
    if validator.is_valid(bad):
        sys.exit("the schema accepts an unknown level")
    print("sarif reports validate")


if __name__ == "__main__":
    main()
