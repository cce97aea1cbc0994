# A CIS baseline: a single-Region trail to a log group, and the baseline module's metric filters and alarms on it.
terraform {
  required_providers {
    aws = { source = "hashicorp/aws", version = "5.100.0" }
  }
}

provider "aws" {
  region                      = "eu-central-1"
  access_key                  = "mock"
  secret_key                  = "mock"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
}

resource "aws_cloudwatch_log_group" "trail" {
  name              = "cloudtrail/management"
  retention_in_days = 365
}

resource "aws_sns_topic" "alarms" {
  name = "cis-alarms"
}

resource "aws_cloudtrail" "main" {
  name                       = "cis-trail"
  s3_bucket_name             = "cis-trail-logs"
  is_multi_region_trail      = true
  cloud_watch_logs_group_arn = "${aws_cloudwatch_log_group.trail.arn}:*"
  cloud_watch_logs_role_arn  = "arn:aws:iam::210987654321:role/cloudtrail-to-logs"
  event_selector {
    read_write_type           = "All"
    include_management_events = true
  }
}

module "baseline" {
  source          = "./baseline"
  log_group_name  = aws_cloudwatch_log_group.trail.name
  alarm_topic_arn = aws_sns_topic.alarms.arn
}
