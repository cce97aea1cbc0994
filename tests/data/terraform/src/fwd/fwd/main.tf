# One Region's forwarder: every CloudTrail management event to the central bus.
variable "region" { type = string }
variable "central_bus_arn" { type = string }
variable "role_arn" { type = string }

resource "aws_cloudwatch_event_rule" "this" {
  name          = "forward-to-central"
  event_pattern = jsonencode({ "detail-type" = ["AWS API Call via CloudTrail", "AWS Console Sign In via CloudTrail"] })
}

resource "aws_cloudwatch_event_target" "this" {
  rule      = aws_cloudwatch_event_rule.this.name
  target_id = "central-bus"
  arn       = var.central_bus_arn
  role_arn  = var.role_arn
}
