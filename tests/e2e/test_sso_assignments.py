"""IAM Identity Center (sso-admin): account assignments and the provisioning of permission sets into
member accounts as IAM roles.

Covered: CreateAccountAssignment, DescribeAccountAssignmentCreationStatus,
ListAccountAssignmentCreationStatus, DeleteAccountAssignment, DescribeAccountAssignmentDeletionStatus,
ListAccountAssignmentDeletionStatus, ListAccountAssignments, ListAccountAssignmentsForPrincipal,
ListPermissionSetsProvisionedToAccount, ListAccountsForProvisionedPermissionSet,
ProvisionPermissionSet, DescribePermissionSetProvisioningStatus, ListPermissionSetProvisioningStatus;
the reserved role each provisioned permission set becomes in a member account, read through that
account's own IAM; and IAM's refusal to let anyone but Identity Center change that role.

Written as an oracle of AWS behaviour, from the botocore 1.44.5 model, the IAM Identity Center API
reference and user guide, and what clients logged or exported from real accounts:
- assignment and provisioning calls are asynchronous: a request id and a status of IN_PROGRESS,
  FAILED or SUCCEEDED, with a FailureReason on failure (API reference; Terraform's waiters);
  localorg finishes the work inside the call, so the first Describe sees the outcome;
- "As part of a successful CreateAccountAssignment call, the specified permission set will
  automatically be provisioned to the account ... If the permission set is subsequently updated, the
  corresponding IAM policies attached to roles in your accounts will not be updated automatically. In
  this case, you must call ProvisionPermissionSet" (API reference, CreateAccountAssignment);
  ListAccountsForProvisionedPermissionSet with LATEST_PERMISSION_SET_NOT_PROVISIONED shows such
  accounts (hashicorp/terraform-provider-aws#15808, tested against AWS);
- the role: named `AWSReservedSSO_<permission set>_<16 hex>` under the path
  `/aws-reserved/sso.amazonaws.com/` (rebuy-de/aws-nuke#1028 and exported roles), trusting
  `arn:aws:iam::<account>:saml-provider/AWSSSO_<16 hex>_DO_NOT_DELETE` for `sts:AssumeRoleWithSAML`
  and `sts:TagSession` on the condition `SAML:aud = https://signin.aws.amazon.com/saml`, with
  MaxSessionDuration 43200 (Terraform exports of real accounts); the permission set's inline policy
  is the role policy `AwsSSOInlinePolicy` (aws-samples/bulk-policy-migrator-scripts-for-account-cost-
  billing-consoles#9); "IAM Identity Center automatically creates IAM roles in each assigned account
  for each permission set, and configures these roles with a maximum session duration of 12 hours"
  (user guide, "Set session duration");
- tags "can only be applied to permission sets and cannot be applied to corresponding roles that IAM
  Identity Center creates in AWS accounts" (boto3 reference, CreatePermissionSet Tags);
- IAM refuses changes to the role: `UnmodifiableEntity: Cannot perform the operation on the protected
  role 'AWSReservedSSO_...' - this role is only modifiable by AWS`, status 400 (aws-nuke#441,
  perkbox/cloud-access-bot#11); the IAM model lists UnmodifiableEntity for DeleteRole,
  UpdateAssumeRolePolicy, PutRolePolicy, DeleteRolePolicy, AttachRolePolicy, DetachRolePolicy,
  PutRolePermissionsBoundary, DeleteRolePermissionsBoundary and UpdateRole;
- a permission set with assignments cannot be deleted: ConflictException
  (hashicorp/terraform-provider-aws#26757);
- a customer managed policy reference must match a policy "in each AWS account where you want to
  deploy your permission set" (API reference); provisioning fails with FAILED otherwise
  (aws-samples/aws-iam-identity-center-pipeline#5);
- ProvisionPermissionSet(ALL_PROVISIONED_ACCOUNTS) succeeds on any permission set: Terraform calls it
  after every change, assigned or not, and waits for SUCCEEDED.
"""
import json
import re
import urllib.parse
from datetime import datetime
from types import SimpleNamespace

import pytest
from botocore.exceptions import ClientError

from conftest import signup

MGMT = "000000000000"
UUID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
ROLE_PATH = "/aws-reserved/sso.amazonaws.com/"
SAML_PROVIDER_RE = re.compile(r"^arn:aws:iam::(\d{12}):saml-provider/AWSSSO_[0-9a-f]{16}_DO_NOT_DELETE$")
READ_ONLY = "arn:aws:iam::aws:policy/ReadOnlyAccess"
POWER_USER = "arn:aws:iam::aws:policy/PowerUserAccess"
SECURITY_AUDIT = "arn:aws:iam::aws:policy/SecurityAudit"
MISSING_PRINCIPAL = "a1b2c3d4-5678-90ab-cdef-000000000000"  # well formed, never issued
NOT_FOUND_OR_INVALID = ("ResourceNotFoundException", "ValidationException")
OUTDATED = "LATEST_PERMISSION_SET_NOT_PROVISIONED"
CURRENT = "LATEST_PERMISSION_SET_PROVISIONED"

S3_READ = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Action": ["s3:GetObject", "s3:ListBucket"], "Resource": "*"}],
}
EC2_DESCRIBE = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Action": "ec2:Describe*", "Resource": "*"}],
}
TRUST_TEXT = json.dumps({
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{MGMT}:root"},
                   "Action": "sts:AssumeRole"}],
})


# --------------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------------


def error_of(fn, **kwargs):
    """Calls fn, which must fail; returns the parsed error response."""
    with pytest.raises(ClientError) as e:
        fn(**kwargs)
    return e.value.response


def assert_error(resp, codes, status=400):
    codes = (codes,) if isinstance(codes, str) else tuple(codes)
    assert resp["Error"]["Code"] in codes, resp
    assert resp["ResponseMetadata"]["HTTPStatusCode"] == status, resp


def as_doc(document):
    """A policy document from IAM as a dict (botocore decodes most; tolerate the raw form)."""
    if isinstance(document, dict):
        return document
    return json.loads(urllib.parse.unquote(document))


def as_list(value):
    return value if isinstance(value, list) else [value]


def create_member_account(server, orgs, email, name):
    status = orgs.create_account(Email=email, AccountName=name)["CreateAccountStatus"]
    account_id = orgs.describe_create_account_status(CreateAccountRequestId=status["Id"])[
        "CreateAccountStatus"
    ]["AccountId"]
    out = server.admin("/_localorg/complete-signup", {"AccountId": account_id})
    return account_id, (out["AccessKeyId"], out["SecretAccessKey"])


class Env(SimpleNamespace):
    """The organization, its Identity Center instance, two member accounts and two principals."""

    # -- permission sets ----------------------------------------------------------------------

    def permission_set(self, name, managed=(), inline=None, **kw):
        arn = self.sso.create_permission_set(InstanceArn=self.arn, Name=name, **kw)[
            "PermissionSet"]["PermissionSetArn"]
        for policy in managed:
            self.attach(arn, policy)
        if inline is not None:
            self.put_inline(arn, inline)
        return arn

    def attach(self, ps, policy):
        self.sso.attach_managed_policy_to_permission_set(
            InstanceArn=self.arn, PermissionSetArn=ps, ManagedPolicyArn=policy)

    def detach(self, ps, policy):
        self.sso.detach_managed_policy_from_permission_set(
            InstanceArn=self.arn, PermissionSetArn=ps, ManagedPolicyArn=policy)

    def reference(self, ps, name, path=None):
        ref = {"Name": name, **({"Path": path} if path else {})}
        self.sso.attach_customer_managed_policy_reference_to_permission_set(
            InstanceArn=self.arn, PermissionSetArn=ps, CustomerManagedPolicyReference=ref)

    def put_inline(self, ps, document):
        self.sso.put_inline_policy_to_permission_set(
            InstanceArn=self.arn, PermissionSetArn=ps, InlinePolicy=json.dumps(document))

    # -- assignments --------------------------------------------------------------------------

    def assign(self, ps, account, principal, principal_type="USER"):
        """CreateAccountAssignment; returns (the call's status, the described status)."""
        out = self.sso.create_account_assignment(
            InstanceArn=self.arn, TargetId=account, TargetType="AWS_ACCOUNT", PermissionSetArn=ps,
            PrincipalType=principal_type, PrincipalId=principal,
        )["AccountAssignmentCreationStatus"]
        described = self.sso.describe_account_assignment_creation_status(
            InstanceArn=self.arn, AccountAssignmentCreationRequestId=out["RequestId"],
        )["AccountAssignmentCreationStatus"]
        return out, described

    def unassign(self, ps, account, principal, principal_type="USER"):
        """DeleteAccountAssignment; returns (the call's status, the described status)."""
        out = self.sso.delete_account_assignment(
            InstanceArn=self.arn, TargetId=account, TargetType="AWS_ACCOUNT", PermissionSetArn=ps,
            PrincipalType=principal_type, PrincipalId=principal,
        )["AccountAssignmentDeletionStatus"]
        described = self.sso.describe_account_assignment_deletion_status(
            InstanceArn=self.arn, AccountAssignmentDeletionRequestId=out["RequestId"],
        )["AccountAssignmentDeletionStatus"]
        return out, described

    def provision(self, ps, account=None):
        """ProvisionPermissionSet to one account or to all provisioned ones; returns (the call's
        status, the described status)."""
        target = ({"TargetType": "AWS_ACCOUNT", "TargetId": account} if account
                  else {"TargetType": "ALL_PROVISIONED_ACCOUNTS"})
        out = self.sso.provision_permission_set(
            InstanceArn=self.arn, PermissionSetArn=ps, **target)["PermissionSetProvisioningStatus"]
        described = self.sso.describe_permission_set_provisioning_status(
            InstanceArn=self.arn, ProvisionPermissionSetRequestId=out["RequestId"],
        )["PermissionSetProvisioningStatus"]
        return out, described

    def accounts_of(self, ps, status=None):
        kw = {"ProvisioningStatus": status} if status else {}
        return sorted(self.sso.list_accounts_for_provisioned_permission_set(
            InstanceArn=self.arn, PermissionSetArn=ps, **kw)["AccountIds"])

    def sets_in(self, account, status=None):
        kw = {"ProvisioningStatus": status} if status else {}
        return sorted(self.sso.list_permission_sets_provisioned_to_account(
            InstanceArn=self.arn, AccountId=account, **kw)["PermissionSets"])

    # -- the member accounts' IAM -------------------------------------------------------------

    def iam(self, account):
        return self.server.client("iam", key=self.keys[account])

    def reserved_roles(self, account):
        return self.iam(account).list_roles(PathPrefix=ROLE_PATH)["Roles"]

    def role(self, account, ps_name):
        """The one reserved role of the permission set in the account (GetRole view)."""
        pattern = re.compile(rf"^AWSReservedSSO_{re.escape(ps_name)}_[0-9a-f]{{16}}$")
        names = [r["RoleName"] for r in self.reserved_roles(account) if pattern.match(r["RoleName"])]
        assert len(names) == 1, (ps_name, [r["RoleName"] for r in self.reserved_roles(account)])
        return self.iam(account).get_role(RoleName=names[0])["Role"]

    def attached(self, account, role_name):
        out = self.iam(account).list_attached_role_policies(RoleName=role_name)["AttachedPolicies"]
        return sorted(p["PolicyArn"] for p in out)

    def inline_policies(self, account, role_name):
        return self.iam(account).list_role_policies(RoleName=role_name)["PolicyNames"]

    def inline_document(self, account, role_name):
        out = self.iam(account).get_role_policy(RoleName=role_name, PolicyName="AwsSSOInlinePolicy")
        return as_doc(out["PolicyDocument"])


@pytest.fixture
def env(server):
    orgs = server.client("organizations")
    orgs.create_organization(FeatureSet="ALL")
    a, key_a = create_member_account(server, orgs, "alpha@example.com", "alpha")
    b, key_b = create_member_account(server, orgs, "beta@example.com", "beta")
    sso = server.client("sso-admin")
    arn = sso.create_instance(Name="org")["InstanceArn"]
    store = sso.describe_instance(InstanceArn=arn)["IdentityStoreId"]
    ids = server.client("identitystore")
    user = ids.create_user(IdentityStoreId=store, UserName="ana", DisplayName="Ana Diaz",
                           Name={"GivenName": "Ana", "FamilyName": "Diaz"})["UserId"]
    other = ids.create_user(IdentityStoreId=store, UserName="bo", DisplayName="Bo Berg",
                            Name={"GivenName": "Bo", "FamilyName": "Berg"})["UserId"]
    group = ids.create_group(IdentityStoreId=store, DisplayName="engineers")["GroupId"]
    return Env(server=server, orgs=orgs, sso=sso, arn=arn, store=store, ids=ids,
               a=a, b=b, keys={a: key_a, b: key_b}, user=user, other=other, group=group)


# --------------------------------------------------------------------------------------------
# Assignments and their statuses
# --------------------------------------------------------------------------------------------


def test_create_account_assignment_reports_in_progress_then_succeeded(env):
    ps = env.permission_set("Readers", managed=[READ_ONLY])
    out, described = env.assign(ps, env.a, env.user)
    assert out["Status"] == "IN_PROGRESS"
    assert UUID_RE.match(out["RequestId"])
    assert out["TargetId"] == env.a
    assert out["TargetType"] == "AWS_ACCOUNT"
    assert out["PermissionSetArn"] == ps
    assert out["PrincipalType"] == "USER"
    assert out["PrincipalId"] == env.user
    assert described["Status"] == "SUCCEEDED"
    assert described["RequestId"] == out["RequestId"]
    for field in ("TargetId", "TargetType", "PermissionSetArn", "PrincipalType", "PrincipalId"):
        assert described[field] == out[field], field
    assert isinstance(described["CreatedDate"], datetime)
    assert "FailureReason" not in described


def test_list_account_assignments_of_an_account_and_permission_set(env):
    ps = env.permission_set("Readers", managed=[READ_ONLY])
    other_ps = env.permission_set("Auditors", managed=[SECURITY_AUDIT])
    env.assign(ps, env.a, env.user)
    env.assign(ps, env.a, env.group, "GROUP")
    env.assign(ps, env.b, env.other)
    env.assign(other_ps, env.a, env.other)
    listed = env.sso.list_account_assignments(InstanceArn=env.arn, AccountId=env.a,
                                              PermissionSetArn=ps)["AccountAssignments"]
    key = lambda x: (x["PrincipalType"], x["PrincipalId"])  # noqa: E731
    assert sorted(listed, key=key) == sorted([
        {"AccountId": env.a, "PermissionSetArn": ps, "PrincipalType": "USER", "PrincipalId": env.user},
        {"AccountId": env.a, "PermissionSetArn": ps, "PrincipalType": "GROUP", "PrincipalId": env.group},
    ], key=key)
    assert env.sso.list_account_assignments(InstanceArn=env.arn, AccountId=env.b,
                                            PermissionSetArn=other_ps)["AccountAssignments"] == []


def test_list_account_assignments_for_principal(env):
    readers = env.permission_set("Readers", managed=[READ_ONLY])
    auditors = env.permission_set("Auditors", managed=[SECURITY_AUDIT])
    env.assign(readers, env.a, env.user)
    env.assign(auditors, env.b, env.user)
    env.assign(readers, env.b, env.group, "GROUP")
    mine = env.sso.list_account_assignments_for_principal(
        InstanceArn=env.arn, PrincipalId=env.user, PrincipalType="USER")["AccountAssignments"]
    assert sorted((x["AccountId"], x["PermissionSetArn"]) for x in mine) == sorted(
        [(env.a, readers), (env.b, auditors)])
    assert {(x["PrincipalType"], x["PrincipalId"]) for x in mine} == {("USER", env.user)}
    only_b = env.sso.list_account_assignments_for_principal(
        InstanceArn=env.arn, PrincipalId=env.user, PrincipalType="USER",
        Filter={"AccountId": env.b})["AccountAssignments"]
    assert [(x["AccountId"], x["PermissionSetArn"]) for x in only_b] == [(env.b, auditors)]
    groups = env.sso.list_account_assignments_for_principal(
        InstanceArn=env.arn, PrincipalId=env.group, PrincipalType="GROUP")["AccountAssignments"]
    assert [(x["AccountId"], x["PermissionSetArn"], x["PrincipalType"]) for x in groups] == [
        (env.b, readers, "GROUP")]
    none = env.sso.list_account_assignments_for_principal(
        InstanceArn=env.arn, PrincipalId=env.other, PrincipalType="USER")["AccountAssignments"]
    assert none == []


def test_list_permission_sets_provisioned_to_an_account(env):
    readers = env.permission_set("Readers", managed=[READ_ONLY])
    auditors = env.permission_set("Auditors", managed=[SECURITY_AUDIT])
    env.permission_set("Unused", managed=[POWER_USER])
    env.assign(readers, env.a, env.user)
    env.assign(auditors, env.a, env.group, "GROUP")
    env.assign(auditors, env.b, env.user)
    assert env.sets_in(env.a) == sorted([readers, auditors])
    assert env.sets_in(env.b) == [auditors]


def test_list_accounts_for_a_provisioned_permission_set(env):
    readers = env.permission_set("Readers", managed=[READ_ONLY])
    unused = env.permission_set("Unused", managed=[POWER_USER])
    env.assign(readers, env.a, env.user)
    env.assign(readers, env.b, env.group, "GROUP")
    assert env.accounts_of(readers) == sorted([env.a, env.b])
    assert env.accounts_of(readers, CURRENT) == sorted([env.a, env.b])
    assert env.accounts_of(readers, OUTDATED) == []
    assert env.accounts_of(unused) == []


def test_list_account_assignment_creation_status(env):
    ps = env.permission_set("Readers", managed=[READ_ONLY])
    first, _ = env.assign(ps, env.a, env.user)
    second, _ = env.assign(ps, env.b, env.user)
    listed = env.sso.list_account_assignment_creation_status(InstanceArn=env.arn)[
        "AccountAssignmentsCreationStatus"]
    by_id = {x["RequestId"]: x for x in listed}
    assert {first["RequestId"], second["RequestId"]} <= set(by_id)
    assert by_id[first["RequestId"]]["Status"] == "SUCCEEDED"
    assert isinstance(by_id[first["RequestId"]]["CreatedDate"], datetime)
    succeeded = env.sso.list_account_assignment_creation_status(
        InstanceArn=env.arn, Filter={"Status": "SUCCEEDED"})["AccountAssignmentsCreationStatus"]
    assert {first["RequestId"], second["RequestId"]} <= {x["RequestId"] for x in succeeded}
    failed = env.sso.list_account_assignment_creation_status(
        InstanceArn=env.arn, Filter={"Status": "FAILED"})["AccountAssignmentsCreationStatus"]
    assert failed == []


def test_delete_account_assignment_reports_its_status(env):
    ps = env.permission_set("Readers", managed=[READ_ONLY])
    env.assign(ps, env.a, env.user)
    out, described = env.unassign(ps, env.a, env.user)
    assert out["Status"] == "IN_PROGRESS"
    assert UUID_RE.match(out["RequestId"])
    assert (out["TargetId"], out["PermissionSetArn"], out["PrincipalId"]) == (env.a, ps, env.user)
    assert described["Status"] == "SUCCEEDED"
    assert described["RequestId"] == out["RequestId"]
    assert env.sso.list_account_assignments(InstanceArn=env.arn, AccountId=env.a,
                                            PermissionSetArn=ps)["AccountAssignments"] == []
    listed = env.sso.list_account_assignment_deletion_status(InstanceArn=env.arn)[
        "AccountAssignmentsDeletionStatus"]
    assert {x["RequestId"]: x["Status"] for x in listed}[out["RequestId"]] == "SUCCEEDED"


def test_assigning_the_same_principal_twice_keeps_one_assignment(env):
    """AWS does not refuse a repeated CreateAccountAssignment (Terraform checks for an existing
    assignment itself because "the AWS SSO API doesn't prevent us from creating duplicates")."""
    ps = env.permission_set("Readers", managed=[READ_ONLY])
    env.assign(ps, env.a, env.user)
    _, again = env.assign(ps, env.a, env.user)
    assert again["Status"] == "SUCCEEDED"
    listed = env.sso.list_account_assignments(InstanceArn=env.arn, AccountId=env.a,
                                              PermissionSetArn=ps)["AccountAssignments"]
    assert len(listed) == 1
    assert len(env.reserved_roles(env.a)) == 1


def test_unknown_principal_is_refused(env):
    ps = env.permission_set("Readers", managed=[READ_ONLY])
    for principal_type in ("USER", "GROUP"):
        resp = error_of(env.sso.create_account_assignment, InstanceArn=env.arn, TargetId=env.a,
                        TargetType="AWS_ACCOUNT", PermissionSetArn=ps,
                        PrincipalType=principal_type, PrincipalId=MISSING_PRINCIPAL)
        assert_error(resp, NOT_FOUND_OR_INVALID)
    # A user id given as a group is not a group of the store either.
    resp = error_of(env.sso.create_account_assignment, InstanceArn=env.arn, TargetId=env.a,
                    TargetType="AWS_ACCOUNT", PermissionSetArn=ps, PrincipalType="GROUP",
                    PrincipalId=env.user)
    assert_error(resp, NOT_FOUND_OR_INVALID)
    assert env.accounts_of(ps) == []
    assert env.reserved_roles(env.a) == []


def test_target_outside_the_organization_is_refused(server, env):
    ps = env.permission_set("Readers", managed=[READ_ONLY])
    outsider, outsider_key = signup(server, "outsider@example.com", "outsider")
    for target in (outsider, "123456789012"):
        resp = error_of(env.sso.create_account_assignment, InstanceArn=env.arn, TargetId=target,
                        TargetType="AWS_ACCOUNT", PermissionSetArn=ps, PrincipalType="USER",
                        PrincipalId=env.user)
        assert_error(resp, NOT_FOUND_OR_INVALID)
    outsider_iam = server.client("iam", key=outsider_key)
    assert outsider_iam.list_roles(PathPrefix=ROLE_PATH)["Roles"] == []


def test_assignment_of_an_unknown_permission_set_is_not_found(env):
    real = env.permission_set("Readers")
    ins = real.split("/")[1]
    resp = error_of(env.sso.create_account_assignment, InstanceArn=env.arn, TargetId=env.a,
                    TargetType="AWS_ACCOUNT",
                    PermissionSetArn=f"arn:aws:sso:::permissionSet/{ins}/ps-0123456789abcdef",
                    PrincipalType="USER", PrincipalId=env.user)
    assert_error(resp, "ResourceNotFoundException")


def test_unknown_request_ids_are_not_found(env):
    never = "0f0f0f0f-1234-4abc-8def-0123456789ab"
    for call, key in (
        (env.sso.describe_account_assignment_creation_status, "AccountAssignmentCreationRequestId"),
        (env.sso.describe_account_assignment_deletion_status, "AccountAssignmentDeletionRequestId"),
        (env.sso.describe_permission_set_provisioning_status, "ProvisionPermissionSetRequestId"),
    ):
        assert_error(error_of(call, InstanceArn=env.arn, **{key: never}), NOT_FOUND_OR_INVALID)


# --------------------------------------------------------------------------------------------
# The reserved role in the member account
# --------------------------------------------------------------------------------------------


def test_first_assignment_creates_the_reserved_role(env):
    ps = env.permission_set("DataReaders", managed=[READ_ONLY])
    assert env.reserved_roles(env.a) == []
    env.assign(ps, env.a, env.user)
    role = env.role(env.a, "DataReaders")
    assert role["Path"] == ROLE_PATH
    assert role["Arn"] == f"arn:aws:iam::{env.a}:role{ROLE_PATH}{role['RoleName']}"
    # Nothing is provisioned where nothing was assigned.
    assert env.reserved_roles(env.b) == []
    assert env.server.client("iam").list_roles(PathPrefix=ROLE_PATH)["Roles"] == []


def test_reserved_role_trusts_the_identity_center_saml_provider(env):
    ps = env.permission_set("Readers", managed=[READ_ONLY])
    env.assign(ps, env.a, env.user)
    trust = as_doc(env.role(env.a, "Readers")["AssumeRolePolicyDocument"])
    statements = as_list(trust["Statement"])
    assert len(statements) == 1
    stmt = statements[0]
    assert stmt["Effect"] == "Allow"
    m = SAML_PROVIDER_RE.match(stmt["Principal"]["Federated"])
    assert m, stmt
    assert m.group(1) == env.a
    assert sorted(as_list(stmt["Action"])) == ["sts:AssumeRoleWithSAML", "sts:TagSession"]
    assert stmt["Condition"] == {"StringEquals": {"SAML:aud": "https://signin.aws.amazon.com/saml"}}


def test_member_account_holds_the_saml_provider_its_roles_trust(env):
    """The federated principal of the trust policy exists in the account (Identity Center creates
    `AWSSSO_<id>_DO_NOT_DELETE` there), and every reserved role of the account trusts the same one."""
    readers = env.permission_set("Readers", managed=[READ_ONLY])
    auditors = env.permission_set("Auditors", managed=[SECURITY_AUDIT])
    env.assign(readers, env.a, env.user)
    env.assign(auditors, env.a, env.user)
    principals = {
        as_list(as_doc(env.role(env.a, name)["AssumeRolePolicyDocument"])["Statement"])[0][
            "Principal"]["Federated"]
        for name in ("Readers", "Auditors")
    }
    assert len(principals) == 1
    providers = [p["Arn"] for p in env.iam(env.a).list_saml_providers()["SAMLProviderList"]]
    assert principals <= set(providers)


def test_reserved_role_max_session_duration_is_twelve_hours(env):
    """AWS sets 12 hours on every reserved role and enforces the permission set's session duration
    at sign-in instead ("configures these roles with a maximum session duration of 12 hours", user
    guide; 43200 on every AWSReservedSSO role of exported accounts)."""
    short = env.permission_set("Short", managed=[READ_ONLY], SessionDuration="PT2H")
    default = env.permission_set("Default", managed=[READ_ONLY])
    env.assign(short, env.a, env.user)
    env.assign(default, env.a, env.user)
    assert env.role(env.a, "Short")["MaxSessionDuration"] == 43200
    assert env.role(env.a, "Default")["MaxSessionDuration"] == 43200


def test_reserved_role_carries_managed_and_inline_policies(env):
    ps = env.permission_set("Analysts", managed=[READ_ONLY, SECURITY_AUDIT], inline=S3_READ)
    env.assign(ps, env.a, env.user)
    name = env.role(env.a, "Analysts")["RoleName"]
    assert env.attached(env.a, name) == sorted([READ_ONLY, SECURITY_AUDIT])
    assert env.inline_policies(env.a, name) == ["AwsSSOInlinePolicy"]
    assert env.inline_document(env.a, name) == S3_READ


def test_reserved_role_without_inline_policy_has_no_role_policy(env):
    ps = env.permission_set("Plain", managed=[READ_ONLY])
    env.assign(ps, env.a, env.user)
    assert env.inline_policies(env.a, env.role(env.a, "Plain")["RoleName"]) == []


def test_reserved_role_carries_an_aws_managed_permissions_boundary(env):
    ps = env.permission_set("Bounded", managed=[READ_ONLY])
    env.sso.put_permissions_boundary_to_permission_set(
        InstanceArn=env.arn, PermissionSetArn=ps, PermissionsBoundary={"ManagedPolicyArn": POWER_USER})
    env.assign(ps, env.a, env.user)
    role = env.role(env.a, "Bounded")
    assert role["PermissionsBoundary"]["PermissionsBoundaryArn"] == POWER_USER
    # IAM's only PermissionsBoundaryAttachmentType.
    assert role["PermissionsBoundary"]["PermissionsBoundaryType"] == "PermissionsBoundaryPolicy"
    # The boundary is not an attached policy.
    assert env.attached(env.a, role["RoleName"]) == [READ_ONLY]


def test_customer_managed_references_resolve_in_the_member_account(env):
    iam = env.iam(env.a)
    team = iam.create_policy(PolicyName="TeamRead", Path="/team/",
                             PolicyDocument=json.dumps(S3_READ))["Policy"]["Arn"]
    limit = iam.create_policy(PolicyName="Limit", PolicyDocument=json.dumps(EC2_DESCRIBE))[
        "Policy"]["Arn"]
    assert team == f"arn:aws:iam::{env.a}:policy/team/TeamRead"
    ps = env.permission_set("Team")
    env.reference(ps, "TeamRead", "/team/")
    env.sso.put_permissions_boundary_to_permission_set(
        InstanceArn=env.arn, PermissionSetArn=ps,
        PermissionsBoundary={"CustomerManagedPolicyReference": {"Name": "Limit"}})
    _, status = env.assign(ps, env.a, env.user)
    assert status["Status"] == "SUCCEEDED"
    role = env.role(env.a, "Team")
    assert env.attached(env.a, role["RoleName"]) == [team]
    assert role["PermissionsBoundary"]["PermissionsBoundaryArn"] == limit


def test_reserved_role_does_not_carry_the_permission_set_tags(env):
    ps = env.permission_set("Tagged", managed=[READ_ONLY], Tags=[{"Key": "team", "Value": "data"}])
    env.assign(ps, env.a, env.user)
    name = env.role(env.a, "Tagged")["RoleName"]
    assert env.iam(env.a).list_role_tags(RoleName=name)["Tags"] == []


def test_more_assignments_in_an_account_share_one_role(env):
    ps = env.permission_set("Readers", managed=[READ_ONLY])
    env.assign(ps, env.a, env.user)
    first = env.role(env.a, "Readers")
    env.assign(ps, env.a, env.group, "GROUP")
    env.assign(ps, env.a, env.other)
    assert len(env.reserved_roles(env.a)) == 1
    assert env.role(env.a, "Readers")["RoleId"] == first["RoleId"]


def test_each_assigned_account_gets_its_own_role(env):
    ps = env.permission_set("Readers", managed=[READ_ONLY])
    auditors = env.permission_set("Auditors", managed=[SECURITY_AUDIT])
    env.assign(ps, env.a, env.user)
    env.assign(ps, env.b, env.user)
    env.assign(auditors, env.b, env.group, "GROUP")
    assert env.role(env.a, "Readers")["Arn"].startswith(f"arn:aws:iam::{env.a}:role/")
    assert env.role(env.b, "Readers")["Arn"].startswith(f"arn:aws:iam::{env.b}:role/")
    assert sorted(r["RoleName"].split("_")[1] for r in env.reserved_roles(env.b)) == [
        "Auditors", "Readers"]
    assert len(env.reserved_roles(env.a)) == 1


def test_deleting_one_of_two_assignments_keeps_the_role(env):
    ps = env.permission_set("Readers", managed=[READ_ONLY])
    env.assign(ps, env.a, env.user)
    env.assign(ps, env.a, env.group, "GROUP")
    _, status = env.unassign(ps, env.a, env.user)
    assert status["Status"] == "SUCCEEDED"
    assert env.attached(env.a, env.role(env.a, "Readers")["RoleName"]) == [READ_ONLY]
    assert env.accounts_of(ps) == [env.a]


def test_deleting_the_last_assignment_removes_the_role(env):
    ps = env.permission_set("Readers", managed=[READ_ONLY], inline=S3_READ)
    env.assign(ps, env.a, env.user)
    env.assign(ps, env.b, env.user)
    name = env.role(env.a, "Readers")["RoleName"]
    env.unassign(ps, env.a, env.user)
    assert env.reserved_roles(env.a) == []
    assert_error(error_of(env.iam(env.a).get_role, RoleName=name), "NoSuchEntity", 404)
    assert env.accounts_of(ps) == [env.b]
    assert env.sets_in(env.a) == []
    # The other account keeps its role.
    assert env.role(env.b, "Readers")


# --------------------------------------------------------------------------------------------
# Changing a provisioned permission set; ProvisionPermissionSet
# --------------------------------------------------------------------------------------------


def test_a_change_marks_the_accounts_outdated_until_provisioned(env):
    ps = env.permission_set("Readers", managed=[READ_ONLY])
    env.assign(ps, env.a, env.user)
    env.assign(ps, env.b, env.user)
    env.attach(ps, SECURITY_AUDIT)
    assert env.accounts_of(ps, OUTDATED) == sorted([env.a, env.b])
    assert env.accounts_of(ps, CURRENT) == []
    # Still provisioned there, with the old policies.
    assert env.accounts_of(ps) == sorted([env.a, env.b])
    assert env.sets_in(env.a, OUTDATED) == [ps]
    assert env.attached(env.a, env.role(env.a, "Readers")["RoleName"]) == [READ_ONLY]


def test_provision_to_all_provisioned_accounts_applies_the_change(env):
    ps = env.permission_set("Readers", managed=[READ_ONLY])
    env.assign(ps, env.a, env.user)
    env.assign(ps, env.b, env.group, "GROUP")
    env.attach(ps, SECURITY_AUDIT)
    out, described = env.provision(ps)
    assert out["Status"] in ("IN_PROGRESS", "SUCCEEDED")
    assert UUID_RE.match(out["RequestId"])
    assert out["PermissionSetArn"] == ps
    assert described["Status"] == "SUCCEEDED"
    assert described["RequestId"] == out["RequestId"]
    assert isinstance(described["CreatedDate"], datetime)
    assert "FailureReason" not in described
    for account in (env.a, env.b):
        name = env.role(account, "Readers")["RoleName"]
        assert env.attached(account, name) == sorted([READ_ONLY, SECURITY_AUDIT])
    assert env.accounts_of(ps, OUTDATED) == []
    assert env.accounts_of(ps, CURRENT) == sorted([env.a, env.b])


def test_provision_to_one_account_leaves_the_others_outdated(env):
    ps = env.permission_set("Readers", managed=[READ_ONLY])
    env.assign(ps, env.a, env.user)
    env.assign(ps, env.b, env.user)
    env.attach(ps, SECURITY_AUDIT)
    out, described = env.provision(ps, account=env.a)
    assert described["Status"] == "SUCCEEDED"
    assert described["AccountId"] == env.a
    assert env.attached(env.a, env.role(env.a, "Readers")["RoleName"]) == sorted(
        [READ_ONLY, SECURITY_AUDIT])
    assert env.attached(env.b, env.role(env.b, "Readers")["RoleName"]) == [READ_ONLY]
    assert env.accounts_of(ps, OUTDATED) == [env.b]
    assert env.accounts_of(ps, CURRENT) == [env.a]


def test_a_new_inline_policy_reaches_the_role_when_provisioned(env):
    ps = env.permission_set("Readers", managed=[READ_ONLY], inline=S3_READ)
    env.assign(ps, env.a, env.user)
    name = env.role(env.a, "Readers")["RoleName"]
    env.put_inline(ps, EC2_DESCRIBE)
    assert env.accounts_of(ps, OUTDATED) == [env.a]
    assert env.inline_document(env.a, name) == S3_READ
    env.provision(ps)
    assert env.inline_document(env.a, name) == EC2_DESCRIBE
    assert env.accounts_of(ps, OUTDATED) == []


def test_removed_policies_leave_the_role_when_provisioned(env):
    ps = env.permission_set("Readers", managed=[READ_ONLY, SECURITY_AUDIT], inline=S3_READ)
    env.assign(ps, env.a, env.user)
    name = env.role(env.a, "Readers")["RoleName"]
    env.detach(ps, SECURITY_AUDIT)
    env.sso.delete_inline_policy_from_permission_set(InstanceArn=env.arn, PermissionSetArn=ps)
    assert env.accounts_of(ps, OUTDATED) == [env.a]
    _, described = env.provision(ps)
    assert described["Status"] == "SUCCEEDED"
    assert env.attached(env.a, name) == [READ_ONLY]
    assert env.inline_policies(env.a, name) == []


def test_update_permission_set_marks_the_accounts_outdated(env):
    ps = env.permission_set("Readers", managed=[READ_ONLY], Description="before",
                            SessionDuration="PT1H")
    env.assign(ps, env.a, env.user)
    env.sso.update_permission_set(InstanceArn=env.arn, PermissionSetArn=ps, Description="after",
                                  SessionDuration="PT4H")
    assert env.accounts_of(ps, OUTDATED) == [env.a]
    _, described = env.provision(ps, account=env.a)
    assert described["Status"] == "SUCCEEDED"
    assert env.accounts_of(ps, CURRENT) == [env.a]
    assert env.accounts_of(ps, OUTDATED) == []


def test_list_permission_set_provisioning_status(env):
    ps = env.permission_set("Readers", managed=[READ_ONLY])
    env.assign(ps, env.a, env.user)
    env.attach(ps, SECURITY_AUDIT)
    first, _ = env.provision(ps)
    env.attach(ps, POWER_USER)
    second, _ = env.provision(ps, account=env.a)
    listed = env.sso.list_permission_set_provisioning_status(InstanceArn=env.arn)[
        "PermissionSetsProvisioningStatus"]
    by_id = {x["RequestId"]: x for x in listed}
    assert {first["RequestId"], second["RequestId"]} <= set(by_id)
    assert by_id[second["RequestId"]]["Status"] == "SUCCEEDED"
    assert isinstance(by_id[second["RequestId"]]["CreatedDate"], datetime)
    failed = env.sso.list_permission_set_provisioning_status(
        InstanceArn=env.arn, Filter={"Status": "FAILED"})["PermissionSetsProvisioningStatus"]
    assert failed == []


def test_provisioning_a_never_assigned_permission_set_to_all_accounts_succeeds(env):
    ps = env.permission_set("Lonely", managed=[READ_ONLY])
    _, described = env.provision(ps)
    assert described["Status"] == "SUCCEEDED"
    assert env.accounts_of(ps) == []
    assert env.reserved_roles(env.a) == [] and env.reserved_roles(env.b) == []


# --------------------------------------------------------------------------------------------
# Failed provisioning
# --------------------------------------------------------------------------------------------


def test_a_missing_customer_managed_policy_fails_the_assignment(env):
    ps = env.permission_set("Team", managed=[READ_ONLY])
    env.reference(ps, "NotInTheAccount")
    out, described = env.assign(ps, env.a, env.user)
    assert UUID_RE.match(out["RequestId"])
    assert described["Status"] == "FAILED"
    assert described["FailureReason"]
    assert env.reserved_roles(env.a) == []
    failed = env.sso.list_account_assignment_creation_status(
        InstanceArn=env.arn, Filter={"Status": "FAILED"})["AccountAssignmentsCreationStatus"]
    assert out["RequestId"] in {x["RequestId"] for x in failed}


def test_a_missing_customer_managed_policy_fails_provisioning_and_leaves_the_role(env):
    ps = env.permission_set("Team", managed=[READ_ONLY], inline=S3_READ)
    env.assign(ps, env.a, env.user)
    name = env.role(env.a, "Team")["RoleName"]
    env.reference(ps, "TeamWrite", "/team/")
    env.attach(ps, SECURITY_AUDIT)
    _, described = env.provision(ps, account=env.a)
    assert described["Status"] == "FAILED"
    assert described["FailureReason"]
    # Nothing of the new version reached the role, not even the AWS managed policy.
    assert env.attached(env.a, name) == [READ_ONLY]
    assert env.inline_document(env.a, name) == S3_READ
    assert env.accounts_of(ps, OUTDATED) == [env.a]
    # Once the policy exists in the account, provisioning succeeds.
    created = env.iam(env.a).create_policy(PolicyName="TeamWrite", Path="/team/",
                                           PolicyDocument=json.dumps(EC2_DESCRIBE))["Policy"]["Arn"]
    _, described = env.provision(ps, account=env.a)
    assert described["Status"] == "SUCCEEDED"
    assert env.attached(env.a, name) == sorted([READ_ONLY, SECURITY_AUDIT, created])
    assert env.accounts_of(ps, OUTDATED) == []


# --------------------------------------------------------------------------------------------
# Protection of the reserved role; deleting permission sets in use
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "change",
    [
        lambda iam, role: iam.delete_role(RoleName=role),
        lambda iam, role: iam.update_assume_role_policy(RoleName=role, PolicyDocument=TRUST_TEXT),
        lambda iam, role: iam.put_role_policy(RoleName=role, PolicyName="Extra",
                                              PolicyDocument=json.dumps(EC2_DESCRIBE)),
        lambda iam, role: iam.delete_role_policy(RoleName=role, PolicyName="AwsSSOInlinePolicy"),
        lambda iam, role: iam.attach_role_policy(RoleName=role, PolicyArn=POWER_USER),
        lambda iam, role: iam.detach_role_policy(RoleName=role, PolicyArn=READ_ONLY),
        lambda iam, role: iam.put_role_permissions_boundary(RoleName=role,
                                                            PermissionsBoundary=POWER_USER),
        lambda iam, role: iam.update_role(RoleName=role, MaxSessionDuration=3600),
    ],
    ids=["DeleteRole", "UpdateAssumeRolePolicy", "PutRolePolicy", "DeleteRolePolicy",
         "AttachRolePolicy", "DetachRolePolicy", "PutRolePermissionsBoundary", "UpdateRole"],
)
def test_iam_cannot_change_the_reserved_role(env, change):
    ps = env.permission_set("Readers", managed=[READ_ONLY], inline=S3_READ)
    env.assign(ps, env.a, env.user)
    role = env.role(env.a, "Readers")
    iam = env.iam(env.a)  # the member's root user
    with pytest.raises(ClientError) as e:
        change(iam, role["RoleName"])
    assert_error(e.value.response, "UnmodifiableEntity", 400)
    assert e.value.response["Error"]["Message"] == (
        f"Cannot perform the operation on the protected role '{role['RoleName']}'"
        " - this role is only modifiable by AWS"
    )
    after = env.role(env.a, "Readers")
    assert after["RoleId"] == role["RoleId"]
    assert after["MaxSessionDuration"] == role["MaxSessionDuration"]
    assert "PermissionsBoundary" not in after
    assert env.attached(env.a, role["RoleName"]) == [READ_ONLY]
    assert env.inline_policies(env.a, role["RoleName"]) == ["AwsSSOInlinePolicy"]


def test_deleting_a_permission_set_in_use_conflicts(env):
    ps = env.permission_set("Readers", managed=[READ_ONLY])
    env.assign(ps, env.a, env.user)
    resp = error_of(env.sso.delete_permission_set, InstanceArn=env.arn, PermissionSetArn=ps)
    assert_error(resp, "ConflictException")
    assert env.sso.describe_permission_set(InstanceArn=env.arn, PermissionSetArn=ps)
    assert env.role(env.a, "Readers")
    # Without assignments (and so without roles) it may go.
    env.unassign(ps, env.a, env.user)
    env.sso.delete_permission_set(InstanceArn=env.arn, PermissionSetArn=ps)
    assert_error(
        error_of(env.sso.describe_permission_set, InstanceArn=env.arn, PermissionSetArn=ps),
        "ResourceNotFoundException",
    )


def test_deleting_the_instance_removes_its_roles_from_member_accounts(env):
    """localorg: DeleteInstance takes the instance's permission sets and assignments with it, and
    the AWSReservedSSO roles they provisioned (nothing is left half-written)."""
    ps = env.permission_set("Gone", managed=[READ_ONLY])
    env.assign(ps, env.a, env.user)
    assert env.reserved_roles(env.a)
    env.sso.delete_instance(InstanceArn=env.arn)
    assert env.reserved_roles(env.a) == []
