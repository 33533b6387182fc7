"""Organizations policies: CRUD, policy types on the root, attach/detach, AWS managed policies,
effective management policies (inheritance operators) and their validation errors."""
import json
import re
from datetime import datetime

import pytest
from botocore.exceptions import ClientError

from conftest import aws_cli, signup

SCP = "SERVICE_CONTROL_POLICY"
RCP = "RESOURCE_CONTROL_POLICY"
DENY_S3 = json.dumps(
    {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Deny", "Action": "s3:*", "Resource": "*"}],
    }
)
RCP_DENY = json.dumps(
    {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "*"}
        ],
    }
)
POLICY_ARN_RE = re.compile(
    r"^arn:aws:organizations::000000000000:policy/o-[a-z0-9]{10}/service_control_policy/p-[a-z0-9]{8}$"
)

# AWS's inheritance examples (tag policies).
TAG_A = {
    "tags": {
        "costcenter": {
            "tag_key": {"@@assign": "CostCenter"},
            "tag_value": {"@@assign": ["Development", "Support"]},
        }
    }
}
TAG_C = {
    "tags": {
        "costcenter": {
            "tag_key": {"@@assign": "CostCenter"},
            "tag_value": {"@@append": ["Marketing"]},
            "enforced_for": {"@@append": ["redshift:*", "dynamodb:table"]},
        }
    }
}
TAG_D = {
    "tags": {
        "costcenter": {
            "tag_key": {"@@assign": "CostCenter"},
            "tag_value": {"@@remove": ["Development", "Marketing"]},
        }
    }
}


def error(excinfo):
    return excinfo.value.response["Error"]


def new_org(orgs, feature_set="ALL"):
    orgs.create_organization(FeatureSet=feature_set)
    return orgs.list_roots()["Roots"][0]["Id"]


def create_account(orgs, email, name="Acct"):
    try:
        resp = orgs.create_account(Email=email, AccountName=name)["CreateAccountStatus"]
    except ClientError as e:
        if e.response["Error"]["Code"] == "NotImplementedException":
            pytest.skip("CreateAccount is not implemented yet")
        raise
    status = orgs.describe_create_account_status(CreateAccountRequestId=resp["Id"])
    assert status["CreateAccountStatus"]["State"] == "SUCCEEDED"
    return status["CreateAccountStatus"]["AccountId"]


def create_ou(orgs, parent, name):
    try:
        return orgs.create_organizational_unit(ParentId=parent, Name=name)["OrganizationalUnit"]["Id"]
    except ClientError as e:
        if e.response["Error"]["Code"] == "NotImplementedException":
            pytest.skip("CreateOrganizationalUnit is not implemented yet")
        raise


def member_client(server, orgs, email):
    account_id = create_account(orgs, email)
    out = server.admin("/_localorg/complete-signup", {"AccountId": account_id})
    return account_id, server.client("organizations", key=(out["AccessKeyId"], out["SecretAccessKey"]))


def policy(orgs, name, content=DENY_S3, ptype=SCP, **kw):
    if not isinstance(content, str):
        content = json.dumps(content)
    return orgs.create_policy(
        Name=name, Description=f"{name} policy", Content=content, Type=ptype, **kw
    )["Policy"]["PolicySummary"]["Id"]


def attached_ids(orgs, target, ptype=SCP):
    return sorted(
        p["Id"] for p in orgs.list_policies_for_target(TargetId=target, Filter=ptype)["Policies"]
    )


def target_ids(orgs, policy_id):
    return sorted(t["TargetId"] for t in orgs.list_targets_for_policy(PolicyId=policy_id)["Targets"])


# --------------------------------------------------------------------------------------------
# Policy types on the root
# --------------------------------------------------------------------------------------------


def test_enable_scp_attaches_full_aws_access_everywhere(orgs):
    root = new_org(orgs)
    ou = create_ou(orgs, root, "Workloads")
    acct = create_account(orgs, "dev@example.com")
    resp = orgs.enable_policy_type(RootId=root, PolicyType=SCP)["Root"]
    assert resp["Id"] == root
    assert resp["PolicyTypes"] == [{"Type": SCP, "Status": "ENABLED"}]
    assert orgs.list_roots()["Roots"][0]["PolicyTypes"] == [{"Type": SCP, "Status": "ENABLED"}]
    for target in (root, ou, acct, "000000000000"):
        assert attached_ids(orgs, target) == ["p-FullAWSAccess"]
    targets = orgs.list_targets_for_policy(PolicyId="p-FullAWSAccess")["Targets"]
    by_id = {t["TargetId"]: t for t in targets}
    assert set(by_id) == {root, ou, acct, "000000000000"}
    assert by_id[root]["Type"] == "ROOT" and by_id[root]["Name"] == "Root"
    assert by_id[ou]["Type"] == "ORGANIZATIONAL_UNIT" and by_id[ou]["Name"] == "Workloads"
    assert by_id[acct]["Type"] == "ACCOUNT" and by_id[acct]["Name"] == "Acct"
    assert by_id[acct]["Arn"].endswith(f"/{acct}")

    with pytest.raises(ClientError) as e:
        orgs.enable_policy_type(RootId=root, PolicyType=SCP)
    assert error(e)["Code"] == "PolicyTypeAlreadyEnabledException"
    with pytest.raises(ClientError) as e:
        orgs.enable_policy_type(RootId="r-zzzz", PolicyType=TAG_POLICY_TYPE)
    assert error(e)["Code"] == "RootNotFoundException"


TAG_POLICY_TYPE = "TAG_POLICY"


def test_new_ou_and_account_get_full_aws_access(orgs, server):
    root = new_org(orgs)
    orgs.enable_policy_type(RootId=root, PolicyType=SCP)
    orgs.enable_policy_type(RootId=root, PolicyType=RCP)
    # An invited account gets them when it joins.
    invited, key = signup(server, "invited@example.com", "invited")
    hs = orgs.invite_account_to_organization(Target={"Type": "ACCOUNT", "Id": invited})["Handshake"]
    server.client("organizations", key=key).accept_handshake(HandshakeId=hs["Id"])
    assert attached_ids(orgs, invited, SCP) == ["p-FullAWSAccess"]
    assert attached_ids(orgs, invited, RCP) == ["p-RCPFullAWSAccess"]
    ou = create_ou(orgs, root, "Later")
    acct = create_account(orgs, "later@example.com")
    for target in (ou, acct):
        assert attached_ids(orgs, target, SCP) == ["p-FullAWSAccess"]
        assert attached_ids(orgs, target, RCP) == ["p-RCPFullAWSAccess"]


def test_disable_policy_type_detaches_everything(orgs):
    root = new_org(orgs)
    orgs.enable_policy_type(RootId=root, PolicyType=SCP)
    pid = policy(orgs, "deny-s3")
    orgs.attach_policy(PolicyId=pid, TargetId=root)
    resp = orgs.disable_policy_type(RootId=root, PolicyType=SCP)["Root"]
    assert resp["PolicyTypes"] == []
    assert orgs.list_roots()["Roots"][0]["PolicyTypes"] == []
    assert attached_ids(orgs, root) == []
    assert target_ids(orgs, pid) == []
    assert target_ids(orgs, "p-FullAWSAccess") == []
    with pytest.raises(ClientError) as e:
        orgs.disable_policy_type(RootId=root, PolicyType=SCP)
    assert error(e)["Code"] == "PolicyTypeNotEnabledException"
    with pytest.raises(ClientError) as e:
        orgs.disable_policy_type(RootId="r-zzzz", PolicyType=SCP)
    assert error(e)["Code"] == "RootNotFoundException"
    with pytest.raises(ClientError) as e:
        orgs.attach_policy(PolicyId=pid, TargetId=root)
    assert error(e)["Code"] == "PolicyTypeNotEnabledException"
    # The policy can now go.
    orgs.delete_policy(PolicyId=pid)
    # Re-enabling attaches FullAWSAccess again.
    orgs.enable_policy_type(RootId=root, PolicyType=SCP)
    assert attached_ids(orgs, root) == ["p-FullAWSAccess"]


def test_consolidated_billing_org_has_no_policies(orgs):
    root = new_org(orgs, "CONSOLIDATED_BILLING")
    with pytest.raises(ClientError) as e:
        orgs.enable_policy_type(RootId=root, PolicyType=SCP)
    assert error(e)["Code"] == "PolicyTypeNotAvailableForOrganizationException"
    with pytest.raises(ClientError) as e:
        policy(orgs, "x")
    assert error(e)["Code"] == "PolicyTypeNotAvailableForOrganizationException"
    assert orgs.list_policies(Filter=SCP)["Policies"] == []


# --------------------------------------------------------------------------------------------
# CRUD
# --------------------------------------------------------------------------------------------


def test_create_describe_update_delete_policy(orgs):
    new_org(orgs)
    created = orgs.create_policy(
        Name="deny-s3",
        Description="no S3",
        Content=DENY_S3,
        Type=SCP,
        Tags=[{"Key": "team", "Value": "sec"}],
    )["Policy"]
    summary = created["PolicySummary"]
    assert created["Content"] == DENY_S3
    assert re.match(r"^p-[a-z0-9]{8}$", summary["Id"])
    assert POLICY_ARN_RE.match(summary["Arn"]), summary["Arn"]
    assert summary["Name"] == "deny-s3"
    assert summary["Description"] == "no S3"
    assert summary["Type"] == SCP
    assert summary["AwsManaged"] is False
    pid = summary["Id"]
    assert orgs.describe_policy(PolicyId=pid)["Policy"] == created
    assert orgs.list_tags_for_resource(ResourceId=pid)["Tags"] == [{"Key": "team", "Value": "sec"}]

    with pytest.raises(ClientError) as e:
        policy(orgs, "deny-s3")
    assert error(e)["Code"] == "DuplicatePolicyException"
    # Same name, other type: fine.
    policy(orgs, "deny-s3", TAG_A, TAG_POLICY_TYPE)
    # The AWS managed name is taken too.
    with pytest.raises(ClientError) as e:
        policy(orgs, "FullAWSAccess")
    assert error(e)["Code"] == "DuplicatePolicyException"

    other = policy(orgs, "other")
    with pytest.raises(ClientError) as e:
        orgs.update_policy(PolicyId=other, Name="deny-s3")
    assert error(e)["Code"] == "DuplicatePolicyException"

    new_content = json.dumps(
        {"Version": "2012-10-17", "Statement": {"Effect": "Deny", "NotAction": "iam:*", "Resource": "*"}}
    )
    updated = orgs.update_policy(
        PolicyId=pid, Name="deny-most", Description="changed", Content=new_content
    )["Policy"]
    assert updated["Content"] == new_content
    assert updated["PolicySummary"]["Name"] == "deny-most"
    assert updated["PolicySummary"]["Description"] == "changed"
    assert orgs.describe_policy(PolicyId=pid)["Policy"] == updated
    # Only the description.
    orgs.update_policy(PolicyId=pid, Description="again")
    got = orgs.describe_policy(PolicyId=pid)["Policy"]
    assert got["PolicySummary"]["Name"] == "deny-most" and got["Content"] == new_content
    with pytest.raises(ClientError) as e:
        orgs.update_policy(PolicyId=pid, Content='{"Statement": []}')
    assert error(e)["Code"] == "MalformedPolicyDocumentException"

    orgs.delete_policy(PolicyId=pid)
    for call in (orgs.describe_policy, orgs.delete_policy, orgs.list_targets_for_policy):
        with pytest.raises(ClientError) as e:
            call(PolicyId=pid)
        assert error(e)["Code"] == "PolicyNotFoundException"
    with pytest.raises(ClientError) as e:
        orgs.update_policy(PolicyId=pid, Name="x")
    assert error(e)["Code"] == "PolicyNotFoundException"


@pytest.mark.parametrize(
    "ptype,content",
    [
        (SCP, "not json"),
        (SCP, "[]"),
        (SCP, json.dumps({"Version": "2012-10-17"})),
        (SCP, json.dumps({"Statement": [{"Effect": "Allow", "Action": "*", "Principal": "*"}]})),
        (SCP, json.dumps({"Statement": [{"Effect": "Perhaps", "Action": "*", "Resource": "*"}]})),
        (SCP, json.dumps({"Statement": [{"Effect": "Allow", "Resource": "*"}]})),
        (SCP, json.dumps({"Statement": [{"Effect": "Allow", "Action": "*", "Foo": "*"}]})),
        (RCP, DENY_S3),  # no Principal
        (RCP, RCP_DENY.replace("Deny", "Allow")),
        (TAG_POLICY_TYPE, json.dumps({"tags": {"costcenter": {"tag_key": "CostCenter"}}})),
        (TAG_POLICY_TYPE, json.dumps({"tags": {"costcenter": {"tag_key": {"@@set": "x"}}}})),
        ("BACKUP_POLICY", json.dumps({"plans": {"p": {"regions": {"@@append": "us-east-1"}}}})),
        (
            "AISERVICES_OPT_OUT_POLICY",
            json.dumps({"services": {"default": {"@@operators_allowed_for_child_policies": ["@@maybe"]}}}),
        ),
    ],
)
def test_malformed_policy_documents(orgs, ptype, content):
    new_org(orgs)
    with pytest.raises(ClientError) as e:
        orgs.create_policy(Name="bad", Description="", Content=content, Type=ptype)
    assert error(e)["Code"] == "MalformedPolicyDocumentException"
    assert all(p["AwsManaged"] for p in orgs.list_policies(Filter=ptype)["Policies"])


def test_valid_documents_of_every_management_type(orgs):
    new_org(orgs)
    docs = {
        TAG_POLICY_TYPE: TAG_A,
        "BACKUP_POLICY": {"plans": {"daily": {"regions": {"@@assign": ["us-east-1"]}}}},
        "AISERVICES_OPT_OUT_POLICY": {
            "services": {"default": {"opt_out_policy": {"@@assign": "optOut"}}}
        },
        "CHATBOT_POLICY": {"chatbot": {"platforms": {"slack": {"client": {"@@assign": "enabled"}}}}},
        "DECLARATIVE_POLICY_EC2": {
            "ec2_attributes": {"image_block_public_access": {"state": {"@@assign": "block_new_sharing"}}}
        },
        RCP: json.loads(RCP_DENY),
    }
    for ptype, doc in docs.items():
        pid = policy(orgs, f"ok-{ptype.lower()}", doc, ptype)
        got = orgs.describe_policy(PolicyId=pid)["Policy"]["PolicySummary"]
        assert got["Type"] == ptype
        assert f":policy/o-" in got["Arn"] and f"/{ptype.lower()}/{pid}" in got["Arn"]


def test_policy_size_limits(orgs):
    new_org(orgs)
    pad = " " * (5120 - len(DENY_S3))
    policy(orgs, "exactly-max", DENY_S3 + pad)
    with pytest.raises(ClientError) as e:
        policy(orgs, "too-big", DENY_S3 + pad + " ")
    assert error(e)["Code"] == "ConstraintViolationException"
    assert e.value.response["Reason"] == "POLICY_CONTENT_LIMIT_EXCEEDED"
    # Tag policies may be 10,000 characters; AI opt-out policies 2,500.
    tag = json.dumps(TAG_A)
    policy(orgs, "big-tag", tag + " " * (10000 - len(tag)), TAG_POLICY_TYPE)
    with pytest.raises(ClientError) as e:
        policy(orgs, "ai", json.dumps({"services": {}}) + " " * 2500, "AISERVICES_OPT_OUT_POLICY")
    assert e.value.response["Reason"] == "POLICY_CONTENT_LIMIT_EXCEEDED"


def test_aws_managed_policies(orgs):
    new_org(orgs)
    scps = orgs.list_policies(Filter=SCP)["Policies"]
    assert scps == [
        {
            "Id": "p-FullAWSAccess",
            "Arn": "arn:aws:organizations::aws:policy/service_control_policy/p-FullAWSAccess",
            "Name": "FullAWSAccess",
            "Description": "Allows access to every operation",
            "Type": SCP,
            "AwsManaged": True,
        }
    ]
    rcps = orgs.list_policies(Filter=RCP)["Policies"]
    assert [p["Id"] for p in rcps] == ["p-RCPFullAWSAccess"]
    assert rcps[0]["Arn"] == "arn:aws:organizations::aws:policy/resource_control_policy/p-RCPFullAWSAccess"
    assert orgs.list_policies(Filter=TAG_POLICY_TYPE)["Policies"] == []
    full = orgs.describe_policy(PolicyId="p-FullAWSAccess")["Policy"]
    assert json.loads(full["Content"])["Statement"][0] == {
        "Effect": "Allow",
        "Action": "*",
        "Resource": "*",
    }
    for call, kw in (
        (orgs.update_policy, {"Name": "mine"}),
        (orgs.delete_policy, {}),
    ):
        with pytest.raises(ClientError) as e:
            call(PolicyId="p-FullAWSAccess", **kw)
        assert error(e)["Code"] == "InvalidInputException"
        assert e.value.response["Reason"] == "IMMUTABLE_POLICY"


# --------------------------------------------------------------------------------------------
# Attach / detach
# --------------------------------------------------------------------------------------------


def test_attach_detach_flow(orgs):
    root = new_org(orgs)
    ou = create_ou(orgs, root, "Prod")
    acct = create_account(orgs, "prod@example.com")
    orgs.enable_policy_type(RootId=root, PolicyType=SCP)
    pid = policy(orgs, "deny-s3")

    for target in (root, ou, acct):
        orgs.attach_policy(PolicyId=pid, TargetId=target)
    assert attached_ids(orgs, ou) == sorted(["p-FullAWSAccess", pid])
    assert target_ids(orgs, pid) == sorted([root, ou, acct])
    summary = orgs.list_policies_for_target(TargetId=acct, Filter=SCP)["Policies"]
    assert {p["Id"]: p["AwsManaged"] for p in summary} == {"p-FullAWSAccess": True, pid: False}

    with pytest.raises(ClientError) as e:
        orgs.attach_policy(PolicyId=pid, TargetId=root)
    assert error(e)["Code"] == "DuplicatePolicyAttachmentException"
    with pytest.raises(ClientError) as e:
        orgs.delete_policy(PolicyId=pid)
    assert error(e)["Code"] == "PolicyInUseException"

    orgs.detach_policy(PolicyId=pid, TargetId=ou)
    assert attached_ids(orgs, ou) == ["p-FullAWSAccess"]
    with pytest.raises(ClientError) as e:
        orgs.detach_policy(PolicyId=pid, TargetId=ou)
    assert error(e)["Code"] == "PolicyNotAttachedException"

    # The last SCP can't go; once another is attached, FullAWSAccess can.
    with pytest.raises(ClientError) as e:
        orgs.detach_policy(PolicyId="p-FullAWSAccess", TargetId=ou)
    assert error(e)["Code"] == "ConstraintViolationException"
    assert e.value.response["Reason"] == "MIN_POLICY_TYPE_ATTACHMENT_LIMIT_EXCEEDED"
    orgs.detach_policy(PolicyId="p-FullAWSAccess", TargetId=acct)
    assert attached_ids(orgs, acct) == [pid]
    with pytest.raises(ClientError) as e:
        orgs.detach_policy(PolicyId=pid, TargetId=acct)
    assert e.value.response["Reason"] == "MIN_POLICY_TYPE_ATTACHMENT_LIMIT_EXCEEDED"
    # Re-attaching the AWS managed policy works.
    orgs.attach_policy(PolicyId="p-FullAWSAccess", TargetId=acct)

    for target in (root, acct):
        orgs.detach_policy(PolicyId=pid, TargetId=target)
    orgs.delete_policy(PolicyId=pid)
    assert orgs.list_policies(Filter=SCP)["Policies"][0]["Id"] == "p-FullAWSAccess"


def test_attach_errors(orgs, server):
    root = new_org(orgs)
    orgs.enable_policy_type(RootId=root, PolicyType=SCP)
    pid = policy(orgs, "deny-s3")
    solo, _ = signup(server, "solo@example.com", "solo")
    for bad in ("ou-zzzz-zzzzzzzz", "111111111111", solo, "r-zzzz"):
        for call in (orgs.attach_policy, orgs.detach_policy):
            with pytest.raises(ClientError) as e:
                call(PolicyId=pid, TargetId=bad)
            assert error(e)["Code"] == "TargetNotFoundException", bad
        with pytest.raises(ClientError) as e:
            orgs.list_policies_for_target(TargetId=bad, Filter=SCP)
        assert error(e)["Code"] == "TargetNotFoundException"
    with pytest.raises(ClientError) as e:
        orgs.attach_policy(PolicyId="p-zzzzzzzz", TargetId=root)
    assert error(e)["Code"] == "PolicyNotFoundException"
    tag = policy(orgs, "tags", TAG_A, TAG_POLICY_TYPE)
    with pytest.raises(ClientError) as e:
        orgs.attach_policy(PolicyId=tag, TargetId=root)
    assert error(e)["Code"] == "PolicyTypeNotEnabledException"


def test_five_scps_per_target(orgs):
    root = new_org(orgs)
    orgs.enable_policy_type(RootId=root, PolicyType=SCP)
    ids = [policy(orgs, f"scp-{i}") for i in range(5)]
    for pid in ids[:4]:
        orgs.attach_policy(PolicyId=pid, TargetId=root)
    assert len(attached_ids(orgs, root)) == 5  # FullAWSAccess + 4
    with pytest.raises(ClientError) as e:
        orgs.attach_policy(PolicyId=ids[4], TargetId=root)
    assert error(e)["Code"] == "ConstraintViolationException"
    assert e.value.response["Reason"] == "MAX_POLICY_TYPE_ATTACHMENT_LIMIT_EXCEEDED"
    orgs.detach_policy(PolicyId="p-FullAWSAccess", TargetId=root)
    orgs.attach_policy(PolicyId=ids[4], TargetId=root)
    assert attached_ids(orgs, root) == sorted(ids)


def test_tag_policies_allow_ten_per_target(orgs):
    root = new_org(orgs)
    orgs.enable_policy_type(RootId=root, PolicyType=TAG_POLICY_TYPE)
    ids = [policy(orgs, f"tag-{i}", TAG_A, TAG_POLICY_TYPE) for i in range(11)]
    for pid in ids[:10]:
        orgs.attach_policy(PolicyId=pid, TargetId=root)
    with pytest.raises(ClientError) as e:
        orgs.attach_policy(PolicyId=ids[10], TargetId=root)
    assert e.value.response["Reason"] == "MAX_POLICY_TYPE_ATTACHMENT_LIMIT_EXCEEDED"


def test_rcps(orgs):
    root = new_org(orgs)
    orgs.enable_policy_type(RootId=root, PolicyType=RCP)
    assert attached_ids(orgs, root, RCP) == ["p-RCPFullAWSAccess"]
    assert attached_ids(orgs, root, SCP) == []
    with pytest.raises(ClientError) as e:
        orgs.detach_policy(PolicyId="p-RCPFullAWSAccess", TargetId=root)
    assert error(e)["Code"] == "InvalidInputException"
    assert e.value.response["Reason"] == "NON_DETACHABLE_POLICY"
    pid = policy(orgs, "rcp-deny", RCP_DENY, RCP)
    orgs.attach_policy(PolicyId=pid, TargetId=root)
    assert attached_ids(orgs, root, RCP) == sorted(["p-RCPFullAWSAccess", pid])
    orgs.detach_policy(PolicyId=pid, TargetId=root)


# --------------------------------------------------------------------------------------------
# Listing and pagination
# --------------------------------------------------------------------------------------------


def test_pagination(orgs):
    root = new_org(orgs)
    orgs.enable_policy_type(RootId=root, PolicyType=SCP)
    made = {policy(orgs, f"p{i}") for i in range(5)}
    seen, token, pages = [], None, 0
    while True:
        kw = {"NextToken": token} if token else {}
        page = orgs.list_policies(Filter=SCP, MaxResults=2, **kw)
        pages += 1
        seen += [p["Id"] for p in page["Policies"]]
        token = page.get("NextToken")
        if not token:
            break
    assert pages == 3
    assert sorted(seen) == sorted(made | {"p-FullAWSAccess"})
    for pid in sorted(made)[:4]:
        orgs.attach_policy(PolicyId=pid, TargetId=root)
    first = orgs.list_policies_for_target(TargetId=root, Filter=SCP, MaxResults=3)
    assert len(first["Policies"]) == 3 and "NextToken" in first
    rest = orgs.list_policies_for_target(TargetId=root, Filter=SCP, NextToken=first["NextToken"])
    assert len(rest["Policies"]) == 2 and "NextToken" not in rest
    paginator = orgs.get_paginator("list_policies")
    assert len([p for page in paginator.paginate(Filter=SCP, PaginationConfig={"PageSize": 4}) for p in page["Policies"]]) == 6
    for call, kw in (
        (orgs.list_policies, {"Filter": SCP}),
        (orgs.list_policies_for_target, {"Filter": SCP, "TargetId": root}),
        (orgs.list_targets_for_policy, {"PolicyId": "p-FullAWSAccess"}),
    ):
        with pytest.raises(ClientError) as e:
            call(NextToken="bogus-token", **kw)
        assert error(e)["Code"] == "InvalidInputException"
        assert e.value.response["Reason"] == "INVALID_PAGINATION_TOKEN"


def test_full_aws_access_targets_are_per_organization(orgs, server):
    """The AWS managed policy is shared; each organization sees only its own targets."""
    root = new_org(orgs)
    orgs.enable_policy_type(RootId=root, PolicyType=SCP)
    _, key = signup(server, "other-org@example.com", "other")
    other = server.client("organizations", key=key)
    other_root = new_org(other)
    other.enable_policy_type(RootId=other_root, PolicyType=SCP)
    assert target_ids(orgs, "p-FullAWSAccess") == sorted([root, "000000000000"])
    assert root not in target_ids(other, "p-FullAWSAccess")
    mine = policy(orgs, "mine")
    with pytest.raises(ClientError) as e:
        other.describe_policy(PolicyId=mine)
    assert error(e)["Code"] == "PolicyNotFoundException"


# --------------------------------------------------------------------------------------------
# Callers
# --------------------------------------------------------------------------------------------


def test_callers(orgs, server):
    root = new_org(orgs)
    orgs.enable_policy_type(RootId=root, PolicyType=SCP)
    pid = policy(orgs, "deny-s3")
    _, solo_key = signup(server, "solo@example.com", "solo")
    solo = server.client("organizations", key=solo_key)
    with pytest.raises(ClientError) as e:
        solo.list_policies(Filter=SCP)
    assert error(e)["Code"] == "AWSOrganizationsNotInUseException"
    with pytest.raises(ClientError) as e:
        solo.describe_effective_policy(PolicyType=TAG_POLICY_TYPE)
    assert error(e)["Code"] == "AWSOrganizationsNotInUseException"

    acct, member = member_client(server, orgs, "member@example.com")
    for call, kw in (
        (member.list_policies, {"Filter": SCP}),
        (member.describe_policy, {"PolicyId": pid}),
        (member.create_policy, {"Name": "m", "Description": "", "Content": DENY_S3, "Type": SCP}),
        (member.attach_policy, {"PolicyId": pid, "TargetId": acct}),
        (member.detach_policy, {"PolicyId": "p-FullAWSAccess", "TargetId": acct}),
        (member.enable_policy_type, {"RootId": root, "PolicyType": TAG_POLICY_TYPE}),
        (member.disable_policy_type, {"RootId": root, "PolicyType": SCP}),
        (member.delete_policy, {"PolicyId": pid}),
        (member.list_targets_for_policy, {"PolicyId": pid}),
        (member.describe_effective_policy, {"PolicyType": TAG_POLICY_TYPE, "TargetId": "000000000000"}),
        (member.list_accounts_with_invalid_effective_policy, {"PolicyType": TAG_POLICY_TYPE}),
    ):
        with pytest.raises(ClientError) as e:
            call(**kw)
        assert error(e)["Code"] == "AccessDeniedException", call
    # A member may read its own effective policy.
    with pytest.raises(ClientError) as e:
        member.describe_effective_policy(PolicyType=TAG_POLICY_TYPE)
    assert error(e)["Code"] == "EffectivePolicyNotFoundException"


# --------------------------------------------------------------------------------------------
# Effective policies
# --------------------------------------------------------------------------------------------


def effective(client, ptype=TAG_POLICY_TYPE, **kw):
    got = client.describe_effective_policy(PolicyType=ptype, **kw)["EffectivePolicy"]
    return got, json.loads(got["PolicyContent"])


def test_effective_tag_policy_through_inheritance(orgs, server):
    root = new_org(orgs)
    ou = create_ou(orgs, root, "OU2")
    acct, member = member_client(server, orgs, "acct@example.com")
    orgs.move_account(AccountId=acct, SourceParentId=root, DestinationParentId=ou)
    orgs.enable_policy_type(RootId=root, PolicyType=TAG_POLICY_TYPE)
    with pytest.raises(ClientError) as e:
        orgs.describe_effective_policy(PolicyType=TAG_POLICY_TYPE, TargetId=acct)
    assert error(e)["Code"] == "EffectivePolicyNotFoundException"

    a = policy(orgs, "A", TAG_A, TAG_POLICY_TYPE)
    c = policy(orgs, "C", TAG_C, TAG_POLICY_TYPE)
    d = policy(orgs, "D", TAG_D, TAG_POLICY_TYPE)
    orgs.attach_policy(PolicyId=a, TargetId=root)
    orgs.attach_policy(PolicyId=c, TargetId=ou)

    got, content = effective(orgs, TargetId=acct)
    assert got["TargetId"] == acct
    assert got["PolicyType"] == TAG_POLICY_TYPE
    assert isinstance(got["LastUpdatedTimestamp"], datetime)
    assert content == {
        "tags": {
            "costcenter": {
                "tag_key": "CostCenter",
                "tag_value": ["Development", "Support", "Marketing"],
                "enforced_for": ["redshift:*", "dynamodb:table"],
            }
        }
    }
    # The member sees the same for itself (TargetId defaults to the caller).
    assert effective(member)[1] == content
    # The management account only inherits policy A.
    assert effective(orgs)[1] == {
        "tags": {"costcenter": {"tag_key": "CostCenter", "tag_value": ["Development", "Support"]}}
    }

    orgs.attach_policy(PolicyId=d, TargetId=acct)
    assert effective(orgs, TargetId=acct)[1] == {
        "tags": {
            "costcenter": {
                "tag_key": "CostCenter",
                "tag_value": ["Support"],
                "enforced_for": ["redshift:*", "dynamodb:table"],
            }
        }
    }

    # Child control operators: the root forbids changing the key, allows only appending values.
    orgs.detach_policy(PolicyId=d, TargetId=acct)
    orgs.update_policy(
        PolicyId=a,
        Content=json.dumps(
            {
                "tags": {
                    "costcenter": {
                        "tag_key": {
                            "@@operators_allowed_for_child_policies": ["@@none"],
                            "@@assign": "CostCenter",
                        },
                        "tag_value": {
                            "@@operators_allowed_for_child_policies": ["@@append"],
                            "@@assign": ["Development"],
                        },
                    }
                }
            }
        ),
    )
    orgs.update_policy(
        PolicyId=c,
        Content=json.dumps(
            {
                "tags": {
                    "costcenter": {
                        "tag_key": {"@@assign": "COSTCENTER"},
                        "tag_value": {"@@append": ["Marketing"], "@@remove": ["Development"]},
                    }
                }
            }
        ),
    )
    assert effective(orgs, TargetId=acct)[1] == {
        "tags": {"costcenter": {"tag_key": "CostCenter", "tag_value": ["Development", "Marketing"]}}
    }

    for bad, code in ((root, "InvalidInputException"), (ou, "InvalidInputException"), ("111111111111", "TargetNotFoundException")):
        with pytest.raises(ClientError) as e:
            orgs.describe_effective_policy(PolicyType=TAG_POLICY_TYPE, TargetId=bad)
        assert error(e)["Code"] == code
        if code == "InvalidInputException":
            assert e.value.response["Reason"] == "TARGET_NOT_SUPPORTED"
    with pytest.raises(ClientError) as e:
        orgs.describe_effective_policy(PolicyType="BACKUP_POLICY", TargetId=acct)
    assert error(e)["Code"] == "EffectivePolicyNotFoundException"


def test_effective_backup_policy_and_validation_errors(orgs):
    root = new_org(orgs)
    ou = create_ou(orgs, root, "Data")
    acct = create_account(orgs, "data@example.com")
    orgs.move_account(AccountId=acct, SourceParentId=root, DestinationParentId=ou)
    orgs.enable_policy_type(RootId=root, PolicyType="BACKUP_POLICY")
    base = policy(
        orgs,
        "base",
        {"plans": {"pii": {"regions": {"@@assign": ["us-east-1"]}}}},
        "BACKUP_POLICY",
    )
    orgs.attach_policy(PolicyId=base, TargetId=root)
    invalid = orgs.list_accounts_with_invalid_effective_policy(PolicyType="BACKUP_POLICY")
    assert invalid["PolicyType"] == "BACKUP_POLICY"
    assert sorted(a["Id"] for a in invalid["Accounts"]) == sorted([acct, "000000000000"])
    page = orgs.list_accounts_with_invalid_effective_policy(PolicyType="BACKUP_POLICY", MaxResults=1)
    assert len(page["Accounts"]) == 1 and "NextToken" in page

    errs = orgs.list_effective_policy_validation_errors(AccountId=acct, PolicyType="BACKUP_POLICY")
    assert errs["AccountId"] == acct
    assert errs["PolicyType"] == "BACKUP_POLICY"
    assert errs["Path"].startswith("o-") and errs["Path"].endswith(f"/{root}/{ou}/{acct}/")
    assert isinstance(errs["EvaluationTimestamp"], datetime)
    codes = {(e["ErrorCode"], e["PathToError"]) for e in errs["EffectivePolicyValidationErrors"]}
    assert codes == {("ELEMENTS_MISSING", "plans.pii")}
    assert len(errs["EffectivePolicyValidationErrors"]) == 2  # rules, selections
    assert all(e["ContributingPolicies"] == [base] for e in errs["EffectivePolicyValidationErrors"])

    # The OU completes the plan for its accounts.
    complete = policy(
        orgs,
        "complete",
        {
            "plans": {
                "pii": {
                    "regions": {"@@append": ["eu-west-1"]},
                    "rules": {"daily": {"target_backup_vault_name": {"@@assign": "Default"}}},
                    "selections": {"tags": {"sel": {"iam_role_arn": {"@@assign": "arn:aws:iam::$account:role/Backup"}}}},
                }
            }
        },
        "BACKUP_POLICY",
    )
    orgs.attach_policy(PolicyId=complete, TargetId=ou)
    content = json.loads(
        orgs.describe_effective_policy(PolicyType="BACKUP_POLICY", TargetId=acct)["EffectivePolicy"]["PolicyContent"]
    )
    assert content["plans"]["pii"]["regions"] == ["us-east-1", "eu-west-1"]
    assert content["plans"]["pii"]["rules"] == {"daily": {"target_backup_vault_name": "Default"}}
    invalid = orgs.list_accounts_with_invalid_effective_policy(PolicyType="BACKUP_POLICY")
    assert [a["Id"] for a in invalid["Accounts"]] == ["000000000000"]
    ok = orgs.list_effective_policy_validation_errors(AccountId=acct, PolicyType="BACKUP_POLICY")
    assert ok["EffectivePolicyValidationErrors"] == []

    with pytest.raises(ClientError) as e:
        orgs.list_effective_policy_validation_errors(AccountId=acct, PolicyType=TAG_POLICY_TYPE)
    assert error(e)["Code"] == "EffectivePolicyNotFoundException"
    with pytest.raises(ClientError) as e:
        orgs.list_effective_policy_validation_errors(AccountId="111111111111", PolicyType="BACKUP_POLICY")
    assert error(e)["Code"] == "AccountNotFoundException"
    assert orgs.list_accounts_with_invalid_effective_policy(PolicyType=TAG_POLICY_TYPE)["Accounts"] == []


# --------------------------------------------------------------------------------------------
# aws CLI
# --------------------------------------------------------------------------------------------


def test_cli_policies(server, orgs):
    root = new_org(orgs)
    orgs.enable_policy_type(RootId=root, PolicyType=SCP)
    orgs.enable_policy_type(RootId=root, PolicyType=TAG_POLICY_TYPE)
    tag = policy(orgs, "tags", TAG_A, TAG_POLICY_TYPE)
    orgs.attach_policy(PolicyId=tag, TargetId=root)
    created = aws_cli(
        server, "organizations", "create-policy", "--name", "deny-s3", "--description", "d",
        "--type", SCP, "--content", DENY_S3,
    )["Policy"]
    assert created["Content"] == DENY_S3
    assert POLICY_ARN_RE.match(created["PolicySummary"]["Arn"])
    listed = aws_cli(server, "organizations", "list-policies", "--filter", SCP)["Policies"]
    assert sorted(p["Id"] for p in listed) == sorted(["p-FullAWSAccess", created["PolicySummary"]["Id"]])
    out = aws_cli(server, "organizations", "describe-effective-policy", "--policy-type", TAG_POLICY_TYPE)
    assert out["EffectivePolicy"]["TargetId"] == "000000000000"
    assert json.loads(out["EffectivePolicy"]["PolicyContent"]) == {
        "tags": {"costcenter": {"tag_key": "CostCenter", "tag_value": ["Development", "Support"]}}
    }
