resource "aws_ecr_repository" "inference" {
  name                 = "acme-sm-rc-fraud-detection/inference"
  image_tag_mutability = "IMMUTABLE"

  image_scanning_configuration {
    scan_on_push = true
  }

  encryption_configuration {
    encryption_type = "KMS"
    kms_key         = aws_kms_key.platform.arn
  }
}

resource "aws_ecr_lifecycle_policy" "inference" {
  repository = aws_ecr_repository.inference.name
  policy = jsonencode({
    rules = [{
      rulePriority = 1
      description  = "Keep last 10 images"
      selection = {
        tagStatus   = "any"
        countType   = "imageCountMoreThan"
        countNumber = 10
      }
      action = { type = "expire" }
    }]
  })
}

resource "aws_ecr_repository" "scratch" {
  name = "scratch"
}

resource "aws_cloudwatch_log_group" "training" {
  name              = "/aws/sagemaker/TrainingJobs"
  retention_in_days = 90
  kms_key_id        = aws_kms_key.platform.arn
}

resource "aws_cloudwatch_log_group" "processing" {
  name              = "/aws/sagemaker/ProcessingJobs"
  retention_in_days = 0
}

resource "aws_cloudwatch_log_group" "endpoint" {
  name              = "/aws/sagemaker/Endpoints/rc-fraud-detection-blue"
  retention_in_days = 14
}
