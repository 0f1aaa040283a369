resource "aws_security_group" "inference" {
  name        = "acme-ml-inference"
  description = "SageMaker endpoints (${var.stage})"
  vpc_id      = var.vpc_id

  ingress {
    protocol    = "tcp"
    from_port   = 443
    to_port     = 443
    cidr_blocks = [var.vpc_cidr]
  }

  ingress {
    protocol    = "tcp"
    from_port   = 8080
    to_port     = 8080
    cidr_blocks = [var.vpc_cidr]
  }

  egress {
    protocol    = "tcp"
    from_port   = 443
    to_port     = 443
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_sagemaker_model" "serving" {
  name               = "rc-fraud-detection-serving-${var.stage}"
  execution_role_arn = "arn:aws:iam::111122223333:role/sagemaker-execution"

  primary_container {
    image          = "111122223333.dkr.ecr.eu-west-1.amazonaws.com/acme-sm-rc-fraud-detection/inference:v1.2"
    model_data_url = "s3://acme-ml-artifacts-111122223333/rc-fraud-detection/model.tar.gz"
  }

  vpc_config {
    security_group_ids = [aws_security_group.inference.id]
    subnets            = var.subnet_ids
  }
}

resource "aws_sagemaker_endpoint_configuration" "serving" {
  name        = "rc-fraud-detection-${var.stage}-config"
  kms_key_arn = var.kms_key_arn

  production_variants {
    variant_name           = "primary"
    model_name             = aws_sagemaker_model.serving.name
    initial_instance_count = 2
    instance_type          = "ml.m5.large"
  }
}

resource "aws_sagemaker_endpoint" "serving" {
  name                 = "rc-fraud-detection-${var.stage}"
  endpoint_config_name = aws_sagemaker_endpoint_configuration.serving.name
}
