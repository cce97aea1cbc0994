#!/usr/bin/env python3
"""make_corpus.py: writes the seed corpora of the fuzz targets (tests/fuzz/corpus/<target>/seed-*) from the
project's own test data: the golden filter and event cases (pattern + messages), the input formats, the setup
files and templates. Seeds are small (< 16 KiB, the targets' cap). Crash inputs found by campaigns are kept
beside them as crash-<name> and are never rewritten by this script.

Usage: tests/fuzz/make_corpus.py   (from anywhere; rewrites only the seed-* files)
"""
import gzip
import hashlib
import json
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CORPUS = os.path.join(ROOT, "tests", "fuzz", "corpus")
CAP = 16 * 1024


def write(target, data):
    if isinstance(data, str):
        data = data.encode("utf-8", "surrogateescape")
    if not data or len(data) > CAP:
        return 0
    d = os.path.join(CORPUS, target)
    os.makedirs(d, exist_ok=True)
    name = "seed-" + hashlib.sha1(data).hexdigest()[:16]
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)
    return 1


def clean(target):
    d = os.path.join(CORPUS, target)
    if os.path.isdir(d):
        for n in os.listdir(d):
            if n.startswith("seed-"):
                os.remove(os.path.join(d, n))


def blocks(path):
    text = open(path, encoding="utf-8").read()
    for block in re.split(r"\n\s*\n", text):
        lines = [l for l in block.splitlines() if l and not l.startswith("#")]
        if lines:
            yield lines


def one_line(s):
    return s.replace("\n", "\\n")


def filter_seeds():
    n = 0
    gdir = os.path.join(ROOT, "tests", "golden", "filter")
    for name in sorted(os.listdir(gdir)):
        if not name.endswith(".cases"):
            continue
        for lines in blocks(os.path.join(gdir, name)):
            pattern, messages = None, []
            for l in lines:
                key, _, value = l.partition(": ")
                if key == "pattern":
                    pattern = value
                elif key in ("match", "nomatch", "message"):
                    messages.append(one_line(value))
            if pattern is not None:
                n += write("filter", "\n".join([pattern] + messages) + "\n")
    import json
    records = []
    with open(os.path.join(ROOT, "tests", "data", "cloudtrail", "consolelogin", "eventbridge.ndjson")) as f:
        for i, l in enumerate(f):
            if i < 3:
                records.append(l.strip())
    for p in json.load(open(os.path.join(ROOT, "tests", "data", "cis.json"))):
        text = p.get("pattern") or p.get("filterPattern") or p.get("FilterPattern")
        if text:
            n += write("filter", "\n".join([text] + records) + "\n")
    return n


def event_seeds():
    n = 0
    for lines in blocks(os.path.join(ROOT, "tests", "golden", "event", "aws-docs.cases")):
        pattern = next((l[9:] for l in lines if l.startswith("pattern: ")), None)
        events = [l[7:] for l in lines if l.startswith("event: ")]
        if pattern is not None:
            n += write("event", "\n".join([pattern] + events) + "\n")
    return n


def reader_seeds():
    n = 0
    data = os.path.join(ROOT, "tests", "data")
    for base, _, files in os.walk(data):
        for name in sorted(files):
            if name.endswith((".md", ".cases")):
                continue
            raw = open(os.path.join(base, name), "rb").read()
            if len(raw) > CAP:
                if raw[:2] == b"\x1f\x8b":
                    raw = gzip.decompress(raw)
                raw = raw[:CAP - 64]
                n += write("reader", raw)
                n += write("reader", gzip.compress(raw))
            else:
                n += write("reader", raw)
    return n


def setup_seeds():
    n = 0
    for d in (os.path.join(ROOT, "tests", "data", "setup"), os.path.join(ROOT, "samples", "console-login"),
              os.path.join(ROOT, "samples", "console-login", "templates")):
        for name in sorted(os.listdir(d)):
            if name.endswith((".yaml", ".json")) and "expected" not in name:
                n += write("setup", open(os.path.join(d, name), "rb").read())
    # The documents of the error and warning cases (every loader error and warning path).
    for cases in ("errors.cases", "warnings.cases"):
        doc = None
        for line in open(os.path.join(ROOT, "tests", "data", "setup", cases), encoding="utf-8"):
            if line.startswith("=== "):
                if doc:
                    n += write("setup", "".join(doc))
                doc = []
            elif doc is not None and not line.startswith(("--> ", "ptr ", "hint ", "aws ", "#")):
                doc.append(line)
            elif doc is not None and line.startswith("--> "):
                n += write("setup", "".join(doc))
                doc = None
        if doc:
            n += write("setup", "".join(doc))
    return n


def spec_seeds():
    """The story's test file and the specs of the `trailwatch test` CLI tests (raw strings and the table of
    malformed specs), with their placeholders pointing into the source tree."""
    n = write("spec", open(os.path.join(ROOT, "samples", "console-login", "tests", "console-login.tw.yaml"),
                           "rb").read())
    src = open(os.path.join(ROOT, "tests", "cli", "test_cli_test.cc"), encoding="utf-8").read()
    specs = [m.group(1) for m in re.finditer(r'R"\((.*?)\)"', src, re.S)]
    specs += [bytes(m.group(1), "utf-8").decode("unicode_escape")
              for m in re.finditer(r'\{"((?:[^"\\]|\\.)*tests(?:[^"\\]|\\.)*)",', src)]
    for s in specs:
        s = s.replace("SETUP", "../samples/console-login/setup.yaml")
        n += write("spec", s.replace("EXPORT_DIR", "../samples/console-login/events/AWSLogs"))
    return n


def jmespath_seeds():
    """The expressions and documents of the JMESPath tests' tables (tests/jmespath/jmespath_test.cc)."""
    src = open(os.path.join(ROOT, "tests", "jmespath", "jmespath_test.cc"), encoding="utf-8").read()
    literal = r'(?:R"\((.*?)\)"|"((?:[^"\\]|\\.)*)")'
    n = 0
    for m in re.finditer(r'\{' + literal + r',\s*' + literal, src, re.S):
        def text(raw, quoted):
            if raw is not None:
                return raw
            return quoted.encode("latin-1", "backslashreplace").decode("unicode_escape").encode("latin-1").decode(
                "utf-8", "surrogateescape")
        expression = text(m.group(1), m.group(2))
        document = text(m.group(3), m.group(4))
        if "\n" in expression or not expression:
            continue
        n += write("jmespath", expression + "\n" + document)
    return n


def aws_output_seeds():
    """YAML and JSON documents: the --cli-input-yaml values and JSON skeletons of the AWS CLI recordings
    (tests/data/aws-cli), the samples' YAML setup and test files."""
    n = 0
    data = os.path.join(ROOT, "tests", "data", "aws-cli")
    cases = open(os.path.join(data, "cli-cases.txt"), encoding="utf-8").read()
    import json
    for line in cases.splitlines():
        if line.startswith("== "):
            args = json.loads(line[3:])
            for i, a in enumerate(args[:-1]):
                if a in ("--cli-input-yaml", "--cli-input-json"):
                    n += write("aws_output", args[i + 1])
    for name in sorted(os.listdir(data)):
        if name.startswith("table-skeleton") and name.endswith(".txt"):
            n += write("aws_output", open(os.path.join(data, name), encoding="utf-8").read())
    for root, _, files in os.walk(os.path.join(ROOT, "samples")):
        for name in sorted(files):
            if name.endswith((".yaml", ".yml")):
                n += write("aws_output", open(os.path.join(root, name), encoding="utf-8").read())
    return n


def terraform_seeds():
    """The fixtures of tests/data/terraform/ (plans and a state of `terraform show -json`), each also cut down
    to its first resources so small seeds reach every branch."""
    n = 0
    data = os.path.join(ROOT, "tests", "data", "terraform")
    for name in sorted(os.listdir(data)):
        if name.endswith(".json"):
            raw = open(os.path.join(data, name), encoding="utf-8").read()
            n += write("terraform", raw)
            doc = json.loads(raw)
            doc.pop("relevant_attributes", None)
            doc.pop("prior_state", None)
            for key in ("planned_values", "values"):
                root = doc.get(key, {}).get("root_module")
                if root:
                    root["resources"] = root.get("resources", [])[:4]
                    root["child_modules"] = root.get("child_modules", [])[:1]
                    for m in root["child_modules"]:
                        m["resources"] = m.get("resources", [])[:2]
            kept = {r["address"] for key in ("planned_values", "values")
                    for r in doc.get(key, {}).get("root_module", {}).get("resources", [])}
            doc["resource_changes"] = [c for c in doc.get("resource_changes", []) if c["address"] in kept]
            for c in doc["resource_changes"]:
                c["change"].pop("before", None)
                c["change"].pop("after", None)
            config = doc.get("configuration", {}).get("root_module")
            if config:
                calls = config.get("module_calls", {})
                config["module_calls"] = {k: calls[k] for k in list(calls)[:1]}
                providers = doc["configuration"]["provider_config"]
                doc["configuration"]["provider_config"] = {k: providers[k] for k in list(providers)[:2]}
            n += write("terraform", json.dumps(doc, separators=(",", ":")))
    return n


def main():
    for t in ("filter", "event", "reader", "setup", "spec", "jmespath", "aws_output", "terraform"):
        clean(t)
    counts = {"filter": filter_seeds(), "event": event_seeds(), "reader": reader_seeds(), "setup": setup_seeds(),
              "spec": spec_seeds(), "jmespath": jmespath_seeds(), "aws_output": aws_output_seeds(), "terraform": terraform_seeds()}
    for t, c in counts.items():
        print(f"{t}: {c} seeds")
    return 0


if __name__ == "__main__":
    sys.exit(main())
