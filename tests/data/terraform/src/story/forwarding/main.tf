# One Region's forwarding rule: console sign-ins go to the aggregator's default bus.
variable "account_id" { type = string }
variable "aggregator_region" { type = string }

resource "aws_cloudwatch_event_rule" "forward" {
  name          = "forward-console-login"
  event_pattern = jsonencode({ source = ["aws.signin"], "detail-type" = ["AWS Console Sign In via CloudTrail"] })
}

resource "aws_cloudwatch_event_target" "to_aggregator" {
  rule      = aws_cloudwatch_event_rule.forward.name
  target_id = "aggregator-default-bus"
  arn       = "arn:aws:events:${var.aggregator_region}:${var.account_id}:event-bus/default"
  role_arn  = "arn:aws:iam::${var.account_id}:role/console-login-forwarder"
}
