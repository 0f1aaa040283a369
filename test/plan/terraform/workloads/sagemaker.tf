# Blue and green serving stacks, one module instance each.
module "ml" {
  source = "./modules/ml"
  count  = 2

  stage       = count.index == 0 ? "blue" : "green"
  vpc_id      = aws_vpc.main.id
  vpc_cidr    = aws_vpc.main.cidr_block
  subnet_ids  = aws_subnet.private[*].id
  kms_key_arn = aws_kms_key.platform.arn
}

# An experiment deployed from a private registry, by its latest tag and outside the VPC.
resource "aws_sagemaker_model" "latest" {
  name               = "rc-fraud-detection-latest"
  execution_role_arn = "arn:aws:iam::111122223333:role/sagemaker-execution"

  primary_container {
    image = "${var.private_registry}/rc-fraud-detection/inference:latest"
  }
}

resource "aws_sagemaker_model_package_group" "project" {
  model_package_group_name        = "rc-fraud-detection"
  model_package_group_description = "rc: fraud detection"
}

resource "aws_sagemaker_model_package_group" "adhoc" {
  model_package_group_name = "Adhoc_Models"
}

resource "aws_sagemaker_pipeline" "training" {
  pipeline_name         = "rc-fraud-detection-training"
  pipeline_display_name = "rc-fraud-detection-training"
  role_arn              = "arn:aws:iam::111122223333:role/sagemaker-execution"
  pipeline_definition   = file("${path.module}/pipeline.json")
}

# Not evaluated by sagegate: types outside the catalogue are ignored.
resource "aws_iam_role" "sagemaker" {
  name = "sagemaker-execution"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "sagemaker.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

resource "aws_s3_bucket" "artifacts" {
  bucket = "acme-ml-artifacts-111122223333"
}
