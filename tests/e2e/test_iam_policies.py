"""IAM policies: customer managed policies and their versions, the AWS managed catalogue,
attachments to users, groups and roles, ListEntitiesForPolicy, inline policies, policy tags."""
import json
import re
import urllib.parse

import pytest
from botocore.exceptions import ClientError

from conftest import aws_cli, signup

ACCOUNT = "000000000000"
ADMIN = "arn:aws:iam::aws:policy/AdministratorAccess"
READ_ONLY = "arn:aws:iam::aws:policy/ReadOnlyAccess"
VIEW_ONLY = "arn:aws:iam::aws:policy/job-function/ViewOnlyAccess"
SSO_SLR = "arn:aws:iam::aws:policy/aws-service-role/AWSSSOServiceRolePolicy"
POLICY_ID_RE = re.compile(r"^ANPA[A-Z2-7]{17}$")


def doc(action="s3:GetObject", resource="*", sid=None):
    statement = {"Effect": "Allow", "Action": action, "Resource": resource}
    if sid:
        statement["Sid"] = sid
    return json.dumps({"Version": "2012-10-17", "Statement": [statement]})


def err(excinfo):
    e = excinfo.value.response
    return e["Error"]["Code"], e["Error"]["Message"], e["ResponseMetadata"]["HTTPStatusCode"]


@pytest.fixture
def iam(server):
    return server.client("iam")


def make_role(iam, name, path="/"):
    trust = json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Principal": {"Service": "ec2.amazonaws.com"},
                    "Action": "sts:AssumeRole",
                }
            ],
        }
    )
    try:
        return iam.create_role(RoleName=name, Path=path, AssumeRolePolicyDocument=trust)["Role"]
    except ClientError as e:
        if e.response["Error"]["Code"] == "NotImplementedException":
            pytest.skip("CreateRole is not implemented yet")
        raise


# ---------------------------------------------------------------------------------------------
# Customer managed policies
# ---------------------------------------------------------------------------------------------


def test_create_and_get_policy(iam):
    p = iam.create_policy(
        PolicyName="ReadBuckets",
        Path="/team/",
        PolicyDocument=doc(),
        Description="read the buckets",
        Tags=[{"Key": "Team", "Value": "Platform"}],
    )["Policy"]
    assert p["PolicyName"] == "ReadBuckets"
    assert POLICY_ID_RE.match(p["PolicyId"])
    assert p["Arn"] == f"arn:aws:iam::{ACCOUNT}:policy/team/ReadBuckets"
    assert p["Path"] == "/team/"
    assert p["DefaultVersionId"] == "v1"
    assert p["AttachmentCount"] == 0
    assert p["PermissionsBoundaryUsageCount"] == 0
    assert p["IsAttachable"] is True
    assert p["Tags"] == [{"Key": "Team", "Value": "Platform"}]
    assert p["CreateDate"] == p["UpdateDate"]

    got = iam.get_policy(PolicyArn=p["Arn"])["Policy"]
    assert got["PolicyId"] == p["PolicyId"]
    assert got["Description"] == "read the buckets"
    assert got["Tags"] == [{"Key": "Team", "Value": "Platform"}]

    version = iam.get_policy_version(PolicyArn=p["Arn"], VersionId="v1")["PolicyVersion"]
    # botocore URL-decodes and parses the document IAM returns URL-encoded.
    assert version["Document"] == json.loads(doc())
    assert version["IsDefaultVersion"] is True
    assert version["VersionId"] == "v1"


def test_policy_document_is_url_encoded_on_the_wire(server, iam):
    arn = iam.create_policy(PolicyName="Enc", PolicyDocument=doc("s3:List*"))["Policy"]["Arn"]
    # A client without botocore's decoding hook sees the raw, URL-encoded text.
    raw = server.client("iam")
    seen = {}

    def grab(http_response, **_):
        seen["body"] = http_response.text

    raw.meta.events.register("after-call.iam.GetPolicyVersion", grab)
    raw.get_policy_version(PolicyArn=arn, VersionId="v1")
    m = re.search(r"<Document>(.*?)</Document>", seen["body"])
    assert m and "%22Version%22" in m.group(1)
    assert json.loads(urllib.parse.unquote(m.group(1))) == json.loads(doc("s3:List*"))


def test_create_policy_errors(iam):
    iam.create_policy(PolicyName="Dup", PolicyDocument=doc())
    for name in ("Dup", "dup"):
        with pytest.raises(ClientError) as e:
            iam.create_policy(PolicyName=name, Path="/other/", PolicyDocument=doc())
        assert err(e) == (
            "EntityAlreadyExists",
            f"A policy called {name} already exists. Duplicate names are not allowed.",
            409,
        )

    with pytest.raises(ClientError) as e:
        iam.create_policy(
            PolicyName="Bad",
            PolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow"}]}),
        )
    code, message, status = err(e)
    assert (code, status) == ("MalformedPolicyDocument", 400)
    assert message

    with pytest.raises(ClientError) as e:
        iam.create_policy(PolicyName="NotJson", PolicyDocument="{not json")
    assert err(e)[0] == "MalformedPolicyDocument"

    big = json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {"Effect": "Allow", "Action": f"s3:GetObject", "Resource": f"arn:aws:s3:::bucket-{i:04d}-xxxxxxxxxxxxxxxxxxxx/*"}
                for i in range(90)
            ],
        }
    )
    with pytest.raises(ClientError) as e:
        iam.create_policy(PolicyName="Big", PolicyDocument=big)
    assert err(e) == ("LimitExceeded", "Cannot exceed quota for PolicySize: 6144", 409)

    with pytest.raises(ClientError) as e:
        iam.create_policy(
            PolicyName="DupTags",
            PolicyDocument=doc(),
            Tags=[{"Key": "a", "Value": "1"}, {"Key": "A", "Value": "2"}],
        )
    assert err(e)[0] == "InvalidInput"
    names = [p["PolicyName"] for p in iam.list_policies(Scope="Local")["Policies"]]
    assert names == ["Dup"]


def test_get_policy_errors(server, iam):
    missing = f"arn:aws:iam::{ACCOUNT}:policy/Nope"
    with pytest.raises(ClientError) as e:
        iam.get_policy(PolicyArn=missing)
    assert err(e) == ("NoSuchEntity", f"Policy {missing} was not found.", 404)

    with pytest.raises(ClientError) as e:
        iam.get_policy(PolicyArn="arn:aws:iam::000000000000:user/someone")
    assert err(e)[0] == "InvalidInput"

    # Same name, wrong path: not found.
    iam.create_policy(PolicyName="Pathy", Path="/a/", PolicyDocument=doc())
    with pytest.raises(ClientError) as e:
        iam.get_policy(PolicyArn=f"arn:aws:iam::{ACCOUNT}:policy/b/Pathy")
    assert err(e)[0] == "NoSuchEntity"

    # Another account does not see it.
    _, key = signup(server, "other@example.com", "Other")
    other = server.client("iam", key=key)
    with pytest.raises(ClientError) as e:
        other.get_policy(PolicyArn=f"arn:aws:iam::{ACCOUNT}:policy/a/Pathy")
    assert err(e)[0] == "NoSuchEntity"
    assert other.list_policies(Scope="Local")["Policies"] == []


def test_delete_policy(iam):
    arn = iam.create_policy(PolicyName="Gone", PolicyDocument=doc())["Policy"]["Arn"]
    iam.delete_policy(PolicyArn=arn)
    with pytest.raises(ClientError) as e:
        iam.get_policy(PolicyArn=arn)
    assert err(e)[0] == "NoSuchEntity"
    with pytest.raises(ClientError) as e:
        iam.delete_policy(PolicyArn=arn)
    assert err(e) == ("NoSuchEntity", f"Policy {arn} was not found.", 404)
    # The name is free again.
    iam.create_policy(PolicyName="Gone", PolicyDocument=doc())


# ---------------------------------------------------------------------------------------------
# Versions
# ---------------------------------------------------------------------------------------------


def test_policy_versions(iam):
    arn = iam.create_policy(PolicyName="Versioned", PolicyDocument=doc("s3:Get*"))["Policy"]["Arn"]
    v2 = iam.create_policy_version(PolicyArn=arn, PolicyDocument=doc("s3:List*"))["PolicyVersion"]
    assert v2["VersionId"] == "v2" and v2["IsDefaultVersion"] is False
    assert "Document" not in v2
    v3 = iam.create_policy_version(
        PolicyArn=arn, PolicyDocument=doc("s3:Put*"), SetAsDefault=True
    )["PolicyVersion"]
    assert v3["VersionId"] == "v3" and v3["IsDefaultVersion"] is True
    assert iam.get_policy(PolicyArn=arn)["Policy"]["DefaultVersionId"] == "v3"
    iam.create_policy_version(PolicyArn=arn, PolicyDocument=doc("s3:A*"))
    iam.create_policy_version(PolicyArn=arn, PolicyDocument=doc("s3:B*"))
    with pytest.raises(ClientError) as e:
        iam.create_policy_version(PolicyArn=arn, PolicyDocument=doc("s3:C*"))
    assert err(e) == (
        "LimitExceeded",
        "A managed policy can have up to 5 versions. Before you create a new version, you must "
        "delete an existing version.",
        409,
    )
    with pytest.raises(ClientError) as e:
        iam.create_policy_version(PolicyArn=arn, PolicyDocument='{"Statement": 1}')
    assert err(e)[0] == "MalformedPolicyDocument"

    versions = iam.list_policy_versions(PolicyArn=arn)["Versions"]
    assert [v["VersionId"] for v in versions] == ["v5", "v4", "v3", "v2", "v1"]
    assert [v["IsDefaultVersion"] for v in versions] == [False, False, True, False, False]

    page = iam.list_policy_versions(PolicyArn=arn, MaxItems=2)
    assert page["IsTruncated"] is True and len(page["Versions"]) == 2
    rest = iam.list_policy_versions(PolicyArn=arn, Marker=page["Marker"])
    assert rest["IsTruncated"] is False
    assert [v["VersionId"] for v in page["Versions"] + rest["Versions"]] == [
        "v5", "v4", "v3", "v2", "v1"
    ]

    with pytest.raises(ClientError) as e:
        iam.delete_policy_version(PolicyArn=arn, VersionId="v3")
    assert err(e) == ("DeleteConflict", "Cannot delete the default version of a policy.", 409)
    with pytest.raises(ClientError) as e:
        iam.get_policy_version(PolicyArn=arn, VersionId="v9")
    assert err(e)[0:3:2] == ("NoSuchEntity", 404)
    with pytest.raises(ClientError) as e:
        iam.set_default_policy_version(PolicyArn=arn, VersionId="v9")
    assert err(e)[0] == "NoSuchEntity"

    iam.set_default_policy_version(PolicyArn=arn, VersionId="v1")
    got = iam.get_policy_version(PolicyArn=arn, VersionId="v1")["PolicyVersion"]
    assert got["IsDefaultVersion"] is True and got["Document"] == json.loads(doc("s3:Get*"))
    iam.delete_policy_version(PolicyArn=arn, VersionId="v3")
    # Numbers are never reused.
    v6 = iam.create_policy_version(PolicyArn=arn, PolicyDocument=doc("s3:D*"))["PolicyVersion"]
    assert v6["VersionId"] == "v6"

    with pytest.raises(ClientError) as e:
        iam.delete_policy(PolicyArn=arn)
    assert err(e) == (
        "DeleteConflict",
        "This policy has more than one version. Before you delete a policy, you must delete the "
        "policy's versions. The default version is deleted with the policy.",
        409,
    )
    for v in ("v2", "v4", "v5", "v6"):
        iam.delete_policy_version(PolicyArn=arn, VersionId=v)
    assert [v["VersionId"] for v in iam.list_policy_versions(PolicyArn=arn)["Versions"]] == ["v1"]
    iam.delete_policy(PolicyArn=arn)


# ---------------------------------------------------------------------------------------------
# AWS managed policies
# ---------------------------------------------------------------------------------------------


def test_aws_managed_policies(iam):
    admin = iam.get_policy(PolicyArn=ADMIN)["Policy"]
    assert admin["PolicyId"] == "ANPAIWMBCKSKIEE64ZLYK"
    assert admin["PolicyName"] == "AdministratorAccess"
    assert admin["Path"] == "/"
    assert admin["DefaultVersionId"] == "v1"
    assert admin["Description"] == "Provides full access to AWS services and resources."
    assert admin["CreateDate"].isoformat().startswith("2015-02-06T18:39:46")
    version = iam.get_policy_version(PolicyArn=ADMIN, VersionId="v1")["PolicyVersion"]
    assert version["Document"] == {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}],
    }

    view = iam.get_policy(PolicyArn=VIEW_ONLY)["Policy"]
    assert view["Path"] == "/job-function/" and view["PolicyId"] == "ANPAID22R6XPJATWOFDK6"

    ro = iam.get_policy(PolicyArn=READ_ONLY)["Policy"]
    ro_doc = iam.get_policy_version(PolicyArn=READ_ONLY, VersionId=ro["DefaultVersionId"])
    actions = [
        a
        for s in ro_doc["PolicyVersion"]["Document"]["Statement"]
        for a in (s["Action"] if isinstance(s["Action"], list) else [s["Action"]])
    ]
    assert "s3:Get*" in actions or any(a.startswith("s3:") for a in actions)
    assert len(actions) > 500
    versions = iam.list_policy_versions(PolicyArn=READ_ONLY)["Versions"]
    assert [v["VersionId"] for v in versions] == [ro["DefaultVersionId"]]
    with pytest.raises(ClientError) as e:
        iam.get_policy_version(PolicyArn=ADMIN, VersionId="v2")
    assert err(e)[0] == "NoSuchEntity"

    listed = {p["PolicyName"]: p for p in iam.list_policies(Scope="AWS")["Policies"]}
    for name in (
        "AdministratorAccess", "PowerUserAccess", "ReadOnlyAccess", "ViewOnlyAccess",
        "SecurityAudit", "Billing", "IAMFullAccess", "IAMReadOnlyAccess",
        "AWSOrganizationsFullAccess", "AWSOrganizationsReadOnlyAccess",
        "AWSSSOMemberAccountAdministrator", "AWSSSOMasterAccountAdministrator",
        "AWSSSODirectoryAdministrator", "AWSSSOReadOnly", "AWSSSOServiceRolePolicy",
        "AWSAccountManagementFullAccess", "AWSBillingReadOnlyAccess",
    ):
        assert name in listed, name
        assert POLICY_ID_RE.match(listed[name]["PolicyId"]), name
    assert listed["AWSSSOServiceRolePolicy"]["Path"] == "/aws-service-role/"
    assert listed["Billing"]["Arn"] == "arn:aws:iam::aws:policy/job-function/Billing"
    assert "Description" not in listed["AdministratorAccess"]
    job = iam.list_policies(Scope="AWS", PathPrefix="/job-function/")["Policies"]
    assert sorted(p["PolicyName"] for p in job) == ["Billing", "ViewOnlyAccess"]

    # Nobody changes AWS managed policies.
    with pytest.raises(ClientError) as e:
        iam.create_policy_version(PolicyArn=ADMIN, PolicyDocument=doc())
    assert err(e)[0::2] == ("AccessDenied", 403)
    with pytest.raises(ClientError) as e:
        iam.delete_policy(PolicyArn=ADMIN)
    assert err(e)[0] == "AccessDenied"
    with pytest.raises(ClientError) as e:
        iam.tag_policy(PolicyArn=ADMIN, Tags=[{"Key": "k", "Value": "v"}])
    assert err(e)[0] == "AccessDenied"
    assert iam.list_policy_tags(PolicyArn=ADMIN)["Tags"] == []
    with pytest.raises(ClientError) as e:
        iam.get_policy(PolicyArn="arn:aws:iam::aws:policy/NoSuchManagedPolicy")
    assert err(e)[0] == "NoSuchEntity"


# ---------------------------------------------------------------------------------------------
# Listing
# ---------------------------------------------------------------------------------------------


def test_list_policies_filters_and_pagination(iam):
    for i in range(5):
        iam.create_policy(PolicyName=f"P{i}", Path="/a/" if i % 2 else "/b/", PolicyDocument=doc())
    iam.create_user(UserName="lister")
    iam.attach_user_policy(UserName="lister", PolicyArn=f"arn:aws:iam::{ACCOUNT}:policy/b/P0")
    iam.attach_user_policy(UserName="lister", PolicyArn=ADMIN)

    local = iam.list_policies(Scope="Local")["Policies"]
    assert [p["PolicyName"] for p in local] == ["P0", "P1", "P2", "P3", "P4"]
    assert all("Tags" not in p and "Description" not in p for p in local)
    assert [p["PolicyName"] for p in iam.list_policies(Scope="Local", PathPrefix="/a/")["Policies"]] == [
        "P1", "P3"
    ]
    attached = iam.list_policies(OnlyAttached=True)["Policies"]
    assert sorted(p["PolicyName"] for p in attached) == ["AdministratorAccess", "P0"]
    assert all(p["AttachmentCount"] == 1 for p in attached)
    assert [p["PolicyName"] for p in iam.list_policies(OnlyAttached=True, Scope="Local")["Policies"]] == ["P0"]

    everything = iam.list_policies()["Policies"]
    assert len(everything) > 20
    seen, marker = [], None
    while True:
        kw = {"MaxItems": 4}
        if marker:
            kw["Marker"] = marker
        page = iam.list_policies(**kw)
        assert len(page["Policies"]) <= 4
        seen += [p["Arn"] for p in page["Policies"]]
        if not page["IsTruncated"]:
            assert "Marker" not in page
            break
        marker = page["Marker"]
    assert seen == [p["Arn"] for p in everything]
    assert len(set(seen)) == len(seen)

    paginated = [
        p["Arn"]
        for page in iam.get_paginator("list_policies").paginate(
            Scope="Local", PaginationConfig={"PageSize": 2}
        )
        for p in page["Policies"]
    ]
    assert len(paginated) == 5

    with pytest.raises(ClientError) as e:
        iam.list_policies(Marker="garbage")
    assert err(e)[0] == "ValidationError"


# ---------------------------------------------------------------------------------------------
# Attachments
# ---------------------------------------------------------------------------------------------


def test_attach_detach_user_and_group(iam):
    iam.create_user(UserName="alice", Path="/people/")
    iam.create_group(GroupName="admins")
    custom = iam.create_policy(PolicyName="Custom", Path="/team/", PolicyDocument=doc())["Policy"]
    arn = custom["Arn"]

    iam.attach_user_policy(UserName="alice", PolicyArn=arn)
    iam.attach_user_policy(UserName="ALICE", PolicyArn=arn)  # again: no-op
    iam.attach_user_policy(UserName="alice", PolicyArn=ADMIN)
    iam.attach_group_policy(GroupName="admins", PolicyArn=arn)

    attached = iam.list_attached_user_policies(UserName="alice")["AttachedPolicies"]
    assert sorted((a["PolicyName"], a["PolicyArn"]) for a in attached) == [
        ("AdministratorAccess", ADMIN),
        ("Custom", arn),
    ]
    team = iam.list_attached_user_policies(UserName="alice", PathPrefix="/team/")
    assert team["AttachedPolicies"] == [{"PolicyName": "Custom", "PolicyArn": arn}]
    assert team["IsTruncated"] is False
    page = iam.list_attached_user_policies(UserName="alice", MaxItems=1)
    assert page["IsTruncated"] is True and len(page["AttachedPolicies"]) == 1
    rest = iam.list_attached_user_policies(UserName="alice", Marker=page["Marker"])
    assert len(rest["AttachedPolicies"]) == 1 and rest["IsTruncated"] is False
    assert page["AttachedPolicies"] != rest["AttachedPolicies"]
    assert iam.list_attached_group_policies(GroupName="admins")["AttachedPolicies"] == [
        {"PolicyName": "Custom", "PolicyArn": arn}
    ]

    assert iam.get_policy(PolicyArn=arn)["Policy"]["AttachmentCount"] == 2
    assert iam.get_policy(PolicyArn=ADMIN)["Policy"]["AttachmentCount"] == 1

    entities = iam.list_entities_for_policy(PolicyArn=arn)
    assert entities["PolicyUsers"] == [
        {"UserName": "alice", "UserId": iam.get_user(UserName="alice")["User"]["UserId"]}
    ]
    assert entities["PolicyGroups"] == [
        {"GroupName": "admins", "GroupId": iam.get_group(GroupName="admins")["Group"]["GroupId"]}
    ]
    assert entities["PolicyRoles"] == []
    only_groups = iam.list_entities_for_policy(PolicyArn=arn, EntityFilter="Group")
    assert only_groups["PolicyUsers"] == [] and len(only_groups["PolicyGroups"]) == 1
    by_path = iam.list_entities_for_policy(PolicyArn=arn, PathPrefix="/people/")
    assert [u["UserName"] for u in by_path["PolicyUsers"]] == ["alice"]
    assert by_path["PolicyGroups"] == []
    page = iam.list_entities_for_policy(PolicyArn=arn, MaxItems=1)
    assert page["IsTruncated"] is True
    rest = iam.list_entities_for_policy(PolicyArn=arn, Marker=page["Marker"])
    assert rest["IsTruncated"] is False
    assert len(page["PolicyGroups"] + page["PolicyUsers"] + rest["PolicyGroups"] + rest["PolicyUsers"]) == 2

    with pytest.raises(ClientError) as e:
        iam.delete_policy(PolicyArn=arn)
    assert err(e) == ("DeleteConflict", "Cannot delete a policy attached to entities.", 409)

    iam.detach_user_policy(UserName="alice", PolicyArn=arn)
    with pytest.raises(ClientError) as e:
        iam.detach_user_policy(UserName="alice", PolicyArn=arn)
    assert err(e) == ("NoSuchEntity", f"Policy {arn} was not found.", 404)
    iam.detach_group_policy(GroupName="admins", PolicyArn=arn)
    assert iam.list_attached_group_policies(GroupName="admins")["AttachedPolicies"] == []
    assert iam.get_policy(PolicyArn=arn)["Policy"]["AttachmentCount"] == 0
    assert iam.list_entities_for_policy(PolicyArn=arn)["PolicyUsers"] == []
    iam.delete_policy(PolicyArn=arn)


def test_attach_errors_and_quota(iam):
    iam.create_user(UserName="bob")
    with pytest.raises(ClientError) as e:
        iam.attach_user_policy(UserName="nobody", PolicyArn=ADMIN)
    assert err(e) == ("NoSuchEntity", "The user with name nobody cannot be found.", 404)
    with pytest.raises(ClientError) as e:
        iam.attach_group_policy(GroupName="nogroup", PolicyArn=ADMIN)
    assert err(e)[0] == "NoSuchEntity"
    missing = f"arn:aws:iam::{ACCOUNT}:policy/Missing"
    with pytest.raises(ClientError) as e:
        iam.attach_user_policy(UserName="bob", PolicyArn=missing)
    assert err(e) == ("NoSuchEntity", f"Policy {missing} does not exist or is not attachable.", 404)
    with pytest.raises(ClientError) as e:
        iam.attach_user_policy(UserName="bob", PolicyArn=SSO_SLR)
    assert err(e)[0::2] == ("PolicyNotAttachable", 400)
    with pytest.raises(ClientError) as e:
        iam.detach_user_policy(UserName="nobody", PolicyArn=ADMIN)
    assert err(e)[0] == "NoSuchEntity"

    arns = [
        iam.create_policy(PolicyName=f"Q{i}", PolicyDocument=doc())["Policy"]["Arn"]
        for i in range(11)
    ]
    for arn in arns[:10]:
        iam.attach_user_policy(UserName="bob", PolicyArn=arn)
    with pytest.raises(ClientError) as e:
        iam.attach_user_policy(UserName="bob", PolicyArn=arns[10])
    assert err(e) == ("LimitExceeded", "Cannot exceed quota for PoliciesPerUser: 10", 409)
    iam.attach_user_policy(UserName="bob", PolicyArn=arns[0])  # already attached: fine
    iam.create_group(GroupName="g")
    for arn in arns[:10]:
        iam.attach_group_policy(GroupName="g", PolicyArn=arn)
    with pytest.raises(ClientError) as e:
        iam.attach_group_policy(GroupName="g", PolicyArn=arns[10])
    assert err(e)[1] == "Cannot exceed quota for PoliciesPerGroup: 10"
    assert len(iam.list_attached_user_policies(UserName="bob")["AttachedPolicies"]) == 10


def test_role_attachments_and_inline(iam):
    role = make_role(iam, "ops", path="/svc/")
    iam.attach_role_policy(RoleName="ops", PolicyArn=READ_ONLY)
    assert iam.list_attached_role_policies(RoleName="ops")["AttachedPolicies"] == [
        {"PolicyName": "ReadOnlyAccess", "PolicyArn": READ_ONLY}
    ]
    roles = iam.list_entities_for_policy(PolicyArn=READ_ONLY)["PolicyRoles"]
    assert roles == [{"RoleName": "ops", "RoleId": role["RoleId"]}]
    arns = [
        iam.create_policy(PolicyName=f"R{i}", PolicyDocument=doc())["Policy"]["Arn"]
        for i in range(10)
    ]
    for arn in arns[:9]:
        iam.attach_role_policy(RoleName="ops", PolicyArn=arn)
    with pytest.raises(ClientError) as e:
        iam.attach_role_policy(RoleName="ops", PolicyArn=arns[9])
    assert err(e)[1] == "Cannot exceed quota for PoliciesPerRole: 10"
    iam.detach_role_policy(RoleName="ops", PolicyArn=READ_ONLY)

    iam.put_role_policy(RoleName="ops", PolicyName="inline", PolicyDocument=doc("ec2:Describe*"))
    got = iam.get_role_policy(RoleName="OPS", PolicyName="inline")
    assert got["RoleName"] == "ops" and got["PolicyDocument"] == json.loads(doc("ec2:Describe*"))
    assert iam.list_role_policies(RoleName="ops")["PolicyNames"] == ["inline"]
    # A role's inline policies may total 10,240 characters (more than a managed policy's 6,144).
    statements = [
        {"Effect": "Allow", "Action": "s3:GetObject", "Resource": f"arn:aws:s3:::bucket-{i:04d}-yyyyyyyyyyyyyyyyyyyy/*"}
        for i in range(90)
    ]
    big = json.dumps({"Version": "2012-10-17", "Statement": statements})
    iam.put_role_policy(RoleName="ops", PolicyName="big", PolicyDocument=big)
    with pytest.raises(ClientError) as e:
        iam.put_role_policy(RoleName="ops", PolicyName="big2", PolicyDocument=big)
    assert err(e) == (
        "LimitExceeded", "Maximum policy size of 10240 bytes exceeded for role ops", 409
    )
    iam.delete_role_policy(RoleName="ops", PolicyName="big")
    iam.delete_role_policy(RoleName="ops", PolicyName="inline")
    with pytest.raises(ClientError) as e:
        iam.delete_role_policy(RoleName="ops", PolicyName="inline")
    assert err(e) == ("NoSuchEntity", "The role policy with name inline cannot be found.", 404)


# ---------------------------------------------------------------------------------------------
# Inline policies
# ---------------------------------------------------------------------------------------------


def test_user_inline_policies(iam):
    iam.create_user(UserName="carol")
    iam.put_user_policy(UserName="carol", PolicyName="one", PolicyDocument=doc("s3:Get*"))
    iam.put_user_policy(UserName="carol", PolicyName="two", PolicyDocument=doc("s3:List*"))
    iam.put_user_policy(UserName="carol", PolicyName="one", PolicyDocument=doc("s3:Put*"))  # replace
    got = iam.get_user_policy(UserName="Carol", PolicyName="one")
    assert got["UserName"] == "carol" and got["PolicyName"] == "one"
    assert got["PolicyDocument"] == json.loads(doc("s3:Put*"))
    assert iam.list_user_policies(UserName="carol")["PolicyNames"] == ["one", "two"]
    page = iam.list_user_policies(UserName="carol", MaxItems=1)
    assert page["PolicyNames"] == ["one"] and page["IsTruncated"] is True
    rest = iam.list_user_policies(UserName="carol", Marker=page["Marker"])
    assert rest["PolicyNames"] == ["two"] and rest["IsTruncated"] is False

    with pytest.raises(ClientError) as e:
        iam.get_user_policy(UserName="carol", PolicyName="three")
    assert err(e) == ("NoSuchEntity", "The user policy with name three cannot be found.", 404)
    with pytest.raises(ClientError) as e:
        iam.put_user_policy(UserName="nobody", PolicyName="x", PolicyDocument=doc())
    assert err(e) == ("NoSuchEntity", "The user with name nobody cannot be found.", 404)
    with pytest.raises(ClientError) as e:
        iam.put_user_policy(
            UserName="carol", PolicyName="bad", PolicyDocument='{"Version":"2012-10-17"}'
        )
    assert err(e)[0::2] == ("MalformedPolicyDocument", 400)

    # A user's inline policies may total 2,048 characters, not counting whitespace.
    statement = {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b" + "x" * 40 + "/*"}
    body = lambda n: json.dumps({"Version": "2012-10-17", "Statement": [statement] * n}, indent=8)
    iam.put_user_policy(UserName="carol", PolicyName="two", PolicyDocument=body(15))
    with pytest.raises(ClientError) as e:
        iam.put_user_policy(UserName="carol", PolicyName="three", PolicyDocument=body(10))
    assert err(e) == (
        "LimitExceeded", "Maximum policy size of 2048 bytes exceeded for user carol", 409
    )
    iam.delete_user_policy(UserName="carol", PolicyName="one")
    with pytest.raises(ClientError) as e:
        iam.delete_user_policy(UserName="carol", PolicyName="one")
    assert err(e)[0] == "NoSuchEntity"
    assert iam.list_user_policies(UserName="carol")["PolicyNames"] == ["two"]


def test_group_inline_policies(iam):
    iam.create_group(GroupName="devs")
    iam.put_group_policy(GroupName="devs", PolicyName="dev", PolicyDocument=doc("ec2:*"))
    got = iam.get_group_policy(GroupName="devs", PolicyName="dev")
    assert got["GroupName"] == "devs" and got["PolicyDocument"] == json.loads(doc("ec2:*"))
    assert iam.list_group_policies(GroupName="devs")["PolicyNames"] == ["dev"]
    with pytest.raises(ClientError) as e:
        iam.get_group_policy(GroupName="devs", PolicyName="nope")
    assert err(e) == ("NoSuchEntity", "The group policy with name nope cannot be found.", 404)
    with pytest.raises(ClientError) as e:
        iam.list_group_policies(GroupName="nogroup")
    assert err(e) == ("NoSuchEntity", "The group with name nogroup cannot be found.", 404)
    iam.delete_group_policy(GroupName="devs", PolicyName="dev")
    assert iam.list_group_policies(GroupName="devs")["PolicyNames"] == []


# ---------------------------------------------------------------------------------------------
# Tags, boundaries
# ---------------------------------------------------------------------------------------------


def test_policy_tags(iam):
    arn = iam.create_policy(
        PolicyName="Tagged", PolicyDocument=doc(), Tags=[{"Key": "a", "Value": "1"}]
    )["Policy"]["Arn"]
    iam.tag_policy(PolicyArn=arn, Tags=[{"Key": "b", "Value": "2"}, {"Key": "A", "Value": "3"}])
    tags = iam.list_policy_tags(PolicyArn=arn)
    assert tags["Tags"] == [{"Key": "A", "Value": "3"}, {"Key": "b", "Value": "2"}]
    assert tags["IsTruncated"] is False
    iam.tag_policy(PolicyArn=arn, Tags=[{"Key": f"k{i}", "Value": "v"} for i in range(10)])
    page = iam.list_policy_tags(PolicyArn=arn, MaxItems=5)
    assert page["IsTruncated"] is True and len(page["Tags"]) == 5
    rest = iam.list_policy_tags(PolicyArn=arn, Marker=page["Marker"])
    assert len(rest["Tags"]) == 7 and rest["IsTruncated"] is False
    iam.untag_policy(PolicyArn=arn, TagKeys=["a", "missing"] + [f"k{i}" for i in range(10)])
    assert iam.list_policy_tags(PolicyArn=arn)["Tags"] == [{"Key": "b", "Value": "2"}]
    with pytest.raises(ClientError) as e:
        iam.tag_policy(PolicyArn=arn, Tags=[{"Key": f"t{i}", "Value": "v"} for i in range(50)])
    assert err(e)[0] == "LimitExceeded"
    missing = f"arn:aws:iam::{ACCOUNT}:policy/Missing"
    with pytest.raises(ClientError) as e:
        iam.tag_policy(PolicyArn=missing, Tags=[{"Key": "k", "Value": "v"}])
    assert err(e)[0] == "NoSuchEntity"
    with pytest.raises(ClientError) as e:
        iam.list_policy_tags(PolicyArn=missing)
    assert err(e)[0] == "NoSuchEntity"


def test_permissions_boundary_usage(iam):
    boundary = iam.create_policy(PolicyName="Boundary", PolicyDocument=doc("s3:*"))["Policy"]["Arn"]
    try:
        iam.create_user(UserName="bounded", PermissionsBoundary=boundary)
    except ClientError as e:
        pytest.skip(f"CreateUser with PermissionsBoundary: {e}")
    assert iam.get_policy(PolicyArn=boundary)["Policy"]["PermissionsBoundaryUsageCount"] == 1
    assert iam.get_policy(PolicyArn=boundary)["Policy"]["AttachmentCount"] == 0
    used = iam.list_entities_for_policy(PolicyArn=boundary, PolicyUsageFilter="PermissionsBoundary")
    assert [u["UserName"] for u in used["PolicyUsers"]] == ["bounded"]
    assert iam.list_entities_for_policy(
        PolicyArn=boundary, PolicyUsageFilter="PermissionsPolicy"
    )["PolicyUsers"] == []
    names = [
        p["PolicyName"]
        for p in iam.list_policies(Scope="Local", PolicyUsageFilter="PermissionsBoundary")["Policies"]
    ]
    assert names == ["Boundary"]
    assert [
        p["PolicyName"]
        for p in iam.list_policies(OnlyAttached=True, PolicyUsageFilter="PermissionsPolicy")["Policies"]
    ] == []


# ---------------------------------------------------------------------------------------------
# aws CLI
# ---------------------------------------------------------------------------------------------


def test_cli_create_attach_and_read_policy(server):
    out = aws_cli(
        server, "iam", "create-policy", "--policy-name", "CliPolicy",
        "--policy-document", doc("sqs:*"), "--description", "from the cli",
    )
    arn = out["Policy"]["Arn"]
    assert arn == f"arn:aws:iam::{ACCOUNT}:policy/CliPolicy"
    version = aws_cli(server, "iam", "get-policy-version", "--policy-arn", arn, "--version-id", "v1")
    assert version["PolicyVersion"]["Document"] == json.loads(doc("sqs:*"))
    iam = server.client("iam")
    iam.create_user(UserName="cli-user")
    iam.attach_user_policy(UserName="cli-user", PolicyArn=arn)
    attached = aws_cli(server, "iam", "list-attached-user-policies", "--user-name", "cli-user")
    assert attached["AttachedPolicies"] == [{"PolicyName": "CliPolicy", "PolicyArn": arn}]
    failed = aws_cli(server, "iam", "delete-policy", "--policy-arn", arn, check=False)
    assert failed.returncode != 0 and "DeleteConflict" in failed.stderr


def test_cli_inline_policy_and_managed_list(server):
    server.client("iam").create_group(GroupName="cli-group")
    aws_cli(
        server, "iam", "put-group-policy", "--group-name", "cli-group",
        "--policy-name", "inline", "--policy-document", doc("ec2:Describe*"),
    )
    got = aws_cli(server, "iam", "get-group-policy", "--group-name", "cli-group", "--policy-name", "inline")
    assert got["PolicyDocument"] == json.loads(doc("ec2:Describe*"))
    # The CLI paginates ListPolicies itself, following Marker.
    listed = aws_cli(server, "iam", "list-policies", "--scope", "AWS", "--page-size", "3")
    names = [p["PolicyName"] for p in listed["Policies"]]
    assert "AdministratorAccess" in names and len(names) == len(set(names)) and len(names) > 15
