# The ConsoleLogin story (samples/console-login/setup.yaml) as Terraform: the aggregator's resources with the
# default provider (us-east-1), one provider alias per other default Region, and the forwarding module once
# per alias (Terraform cannot for_each over providers).
terraform {
  required_providers {
    aws = { source = "hashicorp/aws", version = "5.100.0" }
  }
}

variable "account_id" {
  type    = string
  default = "123837392027"
}
variable "aggregator_region" {
  type    = string
  default = "us-east-1"
}

locals {
  signin_pattern = jsonencode({ source = ["aws.signin"], "detail-type" = ["AWS Console Sign In via CloudTrail"] })
}

provider "aws" {
  region                      = var.aggregator_region
  access_key                  = "mock"
  secret_key                  = "mock"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
}

provider "aws" {
  alias                       = "us_east_2"
  region                      = "us-east-2"
  access_key                  = "mock"
  secret_key                  = "mock"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
}

module "forward_us_east_2" {
  source            = "./forwarding"
  providers         = { aws = aws.us_east_2 }
  account_id        = var.account_id
  aggregator_region = var.aggregator_region
}

provider "aws" {
  alias                       = "us_west_1"
  region                      = "us-west-1"
  access_key                  = "mock"
  secret_key                  = "mock"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
}

module "forward_us_west_1" {
  source            = "./forwarding"
  providers         = { aws = aws.us_west_1 }
  account_id        = var.account_id
  aggregator_region = var.aggregator_region
}

provider "aws" {
  alias                       = "us_west_2"
  region                      = "us-west-2"
  access_key                  = "mock"
  secret_key                  = "mock"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
}

module "forward_us_west_2" {
  source            = "./forwarding"
  providers         = { aws = aws.us_west_2 }
  account_id        = var.account_id
  aggregator_region = var.aggregator_region
}

provider "aws" {
  alias                       = "ap_south_1"
  region                      = "ap-south-1"
  access_key                  = "mock"
  secret_key                  = "mock"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
}

module "forward_ap_south_1" {
  source            = "./forwarding"
  providers         = { aws = aws.ap_south_1 }
  account_id        = var.account_id
  aggregator_region = var.aggregator_region
}

provider "aws" {
  alias                       = "ap_northeast_1"
  region                      = "ap-northeast-1"
  access_key                  = "mock"
  secret_key                  = "mock"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
}

module "forward_ap_northeast_1" {
  source            = "./forwarding"
  providers         = { aws = aws.ap_northeast_1 }
  account_id        = var.account_id
  aggregator_region = var.aggregator_region
}

provider "aws" {
  alias                       = "ap_northeast_2"
  region                      = "ap-northeast-2"
  access_key                  = "mock"
  secret_key                  = "mock"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
}

module "forward_ap_northeast_2" {
  source            = "./forwarding"
  providers         = { aws = aws.ap_northeast_2 }
  account_id        = var.account_id
  aggregator_region = var.aggregator_region
}

provider "aws" {
  alias                       = "ap_northeast_3"
  region                      = "ap-northeast-3"
  access_key                  = "mock"
  secret_key                  = "mock"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
}

module "forward_ap_northeast_3" {
  source            = "./forwarding"
  providers         = { aws = aws.ap_northeast_3 }
  account_id        = var.account_id
  aggregator_region = var.aggregator_region
}

provider "aws" {
  alias                       = "ap_southeast_1"
  region                      = "ap-southeast-1"
  access_key                  = "mock"
  secret_key                  = "mock"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
}

module "forward_ap_southeast_1" {
  source            = "./forwarding"
  providers         = { aws = aws.ap_southeast_1 }
  account_id        = var.account_id
  aggregator_region = var.aggregator_region
}

provider "aws" {
  alias                       = "ap_southeast_2"
  region                      = "ap-southeast-2"
  access_key                  = "mock"
  secret_key                  = "mock"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
}

module "forward_ap_southeast_2" {
  source            = "./forwarding"
  providers         = { aws = aws.ap_southeast_2 }
  account_id        = var.account_id
  aggregator_region = var.aggregator_region
}

provider "aws" {
  alias                       = "ca_central_1"
  region                      = "ca-central-1"
  access_key                  = "mock"
  secret_key                  = "mock"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
}

module "forward_ca_central_1" {
  source            = "./forwarding"
  providers         = { aws = aws.ca_central_1 }
  account_id        = var.account_id
  aggregator_region = var.aggregator_region
}

provider "aws" {
  alias                       = "eu_central_1"
  region                      = "eu-central-1"
  access_key                  = "mock"
  secret_key                  = "mock"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
}

module "forward_eu_central_1" {
  source            = "./forwarding"
  providers         = { aws = aws.eu_central_1 }
  account_id        = var.account_id
  aggregator_region = var.aggregator_region
}

provider "aws" {
  alias                       = "eu_west_1"
  region                      = "eu-west-1"
  access_key                  = "mock"
  secret_key                  = "mock"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
}

module "forward_eu_west_1" {
  source            = "./forwarding"
  providers         = { aws = aws.eu_west_1 }
  account_id        = var.account_id
  aggregator_region = var.aggregator_region
}

provider "aws" {
  alias                       = "eu_west_2"
  region                      = "eu-west-2"
  access_key                  = "mock"
  secret_key                  = "mock"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
}

module "forward_eu_west_2" {
  source            = "./forwarding"
  providers         = { aws = aws.eu_west_2 }
  account_id        = var.account_id
  aggregator_region = var.aggregator_region
}

provider "aws" {
  alias                       = "eu_west_3"
  region                      = "eu-west-3"
  access_key                  = "mock"
  secret_key                  = "mock"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
}

module "forward_eu_west_3" {
  source            = "./forwarding"
  providers         = { aws = aws.eu_west_3 }
  account_id        = var.account_id
  aggregator_region = var.aggregator_region
}

provider "aws" {
  alias                       = "eu_north_1"
  region                      = "eu-north-1"
  access_key                  = "mock"
  secret_key                  = "mock"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
}

module "forward_eu_north_1" {
  source            = "./forwarding"
  providers         = { aws = aws.eu_north_1 }
  account_id        = var.account_id
  aggregator_region = var.aggregator_region
}

provider "aws" {
  alias                       = "sa_east_1"
  region                      = "sa-east-1"
  access_key                  = "mock"
  secret_key                  = "mock"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
}

module "forward_sa_east_1" {
  source            = "./forwarding"
  providers         = { aws = aws.sa_east_1 }
  account_id        = var.account_id
  aggregator_region = var.aggregator_region
}

resource "aws_cloudwatch_log_group" "console_login" {
  name = "/aws/events/console-login"
}

resource "aws_cloudwatch_log_resource_policy" "events_to_log_group" {
  policy_name = "events-to-console-login"
  policy_document = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = ["events.amazonaws.com", "delivery.logs.amazonaws.com"] }
      Action    = ["logs:CreateLogStream", "logs:PutLogEvents"]
      Resource  = "${aws_cloudwatch_log_group.console_login.arn}:*"
    }]
  })
}

resource "aws_cloudwatch_event_rule" "console_login_to_logs" {
  name          = "console-login-to-logs"
  event_pattern = local.signin_pattern
}

resource "aws_cloudwatch_event_target" "console_login_log_group" {
  rule      = aws_cloudwatch_event_rule.console_login_to_logs.name
  target_id = "console-login-log-group"
  arn       = aws_cloudwatch_log_group.console_login.arn
}

resource "aws_cloudtrail" "management" {
  name                          = "management-events"
  is_multi_region_trail         = true
  include_global_service_events = true
  enable_logging                = true
  s3_bucket_name                = "cloudtrail-${var.account_id}-${var.aggregator_region}"
  cloud_watch_logs_group_arn    = "${aws_cloudwatch_log_group.console_login.arn}:*"
  cloud_watch_logs_role_arn     = "arn:aws:iam::${var.account_id}:role/cloudtrail-to-cloudwatch-logs"
}

resource "aws_cloudwatch_log_metric_filter" "success" {
  name           = "ConsoleLoginSuccess"
  log_group_name = aws_cloudwatch_log_group.console_login.name
  pattern        = "{ (($.eventName = ConsoleLogin) && ($.responseElements.ConsoleLogin = \"Success\")) || (($.detail.eventName = ConsoleLogin) && ($.detail.responseElements.ConsoleLogin = \"Success\")) }"
  metric_transformation {
    name      = "ConsoleLoginSuccess"
    namespace = "CloudTrailMetrics"
    value     = "1"
  }
}

resource "aws_cloudwatch_log_metric_filter" "failure" {
  name           = "ConsoleLoginFailure"
  log_group_name = aws_cloudwatch_log_group.console_login.name
  pattern        = "{ ($.eventName = ConsoleLogin) && ($.errorMessage = \"Failed authentication\") || ($.detail.eventName = ConsoleLogin) && ($.detail.errorMessage = \"Failed authentication\") }"
  metric_transformation {
    name      = "ConsoleLoginFailure"
    namespace = "CloudTrailMetrics"
    value     = "1"
  }
}

resource "aws_cloudwatch_metric_alarm" "success" {
  alarm_name          = "console-login-success"
  namespace           = "CloudTrailMetrics"
  metric_name         = "ConsoleLoginSuccess"
  statistic           = "Sum"
  period              = 60
  evaluation_periods  = 1
  threshold           = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  treat_missing_data  = "notBreaching"
}

resource "aws_cloudwatch_metric_alarm" "failures" {
  alarm_name          = "console-login-failures"
  namespace           = "CloudTrailMetrics"
  metric_name         = "ConsoleLoginFailure"
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  threshold           = 3
  comparison_operator = "GreaterThanOrEqualToThreshold"
  treat_missing_data  = "notBreaching"
}
