"""Signing in to IAM Identity Center the way `aws sso login` does: register an OIDC client, start the
device authorization, have the user approve it (localorg's sign-in page, or the admin endpoint behind
`localorg sso approve`), poll CreateToken, then use the access portal: the accounts and roles the user
is assigned, role credentials that act as the provisioned AWSReservedSSO role, logout. Refresh tokens
renew the access token without a new sign-in."""
import json
import time
import urllib.error
import urllib.parse
import urllib.request

import botocore.config
import botocore.exceptions
import boto3
import pytest
from botocore import UNSIGNED

from conftest import localorg_sso, signup

PASSWORD = "correct-horse-battery"


def unsigned(server, service):
    return boto3.client(service, endpoint_url=server.endpoint, region_name="us-east-1",
                        config=botocore.config.Config(signature_version=UNSIGNED,
                                                      retries={"max_attempts": 1}))


def code_of(excinfo):
    return excinfo.value.response["Error"]["Code"]


@pytest.fixture
def world(server):
    """An organization with a member account, the organization instance, a user `ann` with a
    password in group `devs`, and the permission set `ReadOnly` assigned to the group there."""
    orgs = server.client("organizations")
    orgs.create_organization(FeatureSet="ALL")
    status = orgs.create_account(Email="portal@example.com", AccountName="Portal")["CreateAccountStatus"]
    account = orgs.describe_create_account_status(CreateAccountRequestId=status["Id"])[
        "CreateAccountStatus"]["AccountId"]
    sso, ids = server.client("sso-admin"), server.client("identitystore")
    arn = sso.create_instance(Name="org")["InstanceArn"]
    store = sso.describe_instance(InstanceArn=arn)["IdentityStoreId"]
    user = ids.create_user(IdentityStoreId=store, UserName="ann", DisplayName="Ann Lee",
                           Name={"GivenName": "Ann", "FamilyName": "Lee"})["UserId"]
    group = ids.create_group(IdentityStoreId=store, DisplayName="devs")["GroupId"]
    ids.create_group_membership(IdentityStoreId=store, GroupId=group, MemberId={"UserId": user})
    ps = sso.create_permission_set(InstanceArn=arn, Name="ReadOnly", SessionDuration="PT2H")[
        "PermissionSet"]["PermissionSetArn"]
    sso.attach_managed_policy_to_permission_set(InstanceArn=arn, PermissionSetArn=ps,
                                                ManagedPolicyArn="arn:aws:iam::aws:policy/ReadOnlyAccess")
    sso.create_account_assignment(InstanceArn=arn, TargetId=account, TargetType="AWS_ACCOUNT",
                                  PermissionSetArn=ps, PrincipalType="GROUP", PrincipalId=group)
    localorg_sso(server, "set-password", "--identity-store-id", store, "--username", "ann",
                 "--password", PASSWORD)
    return {"account": account, "store": store, "arn": arn, "ps": ps, "user": user, "sso": sso,
            "start_url": f"{server.endpoint}/start/{store}"}


def start(server, world, scopes=("sso:account:access",)):
    oidc = unsigned(server, "sso-oidc")
    client = oidc.register_client(clientName="e2e", clientType="public", scopes=list(scopes))
    auth = oidc.start_device_authorization(clientId=client["clientId"],
                                           clientSecret=client["clientSecret"],
                                           startUrl=world["start_url"])
    return oidc, client, auth


def token(oidc, client, auth):
    return oidc.create_token(clientId=client["clientId"], clientSecret=client["clientSecret"],
                             grantType="urn:ietf:params:oauth:grant-type:device_code",
                             deviceCode=auth["deviceCode"])


def approve(server, auth, password=PASSWORD):
    return server.admin("/_localorg/sso/approve",
                        {"UserCode": auth["userCode"], "UserName": "ann", "Password": password})


def post_form(url, fields):
    data = urllib.parse.urlencode(fields).encode()
    req = urllib.request.Request(url, data=data, method="POST")
    try:
        with urllib.request.urlopen(req, timeout=10) as resp:
            return resp.status, resp.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()


def test_registration_and_device_authorization_shapes(server, world):
    oidc, client, auth = start(server, world)
    assert client["clientId"] and client["clientSecret"]
    assert client["clientSecretExpiresAt"] > client["clientIdIssuedAt"]
    code = auth["userCode"]
    assert len(code) == 9 and code[4] == "-" and code.replace("-", "").isalpha() and code.isupper()
    assert auth["verificationUri"] == f"{server.endpoint}/start/device"
    assert auth["verificationUriComplete"] == f"{server.endpoint}/start/device?user_code={code}"
    assert auth["expiresIn"] == 600 and auth["interval"] == 1


def test_an_unknown_start_url_is_refused(server, world):
    oidc = unsigned(server, "sso-oidc")
    client = oidc.register_client(clientName="e2e", clientType="public")
    with pytest.raises(botocore.exceptions.ClientError) as e:
        oidc.start_device_authorization(clientId=client["clientId"], clientSecret=client["clientSecret"],
                                        startUrl="https://d-0000000000.awsapps.com/start")
    assert code_of(e) == "InvalidRequestException"
    with pytest.raises(botocore.exceptions.ClientError) as e:
        oidc.start_device_authorization(clientId=client["clientId"], clientSecret="wrong",
                                        startUrl=world["start_url"])
    assert code_of(e) == "InvalidClientException"
    assert e.value.response["ResponseMetadata"]["HTTPStatusCode"] == 401


def test_create_token_is_pending_then_slows_down_until_approved(server, world):
    oidc, client, auth = start(server, world)
    with pytest.raises(botocore.exceptions.ClientError) as e:
        token(oidc, client, auth)
    assert code_of(e) == "AuthorizationPendingException"
    headers = e.value.response["ResponseMetadata"]["HTTPHeaders"]
    assert headers["x-amzn-errortype"].startswith("AuthorizationPendingException")
    assert e.value.response["error"] == "authorization_pending"
    with pytest.raises(botocore.exceptions.ClientError) as e:
        token(oidc, client, auth)  # again within the interval
    assert code_of(e) == "SlowDownException"
    assert approve(server, auth) == {"Approved": True}
    out = token(oidc, client, auth)
    assert out["tokenType"] == "Bearer" and out["expiresIn"] == 8 * 3600
    assert out["accessToken"] and out["refreshToken"]
    # A device code is exchanged once.
    with pytest.raises(botocore.exceptions.ClientError) as e:
        token(oidc, client, auth)
    assert code_of(e) == "InvalidGrantException"


def test_a_wrong_password_does_not_approve(server, world):
    oidc, client, auth = start(server, world)
    with pytest.raises(urllib.error.HTTPError) as e:
        approve(server, auth, password="wrong-password")
    assert e.value.code == 401
    assert "incorrect user name or password" in e.value.read().decode()
    time.sleep(1.1)
    with pytest.raises(botocore.exceptions.ClientError) as e:
        token(oidc, client, auth)
    assert code_of(e) == "AuthorizationPendingException"


def test_the_sign_in_page_is_a_plain_form_that_approves(server, world):
    oidc, client, auth = start(server, world)
    with urllib.request.urlopen(auth["verificationUriComplete"], timeout=10) as resp:
        page = resp.read().decode()
    assert "<form" in page and auth["userCode"] in page and "<script" not in page
    status, body = post_form(auth["verificationUri"], {"user_code": auth["userCode"],
                                                        "username": "ann", "password": "nope-nope"})
    assert status == 401 and "incorrect user name or password" in body
    status, body = post_form(auth["verificationUri"], {"user_code": "ZZZZ-ZZZZ",
                                                        "username": "ann", "password": PASSWORD})
    assert status == 401 and "not valid or has expired" in body
    status, body = post_form(auth["verificationUri"], {"user_code": auth["userCode"].lower(),
                                                        "username": "ann", "password": PASSWORD})
    assert status == 200 and "approved" in body.lower()
    assert token(oidc, client, auth)["accessToken"]


def test_the_portal_lists_what_the_user_is_assigned_and_hands_out_role_credentials(server, world):
    oidc, client, auth = start(server, world)
    approve(server, auth)
    access = token(oidc, client, auth)["accessToken"]
    portal = unsigned(server, "sso")
    accounts = portal.list_accounts(accessToken=access)["accountList"]
    assert [(a["accountId"], a["accountName"], a["emailAddress"]) for a in accounts] == [
        (world["account"], "Portal", "portal@example.com")]
    roles = portal.list_account_roles(accessToken=access, accountId=world["account"])["roleList"]
    assert roles == [{"accountId": world["account"], "roleName": "ReadOnly"}]
    before_ms = time.time() * 1000
    creds = portal.get_role_credentials(accessToken=access, accountId=world["account"],
                                        roleName="ReadOnly")["roleCredentials"]
    # Expiration is epoch milliseconds; the permission set's session duration (2 hours) applies.
    assert abs(creds["expiration"] - (before_ms + 2 * 3600 * 1000)) < 5000
    key = (creds["accessKeyId"], creds["secretAccessKey"])
    me = server.client("sts", key=key, session_token=creds["sessionToken"]).get_caller_identity()
    assert me["Account"] == world["account"]
    assert me["Arn"].startswith(f"arn:aws:sts::{world['account']}:assumed-role/AWSReservedSSO_ReadOnly_")
    assert me["Arn"].endswith("/ann")
    # The session acts with the permission set's policies: ReadOnlyAccess reads, never writes.
    iam = server.client("iam", key=key, session_token=creds["sessionToken"])
    assert iam.list_roles()["Roles"]
    with pytest.raises(botocore.exceptions.ClientError) as e:
        iam.create_user(UserName="intruder")
    assert code_of(e) == "AccessDenied"


def test_unassigned_roles_and_bad_tokens_are_refused(server, world):
    oidc, client, auth = start(server, world)
    approve(server, auth)
    access = token(oidc, client, auth)["accessToken"]
    portal = unsigned(server, "sso")
    with pytest.raises(botocore.exceptions.ClientError) as e:
        portal.get_role_credentials(accessToken=access, accountId=world["account"], roleName="Admin")
    assert e.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403
    with pytest.raises(botocore.exceptions.ClientError) as e:
        portal.list_accounts(accessToken="not-a-token")
    assert code_of(e) == "UnauthorizedException"
    assert e.value.response["ResponseMetadata"]["HTTPStatusCode"] == 401


def test_assignment_changes_are_visible_at_once_and_logout_revokes(server, world):
    oidc, client, auth = start(server, world)
    approve(server, auth)
    access = token(oidc, client, auth)["accessToken"]
    portal = unsigned(server, "sso")
    assert portal.list_accounts(accessToken=access)["accountList"]
    sso = world["sso"]
    group = server.client("identitystore").list_groups(IdentityStoreId=world["store"])["Groups"][0]["GroupId"]
    sso.delete_account_assignment(InstanceArn=world["arn"], TargetId=world["account"],
                                  TargetType="AWS_ACCOUNT", PermissionSetArn=world["ps"],
                                  PrincipalType="GROUP", PrincipalId=group)
    assert portal.list_accounts(accessToken=access)["accountList"] == []
    portal.logout(accessToken=access)
    with pytest.raises(botocore.exceptions.ClientError) as e:
        portal.list_accounts(accessToken=access)
    assert code_of(e) == "UnauthorizedException"


def test_a_refresh_token_renews_the_access_token(server, world):
    oidc, client, auth = start(server, world)
    approve(server, auth)
    first = token(oidc, client, auth)
    renewed = oidc.create_token(clientId=client["clientId"], clientSecret=client["clientSecret"],
                                grantType="refresh_token", refreshToken=first["refreshToken"])
    assert renewed["accessToken"] != first["accessToken"]
    assert unsigned(server, "sso").list_accounts(accessToken=renewed["accessToken"])["accountList"]
    # Refresh tokens rotate: the old one is spent.
    with pytest.raises(botocore.exceptions.ClientError) as e:
        oidc.create_token(clientId=client["clientId"], clientSecret=client["clientSecret"],
                          grantType="refresh_token", refreshToken=first["refreshToken"])
    assert code_of(e) == "InvalidGrantException"
    with pytest.raises(botocore.exceptions.ClientError) as e:
        oidc.create_token(clientId=client["clientId"], clientSecret=client["clientSecret"],
                          grantType="password")
    assert code_of(e) == "UnsupportedGrantTypeException"


def test_set_password_needs_a_real_user_and_a_long_password(server, world):
    missing = localorg_sso(server, "set-password", "--identity-store-id", world["store"],
                           "--username", "nobody", "--password", PASSWORD, check=False)
    assert missing.returncode != 0 and "no user nobody" in missing.stderr
    short = localorg_sso(server, "set-password", "--username", "ann", "--password", "short", check=False)
    assert short.returncode != 0 and "at least 8" in short.stderr


def test_set_password_is_signed_and_authorized_like_an_aws_call(server, world):
    """An administrator's reset: unsigned requests are refused, an IAM user needs
    identitystore:UpdateUser, and another account cannot reach this instance's users."""
    with pytest.raises(urllib.error.HTTPError) as e:
        server.admin("/_localorg/sso/set-password", {"UserName": "ann", "Password": PASSWORD})
    assert e.value.code in (400, 403) and "MissingAuthenticationToken" in e.value.read().decode()
    iam = server.client("iam")
    iam.create_user(UserName="helpdesk")
    key = iam.create_access_key(UserName="helpdesk")["AccessKey"]
    helpdesk = (key["AccessKeyId"], key["SecretAccessKey"])
    denied = localorg_sso(server, "set-password", "--username", "ann", "--password", PASSWORD,
                          key=helpdesk, check=False)
    assert denied.returncode != 0 and "identitystore:UpdateUser" in denied.stderr
    iam.put_user_policy(UserName="helpdesk", PolicyName="reset", PolicyDocument=json.dumps({
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": "identitystore:UpdateUser", "Resource": "*"}]}))
    done = localorg_sso(server, "set-password", "--instance", world["arn"], "--username", "ann",
                        "--password", "reset-by-helpdesk", key=helpdesk)
    assert world["store"] in done.stdout
    _, outsider = signup(server, "outsider@example.com", "Outsider")
    refused = localorg_sso(server, "set-password", "--identity-store-id", world["store"], "--username",
                           "ann", "--password", PASSWORD, key=outsider, check=False)
    assert refused.returncode != 0 and "owns no identity store" in refused.stderr


def test_the_cli_sets_passwords_and_approves_sign_ins(server, world):
    import subprocess
    from conftest import BIN

    def cli(*args):
        return subprocess.run([BIN, "sso", *args, "--endpoint", server.endpoint],
                              capture_output=True, text=True, timeout=30)

    localorg_sso(server, "set-password", "--username", "ann", "--password", "another-password")
    oidc, client, auth = start(server, world)
    wrong = cli("approve", "--user-code", auth["userCode"], "--username", "ann", "--password", PASSWORD)
    assert wrong.returncode != 0 and "incorrect user name or password" in wrong.stderr
    right = cli("approve", "--user-code", auth["userCode"], "--username", "ann",
                "--password", "another-password")
    assert right.returncode == 0, right.stderr
    assert token(oidc, client, auth)["accessToken"]


def test_attributes_for_access_control_become_session_tags(server, world):
    """The instance maps identity store attributes to session tags; a policy keyed on
    aws:PrincipalTag/CostCenter lets the user in only with the matching cost center."""
    sso, ids = world["sso"], server.client("identitystore")
    config = {"AccessControlAttributes": [
        {"Key": "CostCenter", "Value": {"Source": ["${path:enterprise.costCenter}"]}},
        {"Key": "GivenName", "Value": {"Source": ["${path:name.givenName}"]}},
    ]}
    sso.create_instance_access_control_attribute_configuration(
        InstanceArn=world["arn"], InstanceAccessControlAttributeConfiguration=config)
    described = sso.describe_instance_access_control_attribute_configuration(InstanceArn=world["arn"])
    assert described["Status"] == "ENABLED"
    assert described["InstanceAccessControlAttributeConfiguration"] == config
    # Update replaces the whole configuration.
    sso.update_instance_access_control_attribute_configuration(
        InstanceArn=world["arn"],
        InstanceAccessControlAttributeConfiguration={"AccessControlAttributes": config["AccessControlAttributes"][:1]})
    described = sso.describe_instance_access_control_attribute_configuration(InstanceArn=world["arn"])
    assert [a["Key"] for a in described["InstanceAccessControlAttributeConfiguration"]["AccessControlAttributes"]] == ["CostCenter"]
    sso.update_instance_access_control_attribute_configuration(
        InstanceArn=world["arn"], InstanceAccessControlAttributeConfiguration=config)
    with pytest.raises(botocore.exceptions.ClientError) as e:
        sso.create_instance_access_control_attribute_configuration(
            InstanceArn=world["arn"], InstanceAccessControlAttributeConfiguration=config)
    assert code_of(e) == "ConflictException"
    ids.update_user(IdentityStoreId=world["store"], UserId=world["user"], Operations=[
        {"AttributePath": "aws:identitystore:enterprise.costCenter", "AttributeValue": "1234"}])
    abac = sso.create_permission_set(InstanceArn=world["arn"], Name="Abac")["PermissionSet"]["PermissionSetArn"]
    sso.put_inline_policy_to_permission_set(InstanceArn=world["arn"], PermissionSetArn=abac, InlinePolicy=json.dumps({
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": "iam:ListUsers", "Resource": "*",
                       "Condition": {"StringEquals": {"aws:PrincipalTag/CostCenter": "1234",
                                                      "aws:PrincipalTag/GivenName": "Ann"}}}]}))
    sso.create_account_assignment(InstanceArn=world["arn"], TargetId=world["account"],
                                  TargetType="AWS_ACCOUNT", PermissionSetArn=abac,
                                  PrincipalType="USER", PrincipalId=world["user"])
    oidc, client, auth = start(server, world)
    approve(server, auth)
    access = token(oidc, client, auth)["accessToken"]

    def iam_as_ann():
        creds = unsigned(server, "sso").get_role_credentials(
            accessToken=access, accountId=world["account"], roleName="Abac")["roleCredentials"]
        return server.client("iam", key=(creds["accessKeyId"], creds["secretAccessKey"]),
                             session_token=creds["sessionToken"])

    assert "Users" in iam_as_ann().list_users()
    ids.update_user(IdentityStoreId=world["store"], UserId=world["user"], Operations=[
        {"AttributePath": "aws:identitystore:enterprise.costCenter", "AttributeValue": "9999"}])
    with pytest.raises(botocore.exceptions.ClientError) as e:
        iam_as_ann().list_users()
    assert code_of(e) == "AccessDenied"
    sso.delete_instance_access_control_attribute_configuration(InstanceArn=world["arn"])
    with pytest.raises(botocore.exceptions.ClientError) as e:
        sso.describe_instance_access_control_attribute_configuration(InstanceArn=world["arn"])
    assert code_of(e) == "ResourceNotFoundException"


def test_a_user_with_an_mfa_device_signs_in_with_a_totp_code(server, world):
    from test_flows import totp

    out = server.admin("/_localorg/sso/register-mfa", {"IdentityStoreId": world["store"], "UserName": "ann"})
    seed = out["Base32StringSeed"]
    assert out["OtpauthUri"].startswith("otpauth://totp/") and f"secret={seed}" in out["OtpauthUri"]
    oidc, client, auth = start(server, world)
    with pytest.raises(urllib.error.HTTPError) as e:
        approve(server, auth)  # the password alone no longer does
    assert e.value.code == 401 and "MFA code" in e.value.read().decode()
    status, body = post_form(auth["verificationUri"], {"user_code": auth["userCode"], "username": "ann",
                                                        "password": PASSWORD, "mfa_code": "000000"})
    assert status == 401 and "MFA code" in body
    code = totp(seed, time.time())
    status, body = post_form(auth["verificationUri"], {"user_code": auth["userCode"], "username": "ann",
                                                        "password": PASSWORD, "mfa_code": code})
    assert status == 200, body
    assert token(oidc, client, auth)["accessToken"]
    # A code is accepted once.
    _, _, again = start(server, world)
    with pytest.raises(urllib.error.HTTPError) as e:
        server.admin("/_localorg/sso/approve", {"UserCode": again["userCode"], "UserName": "ann",
                                                "Password": PASSWORD, "Totp": code})
    assert e.value.code == 401


def test_the_start_url_serves_the_access_portal_page(server, world):
    with urllib.request.urlopen(world["start_url"], timeout=10) as resp:
        page = resp.read().decode()
    assert resp.status == 200 and world["start_url"] in page and "aws sso login" in page
