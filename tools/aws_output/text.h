// text.h: the AWS CLI's `--output text` (awscli/text.py, Debian 12's awscli 2.9.19): scalars as Python's str()
// prints them, a dict's scalar values tab-separated in sorted key order, then its lists and dicts under their
// upper-cased key; a list of dicts one line each over the union of their scalar keys; a list of scalars on one
// line. Pure; no exceptions.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace trailwatch::awsout {

std::string FormatText(const nlohmann::ordered_json& value);

}  // namespace trailwatch::awsout
