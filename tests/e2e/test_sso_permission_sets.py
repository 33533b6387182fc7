"""IAM Identity Center (sso-admin): permission sets of the organization instance and what they hold.

Covered: CreatePermissionSet, DescribePermissionSet, ListPermissionSets, UpdatePermissionSet,
DeletePermissionSet; AWS managed policies (Attach/Detach/ListManagedPolicies...); customer managed
policy references (Attach/Detach/ListCustomerManagedPolicyReferences...); the inline policy
(Put/Get/DeleteInlinePolicy...); the permissions boundary (Put/Get/DeletePermissionsBoundary...);
tags of permission sets and of the instance (TagResource, UntagResource, ListTagsForResource).
Account assignments and provisioning live in test_sso_assignments.py.

Written as an oracle of AWS behaviour, from the botocore 1.44.5 model (request/response shapes,
patterns and lengths; sso-admin errors carry no HTTP status of their own, so every client error is a
400), the IAM Identity Center API reference and user guide, and errors real clients logged against
AWS:
- duplicate name: `ConflictException: PermissionSet with name ReadOnly already exists.`
  (CloudTrail record in aws-samples/terraform-aws-identity-center#2, hashicorp/terraform-provider-aws
  #38544);
- attaching an AWS managed policy twice: `ConflictException` (hashicorp/terraform-provider-aws#26138,
  after AWS fixed it from an InternalFailure in 2022);
- a customer managed policy ARN given as ManagedPolicyArn fails the pattern
  `arn:aws:iam::aws:policy/...` (aws-samples/aws-iam-identity-center-automation#4);
- a malformed inline policy: `Invalid PermissionsPolicy Document` with HTTP 400
  (aws-cloudformation/cloudformation-coverage-roadmap#1294, #1986);
- session duration: "When you create a new permission set, the session duration is set to 1 hour
  ... The minimum session duration is 1 hour, and can be set to a maximum of 12 hours" (user guide,
  "Set session duration"), ISO-8601 per the model;
- CustomerManagedPolicyReference.Path: "The default is /." (API reference).
The optional `Reason` member of sso-admin errors only takes KMS_* values in the model, so no test
expects one.
"""
import json
import re
from datetime import datetime

import pytest
from botocore.exceptions import ClientError

from conftest import signup

MGMT = "000000000000"
INSTANCE_ARN_RE = re.compile(r"^arn:aws:sso:::instance/(ssoins-[0-9a-f]{16})$")
PS_ARN_RE = re.compile(r"^arn:aws:sso:::permissionSet/(ssoins-[0-9a-f]{16})/ps-[0-9a-f]{16}$")
READ_ONLY = "arn:aws:iam::aws:policy/ReadOnlyAccess"
POWER_USER = "arn:aws:iam::aws:policy/PowerUserAccess"
VIEW_ONLY = "arn:aws:iam::aws:policy/job-function/ViewOnlyAccess"
SECURITY_AUDIT = "arn:aws:iam::aws:policy/SecurityAudit"
NOT_YOURS = ("ResourceNotFoundException", "AccessDeniedException")

S3_READ = {
    "Version": "2012-10-17",
    "Statement": [{"Sid": "Read", "Effect": "Allow", "Action": ["s3:GetObject", "s3:ListBucket"],
                   "Resource": "*"}],
}
EC2_DESCRIBE = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Action": "ec2:Describe*", "Resource": "*"}],
}


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


def walk(method, result_key, page_size, **kwargs):
    """Walks every page of a list call; checks page sizes; returns the items in order."""
    items, token, pages = [], None, 0
    while True:
        args = dict(kwargs, MaxResults=page_size)
        if token:
            args["NextToken"] = token
        resp = method(**args)
        assert len(resp[result_key]) <= page_size
        items += resp[result_key]
        pages += 1
        assert pages < 100, "pagination does not terminate"
        token = resp.get("NextToken")
        if not token:
            return items


class Instance:
    """The organization instance of the default (management) account and its sso-admin client."""

    def __init__(self, sso, arn):
        self.sso = sso
        self.arn = arn

    def create(self, name, **kw):
        return self.sso.create_permission_set(InstanceArn=self.arn, Name=name, **kw)["PermissionSet"]

    def describe(self, ps_arn):
        return self.sso.describe_permission_set(InstanceArn=self.arn, PermissionSetArn=ps_arn)[
            "PermissionSet"
        ]

    def arns(self):
        return walk(self.sso.list_permission_sets, "PermissionSets", 100, InstanceArn=self.arn)

    def managed(self, ps_arn):
        return self.sso.list_managed_policies_in_permission_set(
            InstanceArn=self.arn, PermissionSetArn=ps_arn
        )["AttachedManagedPolicies"]

    def attach(self, ps_arn, policy_arn):
        self.sso.attach_managed_policy_to_permission_set(
            InstanceArn=self.arn, PermissionSetArn=ps_arn, ManagedPolicyArn=policy_arn
        )

    def references(self, ps_arn):
        return self.sso.list_customer_managed_policy_references_in_permission_set(
            InstanceArn=self.arn, PermissionSetArn=ps_arn
        )["CustomerManagedPolicyReferences"]

    def inline(self, ps_arn):
        """The inline policy document as a dict, or None when the set has none (AWS answers an
        empty InlinePolicy; a ResourceNotFoundException is accepted too, as Terraform does)."""
        try:
            out = self.sso.get_inline_policy_for_permission_set(
                InstanceArn=self.arn, PermissionSetArn=ps_arn
            )
        except ClientError as e:
            assert_error(e.response, "ResourceNotFoundException")
            return None
        text = out.get("InlinePolicy")
        return json.loads(text) if text else None

    def boundary(self, ps_arn):
        """The permissions boundary, or None when there is none (either an empty answer or a
        ResourceNotFoundException, both of which Terraform's reader treats as absent)."""
        try:
            out = self.sso.get_permissions_boundary_for_permission_set(
                InstanceArn=self.arn, PermissionSetArn=ps_arn
            )
        except ClientError as e:
            assert_error(e.response, "ResourceNotFoundException")
            return None
        return out.get("PermissionsBoundary") or None

    def tags(self, resource_arn):
        out = self.sso.list_tags_for_resource(InstanceArn=self.arn, ResourceArn=resource_arn)
        return {t["Key"]: t["Value"] for t in out["Tags"]}


@pytest.fixture
def inst(server):
    """The default account creates an organization with all features, then Identity Center's
    organization instance (account instances do not support permission sets)."""
    server.client("organizations").create_organization(FeatureSet="ALL")
    sso = server.client("sso-admin")
    arn = sso.create_instance(Name="org", Tags=[{"Key": "owner", "Value": "platform"}])["InstanceArn"]
    return Instance(sso, arn)


def unknown_ps_arn(inst):
    """A well-formed permission set ARN under the instance that was never issued."""
    ins = INSTANCE_ARN_RE.match(inst.arn).group(1)
    return f"arn:aws:sso:::permissionSet/{ins}/ps-0123456789abcdef"


# --------------------------------------------------------------------------------------------
# Create, describe, list
# --------------------------------------------------------------------------------------------


def test_create_permission_set_returns_its_attributes(inst):
    ps = inst.create(
        "DataReaders",
        Description="Read the data lake",
        SessionDuration="PT8H",
        RelayState="https://console.aws.amazon.com/s3/home",
    )
    m = PS_ARN_RE.match(ps["PermissionSetArn"])
    assert m, ps
    # The permission set ARN carries the id of its instance.
    assert m.group(1) == INSTANCE_ARN_RE.match(inst.arn).group(1)
    assert ps["Name"] == "DataReaders"
    assert ps["Description"] == "Read the data lake"
    assert ps["SessionDuration"] == "PT8H"
    assert ps["RelayState"] == "https://console.aws.amazon.com/s3/home"
    assert isinstance(ps["CreatedDate"], datetime)


def test_describe_permission_set_matches_create(inst):
    created = inst.create("Auditors", Description="Look, do not touch", SessionDuration="PT2H")
    described = inst.describe(created["PermissionSetArn"])
    for field in ("PermissionSetArn", "Name", "Description", "SessionDuration", "CreatedDate"):
        assert described[field] == created[field], field


def test_session_duration_defaults_to_one_hour(inst):
    ps = inst.create("Default")
    assert ps["SessionDuration"] == "PT1H"
    assert inst.describe(ps["PermissionSetArn"])["SessionDuration"] == "PT1H"


@pytest.mark.parametrize("duration", ["PT1H", "PT4H", "PT12H"])
def test_session_durations_from_one_to_twelve_hours_are_accepted(inst, duration):
    ps = inst.create("Timed", SessionDuration=duration)
    assert inst.describe(ps["PermissionSetArn"])["SessionDuration"] == duration


@pytest.mark.parametrize("duration", ["PT13H", "P1D", "PT30M", "one hour", "3600"])
def test_session_duration_outside_bounds_or_not_iso8601_is_invalid(inst, duration):
    resp = error_of(inst.sso.create_permission_set, InstanceArn=inst.arn, Name="Timed",
                    SessionDuration=duration)
    assert_error(resp, "ValidationException")
    assert inst.arns() == []


def test_permission_set_names_are_unique_in_the_instance(inst):
    first = inst.create("Admins")
    resp = error_of(inst.sso.create_permission_set, InstanceArn=inst.arn, Name="Admins",
                    Description="again")
    assert_error(resp, "ConflictException")
    assert "Admins" in resp["Error"]["Message"]
    assert inst.arns() == [first["PermissionSetArn"]]


def test_name_of_a_deleted_permission_set_may_be_reused(inst):
    old = inst.create("Rotating")["PermissionSetArn"]
    inst.sso.delete_permission_set(InstanceArn=inst.arn, PermissionSetArn=old)
    new = inst.create("Rotating")["PermissionSetArn"]
    assert new != old
    assert inst.arns() == [new]


@pytest.mark.parametrize(
    "kwargs",
    [
        {"Name": "has space"},
        {"Name": "semi;colon"},
        {"Name": "N" * 33},
        {"Name": "Ok", "Description": "d" * 701},
        {"Name": "Ok", "RelayState": "r" * 241},
    ],
    ids=["space-in-name", "semicolon-in-name", "name-too-long", "description-too-long",
         "relay-state-too-long"],
)
def test_create_permission_set_rejects_invalid_input(inst, kwargs):
    resp = error_of(inst.sso.create_permission_set, InstanceArn=inst.arn, **kwargs)
    assert_error(resp, "ValidationException")
    assert inst.arns() == []


def test_list_permission_sets_of_a_new_instance_is_empty(inst):
    assert inst.sso.list_permission_sets(InstanceArn=inst.arn)["PermissionSets"] == []


def test_list_permission_sets_paginates(inst):
    created = {inst.create(f"Set{i}")["PermissionSetArn"] for i in range(5)}
    listed = walk(inst.sso.list_permission_sets, "PermissionSets", 2, InstanceArn=inst.arn)
    assert len(listed) == 5
    assert set(listed) == created


# --------------------------------------------------------------------------------------------
# Update and delete
# --------------------------------------------------------------------------------------------


def test_update_permission_set(inst):
    ps = inst.create("Ops", Description="before", SessionDuration="PT1H",
                     RelayState="https://console.aws.amazon.com/")
    arn = ps["PermissionSetArn"]
    # Every field is sent: AWS clears a RelayState left out of the update
    # (hashicorp/terraform-provider-aws#17411), so an update is a full replacement of the three.
    inst.sso.update_permission_set(
        InstanceArn=inst.arn, PermissionSetArn=arn, Description="after", SessionDuration="PT6H",
        RelayState="https://console.aws.amazon.com/ec2/home",
    )
    got = inst.describe(arn)
    assert got["Description"] == "after"
    assert got["SessionDuration"] == "PT6H"
    assert got["RelayState"] == "https://console.aws.amazon.com/ec2/home"
    # The name and creation date do not change.
    assert got["Name"] == "Ops"
    assert got["CreatedDate"] == ps["CreatedDate"]


def test_update_rejects_a_session_duration_over_twelve_hours(inst):
    arn = inst.create("Ops", SessionDuration="PT2H")["PermissionSetArn"]
    resp = error_of(inst.sso.update_permission_set, InstanceArn=inst.arn, PermissionSetArn=arn,
                    SessionDuration="PT24H")
    assert_error(resp, "ValidationException")
    assert inst.describe(arn)["SessionDuration"] == "PT2H"


def test_delete_permission_set(inst):
    keep = inst.create("Keep")["PermissionSetArn"]
    gone = inst.create("Gone")["PermissionSetArn"]
    inst.sso.delete_permission_set(InstanceArn=inst.arn, PermissionSetArn=gone)
    assert_error(
        error_of(inst.sso.describe_permission_set, InstanceArn=inst.arn, PermissionSetArn=gone),
        "ResourceNotFoundException",
    )
    assert inst.arns() == [keep]


def test_delete_permission_set_that_holds_policies(inst):
    """An unassigned permission set goes with its policies, reference, boundary and tags."""
    arn = inst.create("Loaded", Tags=[{"Key": "k", "Value": "v"}])["PermissionSetArn"]
    inst.attach(arn, READ_ONLY)
    inst.sso.attach_customer_managed_policy_reference_to_permission_set(
        InstanceArn=inst.arn, PermissionSetArn=arn, CustomerManagedPolicyReference={"Name": "Team"})
    inst.sso.put_inline_policy_to_permission_set(
        InstanceArn=inst.arn, PermissionSetArn=arn, InlinePolicy=json.dumps(S3_READ))
    inst.sso.put_permissions_boundary_to_permission_set(
        InstanceArn=inst.arn, PermissionSetArn=arn, PermissionsBoundary={"ManagedPolicyArn": POWER_USER})
    inst.sso.delete_permission_set(InstanceArn=inst.arn, PermissionSetArn=arn)
    assert inst.arns() == []
    assert_error(
        error_of(inst.sso.list_managed_policies_in_permission_set, InstanceArn=inst.arn,
                 PermissionSetArn=arn),
        "ResourceNotFoundException",
    )


@pytest.mark.parametrize(
    "operation, extra",
    [
        ("describe_permission_set", {}),
        ("update_permission_set", {"Description": "x"}),
        ("delete_permission_set", {}),
        ("list_managed_policies_in_permission_set", {}),
        ("attach_managed_policy_to_permission_set", {"ManagedPolicyArn": READ_ONLY}),
        ("detach_managed_policy_from_permission_set", {"ManagedPolicyArn": READ_ONLY}),
        ("list_customer_managed_policy_references_in_permission_set", {}),
        ("attach_customer_managed_policy_reference_to_permission_set",
         {"CustomerManagedPolicyReference": {"Name": "Team"}}),
        ("put_inline_policy_to_permission_set", {"InlinePolicy": json.dumps(S3_READ)}),
        ("get_inline_policy_for_permission_set", {}),
        ("delete_inline_policy_from_permission_set", {}),
        ("put_permissions_boundary_to_permission_set",
         {"PermissionsBoundary": {"ManagedPolicyArn": POWER_USER}}),
        ("get_permissions_boundary_for_permission_set", {}),
        ("delete_permissions_boundary_from_permission_set", {}),
    ],
)
def test_unknown_permission_set_is_not_found(inst, operation, extra):
    inst.create("Real")
    resp = error_of(getattr(inst.sso, operation), InstanceArn=inst.arn,
                    PermissionSetArn=unknown_ps_arn(inst), **extra)
    assert_error(resp, "ResourceNotFoundException")


def test_unknown_instance_is_refused(inst):
    unknown = "arn:aws:sso:::instance/ssoins-0123456789abcdef"
    assert unknown != inst.arn
    assert_error(error_of(inst.sso.list_permission_sets, InstanceArn=unknown), NOT_YOURS)
    assert_error(error_of(inst.sso.create_permission_set, InstanceArn=unknown, Name="Orphan"),
                 NOT_YOURS)
    assert inst.arns() == []


def test_permission_sets_are_private_to_their_account(server, inst):
    arn = inst.create("Private")["PermissionSetArn"]
    _, key = signup(server, "outsider@example.com", "outsider")
    outsider = server.client("sso-admin", key=key)
    assert_error(
        error_of(outsider.describe_permission_set, InstanceArn=inst.arn, PermissionSetArn=arn),
        NOT_YOURS,
    )
    assert_error(error_of(outsider.list_permission_sets, InstanceArn=inst.arn), NOT_YOURS)
    assert_error(
        error_of(outsider.delete_permission_set, InstanceArn=inst.arn, PermissionSetArn=arn),
        NOT_YOURS,
    )
    assert inst.arns() == [arn]


# --------------------------------------------------------------------------------------------
# AWS managed policies
# --------------------------------------------------------------------------------------------


def test_attach_and_list_aws_managed_policies(inst):
    arn = inst.create("Readers")["PermissionSetArn"]
    assert inst.managed(arn) == []
    inst.attach(arn, READ_ONLY)
    inst.attach(arn, VIEW_ONLY)  # a policy under a path: the name is the last segment
    attached = sorted(inst.managed(arn), key=lambda p: p["Name"])
    assert attached == [
        {"Name": "ReadOnlyAccess", "Arn": READ_ONLY},
        {"Name": "ViewOnlyAccess", "Arn": VIEW_ONLY},
    ]


def test_attaching_the_same_managed_policy_twice_conflicts(inst):
    arn = inst.create("Readers")["PermissionSetArn"]
    inst.attach(arn, READ_ONLY)
    resp = error_of(inst.sso.attach_managed_policy_to_permission_set, InstanceArn=inst.arn,
                    PermissionSetArn=arn, ManagedPolicyArn=READ_ONLY)
    assert_error(resp, "ConflictException")
    assert inst.managed(arn) == [{"Name": "ReadOnlyAccess", "Arn": READ_ONLY}]


def test_detach_managed_policy(inst):
    arn = inst.create("Readers")["PermissionSetArn"]
    inst.attach(arn, READ_ONLY)
    inst.attach(arn, SECURITY_AUDIT)
    inst.sso.detach_managed_policy_from_permission_set(
        InstanceArn=inst.arn, PermissionSetArn=arn, ManagedPolicyArn=READ_ONLY)
    assert inst.managed(arn) == [{"Name": "SecurityAudit", "Arn": SECURITY_AUDIT}]
    # It may be attached again afterwards.
    inst.attach(arn, READ_ONLY)
    assert {p["Arn"] for p in inst.managed(arn)} == {READ_ONLY, SECURITY_AUDIT}


def test_list_managed_policies_paginates(inst):
    arn = inst.create("Many")["PermissionSetArn"]
    for policy in (READ_ONLY, VIEW_ONLY, SECURITY_AUDIT):
        inst.attach(arn, policy)
    listed = walk(inst.sso.list_managed_policies_in_permission_set, "AttachedManagedPolicies", 1,
                  InstanceArn=inst.arn, PermissionSetArn=arn)
    assert sorted(p["Arn"] for p in listed) == sorted([READ_ONLY, VIEW_ONLY, SECURITY_AUDIT])


def test_a_customer_managed_policy_arn_is_not_an_aws_managed_policy(inst):
    arn = inst.create("Readers")["PermissionSetArn"]
    resp = error_of(inst.sso.attach_managed_policy_to_permission_set, InstanceArn=inst.arn,
                    PermissionSetArn=arn, ManagedPolicyArn=f"arn:aws:iam::{MGMT}:policy/Mine")
    assert_error(resp, "ValidationException")
    assert inst.managed(arn) == []


# --------------------------------------------------------------------------------------------
# Customer managed policy references
# --------------------------------------------------------------------------------------------


def test_customer_managed_policy_reference_path_defaults_to_root(inst):
    arn = inst.create("Team")["PermissionSetArn"]
    assert inst.references(arn) == []
    inst.sso.attach_customer_managed_policy_reference_to_permission_set(
        InstanceArn=inst.arn, PermissionSetArn=arn, CustomerManagedPolicyReference={"Name": "TeamRead"})
    inst.sso.attach_customer_managed_policy_reference_to_permission_set(
        InstanceArn=inst.arn, PermissionSetArn=arn,
        CustomerManagedPolicyReference={"Name": "TeamWrite", "Path": "/team/"})
    refs = sorted(inst.references(arn), key=lambda r: r["Name"])
    assert refs == [{"Name": "TeamRead", "Path": "/"}, {"Name": "TeamWrite", "Path": "/team/"}]
    # The policies need not exist anywhere yet: a reference is resolved when provisioning.
    assert inst.managed(arn) == []


def test_detach_customer_managed_policy_reference(inst):
    arn = inst.create("Team")["PermissionSetArn"]
    for ref in ({"Name": "TeamRead"}, {"Name": "TeamWrite", "Path": "/team/"}):
        inst.sso.attach_customer_managed_policy_reference_to_permission_set(
            InstanceArn=inst.arn, PermissionSetArn=arn, CustomerManagedPolicyReference=ref)
    inst.sso.detach_customer_managed_policy_reference_from_permission_set(
        InstanceArn=inst.arn, PermissionSetArn=arn,
        CustomerManagedPolicyReference={"Name": "TeamWrite", "Path": "/team/"})
    assert inst.references(arn) == [{"Name": "TeamRead", "Path": "/"}]


def test_customer_managed_policy_reference_rejects_a_bad_path(inst):
    arn = inst.create("Team")["PermissionSetArn"]
    resp = error_of(inst.sso.attach_customer_managed_policy_reference_to_permission_set,
                    InstanceArn=inst.arn, PermissionSetArn=arn,
                    CustomerManagedPolicyReference={"Name": "TeamRead", "Path": "no-slashes"})
    assert_error(resp, "ValidationException")
    assert inst.references(arn) == []


# --------------------------------------------------------------------------------------------
# Inline policy
# --------------------------------------------------------------------------------------------


def test_put_and_get_inline_policy(inst):
    arn = inst.create("Inline")["PermissionSetArn"]
    assert inst.inline(arn) is None
    inst.sso.put_inline_policy_to_permission_set(
        InstanceArn=inst.arn, PermissionSetArn=arn, InlinePolicy=json.dumps(S3_READ, indent=2))
    assert inst.inline(arn) == S3_READ


def test_put_inline_policy_replaces_the_previous_one(inst):
    """A permission set holds one inline policy (user guide quotas: 1 inline policy)."""
    arn = inst.create("Inline")["PermissionSetArn"]
    inst.sso.put_inline_policy_to_permission_set(
        InstanceArn=inst.arn, PermissionSetArn=arn, InlinePolicy=json.dumps(S3_READ))
    inst.sso.put_inline_policy_to_permission_set(
        InstanceArn=inst.arn, PermissionSetArn=arn, InlinePolicy=json.dumps(EC2_DESCRIBE))
    assert inst.inline(arn) == EC2_DESCRIBE


def test_delete_inline_policy(inst):
    arn = inst.create("Inline")["PermissionSetArn"]
    inst.sso.put_inline_policy_to_permission_set(
        InstanceArn=inst.arn, PermissionSetArn=arn, InlinePolicy=json.dumps(S3_READ))
    inst.sso.delete_inline_policy_from_permission_set(InstanceArn=inst.arn, PermissionSetArn=arn)
    assert inst.inline(arn) is None


@pytest.mark.parametrize(
    "document",
    [
        "this is not json",
        json.dumps({"Version": "2012-10-17"}),
        json.dumps({"Version": "2012-10-17",
                    "Statement": [{"Effect": "Perhaps", "Action": "s3:*", "Resource": "*"}]}),
    ],
    ids=["not-json", "no-statement", "bad-effect"],
)
def test_malformed_inline_policy_is_rejected(inst, document):
    arn = inst.create("Inline")["PermissionSetArn"]
    inst.sso.put_inline_policy_to_permission_set(
        InstanceArn=inst.arn, PermissionSetArn=arn, InlinePolicy=json.dumps(S3_READ))
    resp = error_of(inst.sso.put_inline_policy_to_permission_set, InstanceArn=inst.arn,
                    PermissionSetArn=arn, InlinePolicy=document)
    assert_error(resp, "ValidationException")
    # The policy in place stays.
    assert inst.inline(arn) == S3_READ


# --------------------------------------------------------------------------------------------
# Permissions boundary
# --------------------------------------------------------------------------------------------


def test_permissions_boundary_from_an_aws_managed_policy(inst):
    arn = inst.create("Bounded")["PermissionSetArn"]
    assert inst.boundary(arn) is None
    inst.sso.put_permissions_boundary_to_permission_set(
        InstanceArn=inst.arn, PermissionSetArn=arn, PermissionsBoundary={"ManagedPolicyArn": POWER_USER})
    assert inst.boundary(arn) == {"ManagedPolicyArn": POWER_USER}
    # A boundary is not an attached policy.
    assert inst.managed(arn) == []


def test_permissions_boundary_from_a_customer_managed_policy_replaces_the_previous(inst):
    arn = inst.create("Bounded")["PermissionSetArn"]
    inst.sso.put_permissions_boundary_to_permission_set(
        InstanceArn=inst.arn, PermissionSetArn=arn, PermissionsBoundary={"ManagedPolicyArn": POWER_USER})
    inst.sso.put_permissions_boundary_to_permission_set(
        InstanceArn=inst.arn, PermissionSetArn=arn,
        PermissionsBoundary={"CustomerManagedPolicyReference": {"Name": "Boundary", "Path": "/limits/"}})
    got = inst.boundary(arn)
    assert "ManagedPolicyArn" not in got
    assert got["CustomerManagedPolicyReference"] == {"Name": "Boundary", "Path": "/limits/"}
    # Without a path the reference is to the root path.
    inst.sso.put_permissions_boundary_to_permission_set(
        InstanceArn=inst.arn, PermissionSetArn=arn,
        PermissionsBoundary={"CustomerManagedPolicyReference": {"Name": "Boundary"}})
    ref = inst.boundary(arn)["CustomerManagedPolicyReference"]
    assert ref["Name"] == "Boundary"
    assert ref.get("Path", "/") == "/"
    assert inst.references(arn) == []


def test_delete_permissions_boundary(inst):
    arn = inst.create("Bounded")["PermissionSetArn"]
    inst.sso.put_permissions_boundary_to_permission_set(
        InstanceArn=inst.arn, PermissionSetArn=arn, PermissionsBoundary={"ManagedPolicyArn": POWER_USER})
    inst.sso.delete_permissions_boundary_from_permission_set(InstanceArn=inst.arn, PermissionSetArn=arn)
    assert inst.boundary(arn) is None


# --------------------------------------------------------------------------------------------
# Tags
# --------------------------------------------------------------------------------------------


def test_tags_given_at_creation_are_listed(inst):
    arn = inst.create("Tagged", Tags=[{"Key": "team", "Value": "data"},
                                      {"Key": "cost-center", "Value": "42"}])["PermissionSetArn"]
    assert inst.tags(arn) == {"team": "data", "cost-center": "42"}
    assert inst.tags(inst.create("Untagged")["PermissionSetArn"]) == {}


def test_tag_and_untag_a_permission_set(inst):
    arn = inst.create("Tagged", Tags=[{"Key": "team", "Value": "data"}])["PermissionSetArn"]
    inst.sso.tag_resource(InstanceArn=inst.arn, ResourceArn=arn,
                          Tags=[{"Key": "team", "Value": "ml"}, {"Key": "env", "Value": "prod"}])
    assert inst.tags(arn) == {"team": "ml", "env": "prod"}
    inst.sso.untag_resource(InstanceArn=inst.arn, ResourceArn=arn, TagKeys=["team"])
    assert inst.tags(arn) == {"env": "prod"}


def test_tag_and_untag_the_instance(inst):
    assert inst.tags(inst.arn) == {"owner": "platform"}
    inst.sso.tag_resource(InstanceArn=inst.arn, ResourceArn=inst.arn,
                          Tags=[{"Key": "tier", "Value": "gold"}])
    assert inst.tags(inst.arn) == {"owner": "platform", "tier": "gold"}
    inst.sso.untag_resource(InstanceArn=inst.arn, ResourceArn=inst.arn, TagKeys=["owner"])
    assert inst.tags(inst.arn) == {"tier": "gold"}
    # Tags of the instance and of its permission sets are separate.
    arn = inst.create("Plain")["PermissionSetArn"]
    assert inst.tags(arn) == {}


def test_tags_of_an_unknown_permission_set_are_not_found(inst):
    missing = unknown_ps_arn(inst)
    assert_error(error_of(inst.sso.list_tags_for_resource, InstanceArn=inst.arn, ResourceArn=missing),
                 "ResourceNotFoundException")
    assert_error(
        error_of(inst.sso.tag_resource, InstanceArn=inst.arn, ResourceArn=missing,
                 Tags=[{"Key": "k", "Value": "v"}]),
        "ResourceNotFoundException",
    )
