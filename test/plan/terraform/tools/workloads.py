#!/usr/bin/env python3
# Writes workloads/plan-1.2.json and plan-0.1.json for the configuration in workloads/, following
# Terraform's documented JSON output format (see ../README.md). Usage:
#   python3 tools/workloads.py workloads
import json, sys, copy, os

OUT = sys.argv[1]
ACCOUNT = "111122223333"
REGION = "eu-west-1"
PROVIDER = "registry.terraform.io/hashicorp/aws"
VPC_MAIN_CIDR = "10.20.0.0/16"
EXISTING_VPC = "vpc-0existing0000001"
EXISTING_CIDR = "10.50.0.0/16"
PRIVATE_REGISTRY = "registry.acme.internal:5000"
PIPELINE = open(os.path.join(OUT, "pipeline.json")).read()

def refs(*r):
    return {"references": list(r)}

def const(v):
    return {"constant_value": v}

def ref_attr(res, attr):
    return refs(f"{res}.{attr}", res)

changes = []   # resource_changes entries (without positions)
config = {}    # module path -> list of config resources
state = []     # prior_state resources (root module for simplicity + module ones)
data_sources = []

def rc(address, type_, name, actions, before, after, unknown, sensitive=None, module=None, index=None, reason=None, before_sensitive=None):
    e = {"address": address}
    if module:
        e["module_address"] = module
    e.update({"mode": "managed", "type": type_, "name": name})
    if index is not None:
        e["index"] = index
    e["provider_name"] = PROVIDER
    e["change"] = {
        "actions": actions,
        "before": before,
        "after": after,
        "after_unknown": unknown,
        "before_sensitive": before_sensitive if before_sensitive is not None else (False if before is None else {}),
        "after_sensitive": sensitive if sensitive is not None else (False if after is None else {}),
    }
    if reason:
        e["action_reason"] = reason
    changes.append(e)

def cfg(module, address, type_, name, expressions, count=None, key="aws"):
    r = {"address": address, "mode": "managed", "type": type_, "name": name, "provider_config_key": key, "expressions": expressions, "schema_version": 0}
    if count is not None:
        r["count_expression"] = count
    config.setdefault(module, []).append(r)

# ------------------------------------------------------------------ data sources (read during planning)
data_sources.append({
    "address": "data.aws_caller_identity.current", "mode": "data", "type": "aws_caller_identity", "name": "current",
    "provider_name": PROVIDER, "schema_version": 0,
    "values": {"account_id": ACCOUNT, "arn": f"arn:aws:sts::{ACCOUNT}:assumed-role/terraform-plan/ci", "id": ACCOUNT, "user_id": "AROAEXAMPLEID:ci"},
    "sensitive_values": {},
})
data_sources.append({
    "address": "data.aws_vpc.existing", "mode": "data", "type": "aws_vpc", "name": "existing",
    "provider_name": PROVIDER, "schema_version": 0,
    "values": {
        "arn": f"arn:aws:ec2:{REGION}:{ACCOUNT}:vpc/{EXISTING_VPC}", "cidr_block": EXISTING_CIDR,
        "cidr_block_associations": [{"association_id": "vpc-cidr-assoc-0existing01", "cidr_block": EXISTING_CIDR, "state": "associated"}],
        "default": False, "dhcp_options_id": "dopt-0existing00001", "enable_dns_hostnames": True, "enable_dns_support": True,
        "enable_network_address_usage_metrics": False, "filter": None, "id": EXISTING_VPC, "instance_tenancy": "default",
        "ipv6_association_id": "", "ipv6_cidr_block": "", "main_route_table_id": "rtb-0existing00001", "owner_id": ACCOUNT,
        "state": None, "tags": {"Name": "platform"}, "timeouts": None,
    },
    "sensitive_values": {"cidr_block_associations": [{}], "tags": {}},
})
config.setdefault("", []).append({"address": "data.aws_caller_identity.current", "mode": "data", "type": "aws_caller_identity", "name": "current", "provider_config_key": "aws", "schema_version": 0})
config.setdefault("", []).append({"address": "data.aws_vpc.existing", "mode": "data", "type": "aws_vpc", "name": "existing", "provider_config_key": "aws", "expressions": {"id": const(EXISTING_VPC)}, "schema_version": 0})

# ------------------------------------------------------------------ network
def vpc_after(cidr, extra=None):
    a = {
        "assign_generated_ipv6_cidr_block": None, "cidr_block": cidr, "enable_dns_hostnames": True, "enable_dns_support": True,
        "enable_network_address_usage_metrics": None, "instance_tenancy": "default", "ipv4_ipam_pool_id": None, "ipv4_netmask_length": None,
        "ipv6_ipam_pool_id": None, "ipv6_netmask_length": None, "tags": {"Name": "acme-ml"}, "tags_all": {"Name": "acme-ml"},
    }
    a.update(extra or {})
    return a

VPC_UNKNOWN = {"arn": True, "default_network_acl_id": True, "default_route_table_id": True, "default_security_group_id": True, "dhcp_options_id": True,
               "enable_network_address_usage_metrics": True, "id": True, "ipv6_association_id": True, "ipv6_cidr_block": True,
               "ipv6_cidr_block_network_border_group": True, "main_route_table_id": True, "owner_id": True, "tags": {}, "tags_all": {}}
rc("aws_vpc.main", "aws_vpc", "main", ["create"], None, vpc_after(VPC_MAIN_CIDR), VPC_UNKNOWN, {"tags": {}, "tags_all": {}})
cfg("", "aws_vpc.main", "aws_vpc", "main", {"cidr_block": const(VPC_MAIN_CIDR), "enable_dns_hostnames": const(True), "tags": const({"Name": "acme-ml"})})

rc("aws_vpc_ipv4_cidr_block_association.secondary", "aws_vpc_ipv4_cidr_block_association", "secondary", ["create"], None,
   {"cidr_block": "10.21.0.0/16", "ipv4_ipam_pool_id": None, "ipv4_netmask_length": None, "timeouts": None},
   {"id": True, "vpc_id": True})
cfg("", "aws_vpc_ipv4_cidr_block_association.secondary", "aws_vpc_ipv4_cidr_block_association", "secondary",
    {"cidr_block": const("10.21.0.0/16"), "vpc_id": ref_attr("aws_vpc.main", "id")})

analytics = vpc_after(None, {"enable_dns_hostnames": None, "ipv4_ipam_pool_id": "ipam-pool-0a1b2c3d4e5f60001", "ipv4_netmask_length": 20, "tags": None, "tags_all": {}})
del analytics["cidr_block"]
u = dict(VPC_UNKNOWN); u.update({"cidr_block": True, "enable_dns_hostnames": True, "instance_tenancy": False}); u.pop("tags")
rc("aws_vpc.analytics", "aws_vpc", "analytics", ["create"], None, analytics, u, {"tags_all": {}})
cfg("", "aws_vpc.analytics", "aws_vpc", "analytics", {"ipv4_ipam_pool_id": refs("var.analytics_ipam_pool_id"), "ipv4_netmask_length": const(20)})

def subnet_after(cidr, az, public):
    return {
        "assign_ipv6_address_on_creation": False, "availability_zone": az, "cidr_block": cidr, "customer_owned_ipv4_pool": None,
        "enable_dns64": False, "enable_lni_at_device_index": None, "enable_resource_name_dns_a_record_on_launch": False,
        "enable_resource_name_dns_aaaa_record_on_launch": False, "ipv6_cidr_block": None, "ipv6_native": False,
        "map_customer_owned_ip_on_launch": None, "map_public_ip_on_launch": public, "outpost_arn": None, "tags": None, "tags_all": {}, "timeouts": None,
    }
SUBNET_UNKNOWN = {"arn": True, "availability_zone_id": True, "id": True, "ipv6_cidr_block_association_id": True, "owner_id": True,
                  "private_dns_hostname_type_on_launch": True, "tags_all": True, "vpc_id": True}
for i, (cidr, az) in enumerate([("10.20.1.0/24", "eu-west-1a"), ("10.20.2.0/24", "eu-west-1b")]):
    rc(f"aws_subnet.private[{i}]", "aws_subnet", "private", ["create"], None, subnet_after(cidr, az, False), SUBNET_UNKNOWN, {"tags_all": {}}, index=i)
cfg("", "aws_subnet.private", "aws_subnet", "private",
    {"availability_zone": refs("count.index"), "cidr_block": refs("aws_vpc.main.cidr_block", "aws_vpc.main", "count.index"), "vpc_id": ref_attr("aws_vpc.main", "id")},
    count=const(2))
su = dict(SUBNET_UNKNOWN); su["availability_zone"] = True
a = subnet_after("10.20.100.0/24", None, True); del a["availability_zone"]
rc("aws_subnet.public", "aws_subnet", "public", ["create"], None, a, su, {"tags_all": {}})
cfg("", "aws_subnet.public", "aws_subnet", "public",
    {"cidr_block": const("10.20.100.0/24"), "map_public_ip_on_launch": const(True), "vpc_id": ref_attr("aws_vpc.main", "id")})

# ------------------------------------------------------------------ security groups
def rule_block(protocol, from_, to, cidrs=None, self_=False, groups=None, description=""):
    return {"cidr_blocks": cidrs or [], "description": description, "from_port": from_, "ipv6_cidr_blocks": [], "prefix_list_ids": [],
            "protocol": protocol, "security_groups": groups or [], "self": self_, "to_port": to}

def rule_unknown(cidr_unknown=None):
    u = {"cidr_blocks": [False] if cidr_unknown is None else cidr_unknown, "ipv6_cidr_blocks": [], "prefix_list_ids": [], "security_groups": []}
    return u

def sg_after(name=None, prefix=None, description="Managed by Terraform", ingress=None, egress=None, tags=None):
    a = {"description": description, "name": name, "name_prefix": prefix, "revoke_rules_on_delete": False, "tags": tags, "tags_all": tags or {}, "timeouts": None}
    if name is None:
        del a["name"]
    if ingress is not None:
        a["ingress"] = ingress
    if egress is not None:
        a["egress"] = egress
    return a

SG_UNKNOWN = {"arn": True, "id": True, "owner_id": True, "tags_all": {}, "vpc_id": True}

# training: no inline rules: the provider computes ingress and egress.
u = dict(SG_UNKNOWN); u.update({"egress": True, "ingress": True})
rc("aws_security_group.training", "aws_security_group", "training", ["create"], None, sg_after("acme-ml-training", None, "SageMaker training jobs"), u, {"tags_all": {}})
cfg("", "aws_security_group.training", "aws_security_group", "training",
    {"description": const("SageMaker training jobs"), "name": const("acme-ml-training"), "vpc_id": ref_attr("aws_vpc.main", "id")})

def vpc_rule_after(protocol, from_=None, to=None, cidr4=None, prefix=None, tags=None):
    return {"cidr_ipv4": cidr4, "cidr_ipv6": None, "description": None, "from_port": from_, "ip_protocol": protocol, "prefix_list_id": prefix,
            "tags": tags, "to_port": to}
VPC_RULE_UNKNOWN = {"arn": True, "id": True, "security_group_id": True, "security_group_rule_id": True, "tags_all": True}

u = dict(VPC_RULE_UNKNOWN); u["referenced_security_group_id"] = True
rc("aws_vpc_security_group_ingress_rule.training_self", "aws_vpc_security_group_ingress_rule", "training_self", ["create"], None, vpc_rule_after("-1"), u)
cfg("", "aws_vpc_security_group_ingress_rule.training_self", "aws_vpc_security_group_ingress_rule", "training_self",
    {"ip_protocol": const("-1"), "referenced_security_group_id": ref_attr("aws_security_group.training", "id"), "security_group_id": ref_attr("aws_security_group.training", "id")})
a = vpc_rule_after("tcp", 443, 443, VPC_MAIN_CIDR); a["referenced_security_group_id"] = None
rc("aws_vpc_security_group_ingress_rule.training_https", "aws_vpc_security_group_ingress_rule", "training_https", ["create"], None, a, VPC_RULE_UNKNOWN)
cfg("", "aws_vpc_security_group_ingress_rule.training_https", "aws_vpc_security_group_ingress_rule", "training_https",
    {"cidr_ipv4": ref_attr("aws_vpc.main", "cidr_block"), "from_port": const(443), "ip_protocol": const("tcp"),
     "security_group_id": ref_attr("aws_security_group.training", "id"), "to_port": const(443)})

def sgr_after(type_, protocol, from_, to, cidrs=None, self_=False):
    return {"cidr_blocks": cidrs, "description": None, "from_port": from_, "ipv6_cidr_blocks": None, "prefix_list_ids": None, "protocol": protocol,
            "self": self_, "timeouts": None, "to_port": to, "type": type_}
SGR_UNKNOWN = {"id": True, "security_group_id": True, "security_group_rule_id": True, "source_security_group_id": True}
rc("aws_security_group_rule.training_egress_https", "aws_security_group_rule", "training_egress_https", ["create"], None,
   sgr_after("egress", "tcp", 443, 443, ["0.0.0.0/0"]), dict(SGR_UNKNOWN, cidr_blocks=[False]), {"cidr_blocks": [False]})
cfg("", "aws_security_group_rule.training_egress_https", "aws_security_group_rule", "training_egress_https",
    {"cidr_blocks": const(["0.0.0.0/0"]), "from_port": const(443), "protocol": const("tcp"), "security_group_id": ref_attr("aws_security_group.training", "id"),
     "to_port": const(443), "type": const("egress")})
rc("aws_security_group_rule.training_egress_self", "aws_security_group_rule", "training_egress_self", ["create"], None,
   sgr_after("egress", "all", 0, 0, None, True), SGR_UNKNOWN)
cfg("", "aws_security_group_rule.training_egress_self", "aws_security_group_rule", "training_egress_self",
    {"from_port": const(0), "protocol": const("all"), "security_group_id": ref_attr("aws_security_group.training", "id"), "self": const(True),
     "to_port": const(0), "type": const("egress")})

# processing: inline blocks
ing = [rule_block("-1", 0, 0, self_=True), rule_block("6", 443, 443, [VPC_MAIN_CIDR])]
eg = [rule_block("-1", 0, 0, ["0.0.0.0/0"])]
u = dict(SG_UNKNOWN); u.update({"ingress": [rule_unknown([]), rule_unknown()], "egress": [rule_unknown()]})
rc("aws_security_group.processing", "aws_security_group", "processing", ["create"], None,
   sg_after("acme-ml-processing", None, "SageMaker processing jobs", ing, eg), u,
   {"egress": [{"cidr_blocks": [False], "ipv6_cidr_blocks": [], "prefix_list_ids": [], "security_groups": []}],
    "ingress": [{"cidr_blocks": [], "ipv6_cidr_blocks": [], "prefix_list_ids": [], "security_groups": []},
                {"cidr_blocks": [False], "ipv6_cidr_blocks": [], "prefix_list_ids": [], "security_groups": []}], "tags_all": {}})
cfg("", "aws_security_group.processing", "aws_security_group", "processing",
    {"description": const("SageMaker processing jobs"),
     "egress": const([{"cidr_blocks": ["0.0.0.0/0"], "description": None, "from_port": 0, "ipv6_cidr_blocks": None, "prefix_list_ids": None, "protocol": "-1", "security_groups": None, "self": None, "to_port": 0}]),
     "ingress": refs("aws_vpc.main.cidr_block", "aws_vpc.main"), "name": const("acme-ml-processing"), "vpc_id": ref_attr("aws_vpc.main", "id")})

# analytics_training: the 443 source is the analytics VPC's CIDR, known after apply.
ing = [rule_block("-1", 0, 0, self_=True), rule_block("tcp", 443, 443, [None])]
u = dict(SG_UNKNOWN); u.update({"egress": True, "ingress": [rule_unknown([]), rule_unknown([True])]})
rc("aws_security_group.analytics_training", "aws_security_group", "analytics_training", ["create"], None,
   sg_after("acme-ml-training", None, "Managed by Terraform", ing), u,
   {"ingress": [{"cidr_blocks": [], "ipv6_cidr_blocks": [], "prefix_list_ids": [], "security_groups": []},
                {"cidr_blocks": [False], "ipv6_cidr_blocks": [], "prefix_list_ids": [], "security_groups": []}], "tags_all": {}})
cfg("", "aws_security_group.analytics_training", "aws_security_group", "analytics_training",
    {"ingress": refs("aws_vpc.analytics.cidr_block", "aws_vpc.analytics"), "name": const("acme-ml-training"), "vpc_id": ref_attr("aws_vpc.analytics", "id")})
a = vpc_rule_after("tcp", 443, 443, None, "pl-6da54004"); a["referenced_security_group_id"] = None
rc("aws_vpc_security_group_egress_rule.analytics_https", "aws_vpc_security_group_egress_rule", "analytics_https", ["create"], None, a, VPC_RULE_UNKNOWN)
cfg("", "aws_vpc_security_group_egress_rule.analytics_https", "aws_vpc_security_group_egress_rule", "analytics_https",
    {"from_port": const(443), "ip_protocol": const("tcp"), "prefix_list_id": const("pl-6da54004"),
     "security_group_id": ref_attr("aws_security_group.analytics_training", "id"), "to_port": const(443)})
u = dict(VPC_RULE_UNKNOWN); u["referenced_security_group_id"] = True
rc("aws_vpc_security_group_egress_rule.analytics_self", "aws_vpc_security_group_egress_rule", "analytics_self", ["create"], None, vpc_rule_after("-1"), u)
cfg("", "aws_vpc_security_group_egress_rule.analytics_self", "aws_vpc_security_group_egress_rule", "analytics_self",
    {"ip_protocol": const("-1"), "referenced_security_group_id": ref_attr("aws_security_group.analytics_training", "id"),
     "security_group_id": ref_attr("aws_security_group.analytics_training", "id")})

# scratch: name_prefix
u = dict(SG_UNKNOWN); u.update({"egress": True, "ingress": True, "name": True})
rc("aws_security_group.scratch", "aws_security_group", "scratch", ["create"], None, sg_after(None, "acme-ml-scratch-"), u, {"tags_all": {}})
cfg("", "aws_security_group.scratch", "aws_security_group", "scratch", {"name_prefix": const("acme-ml-scratch-"), "vpc_id": ref_attr("aws_vpc.main", "id")})

# endpoints: exists, tags added in place
ENDPOINTS = "sg-0endpoints0000001"
ep_before = {
    "arn": f"arn:aws:ec2:{REGION}:{ACCOUNT}:security-group/{ENDPOINTS}", "description": "Interface endpoints of the platform VPC", "egress": [],
    "id": ENDPOINTS, "ingress": [rule_block("tcp", 443, 443, [EXISTING_CIDR])], "name": "acme-ml-vpc-endpoints", "name_prefix": "",
    "owner_id": ACCOUNT, "revoke_rules_on_delete": False, "tags": {}, "tags_all": {}, "timeouts": None, "vpc_id": EXISTING_VPC,
}
ep_after = copy.deepcopy(ep_before); ep_after["tags"] = {"Purpose": "vpc-endpoints"}; ep_after["tags_all"] = {"Purpose": "vpc-endpoints"}
rc("aws_security_group.endpoints", "aws_security_group", "endpoints", ["update"], ep_before, ep_after, {"egress": [], "ingress": [rule_unknown()], "tags": {}, "tags_all": {}},
   {"egress": [], "ingress": [{"cidr_blocks": [False], "ipv6_cidr_blocks": [], "prefix_list_ids": [], "security_groups": []}], "tags": {}, "tags_all": {}},
   before_sensitive={"egress": [], "ingress": [{"cidr_blocks": [False], "ipv6_cidr_blocks": [], "prefix_list_ids": [], "security_groups": []}], "tags": {}, "tags_all": {}})
cfg("", "aws_security_group.endpoints", "aws_security_group", "endpoints",
    {"description": const("Interface endpoints of the platform VPC"), "ingress": refs("data.aws_vpc.existing.cidr_block", "data.aws_vpc.existing"),
     "name": const("acme-ml-vpc-endpoints"), "tags": const({"Purpose": "vpc-endpoints"}), "vpc_id": ref_attr("data.aws_vpc.existing", "id")})
state.append(("aws_security_group.endpoints", "aws_security_group", "endpoints", ep_before))

# legacy: removed from the configuration
LEGACY = "sg-0legacy0000000001"
legacy = {"arn": f"arn:aws:ec2:{REGION}:{ACCOUNT}:security-group/{LEGACY}", "description": "Managed by Terraform", "egress": [], "id": LEGACY,
          "ingress": [rule_block("tcp", 22, 22, ["0.0.0.0/0"])], "name": "acme-ml-training", "name_prefix": "", "owner_id": ACCOUNT,
          "revoke_rules_on_delete": False, "tags": {}, "tags_all": {}, "timeouts": None, "vpc_id": EXISTING_VPC}
rc("aws_security_group.legacy", "aws_security_group", "legacy", ["delete"], legacy, None, {}, None, reason="delete_because_no_resource_config",
   before_sensitive={"egress": [], "ingress": [{"cidr_blocks": [False], "ipv6_cidr_blocks": [], "prefix_list_ids": [], "security_groups": []}], "tags": {}, "tags_all": {}})
state.append(("aws_security_group.legacy", "aws_security_group", "legacy", legacy))
SHARED = "sg-0shared0000000001"
ssh = {"cidr_blocks": ["0.0.0.0/0"], "description": "", "from_port": 22, "id": "sgrule-2738017221", "ipv6_cidr_blocks": [], "prefix_list_ids": [],
       "protocol": "tcp", "security_group_id": SHARED, "security_group_rule_id": "sgr-0ssh000000000001", "self": False, "source_security_group_id": None,
       "timeouts": None, "to_port": 22, "type": "ingress"}
rc("aws_security_group_rule.legacy_ssh", "aws_security_group_rule", "legacy_ssh", ["delete"], ssh, None, {}, None, reason="delete_because_no_resource_config",
   before_sensitive={"cidr_blocks": [False], "ipv6_cidr_blocks": [], "prefix_list_ids": []})
state.append(("aws_security_group_rule.legacy_ssh", "aws_security_group_rule", "legacy_ssh", ssh))

# ------------------------------------------------------------------ registry, logs
def repo_after(name, mutability="MUTABLE", scan=False, encryption=None):
    return {"encryption_configuration": encryption if encryption is not None else [], "force_delete": None,
            "image_scanning_configuration": [{"scan_on_push": scan}] if scan is not None else [], "image_tag_mutability": mutability,
            "name": name, "tags": None, "timeouts": None}
REPO_UNKNOWN = {"arn": True, "id": True, "registry_id": True, "repository_url": True, "tags_all": True}
u = dict(REPO_UNKNOWN); u.update({"encryption_configuration": [{"kms_key": True}], "image_scanning_configuration": [{}]})
rc("aws_ecr_repository.inference", "aws_ecr_repository", "inference", ["create"], None,
   repo_after("acme-sm-rc-fraud-detection/inference", "IMMUTABLE", True, [{"encryption_type": "KMS"}]), u,
   {"encryption_configuration": [{}], "image_scanning_configuration": [{}]})
cfg("", "aws_ecr_repository.inference", "aws_ecr_repository", "inference",
    {"encryption_configuration": [{"encryption_type": const("KMS"), "kms_key": ref_attr("aws_kms_key.platform", "arn")}],
     "image_scanning_configuration": [{"scan_on_push": const(True)}], "image_tag_mutability": const("IMMUTABLE"), "name": const("acme-sm-rc-fraud-detection/inference")})
policy = json.dumps({"rules": [{"action": {"type": "expire"}, "description": "Keep last 10 images", "rulePriority": 1,
                                "selection": {"countNumber": 10, "countType": "imageCountMoreThan", "tagStatus": "any"}}]}, separators=(",", ":"))
rc("aws_ecr_lifecycle_policy.inference", "aws_ecr_lifecycle_policy", "inference", ["create"], None,
   {"policy": policy, "repository": "acme-sm-rc-fraud-detection/inference"}, {"id": True, "registry_id": True})
cfg("", "aws_ecr_lifecycle_policy.inference", "aws_ecr_lifecycle_policy", "inference",
    {"policy": const(policy), "repository": ref_attr("aws_ecr_repository.inference", "name")})
u = dict(REPO_UNKNOWN); u.update({"encryption_configuration": True, "image_scanning_configuration": True})
a = repo_after("scratch", scan=None); del a["encryption_configuration"]; del a["image_scanning_configuration"]
rc("aws_ecr_repository.scratch", "aws_ecr_repository", "scratch", ["create"], None, a, u)
cfg("", "aws_ecr_repository.scratch", "aws_ecr_repository", "scratch", {"name": const("scratch")})

def lg_after(name, retention, kms=None):
    return {"kms_key_id": kms, "log_group_class": "STANDARD", "name": name, "retention_in_days": retention, "skip_destroy": False, "tags": None}
LG_UNKNOWN = {"arn": True, "id": True, "name_prefix": True, "tags_all": True}
rc("aws_cloudwatch_log_group.training", "aws_cloudwatch_log_group", "training", ["create"], None, lg_after("/aws/sagemaker/TrainingJobs", 90), dict(LG_UNKNOWN, kms_key_id=True))
cfg("", "aws_cloudwatch_log_group.training", "aws_cloudwatch_log_group", "training",
    {"kms_key_id": ref_attr("aws_kms_key.platform", "arn"), "name": const("/aws/sagemaker/TrainingJobs"), "retention_in_days": const(90)})
rc("aws_cloudwatch_log_group.processing", "aws_cloudwatch_log_group", "processing", ["create"], None, lg_after("/aws/sagemaker/ProcessingJobs", 0), LG_UNKNOWN)
cfg("", "aws_cloudwatch_log_group.processing", "aws_cloudwatch_log_group", "processing",
    {"name": const("/aws/sagemaker/ProcessingJobs"), "retention_in_days": const(0)})
ep_lg = dict(lg_after("/aws/sagemaker/Endpoints/rc-fraud-detection-blue", 14))
ep_lg.update({"arn": f"arn:aws:logs:{REGION}:{ACCOUNT}:log-group:/aws/sagemaker/Endpoints/rc-fraud-detection-blue", "id": "/aws/sagemaker/Endpoints/rc-fraud-detection-blue",
              "name_prefix": "", "tags_all": {}})
rc("aws_cloudwatch_log_group.endpoint", "aws_cloudwatch_log_group", "endpoint", ["no-op"], ep_lg, copy.deepcopy(ep_lg), {}, {"tags_all": {}}, before_sensitive={"tags_all": {}})
cfg("", "aws_cloudwatch_log_group.endpoint", "aws_cloudwatch_log_group", "endpoint",
    {"name": const("/aws/sagemaker/Endpoints/rc-fraud-detection-blue"), "retention_in_days": const(14)})
state.append(("aws_cloudwatch_log_group.endpoint", "aws_cloudwatch_log_group", "endpoint", ep_lg))

# ------------------------------------------------------------------ KMS
platform_policy = json.dumps({"Statement": [
    {"Action": "kms:*", "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"}, "Resource": "*", "Sid": "Enable IAM User Permissions"},
    {"Action": ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey*"], "Condition": {"StringEquals": {"aws:SourceAccount": ACCOUNT}}, "Effect": "Allow",
     "Principal": {"Service": "sagemaker.amazonaws.com"}, "Resource": "*", "Sid": "Allow SageMaker to use the key"}], "Version": "2012-10-17"}, separators=(",", ":"))
def key_after(description, rotation, policy):
    return {"bypass_policy_lockout_safety_check": False, "custom_key_store_id": None, "customer_master_key_spec": "SYMMETRIC_DEFAULT",
            "deletion_window_in_days": None, "description": description, "enable_key_rotation": rotation, "is_enabled": True,
            "key_usage": "ENCRYPT_DECRYPT", "policy": policy, "tags": None, "timeouts": None, "xks_key_id": None}
KEY_UNKNOWN = {"arn": True, "id": True, "key_id": True, "multi_region": True, "rotation_period_in_days": True, "tags_all": True}
rc("aws_kms_key.platform", "aws_kms_key", "platform", ["create"], None, key_after("SageMaker platform key", True, platform_policy), KEY_UNKNOWN)
cfg("", "aws_kms_key.platform", "aws_kms_key", "platform",
    {"description": const("SageMaker platform key"), "enable_key_rotation": const(True),
     "policy": refs("data.aws_caller_identity.current.account_id", "data.aws_caller_identity.current")})
rc("aws_kms_alias.platform", "aws_kms_alias", "platform", ["create"], None, {"name": "alias/sagemaker-platform"},
   {"arn": True, "id": True, "name_prefix": True, "target_key_arn": True, "target_key_id": True})
cfg("", "aws_kms_alias.platform", "aws_kms_alias", "platform", {"name": const("alias/sagemaker-platform"), "target_key_id": ref_attr("aws_kms_key.platform", "key_id")})
a = key_after("Scratch key", None, None); a["enable_key_rotation"] = None; del a["policy"]
rc("aws_kms_key.loose", "aws_kms_key", "loose", ["create"], None, a, dict(KEY_UNKNOWN, policy=True))
cfg("", "aws_kms_key.loose", "aws_kms_key", "loose", {"description": const("Scratch key")})
loose_policy = json.dumps({"Statement": [
    {"Action": "kms:*", "Effect": "Allow", "Principal": {"Service": "sagemaker.amazonaws.com"}, "Resource": "*"},
    {"Action": "kms:Decrypt", "Effect": "Allow", "Principal": "*", "Resource": "*"}], "Version": "2012-10-17"}, separators=(",", ":"))
rc("aws_kms_key_policy.loose", "aws_kms_key_policy", "loose", ["create"], None, {"bypass_policy_lockout_safety_check": None, "policy": loose_policy},
   {"id": True, "key_id": True})
cfg("", "aws_kms_key_policy.loose", "aws_kms_key_policy", "loose", {"key_id": ref_attr("aws_kms_key.loose", "id"), "policy": const(loose_policy)})
rc("aws_kms_alias.loose", "aws_kms_alias", "loose", ["create"], None, {"name": "alias/sagemaker-scratch"},
   {"arn": True, "id": True, "name_prefix": True, "target_key_arn": True, "target_key_id": True})
cfg("", "aws_kms_alias.loose", "aws_kms_alias", "loose", {"name": const("alias/sagemaker-scratch"), "target_key_id": ref_attr("aws_kms_key.loose", "arn")})

# ------------------------------------------------------------------ the ml module, twice
for i, stage in enumerate(["blue", "green"]):
    m = f"module.ml[{i}]"
    ing = [rule_block("tcp", 443, 443, [VPC_MAIN_CIDR]), rule_block("tcp", 8080, 8080, [VPC_MAIN_CIDR])]
    eg = [rule_block("tcp", 443, 443, ["0.0.0.0/0"])]
    u = dict(SG_UNKNOWN); u.update({"ingress": [rule_unknown(), rule_unknown()], "egress": [rule_unknown()]})
    blocks = {"cidr_blocks": [False], "ipv6_cidr_blocks": [], "prefix_list_ids": [], "security_groups": []}
    rc(f"{m}.aws_security_group.inference", "aws_security_group", "inference", ["create"], None,
       sg_after("acme-ml-inference", None, f"SageMaker endpoints ({stage})", ing, eg), u,
       {"egress": [dict(blocks)], "ingress": [dict(blocks), dict(blocks)], "tags_all": {}}, module=m)
    model = {"container": [], "enable_network_isolation": None, "execution_role_arn": f"arn:aws:iam::{ACCOUNT}:role/sagemaker-execution",
             "inference_execution_config": [], "name": f"rc-fraud-detection-serving-{stage}",
             "primary_container": [{"container_hostname": None, "environment": None, "image": f"{ACCOUNT}.dkr.ecr.{REGION}.amazonaws.com/acme-sm-rc-fraud-detection/inference:v1.2",
                                    "image_config": [], "inference_specification_name": None, "model_data_source": [],
                                    "model_data_url": f"s3://acme-ml-artifacts-{ACCOUNT}/rc-fraud-detection/model.tar.gz", "model_package_name": None,
                                    "multi_model_config": []}],
             "tags": None, "vpc_config": [{}]}
    rc(f"{m}.aws_sagemaker_model.serving", "aws_sagemaker_model", "serving", ["create"], None, model,
       {"arn": True, "container": [], "id": True, "inference_execution_config": [], "primary_container": [{"image_config": [], "mode": True, "model_data_source": [], "multi_model_config": []}],
        "tags_all": True, "vpc_config": [{"security_group_ids": True, "subnets": True}]},
       {"container": [], "inference_execution_config": [], "primary_container": [{"image_config": [], "model_data_source": [], "multi_model_config": []}], "vpc_config": [{"security_group_ids": [], "subnets": []}]},
       module=m)
    conf = {"async_inference_config": [], "data_capture_config": [], "name": f"rc-fraud-detection-{stage}-config",
            "production_variants": [{"accelerator_type": None, "container_startup_health_check_timeout_in_seconds": None, "core_dump_config": [], "enable_ssm_access": None,
                                     "initial_instance_count": 2, "initial_variant_weight": 1, "instance_type": "ml.m5.large", "model_data_download_timeout_in_seconds": None,
                                     "model_name": f"rc-fraud-detection-serving-{stage}", "routing_config": [], "serverless_config": [], "variant_name": "primary",
                                     "volume_size_in_gb": None}],
            "shadow_production_variants": [], "tags": None}
    rc(f"{m}.aws_sagemaker_endpoint_configuration.serving", "aws_sagemaker_endpoint_configuration", "serving", ["create"], None, conf,
       {"arn": True, "async_inference_config": [], "data_capture_config": [], "id": True, "kms_key_arn": True, "name_prefix": True,
        "production_variants": [{"core_dump_config": [], "routing_config": [], "serverless_config": []}], "shadow_production_variants": [], "tags_all": True},
       {"async_inference_config": [], "data_capture_config": [], "production_variants": [{"core_dump_config": [], "routing_config": [], "serverless_config": []}], "shadow_production_variants": []},
       module=m)
    rc(f"{m}.aws_sagemaker_endpoint.serving", "aws_sagemaker_endpoint", "serving", ["create"], None,
       {"deployment_config": [], "endpoint_config_name": f"rc-fraud-detection-{stage}-config", "name": f"rc-fraud-detection-{stage}", "tags": None},
       {"arn": True, "deployment_config": [], "id": True, "tags_all": True}, {"deployment_config": []}, module=m)

mod = "module.ml"
cfg(mod, "aws_security_group.inference", "aws_security_group", "inference",
    {"description": refs("var.stage"), "egress": const([{"cidr_blocks": ["0.0.0.0/0"], "description": None, "from_port": 443, "ipv6_cidr_blocks": None, "prefix_list_ids": None,
                                                         "protocol": "tcp", "security_groups": None, "self": None, "to_port": 443}]),
     "ingress": refs("var.vpc_cidr"), "name": const("acme-ml-inference"), "vpc_id": refs("var.vpc_id")})
cfg(mod, "aws_sagemaker_model.serving", "aws_sagemaker_model", "serving",
    {"execution_role_arn": const(f"arn:aws:iam::{ACCOUNT}:role/sagemaker-execution"), "name": refs("var.stage"),
     "primary_container": [{"image": const(f"{ACCOUNT}.dkr.ecr.{REGION}.amazonaws.com/acme-sm-rc-fraud-detection/inference:v1.2"),
                            "model_data_url": const(f"s3://acme-ml-artifacts-{ACCOUNT}/rc-fraud-detection/model.tar.gz")}],
     "vpc_config": [{"security_group_ids": ref_attr("aws_security_group.inference", "id"), "subnets": refs("var.subnet_ids")}]})
cfg(mod, "aws_sagemaker_endpoint_configuration.serving", "aws_sagemaker_endpoint_configuration", "serving",
    {"kms_key_arn": refs("var.kms_key_arn"), "name": refs("var.stage"),
     "production_variants": [{"initial_instance_count": const(2), "instance_type": const("ml.m5.large"), "model_name": ref_attr("aws_sagemaker_model.serving", "name"),
                              "variant_name": const("primary")}]})
cfg(mod, "aws_sagemaker_endpoint.serving", "aws_sagemaker_endpoint", "serving",
    {"endpoint_config_name": ref_attr("aws_sagemaker_endpoint_configuration.serving", "name"), "name": refs("var.stage")})

# ------------------------------------------------------------------ SageMaker (root)
image = f"{PRIVATE_REGISTRY}/rc-fraud-detection/inference:latest"
rc("aws_sagemaker_model.latest", "aws_sagemaker_model", "latest", ["create"], None,
   {"container": [], "enable_network_isolation": None, "execution_role_arn": f"arn:aws:iam::{ACCOUNT}:role/sagemaker-execution", "inference_execution_config": [],
    "name": "rc-fraud-detection-latest",
    "primary_container": [{"container_hostname": None, "environment": None, "image": image, "image_config": [], "inference_specification_name": None,
                           "model_data_source": [], "model_data_url": None, "model_package_name": None, "multi_model_config": []}],
    "tags": None, "vpc_config": []},
   {"arn": True, "container": [], "id": True, "inference_execution_config": [], "primary_container": [{"image_config": [], "mode": True, "model_data_source": [], "multi_model_config": []}],
    "tags_all": True, "vpc_config": []},
   {"container": [], "inference_execution_config": [], "primary_container": [{"image": True, "image_config": [], "model_data_source": [], "multi_model_config": []}], "vpc_config": []})
cfg("", "aws_sagemaker_model.latest", "aws_sagemaker_model", "latest",
    {"execution_role_arn": const(f"arn:aws:iam::{ACCOUNT}:role/sagemaker-execution"), "name": const("rc-fraud-detection-latest"),
     "primary_container": [{"image": refs("var.private_registry")}]})
for name, group, desc in [("project", "rc-fraud-detection", "rc: fraud detection"), ("adhoc", "Adhoc_Models", None)]:
    rc(f"aws_sagemaker_model_package_group.{name}", "aws_sagemaker_model_package_group", name, ["create"], None,
       {"model_package_group_description": desc, "model_package_group_name": group, "tags": None}, {"arn": True, "id": True, "tags_all": True})
    e = {"model_package_group_name": const(group)}
    if desc:
        e["model_package_group_description"] = const(desc)
    cfg("", f"aws_sagemaker_model_package_group.{name}", "aws_sagemaker_model_package_group", name, e)
rc("aws_sagemaker_pipeline.training", "aws_sagemaker_pipeline", "training", ["create"], None,
   {"parallelism_configuration": [], "pipeline_definition": PIPELINE, "pipeline_definition_s3_location": [], "pipeline_description": None,
    "pipeline_display_name": "rc-fraud-detection-training", "pipeline_name": "rc-fraud-detection-training",
    "role_arn": f"arn:aws:iam::{ACCOUNT}:role/sagemaker-execution", "tags": None},
   {"arn": True, "id": True, "parallelism_configuration": [], "pipeline_definition_s3_location": [], "tags_all": True})
cfg("", "aws_sagemaker_pipeline.training", "aws_sagemaker_pipeline", "training",
    {"pipeline_definition": refs("path.module"), "pipeline_display_name": const("rc-fraud-detection-training"), "pipeline_name": const("rc-fraud-detection-training"),
     "role_arn": const(f"arn:aws:iam::{ACCOUNT}:role/sagemaker-execution")})

# ------------------------------------------------------------------ types sagegate ignores
trust = json.dumps({"Statement": [{"Action": "sts:AssumeRole", "Effect": "Allow", "Principal": {"Service": "sagemaker.amazonaws.com"}}], "Version": "2012-10-17"}, separators=(",", ":"))
rc("aws_iam_role.sagemaker", "aws_iam_role", "sagemaker", ["create"], None,
   {"assume_role_policy": trust, "description": None, "force_detach_policies": False, "max_session_duration": 3600, "name": "sagemaker-execution", "path": "/",
    "permissions_boundary": None, "tags": None},
   {"arn": True, "create_date": True, "id": True, "inline_policy": True, "managed_policy_arns": True, "name_prefix": True, "tags_all": True, "unique_id": True})
cfg("", "aws_iam_role.sagemaker", "aws_iam_role", "sagemaker", {"assume_role_policy": const(trust), "name": const("sagemaker-execution")})
rc("aws_s3_bucket.artifacts", "aws_s3_bucket", "artifacts", ["create"], None,
   {"bucket": f"acme-ml-artifacts-{ACCOUNT}", "force_destroy": False, "tags": None, "timeouts": None},
   {"acceleration_status": True, "acl": True, "arn": True, "bucket_domain_name": True, "bucket_prefix": True, "bucket_regional_domain_name": True, "cors_rule": True,
    "grant": True, "hosted_zone_id": True, "id": True, "lifecycle_rule": True, "logging": True, "object_lock_configuration": True, "object_lock_enabled": True,
    "policy": True, "region": True, "replication_configuration": True, "request_payer": True, "server_side_encryption_configuration": True, "tags_all": True,
    "versioning": True, "website": True, "website_domain": True, "website_endpoint": True})
cfg("", "aws_s3_bucket.artifacts", "aws_s3_bucket", "artifacts", {"bucket": const(f"acme-ml-artifacts-{ACCOUNT}")})

# ------------------------------------------------------------------ assemble
def strip_unknown(after, unknown):
    """planned_values: the after value with unknown values omitted."""
    if unknown is True:
        return None
    if isinstance(after, dict):
        out = {}
        for k, v in after.items():
            u = unknown.get(k) if isinstance(unknown, dict) else None
            if u is True:
                continue
            out[k] = strip_unknown(v, u)
        return out
    if isinstance(after, list):
        return [strip_unknown(v, unknown[i] if isinstance(unknown, list) and i < len(unknown) else None) for i, v in enumerate(after)]
    return after

def planned_values(fmt):
    root = {"resources": [], "child_modules": []}
    children = {}
    for e in changes:
        c = e["change"]
        if c["after"] is None:
            continue
        r = {"address": e["address"], "mode": "managed", "type": e["type"], "name": e["name"]}
        if "index" in e:
            r["index"] = e["index"]
        r.update({"provider_name": PROVIDER if fmt == "1.2" else "aws", "schema_version": 0, "values": strip_unknown(c["after"], c["after_unknown"])})
        if fmt == "1.2":
            r["sensitive_values"] = c["after_sensitive"] or {}
        if "module_address" in e:
            children.setdefault(e["module_address"], []).append(r)
        else:
            root["resources"].append(r)
    root["child_modules"] = [{"resources": rs, "address": a} for a, rs in children.items()]
    return {"root_module": root}

def configuration(fmt):
    def module(path):
        m = {"resources": config.get(path, [])}
        return m
    root = module("")
    root["variables"] = {
        "analytics_ipam_pool_id": {},
        "private_registry": {"sensitive": True} if fmt == "1.2" else {},
        "region": {"default": "eu-west-1"},
    }
    ml = module("module.ml")
    ml["variables"] = {"kms_key_arn": {}, "stage": {}, "subnet_ids": {}, "vpc_cidr": {}, "vpc_id": {}}
    root["module_calls"] = {"ml": {
        "source": "./modules/ml",
        "expressions": {
            "kms_key_arn": ref_attr("aws_kms_key.platform", "arn"),
            "stage": refs("count.index"),
            "subnet_ids": refs("aws_subnet.private"),
            "vpc_cidr": ref_attr("aws_vpc.main", "cidr_block"),
            "vpc_id": ref_attr("aws_vpc.main", "id"),
        },
        "count_expression": const(2),
        "module": ml,
    }}
    providers = {"aws": {"name": "aws", "expressions": {"region": refs("var.region")}}}
    if fmt == "1.2":
        providers["aws"]["full_name"] = PROVIDER
        providers["aws"]["version_constraint"] = "~> 5.40"
    return {"provider_config": providers, "root_module": root}

def prior_state(fmt):
    resources = []
    for address, type_, name, values in state:
        r = {"address": address, "mode": "managed", "type": type_, "name": name, "provider_name": PROVIDER if fmt == "1.2" else "aws", "schema_version": 1 if type_ == "aws_security_group" else 0, "values": values}
        if fmt == "1.2":
            r["sensitive_values"] = {}
        resources.append(r)
    for d in data_sources:
        d = copy.deepcopy(d)
        if fmt != "1.2":
            d.pop("sensitive_values", None)
            d["provider_name"] = "aws"
        resources.append(d)
    resources.sort(key=lambda r: r["address"])
    return {"format_version": fmt, "terraform_version": "1.5.7" if fmt == "1.2" else "0.13.7", "values": {"root_module": {"resources": resources}}}

def plan(fmt):
    rcs = copy.deepcopy(changes)
    if fmt != "1.2":
        for e in rcs:
            e["provider_name"] = "aws"
            e.pop("action_reason", None)
            e["change"].pop("before_sensitive")
            e["change"].pop("after_sensitive")
    cfgd = configuration(fmt)
    doc = {"format_version": fmt, "terraform_version": "1.5.7" if fmt == "1.2" else "0.13.7",
           "variables": {"analytics_ipam_pool_id": {"value": "ipam-pool-0a1b2c3d4e5f60001"}, "private_registry": {"value": PRIVATE_REGISTRY}, "region": {"value": REGION}},
           "planned_values": planned_values(fmt), "resource_changes": rcs, "prior_state": prior_state(fmt), "configuration": cfgd}
    if fmt == "1.2":
        doc["relevant_attributes"] = [{"resource": "aws_vpc.main", "attribute": ["cidr_block"]}, {"resource": "data.aws_vpc.existing", "attribute": ["cidr_block"]}]
        doc["timestamp"] = "2026-11-28T09:14:03Z"
        doc["applyable"] = True
        doc["complete"] = True
        doc["errored"] = False
        doc["checks"] = []
    return doc

for fmt in ["1.2", "0.1"]:
    with open(os.path.join(OUT, f"plan-{fmt}.json"), "w") as f:
        json.dump(plan(fmt), f, indent=2)
        f.write("\n")
print("ok", len(changes))
