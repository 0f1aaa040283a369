data "aws_caller_identity" "current" {}

# The shared VPC of the platform, created long ago: the vpc-endpoints group lives there.
data "aws_vpc" "existing" {
  id = "vpc-0existing0000001"
}

resource "aws_vpc" "main" {
  cidr_block           = "10.20.0.0/16"
  enable_dns_hostnames = true

  tags = {
    Name = "acme-ml"
  }
}

resource "aws_vpc_ipv4_cidr_block_association" "secondary" {
  vpc_id     = aws_vpc.main.id
  cidr_block = "10.21.0.0/16"
}

# Its CIDR is allocated from IPAM at apply: known after apply.
resource "aws_vpc" "analytics" {
  ipv4_ipam_pool_id   = var.analytics_ipam_pool_id
  ipv4_netmask_length = 20
}

resource "aws_subnet" "private" {
  count = 2

  vpc_id            = aws_vpc.main.id
  cidr_block        = cidrsubnet(aws_vpc.main.cidr_block, 8, count.index + 1)
  availability_zone = "eu-west-1${["a", "b"][count.index]}"
}

resource "aws_subnet" "public" {
  vpc_id                  = aws_vpc.main.id
  cidr_block              = "10.20.100.0/24"
  map_public_ip_on_launch = true
}
