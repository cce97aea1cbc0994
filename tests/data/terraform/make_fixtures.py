#!/usr/bin/env python3
"""Regenerates the fixtures of tests/data/terraform/ from the configurations in src/ (see README.md).

Needs terraform (1.11) and the hashicorp/aws 5.100.0 provider in a plugin directory (default /opt/tf-plugins);
no AWS account: the providers are configured with mock keys and skip every API call, and the state is written
by this script (what an apply would have stored) and shown by `terraform show -json`.
"""
import copy
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
PLUGINS = os.environ.get("TF_PLUGIN_DIR", "/opt/tf-plugins")
ACCOUNT = "123837392027"  # the story's account (that of the sample's CloudTrail records)


def tf(cwd, *args, out=None):
    env = dict(os.environ, TF_IN_AUTOMATION="1", CHECKPOINT_DISABLE="1")
    r = subprocess.run(["terraform", *args], cwd=cwd, env=env, capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit(f"terraform {' '.join(args)} failed in {cwd}:\n{r.stderr}")
    return r.stdout


def plan(name):
    work = tempfile.mkdtemp(prefix=f"tw-tf-{name}-")
    shutil.copytree(os.path.join(HERE, "src", name), work, dirs_exist_ok=True)
    tf(work, "init", "-input=false", f"-plugin-dir={PLUGINS}")
    tf(work, "plan", "-input=false", "-out=tfplan")
    return work, json.loads(tf(work, "show", "-json", "tfplan"))


def write(name, doc):
    with open(os.path.join(HERE, name), "w") as f:
        json.dump(doc, f, indent=1, sort_keys=False)
        f.write("\n")


def story_region(module):
    # module.forward_eu_west_1 -> eu-west-1; the root's resources are the aggregator's (us-east-1).
    m = re.match(r"module\.forward_(.*)", module or "")
    return m.group(1).replace("_", "-") if m else "us-east-1"


def known(after, unknown, region, typ):
    """What the apply would have stored: `after` with every unknown leaf computed as AWS would."""
    a = copy.deepcopy(after)
    name = a.get("name") or a.get("alarm_name") or a.get("policy_name")
    arn = None
    if typ == "aws_cloudwatch_log_group":
        arn = f"arn:aws:logs:{region}:{ACCOUNT}:log-group:{name}"
        a["id"] = name
    elif typ == "aws_cloudwatch_event_rule":
        bus = a.get("event_bus_name") or "default"
        arn = f"arn:aws:events:{region}:{ACCOUNT}:rule/" + (name if bus == "default" else f"{bus}/{name}")
        a["id"] = name if bus == "default" else f"{bus}/{name}"
    elif typ == "aws_cloudwatch_event_target":
        a["id"] = f"{a['rule']}-{a['target_id']}"
    elif typ == "aws_cloudtrail":
        arn = f"arn:aws:cloudtrail:{region}:{ACCOUNT}:trail/{name}"
        a["id"] = arn
        a["home_region"] = region
        a["sns_topic_arn"] = None
    elif typ == "aws_cloudwatch_metric_alarm":
        arn = f"arn:aws:cloudwatch:{region}:{ACCOUNT}:alarm:{name}"
        a["id"] = name
    else:
        a["id"] = name
    if arn:
        a["arn"] = arn
    if "tags_all" in unknown:
        a["tags_all"] = {}
    for k, v in unknown.items():
        if v is True and k not in a:
            a[k] = None
    return a


def story_state(work, doc):
    lg_arn = f"arn:aws:logs:us-east-1:{ACCOUNT}:log-group:/aws/events/console-login"
    resources = {}
    for rc in doc["resource_changes"]:
        ch = rc["change"]
        region = story_region(rc.get("module_address"))
        attrs = known(ch["after"], ch["after_unknown"], region, rc["type"])
        # The attributes that referenced the log group's ARN.
        if rc["type"] == "aws_cloudtrail":
            attrs["cloud_watch_logs_group_arn"] = lg_arn + ":*"
        if rc["type"] == "aws_cloudwatch_event_target" and attrs.get("arn") is None:
            attrs["arn"] = lg_arn
        if rc["type"] == "aws_cloudwatch_log_resource_policy":
            attrs["policy_document"] = ch["after"].get("policy_document") or json.dumps({
                "Version": "2012-10-17",
                "Statement": [{"Effect": "Allow",
                               "Principal": {"Service": ["events.amazonaws.com", "delivery.logs.amazonaws.com"]},
                               "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
                               "Resource": lg_arn + ":*"}]}, separators=(",", ":"))
        key = (rc.get("module_address"), rc["type"], rc["name"])
        alias = region.replace("-", "_")
        provider = 'provider["registry.terraform.io/hashicorp/aws"]' + ("" if region == "us-east-1" else "." + alias)
        r = resources.setdefault(key, {"mode": "managed", "type": rc["type"], "name": rc["name"],
                                       "provider": provider, "instances": []})
        if rc.get("module_address"):
            r["module"] = rc["module_address"]
        r["instances"].append({"schema_version": 0 if rc["type"] not in ("aws_cloudwatch_event_rule", "aws_cloudwatch_event_target", "aws_cloudwatch_metric_alarm", "aws_cloudtrail") else 1,
                               "attributes": attrs, "sensitive_attributes": []})
    state = {"version": 4, "terraform_version": doc["terraform_version"], "serial": 1,
             "lineage": "00000000-0000-0000-0000-000000000001", "outputs": {}, "resources": []}
    for key in sorted(resources, key=lambda k: (k[0] or "", k[1], k[2])):
        state["resources"].append(resources[key])
    with open(os.path.join(work, "terraform.tfstate"), "w") as f:
        json.dump(state, f)
    return json.loads(tf(work, "show", "-json"))


def v6_regions(doc):
    """The forwarder module of src/fwd as provider 6 plans it: `region = var.region` in the module's resources,
    so each instance's values carry its Region (the module's for_each key)."""
    for mod in doc["planned_values"]["root_module"].get("child_modules", []):
        key = json.loads(mod["address"][len('module.fwd['):-1])
        for r in mod["resources"]:
            r["values"]["region"] = key
    for rc in doc["resource_changes"]:
        if rc.get("module_address", "").startswith("module.fwd["):
            rc["change"]["after"]["region"] = json.loads(rc["module_address"][len('module.fwd['):-1])
    for r in doc["configuration"]["root_module"]["module_calls"]["fwd"]["module"]["resources"]:
        r["expressions"]["region"] = {"references": ["var.region"]}
    return doc


def main():
    work, doc = plan("story")
    write("story.plan.json", doc)
    write("story.state.json", story_state(work, doc))
    _, doc = plan("cis")
    write("cis.plan.json", doc)
    _, doc = plan("fwd")
    write("fwd.plan.json", v6_regions(doc))


if __name__ == "__main__":
    main()
