"""IAM Identity Center: sso-admin instance operations (CreateInstance, ListInstances,
DescribeInstance, UpdateInstance, DeleteInstance) and the identitystore API of an instance's
identity store: users (CreateUser, DescribeUser, UpdateUser, DeleteUser, ListUsers, GetUserId),
groups (CreateGroup, DescribeGroup, UpdateGroup, DeleteGroup, ListGroups, GetGroupId), memberships
(CreateGroupMembership, DescribeGroupMembership, DeleteGroupMembership, GetGroupMembershipId,
ListGroupMemberships, ListGroupMembershipsForMember, IsMemberInGroups) and the store itself
(DescribeIdentityStore, ListIdentityStores, UpdateIdentityStore).

Written as an oracle of AWS behaviour, from the botocore 1.44.5 model, the Identity Store API
reference, and clients that run against real AWS (Terraform's acceptance tests, real error logs).
Every identitystore client error is HTTP 400 (the API reference lists 400 for AccessDenied,
Conflict, ResourceNotFound, Throttling and Validation; real responses logged by the Go SDK confirm
400 for AccessDenied, ResourceNotFound and Validation even where the Smithy model says 403/404).
What AWS leaves undocumented (UserName case folding, membership cascade on delete, ...) is not
asserted here.
"""
import re
from datetime import datetime

import pytest
from botocore.exceptions import ClientError

from conftest import signup

ACCOUNT = "000000000000"
INSTANCE_ARN_RE = re.compile(r"^arn:aws:sso:::instance/ssoins-[0-9a-f]{16}$")
STORE_ID_RE = re.compile(r"^d-[0-9a-f]{10}$")
UUID = r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
# "The format for ResourceId is either UUID or 1234567890-UUID" (ResourceNotFoundException docs).
RESOURCE_ID_RE = re.compile(rf"^([0-9a-f]{{10}}-)?{UUID}$")
REVISION_RE = re.compile(r"^[0-9]+$")
NOT_YOURS = ("ResourceNotFoundException", "AccessDeniedException")


# --------------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------------


def error_of(fn, **kwargs):
    """Calls fn, which must fail; returns the parsed error response."""
    with pytest.raises(ClientError) as e:
        fn(**kwargs)
    return e.value.response


def code_status(resp):
    return resp["Error"]["Code"], resp["ResponseMetadata"]["HTTPStatusCode"]


def assert_error(resp, codes, status=400):
    codes = (codes,) if isinstance(codes, str) else tuple(codes)
    code, got_status = code_status(resp)
    assert code in codes, resp
    assert got_status == status, resp


def assert_not_found(resp, resource_type, resource_id=None, strict=True):
    """ResourceNotFoundException, 400, naming the resource type (and, when sent, the id)."""
    assert_error(resp, "ResourceNotFoundException")
    if strict or "ResourceType" in resp:
        assert resp.get("ResourceType") == resource_type, resp
    if resource_id is not None and "ResourceId" in resp:
        assert resp["ResourceId"] == resource_id, resp


def new_instance(server, key=None, name="main"):
    """CreateInstance as the given account (default account when key is None); returns the
    sso-admin client and the DescribeInstance output."""
    sso = server.client("sso-admin", **({"key": key} if key else {}))
    arn = sso.create_instance(Name=name)["InstanceArn"]
    return sso, sso.describe_instance(InstanceArn=arn)


def new_store(server, key=None):
    """An instance in the account; returns (identitystore client, IdentityStoreId)."""
    _, inst = new_instance(server, key)
    kw = {"key": key} if key else {}
    return server.client("identitystore", **kw), inst["IdentityStoreId"]


def create_user(ids, store, user_name, **kw):
    params = dict(
        IdentityStoreId=store,
        UserName=user_name,
        DisplayName=kw.pop("DisplayName", f"{user_name} display"),
        Name=kw.pop("Name", {"GivenName": user_name.capitalize(), "FamilyName": "Doe"}),
    )
    params.update(kw)
    return ids.create_user(**params)["UserId"]


def create_group(ids, store, name, **kw):
    return ids.create_group(IdentityStoreId=store, DisplayName=name, **kw)["GroupId"]


def add_member(ids, store, group_id, user_id):
    return ids.create_group_membership(
        IdentityStoreId=store, GroupId=group_id, MemberId={"UserId": user_id}
    )["MembershipId"]


def walk(method, result_key, id_key, page_size, **kwargs):
    """Walks every page of a list call; checks page sizes; returns the ids in order."""
    ids, token, pages = [], None, 0
    while True:
        args = dict(kwargs, MaxResults=page_size)
        if token:
            args["NextToken"] = token
        resp = method(**args)
        assert len(resp[result_key]) <= page_size
        ids += [item[id_key] for item in resp[result_key]]
        pages += 1
        assert pages < 100, "pagination does not terminate"
        token = resp.get("NextToken")
        if not token:
            return ids


def user_names(ids, store):
    return sorted(u["UserName"] for u in ids.list_users(IdentityStoreId=store)["Users"])


def group_names(ids, store):
    return sorted(g["DisplayName"] for g in ids.list_groups(IdentityStoreId=store)["Groups"])


def unique(path, value):
    return {"UniqueAttribute": {"AttributePath": path, "AttributeValue": value}}


def lookup_user(ids, store, path, value):
    """GetUserId by a unique attribute."""
    return ids.get_user_id(IdentityStoreId=store, AlternateIdentifier=unique(path, value))


def lookup_group(ids, store, path, value):
    """GetGroupId by a unique attribute."""
    return ids.get_group_id(IdentityStoreId=store, AlternateIdentifier=unique(path, value))


def memberships_of_group(ids, store, group_id):
    return ids.list_group_memberships(IdentityStoreId=store, GroupId=group_id)["GroupMemberships"]


def create_member_account(server, orgs, email):
    status = orgs.create_account(Email=email, AccountName="member")["CreateAccountStatus"]
    account_id = orgs.describe_create_account_status(CreateAccountRequestId=status["Id"])[
        "CreateAccountStatus"
    ]["AccountId"]
    out = server.admin("/_localorg/complete-signup", {"AccountId": account_id})
    return account_id, (out["AccessKeyId"], out["SecretAccessKey"])


MISSING_ID = "a1b2c3d4-5678-90ab-cdef-000000000000"  # well formed, never issued
UNKNOWN_INSTANCE = "arn:aws:sso:::instance/ssoins-0123456789abcdef"


@pytest.fixture
def store(server):
    """An identity store in the default standalone account: (client, IdentityStoreId)."""
    return new_store(server)


# --------------------------------------------------------------------------------------------
# sso-admin instances
# --------------------------------------------------------------------------------------------


def test_create_instance_in_standalone_account(server):
    sso = server.client("sso-admin")
    arn = sso.create_instance(Name="main", Tags=[{"Key": "team", "Value": "platform"}])[
        "InstanceArn"
    ]
    assert INSTANCE_ARN_RE.match(arn)
    instances = sso.list_instances()["Instances"]
    assert len(instances) == 1
    inst = instances[0]
    assert inst["InstanceArn"] == arn
    assert STORE_ID_RE.match(inst["IdentityStoreId"])
    assert inst["OwnerAccountId"] == ACCOUNT
    assert inst["Name"] == "main"
    assert inst["Status"] == "ACTIVE"
    assert isinstance(inst["CreatedDate"], datetime)


def test_describe_instance_matches_list(server):
    sso, described = new_instance(server, name="described")
    listed = sso.list_instances()["Instances"][0]
    for field in ("InstanceArn", "IdentityStoreId", "OwnerAccountId", "Name", "Status"):
        assert described[field] == listed[field]
    assert described["Status"] == "ACTIVE"
    assert isinstance(described["CreatedDate"], datetime)
    if "IdentityStoreArn" in described:
        assert described["IdentityStoreArn"] == (
            f"arn:aws:identitystore::{ACCOUNT}:identitystore/{described['IdentityStoreId']}"
        )


def test_second_instance_in_same_account_conflicts(server):
    sso, first = new_instance(server)
    resp = error_of(sso.create_instance, Name="second")
    assert_error(resp, "ConflictException")
    assert [i["InstanceArn"] for i in sso.list_instances()["Instances"]] == [first["InstanceArn"]]


def test_one_instance_per_account_across_regions(server):
    new_instance(server)
    other_region = server.client("sso-admin", region="eu-west-1")
    assert_error(error_of(other_region.create_instance, Name="elsewhere"), "ConflictException")


def test_describe_unknown_instance_is_not_found(server):
    sso = server.client("sso-admin")
    resp = error_of(sso.describe_instance, InstanceArn=UNKNOWN_INSTANCE)
    assert_error(resp, "ResourceNotFoundException")


def test_instances_are_private_to_their_account(server):
    sso, inst = new_instance(server)
    _, key = signup(server, "other@example.com", "other")
    other = server.client("sso-admin", key=key)
    assert other.list_instances()["Instances"] == []
    assert_error(
        error_of(other.describe_instance, InstanceArn=inst["InstanceArn"]),
        "ResourceNotFoundException",
    )
    # Another account cannot rename or delete it either.
    resp = error_of(other.update_instance, InstanceArn=inst["InstanceArn"], Name="x")
    assert_error(resp, NOT_YOURS)
    assert_error(error_of(other.delete_instance, InstanceArn=inst["InstanceArn"]), NOT_YOURS)
    assert sso.describe_instance(InstanceArn=inst["InstanceArn"])["Name"] == "main"
    # And it can have its own instance, with its own identity store.
    _, mine = new_instance(server, key=key, name="theirs")
    assert mine["InstanceArn"] != inst["InstanceArn"]
    assert mine["IdentityStoreId"] != inst["IdentityStoreId"]
    assert [i["InstanceArn"] for i in other.list_instances()["Instances"]] == [mine["InstanceArn"]]
    assert [i["InstanceArn"] for i in sso.list_instances()["Instances"]] == [inst["InstanceArn"]]


def test_update_instance_name(server):
    sso, inst = new_instance(server, name="before")
    sso.update_instance(InstanceArn=inst["InstanceArn"], Name="after")
    assert sso.describe_instance(InstanceArn=inst["InstanceArn"])["Name"] == "after"
    assert sso.list_instances()["Instances"][0]["Name"] == "after"
    # Nothing else changes.
    again = sso.describe_instance(InstanceArn=inst["InstanceArn"])
    assert again["IdentityStoreId"] == inst["IdentityStoreId"]
    assert again["OwnerAccountId"] == ACCOUNT


def test_update_unknown_instance_fails(server):
    sso = server.client("sso-admin")
    resp = error_of(sso.update_instance, InstanceArn=UNKNOWN_INSTANCE, Name="x")
    assert_error(resp, NOT_YOURS)


def test_delete_instance(server):
    sso, inst = new_instance(server)
    sso.delete_instance(InstanceArn=inst["InstanceArn"])
    assert_error(
        error_of(sso.describe_instance, InstanceArn=inst["InstanceArn"]),
        "ResourceNotFoundException",
    )
    assert sso.list_instances()["Instances"] == []
    # The account may create a new one afterwards; it starts with an empty identity store.
    _, fresh = new_instance(server, name="fresh")
    assert fresh["InstanceArn"] != inst["InstanceArn"]
    ids = server.client("identitystore")
    assert ids.list_users(IdentityStoreId=fresh["IdentityStoreId"])["Users"] == []


def test_deleting_instance_removes_its_identity_store(server):
    sso, inst = new_instance(server)
    ids = server.client("identitystore")
    store = inst["IdentityStoreId"]
    create_user(ids, store, "alice")
    sso.delete_instance(InstanceArn=inst["InstanceArn"])
    resp = error_of(ids.list_users, IdentityStoreId=store)
    assert_error(resp, NOT_YOURS)
    assert "Users" not in resp


def test_management_account_creates_organization_instance(server, orgs):
    orgs.create_organization(FeatureSet="ALL")
    sso = server.client("sso-admin")
    arn = sso.create_instance(Name="org")["InstanceArn"]
    assert INSTANCE_ARN_RE.match(arn)
    inst = sso.describe_instance(InstanceArn=arn)
    assert inst["OwnerAccountId"] == ACCOUNT
    assert inst["Status"] == "ACTIVE"
    assert arn in [i["InstanceArn"] for i in sso.list_instances()["Instances"]]
    assert_error(error_of(sso.create_instance, Name="again"), "ConflictException")


def test_member_account_creates_its_own_account_instance(server, orgs):
    orgs.create_organization(FeatureSet="ALL")
    _, org_inst = new_instance(server, name="org")
    member_id, key = create_member_account(server, orgs, "member@example.com")
    msso, minst = new_instance(server, key=key, name="member")
    assert INSTANCE_ARN_RE.match(minst["InstanceArn"])
    assert minst["InstanceArn"] != org_inst["InstanceArn"]
    assert minst["OwnerAccountId"] == member_id
    assert minst["IdentityStoreId"] != org_inst["IdentityStoreId"]
    assert minst["InstanceArn"] in [i["InstanceArn"] for i in msso.list_instances()["Instances"]]
    assert_error(error_of(msso.create_instance, Name="again"), "ConflictException")


# --------------------------------------------------------------------------------------------
# Identity store: DescribeIdentityStore, ListIdentityStores, UpdateIdentityStore
# --------------------------------------------------------------------------------------------


def test_describe_identity_store(store):
    ids, store_id = store
    resp = ids.describe_identity_store(IdentityStoreId=store_id)
    assert resp["IdentityStoreId"] == store_id
    assert resp["IdentityStoreArn"] == f"arn:aws:identitystore::{ACCOUNT}:identitystore/{store_id}"


def test_list_identity_stores_shows_only_own_store(server, store):
    ids, store_id = store
    stores = ids.list_identity_stores()["IdentityStores"]
    assert stores == [
        {
            "IdentityStoreId": store_id,
            "IdentityStoreArn": f"arn:aws:identitystore::{ACCOUNT}:identitystore/{store_id}",
        }
    ]
    _, key = signup(server, "other@example.com", "other")
    other = server.client("identitystore", key=key)
    assert other.list_identity_stores()["IdentityStores"] == []


def test_update_identity_store_replaces_network_configuration(store):
    ids, store_id = store
    out = ids.update_identity_store(
        IdentityStoreId=store_id,
        NetworkConfiguration={
            "VpceAccessRequired": False,
            "ScimAllowSourceIps": ["203.0.113.0/24"],
        },
    )
    assert out["IdentityStoreId"] == store_id
    assert out["IdentityStoreArn"] == f"arn:aws:identitystore::{ACCOUNT}:identitystore/{store_id}"
    net = ids.describe_identity_store(IdentityStoreId=store_id)["NetworkConfiguration"]
    assert net["VpceAccessRequired"] is False
    assert net["ScimAllowSourceIps"] == ["203.0.113.0/24"]
    # A NetworkConfiguration is a full replacement: omitted lists are cleared.
    ids.update_identity_store(
        IdentityStoreId=store_id, NetworkConfiguration={"VpceAccessRequired": False}
    )
    net = ids.describe_identity_store(IdentityStoreId=store_id)["NetworkConfiguration"]
    assert net["VpceAccessRequired"] is False
    assert "ScimAllowSourceIps" not in net
    # The store still answers (no restriction was configured).
    assert ids.list_users(IdentityStoreId=store_id)["Users"] == []


def test_update_identity_store_rejects_bad_cidr(store):
    ids, store_id = store
    resp = error_of(
        ids.update_identity_store,
        IdentityStoreId=store_id,
        NetworkConfiguration={"VpceAccessRequired": False, "ApiAllowSourceIps": ["not-a-cidr"]},
    )
    assert_error(resp, "ValidationException")


def test_unknown_identity_store_is_refused(server):
    ids = server.client("identitystore")
    for call, kwargs in (
        (ids.describe_identity_store, {}),
        (ids.list_users, {}),
        (ids.list_groups, {}),
    ):
        resp = error_of(call, IdentityStoreId="d-0123456789", **kwargs)
        assert_error(resp, NOT_YOURS)


# --------------------------------------------------------------------------------------------
# Users
# --------------------------------------------------------------------------------------------


def test_create_user_returns_ids(store):
    ids, store_id = store
    out = ids.create_user(
        IdentityStoreId=store_id,
        UserName="alice",
        DisplayName="Alice Doe",
        Name={"GivenName": "Alice", "FamilyName": "Doe"},
    )
    assert out["IdentityStoreId"] == store_id
    assert RESOURCE_ID_RE.match(out["UserId"])
    assert out["UserArn"] == f"arn:aws:identitystore:::user/{out['UserId']}"
    assert REVISION_RE.match(out["Revision"])


def test_describe_user_returns_attributes(store):
    ids, store_id = store
    user_id = create_user(
        ids,
        store_id,
        "Bob.Smith",
        DisplayName="Bob Smith",
        Name={
            "GivenName": "Bob",
            "FamilyName": "Smith",
            "MiddleName": "J",
            "Formatted": "Bob J Smith",
            "HonorificPrefix": "Dr",
            "HonorificSuffix": "PhD",
        },
        NickName="bobby",
        ProfileUrl="https://example.com/bob",
        Emails=[{"Value": "bob@example.com", "Type": "work", "Primary": True}],
        Addresses=[{"StreetAddress": "1 Main St", "Locality": "Springfield", "Region": "IL",
                    "PostalCode": "62701", "Country": "US", "Type": "work", "Primary": True}],
        PhoneNumbers=[{"Value": "+15555550100", "Type": "work", "Primary": True}],
        UserType="Employee",
        Title="Engineer",
        PreferredLanguage="en-US",
        Locale="en_US",
        Timezone="America/Chicago",
    )
    u = ids.describe_user(IdentityStoreId=store_id, UserId=user_id)
    assert u["IdentityStoreId"] == store_id
    assert u["UserId"] == user_id
    assert u["UserName"] == "Bob.Smith"  # stored as given
    assert u["DisplayName"] == "Bob Smith"
    assert u["Name"] == {
        "GivenName": "Bob",
        "FamilyName": "Smith",
        "MiddleName": "J",
        "Formatted": "Bob J Smith",
        "HonorificPrefix": "Dr",
        "HonorificSuffix": "PhD",
    }
    assert u["NickName"] == "bobby"
    assert u["ProfileUrl"] == "https://example.com/bob"
    assert u["Emails"] == [{"Value": "bob@example.com", "Type": "work", "Primary": True}]
    assert u["Addresses"] == [{"StreetAddress": "1 Main St", "Locality": "Springfield",
                               "Region": "IL", "PostalCode": "62701", "Country": "US",
                               "Type": "work", "Primary": True}]
    assert u["PhoneNumbers"] == [{"Value": "+15555550100", "Type": "work", "Primary": True}]
    assert u["UserType"] == "Employee"
    assert u["Title"] == "Engineer"
    assert u["PreferredLanguage"] == "en-US"
    assert u["Locale"] == "en_US"
    assert u["Timezone"] == "America/Chicago"
    if "UserStatus" in u:
        assert u["UserStatus"] in ("ENABLED", "DISABLED")
    if "UserArn" in u:
        assert u["UserArn"] == f"arn:aws:identitystore:::user/{user_id}"


def test_duplicate_user_name_conflicts(store):
    ids, store_id = store
    create_user(ids, store_id, "alice")
    resp = error_of(
        ids.create_user,
        IdentityStoreId=store_id,
        UserName="alice",
        DisplayName="Another Alice",
        Name={"GivenName": "Alice", "FamilyName": "Other"},
    )
    assert_error(resp, "ConflictException")
    assert resp["Reason"] == "UNIQUENESS_CONSTRAINT_VIOLATION"
    assert user_names(ids, store_id) == ["alice"]


@pytest.mark.parametrize(
    "missing",
    ["UserName", "DisplayName", "Name"],
)
def test_create_user_without_required_attribute_is_invalid(store, missing):
    # UserName identifies the user; DisplayName and Name are "required when used in IAM Identity
    # Center" (CreateUser API reference).
    ids, store_id = store
    params = dict(
        IdentityStoreId=store_id,
        UserName="carol",
        DisplayName="Carol Doe",
        Name={"GivenName": "Carol", "FamilyName": "Doe"},
    )
    del params[missing]
    assert_error(error_of(ids.create_user, **params), "ValidationException")
    assert ids.list_users(IdentityStoreId=store_id)["Users"] == []


@pytest.mark.parametrize("reserved", ["Administrator", "AWSAdministrators"])
def test_reserved_user_names_are_refused(store, reserved):
    ids, store_id = store
    resp = error_of(
        ids.create_user,
        IdentityStoreId=store_id,
        UserName=reserved,
        DisplayName="Admin",
        Name={"GivenName": "Ad", "FamilyName": "Min"},
    )
    assert code_status(resp)[1] == 400
    assert ids.list_users(IdentityStoreId=store_id)["Users"] == []


def test_same_user_name_in_two_identity_stores(server, store):
    ids, store_id = store
    first = create_user(ids, store_id, "alice")
    _, key = signup(server, "other@example.com", "other")
    other_ids, other_store = new_store(server, key=key)
    second = create_user(other_ids, other_store, "alice")
    assert first != second
    assert user_names(ids, store_id) == ["alice"]
    assert user_names(other_ids, other_store) == ["alice"]


def test_describe_missing_user_is_not_found(store):
    ids, store_id = store
    resp = error_of(ids.describe_user, IdentityStoreId=store_id, UserId=MISSING_ID)
    assert_not_found(resp, "USER", MISSING_ID)
    assert "UserName" not in resp


def test_malformed_user_id_is_invalid(store):
    ids, store_id = store
    resp = error_of(ids.describe_user, IdentityStoreId=store_id, UserId="not-a-user-id")
    assert_error(resp, "ValidationException")


def test_user_and_store_addressed_by_arn(store):
    # "You can specify the identity store by ID or by ARN", likewise the user.
    ids, store_id = store
    out = ids.create_user(
        IdentityStoreId=store_id,
        UserName="arnie",
        DisplayName="Arnie",
        Name={"GivenName": "Arnie", "FamilyName": "Doe"},
    )
    store_arn = f"arn:aws:identitystore::{ACCOUNT}:identitystore/{store_id}"
    u = ids.describe_user(IdentityStoreId=store_arn, UserId=out["UserArn"])
    assert u["UserName"] == "arnie"


def test_update_user_replaces_sub_attribute(store):
    ids, store_id = store
    user_id = create_user(
        ids, store_id, "dave",
        Name={"GivenName": "Dave", "FamilyName": "Jones"}, DisplayName="Dave J",
    )
    out = ids.update_user(
        IdentityStoreId=store_id,
        UserId=user_id,
        Operations=[
            {"AttributePath": "name.givenName", "AttributeValue": "David"},
            {"AttributePath": "displayName", "AttributeValue": "David Jones"},
        ],
    )
    assert out["UserId"] == user_id
    u = ids.describe_user(IdentityStoreId=store_id, UserId=user_id)
    assert u["Name"]["GivenName"] == "David"
    assert u["Name"]["FamilyName"] == "Jones"  # the sibling sub-attribute is kept
    assert u["DisplayName"] == "David Jones"
    assert u["UserName"] == "dave"


def test_update_user_null_value_removes_attribute(store):
    ids, store_id = store
    user_id = create_user(ids, store_id, "erin", NickName="ez", Title="Boss")
    ids.update_user(
        IdentityStoreId=store_id,
        UserId=user_id,
        Operations=[{"AttributePath": "nickName", "AttributeValue": None}],
    )
    u = ids.describe_user(IdentityStoreId=store_id, UserId=user_id)
    assert "NickName" not in u
    assert u["Title"] == "Boss"


def test_update_user_replaces_multi_valued_attribute_whole(store):
    ids, store_id = store
    user_id = create_user(
        ids, store_id, "fay", Emails=[{"Value": "fay@old.example", "Type": "work", "Primary": True}]
    )
    ids.update_user(
        IdentityStoreId=store_id,
        UserId=user_id,
        Operations=[{
            "AttributePath": "emails",
            "AttributeValue": [{"value": "fay@new.example", "type": "home", "primary": True}],
        }],
    )
    u = ids.describe_user(IdentityStoreId=store_id, UserId=user_id)
    assert u["Emails"] == [{"Value": "fay@new.example", "Type": "home", "Primary": True}]
    found = ids.get_user_id(
        IdentityStoreId=store_id, AlternateIdentifier=unique("emails.value", "fay@new.example")
    )
    assert found["UserId"] == user_id
    resp = error_of(
        ids.get_user_id,
        IdentityStoreId=store_id,
        AlternateIdentifier=unique("emails.value", "fay@old.example"),
    )
    assert_not_found(resp, "USER", strict=False)


def test_update_user_renames_with_user_name_path(store):
    ids, store_id = store
    user_id = create_user(ids, store_id, "gail")
    ids.update_user(
        IdentityStoreId=store_id,
        UserId=user_id,
        Operations=[{"AttributePath": "userName", "AttributeValue": "gail.new"}],
    )
    assert ids.describe_user(IdentityStoreId=store_id, UserId=user_id)["UserName"] == "gail.new"
    assert lookup_user(ids, store_id, "userName", "gail.new")["UserId"] == user_id
    # The old name is free again.
    create_user(ids, store_id, "gail")


def test_update_user_pascal_case_user_name_path_is_invalid(store):
    # "Updates for AttributePath: UserName is not supported" -- update paths are the camelCase
    # attribute names (userName, name.givenName, ...).
    ids, store_id = store
    user_id = create_user(ids, store_id, "hank")
    resp = error_of(
        ids.update_user,
        IdentityStoreId=store_id,
        UserId=user_id,
        Operations=[{"AttributePath": "UserName", "AttributeValue": "henry"}],
    )
    assert_error(resp, "ValidationException")
    assert ids.describe_user(IdentityStoreId=store_id, UserId=user_id)["UserName"] == "hank"


def test_update_user_to_taken_user_name_conflicts(store):
    ids, store_id = store
    create_user(ids, store_id, "ivy")
    jack = create_user(ids, store_id, "jack")
    resp = error_of(
        ids.update_user,
        IdentityStoreId=store_id,
        UserId=jack,
        Operations=[{"AttributePath": "userName", "AttributeValue": "ivy"}],
    )
    assert_error(resp, "ConflictException")
    assert ids.describe_user(IdentityStoreId=store_id, UserId=jack)["UserName"] == "jack"


def test_update_user_invalid_operations(store):
    ids, store_id = store
    user_id = create_user(ids, store_id, "kim", DisplayName="Kim")
    # Empty values are not accepted (null removes an attribute instead).
    resp = error_of(
        ids.update_user,
        IdentityStoreId=store_id,
        UserId=user_id,
        Operations=[{"AttributePath": "displayName", "AttributeValue": ""}],
    )
    assert_error(resp, "ValidationException")
    # An attribute the user object does not have.
    resp = error_of(
        ids.update_user,
        IdentityStoreId=store_id,
        UserId=user_id,
        Operations=[{"AttributePath": "favoriteColor", "AttributeValue": "blue"}],
    )
    assert_error(resp, "ValidationException")
    assert ids.describe_user(IdentityStoreId=store_id, UserId=user_id)["DisplayName"] == "Kim"


def test_update_missing_user_is_not_found(store):
    ids, store_id = store
    resp = error_of(
        ids.update_user,
        IdentityStoreId=store_id,
        UserId=MISSING_ID,
        Operations=[{"AttributePath": "displayName", "AttributeValue": "x"}],
    )
    assert_not_found(resp, "USER", MISSING_ID, strict=False)


def test_user_revision_guards_conditional_update_and_delete(store):
    ids, store_id = store
    created = ids.create_user(
        IdentityStoreId=store_id,
        UserName="lee",
        DisplayName="Lee",
        Name={"GivenName": "Lee", "FamilyName": "Doe"},
    )
    user_id, first = created["UserId"], created["Revision"]
    ids.update_user(
        IdentityStoreId=store_id,
        UserId=user_id,
        Operations=[{"AttributePath": "displayName", "AttributeValue": "Lee Doe"}],
        Revision=first,
    )
    second = ids.describe_user(IdentityStoreId=store_id, UserId=user_id)["Revision"]
    assert REVISION_RE.match(second) and second != first
    # A stale revision is refused; the user keeps the last successful update.
    resp = error_of(
        ids.update_user,
        IdentityStoreId=store_id,
        UserId=user_id,
        Operations=[{"AttributePath": "displayName", "AttributeValue": "stale"}],
        Revision=first,
    )
    assert_error(resp, "ConflictException")
    resp = error_of(ids.delete_user, IdentityStoreId=store_id, UserId=user_id, Revision=first)
    assert_error(resp, "ConflictException")
    u = ids.describe_user(IdentityStoreId=store_id, UserId=user_id)
    assert u["DisplayName"] == "Lee Doe" and u["Revision"] == second
    ids.delete_user(IdentityStoreId=store_id, UserId=user_id, Revision=second)
    assert_not_found(error_of(ids.describe_user, IdentityStoreId=store_id, UserId=user_id), "USER")


def test_delete_user(store):
    ids, store_id = store
    user_id = create_user(ids, store_id, "mia")
    keep = create_user(ids, store_id, "ned")
    assert ids.delete_user(IdentityStoreId=store_id, UserId=user_id)["ResponseMetadata"][
        "HTTPStatusCode"] == 200
    assert_not_found(error_of(ids.describe_user, IdentityStoreId=store_id, UserId=user_id), "USER")
    assert [u["UserId"] for u in ids.list_users(IdentityStoreId=store_id)["Users"]] == [keep]
    resp = error_of(lookup_user, ids=ids, store=store_id, path="userName", value="mia")
    assert_not_found(resp, "USER", strict=False)
    # The name can be reused; the new user has a new id.
    assert create_user(ids, store_id, "mia") != user_id


def test_delete_missing_user_is_not_found(store):
    ids, store_id = store
    user_id = create_user(ids, store_id, "olga")
    ids.delete_user(IdentityStoreId=store_id, UserId=user_id)
    resp = error_of(ids.delete_user, IdentityStoreId=store_id, UserId=user_id)
    assert_not_found(resp, "USER", user_id, strict=False)


def test_list_users_shape(store):
    ids, store_id = store
    alice = create_user(ids, store_id, "alice", DisplayName="Alice A")
    bob = create_user(ids, store_id, "bob", DisplayName="Bob B")
    users = {u["UserId"]: u for u in ids.list_users(IdentityStoreId=store_id)["Users"]}
    assert set(users) == {alice, bob}
    assert users[alice]["UserName"] == "alice"
    assert users[alice]["DisplayName"] == "Alice A"
    assert users[alice]["IdentityStoreId"] == store_id
    assert users[bob]["Name"]["GivenName"] == "Bob"


def test_list_users_paginates(store):
    ids, store_id = store
    made = {create_user(ids, store_id, f"user{i}") for i in range(7)}
    seen = walk(ids.list_users, "Users", "UserId", 3, IdentityStoreId=store_id)
    assert len(seen) == len(set(seen)) == 7
    assert set(seen) == made


def test_list_users_filter_by_user_name(store):
    ids, store_id = store
    alice = create_user(ids, store_id, "alice")
    create_user(ids, store_id, "alicia")
    users = ids.list_users(
        IdentityStoreId=store_id, Filters=[{"AttributePath": "UserName", "AttributeValue": "alice"}]
    )["Users"]
    assert [u["UserId"] for u in users] == [alice]
    none = ids.list_users(
        IdentityStoreId=store_id, Filters=[{"AttributePath": "UserName", "AttributeValue": "zed"}]
    )["Users"]
    assert none == []


def test_get_user_id_by_user_name_and_email(store):
    ids, store_id = store
    # The email need not be primary to be found.
    user_id = create_user(ids, store_id, "pat", Emails=[{"Value": "pat@example.com"}])
    create_user(ids, store_id, "quinn", Emails=[{"Value": "quinn@example.com"}])
    by_name = lookup_user(ids, store_id, "userName", "pat")
    assert by_name["UserId"] == user_id
    assert by_name["IdentityStoreId"] == store_id
    by_email = ids.get_user_id(
        IdentityStoreId=store_id, AlternateIdentifier=unique("emails.value", "pat@example.com")
    )
    assert by_email["UserId"] == user_id


def test_get_user_id_attribute_path_is_case_insensitive(store):
    # Terraform's acceptance tests look users up with "UserName" and "Emails.Value".
    ids, store_id = store
    user_id = create_user(ids, store_id, "rae", Emails=[{"Value": "rae@example.com"}])
    assert ids.get_user_id(
        IdentityStoreId=store_id, AlternateIdentifier=unique("UserName", "rae")
    )["UserId"] == user_id
    assert ids.get_user_id(
        IdentityStoreId=store_id, AlternateIdentifier=unique("Emails.Value", "rae@example.com")
    )["UserId"] == user_id


def test_get_user_id_errors(store):
    ids, store_id = store
    create_user(ids, store_id, "sam", DisplayName="Sam Display")
    resp = error_of(lookup_user, ids=ids, store=store_id, path="userName", value="nobody")
    assert_not_found(resp, "USER", strict=False)
    # Only userName and emails.value are unique attributes of a user.
    resp = error_of(lookup_user, ids=ids, store=store_id, path="displayName", value="Sam Display")
    assert_error(resp, "ValidationException")
    # Users made through the API carry no external ids.
    resp = error_of(
        ids.get_user_id,
        IdentityStoreId=store_id,
        AlternateIdentifier={"ExternalId": {"Issuer": "https://idp.example.com", "Id": "sam"}},
    )
    assert_not_found(resp, "USER", strict=False)


# --------------------------------------------------------------------------------------------
# Groups
# --------------------------------------------------------------------------------------------


def test_create_and_describe_group(store):
    ids, store_id = store
    out = ids.create_group(
        IdentityStoreId=store_id, DisplayName="Engineering", Description="Builders"
    )
    assert out["IdentityStoreId"] == store_id
    assert RESOURCE_ID_RE.match(out["GroupId"])
    assert out["GroupArn"] == f"arn:aws:identitystore:::group/{out['GroupId']}"
    assert REVISION_RE.match(out["Revision"])
    g = ids.describe_group(IdentityStoreId=store_id, GroupId=out["GroupId"])
    assert g["GroupId"] == out["GroupId"]
    assert g["IdentityStoreId"] == store_id
    assert g["DisplayName"] == "Engineering"
    assert g["Description"] == "Builders"
    assert g.get("ExternalIds", []) == []


def test_duplicate_group_display_name_conflicts(store):
    ids, store_id = store
    create_group(ids, store_id, "Ops")
    resp = error_of(ids.create_group, IdentityStoreId=store_id, DisplayName="Ops")
    assert_error(resp, "ConflictException")
    assert resp["Reason"] == "UNIQUENESS_CONSTRAINT_VIOLATION"
    assert group_names(ids, store_id) == ["Ops"]


def test_describe_missing_group_is_not_found(store):
    ids, store_id = store
    resp = error_of(ids.describe_group, IdentityStoreId=store_id, GroupId=MISSING_ID)
    assert_not_found(resp, "GROUP", MISSING_ID)


def test_update_group(store):
    ids, store_id = store
    group_id = create_group(ids, store_id, "Sales", Description="old")
    out = ids.update_group(
        IdentityStoreId=store_id,
        GroupId=group_id,
        Operations=[
            {"AttributePath": "displayName", "AttributeValue": "Revenue"},
            {"AttributePath": "description", "AttributeValue": "new"},
        ],
    )
    assert out["GroupId"] == group_id
    g = ids.describe_group(IdentityStoreId=store_id, GroupId=group_id)
    assert g["DisplayName"] == "Revenue" and g["Description"] == "new"
    # The old display name is free; the new one is found by GetGroupId.
    create_group(ids, store_id, "Sales")
    assert ids.get_group_id(
        IdentityStoreId=store_id, AlternateIdentifier=unique("displayName", "Revenue")
    )["GroupId"] == group_id


def test_update_group_errors(store):
    ids, store_id = store
    create_group(ids, store_id, "Taken")
    group_id = create_group(ids, store_id, "Mine")
    resp = error_of(
        ids.update_group,
        IdentityStoreId=store_id,
        GroupId=group_id,
        Operations=[{"AttributePath": "displayName", "AttributeValue": "Taken"}],
    )
    assert_error(resp, "ConflictException")
    assert ids.describe_group(IdentityStoreId=store_id, GroupId=group_id)["DisplayName"] == "Mine"
    resp = error_of(
        ids.update_group,
        IdentityStoreId=store_id,
        GroupId=MISSING_ID,
        Operations=[{"AttributePath": "description", "AttributeValue": "x"}],
    )
    assert_not_found(resp, "GROUP", MISSING_ID, strict=False)


def test_group_revision_guards_conditional_update_and_delete(store):
    ids, store_id = store
    created = ids.create_group(IdentityStoreId=store_id, DisplayName="Rev")
    group_id, first = created["GroupId"], created["Revision"]
    ids.update_group(
        IdentityStoreId=store_id,
        GroupId=group_id,
        Operations=[{"AttributePath": "description", "AttributeValue": "one"}],
    )
    second = ids.describe_group(IdentityStoreId=store_id, GroupId=group_id)["Revision"]
    assert second != first
    resp = error_of(
        ids.update_group,
        IdentityStoreId=store_id,
        GroupId=group_id,
        Operations=[{"AttributePath": "description", "AttributeValue": "stale"}],
        Revision=first,
    )
    assert_error(resp, "ConflictException")
    resp = error_of(ids.delete_group, IdentityStoreId=store_id, GroupId=group_id, Revision=first)
    assert_error(resp, "ConflictException")
    assert ids.describe_group(IdentityStoreId=store_id, GroupId=group_id)["Description"] == "one"


def test_delete_group(store):
    ids, store_id = store
    group_id = create_group(ids, store_id, "Temp")
    ids.delete_group(IdentityStoreId=store_id, GroupId=group_id)
    resp = error_of(ids.describe_group, IdentityStoreId=store_id, GroupId=group_id)
    assert_not_found(resp, "GROUP")
    assert ids.list_groups(IdentityStoreId=store_id)["Groups"] == []
    resp = error_of(ids.delete_group, IdentityStoreId=store_id, GroupId=group_id)
    assert_not_found(resp, "GROUP", group_id, strict=False)
    # The display name can be reused.
    assert create_group(ids, store_id, "Temp") != group_id


def test_list_groups_paginates(store):
    ids, store_id = store
    made = {create_group(ids, store_id, f"group-{i}") for i in range(7)}
    seen = walk(ids.list_groups, "Groups", "GroupId", 3, IdentityStoreId=store_id)
    assert len(seen) == len(set(seen)) == 7
    assert set(seen) == made
    groups = ids.list_groups(IdentityStoreId=store_id)["Groups"]
    assert all(g["IdentityStoreId"] == store_id and "DisplayName" in g for g in groups)


def test_list_groups_filter_by_display_name(store):
    ids, store_id = store
    admins = create_group(ids, store_id, "admins")
    create_group(ids, store_id, "admins-2")
    groups = ids.list_groups(
        IdentityStoreId=store_id,
        Filters=[{"AttributePath": "DisplayName", "AttributeValue": "admins"}],
    )["Groups"]
    assert [g["GroupId"] for g in groups] == [admins]
    assert ids.list_groups(
        IdentityStoreId=store_id,
        Filters=[{"AttributePath": "DisplayName", "AttributeValue": "none"}],
    )["Groups"] == []


def test_get_group_id(store):
    ids, store_id = store
    group_id = create_group(ids, store_id, "Finance")
    out = lookup_group(ids, store_id, "displayName", "Finance")
    assert out["GroupId"] == group_id
    assert out["IdentityStoreId"] == store_id
    # Terraform's acceptance tests send "DisplayName".
    assert ids.get_group_id(
        IdentityStoreId=store_id, AlternateIdentifier=unique("DisplayName", "Finance")
    )["GroupId"] == group_id


def test_get_group_id_errors(store):
    ids, store_id = store
    create_group(ids, store_id, "Legal", Description="lawyers")
    resp = error_of(lookup_group, ids=ids, store=store_id, path="displayName", value="Nope")
    assert_not_found(resp, "GROUP", strict=False)
    # displayName is the only unique attribute of a group.
    resp = error_of(lookup_group, ids=ids, store=store_id, path="description", value="lawyers")
    assert_error(resp, "ValidationException")
    resp = error_of(
        ids.get_group_id,
        IdentityStoreId=store_id,
        AlternateIdentifier={"ExternalId": {"Issuer": "https://idp.example.com", "Id": "legal"}},
    )
    assert_not_found(resp, "GROUP", strict=False)


# --------------------------------------------------------------------------------------------
# Memberships
# --------------------------------------------------------------------------------------------


def test_create_and_describe_membership(store):
    ids, store_id = store
    user_id = create_user(ids, store_id, "tom")
    group_id = create_group(ids, store_id, "Devs")
    out = ids.create_group_membership(
        IdentityStoreId=store_id, GroupId=group_id, MemberId={"UserId": user_id}
    )
    assert out["IdentityStoreId"] == store_id
    assert RESOURCE_ID_RE.match(out["MembershipId"])
    assert out["MembershipArn"] == f"arn:aws:identitystore:::membership/{out['MembershipId']}"
    m = ids.describe_group_membership(IdentityStoreId=store_id, MembershipId=out["MembershipId"])
    assert m["IdentityStoreId"] == store_id
    assert m["MembershipId"] == out["MembershipId"]
    assert m["GroupId"] == group_id
    assert m["MemberId"] == {"UserId": user_id}


def test_duplicate_membership_conflicts(store):
    ids, store_id = store
    user_id = create_user(ids, store_id, "uma")
    group_id = create_group(ids, store_id, "Team")
    first = add_member(ids, store_id, group_id, user_id)
    resp = error_of(
        ids.create_group_membership,
        IdentityStoreId=store_id, GroupId=group_id, MemberId={"UserId": user_id},
    )
    assert_error(resp, "ConflictException")
    if "Reason" in resp:
        assert resp["Reason"] == "UNIQUENESS_CONSTRAINT_VIOLATION"
    memberships = ids.list_group_memberships(IdentityStoreId=store_id, GroupId=group_id)
    assert [m["MembershipId"] for m in memberships["GroupMemberships"]] == [first]


def test_membership_of_missing_user_or_group_is_not_found(store):
    ids, store_id = store
    user_id = create_user(ids, store_id, "vic")
    group_id = create_group(ids, store_id, "Crew")
    resp = error_of(
        ids.create_group_membership,
        IdentityStoreId=store_id, GroupId=group_id, MemberId={"UserId": MISSING_ID},
    )
    assert_not_found(resp, "USER", strict=False)
    resp = error_of(
        ids.create_group_membership,
        IdentityStoreId=store_id, GroupId=MISSING_ID, MemberId={"UserId": user_id},
    )
    assert_not_found(resp, "GROUP", strict=False)
    assert memberships_of_group(ids, store_id, group_id) == []


def test_describe_missing_membership_is_not_found(store):
    ids, store_id = store
    resp = error_of(
        ids.describe_group_membership, IdentityStoreId=store_id, MembershipId=MISSING_ID
    )
    assert_not_found(resp, "GROUP_MEMBERSHIP", MISSING_ID)


def test_delete_membership(store):
    ids, store_id = store
    user_id = create_user(ids, store_id, "wes")
    group_id = create_group(ids, store_id, "Band")
    membership_id = add_member(ids, store_id, group_id, user_id)
    ids.delete_group_membership(IdentityStoreId=store_id, MembershipId=membership_id)
    resp = error_of(
        ids.describe_group_membership, IdentityStoreId=store_id, MembershipId=membership_id
    )
    assert_not_found(resp, "GROUP_MEMBERSHIP")
    assert memberships_of_group(ids, store_id, group_id) == []
    assert_not_found(
        error_of(ids.delete_group_membership, IdentityStoreId=store_id, MembershipId=membership_id),
        "GROUP_MEMBERSHIP",
        strict=False,
    )
    # User and group are untouched; the user can join again.
    ids.describe_user(IdentityStoreId=store_id, UserId=user_id)
    ids.describe_group(IdentityStoreId=store_id, GroupId=group_id)
    assert add_member(ids, store_id, group_id, user_id) != membership_id


def test_get_group_membership_id(store):
    ids, store_id = store
    xena = create_user(ids, store_id, "xena")
    yuri = create_user(ids, store_id, "yuri")
    group_id = create_group(ids, store_id, "Pilots")
    membership_id = add_member(ids, store_id, group_id, xena)
    out = ids.get_group_membership_id(
        IdentityStoreId=store_id, GroupId=group_id, MemberId={"UserId": xena}
    )
    assert out["MembershipId"] == membership_id
    assert out["IdentityStoreId"] == store_id
    resp = error_of(
        ids.get_group_membership_id,
        IdentityStoreId=store_id, GroupId=group_id, MemberId={"UserId": yuri},
    )
    assert_not_found(resp, "GROUP_MEMBERSHIP", strict=False)


def test_list_group_memberships(store):
    ids, store_id = store
    group_id = create_group(ids, store_id, "Choir")
    other_group = create_group(ids, store_id, "Orchestra")
    users = [create_user(ids, store_id, f"singer{i}") for i in range(5)]
    made = {add_member(ids, store_id, group_id, u): u for u in users}
    add_member(ids, store_id, other_group, users[0])
    listed = memberships_of_group(ids, store_id, group_id)
    assert {m["MembershipId"]: m["MemberId"]["UserId"] for m in listed} == made
    assert all(m["GroupId"] == group_id and m["IdentityStoreId"] == store_id for m in listed)
    seen = walk(ids.list_group_memberships, "GroupMemberships", "MembershipId", 2,
                IdentityStoreId=store_id, GroupId=group_id)
    assert len(seen) == len(set(seen)) == 5 and set(seen) == set(made)


def test_list_group_memberships_for_member(store):
    ids, store_id = store
    zoe = create_user(ids, store_id, "zoe")
    amy = create_user(ids, store_id, "amy")
    groups = [create_group(ids, store_id, f"club-{i}") for i in range(5)]
    made = {add_member(ids, store_id, g, zoe): g for g in groups}
    add_member(ids, store_id, groups[0], amy)
    listed = ids.list_group_memberships_for_member(
        IdentityStoreId=store_id, MemberId={"UserId": zoe}
    )["GroupMemberships"]
    assert {m["MembershipId"]: m["GroupId"] for m in listed} == made
    assert all(m["MemberId"] == {"UserId": zoe} for m in listed)
    seen = walk(ids.list_group_memberships_for_member, "GroupMemberships", "MembershipId", 2,
                IdentityStoreId=store_id, MemberId={"UserId": zoe})
    assert len(seen) == len(set(seen)) == 5 and set(seen) == set(made)
    lone = create_user(ids, store_id, "lone")
    assert ids.list_group_memberships_for_member(
        IdentityStoreId=store_id, MemberId={"UserId": lone}
    )["GroupMemberships"] == []


def test_is_member_in_groups(store):
    ids, store_id = store
    user_id = create_user(ids, store_id, "ben")
    other = create_user(ids, store_id, "cal")
    inside = create_group(ids, store_id, "In")
    outside = create_group(ids, store_id, "Out")
    add_member(ids, store_id, inside, user_id)
    add_member(ids, store_id, outside, other)  # someone else's membership does not count
    results = ids.is_member_in_groups(
        IdentityStoreId=store_id, MemberId={"UserId": user_id}, GroupIds=[inside, outside]
    )["Results"]
    assert len(results) == 2
    assert {r["GroupId"]: r["MembershipExists"] for r in results} == {inside: True, outside: False}
    assert all(r["MemberId"] == {"UserId": user_id} for r in results)


def test_deleting_member_user_or_group_succeeds(store):
    # Whether memberships are cascaded is not asserted; only that neither delete is blocked.
    ids, store_id = store
    user_id = create_user(ids, store_id, "dan")
    stays = create_user(ids, store_id, "eve")
    group_id = create_group(ids, store_id, "Doomed")
    kept_group = create_group(ids, store_id, "Kept")
    add_member(ids, store_id, group_id, stays)
    add_member(ids, store_id, kept_group, user_id)
    ids.delete_user(IdentityStoreId=store_id, UserId=user_id)
    ids.delete_group(IdentityStoreId=store_id, GroupId=group_id)
    resp = error_of(ids.describe_user, IdentityStoreId=store_id, UserId=user_id)
    assert_not_found(resp, "USER")
    resp = error_of(ids.describe_group, IdentityStoreId=store_id, GroupId=group_id)
    assert_not_found(resp, "GROUP")
    assert ids.describe_user(IdentityStoreId=store_id, UserId=stays)["UserName"] == "eve"
    assert ids.describe_group(IdentityStoreId=store_id, GroupId=kept_group)["DisplayName"] == "Kept"


# --------------------------------------------------------------------------------------------
# Another account's identity store
# --------------------------------------------------------------------------------------------

FOREIGN_CALLS = {
    "create_user": lambda s, x: dict(IdentityStoreId=s, UserName="intruder", DisplayName="I",
                                     Name={"GivenName": "I", "FamilyName": "N"}),
    "describe_user": lambda s, x: dict(IdentityStoreId=s, UserId=x["user"]),
    "update_user": lambda s, x: dict(IdentityStoreId=s, UserId=x["user"], Operations=[
        {"AttributePath": "displayName", "AttributeValue": "hacked"}]),
    "delete_user": lambda s, x: dict(IdentityStoreId=s, UserId=x["user"]),
    "list_users": lambda s, x: dict(IdentityStoreId=s),
    "get_user_id": lambda s, x: dict(IdentityStoreId=s,
                                     AlternateIdentifier=unique("userName", "owner")),
    "create_group": lambda s, x: dict(IdentityStoreId=s, DisplayName="intruders"),
    "describe_group": lambda s, x: dict(IdentityStoreId=s, GroupId=x["group"]),
    "update_group": lambda s, x: dict(IdentityStoreId=s, GroupId=x["group"], Operations=[
        {"AttributePath": "displayName", "AttributeValue": "hacked"}]),
    "delete_group": lambda s, x: dict(IdentityStoreId=s, GroupId=x["group"]),
    "list_groups": lambda s, x: dict(IdentityStoreId=s),
    "get_group_id": lambda s, x: dict(IdentityStoreId=s,
                                      AlternateIdentifier=unique("displayName", "owners")),
    "create_group_membership": lambda s, x: dict(IdentityStoreId=s, GroupId=x["group2"],
                                                 MemberId={"UserId": x["user"]}),
    "describe_group_membership": lambda s, x: dict(IdentityStoreId=s, MembershipId=x["membership"]),
    "delete_group_membership": lambda s, x: dict(IdentityStoreId=s, MembershipId=x["membership"]),
    "get_group_membership_id": lambda s, x: dict(IdentityStoreId=s, GroupId=x["group"],
                                                 MemberId={"UserId": x["user"]}),
    "list_group_memberships": lambda s, x: dict(IdentityStoreId=s, GroupId=x["group"]),
    "list_group_memberships_for_member": lambda s, x: dict(IdentityStoreId=s,
                                                           MemberId={"UserId": x["user"]}),
    "is_member_in_groups": lambda s, x: dict(IdentityStoreId=s, MemberId={"UserId": x["user"]},
                                             GroupIds=[x["group"]]),
    "describe_identity_store": lambda s, x: dict(IdentityStoreId=s),
    "update_identity_store": lambda s, x: dict(IdentityStoreId=s, NetworkConfiguration={
        "VpceAccessRequired": False, "ScimAllowSourceIps": ["198.51.100.0/24"]}),
}


@pytest.mark.parametrize("operation", sorted(FOREIGN_CALLS))
def test_other_account_cannot_use_identity_store(server, store, operation):
    ids, store_id = store
    owned = {"user": create_user(ids, store_id, "owner", DisplayName="Owner")}
    owned["group"] = create_group(ids, store_id, "owners")
    owned["group2"] = create_group(ids, store_id, "others")
    owned["membership"] = add_member(ids, store_id, owned["group"], owned["user"])
    # The other account has an identity store of its own: it is not refused for lacking one.
    _, key = signup(server, "intruder@example.com", "intruder")
    intruder, _ = new_store(server, key=key)

    resp = error_of(getattr(intruder, operation), **FOREIGN_CALLS[operation](store_id, owned))
    assert_error(resp, NOT_YOURS)
    for leaked in ("Users", "Groups", "GroupMemberships", "Results", "UserName", "DisplayName",
                   "UserId", "GroupId", "MembershipId", "IdentityStoreArn"):
        assert leaked not in resp

    # The owner's data is unchanged.
    assert user_names(ids, store_id) == ["owner"]
    owner = ids.describe_user(IdentityStoreId=store_id, UserId=owned["user"])
    assert owner["DisplayName"] == "Owner"
    assert group_names(ids, store_id) == ["others", "owners"]
    memberships = ids.list_group_memberships_for_member(
        IdentityStoreId=store_id, MemberId={"UserId": owned["user"]}
    )["GroupMemberships"]
    assert [m["MembershipId"] for m in memberships] == [owned["membership"]]
    assert "ScimAllowSourceIps" not in ids.describe_identity_store(IdentityStoreId=store_id).get(
        "NetworkConfiguration", {})
