variable "region" {
  type    = string
  default = "eu-west-1"
}

# The private registry serving the experimental model: its host name is not to be published.
variable "private_registry" {
  type      = string
  sensitive = true
}

variable "analytics_ipam_pool_id" {
  type = string
}
