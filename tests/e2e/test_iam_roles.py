"""IAM roles: CreateRole/GetRole/UpdateRole/DeleteRole/ListRoles, trust policies, permissions
boundaries, tags, service-linked roles, instance profiles, and the OrganizationAccountAccessRole
that Organizations' CreateAccount sets up."""
import json
import re
import urllib.parse
from datetime import datetime

import pytest
from botocore.exceptions import ClientError

from conftest import aws_cli

ACCOUNT = "000000000000"
TRUST = {
    "Version": "2012-10-17",
    "Statement": [
        {"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}
    ],
}
TRUST_TEXT = json.dumps(TRUST)
ADMIN_ARN = "arn:aws:iam::aws:policy/AdministratorAccess"


def error(excinfo):
    return excinfo.value.response["Error"]


def status(excinfo):
    return excinfo.value.response["ResponseMetadata"]["HTTPStatusCode"]


@pytest.fixture
def iam(server):
    return server.client("iam")


def make_role(iam, name="app", **kw):
    kw.setdefault("AssumeRolePolicyDocument", TRUST_TEXT)
    return iam.create_role(RoleName=name, **kw)["Role"]


# --------------------------------------------------------------------------------------------
# CreateRole / GetRole
# --------------------------------------------------------------------------------------------


def test_create_and_get_role(iam):
    role = make_role(
        iam,
        "App-Role",
        Path="/service/",
        Description="the app",
        MaxSessionDuration=7200,
        Tags=[{"Key": "env", "Value": "dev"}],
    )
    assert role["RoleName"] == "App-Role"
    assert role["Path"] == "/service/"
    assert role["Arn"] == f"arn:aws:iam::{ACCOUNT}:role/service/App-Role"
    assert re.match(r"^AROA[A-Z2-7]{17}$", role["RoleId"])
    assert isinstance(role["CreateDate"], datetime)
    assert role["Description"] == "the app"
    assert role["MaxSessionDuration"] == 7200
    assert role["Tags"] == [{"Key": "env", "Value": "dev"}]
    # botocore decodes the URL-encoded document into a dict
    assert role["AssumeRolePolicyDocument"] == TRUST

    got = iam.get_role(RoleName="app-role")["Role"]  # names are case-insensitive
    assert got["RoleName"] == "App-Role"
    assert got["RoleId"] == role["RoleId"]
    assert got["AssumeRolePolicyDocument"] == TRUST
    assert got["MaxSessionDuration"] == 7200
    assert got["Tags"] == [{"Key": "env", "Value": "dev"}]
    assert "RoleLastUsed" in got


def test_create_role_defaults(iam):
    role = make_role(iam)
    assert role["Path"] == "/"
    assert role["MaxSessionDuration"] == 3600
    assert "Description" not in role
    assert "Tags" not in role
    assert "PermissionsBoundary" not in role


def test_create_role_duplicate_name_case_insensitive(iam):
    make_role(iam, "Admin")
    with pytest.raises(ClientError) as e:
        make_role(iam, "ADMIN")
    assert error(e)["Code"] == "EntityAlreadyExists"
    assert error(e)["Message"] == "Role with name ADMIN already exists."
    assert status(e) == 409


def test_get_role_missing(iam):
    with pytest.raises(ClientError) as e:
        iam.get_role(RoleName="nope")
    assert error(e)["Code"] == "NoSuchEntity"
    assert error(e)["Message"] == "The role with name nope cannot be found."
    assert status(e) == 404


@pytest.mark.parametrize(
    "doc",
    [
        "not json",
        json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole"}]}),
    ],
)
def test_create_role_malformed_trust_policy(iam, doc):
    with pytest.raises(ClientError) as e:
        make_role(iam, AssumeRolePolicyDocument=doc)
    assert error(e)["Code"] == "MalformedPolicyDocument"
    assert error(e)["Message"]
    assert status(e) == 400
    assert iam.list_roles()["Roles"] == []


def test_create_role_trust_policy_with_resource_is_malformed(iam):
    doc = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"AWS": "arn:aws:iam::000000000000:root"},
                "Action": "sts:AssumeRole",
                "Resource": "*",
            }
        ],
    }
    with pytest.raises(ClientError) as e:
        make_role(iam, AssumeRolePolicyDocument=json.dumps(doc))
    assert error(e)["Code"] == "MalformedPolicyDocument"


@pytest.mark.parametrize("seconds", [3599, 43201])
def test_create_role_max_session_duration_bounds(server, seconds):
    raw = server.client("iam", parameter_validation=False)  # botocore checks the minimum itself
    with pytest.raises(ClientError) as e:
        make_role(raw, MaxSessionDuration=seconds)
    assert error(e)["Code"] == "ValidationError"
    assert status(e) == 400


def test_create_role_max_session_duration_limits_accepted(iam):
    assert make_role(iam, "short", MaxSessionDuration=3600)["MaxSessionDuration"] == 3600
    assert make_role(iam, "long", MaxSessionDuration=43200)["MaxSessionDuration"] == 43200


def test_create_role_with_permissions_boundary(iam):
    role = make_role(iam, PermissionsBoundary=ADMIN_ARN)
    assert role["PermissionsBoundary"] == {
        "PermissionsBoundaryType": "PermissionsBoundaryPolicy",
        "PermissionsBoundaryArn": ADMIN_ARN,
    }
    assert iam.get_role(RoleName="app")["Role"]["PermissionsBoundary"]["PermissionsBoundaryArn"] == ADMIN_ARN


def test_create_role_with_missing_boundary_fails(iam):
    with pytest.raises(ClientError) as e:
        make_role(iam, PermissionsBoundary=f"arn:aws:iam::{ACCOUNT}:policy/nope")
    assert error(e)["Code"] == "NoSuchEntity"
    with pytest.raises(ClientError) as e:
        make_role(iam, PermissionsBoundary="arn:aws:iam::aws:policy/NoSuchAwsPolicy")
    assert error(e)["Code"] == "NoSuchEntity"
    assert iam.list_roles()["Roles"] == []


def test_create_role_tag_errors(iam):
    with pytest.raises(ClientError) as e:
        make_role(iam, Tags=[{"Key": "a", "Value": "1"}, {"Key": "A", "Value": "2"}])
    assert error(e)["Code"] == "InvalidInput"
    with pytest.raises(ClientError) as e:
        make_role(iam, Tags=[{"Key": f"k{i}", "Value": "v"} for i in range(51)])
    assert error(e)["Code"] in ("LimitExceeded", "ValidationError")
    assert iam.list_roles()["Roles"] == []


# --------------------------------------------------------------------------------------------
# UpdateRole / UpdateRoleDescription / UpdateAssumeRolePolicy
# --------------------------------------------------------------------------------------------


def test_update_role(iam):
    make_role(iam, Description="old")
    assert iam.update_role(RoleName="app", MaxSessionDuration=14400)["ResponseMetadata"]["HTTPStatusCode"] == 200
    role = iam.get_role(RoleName="app")["Role"]
    assert role["MaxSessionDuration"] == 14400
    assert role["Description"] == "old"  # unchanged when not given
    iam.update_role(RoleName="app", Description="new")
    role = iam.get_role(RoleName="app")["Role"]
    assert role["Description"] == "new"
    assert role["MaxSessionDuration"] == 14400
    with pytest.raises(ClientError) as e:
        iam.update_role(RoleName="app", MaxSessionDuration=50000)
    assert error(e)["Code"] == "ValidationError"
    with pytest.raises(ClientError) as e:
        iam.update_role(RoleName="ghost", Description="x")
    assert error(e)["Code"] == "NoSuchEntity"


def test_update_role_description(iam):
    make_role(iam)
    role = iam.update_role_description(RoleName="app", Description="described")["Role"]
    assert role["Description"] == "described"
    assert iam.get_role(RoleName="app")["Role"]["Description"] == "described"
    with pytest.raises(ClientError) as e:
        iam.update_role_description(RoleName="ghost", Description="x")
    assert error(e)["Code"] == "NoSuchEntity"


def test_update_assume_role_policy(iam):
    make_role(iam)
    new = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "Home",
                "Effect": "Allow",
                "Principal": {"AWS": "arn:aws:iam::111111111111:root"},
                "Action": "sts:AssumeRole",
                "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"}},
            }
        ],
    }
    iam.update_assume_role_policy(RoleName="app", PolicyDocument=json.dumps(new))
    assert iam.get_role(RoleName="app")["Role"]["AssumeRolePolicyDocument"] == new
    with pytest.raises(ClientError) as e:
        iam.update_assume_role_policy(RoleName="app", PolicyDocument='{"Version": "2012-10-17"}')
    assert error(e)["Code"] == "MalformedPolicyDocument"
    assert iam.get_role(RoleName="app")["Role"]["AssumeRolePolicyDocument"] == new
    with pytest.raises(ClientError) as e:
        iam.update_assume_role_policy(RoleName="ghost", PolicyDocument=TRUST_TEXT)
    assert error(e)["Code"] == "NoSuchEntity"


def test_trust_policy_is_returned_url_encoded_on_the_wire(server, iam):
    """IAM returns policy documents URL-encoded; botocore decodes them. Check the raw XML."""
    make_role(iam)
    import urllib.request

    client = server.client("iam")
    raw = {}

    def grab(http_response, **kw):
        raw["body"] = http_response.content.decode()

    client.meta.events.register("after-call.iam.GetRole", lambda http_response, **kw: grab(http_response))
    client.get_role(RoleName="app")
    doc = re.search(r"<AssumeRolePolicyDocument>(.*?)</AssumeRolePolicyDocument>", raw["body"]).group(1)
    assert "%7B" in doc
    assert json.loads(urllib.parse.unquote(doc)) == TRUST


# --------------------------------------------------------------------------------------------
# DeleteRole
# --------------------------------------------------------------------------------------------


def test_delete_role(iam):
    make_role(iam)
    iam.delete_role(RoleName="APP")
    with pytest.raises(ClientError) as e:
        iam.get_role(RoleName="app")
    assert error(e)["Code"] == "NoSuchEntity"
    with pytest.raises(ClientError) as e:
        iam.delete_role(RoleName="app")
    assert error(e)["Code"] == "NoSuchEntity"


def test_delete_role_conflicts(iam):
    make_role(iam)
    iam.create_instance_profile(InstanceProfileName="prof")
    iam.add_role_to_instance_profile(InstanceProfileName="prof", RoleName="app")
    with pytest.raises(ClientError) as e:
        iam.delete_role(RoleName="app")
    assert error(e)["Code"] == "DeleteConflict"
    assert error(e)["Message"] == "Cannot delete entity, must remove roles from instance profile first."
    assert status(e) == 409
    iam.remove_role_from_instance_profile(InstanceProfileName="prof", RoleName="app")

    iam.attach_role_policy(RoleName="app", PolicyArn=ADMIN_ARN)
    with pytest.raises(ClientError) as e:
        iam.delete_role(RoleName="app")
    assert error(e)["Code"] == "DeleteConflict"
    assert error(e)["Message"] == "Cannot delete entity, must detach all policies first."
    iam.detach_role_policy(RoleName="app", PolicyArn=ADMIN_ARN)

    iam.put_role_policy(
        RoleName="app",
        PolicyName="inline",
        PolicyDocument=json.dumps(
            {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}
        ),
    )
    with pytest.raises(ClientError) as e:
        iam.delete_role(RoleName="app")
    assert error(e)["Code"] == "DeleteConflict"
    assert error(e)["Message"] == "Cannot delete entity, must delete policies first."
    iam.delete_role_policy(RoleName="app", PolicyName="inline")

    iam.delete_role(RoleName="app")
    assert iam.list_roles()["Roles"] == []


# --------------------------------------------------------------------------------------------
# ListRoles
# --------------------------------------------------------------------------------------------


def test_list_roles_path_prefix_and_pagination(iam):
    for i in range(5):
        make_role(iam, f"role-{i}", Path="/team/a/" if i % 2 else "/", Tags=[{"Key": "k", "Value": "v"}])
    roles = iam.list_roles()["Roles"]
    assert [r["RoleName"] for r in roles] == [f"role-{i}" for i in range(5)]
    # ListRoles leaves out tags, boundary and last use
    assert all("Tags" not in r and "RoleLastUsed" not in r for r in roles)
    assert all(r["AssumeRolePolicyDocument"] == TRUST for r in roles)

    team = iam.list_roles(PathPrefix="/team/")["Roles"]
    assert [r["RoleName"] for r in team] == ["role-1", "role-3"]

    page1 = iam.list_roles(MaxItems=2)
    assert page1["IsTruncated"] is True
    assert [r["RoleName"] for r in page1["Roles"]] == ["role-0", "role-1"]
    page2 = iam.list_roles(MaxItems=2, Marker=page1["Marker"])
    assert [r["RoleName"] for r in page2["Roles"]] == ["role-2", "role-3"]
    page3 = iam.list_roles(MaxItems=2, Marker=page2["Marker"])
    assert [r["RoleName"] for r in page3["Roles"]] == ["role-4"]
    assert page3["IsTruncated"] is False
    assert "Marker" not in page3

    paginated = [r["RoleName"] for p in iam.get_paginator("list_roles").paginate(PaginationConfig={"PageSize": 2}) for r in p["Roles"]]
    assert paginated == [f"role-{i}" for i in range(5)]


def test_list_roles_bad_marker(iam):
    with pytest.raises(ClientError) as e:
        iam.list_roles(Marker="garbage")
    assert error(e)["Code"] == "ValidationError"


def test_roles_are_per_account(server, iam):
    from conftest import signup

    make_role(iam)
    _, key = signup(server, "other@example.com", "Other")
    other = server.client("iam", key=key)
    assert other.list_roles()["Roles"] == []
    with pytest.raises(ClientError) as e:
        other.get_role(RoleName="app")
    assert error(e)["Code"] == "NoSuchEntity"


# --------------------------------------------------------------------------------------------
# Tags
# --------------------------------------------------------------------------------------------


def test_role_tags(iam):
    make_role(iam, Tags=[{"Key": "env", "Value": "dev"}])
    iam.tag_role(RoleName="app", Tags=[{"Key": "team", "Value": "core"}, {"Key": "ENV", "Value": "prod"}])
    tags = iam.list_role_tags(RoleName="app")
    assert tags["IsTruncated"] is False
    assert {t["Key"].lower(): t["Value"] for t in tags["Tags"]} == {"env": "prod", "team": "core"}
    assert len(tags["Tags"]) == 2

    page = iam.list_role_tags(RoleName="app", MaxItems=1)
    assert page["IsTruncated"] is True and len(page["Tags"]) == 1
    rest = iam.list_role_tags(RoleName="app", MaxItems=1, Marker=page["Marker"])
    assert len(rest["Tags"]) == 1 and rest["IsTruncated"] is False

    iam.untag_role(RoleName="app", TagKeys=["env", "missing"])
    assert iam.list_role_tags(RoleName="app")["Tags"] == [{"Key": "team", "Value": "core"}]
    assert iam.get_role(RoleName="app")["Role"]["Tags"] == [{"Key": "team", "Value": "core"}]

    with pytest.raises(ClientError) as e:
        iam.tag_role(RoleName="app", Tags=[{"Key": "aws:x", "Value": "y"}])
    assert error(e)["Code"] == "InvalidInput"
    with pytest.raises(ClientError) as e:
        iam.tag_role(RoleName="app", Tags=[{"Key": f"k{i}", "Value": "v"} for i in range(50)])
    assert error(e)["Code"] == "LimitExceeded"
    with pytest.raises(ClientError) as e:
        iam.tag_role(RoleName="ghost", Tags=[{"Key": "a", "Value": "b"}])
    assert error(e)["Code"] == "NoSuchEntity"
    with pytest.raises(ClientError) as e:
        iam.list_role_tags(RoleName="ghost")
    assert error(e)["Code"] == "NoSuchEntity"


# --------------------------------------------------------------------------------------------
# Permissions boundary
# --------------------------------------------------------------------------------------------


def test_put_and_delete_role_permissions_boundary(iam):
    make_role(iam)
    policy = iam.create_policy(
        PolicyName="Boundary",
        Path="/bounds/",
        PolicyDocument=json.dumps(
            {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}
        ),
    )["Policy"]
    iam.put_role_permissions_boundary(RoleName="app", PermissionsBoundary=policy["Arn"])
    role = iam.get_role(RoleName="app")["Role"]
    assert role["PermissionsBoundary"]["PermissionsBoundaryArn"] == policy["Arn"]

    with pytest.raises(ClientError) as e:
        iam.put_role_permissions_boundary(
            RoleName="app", PermissionsBoundary=f"arn:aws:iam::{ACCOUNT}:policy/Boundary"
        )  # wrong path
    assert error(e)["Code"] == "NoSuchEntity"
    with pytest.raises(ClientError) as e:
        iam.put_role_permissions_boundary(RoleName="app", PermissionsBoundary="arn:aws:s3:::some-bucket-name")
    assert error(e)["Code"] == "InvalidInput"
    with pytest.raises(ClientError) as e:
        iam.put_role_permissions_boundary(RoleName="ghost", PermissionsBoundary=policy["Arn"])
    assert error(e)["Code"] == "NoSuchEntity"

    iam.delete_role_permissions_boundary(RoleName="app")
    assert "PermissionsBoundary" not in iam.get_role(RoleName="app")["Role"]
    iam.delete_role_permissions_boundary(RoleName="app")  # nothing to delete: no error
    with pytest.raises(ClientError) as e:
        iam.delete_role_permissions_boundary(RoleName="ghost")
    assert error(e)["Code"] == "NoSuchEntity"


# --------------------------------------------------------------------------------------------
# Service-linked roles
# --------------------------------------------------------------------------------------------


def test_create_service_linked_role(iam):
    role = iam.create_service_linked_role(AWSServiceName="sso.amazonaws.com", Description="SSO")["Role"]
    assert role["RoleName"] == "AWSServiceRoleForSSO"
    assert role["Path"] == "/aws-service-role/sso.amazonaws.com/"
    assert role["Arn"] == f"arn:aws:iam::{ACCOUNT}:role/aws-service-role/sso.amazonaws.com/AWSServiceRoleForSSO"
    assert role["Description"] == "SSO"
    stmt = role["AssumeRolePolicyDocument"]["Statement"][0]
    assert stmt["Principal"] == {"Service": "sso.amazonaws.com"}
    assert stmt["Action"] == "sts:AssumeRole"
    assert iam.get_role(RoleName="AWSServiceRoleForSSO")["Role"]["RoleId"] == role["RoleId"]

    org = iam.create_service_linked_role(AWSServiceName="organizations.amazonaws.com")["Role"]
    assert org["RoleName"] == "AWSServiceRoleForOrganizations"
    attached = iam.list_attached_role_policies(RoleName="AWSServiceRoleForOrganizations")["AttachedPolicies"]
    assert [p["PolicyName"] for p in attached] == ["AWSOrganizationsServiceTrustPolicy"]

    with pytest.raises(ClientError) as e:
        iam.create_service_linked_role(AWSServiceName="sso.amazonaws.com")
    assert error(e)["Code"] == "InvalidInput"
    assert error(e)["Message"] == (
        "Service role name AWSServiceRoleForSSO has been taken in this account, please try a different suffix."
    )
    assert status(e) == 400


def test_service_linked_role_custom_suffix(iam):
    role = iam.create_service_linked_role(AWSServiceName="autoscaling.amazonaws.com", CustomSuffix="web")["Role"]
    assert role["RoleName"] == "AWSServiceRoleForAutoScaling_web"
    with pytest.raises(ClientError) as e:
        iam.create_service_linked_role(AWSServiceName="es.amazonaws.com", CustomSuffix="x")
    assert error(e)["Code"] == "InvalidInput"
    assert error(e)["Message"] == "Custom suffix is not allowed for es.amazonaws.com"


def test_service_linked_roles_are_protected(iam):
    iam.create_service_linked_role(AWSServiceName="ecs.amazonaws.com")
    name = "AWSServiceRoleForECS"
    for call in (
        lambda: iam.delete_role(RoleName=name),
        lambda: iam.update_assume_role_policy(RoleName=name, PolicyDocument=TRUST_TEXT),
        lambda: iam.put_role_permissions_boundary(RoleName=name, PermissionsBoundary=ADMIN_ARN),
    ):
        with pytest.raises(ClientError) as e:
            call()
        assert error(e)["Code"] == "UnmodifiableEntity"
        assert name in error(e)["Message"]
    # the description may be edited
    iam.update_role_description(RoleName=name, Description="mine")


def test_delete_service_linked_role(iam):
    iam.create_service_linked_role(AWSServiceName="organizations.amazonaws.com")
    task = iam.delete_service_linked_role(RoleName="AWSServiceRoleForOrganizations")["DeletionTaskId"]
    assert re.match(
        r"^task/aws-service-role/organizations\.amazonaws\.com/AWSServiceRoleForOrganizations/"
        r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$",
        task,
    )
    assert iam.get_service_linked_role_deletion_status(DeletionTaskId=task)["Status"] == "SUCCEEDED"
    with pytest.raises(ClientError) as e:
        iam.get_role(RoleName="AWSServiceRoleForOrganizations")
    assert error(e)["Code"] == "NoSuchEntity"
    # the attached service policy went with it
    entities = iam.list_entities_for_policy(
        PolicyArn="arn:aws:iam::aws:policy/aws-service-role/AWSOrganizationsServiceTrustPolicy"
    )
    assert entities["PolicyRoles"] == []

    with pytest.raises(ClientError) as e:
        iam.delete_service_linked_role(RoleName="AWSServiceRoleForOrganizations")
    assert error(e)["Code"] == "NoSuchEntity"
    make_role(iam)
    with pytest.raises(ClientError) as e:
        iam.delete_service_linked_role(RoleName="app")
    assert error(e)["Code"] == "InvalidInput"
    with pytest.raises(ClientError) as e:
        iam.get_service_linked_role_deletion_status(
            DeletionTaskId="task/aws-service-role/x.amazonaws.com/AWSServiceRoleForX/00000000-0000-0000-0000-000000000000"
        )
    assert error(e)["Code"] == "NoSuchEntity"
    with pytest.raises(ClientError) as e:
        iam.get_service_linked_role_deletion_status(DeletionTaskId="bogus")
    assert error(e)["Code"] == "InvalidInput"


# --------------------------------------------------------------------------------------------
# Instance profiles
# --------------------------------------------------------------------------------------------


def test_instance_profile_lifecycle(iam):
    make_role(iam)
    prof = iam.create_instance_profile(
        InstanceProfileName="web", Path="/app/", Tags=[{"Key": "a", "Value": "b"}]
    )["InstanceProfile"]
    assert prof["InstanceProfileName"] == "web"
    assert prof["Path"] == "/app/"
    assert prof["Arn"] == f"arn:aws:iam::{ACCOUNT}:instance-profile/app/web"
    assert re.match(r"^AIPA[A-Z2-7]{17}$", prof["InstanceProfileId"])
    assert prof["Roles"] == []
    assert prof["Tags"] == [{"Key": "a", "Value": "b"}]

    with pytest.raises(ClientError) as e:
        iam.create_instance_profile(InstanceProfileName="WEB")
    assert error(e)["Code"] == "EntityAlreadyExists"
    assert error(e)["Message"] == "Instance Profile WEB already exists."

    iam.add_role_to_instance_profile(InstanceProfileName="web", RoleName="APP")
    got = iam.get_instance_profile(InstanceProfileName="web")["InstanceProfile"]
    assert [r["RoleName"] for r in got["Roles"]] == ["app"]
    assert got["Roles"][0]["AssumeRolePolicyDocument"] == TRUST

    make_role(iam, "second")
    with pytest.raises(ClientError) as e:
        iam.add_role_to_instance_profile(InstanceProfileName="web", RoleName="second")
    assert error(e)["Code"] == "LimitExceeded"
    assert error(e)["Message"] == "Cannot exceed quota for InstanceSessionsPerInstanceProfile: 1"
    assert status(e) == 409
    with pytest.raises(ClientError) as e:
        iam.add_role_to_instance_profile(InstanceProfileName="web", RoleName="ghost")
    assert error(e)["Code"] == "NoSuchEntity"

    for_role = iam.list_instance_profiles_for_role(RoleName="app")
    assert [p["InstanceProfileName"] for p in for_role["InstanceProfiles"]] == ["web"]
    assert iam.list_instance_profiles_for_role(RoleName="second")["InstanceProfiles"] == []
    with pytest.raises(ClientError) as e:
        iam.list_instance_profiles_for_role(RoleName="ghost")
    assert error(e)["Code"] == "NoSuchEntity"

    with pytest.raises(ClientError) as e:
        iam.delete_instance_profile(InstanceProfileName="web")
    assert error(e)["Code"] == "DeleteConflict"
    with pytest.raises(ClientError) as e:
        iam.remove_role_from_instance_profile(InstanceProfileName="web", RoleName="second")
    assert error(e)["Code"] == "NoSuchEntity"
    iam.remove_role_from_instance_profile(InstanceProfileName="web", RoleName="app")
    assert iam.get_instance_profile(InstanceProfileName="web")["InstanceProfile"]["Roles"] == []
    iam.delete_instance_profile(InstanceProfileName="web")
    with pytest.raises(ClientError) as e:
        iam.get_instance_profile(InstanceProfileName="web")
    assert error(e)["Code"] == "NoSuchEntity"
    assert error(e)["Message"] == "Instance Profile web cannot be found."
    with pytest.raises(ClientError) as e:
        iam.delete_instance_profile(InstanceProfileName="web")
    assert error(e)["Code"] == "NoSuchEntity"


def test_list_instance_profiles_pagination_and_path(iam):
    for i in range(4):
        iam.create_instance_profile(InstanceProfileName=f"p{i}", Path="/x/" if i < 2 else "/")
    all_ = iam.list_instance_profiles()
    assert [p["InstanceProfileName"] for p in all_["InstanceProfiles"]] == ["p0", "p1", "p2", "p3"]
    assert all_["IsTruncated"] is False
    assert [p["InstanceProfileName"] for p in iam.list_instance_profiles(PathPrefix="/x/")["InstanceProfiles"]] == [
        "p0",
        "p1",
    ]
    page = iam.list_instance_profiles(MaxItems=3)
    assert page["IsTruncated"] is True and len(page["InstanceProfiles"]) == 3
    rest = iam.list_instance_profiles(MaxItems=3, Marker=page["Marker"])
    assert [p["InstanceProfileName"] for p in rest["InstanceProfiles"]] == ["p3"]


def test_instance_profile_tags(iam):
    iam.create_instance_profile(InstanceProfileName="web")
    iam.tag_instance_profile(InstanceProfileName="web", Tags=[{"Key": "a", "Value": "1"}, {"Key": "b", "Value": "2"}])
    assert iam.list_instance_profile_tags(InstanceProfileName="web")["Tags"] == [
        {"Key": "a", "Value": "1"},
        {"Key": "b", "Value": "2"},
    ]
    page = iam.list_instance_profile_tags(InstanceProfileName="web", MaxItems=1)
    assert page["IsTruncated"] is True
    iam.untag_instance_profile(InstanceProfileName="web", TagKeys=["a"])
    assert iam.list_instance_profile_tags(InstanceProfileName="web")["Tags"] == [{"Key": "b", "Value": "2"}]
    with pytest.raises(ClientError) as e:
        iam.tag_instance_profile(InstanceProfileName="ghost", Tags=[{"Key": "a", "Value": "1"}])
    assert error(e)["Code"] == "NoSuchEntity"
    with pytest.raises(ClientError) as e:
        iam.untag_instance_profile(InstanceProfileName="ghost", TagKeys=["a"])
    assert error(e)["Code"] == "NoSuchEntity"


# --------------------------------------------------------------------------------------------
# Organizations: CreateAccount sets up OrganizationAccountAccessRole
# --------------------------------------------------------------------------------------------


def created_account_iam(server, orgs, email, **kw):
    resp = orgs.create_account(Email=email, AccountName="Member", **kw)["CreateAccountStatus"]
    st = orgs.describe_create_account_status(CreateAccountRequestId=resp["Id"])["CreateAccountStatus"]
    assert st["State"] == "SUCCEEDED"
    out = server.admin("/_localorg/complete-signup", {"AccountId": st["AccountId"]})
    return st["AccountId"], server.client("iam", key=(out["AccessKeyId"], out["SecretAccessKey"]))


def test_create_account_creates_organization_access_role(server, orgs):
    orgs.create_organization(FeatureSet="ALL")
    account_id, member_iam = created_account_iam(server, orgs, "member@example.com")
    role = member_iam.get_role(RoleName="OrganizationAccountAccessRole")["Role"]
    assert role["Arn"] == f"arn:aws:iam::{account_id}:role/OrganizationAccountAccessRole"
    assert role["Path"] == "/"
    assert role["MaxSessionDuration"] == 3600
    assert role["AssumeRolePolicyDocument"] == {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"}, "Action": "sts:AssumeRole"}
        ],
    }
    attached = member_iam.list_attached_role_policies(RoleName="OrganizationAccountAccessRole")
    assert attached["AttachedPolicies"] == [{"PolicyName": "AdministratorAccess", "PolicyArn": ADMIN_ARN}]
    # the management account itself has no such role
    with pytest.raises(ClientError) as e:
        server.client("iam").get_role(RoleName="OrganizationAccountAccessRole")
    assert error(e)["Code"] == "NoSuchEntity"


def test_create_account_with_custom_role_name(server, orgs):
    orgs.create_organization(FeatureSet="ALL")
    _, member_iam = created_account_iam(server, orgs, "custom@example.com", RoleName="OrgAdmin")
    assert [r["RoleName"] for r in member_iam.list_roles()["Roles"]] == ["OrgAdmin"]
    entities = member_iam.list_entities_for_policy(PolicyArn=ADMIN_ARN)
    assert [r["RoleName"] for r in entities["PolicyRoles"]] == ["OrgAdmin"]


# --------------------------------------------------------------------------------------------
# aws CLI
# --------------------------------------------------------------------------------------------


def test_cli_role_round_trip(server):
    out = aws_cli(
        server,
        "iam",
        "create-role",
        "--role-name",
        "cli-role",
        "--assume-role-policy-document",
        TRUST_TEXT,
        "--max-session-duration",
        "7200",
    )
    assert out["Role"]["RoleName"] == "cli-role"
    got = aws_cli(server, "iam", "get-role", "--role-name", "cli-role")
    assert got["Role"]["MaxSessionDuration"] == 7200
    assert got["Role"]["AssumeRolePolicyDocument"] == TRUST
    listed = aws_cli(server, "iam", "list-roles")
    assert [r["RoleName"] for r in listed["Roles"]] == ["cli-role"]
    proc = aws_cli(server, "iam", "get-role", "--role-name", "nope", check=False)
    assert proc.returncode != 0
    assert "NoSuchEntity" in proc.stderr


def test_cli_instance_profile(server):
    out = aws_cli(server, "iam", "create-instance-profile", "--instance-profile-name", "ip", "--path", "/cli/")
    assert out["InstanceProfile"]["Arn"] == f"arn:aws:iam::{ACCOUNT}:instance-profile/cli/ip"
    out = aws_cli(server, "iam", "list-instance-profiles", "--path-prefix", "/cli/")
    assert [p["InstanceProfileName"] for p in out["InstanceProfiles"]] == ["ip"]
