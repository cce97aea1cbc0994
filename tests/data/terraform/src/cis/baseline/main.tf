# CIS AWS Foundations benchmark 3.x / Security Hub CloudWatch.1-4: a metric filter and an alarm per pattern on
# the trail's log group. Patterns copied from Security Hub's CloudWatch controls.
variable "log_group_name" { type = string }
variable "alarm_topic_arn" { type = string }

locals {
  filters = {
    root_usage = "{$.userIdentity.type=\"Root\" && $.userIdentity.invokedBy NOT EXISTS && $.eventType !=\"AwsServiceEvent\"}"
    unauthorized_api_calls = "{($.errorCode=\"*UnauthorizedOperation\") || ($.errorCode=\"AccessDenied*\")}"
    console_signin_without_mfa = "{ ($.eventName = \"ConsoleLogin\") && ($.additionalEventData.MFAUsed != \"Yes\") && ($.userIdentity.type = \"IAMUser\") && ($.responseElements.ConsoleLogin = \"Success\") }"
    iam_policy_changes = "{($.eventName=DeleteGroupPolicy) || ($.eventName=DeleteRolePolicy) || ($.eventName=DeleteUserPolicy) || ($.eventName=PutGroupPolicy) || ($.eventName=PutRolePolicy) || ($.eventName=PutUserPolicy) || ($.eventName=CreatePolicy) || ($.eventName=DeletePolicy) || ($.eventName=CreatePolicyVersion) || ($.eventName=DeletePolicyVersion) || ($.eventName=AttachRolePolicy) || ($.eventName=DetachRolePolicy) || ($.eventName=AttachUserPolicy) || ($.eventName=DetachUserPolicy) || ($.eventName=AttachGroupPolicy) || ($.eventName=DetachGroupPolicy)}"
  }
}

resource "aws_cloudwatch_log_metric_filter" "this" {
  for_each       = local.filters
  name           = each.key
  log_group_name = var.log_group_name
  pattern        = each.value
  metric_transformation {
    name      = each.key
    namespace = "CISBenchmark"
    value     = "1"
  }
}

resource "aws_cloudwatch_metric_alarm" "this" {
  for_each            = local.filters
  alarm_name          = "cis-${each.key}"
  namespace           = "CISBenchmark"
  metric_name         = aws_cloudwatch_log_metric_filter.this[each.key].metric_transformation[0].name
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  threshold           = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = [var.alarm_topic_arn]
}

# The root-usage filter again under its Security Hub name, one per Region of the module's list (count).
resource "aws_cloudwatch_log_metric_filter" "root_usage" {
  count          = 1
  name           = "RootAccountUsage"
  log_group_name = var.log_group_name
  pattern        = local.filters.root_usage
  metric_transformation {
    name          = "RootAccountUsage"
    namespace     = "CISBenchmark"
    value         = "1"
    default_value = "0"
  }
}
