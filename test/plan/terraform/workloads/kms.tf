resource "aws_kms_key" "platform" {
  description         = "SageMaker platform key"
  enable_key_rotation = true
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "Enable IAM User Permissions"
        Effect    = "Allow"
        Principal = { AWS = "arn:aws:iam::${data.aws_caller_identity.current.account_id}:root" }
        Action    = "kms:*"
        Resource  = "*"
      },
      {
        Sid       = "Allow SageMaker to use the key"
        Effect    = "Allow"
        Principal = { Service = "sagemaker.amazonaws.com" }
        Action    = ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey*"]
        Resource  = "*"
        Condition = { StringEquals = { "aws:SourceAccount" = data.aws_caller_identity.current.account_id } }
      }
    ]
  })
}

resource "aws_kms_alias" "platform" {
  name          = "alias/sagemaker-platform"
  target_key_id = aws_kms_key.platform.key_id
}

resource "aws_kms_key" "loose" {
  description = "Scratch key"
}

resource "aws_kms_key_policy" "loose" {
  key_id = aws_kms_key.loose.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect    = "Allow"
        Principal = { Service = "sagemaker.amazonaws.com" }
        Action    = "kms:*"
        Resource  = "*"
      },
      {
        Effect    = "Allow"
        Principal = "*"
        Action    = "kms:Decrypt"
        Resource  = "*"
      }
    ]
  })
}

resource "aws_kms_alias" "loose" {
  name          = "alias/sagemaker-scratch"
  target_key_id = aws_kms_key.loose.arn
}
