"""STS: AssumeRole (trust policy + identity side, ExternalId, MFA, durations, chaining, session
policies and tags, SourceIdentity), GetSessionToken, GetFederationToken, AssumeRoot,
DecodeAuthorizationMessage, GetAccessKeyInfo, and the aws CLI's role_arn/source_profile flow."""
import base64
import hashlib
import hmac
import json
import os
import re
import struct
import subprocess
import time
from datetime import datetime, timezone
from pathlib import Path

import pytest
from botocore.exceptions import ClientError

from conftest import REGION, aws_cli, signup

ASIA_RE = re.compile(r"^ASIA[A-Z2-7]{16}$")
ROLE_ID_RE = re.compile(r"^AROA[A-Z2-7]{17}$")
ALLOW_STS = {"Effect": "Allow", "Action": "sts:*", "Resource": "*"}


def policy(*statements):
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


def trust(principal, action="sts:AssumeRole", condition=None):
    st = {"Effect": "Allow", "Principal": {"AWS": principal}, "Action": action}
    if condition:
        st["Condition"] = condition
    return policy(st)


def err(excinfo):
    e = excinfo.value.response
    return e["Error"]["Code"], e["Error"]["Message"], e["ResponseMetadata"]["HTTPStatusCode"]


def skip_unimplemented(fn, *args, **kw):
    try:
        return fn(*args, **kw)
    except ClientError as e:
        if e.response["Error"]["Code"] == "NotImplementedException":
            pytest.skip(f"{e.operation_name} is not implemented yet")
        raise


class Account:
    """A signed-up account: its id, its root IAM client, and helpers to create identities."""

    def __init__(self, server, name):
        self.server = server
        self.id, self.root_key = signup(server, f"{name}@example.com", name)
        self.iam = server.client("iam", key=self.root_key)

    def user(self, name, *statements):
        """An IAM user with an inline policy (default: sts:*); returns (arn, key)."""
        u = skip_unimplemented(self.iam.create_user, UserName=name)["User"]
        statements = statements or (ALLOW_STS,)
        self.iam.put_user_policy(UserName=name, PolicyName="p", PolicyDocument=policy(*statements))
        k = skip_unimplemented(self.iam.create_access_key, UserName=name)["AccessKey"]
        return u["Arn"], (k["AccessKeyId"], k["SecretAccessKey"])

    def role(self, name, trust_policy, *statements, **kw):
        r = skip_unimplemented(
            self.iam.create_role, RoleName=name, AssumeRolePolicyDocument=trust_policy, **kw
        )["Role"]
        if statements:
            self.iam.put_role_policy(RoleName=name, PolicyName="p", PolicyDocument=policy(*statements))
        return r

    def root_arn(self):
        return f"arn:aws:iam::{self.id}:root"


def sts(server, key, token=None):
    return server.client("sts", key=key, session_token=token)


def creds_of(resp):
    c = resp["Credentials"]
    return (c["AccessKeyId"], c["SecretAccessKey"]), c["SessionToken"]


def session_sts(server, resp):
    key, token = creds_of(resp)
    return sts(server, key, token)


def seconds_left(expiration):
    return (expiration - datetime.now(timezone.utc)).total_seconds()


def totp(seed, step):
    key = base64.b32decode(seed)
    digest = hmac.new(key, struct.pack(">Q", step), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 1_000_000:06d}"


@pytest.fixture
def home(server):
    return Account(server, "home")


@pytest.fixture
def prod(server):
    return Account(server, "prod")


# ---------------------------------------------------------------------------------------------
# AssumeRole
# ---------------------------------------------------------------------------------------------


def test_assume_role_same_account(server, home):
    alice_arn, alice = home.user("alice")
    role = home.role("admin", trust(alice_arn), {"Effect": "Allow", "Action": "*", "Resource": "*"})
    resp = sts(server, alice).assume_role(RoleArn=role["Arn"], RoleSessionName="alice-session")
    c = resp["Credentials"]
    assert ASIA_RE.match(c["AccessKeyId"])
    assert len(c["SecretAccessKey"]) == 40
    assert len(c["SessionToken"]) >= 356 and re.match(r"^[A-Za-z0-9+/=]+$", c["SessionToken"])
    assert 3590 < seconds_left(c["Expiration"]) <= 3600
    user = resp["AssumedRoleUser"]
    assert user["Arn"] == f"arn:aws:sts::{home.id}:assumed-role/admin/alice-session"
    assert user["AssumedRoleId"] == f"{role['RoleId']}:alice-session"
    assert ROLE_ID_RE.match(role["RoleId"])
    assert "PackedPolicySize" not in resp
    assert resp["SessionTokenSize"] == len(c["SessionToken"])
    assert 0 < resp["SessionTokenUtilization"] <= 100

    me = session_sts(server, resp).get_caller_identity()
    assert me["Arn"] == user["Arn"]
    assert me["UserId"] == user["AssumedRoleId"]
    assert me["Account"] == home.id

    last = home.iam.get_role(RoleName="admin")["Role"]["RoleLastUsed"]
    assert last["Region"] == REGION
    assert abs((datetime.now(timezone.utc) - last["LastUsedDate"]).total_seconds()) < 60


def test_assume_role_cross_account_needs_both_sides(server, home, prod):
    alice_arn, alice = home.user("alice")
    # Bob has no permission of his own to call sts:AssumeRole.
    _, bob = home.user("bob", {"Effect": "Allow", "Action": "iam:ListUsers", "Resource": "*"})
    role = prod.role("deploy", trust(home.root_arn()))
    resp = sts(server, alice).assume_role(RoleArn=role["Arn"], RoleSessionName="deploy")
    assert resp["AssumedRoleUser"]["Arn"] == f"arn:aws:sts::{prod.id}:assumed-role/deploy/deploy"
    me = session_sts(server, resp).get_caller_identity()
    assert me["Account"] == prod.id

    with pytest.raises(ClientError) as e:
        sts(server, bob).assume_role(RoleArn=role["Arn"], RoleSessionName="xx")
    code, message, status = err(e)
    assert (code, status) == ("AccessDenied", 403)
    assert f"is not authorized to perform: sts:AssumeRole on resource: {role['Arn']}" in message

    # A third account the trust policy does not name.
    other = Account(server, "other")
    _, carol = other.user("carol")
    with pytest.raises(ClientError) as e:
        sts(server, carol).assume_role(RoleArn=role["Arn"], RoleSessionName="xx")
    code, message, status = err(e)
    assert (code, status) == ("AccessDenied", 403)
    assert message.startswith(
        f"User: arn:aws:iam::{other.id}:user/carol is not authorized to perform: "
        f"sts:AssumeRole on resource: {role['Arn']}"
    )


def test_assume_role_missing_role_root_and_bad_arn(server, home):
    _, alice = home.user("alice")
    missing = f"arn:aws:iam::{home.id}:role/nope"
    with pytest.raises(ClientError) as e:
        sts(server, alice).assume_role(RoleArn=missing, RoleSessionName="s1")
    assert err(e) == (
        "AccessDenied",
        f"User: arn:aws:iam::{home.id}:user/alice is not authorized to perform: "
        f"sts:AssumeRole on resource: {missing}",
        403,
    )
    role = home.role("r", trust(home.root_arn()))
    with pytest.raises(ClientError) as e:
        sts(server, home.root_key).assume_role(RoleArn=role["Arn"], RoleSessionName="s1")
    assert err(e) == ("AccessDenied", "Roles may not be assumed by root accounts.", 403)
    # The path is part of the role's ARN.
    with pytest.raises(ClientError) as e:
        sts(server, alice).assume_role(
            RoleArn=f"arn:aws:iam::{home.id}:role/other/path/r", RoleSessionName="s1"
        )
    assert err(e)[0] == "AccessDenied"
    with pytest.raises(ClientError) as e:
        sts(server, alice).assume_role(RoleArn="arn:aws:s3:::not-a-role", RoleSessionName="s1")
    assert err(e)[0] in ("ValidationError", "AccessDenied")


def test_external_id(server, home, prod):
    _, alice = home.user("alice")
    cond = {"StringEquals": {"sts:ExternalId": "s3cr3t-id"}}
    role = prod.role("vendor", trust(home.root_arn(), condition=cond))
    client = sts(server, alice)
    for kw in ({}, {"ExternalId": "wrong-id"}):
        with pytest.raises(ClientError) as e:
            client.assume_role(RoleArn=role["Arn"], RoleSessionName="vv", **kw)
        assert err(e)[0] == "AccessDenied"
        assert err(e)[2] == 403
    ok = client.assume_role(RoleArn=role["Arn"], RoleSessionName="vv", ExternalId="s3cr3t-id")
    assert ok["AssumedRoleUser"]["Arn"].endswith(":assumed-role/vendor/vv")


def test_duration_bounds(server, home):
    alice_arn, alice = home.user("alice")
    short = home.role("short", trust(alice_arn))
    long = home.role("long", trust(alice_arn), MaxSessionDuration=7200)
    client = sts(server, alice)
    resp = client.assume_role(RoleArn=short["Arn"], RoleSessionName="ss", DurationSeconds=900)
    assert 890 < seconds_left(resp["Credentials"]["Expiration"]) <= 900
    with pytest.raises(ClientError) as e:
        client.assume_role(RoleArn=short["Arn"], RoleSessionName="ss", DurationSeconds=7200)
    assert err(e) == (
        "ValidationError",
        "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.",
        400,
    )
    resp = client.assume_role(RoleArn=long["Arn"], RoleSessionName="ss", DurationSeconds=7200)
    assert 7190 < seconds_left(resp["Credentials"]["Expiration"]) <= 7200


def test_role_chaining_caps_at_one_hour(server, home, prod):
    alice_arn, alice = home.user("alice")
    first = home.role("first", trust(alice_arn), ALLOW_STS)
    second = prod.role("second", trust(first["Arn"]), MaxSessionDuration=43200)
    s1 = session_sts(server, sts(server, alice).assume_role(RoleArn=first["Arn"], RoleSessionName="aa"))
    with pytest.raises(ClientError) as e:
        s1.assume_role(RoleArn=second["Arn"], RoleSessionName="bb", DurationSeconds=7200)
    assert err(e) == (
        "ValidationError",
        "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role "
        "chaining.",
        400,
    )
    resp = s1.assume_role(RoleArn=second["Arn"], RoleSessionName="bb", DurationSeconds=3600)
    me = session_sts(server, resp).get_caller_identity()
    assert me["Arn"] == f"arn:aws:sts::{prod.id}:assumed-role/second/bb"


def test_session_policies_and_packed_size(server, home):
    alice_arn, alice = home.user("alice")
    role = home.role("admin", trust(alice_arn), {"Effect": "Allow", "Action": "*", "Resource": "*"})
    client = sts(server, alice)
    narrow = policy({"Effect": "Allow", "Action": "iam:ListRoles", "Resource": "*"})
    resp = client.assume_role(
        RoleArn=role["Arn"],
        RoleSessionName="narrow",
        Policy=narrow,
        PolicyArns=[{"arn": "arn:aws:iam::aws:policy/ReadOnlyAccess"}],
    )
    assert 0 < resp["PackedPolicySize"] < 100
    assert len(resp["Credentials"]["SessionToken"]) > 356

    with pytest.raises(ClientError) as e:
        client.assume_role(RoleArn=role["Arn"], RoleSessionName="xx", Policy='{"Version":"2012-10-17"}')
    assert err(e)[0] == "MalformedPolicyDocument" and err(e)[2] == 400
    with pytest.raises(ClientError) as e:
        client.assume_role(
            RoleArn=role["Arn"],
            RoleSessionName="xx",
            PolicyArns=[{"arn": f"arn:aws:iam::{home.id}:policy/DoesNotExist"}],
        )
    assert err(e)[2] == 400
    big_tags = [{"Key": f"k{i:02d}" + "x" * 100, "Value": "v" * 200} for i in range(50)]
    big_trust = home.role(
        "tagged", trust(alice_arn, action=["sts:AssumeRole", "sts:TagSession"])
    )
    with pytest.raises(ClientError) as e:
        client.assume_role(RoleArn=big_trust["Arn"], RoleSessionName="xx", Tags=big_tags)
    code, message, status = err(e)
    assert (code, status) == ("PackedPolicyTooLarge", 400)
    assert re.match(r"^Packed size of session tags consumes \d+% of allotted space\.$", message)


def test_session_policy_narrows_the_role(server, home):
    alice_arn, alice = home.user("alice")
    role = home.role("admin", trust(alice_arn), {"Effect": "Allow", "Action": "*", "Resource": "*"})
    narrow = policy({"Effect": "Allow", "Action": "iam:ListRoles", "Resource": "*"})
    resp = sts(server, alice).assume_role(RoleArn=role["Arn"], RoleSessionName="nn", Policy=narrow)
    key, token = creds_of(resp)
    iam = server.client("iam", key=key, session_token=token)
    assert any(r["RoleName"] == "admin" for r in iam.list_roles()["Roles"])
    with pytest.raises(ClientError) as e:
        iam.list_users()
    code, message, status = err(e)
    assert (code, status) == ("AccessDenied", 403)
    assert "iam:ListUsers" in message and "session" in message


def test_session_tags_transitive_and_tag_session_permission(server, home, prod):
    alice_arn, alice = home.user("alice")
    no_tags = home.role("plain", trust(alice_arn))
    first = home.role("first", trust(alice_arn, action=["sts:AssumeRole", "sts:TagSession"]), ALLOW_STS)
    # The second role only trusts sessions carrying the project=blue tag.
    second = prod.role(
        "second",
        trust(
            first["Arn"],
            action=["sts:AssumeRole", "sts:TagSession"],
            condition={"StringEquals": {"aws:PrincipalTag/project": "blue"}},
        ),
    )
    client = sts(server, alice)
    tags = [{"Key": "project", "Value": "blue"}, {"Key": "team", "Value": "core"}]
    with pytest.raises(ClientError) as e:
        client.assume_role(RoleArn=no_tags["Arn"], RoleSessionName="tt", Tags=tags)
    code, message, _ = err(e)
    assert code == "AccessDenied" and "sts:TagSession" in message
    with pytest.raises(ClientError) as e:
        client.assume_role(
            RoleArn=first["Arn"],
            RoleSessionName="tt",
            Tags=[{"Key": "a", "Value": "1"}, {"Key": "A", "Value": "2"}],
        )
    assert err(e)[0] == "ValidationError"

    resp = client.assume_role(
        RoleArn=first["Arn"], RoleSessionName="tt", Tags=tags, TransitiveTagKeys=["project"]
    )
    assert resp["PackedPolicySize"] >= 1
    s1 = session_sts(server, resp)
    chained = s1.assume_role(RoleArn=second["Arn"], RoleSessionName="t2")
    assert chained["AssumedRoleUser"]["Arn"].endswith(":assumed-role/second/t2")
    # A transitive tag cannot be overridden down the chain.
    with pytest.raises(ClientError) as e:
        s1.assume_role(RoleArn=second["Arn"], RoleSessionName="t3", Tags=[{"Key": "Project", "Value": "red"}])
    assert err(e)[0] == "ValidationError"
    # Without the transitive tag the second role does not trust the session.
    s_untagged = session_sts(server, client.assume_role(RoleArn=first["Arn"], RoleSessionName="uu"))
    with pytest.raises(ClientError) as e:
        s_untagged.assume_role(RoleArn=second["Arn"], RoleSessionName="t4")
    assert err(e)[0] == "AccessDenied"


def test_source_identity(server, home):
    alice_arn, alice = home.user("alice")
    first = home.role(
        "first", trust(alice_arn, action=["sts:AssumeRole", "sts:SetSourceIdentity"]), ALLOW_STS
    )
    second = home.role("second", trust(first["Arn"], action=["sts:AssumeRole", "sts:SetSourceIdentity"]))
    plain = home.role("plain", trust(alice_arn))
    client = sts(server, alice)
    with pytest.raises(ClientError) as e:
        client.assume_role(RoleArn=plain["Arn"], RoleSessionName="ss", SourceIdentity="alice")
    assert err(e)[0] == "AccessDenied" and "sts:SetSourceIdentity" in err(e)[1]
    resp = client.assume_role(RoleArn=first["Arn"], RoleSessionName="ss", SourceIdentity="alice")
    assert resp["SourceIdentity"] == "alice"
    s1 = session_sts(server, resp)
    chained = s1.assume_role(RoleArn=second["Arn"], RoleSessionName="s2")
    assert chained["SourceIdentity"] == "alice"
    with pytest.raises(ClientError) as e:
        s1.assume_role(RoleArn=second["Arn"], RoleSessionName="s3", SourceIdentity="mallory")
    assert err(e)[0] == "AccessDenied"


def mfa_user(account, name):
    """A user with an enabled virtual MFA device; returns (arn, key, serial, seed, last step)."""
    arn, key = account.user(name)
    device = skip_unimplemented(account.iam.create_virtual_mfa_device, VirtualMFADeviceName=name)
    device = device["VirtualMFADevice"]
    seed = device["Base32StringSeed"].decode()
    step = int(time.time()) // 30
    skip_unimplemented(
        account.iam.enable_mfa_device,
        UserName=name,
        SerialNumber=device["SerialNumber"],
        AuthenticationCode1=totp(seed, step - 1),
        AuthenticationCode2=totp(seed, step),
    )
    return arn, key, device["SerialNumber"], seed, step


def test_mfa_protected_role(server, home, prod):
    _, alice, serial, seed, step = mfa_user(home, "alice")
    role = prod.role(
        "admin", trust(home.root_arn(), condition={"Bool": {"aws:MultiFactorAuthPresent": "true"}})
    )
    client = sts(server, alice)
    with pytest.raises(ClientError) as e:
        client.assume_role(RoleArn=role["Arn"], RoleSessionName="mm")
    assert err(e)[:1] == ("AccessDenied",)
    wrong = "000000" if totp(seed, step + 1) != "000000" else "111111"
    with pytest.raises(ClientError) as e:
        client.assume_role(RoleArn=role["Arn"], RoleSessionName="mm", SerialNumber=serial, TokenCode=wrong)
    assert err(e) == (
        "AccessDenied",
        "MultiFactorAuthentication failed with invalid MFA one time pass code.",
        403,
    )
    code = totp(seed, step + 1)
    resp = client.assume_role(RoleArn=role["Arn"], RoleSessionName="mm", SerialNumber=serial, TokenCode=code)
    assert resp["AssumedRoleUser"]["Arn"] == f"arn:aws:sts::{prod.id}:assumed-role/admin/mm"
    # A code is accepted once.
    with pytest.raises(ClientError) as e:
        client.assume_role(RoleArn=role["Arn"], RoleSessionName="mm", SerialNumber=serial, TokenCode=code)
    assert err(e)[0] == "AccessDenied"
    # Someone else's device.
    _, bob = home.user("bob")
    with pytest.raises(ClientError) as e:
        sts(server, bob).assume_role(
            RoleArn=role["Arn"], RoleSessionName="mm", SerialNumber=serial, TokenCode=totp(seed, step + 2)
        )
    assert err(e)[0] == "AccessDenied" and "associated with this user" in err(e)[1]


# ---------------------------------------------------------------------------------------------
# GetSessionToken, GetFederationToken
# ---------------------------------------------------------------------------------------------


def test_get_session_token(server, home, prod):
    alice_arn, alice, serial, seed, step = mfa_user(home, "alice")
    resp = sts(server, alice).get_session_token(DurationSeconds=900)
    c = resp["Credentials"]
    assert ASIA_RE.match(c["AccessKeyId"]) and len(c["SecretAccessKey"]) == 40
    assert 890 < seconds_left(c["Expiration"]) <= 900
    me = session_sts(server, resp).get_caller_identity()
    assert me["Arn"] == alice_arn
    # Default: 12 hours.
    assert 43190 < seconds_left(sts(server, alice).get_session_token()["Credentials"]["Expiration"]) <= 43200
    # Session credentials cannot get another session token.
    with pytest.raises(ClientError) as e:
        session_sts(server, resp).get_session_token()
    assert err(e) == ("AccessDenied", "Cannot call GetSessionToken with session credentials", 403)
    # Root: at most one hour.
    root = sts(server, home.root_key).get_session_token(DurationSeconds=7200)
    assert 3590 < seconds_left(root["Credentials"]["Expiration"]) <= 3600
    assert session_sts(server, root).get_caller_identity()["Arn"] == home.root_arn()

    # With MFA: the session carries the MFA context into AssumeRole.
    role = prod.role(
        "admin", trust(home.root_arn(), condition={"Bool": {"aws:MultiFactorAuthPresent": "true"}})
    )
    mfa = sts(server, alice).get_session_token(SerialNumber=serial, TokenCode=totp(seed, step + 1))
    out = session_sts(server, mfa).assume_role(RoleArn=role["Arn"], RoleSessionName="via-gst")
    assert out["AssumedRoleUser"]["Arn"].endswith("assumed-role/admin/via-gst")
    with pytest.raises(ClientError) as e:
        session_sts(server, resp).assume_role(RoleArn=role["Arn"], RoleSessionName="no-mfa")
    assert err(e)[0] == "AccessDenied"


def test_get_session_token_needs_no_permission(server, home):
    arn, key = home.user("nobody", {"Effect": "Allow", "Action": "iam:GetUser", "Resource": "*"})
    resp = sts(server, key).get_session_token()
    assert session_sts(server, resp).get_caller_identity()["Arn"] == arn


def test_get_federation_token(server, home):
    _, alice = home.user("alice")
    client = sts(server, alice)
    resp = client.get_federation_token(
        Name="bob",
        Policy=policy({"Effect": "Allow", "Action": "iam:ListRoles", "Resource": "*"}),
        DurationSeconds=900,
    )
    fed = resp["FederatedUser"]
    assert fed == {
        "FederatedUserId": f"{home.id}:bob",
        "Arn": f"arn:aws:sts::{home.id}:federated-user/bob",
    }
    assert 0 < resp["PackedPolicySize"] <= 100
    assert 890 < seconds_left(resp["Credentials"]["Expiration"]) <= 900
    me = session_sts(server, resp).get_caller_identity()
    assert me == {**me, "Arn": fed["Arn"], "UserId": fed["FederatedUserId"], "Account": home.id}
    no_policy = client.get_federation_token(Name="carol")
    assert "PackedPolicySize" not in no_policy
    # Without session policies a federated user may do nothing (but ask who it is).
    key, token = creds_of(no_policy)
    with pytest.raises(ClientError) as e:
        server.client("iam", key=key, session_token=token).list_roles()
    assert err(e)[0] == "AccessDenied"
    assert sts(server, key, token).get_caller_identity()["Arn"].endswith("federated-user/carol")
    assert 43190 < seconds_left(no_policy["Credentials"]["Expiration"]) <= 43200
    with pytest.raises(ClientError) as e:
        session_sts(server, resp).get_federation_token(Name="x1")
    assert err(e)[0] == "AccessDenied"
    with pytest.raises(ClientError) as e:
        client.get_federation_token(Name="x2", Policy="{not json")
    assert err(e)[0] == "MalformedPolicyDocument"


# ---------------------------------------------------------------------------------------------
# AssumeRoot
# ---------------------------------------------------------------------------------------------


def root_session_setup(server):
    """An organization with a member account and trusted access for IAM (root sessions not enabled
    yet), and an IAM user of the management account allowed sts:*; returns (member id, the user's
    STS client, the management account root's IAM client)."""
    orgs = server.client("organizations")
    orgs.create_organization(FeatureSet="ALL")
    status = orgs.create_account(Email="member@example.com", AccountName="member")["CreateAccountStatus"]
    member = orgs.describe_create_account_status(CreateAccountRequestId=status["Id"])[
        "CreateAccountStatus"
    ]["AccountId"]
    orgs.enable_aws_service_access(ServicePrincipal="iam.amazonaws.com")
    iam = server.client("iam")
    skip_unimplemented(iam.create_user, UserName="rootops")
    iam.put_user_policy(UserName="rootops", PolicyName="p", PolicyDocument=policy(ALLOW_STS))
    k = iam.create_access_key(UserName="rootops")["AccessKey"]
    client = sts(server, (k["AccessKeyId"], k["SecretAccessKey"]))
    return member, client, iam


TASK = {"arn": "arn:aws:iam::aws:policy/root-task/IAMAuditRootUserCredentials"}


def test_assume_root(server):
    member, client, iam = root_session_setup(server)
    task = TASK

    # Root sessions not enabled yet.
    with pytest.raises(ClientError) as e:
        client.assume_root(TargetPrincipal=member, TaskPolicyArn=task)
    assert err(e)[0] == "AccessDenied"
    skip_unimplemented(iam.enable_organizations_root_sessions)

    resp = client.assume_root(TargetPrincipal=member, TaskPolicyArn=task, DurationSeconds=600)
    c = resp["Credentials"]
    assert ASIA_RE.match(c["AccessKeyId"])
    assert 590 < seconds_left(c["Expiration"]) <= 600
    me = session_sts(server, resp).get_caller_identity()
    assert me["Arn"] == f"arn:aws:iam::{member}:root" and me["Account"] == member
    default = client.assume_root(TargetPrincipal=f"arn:aws:iam::{member}:root", TaskPolicyArn=task)
    assert 890 < seconds_left(default["Credentials"]["Expiration"]) <= 900

    with pytest.raises(ClientError) as e:
        client.assume_root(TargetPrincipal=member, TaskPolicyArn={"arn": "arn:aws:iam::aws:policy/AdministratorAccess"})
    assert err(e)[0] == "ValidationError"
    with pytest.raises(ClientError) as e:
        client.assume_root(TargetPrincipal=member, TaskPolicyArn=task, DurationSeconds=3600)
    assert err(e)[0] == "ValidationError"
    # The management account itself is not a target; root users cannot call it.
    with pytest.raises(ClientError) as e:
        client.assume_root(TargetPrincipal="000000000000", TaskPolicyArn=task)
    assert err(e)[0] == "AccessDenied"
    with pytest.raises(ClientError) as e:
        server.client("sts").assume_root(TargetPrincipal=member, TaskPolicyArn=task)
    assert err(e)[0] == "AccessDenied"


# ---------------------------------------------------------------------------------------------
# DecodeAuthorizationMessage, GetAccessKeyInfo
# ---------------------------------------------------------------------------------------------


def encode_message(decision):
    """localorg's encoding (see crates/sts/src/message.rs): version byte, FNV-1a checksum,
    JSON, XORed with a xorshift keystream, URL-safe Base64 without padding."""
    payload = json.dumps(decision, separators=(",", ":")).encode()
    h = 0xCBF29CE484222325
    for b in payload:
        h = ((h ^ b) * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    data = bytearray([1]) + h.to_bytes(8, "big") + payload
    state = 0x6C6F63616C6F7267
    mask = 0xFFFFFFFFFFFFFFFF
    for i in range(len(data)):
        state ^= (state << 13) & mask
        state ^= state >> 7
        state ^= (state << 17) & mask
        data[i] ^= state & 0xFF
    return base64.urlsafe_b64encode(bytes(data)).decode().rstrip("=")


def test_decode_authorization_message(server, home):
    decision = {
        "allowed": False,
        "explicitDeny": True,
        "matchedStatements": {"items": [{"statementId": "NoDelete", "effect": "DENY"}]},
        "failures": {"items": []},
        "context": {
            "principal": {"id": "AIDAEXAMPLE", "arn": f"arn:aws:iam::{home.id}:user/alice"},
            "action": "iam:DeleteUser",
            "resource": f"arn:aws:iam::{home.id}:user/bob",
            "conditions": {"items": []},
        },
    }
    client = sts(server, home.root_key)
    out = client.decode_authorization_message(EncodedMessage=encode_message(decision))
    assert json.loads(out["DecodedMessage"]) == decision
    with pytest.raises(ClientError) as e:
        client.decode_authorization_message(EncodedMessage="bm90LWEtbWVzc2FnZQ")
    assert err(e)[:1] == ("InvalidAuthorizationMessageException",)
    assert err(e)[2] == 400
    out = aws_cli(
        server, "sts", "decode-authorization-message",
        "--encoded-message", encode_message(decision), key=home.root_key,
    )
    assert json.loads(out["DecodedMessage"])["context"]["action"] == "iam:DeleteUser"


def test_get_access_key_info(server, home, prod):
    _, alice = home.user("alice")
    client = sts(server, prod.root_key)
    assert client.get_access_key_info(AccessKeyId=alice[0])["Account"] == home.id
    assert client.get_access_key_info(AccessKeyId=prod.root_key[0])["Account"] == prod.id
    temp, _ = creds_of(sts(server, alice).get_session_token())
    assert client.get_access_key_info(AccessKeyId=temp[0])["Account"] == home.id
    # A key localorg never issued: the account its id encodes, as AWS answers.
    assert client.get_access_key_info(AccessKeyId="ASIAQNZGKIQY56JQ7WML")["Account"] == "029608264753"
    with pytest.raises(ClientError) as e:
        client.get_access_key_info(AccessKeyId="NOTAKEY1234567890")
    assert err(e)[0] == "ValidationError"


# ---------------------------------------------------------------------------------------------
# aws CLI: ~/.aws/config profiles with role_arn + source_profile (+ mfa_serial)
# ---------------------------------------------------------------------------------------------


def cli_with_config(server, tmp_path, config, credentials, *args, stdin=None):
    (tmp_path / "config").write_text(config)
    (tmp_path / "credentials").write_text(credentials)
    env = dict(os.environ)
    for k in ("AWS_PROFILE", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"):
        env.pop(k, None)
    env.update(
        AWS_CONFIG_FILE=str(tmp_path / "config"),
        AWS_SHARED_CREDENTIALS_FILE=str(tmp_path / "credentials"),
        AWS_ENDPOINT_URL=server.endpoint,
        AWS_DEFAULT_REGION=REGION,
        AWS_MAX_ATTEMPTS="1",
        HOME=str(tmp_path),
    )
    venv_aws = Path(os.sys.executable).parent / "aws"
    cmd = [str(venv_aws) if venv_aws.exists() else "aws", *args, "--output", "json"]
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=60, input=stdin)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def test_cli_profile_role_arn_source_profile(server, home, prod, tmp_path):
    _, alice = home.user("alice")
    prod.role("admin", trust(home.root_arn()))
    prod.role(
        "mfa-admin", trust(home.root_arn(), condition={"Bool": {"aws:MultiFactorAuthPresent": "true"}})
    )
    config = (
        "[profile home]\nregion = us-east-1\n\n"
        f"[profile prod]\nrole_arn = arn:aws:iam::{prod.id}:role/admin\nsource_profile = home\n"
        "role_session_name = cli-session\n"
    )
    credentials = f"[home]\naws_access_key_id = {alice[0]}\naws_secret_access_key = {alice[1]}\n"
    out = cli_with_config(server, tmp_path, config, credentials, "sts", "get-caller-identity", "--profile", "prod")
    assert out["Arn"] == f"arn:aws:sts::{prod.id}:assumed-role/admin/cli-session"
    assert out["Account"] == prod.id


def test_cli_profile_with_mfa_serial(server, home, prod, tmp_path):
    _, alice, serial, seed, step = mfa_user(home, "alice")
    prod.role(
        "mfa-admin", trust(home.root_arn(), condition={"Bool": {"aws:MultiFactorAuthPresent": "true"}})
    )
    config = (
        "[profile home]\nregion = us-east-1\n\n"
        f"[profile prod]\nrole_arn = arn:aws:iam::{prod.id}:role/mfa-admin\nsource_profile = home\n"
        f"mfa_serial = {serial}\nrole_session_name = mfa-session\n"
    )
    credentials = f"[home]\naws_access_key_id = {alice[0]}\naws_secret_access_key = {alice[1]}\n"
    out = cli_with_config(
        server, tmp_path, config, credentials, "sts", "get-caller-identity", "--profile", "prod",
        stdin=totp(seed, step + 1) + "\n",
    )
    assert out["Arn"] == f"arn:aws:sts::{prod.id}:assumed-role/mfa-admin/mfa-session"


def test_cli_assume_role(server, home):
    alice_arn, alice = home.user("alice")
    role = home.role("admin", trust(alice_arn))
    out = aws_cli(
        server, "sts", "assume-role", "--role-arn", role["Arn"], "--role-session-name", "cli",
        "--duration-seconds", "900", key=alice,
    )
    assert ASIA_RE.match(out["Credentials"]["AccessKeyId"])
    assert out["AssumedRoleUser"]["Arn"].endswith(":assumed-role/admin/cli")


def test_same_account_trust_naming_the_user_suffices(server, home):
    # No identity policy of her own: in the same account a trust policy naming the user grants.
    alice_arn, alice = home.user("alice", {"Effect": "Allow", "Action": "iam:ListUsers", "Resource": "*"})
    direct = home.role("direct", trust(alice_arn))
    resp = sts(server, alice).assume_role(RoleArn=direct["Arn"], RoleSessionName="direct")
    assert resp["AssumedRoleUser"]["Arn"].endswith(":assumed-role/direct/direct")
    # Trusting the account only delegates to the identity side, which does not allow it.
    delegated = home.role("delegated", trust(home.root_arn()))
    with pytest.raises(ClientError) as e:
        sts(server, alice).assume_role(RoleArn=delegated["Arn"], RoleSessionName="delegated")
    code, message, status = err(e)
    assert (code, status) == ("AccessDenied", 403)
    assert "sts:AssumeRole" in message


def test_assume_root_session_is_scoped_by_the_task_policy(server):
    member, client, iam = root_session_setup(server)
    skip_unimplemented(iam.enable_organizations_root_sessions)
    key, token = creds_of(client.assume_root(TargetPrincipal=member, TaskPolicyArn=TASK))
    root_iam = server.client("iam", key=key, session_token=token)
    assert "SummaryMap" in root_iam.get_account_summary()
    with pytest.raises(ClientError) as e:
        root_iam.create_user(UserName="not-a-task")
    assert err(e)[0] == "AccessDenied"


def test_assume_root_deletes_member_root_credentials(server):
    """Centralized root access: the management account removes a member's root access key."""
    member, client, iam = root_session_setup(server)
    iam.enable_organizations_root_credentials_management()
    iam.enable_organizations_root_sessions()
    member_root = server.admin("/_localorg/complete-signup", {"AccountId": member})
    old_key = (member_root["AccessKeyId"], member_root["SecretAccessKey"])
    assert server.client("sts", key=old_key).get_caller_identity()["Account"] == member
    key, token = creds_of(client.assume_root(
        TargetPrincipal=member,
        TaskPolicyArn={"arn": "arn:aws:iam::aws:policy/root-task/IAMDeleteRootUserCredentials"}))
    root_iam = server.client("iam", key=key, session_token=token)
    keys = [k["AccessKeyId"] for k in root_iam.list_access_keys()["AccessKeyMetadata"]]
    assert old_key[0] in keys
    root_iam.delete_access_key(AccessKeyId=old_key[0])
    with pytest.raises(ClientError) as e:
        server.client("sts", key=old_key).get_caller_identity()
    assert err(e)[0] == "InvalidClientTokenId"
    # The task policy allows nothing else.
    with pytest.raises(ClientError) as e:
        root_iam.create_access_key()
    assert err(e)[0] == "AccessDenied"
