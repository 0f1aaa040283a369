#!/usr/bin/env python3
# A plan of a web application's infrastructure (ALB, ECS, RDS, CloudFront, Route 53, IAM, S3, a
# registry VPC module), as `tofu show -json` writes it: many resource types sagegate does not
# read, no tag prefix, for_each keys, a replacement, a deferred data read, a deposed object.
import json, sys, os

OUT = sys.argv[1]
A = "444455556666"
R = "us-east-1"
P = "registry.opentofu.org/hashicorp/aws"
changes, resources = [], {}

def rc(address, type_, name, actions, after, unknown, before=None, module=None, index=None, mode="managed", reason=None, deposed=None, provider=P, sensitive=None):
    e = {"address": address}
    if module:
        e["module_address"] = module
    e.update({"mode": mode, "type": type_, "name": name})
    if index is not None:
        e["index"] = index
    e["provider_name"] = provider
    if deposed:
        e["deposed"] = deposed
    e["change"] = {"actions": actions, "before": before, "after": after, "after_unknown": unknown,
                   "before_sensitive": False if before is None else {}, "after_sensitive": False if after is None else (sensitive or {})}
    if reason:
        e["action_reason"] = reason
    changes.append(e)

def cfg(module, address, type_, name, expressions, key="aws", **extra):
    r = {"address": address, "mode": "managed", "type": type_, "name": name, "provider_config_key": key, "expressions": expressions, "schema_version": 0}
    r.update(extra)
    resources.setdefault(module, []).append(r)

def refs(*r):
    return {"references": list(r)}

def const(v):
    return {"constant_value": v}

U = {"arn": True, "id": True, "tags_all": True}

# registry VPC module (terraform-aws-modules/vpc/aws)
m = "module.vpc"
rc(f"{m}.aws_vpc.this[0]", "aws_vpc", "this", ["create"], {"assign_generated_ipv6_cidr_block": False, "cidr_block": "172.16.0.0/16", "enable_dns_hostnames": True,
   "enable_dns_support": True, "instance_tenancy": "default", "ipv4_ipam_pool_id": None, "ipv4_netmask_length": None, "tags": {"Name": "web-prod"}},
   dict(U, default_security_group_id=True, main_route_table_id=True, owner_id=True), module=m, index=0)
for i, az in enumerate(["us-east-1a", "us-east-1b", "us-east-1c"]):
    rc(f"{m}.aws_subnet.private[{i}]", "aws_subnet", "private", ["create"], {"availability_zone": az, "cidr_block": f"172.16.{i + 1}.0/24", "map_public_ip_on_launch": False,
       "tags": {"Name": f"web-prod-private-{az}"}}, dict(U, vpc_id=True, owner_id=True), module=m, index=i)
    rc(f"{m}.aws_subnet.public[{i}]", "aws_subnet", "public", ["create"], {"availability_zone": az, "cidr_block": f"172.16.{101 + i}.0/24", "map_public_ip_on_launch": True,
       "tags": {"Name": f"web-prod-public-{az}"}}, dict(U, vpc_id=True, owner_id=True), module=m, index=i)
    rc(f"{m}.aws_route_table_association.private[{i}]", "aws_route_table_association", "private", ["create"], {"gateway_id": None}, {"id": True, "route_table_id": True, "subnet_id": True}, module=m, index=i)
rc(f"{m}.aws_internet_gateway.this[0]", "aws_internet_gateway", "this", ["create"], {"tags": {"Name": "web-prod"}}, dict(U, owner_id=True, vpc_id=True), module=m, index=0)
rc(f"{m}.aws_nat_gateway.this[0]", "aws_nat_gateway", "this", ["create"], {"connectivity_type": "public"}, dict(U, allocation_id=True, subnet_id=True, public_ip=True), module=m, index=0)
rc(f"{m}.aws_eip.nat[0]", "aws_eip", "nat", ["create"], {"domain": "vpc"}, dict(U, public_ip=True, allocation_id=True), module=m, index=0)
rc(f"{m}.aws_default_security_group.this[0]", "aws_default_security_group", "this", ["create"], {"ingress": [], "egress": []}, dict(U, vpc_id=True, name=True), module=m, index=0)

# load balancer and its groups
sg_rule = lambda proto, f, t, cidrs: {"cidr_blocks": cidrs, "description": "", "from_port": f, "ipv6_cidr_blocks": [], "prefix_list_ids": [], "protocol": proto, "security_groups": [], "self": False, "to_port": t}
rc("aws_security_group.alb", "aws_security_group", "alb", ["create"],
   {"description": "Public load balancer", "name": "web-alb", "ingress": [sg_rule("tcp", 443, 443, ["0.0.0.0/0"]), sg_rule("tcp", 80, 80, ["0.0.0.0/0"])],
    "egress": [sg_rule("-1", 0, 0, ["0.0.0.0/0"])], "revoke_rules_on_delete": False, "tags": None},
   dict(U, owner_id=True, vpc_id=True, name_prefix=True, ingress=[{"cidr_blocks": [False]}, {"cidr_blocks": [False]}], egress=[{"cidr_blocks": [False]}]))
cfg("", "aws_security_group.alb", "aws_security_group", "alb", {"description": const("Public load balancer"), "name": const("web-alb"), "vpc_id": refs("module.vpc.vpc_id", "module.vpc"),
    "ingress": const([sg_rule("tcp", 443, 443, ["0.0.0.0/0"]), sg_rule("tcp", 80, 80, ["0.0.0.0/0"])]), "egress": const([sg_rule("-1", 0, 0, ["0.0.0.0/0"])])})
rc("aws_security_group.app", "aws_security_group", "app", ["create"], {"description": "Managed by Terraform", "name_prefix": "web-app-", "revoke_rules_on_delete": False, "tags": None},
   dict(U, owner_id=True, vpc_id=True, name=True, ingress=True, egress=True))
cfg("", "aws_security_group.app", "aws_security_group", "app", {"name_prefix": const("web-app-"), "vpc_id": refs("module.vpc.vpc_id", "module.vpc")})
rc("aws_security_group_rule.app_from_alb", "aws_security_group_rule", "app_from_alb", ["create"],
   {"cidr_blocks": None, "description": None, "from_port": 8080, "ipv6_cidr_blocks": None, "prefix_list_ids": None, "protocol": "tcp", "self": False, "to_port": 8080, "type": "ingress"},
   {"id": True, "security_group_id": True, "source_security_group_id": True, "security_group_rule_id": True})
cfg("", "aws_security_group_rule.app_from_alb", "aws_security_group_rule", "app_from_alb", {"type": const("ingress"), "from_port": const(8080), "to_port": const(8080), "protocol": const("tcp"),
    "security_group_id": refs("aws_security_group.app.id", "aws_security_group.app"), "source_security_group_id": refs("aws_security_group.alb.id", "aws_security_group.alb")})
rc("aws_vpc_security_group_egress_rule.app_all", "aws_vpc_security_group_egress_rule", "app_all", ["create"],
   {"cidr_ipv4": "0.0.0.0/0", "cidr_ipv6": None, "description": None, "from_port": None, "ip_protocol": "-1", "prefix_list_id": None, "referenced_security_group_id": None, "tags": None, "to_port": None},
   dict(U, security_group_id=True, security_group_rule_id=True))
cfg("", "aws_vpc_security_group_egress_rule.app_all", "aws_vpc_security_group_egress_rule", "app_all", {"cidr_ipv4": const("0.0.0.0/0"), "ip_protocol": const("-1"),
    "security_group_id": refs("aws_security_group.app.id", "aws_security_group.app")})
rc("aws_lb.web", "aws_lb", "web", ["create"], {"name": "web-prod", "internal": False, "load_balancer_type": "application"}, dict(U, dns_name=True, security_groups=True, subnets=True, zone_id=True))
rc("aws_lb_target_group.app", "aws_lb_target_group", "app", ["create"], {"name": "web-app", "port": 8080, "protocol": "HTTP", "target_type": "ip"}, dict(U, vpc_id=True))
rc("aws_lb_listener.https", "aws_lb_listener", "https", ["create"], {"port": 443, "protocol": "HTTPS", "ssl_policy": "ELBSecurityPolicy-TLS13-1-2-2021-06"}, dict(U, load_balancer_arn=True, certificate_arn=True))
rc("aws_acm_certificate.web", "aws_acm_certificate", "web", ["create"], {"domain_name": "www.example.org", "validation_method": "DNS"}, dict(U, domain_validation_options=True, status=True))

# ECS service, its image repository and logs
rc("aws_ecr_repository.web", "aws_ecr_repository", "web", ["create"],
   {"encryption_configuration": [], "force_delete": None, "image_scanning_configuration": [{"scan_on_push": True}], "image_tag_mutability": "MUTABLE", "name": "web", "tags": None},
   dict(U, registry_id=True, repository_url=True, encryption_configuration=True, image_scanning_configuration=[{}]))
cfg("", "aws_ecr_repository.web", "aws_ecr_repository", "web", {"name": const("web"), "image_scanning_configuration": [{"scan_on_push": const(True)}]})
policy = json.dumps({"rules": [{"rulePriority": 1, "description": "keep 30", "selection": {"tagStatus": "tagged", "tagPrefixList": ["release-"], "countType": "imageCountMoreThan", "countNumber": 30}, "action": {"type": "expire"}}]}, separators=(",", ":"))
rc("aws_ecr_lifecycle_policy.web", "aws_ecr_lifecycle_policy", "web", ["create"], {"policy": policy, "repository": "web"}, {"id": True, "registry_id": True})
cfg("", "aws_ecr_lifecycle_policy.web", "aws_ecr_lifecycle_policy", "web", {"policy": const(policy), "repository": refs("aws_ecr_repository.web.name", "aws_ecr_repository.web")})
rc("aws_cloudwatch_log_group.ecs", "aws_cloudwatch_log_group", "ecs", ["create"], {"name": "/ecs/web", "retention_in_days": 30, "kms_key_id": None, "skip_destroy": False, "tags": None}, dict(U, name_prefix=True, log_group_class=True))
cfg("", "aws_cloudwatch_log_group.ecs", "aws_cloudwatch_log_group", "ecs", {"name": const("/ecs/web"), "retention_in_days": const(30)})
rc("aws_ecs_cluster.web", "aws_ecs_cluster", "web", ["create"], {"name": "web-prod", "setting": [{"name": "containerInsights", "value": "enabled"}]}, U)
rc("aws_ecs_task_definition.app", "aws_ecs_task_definition", "app", ["delete", "create"],
   {"family": "web-app", "cpu": "512", "memory": "1024", "network_mode": "awsvpc", "container_definitions": "[{\"name\":\"app\",\"image\":\"web:2024.11.2\"}]"},
   dict(U, revision=True, execution_role_arn=True),
   before={"family": "web-app", "cpu": "512", "memory": "1024", "network_mode": "awsvpc", "revision": 41, "arn": f"arn:aws:ecs:{R}:{A}:task-definition/web-app:41", "id": "web-app"},
   reason="replace_because_cannot_update")
rc("aws_ecs_service.app", "aws_ecs_service", "app", ["update"], {"name": "web-app", "desired_count": 3, "launch_type": "FARGATE"}, {"task_definition": True},
   before={"name": "web-app", "desired_count": 2, "launch_type": "FARGATE", "id": f"arn:aws:ecs:{R}:{A}:service/web-prod/web-app"})
rc("aws_appautoscaling_target.app", "aws_appautoscaling_target", "app", ["no-op"], {"max_capacity": 10, "min_capacity": 2, "service_namespace": "ecs"}, {},
   before={"max_capacity": 10, "min_capacity": 2, "service_namespace": "ecs"})

# database with its key
rc("aws_kms_key.rds", "aws_kms_key", "rds", ["create"], {"description": "web RDS", "enable_key_rotation": True, "is_enabled": True, "customer_master_key_spec": "SYMMETRIC_DEFAULT", "key_usage": "ENCRYPT_DECRYPT"},
   dict(U, key_id=True, policy=True, multi_region=True))
cfg("", "aws_kms_key.rds", "aws_kms_key", "rds", {"description": const("web RDS"), "enable_key_rotation": const(True)})
rc("aws_kms_alias.rds", "aws_kms_alias", "rds", ["create"], {"name": "alias/web-rds"}, {"arn": True, "id": True, "name_prefix": True, "target_key_arn": True, "target_key_id": True})
cfg("", "aws_kms_alias.rds", "aws_kms_alias", "rds", {"name": const("alias/web-rds"), "target_key_id": refs("aws_kms_key.rds.key_id", "aws_kms_key.rds")})
rc("aws_db_subnet_group.web", "aws_db_subnet_group", "web", ["create"], {"name": "web-prod"}, dict(U, subnet_ids=True))
rc("aws_db_instance.web", "aws_db_instance", "web", ["create"],
   {"engine": "postgres", "engine_version": "16.3", "instance_class": "db.t4g.medium", "allocated_storage": 50, "storage_encrypted": True, "username": "web", "password": "correct-horse-battery-staple"},
   dict(U, address=True, endpoint=True, kms_key_id=True, vpc_security_group_ids=True), sensitive={"password": True})
rc("random_password.db", "random_password", "db", ["create"], {"length": 32, "special": False}, {"id": True, "result": True, "bcrypt_hash": True}, provider="registry.opentofu.org/hashicorp/random", sensitive={"result": True})
rc("aws_db_instance.web", "aws_db_instance", "web", ["delete"], None, {}, before={"engine": "postgres", "id": "db-OLDDEPOSED", "arn": f"arn:aws:rds:{R}:{A}:db:web-prod-old"}, deposed="6b1c7e2f")

# edge: static site, DNS, IAM
for key in ["www", "api", "static"]:
    rc(f'aws_route53_record.this["{key}"]', "aws_route53_record", "this", ["create"], {"name": f"{key}.example.org", "type": "A", "zone_id": "Z0123456789ABCDEFGHIJ"}, {"fqdn": True, "id": True, "alias": [{}]}, index=key)
rc("aws_s3_bucket.static", "aws_s3_bucket", "static", ["create"], {"bucket": "example-org-static", "force_destroy": False}, dict(U, bucket_domain_name=True, region=True))
rc("aws_s3_bucket_public_access_block.static", "aws_s3_bucket_public_access_block", "static", ["create"], {"block_public_acls": True, "block_public_policy": True}, {"bucket": True, "id": True})
rc("aws_cloudfront_distribution.static", "aws_cloudfront_distribution", "static", ["create"], {"enabled": True, "price_class": "PriceClass_100"}, dict(U, domain_name=True, etag=True, status=True))
rc("aws_iam_role.task", "aws_iam_role", "task", ["create"], {"name": "web-app-task", "path": "/"}, dict(U, unique_id=True, create_date=True))
rc("aws_iam_role_policy_attachment.task", "aws_iam_role_policy_attachment", "task", ["create"], {"policy_arn": "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess", "role": "web-app-task"}, {"id": True})
rc("aws_wafv2_web_acl.web", "aws_wafv2_web_acl", "web", ["create"], {"name": "web-prod", "scope": "REGIONAL"}, dict(U, capacity=True, lock_token=True))
rc("aws_sns_topic.alarms", "aws_sns_topic", "alarms", ["create"], {"name": "web-alarms"}, dict(U, owner=True))
rc("aws_cloudwatch_metric_alarm.cpu", "aws_cloudwatch_metric_alarm", "cpu", ["create"], {"alarm_name": "web-cpu", "threshold": 80, "comparison_operator": "GreaterThanThreshold"}, U)
rc("data.aws_iam_policy_document.task", "aws_iam_policy_document", "task", ["read"], None, {"id": True, "json": True}, mode="data", reason="read_because_config_unknown")
rc("null_resource.migrations", "null_resource", "migrations", ["create"], {"triggers": {"version": "2024.11.2"}}, {"id": True}, provider="registry.opentofu.org/hashicorp/null")

configuration = {
    "provider_config": {"aws": {"name": "aws", "full_name": P, "version_constraint": "~> 5.30", "expressions": {"region": const(R)}},
                        "random": {"name": "random", "full_name": "registry.opentofu.org/hashicorp/random"}},
    "root_module": {
        "outputs": {"alb_dns_name": {"expression": refs("aws_lb.web.dns_name", "aws_lb.web")}},
        "resources": resources.get("", []),
        "module_calls": {"vpc": {"source": "terraform-aws-modules/vpc/aws", "version_constraint": "~> 5.5",
                                 "expressions": {"cidr": const("172.16.0.0/16"), "name": const("web-prod"), "azs": const(["us-east-1a", "us-east-1b", "us-east-1c"])},
                                 "module": {"outputs": {"vpc_id": {"expression": refs("aws_vpc.this[0].id", "aws_vpc.this[0]", "aws_vpc.this")}},
                                            "resources": [{"address": "aws_vpc.this", "mode": "managed", "type": "aws_vpc", "name": "this", "provider_config_key": "aws",
                                                           "expressions": {"cidr_block": refs("var.cidr")}, "schema_version": 1, "count_expression": refs("local.create_vpc")}],
                                            "variables": {"cidr": {"default": "10.0.0.0/16"}, "name": {"default": ""}, "azs": {"default": []}}}}},
        "variables": {"db_password": {"sensitive": True}},
    },
}
doc = {"format_version": "1.2", "terraform_version": "1.7.2", "variables": {"db_password": {"value": "correct-horse-battery-staple"}},
       "planned_values": {"outputs": {"alb_dns_name": {"sensitive": False}}, "root_module": {"resources": []}},
       "resource_changes": changes,
       "output_changes": {"alb_dns_name": {"actions": ["create"], "before": None, "after_unknown": True, "before_sensitive": False, "after_sensitive": False}},
       "prior_state": {"format_version": "1.0", "terraform_version": "1.7.2", "values": {"root_module": {"resources": [
           {"address": "data.aws_availability_zones.available", "mode": "data", "type": "aws_availability_zones", "name": "available", "provider_name": P, "schema_version": 0,
            "values": {"id": R, "names": ["us-east-1a", "us-east-1b", "us-east-1c"], "state": "available"}, "sensitive_values": {"names": [False, False, False]}}]}}},
       "configuration": configuration,
       "relevant_attributes": [{"resource": "module.vpc.aws_vpc.this[0]", "attribute": ["id"]}],
       "timestamp": "2026-11-20T16:42:11Z", "applyable": True, "complete": True, "errored": False}
os.makedirs(OUT, exist_ok=True)
with open(os.path.join(OUT, "plan.json"), "w") as f:
    json.dump(doc, f, indent=2)
    f.write("\n")
print("ok", len(changes))
