"""The daily life of a multi-account setup, enforced end to end: a home-account user whose group lets
it assume MFA-protected admin roles in two other accounts, the management account stepping into
OrganizationAccountAccessRole, boundaries and session policies narrowing sessions."""
import base64
import hashlib
import hmac
import json
import struct
import time

import botocore.exceptions
import pytest

from conftest import signup

ALLOW_ALL = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]})


def totp(seed_b32, t):
    """RFC 6238: HMAC-SHA-1, 30-second steps, 6 digits."""
    key = base64.b32decode(seed_b32 + "=" * (-len(seed_b32) % 8))
    digest = hmac.new(key, struct.pack(">Q", int(t) // 30), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 1000000:06d}"


def code_of(excinfo):
    return excinfo.value.response["Error"]["Code"], excinfo.value.response["Error"]["Message"]


def admin_role_trusting(iam, account_id, home_account, require_mfa):
    trust = {"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{home_account}:root"}, "Action": "sts:AssumeRole"}
    if require_mfa:
        trust["Condition"] = {"Bool": {"aws:MultiFactorAuthPresent": "true"}}
    role = iam.create_role(
        RoleName="administrator",
        AssumeRolePolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [trust]}),
    )["Role"]
    iam.attach_role_policy(RoleName="administrator", PolicyArn="arn:aws:iam::aws:policy/AdministratorAccess")
    return role["Arn"]


@pytest.fixture
def home_and_environments(server):
    """Home account with user alice (MFA enabled) in group `operators` that may assume
    `administrator` anywhere; dev and prod accounts with an MFA-protected `administrator` role."""
    home_id, home_key = signup(server, "home@example.com", "Home")
    dev_id, dev_key = signup(server, "dev@example.com", "Dev")
    prod_id, prod_key = signup(server, "prod@example.com", "Prod")
    home = server.client("iam", key=home_key)
    home.create_group(GroupName="operators")
    home.put_group_policy(GroupName="operators", PolicyName="assume-admin", PolicyDocument=json.dumps({
        "Version": "2012-10-17",
        "Statement": [{"Sid": "AssumeAdmin", "Effect": "Allow", "Action": "sts:AssumeRole",
                       "Resource": "arn:aws:iam::*:role/administrator"}]}))
    home.create_user(UserName="alice")
    home.add_user_to_group(GroupName="operators", UserName="alice")
    key = home.create_access_key(UserName="alice")["AccessKey"]
    device = home.create_virtual_mfa_device(VirtualMFADeviceName="alice")["VirtualMFADevice"]
    seed = device["Base32StringSeed"].decode()
    now = time.time()
    home.enable_mfa_device(UserName="alice", SerialNumber=device["SerialNumber"],
                           AuthenticationCode1=totp(seed, now - 60), AuthenticationCode2=totp(seed, now - 30))
    roles = {}
    for account_id, account_key in ((dev_id, dev_key), (prod_id, prod_key)):
        roles[account_id] = admin_role_trusting(server.client("iam", key=account_key), account_id, home_id, True)
    return {
        "home": home, "home_id": home_id, "alice": (key["AccessKeyId"], key["SecretAccessKey"]),
        "serial": device["SerialNumber"], "seed": seed, "roles": roles,
    }


def test_a_user_assumes_mfa_protected_admin_roles_in_two_accounts(server, home_and_environments):
    h = home_and_environments
    sts = server.client("sts", key=h["alice"])
    # Without MFA the trust policy's condition fails.
    for role_arn in h["roles"].values():
        with pytest.raises(botocore.exceptions.ClientError) as e:
            sts.assume_role(RoleArn=role_arn, RoleSessionName="alice")
        assert code_of(e)[0] == "AccessDenied"
    # With MFA, both environments let alice in as administrator.
    for step, (account_id, role_arn) in enumerate(h["roles"].items()):
        creds = sts.assume_role(
            RoleArn=role_arn, RoleSessionName="alice", SerialNumber=h["serial"],
            TokenCode=totp(h["seed"], time.time() + 30 * step),
        )["Credentials"]
        session = (creds["AccessKeyId"], creds["SecretAccessKey"])
        ident = server.client("sts", key=session, session_token=creds["SessionToken"]).get_caller_identity()
        assert ident["Arn"] == f"arn:aws:sts::{account_id}:assumed-role/administrator/alice"
        iam = server.client("iam", key=session, session_token=creds["SessionToken"])
        assert iam.create_user(UserName="made-by-alice")["User"]["Arn"].startswith(f"arn:aws:iam::{account_id}:user/")


def test_removing_the_group_membership_revokes_access_at_once(server, home_and_environments):
    h = home_and_environments
    sts = server.client("sts", key=h["alice"])
    role_arn = next(iter(h["roles"].values()))
    sts.assume_role(RoleArn=role_arn, RoleSessionName="alice", SerialNumber=h["serial"], TokenCode=totp(h["seed"], time.time()))
    h["home"].remove_user_from_group(GroupName="operators", UserName="alice")
    with pytest.raises(botocore.exceptions.ClientError) as e:
        sts.assume_role(RoleArn=role_arn, RoleSessionName="alice", SerialNumber=h["serial"],
                        TokenCode=totp(h["seed"], time.time() + 30))
    code, message = code_of(e)
    assert code == "AccessDenied"
    assert "no identity-based policy allows the sts:AssumeRole action" in message


def test_an_iam_user_without_policies_is_denied_and_told_why(server):
    account_id, key = signup(server, "lone@example.com", "Lone")
    iam = server.client("iam", key=key)
    iam.create_user(UserName="bob")
    bob_key = iam.create_access_key(UserName="bob")["AccessKey"]
    bob = server.client("iam", key=(bob_key["AccessKeyId"], bob_key["SecretAccessKey"]))
    with pytest.raises(botocore.exceptions.ClientError) as e:
        bob.list_users()
    code, message = code_of(e)
    assert code == "AccessDenied"
    assert message.startswith(f"User: arn:aws:iam::{account_id}:user/bob is not authorized to perform: iam:ListUsers")
    assert "because no identity-based policy allows the iam:ListUsers action" in message
    iam.attach_user_policy(UserName="bob", PolicyArn="arn:aws:iam::aws:policy/IAMReadOnlyAccess")
    assert [u["UserName"] for u in bob.list_users()["Users"]] == ["bob"]
    with pytest.raises(botocore.exceptions.ClientError):
        bob.create_user(UserName="eve")


def test_self_service_policy_with_username_variable(server):
    _, key = signup(server, "self@example.com", "Self")
    iam = server.client("iam", key=key)
    iam.create_user(UserName="carol")
    iam.create_user(UserName="dave")
    iam.put_user_policy(UserName="carol", PolicyName="own-keys", PolicyDocument=json.dumps({
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": ["iam:ListAccessKeys", "iam:CreateAccessKey"],
                       "Resource": "arn:aws:iam::*:user/${aws:username}"}]}))
    k = iam.create_access_key(UserName="carol")["AccessKey"]
    carol = server.client("iam", key=(k["AccessKeyId"], k["SecretAccessKey"]))
    assert len(carol.list_access_keys()["AccessKeyMetadata"]) == 1
    assert len(carol.list_access_keys(UserName="carol")["AccessKeyMetadata"]) == 1
    with pytest.raises(botocore.exceptions.ClientError) as e:
        carol.list_access_keys(UserName="dave")
    assert code_of(e)[0] == "AccessDenied"


def management_admin_sts(server):
    """STS as an administrator IAM user of the management account (root users cannot assume roles)."""
    iam = server.client("iam")
    iam.create_user(UserName="platform-admin")
    iam.attach_user_policy(UserName="platform-admin", PolicyArn="arn:aws:iam::aws:policy/AdministratorAccess")
    k = iam.create_access_key(UserName="platform-admin")["AccessKey"]
    return server.client("sts", key=(k["AccessKeyId"], k["SecretAccessKey"]))


def test_root_users_cannot_assume_roles(server):
    account_id, key = signup(server, "rooty@example.com", "Rooty")
    iam = server.client("iam", key=key)
    iam.create_role(RoleName="r", AssumeRolePolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{account_id}:root"}, "Action": "sts:AssumeRole"}]}))
    with pytest.raises(botocore.exceptions.ClientError) as e:
        server.client("sts", key=key).assume_role(RoleArn=f"arn:aws:iam::{account_id}:role/r", RoleSessionName="root")
    assert code_of(e)[0] == "AccessDenied"


def test_management_account_assumes_organization_account_access_role(server):
    orgs = server.client("organizations")
    orgs.create_organization(FeatureSet="ALL")
    status = orgs.create_account(AccountName="Workload", Email="workload@example.com")["CreateAccountStatus"]
    account_id = orgs.describe_create_account_status(CreateAccountRequestId=status["Id"])["CreateAccountStatus"]["AccountId"]
    creds = management_admin_sts(server).assume_role(
        RoleArn=f"arn:aws:iam::{account_id}:role/OrganizationAccountAccessRole", RoleSessionName="mgmt",
    )["Credentials"]
    iam = server.client("iam", key=(creds["AccessKeyId"], creds["SecretAccessKey"]), session_token=creds["SessionToken"])
    names = [r["RoleName"] for r in iam.list_roles()["Roles"]]
    assert "OrganizationAccountAccessRole" in names


def test_an_ou_scp_binds_every_principal_of_member_accounts(server):
    orgs = server.client("organizations")
    orgs.create_organization(FeatureSet="ALL")
    root = orgs.list_roots()["Roots"][0]["Id"]
    orgs.enable_policy_type(RootId=root, PolicyType="SERVICE_CONTROL_POLICY")
    ou = orgs.create_organizational_unit(ParentId=root, Name="Locked")["OrganizationalUnit"]["Id"]
    status = orgs.create_account(AccountName="Locked", Email="locked@example.com")["CreateAccountStatus"]
    account_id = orgs.describe_create_account_status(CreateAccountRequestId=status["Id"])["CreateAccountStatus"]["AccountId"]
    orgs.move_account(AccountId=account_id, SourceParentId=root, DestinationParentId=ou)
    policy = orgs.create_policy(Name="NoNewUsers", Description="no new users", Type="SERVICE_CONTROL_POLICY", Content=json.dumps({
        "Version": "2012-10-17", "Statement": [{"Sid": "NoUsers", "Effect": "Deny", "Action": "iam:CreateUser", "Resource": "*"}]}))
    orgs.attach_policy(PolicyId=policy["Policy"]["PolicySummary"]["Id"], TargetId=ou)
    # The role session in the member account is denied...
    creds = management_admin_sts(server).assume_role(
        RoleArn=f"arn:aws:iam::{account_id}:role/OrganizationAccountAccessRole", RoleSessionName="mgmt",
    )["Credentials"]
    member_iam = server.client("iam", key=(creds["AccessKeyId"], creds["SecretAccessKey"]), session_token=creds["SessionToken"])
    with pytest.raises(botocore.exceptions.ClientError) as e:
        member_iam.create_user(UserName="x")
    code, message = code_of(e)
    assert code == "AccessDenied" and "service control policy" in message and "NoUsers" in message
    # ...and so is the member account's root user...
    root_key = server.admin("/_localorg/complete-signup", {"AccountId": account_id})
    member_root = server.client("iam", key=(root_key["AccessKeyId"], root_key["SecretAccessKey"]))
    with pytest.raises(botocore.exceptions.ClientError):
        member_root.create_user(UserName="x")
    # ...while the management account is not bound.
    assert server.client("iam").create_user(UserName="x")["User"]["UserName"] == "x"


def test_a_permissions_boundary_caps_a_role(server):
    account_id, key = signup(server, "bounded@example.com", "Bounded")
    iam = server.client("iam", key=key)
    iam.create_role(RoleName="capped", AssumeRolePolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{account_id}:root"}, "Action": "sts:AssumeRole"}]}),
        PermissionsBoundary="arn:aws:iam::aws:policy/IAMReadOnlyAccess")
    iam.attach_role_policy(RoleName="capped", PolicyArn="arn:aws:iam::aws:policy/AdministratorAccess")
    iam.create_user(UserName="op")
    iam.attach_user_policy(UserName="op", PolicyArn="arn:aws:iam::aws:policy/AdministratorAccess")
    op_key = iam.create_access_key(UserName="op")["AccessKey"]
    creds = server.client("sts", key=(op_key["AccessKeyId"], op_key["SecretAccessKey"])).assume_role(
        RoleArn=f"arn:aws:iam::{account_id}:role/capped", RoleSessionName="session")["Credentials"]
    session = server.client("iam", key=(creds["AccessKeyId"], creds["SecretAccessKey"]), session_token=creds["SessionToken"])
    assert session.list_roles()["Roles"]
    with pytest.raises(botocore.exceptions.ClientError) as e:
        session.create_user(UserName="nope")
    code, message = code_of(e)
    assert code == "AccessDenied" and "permissions boundary" in message


def test_a_session_policy_narrows_an_assumed_role(server):
    account_id, key = signup(server, "narrow@example.com", "Narrow")
    iam = server.client("iam", key=key)
    iam.create_role(RoleName="wide", AssumeRolePolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{account_id}:root"}, "Action": "sts:AssumeRole"}]}))
    iam.attach_role_policy(RoleName="wide", PolicyArn="arn:aws:iam::aws:policy/AdministratorAccess")
    iam.create_user(UserName="op")
    iam.attach_user_policy(UserName="op", PolicyArn="arn:aws:iam::aws:policy/AdministratorAccess")
    op_key = iam.create_access_key(UserName="op")["AccessKey"]
    creds = server.client("sts", key=(op_key["AccessKeyId"], op_key["SecretAccessKey"])).assume_role(
        RoleArn=f"arn:aws:iam::{account_id}:role/wide", RoleSessionName="session",
        Policy=json.dumps({"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Action": "iam:ListRoles", "Resource": "*"}]}))["Credentials"]
    session = server.client("iam", key=(creds["AccessKeyId"], creds["SecretAccessKey"]), session_token=creds["SessionToken"])
    assert session.list_roles()["Roles"]
    with pytest.raises(botocore.exceptions.ClientError) as e:
        session.list_users()
    code, message = code_of(e)
    assert code == "AccessDenied" and "session policy" in message


def test_simulate_principal_policy_agrees_with_enforcement(server):
    account_id, key = signup(server, "sim@example.com", "Sim")
    iam = server.client("iam", key=key)
    iam.create_user(UserName="bob")
    iam.attach_user_policy(UserName="bob", PolicyArn="arn:aws:iam::aws:policy/IAMReadOnlyAccess")
    iam.put_user_policy(UserName="bob", PolicyName="no-secrets", PolicyDocument=json.dumps({
        "Version": "2012-10-17", "Statement": [
            {"Sid": "NoKeys", "Effect": "Deny", "Action": "iam:ListAccessKeys", "Resource": "*"}]}))
    k = iam.create_access_key(UserName="bob")["AccessKey"]
    bob = server.client("iam", key=(k["AccessKeyId"], k["SecretAccessKey"]))
    actions = ["iam:ListUsers", "iam:CreateUser", "iam:ListAccessKeys"]
    sim = iam.simulate_principal_policy(
        PolicySourceArn=f"arn:aws:iam::{account_id}:user/bob", ActionNames=actions)["EvaluationResults"]
    decisions = {r["EvalActionName"]: r["EvalDecision"] for r in sim}
    assert decisions == {"iam:ListUsers": "allowed", "iam:CreateUser": "implicitDeny",
                         "iam:ListAccessKeys": "explicitDeny"}
    deny = next(r for r in sim if r["EvalActionName"] == "iam:ListAccessKeys")
    assert deny["MatchedStatements"][0]["SourcePolicyId"] == "inline:no-secrets"
    # The real calls agree with the simulation.
    real = {}
    for action, call in (("iam:ListUsers", lambda: bob.list_users()),
                         ("iam:CreateUser", lambda: bob.create_user(UserName="x")),
                         ("iam:ListAccessKeys", lambda: bob.list_access_keys())):
        try:
            call()
            real[action] = "allowed"
        except botocore.exceptions.ClientError as e:
            err = e.response["Error"]
            assert err["Code"] == "AccessDenied"
            real[action] = "explicitDeny" if "explicit deny" in err["Message"] else "implicitDeny"
    assert real == decisions


def test_simulate_custom_policy_with_organization_policies(server):
    iam = server.client("iam")
    allow = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]})
    scp_deny = json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Deny", "Action": "s3:DeleteBucket", "Resource": "*"}]})
    full = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]})
    out = iam.simulate_custom_policy(
        PolicyInputList=[allow], ActionNames=["s3:GetObject", "s3:DeleteBucket", "ec2:RunInstances"],
        ResourceArns=["arn:aws:s3:::bucket"],
        OrderedOrganizationPolicyInputList=[
            {"ServiceControlPolicyInputList": [full]}, {"ServiceControlPolicyInputList": [full, scp_deny]}],
    )["EvaluationResults"]
    decisions = {r["EvalActionName"]: r["EvalDecision"] for r in out}
    assert decisions == {"s3:GetObject": "allowed", "s3:DeleteBucket": "explicitDeny", "ec2:RunInstances": "implicitDeny"}
    by_action = {r["EvalActionName"]: r for r in out}
    assert by_action["s3:DeleteBucket"]["OrganizationsDecisionDetail"]["AllowedByOrganizations"] is False
    assert by_action["s3:GetObject"]["OrganizationsDecisionDetail"]["AllowedByOrganizations"] is True
    assert by_action["s3:GetObject"]["EvalResourceName"] == "arn:aws:s3:::bucket"
    with pytest.raises(botocore.exceptions.ClientError) as e:
        iam.simulate_custom_policy(PolicyInputList=["{not json"], ActionNames=["s3:GetObject"])
    assert code_of(e)[0] == "InvalidInput"


def test_an_rcp_keeps_outsiders_from_assuming_member_roles(server):
    orgs = server.client("organizations")
    org_id = orgs.create_organization(FeatureSet="ALL")["Organization"]["Id"]
    root = orgs.list_roots()["Roots"][0]["Id"]
    orgs.enable_policy_type(RootId=root, PolicyType="RESOURCE_CONTROL_POLICY")
    status = orgs.create_account(AccountName="Shared", Email="shared@example.com")["CreateAccountStatus"]
    member_id = orgs.describe_create_account_status(CreateAccountRequestId=status["Id"])["CreateAccountStatus"]["AccountId"]
    member_root = server.admin("/_localorg/complete-signup", {"AccountId": member_id})
    outsider_id, outsider_key = signup(server, "outsider@example.com", "Outsider")
    member_iam = server.client("iam", key=(member_root["AccessKeyId"], member_root["SecretAccessKey"]))
    member_iam.create_role(RoleName="shared", AssumeRolePolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{outsider_id}:root"}, "Action": "sts:AssumeRole"}]}))
    outsider_iam = server.client("iam", key=outsider_key)
    outsider_iam.create_user(UserName="partner")
    outsider_iam.attach_user_policy(UserName="partner", PolicyArn="arn:aws:iam::aws:policy/AdministratorAccess")
    k = outsider_iam.create_access_key(UserName="partner")["AccessKey"]
    partner = server.client("sts", key=(k["AccessKeyId"], k["SecretAccessKey"]))
    role_arn = f"arn:aws:iam::{member_id}:role/shared"
    assert partner.assume_role(RoleArn=role_arn, RoleSessionName="before")["AssumedRoleUser"]
    rcp = orgs.create_policy(Name="OrgOnly", Description="only the org", Type="RESOURCE_CONTROL_POLICY", Content=json.dumps({
        "Version": "2012-10-17", "Statement": [{
            "Sid": "EnforceOrgIdentities", "Effect": "Deny", "Principal": "*", "Action": "sts:AssumeRole",
            "Resource": "*", "Condition": {"StringNotEqualsIfExists": {"aws:PrincipalOrgID": org_id}}}]}))
    orgs.attach_policy(PolicyId=rcp["Policy"]["PolicySummary"]["Id"], TargetId=member_id)
    with pytest.raises(botocore.exceptions.ClientError) as e:
        partner.assume_role(RoleArn=role_arn, RoleSessionName="after")
    code, message = code_of(e)
    assert code == "AccessDenied" and "resource control policy" in message and "EnforceOrgIdentities" in message


def test_credential_process_profiles_work_with_the_aws_cli(server, tmp_path):
    account_id, key = signup(server, "cp@example.com", "CredProcess")
    helper = tmp_path / "creds.sh"
    helper.write_text(
        "#!/bin/sh\n"
        f"echo '{{\"Version\": 1, \"AccessKeyId\": \"{key[0]}\", \"SecretAccessKey\": \"{key[1]}\"}}'\n"
    )
    helper.chmod(0o755)
    config = tmp_path / "config"
    config.write_text(f"[profile cp]\ncredential_process = {helper}\nregion = us-east-1\n")
    import os
    import subprocess
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(AWS_CONFIG_FILE=str(config), AWS_SHARED_CREDENTIALS_FILE=str(tmp_path / "none"),
               AWS_ENDPOINT_URL=server.endpoint)
    venv_aws = os.path.join(os.path.dirname(os.sys.executable), "aws")
    out = subprocess.run([venv_aws, "sts", "get-caller-identity", "--profile", "cp", "--output", "json"],
                         env=env, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["Account"] == account_id


def test_resource_tags_condition_iam_permissions(server):
    _, key = signup(server, "abac@example.com", "Abac")
    iam = server.client("iam", key=key)
    iam.create_role(RoleName="team-a-app", AssumeRolePolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]}),
        Tags=[{"Key": "team", "Value": "a"}])
    iam.create_role(RoleName="team-b-app", AssumeRolePolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]}),
        Tags=[{"Key": "team", "Value": "b"}])
    iam.create_user(UserName="alice", Tags=[{"Key": "team", "Value": "a"}])
    iam.put_user_policy(UserName="alice", PolicyName="abac", PolicyDocument=json.dumps({
        "Version": "2012-10-17", "Statement": [{
            "Effect": "Allow", "Action": "iam:UpdateRoleDescription", "Resource": "*",
            "Condition": {"StringEquals": {"aws:ResourceTag/team": "${aws:PrincipalTag/team}"}}}]}))
    k = iam.create_access_key(UserName="alice")["AccessKey"]
    alice = server.client("iam", key=(k["AccessKeyId"], k["SecretAccessKey"]))
    alice.update_role_description(RoleName="team-a-app", Description="mine")
    with pytest.raises(botocore.exceptions.ClientError) as e:
        alice.update_role_description(RoleName="team-b-app", Description="theirs")
    assert code_of(e)[0] == "AccessDenied"
