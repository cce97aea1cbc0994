# v6 style multi-Region: one provider, the forwarder module for_each over Regions with `region = each.key`
# (written for provider 5.100, which has no `region` argument; see ../README.md for the edit).
terraform {
  required_providers {
    aws = { source = "hashicorp/aws", version = "5.100.0" }
  }
}

variable "regions" {
  type    = list(string)
  default = ["eu-west-1", "eu-central-1"]
}

provider "aws" {
  region                      = "us-east-1"
  access_key                  = "mock"
  secret_key                  = "mock"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
}

resource "aws_cloudwatch_event_bus" "central" {
  name = "central"
}

resource "aws_cloudwatch_log_group" "central" {
  name = "/aws/events/central"
}

resource "aws_cloudwatch_event_rule" "central" {
  name           = "central-to-logs"
  event_bus_name = aws_cloudwatch_event_bus.central.name
  event_pattern  = jsonencode({ source = [{ prefix = "aws." }] })
}

resource "aws_cloudwatch_event_target" "central" {
  rule           = aws_cloudwatch_event_rule.central.name
  event_bus_name = aws_cloudwatch_event_bus.central.name
  target_id      = "central-log-group"
  arn            = aws_cloudwatch_log_group.central.arn
}

module "fwd" {
  source          = "./fwd"
  for_each        = toset(var.regions)
  region          = each.key
  central_bus_arn = aws_cloudwatch_event_bus.central.arn
  role_arn        = "arn:aws:iam::111122223333:role/forward-to-central"
}
