"""IAM Identity Center as localorg plays it where AWS leaves the choice open or offers it only in its
console: the organization instance, the delegated administrator, UserName case folding, memberships
that go with a deleted user or group, and authorization of every call by the policy engine."""
import json

import botocore.exceptions
import pytest

from conftest import signup

MGMT = "000000000000"


def error(excinfo):
    return excinfo.value.response["Error"]["Code"]


def new_user(ids, store, name):
    return ids.create_user(
        IdentityStoreId=store,
        UserName=name,
        DisplayName=name.title(),
        Name={"GivenName": name.title(), "FamilyName": "Doe"},
    )["UserId"]


@pytest.fixture
def org_instance(server):
    """The default account manages an organization with all features and a member account that
    joined by invitation; the management account creates Identity Center."""
    orgs = server.client("organizations")
    org = orgs.create_organization(FeatureSet="ALL")["Organization"]
    member_id, member_key = signup(server, "ic-member@example.com", "IC member")
    hs = orgs.invite_account_to_organization(Target={"Type": "ACCOUNT", "Id": member_id})
    server.client("organizations", key=member_key).accept_handshake(HandshakeId=hs["Handshake"]["Id"])
    sso = server.client("sso-admin")
    arn = sso.create_instance(Name="org")["InstanceArn"]
    instance = sso.describe_instance(InstanceArn=arn)
    return {"orgs": orgs, "org": org, "arn": arn, "instance": instance,
            "member_id": member_id, "member_key": member_key}


def test_the_management_account_creates_the_organization_instance(server, org_instance):
    inst = org_instance["instance"]
    assert inst["OwnerAccountId"] == MGMT
    assert inst["Status"] == "ACTIVE"
    assert inst["IdentityStoreArn"] == f"arn:aws:identitystore::{MGMT}:identitystore/{inst['IdentityStoreId']}"


def test_members_do_not_see_the_organization_instance_until_delegated(server, org_instance):
    member_sso = server.client("sso-admin", key=org_instance["member_key"])
    member_ids = server.client("identitystore", key=org_instance["member_key"])
    store = org_instance["instance"]["IdentityStoreId"]
    assert member_sso.list_instances()["Instances"] == []
    with pytest.raises(botocore.exceptions.ClientError) as e:
        member_ids.list_users(IdentityStoreId=store)
    assert error(e) == "ResourceNotFoundException"

    # localorg does not turn on trusted access when the instance is created (AWS's console does).
    org_instance["orgs"].enable_aws_service_access(ServicePrincipal="sso.amazonaws.com")
    org_instance["orgs"].register_delegated_administrator(
        AccountId=org_instance["member_id"], ServicePrincipal="sso.amazonaws.com")
    listed = member_sso.list_instances()["Instances"]
    assert [i["InstanceArn"] for i in listed] == [org_instance["arn"]]
    assert [s["IdentityStoreId"] for s in member_ids.list_identity_stores()["IdentityStores"]] == [store]
    user_id = new_user(member_ids, store, "dana")
    mgmt_ids = server.client("identitystore")
    assert mgmt_ids.describe_user(IdentityStoreId=store, UserId=user_id)["UserName"] == "dana"
    # The delegated administrator may not delete the organization's instance.
    with pytest.raises(botocore.exceptions.ClientError) as e:
        member_sso.delete_instance(InstanceArn=org_instance["arn"])
    assert error(e) == "AccessDeniedException"


def test_a_member_may_create_its_own_account_instance(server, org_instance):
    member_sso = server.client("sso-admin", key=org_instance["member_key"])
    arn = member_sso.create_instance(Name="team")["InstanceArn"]
    assert arn != org_instance["arn"]
    assert member_sso.describe_instance(InstanceArn=arn)["OwnerAccountId"] == org_instance["member_id"]


def test_user_names_are_unique_without_regard_to_case(server):
    sso, ids = server.client("sso-admin"), server.client("identitystore")
    store = sso.describe_instance(InstanceArn=sso.create_instance()["InstanceArn"])["IdentityStoreId"]
    new_user(ids, store, "erin")
    with pytest.raises(botocore.exceptions.ClientError) as e:
        new_user(ids, store, "ERIN")
    assert error(e) == "ConflictException"
    assert e.value.response["Reason"] == "UNIQUENESS_CONSTRAINT_VIOLATION"
    found = ids.get_user_id(IdentityStoreId=store, AlternateIdentifier={
        "UniqueAttribute": {"AttributePath": "userName", "AttributeValue": "Erin"}})
    assert found["UserId"]


def test_deleting_a_user_or_group_deletes_its_memberships(server):
    sso, ids = server.client("sso-admin"), server.client("identitystore")
    store = sso.describe_instance(InstanceArn=sso.create_instance()["InstanceArn"])["IdentityStoreId"]
    user = new_user(ids, store, "fay")
    other = new_user(ids, store, "gus")
    group = ids.create_group(IdentityStoreId=store, DisplayName="ops")["GroupId"]
    second = ids.create_group(IdentityStoreId=store, DisplayName="dev")["GroupId"]
    m1 = ids.create_group_membership(IdentityStoreId=store, GroupId=group, MemberId={"UserId": user})
    ids.create_group_membership(IdentityStoreId=store, GroupId=second, MemberId={"UserId": other})
    ids.delete_user(IdentityStoreId=store, UserId=user)
    with pytest.raises(botocore.exceptions.ClientError) as e:
        ids.describe_group_membership(IdentityStoreId=store, MembershipId=m1["MembershipId"])
    assert error(e) == "ResourceNotFoundException"
    assert ids.list_group_memberships(IdentityStoreId=store, GroupId=group)["GroupMemberships"] == []
    ids.delete_group(IdentityStoreId=store, GroupId=second)
    memberships = ids.list_group_memberships_for_member(IdentityStoreId=store, MemberId={"UserId": other})
    assert memberships["GroupMemberships"] == []


def test_identity_center_calls_are_authorized_by_the_policy_engine(server):
    """An IAM user needs identitystore:* permissions; the denial names the action and resource."""
    sso, ids, iam = server.client("sso-admin"), server.client("identitystore"), server.client("iam")
    store = sso.describe_instance(InstanceArn=sso.create_instance()["InstanceArn"])["IdentityStoreId"]
    iam.create_user(UserName="helpdesk")
    key = iam.create_access_key(UserName="helpdesk")["AccessKey"]
    helpdesk = server.client("identitystore", key=(key["AccessKeyId"], key["SecretAccessKey"]))
    with pytest.raises(botocore.exceptions.ClientError) as e:
        helpdesk.list_users(IdentityStoreId=store)
    assert error(e) == "AccessDeniedException"
    message = e.value.response["Error"]["Message"]
    assert "identitystore:ListUsers" in message
    assert f"arn:aws:identitystore::{MGMT}:identitystore/{store}" in message
    iam.put_user_policy(UserName="helpdesk", PolicyName="read", PolicyDocument=json.dumps({
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": ["identitystore:List*", "identitystore:Describe*"],
                       "Resource": "*"}]}))
    assert helpdesk.list_users(IdentityStoreId=store)["Users"] == []
    with pytest.raises(botocore.exceptions.ClientError) as e:
        new_user(helpdesk, store, "mallory")
    assert error(e) == "AccessDeniedException"
    assert "identitystore:CreateUser" in e.value.response["Error"]["Message"]


def test_an_scp_binds_identity_center_calls_of_member_accounts(server, org_instance):
    orgs = org_instance["orgs"]
    root = orgs.list_roots()["Roots"][0]["Id"]
    orgs.enable_policy_type(RootId=root, PolicyType="SERVICE_CONTROL_POLICY")
    policy = orgs.create_policy(Name="NoIdentityCenter", Description="", Type="SERVICE_CONTROL_POLICY",
                                Content=json.dumps({"Version": "2012-10-17", "Statement": [
                                    {"Sid": "NoSso", "Effect": "Deny", "Action": "sso:*", "Resource": "*"}]}))
    orgs.attach_policy(PolicyId=policy["Policy"]["PolicySummary"]["Id"], TargetId=org_instance["member_id"])
    member_sso = server.client("sso-admin", key=org_instance["member_key"])
    with pytest.raises(botocore.exceptions.ClientError) as e:
        member_sso.create_instance(Name="shadow")
    assert error(e) == "AccessDeniedException"
    assert "NoSso" in e.value.response["Error"]["Message"]
    # The management account is not bound.
    assert server.client("sso-admin").list_instances()["Instances"]


def test_an_instance_is_replicated_to_added_regions(server):
    sso = server.client("sso-admin")
    arn = sso.create_instance()["InstanceArn"]
    assert sso.add_region(InstanceArn=arn, RegionName="eu-west-1")["Status"] == "ACTIVE"
    regions = sso.list_regions(InstanceArn=arn)["Regions"]
    assert [(r["RegionName"], r["IsPrimaryRegion"], r["Status"]) for r in regions] == [
        ("us-east-1", True, "ACTIVE"), ("eu-west-1", False, "ACTIVE")]
    assert [r["RegionName"] for r in sso.describe_instance(InstanceArn=arn)["Regions"]] == ["us-east-1", "eu-west-1"]
    assert sso.describe_region(InstanceArn=arn, RegionName="eu-west-1")["IsPrimaryRegion"] is False
    with pytest.raises(botocore.exceptions.ClientError) as e:
        sso.add_region(InstanceArn=arn, RegionName="eu-west-1")
    assert error(e) == "ConflictException"
    with pytest.raises(botocore.exceptions.ClientError) as e:
        sso.remove_region(InstanceArn=arn, RegionName="us-east-1")
    assert error(e) == "ConflictException"
    assert sso.remove_region(InstanceArn=arn, RegionName="eu-west-1")["Status"] == "ACTIVE"
    with pytest.raises(botocore.exceptions.ClientError) as e:
        sso.describe_region(InstanceArn=arn, RegionName="eu-west-1")
    assert error(e) == "ResourceNotFoundException"
