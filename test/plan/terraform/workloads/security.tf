# Training: no inline rules. Its rules are exactly the separate rule resources below (both
# styles), since Terraform removes EC2's default egress.
resource "aws_security_group" "training" {
  name        = "acme-ml-training"
  description = "SageMaker training jobs"
  vpc_id      = aws_vpc.main.id
}

resource "aws_vpc_security_group_ingress_rule" "training_self" {
  security_group_id            = aws_security_group.training.id
  referenced_security_group_id = aws_security_group.training.id
  ip_protocol                  = "-1"
}

resource "aws_vpc_security_group_ingress_rule" "training_https" {
  security_group_id = aws_security_group.training.id
  cidr_ipv4         = aws_vpc.main.cidr_block
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
}

resource "aws_security_group_rule" "training_egress_https" {
  type              = "egress"
  security_group_id = aws_security_group.training.id
  protocol          = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_blocks       = ["0.0.0.0/0"]
}

resource "aws_security_group_rule" "training_egress_self" {
  type              = "egress"
  security_group_id = aws_security_group.training.id
  protocol          = "all"
  from_port         = 0
  to_port           = 0
  self              = true
}

# Processing: inline blocks, protocol numbers, and an egress to everything (SG006 fails).
resource "aws_security_group" "processing" {
  name        = "acme-ml-processing"
  description = "SageMaker processing jobs"
  vpc_id      = aws_vpc.main.id

  ingress {
    protocol  = "-1"
    from_port = 0
    to_port   = 0
    self      = true
  }

  ingress {
    protocol    = "6"
    from_port   = 443
    to_port     = 443
    cidr_blocks = [aws_vpc.main.cidr_block]
  }

  egress {
    protocol    = "-1"
    from_port   = 0
    to_port     = 0
    cidr_blocks = ["0.0.0.0/0"]
  }
}

# Training in the analytics VPC, whose CIDR is known only after apply.
resource "aws_security_group" "analytics_training" {
  name   = "acme-ml-training"
  vpc_id = aws_vpc.analytics.id

  ingress {
    protocol  = "-1"
    from_port = 0
    to_port   = 0
    self      = true
  }

  ingress {
    protocol    = "tcp"
    from_port   = 443
    to_port     = 443
    cidr_blocks = [aws_vpc.analytics.cidr_block]
  }
}

resource "aws_vpc_security_group_egress_rule" "analytics_https" {
  security_group_id = aws_security_group.analytics_training.id
  prefix_list_id    = "pl-6da54004"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
}

resource "aws_vpc_security_group_egress_rule" "analytics_self" {
  security_group_id            = aws_security_group.analytics_training.id
  referenced_security_group_id = aws_security_group.analytics_training.id
  ip_protocol                  = "-1"
}

# A generated name: never a purpose name.
resource "aws_security_group" "scratch" {
  name_prefix = "acme-ml-scratch-"
  vpc_id      = aws_vpc.main.id
}

# The VPC endpoints' group of the existing VPC: it exists (sg-0endpoints0000001) and is updated.
resource "aws_security_group" "endpoints" {
  name        = "acme-ml-vpc-endpoints"
  description = "Interface endpoints of the platform VPC"
  vpc_id      = data.aws_vpc.existing.id

  ingress {
    protocol    = "tcp"
    from_port   = 443
    to_port     = 443
    cidr_blocks = [data.aws_vpc.existing.cidr_block]
  }
}

# The SSH rule of the shared studio group goes away (the group is not managed here). The legacy
# group itself was deleted from the configuration: both are deleted by this plan.
