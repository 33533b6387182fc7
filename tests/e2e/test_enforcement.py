"""Enforcement: every signed call is authorized by the policy engine. Service control policies bound
member accounts (root user included), never the management account, and a denial names the policy
and statement that decided it."""
import json

import botocore.exceptions
import pytest

from conftest import LocalorgServer, signup


def scp(*statements):
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


def denied(excinfo):
    err = excinfo.value.response["Error"]
    assert excinfo.value.response["ResponseMetadata"]["HTTPStatusCode"] in (400, 403)
    return err


@pytest.fixture
def org_with_member(server):
    """The default account manages an organization with SCPs enabled; a signed-up account joins it
    by invitation and is moved into the OU `Workloads`."""
    mgmt = server.client("organizations")
    mgmt.create_organization(FeatureSet="ALL")
    root = mgmt.list_roots()["Roots"][0]["Id"]
    mgmt.enable_policy_type(RootId=root, PolicyType="SERVICE_CONTROL_POLICY")
    ou = mgmt.create_organizational_unit(ParentId=root, Name="Workloads")["OrganizationalUnit"]["Id"]
    member_id, member_key = signup(server, "member@example.com", "Member")
    hs = mgmt.invite_account_to_organization(Target={"Type": "ACCOUNT", "Id": member_id})["Handshake"]
    server.client("organizations", key=member_key).accept_handshake(HandshakeId=hs["Id"])
    mgmt.move_account(AccountId=member_id, SourceParentId=root, DestinationParentId=ou)
    return {"mgmt": mgmt, "root": root, "ou": ou, "member_id": member_id, "member_key": member_key}


def attach_scp(mgmt, target, name, content):
    policy = mgmt.create_policy(Name=name, Description=name, Type="SERVICE_CONTROL_POLICY", Content=content)
    policy_id = policy["Policy"]["PolicySummary"]["Id"]
    mgmt.attach_policy(PolicyId=policy_id, TargetId=target)
    return policy_id


def test_an_ou_scp_denies_the_member_root_but_not_the_management_account(server, org_with_member):
    o = org_with_member
    member = server.client("organizations", key=o["member_key"])
    assert member.describe_organization()["Organization"]["Id"]
    policy_id = attach_scp(o["mgmt"], o["ou"], "NoDescribe", scp(
        {"Sid": "DenyDescribeOrg", "Effect": "Deny", "Action": "organizations:DescribeOrganization", "Resource": "*"}))
    with pytest.raises(botocore.exceptions.ClientError) as e:
        member.describe_organization()
    err = denied(e)
    assert err["Code"] == "AccessDeniedException"
    assert f"arn:aws:iam::{o['member_id']}:root" in err["Message"]
    assert "with an explicit deny in a service control policy" in err["Message"]
    assert policy_id in err["Message"] and "DenyDescribeOrg" in err["Message"]
    # The management account is never bound by SCPs.
    assert o["mgmt"].describe_organization()["Organization"]["Id"]
    # GetCallerIdentity is never denied.
    attach_scp(o["mgmt"], o["ou"], "DenyAll", scp({"Effect": "Deny", "Action": "*", "Resource": "*"}))
    assert server.client("sts", key=o["member_key"]).get_caller_identity()["Account"] == o["member_id"]


def test_policy_changes_take_effect_on_the_next_request(server, org_with_member):
    o = org_with_member
    member = server.client("organizations", key=o["member_key"])
    policy_id = attach_scp(o["mgmt"], o["member_id"], "NoDescribe", scp(
        {"Effect": "Deny", "Action": "organizations:Describe*", "Resource": "*"}))
    with pytest.raises(botocore.exceptions.ClientError):
        member.describe_organization()
    o["mgmt"].detach_policy(PolicyId=policy_id, TargetId=o["member_id"])
    assert member.describe_organization()["Organization"]["Id"]
    # Moving the account out of the OU takes it out of the OU's policies too.
    attach_scp(o["mgmt"], o["ou"], "OuDeny", scp({"Effect": "Deny", "Action": "organizations:*", "Resource": "*"}))
    with pytest.raises(botocore.exceptions.ClientError):
        member.describe_organization()
    o["mgmt"].move_account(AccountId=o["member_id"], SourceParentId=o["ou"], DestinationParentId=o["root"])
    assert member.describe_organization()["Organization"]["Id"]


def test_an_allow_list_scp_without_full_access_denies_implicitly(server, org_with_member):
    o = org_with_member
    mgmt, member = o["mgmt"], server.client("organizations", key=o["member_key"])
    attach_scp(mgmt, o["ou"], "OnlySts", scp({"Sid": "AllowSts", "Effect": "Allow", "Action": "sts:*", "Resource": "*"}))
    mgmt.detach_policy(PolicyId="p-FullAWSAccess", TargetId=o["ou"])
    with pytest.raises(botocore.exceptions.ClientError) as e:
        member.describe_organization()
    err = denied(e)
    assert err["Code"] == "AccessDeniedException"
    assert "because no service control policy allows the organizations:DescribeOrganization action" in err["Message"]


def test_a_region_lock_scp_uses_the_signing_region(server, org_with_member):
    o = org_with_member
    attach_scp(o["mgmt"], o["root"], "RegionLock", scp({
        "Sid": "OnlyEuWest1", "Effect": "Deny", "NotAction": ["sts:*"], "Resource": "*",
        "Condition": {"StringNotEquals": {"aws:RequestedRegion": ["eu-west-1"]}}}))
    in_us = server.client("organizations", key=o["member_key"], region="us-east-1")
    in_eu = server.client("organizations", key=o["member_key"], region="eu-west-1")
    with pytest.raises(botocore.exceptions.ClientError) as e:
        in_us.describe_organization()
    assert "OnlyEuWest1" in denied(e)["Message"]
    assert in_eu.describe_organization()["Organization"]["Id"]


def test_a_standalone_account_root_is_not_bound(server):
    _, key = signup(server, "solo@example.com", "Solo")
    assert server.client("organizations", key=key).create_organization()["Organization"]["Id"]


def test_permissive_mode_skips_authorization(tmp_path):
    srv = LocalorgServer("--auth", "permissive")
    try:
        mgmt = srv.client("organizations")
        mgmt.create_organization(FeatureSet="ALL")
        root = mgmt.list_roots()["Roots"][0]["Id"]
        mgmt.enable_policy_type(RootId=root, PolicyType="SERVICE_CONTROL_POLICY")
        member_id, key = signup(srv, "p@example.com", "P")
        hs = mgmt.invite_account_to_organization(Target={"Type": "ACCOUNT", "Id": member_id})["Handshake"]
        srv.client("organizations", key=key).accept_handshake(HandshakeId=hs["Id"])
        attach_scp(mgmt, member_id, "DenyAll", scp({"Effect": "Deny", "Action": "*", "Resource": "*"}))
        assert srv.client("organizations", key=key).describe_organization()["Organization"]["Id"]
    finally:
        srv.stop()


def test_scp_resources_are_matched_against_the_resource_arn(server, org_with_member):
    o = org_with_member
    member = server.client("organizations", key=o["member_key"])
    invite = member.list_handshakes_for_account()["Handshakes"][0]
    assert invite["Arn"].startswith("arn:aws:organizations::000000000000:handshake/o-")
    # A deny on other handshake kinds does not touch the invitation...
    attach_scp(o["mgmt"], o["ou"], "NoFeatureHandshakes", scp({
        "Effect": "Deny", "Action": "organizations:DescribeHandshake",
        "Resource": "arn:aws:organizations::*:handshake/*/enable_all_features/*"}))
    assert member.describe_handshake(HandshakeId=invite["Id"])["Handshake"]["Id"] == invite["Id"]
    # ...a deny naming invitations does.
    attach_scp(o["mgmt"], o["ou"], "NoInviteHandshakes", scp({
        "Sid": "NoInvites", "Effect": "Deny", "Action": "organizations:DescribeHandshake",
        "Resource": "arn:aws:organizations::*:handshake/*/invite/*"}))
    with pytest.raises(botocore.exceptions.ClientError) as e:
        member.describe_handshake(HandshakeId=invite["Id"])
    assert "NoInvites" in denied(e)["Message"]
    assert invite["Arn"] in denied(e)["Message"]


def test_aws_managed_policies_larger_than_the_customer_quota_are_enforced(server):
    """ReadOnlyAccess is far larger than the 6,144 characters a customer managed policy may have;
    it still decides requests (it was validated by AWS, not by the caller)."""
    iam = server.client("iam")
    iam.create_user(UserName="auditor")
    iam.attach_user_policy(UserName="auditor", PolicyArn="arn:aws:iam::aws:policy/ReadOnlyAccess")
    key = iam.create_access_key(UserName="auditor")["AccessKey"]
    auditor = server.client("iam", key=(key["AccessKeyId"], key["SecretAccessKey"]))
    assert [u["UserName"] for u in auditor.list_users()["Users"]] == ["auditor"]
    with pytest.raises(botocore.exceptions.ClientError) as e:
        auditor.create_user(UserName="nope")
    assert e.value.response["Error"]["Code"] == "AccessDenied"
