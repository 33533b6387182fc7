"""IAM account-wide operations: account alias, password policy, GetAccountSummary, the credential
report, GetAccountAuthorizationDetails, and centralized root access for organizations."""
import csv
import io
import json
from datetime import datetime

import pytest
from botocore.exceptions import ClientError

from conftest import aws_cli, signup

ACCOUNT = "000000000000"
ADMIN_ARN = "arn:aws:iam::aws:policy/AdministratorAccess"
READONLY_ARN = "arn:aws:iam::aws:policy/ReadOnlyAccess"
TRUST = {
    "Version": "2012-10-17",
    "Statement": [
        {"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"}, "Action": "sts:AssumeRole"}
    ],
}
S3_POLICY = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}


def error(excinfo):
    return excinfo.value.response["Error"]


def status(excinfo):
    return excinfo.value.response["ResponseMetadata"]["HTTPStatusCode"]


@pytest.fixture
def iam(server):
    return server.client("iam")


# --------------------------------------------------------------------------------------------
# Account alias
# --------------------------------------------------------------------------------------------


def test_account_alias_lifecycle(iam):
    assert iam.list_account_aliases()["AccountAliases"] == []
    iam.create_account_alias(AccountAlias="my-company")
    out = iam.list_account_aliases()
    assert out["AccountAliases"] == ["my-company"]
    assert out["IsTruncated"] is False
    iam.create_account_alias(AccountAlias="my-company")  # same alias again: no change
    # an account has one alias: a new one replaces the old
    iam.create_account_alias(AccountAlias="renamed-co")
    assert iam.list_account_aliases()["AccountAliases"] == ["renamed-co"]

    with pytest.raises(ClientError) as e:
        iam.delete_account_alias(AccountAlias="my-company")
    assert error(e)["Code"] == "NoSuchEntity"
    assert status(e) == 404
    iam.delete_account_alias(AccountAlias="renamed-co")
    assert iam.list_account_aliases()["AccountAliases"] == []


def test_account_alias_is_unique_across_the_partition(server, iam):
    iam.create_account_alias(AccountAlias="taken-alias")
    _, key = signup(server, "other@example.com", "Other")
    other = server.client("iam", key=key)
    with pytest.raises(ClientError) as e:
        other.create_account_alias(AccountAlias="taken-alias")
    assert error(e)["Code"] == "EntityAlreadyExists"
    assert error(e)["Message"] == "The account alias taken-alias already exists."
    assert status(e) == 409
    # the old alias is free again once replaced
    iam.create_account_alias(AccountAlias="new-alias")
    other.create_account_alias(AccountAlias="taken-alias")
    assert other.list_account_aliases()["AccountAliases"] == ["taken-alias"]


@pytest.mark.parametrize("alias", ["Bad_Alias", "-leading", "trailing-", "double--dash"])
def test_account_alias_validation(iam, alias):
    with pytest.raises(ClientError) as e:
        iam.create_account_alias(AccountAlias=alias)
    assert error(e)["Code"] == "ValidationError"
    assert status(e) == 400
    assert iam.list_account_aliases()["AccountAliases"] == []


# --------------------------------------------------------------------------------------------
# Password policy
# --------------------------------------------------------------------------------------------


def test_password_policy_lifecycle(iam):
    with pytest.raises(ClientError) as e:
        iam.get_account_password_policy()
    assert error(e)["Code"] == "NoSuchEntity"
    assert error(e)["Message"] == f"The Password Policy with domain name {ACCOUNT} cannot be found."
    assert status(e) == 404

    iam.update_account_password_policy(
        MinimumPasswordLength=12, RequireSymbols=True, MaxPasswordAge=90, PasswordReusePrevention=5
    )
    policy = iam.get_account_password_policy()["PasswordPolicy"]
    assert policy["MinimumPasswordLength"] == 12
    assert policy["RequireSymbols"] is True
    assert policy["RequireNumbers"] is False
    assert policy["RequireUppercaseCharacters"] is False
    assert policy["RequireLowercaseCharacters"] is False
    assert policy["AllowUsersToChangePassword"] is False
    assert policy["ExpirePasswords"] is True
    assert policy["MaxPasswordAge"] == 90
    assert policy["PasswordReusePrevention"] == 5

    # no partial updates: what is not given reverts to the default
    iam.update_account_password_policy(RequireNumbers=True)
    policy = iam.get_account_password_policy()["PasswordPolicy"]
    assert policy["MinimumPasswordLength"] == 6
    assert policy["RequireNumbers"] is True
    assert policy["RequireSymbols"] is False
    assert policy["ExpirePasswords"] is False
    assert "MaxPasswordAge" not in policy
    assert "PasswordReusePrevention" not in policy

    iam.delete_account_password_policy()
    with pytest.raises(ClientError) as e:
        iam.get_account_password_policy()
    assert error(e)["Code"] == "NoSuchEntity"
    with pytest.raises(ClientError) as e:
        iam.delete_account_password_policy()
    assert error(e)["Code"] == "NoSuchEntity"


def test_password_policy_bounds(server):
    raw = server.client("iam", parameter_validation=False)
    with pytest.raises(ClientError) as e:
        raw.update_account_password_policy(MinimumPasswordLength=5)
    assert error(e)["Code"] == "ValidationError"


# --------------------------------------------------------------------------------------------
# GetAccountSummary
# --------------------------------------------------------------------------------------------


def test_account_summary_counts(iam):
    summary = iam.get_account_summary()["SummaryMap"]
    assert summary["Users"] == 0
    assert summary["Roles"] == 0
    assert summary["AccountAccessKeysPresent"] == 1  # the default account's test/test root key
    assert summary["AccountMFAEnabled"] == 0
    for key, value in {
        "UsersQuota": 5000,
        "GroupsQuota": 300,
        "RolesQuota": 1000,
        "PoliciesQuota": 1500,
        "AccessKeysPerUserQuota": 2,
        "GroupsPerUserQuota": 10,
        "VersionsPerPolicyQuota": 5,
        "AttachedPoliciesPerUserQuota": 10,
        "PolicySizeQuota": 6144,
        "AssumeRolePolicySizeQuota": 2048,
    }.items():
        assert summary[key] == value, key

    iam.create_user(UserName="alice")
    iam.create_user(UserName="bob")
    iam.create_group(GroupName="devs")
    iam.create_role(RoleName="r", AssumeRolePolicyDocument=json.dumps(TRUST))
    iam.create_policy(PolicyName="p", PolicyDocument=json.dumps(S3_POLICY))
    iam.create_instance_profile(InstanceProfileName="ip")
    summary = iam.get_account_summary()["SummaryMap"]
    assert summary["Users"] == 2
    assert summary["Groups"] == 1
    assert summary["Roles"] == 1
    assert summary["Policies"] == 1
    assert summary["PolicyVersionsInUse"] == 1
    assert summary["InstanceProfiles"] == 1


# --------------------------------------------------------------------------------------------
# Credential report
# --------------------------------------------------------------------------------------------


def test_credential_report_not_present(iam):
    with pytest.raises(ClientError) as e:
        iam.get_credential_report()
    assert error(e)["Code"] == "ReportNotPresent"
    assert status(e) == 410


def test_credential_report(iam):
    iam.create_user(UserName="alice", Path="/eng/")
    iam.create_login_profile(UserName="alice", Password="Sup3r-secret-pw!")
    iam.create_access_key(UserName="alice")
    inactive = iam.create_access_key(UserName="alice")["AccessKey"]["AccessKeyId"]
    iam.update_access_key(UserName="alice", AccessKeyId=inactive, Status="Inactive")
    iam.create_user(UserName="bob")

    first = iam.generate_credential_report()
    assert first["State"] == "STARTED"
    assert first["Description"] == "No report exists. Starting a new report generation task"
    assert iam.generate_credential_report()["State"] == "COMPLETE"

    report = iam.get_credential_report()
    assert report["ReportFormat"] == "text/csv"
    assert isinstance(report["GeneratedTime"], datetime)
    rows = list(csv.DictReader(io.StringIO(report["Content"].decode())))
    header = report["Content"].decode().splitlines()[0].split(",")
    assert header[:8] == [
        "user",
        "arn",
        "user_creation_time",
        "password_enabled",
        "password_last_used",
        "password_last_changed",
        "password_next_rotation",
        "mfa_active",
    ]
    assert header[-4:] == ["cert_1_active", "cert_1_last_rotated", "cert_2_active", "cert_2_last_rotated"]
    assert len(header) == 22
    assert [r["user"] for r in rows] == ["<root_account>", "alice", "bob"]

    root = rows[0]
    assert root["arn"] == f"arn:aws:iam::{ACCOUNT}:root"
    assert root["password_enabled"] == "not_supported"
    assert root["access_key_1_active"] == "true"  # test/test
    assert root["mfa_active"] == "false"

    alice = rows[1]
    assert alice["arn"] == f"arn:aws:iam::{ACCOUNT}:user/eng/alice"
    assert alice["password_enabled"] == "true"
    assert alice["password_last_changed"].endswith("+00:00")
    assert alice["access_key_1_active"] == "true"
    assert alice["access_key_2_active"] == "false"
    assert alice["access_key_2_last_rotated"].endswith("+00:00")
    assert alice["cert_1_active"] == "false"

    bob = rows[2]
    assert bob["password_enabled"] == "false"
    assert bob["password_last_changed"] == "N/A"
    assert bob["access_key_1_active"] == "false"
    assert bob["access_key_1_last_rotated"] == "N/A"

    # the report is a snapshot: later users are not in it until a new one is generated
    iam.create_user(UserName="carol")
    rows = list(csv.DictReader(io.StringIO(iam.get_credential_report()["Content"].decode())))
    assert [r["user"] for r in rows] == ["<root_account>", "alice", "bob"]


# --------------------------------------------------------------------------------------------
# GetAccountAuthorizationDetails
# --------------------------------------------------------------------------------------------


def populate(iam):
    iam.create_user(UserName="alice", Tags=[{"Key": "team", "Value": "eng"}])
    iam.create_group(GroupName="devs")
    iam.add_user_to_group(GroupName="devs", UserName="alice")
    iam.attach_user_policy(UserName="alice", PolicyArn=READONLY_ARN)
    iam.put_user_policy(UserName="alice", PolicyName="s3", PolicyDocument=json.dumps(S3_POLICY))
    iam.put_group_policy(GroupName="devs", PolicyName="gs3", PolicyDocument=json.dumps(S3_POLICY))
    policy = iam.create_policy(PolicyName="custom", PolicyDocument=json.dumps(S3_POLICY))["Policy"]
    iam.create_policy_version(PolicyArn=policy["Arn"], PolicyDocument=json.dumps(S3_POLICY), SetAsDefault=True)
    iam.attach_group_policy(GroupName="devs", PolicyArn=policy["Arn"])
    iam.create_role(RoleName="admin", AssumeRolePolicyDocument=json.dumps(TRUST))
    iam.attach_role_policy(RoleName="admin", PolicyArn=ADMIN_ARN)
    iam.put_role_permissions_boundary(RoleName="admin", PermissionsBoundary=policy["Arn"])
    iam.create_instance_profile(InstanceProfileName="admin-ip")
    iam.add_role_to_instance_profile(InstanceProfileName="admin-ip", RoleName="admin")
    return policy


def test_account_authorization_details(iam):
    policy = populate(iam)
    out = iam.get_account_authorization_details()
    assert out["IsTruncated"] is False

    [user] = out["UserDetailList"]
    assert user["UserName"] == "alice"
    assert user["Arn"] == f"arn:aws:iam::{ACCOUNT}:user/alice"
    assert user["GroupList"] == ["devs"]
    assert user["AttachedManagedPolicies"] == [{"PolicyName": "ReadOnlyAccess", "PolicyArn": READONLY_ARN}]
    assert user["UserPolicyList"] == [{"PolicyName": "s3", "PolicyDocument": S3_POLICY}]
    assert user["Tags"] == [{"Key": "team", "Value": "eng"}]

    [group] = out["GroupDetailList"]
    assert group["GroupName"] == "devs"
    assert group["GroupPolicyList"] == [{"PolicyName": "gs3", "PolicyDocument": S3_POLICY}]
    assert group["AttachedManagedPolicies"] == [{"PolicyName": "custom", "PolicyArn": policy["Arn"]}]

    [role] = out["RoleDetailList"]
    assert role["RoleName"] == "admin"
    assert role["AssumeRolePolicyDocument"] == TRUST
    assert role["AttachedManagedPolicies"] == [{"PolicyName": "AdministratorAccess", "PolicyArn": ADMIN_ARN}]
    assert role["RolePolicyList"] == []
    assert role["PermissionsBoundary"]["PermissionsBoundaryArn"] == policy["Arn"]
    [profile] = role["InstanceProfileList"]
    assert profile["InstanceProfileName"] == "admin-ip"
    assert [r["RoleName"] for r in profile["Roles"]] == ["admin"]

    policies = {p["PolicyName"]: p for p in out["Policies"]}
    # the customer policy and the AWS managed policies in use (not the whole catalogue)
    assert set(policies) == {"custom", "ReadOnlyAccess", "AdministratorAccess"}
    custom = policies["custom"]
    assert custom["Arn"] == policy["Arn"]
    assert custom["DefaultVersionId"] == "v2"
    assert custom["AttachmentCount"] == 1
    assert custom["PermissionsBoundaryUsageCount"] == 1
    assert custom["IsAttachable"] is True
    versions = {v["VersionId"]: v for v in custom["PolicyVersionList"]}
    assert set(versions) == {"v1", "v2"}
    assert versions["v2"]["IsDefaultVersion"] is True and versions["v1"]["IsDefaultVersion"] is False
    assert versions["v1"]["Document"] == S3_POLICY
    admin = policies["AdministratorAccess"]
    assert admin["AttachmentCount"] == 1
    assert admin["PolicyVersionList"][0]["IsDefaultVersion"] is True
    assert admin["PolicyVersionList"][0]["Document"]["Statement"]


def test_account_authorization_details_filter(iam):
    populate(iam)
    out = iam.get_account_authorization_details(Filter=["Role"])
    assert [r["RoleName"] for r in out["RoleDetailList"]] == ["admin"]
    assert out["UserDetailList"] == [] and out["GroupDetailList"] == [] and out["Policies"] == []
    out = iam.get_account_authorization_details(Filter=["LocalManagedPolicy"])
    assert [p["PolicyName"] for p in out["Policies"]] == ["custom"]
    out = iam.get_account_authorization_details(Filter=["AWSManagedPolicy", "User"])
    assert [u["UserName"] for u in out["UserDetailList"]] == ["alice"]
    assert sorted(p["PolicyName"] for p in out["Policies"]) == ["AdministratorAccess", "ReadOnlyAccess"]


def test_account_authorization_details_pagination(iam):
    populate(iam)
    full = iam.get_account_authorization_details()
    total = sum(len(full[k]) for k in ("UserDetailList", "GroupDetailList", "RoleDetailList", "Policies"))
    assert total == 6
    seen = []
    marker = None
    pages = 0
    while True:
        kw = {"MaxItems": 2}
        if marker:
            kw["Marker"] = marker
        page = iam.get_account_authorization_details(**kw)
        pages += 1
        items = (
            [("user", u["UserName"]) for u in page["UserDetailList"]]
            + [("group", g["GroupName"]) for g in page["GroupDetailList"]]
            + [("role", r["RoleName"]) for r in page["RoleDetailList"]]
            + [("policy", p["PolicyName"]) for p in page["Policies"]]
        )
        assert len(items) <= 2
        seen += items
        if not page["IsTruncated"]:
            break
        marker = page["Marker"]
    assert pages == 3
    assert seen[:3] == [("user", "alice"), ("group", "devs"), ("role", "admin")]
    assert len(seen) == 6 and len(set(seen)) == 6


# --------------------------------------------------------------------------------------------
# Centralized root access
# --------------------------------------------------------------------------------------------


def test_root_access_requires_an_organization(iam):
    with pytest.raises(ClientError) as e:
        iam.enable_organizations_root_credentials_management()
    assert error(e)["Code"] == "OrganizationNotFoundException"
    assert status(e) == 400
    with pytest.raises(ClientError) as e:
        iam.list_organizations_features()
    assert error(e)["Code"] == "OrganizationNotFoundException"


def test_root_access_requires_all_features(orgs, iam):
    orgs.create_organization(FeatureSet="CONSOLIDATED_BILLING")
    with pytest.raises(ClientError) as e:
        iam.enable_organizations_root_sessions()
    assert error(e)["Code"] == "OrganizationNotInAllFeaturesModeException"


def test_root_access_requires_trusted_access(orgs, iam):
    orgs.create_organization(FeatureSet="ALL")
    with pytest.raises(ClientError) as e:
        iam.enable_organizations_root_credentials_management()
    assert error(e)["Code"] == "ServiceAccessNotEnabledException"
    with pytest.raises(ClientError) as e:
        iam.list_organizations_features()
    assert error(e)["Code"] == "ServiceAccessNotEnabledException"


def test_root_access_features(server, orgs, iam):
    org = orgs.create_organization(FeatureSet="ALL")["Organization"]
    orgs.enable_aws_service_access(ServicePrincipal="iam.amazonaws.com")
    listed = iam.list_organizations_features()
    assert listed["OrganizationId"] == org["Id"]
    assert listed.get("EnabledFeatures", []) == []

    out = iam.enable_organizations_root_sessions()
    assert out["OrganizationId"] == org["Id"]
    assert out["EnabledFeatures"] == ["RootSessions"]
    out = iam.enable_organizations_root_credentials_management()
    assert out["EnabledFeatures"] == ["RootCredentialsManagement", "RootSessions"]
    assert iam.enable_organizations_root_sessions()["EnabledFeatures"] == [
        "RootCredentialsManagement",
        "RootSessions",
    ]  # idempotent
    assert iam.list_organizations_features()["EnabledFeatures"] == ["RootCredentialsManagement", "RootSessions"]

    out = iam.disable_organizations_root_sessions()
    assert out["EnabledFeatures"] == ["RootCredentialsManagement"]
    out = iam.disable_organizations_root_credentials_management()
    assert out.get("EnabledFeatures", []) == []
    assert iam.list_organizations_features().get("EnabledFeatures", []) == []

    # a member account may not
    resp = orgs.create_account(Email="m@example.com", AccountName="m")["CreateAccountStatus"]
    account_id = orgs.describe_create_account_status(CreateAccountRequestId=resp["Id"])["CreateAccountStatus"][
        "AccountId"
    ]
    keys = server.admin("/_localorg/complete-signup", {"AccountId": account_id})
    member = server.client("iam", key=(keys["AccessKeyId"], keys["SecretAccessKey"]))
    with pytest.raises(ClientError) as e:
        member.enable_organizations_root_sessions()
    assert error(e)["Code"] == "CallerIsNotManagementAccountException"
    with pytest.raises(ClientError) as e:
        member.list_organizations_features()
    assert error(e)["Code"] == "AccountNotManagementOrDelegatedAdministratorException"


# --------------------------------------------------------------------------------------------
# aws CLI
# --------------------------------------------------------------------------------------------


def test_cli_account_alias_and_summary(server):
    aws_cli(server, "iam", "create-account-alias", "--account-alias", "cli-alias")
    assert aws_cli(server, "iam", "list-account-aliases")["AccountAliases"] == ["cli-alias"]
    summary = aws_cli(server, "iam", "get-account-summary")["SummaryMap"]
    assert summary["UsersQuota"] == 5000
