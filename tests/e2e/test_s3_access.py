"""Amazon S3 authorization end to end: Block Public Access, anonymous requests, bucket policies across
accounts, IAM users' identity policies, explicit denies, aws:PrincipalOrgID, SCPs and resource control
policies. Every expectation is what Amazon S3 answers."""
import json

import botocore
import pytest
from botocore.exceptions import ClientError

from conftest import signup

ACCOUNT = "000000000000"


def doc(*statements):
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


def denied(excinfo):
    """Asserts an S3 AccessDenied (403) and returns its message."""
    r = excinfo.value.response
    assert (r["Error"]["Code"], r["ResponseMetadata"]["HTTPStatusCode"]) == ("AccessDenied", 403), r["Error"]
    return r["Error"].get("Message", "")


def anonymous(server):
    return server.client("s3", signature_version=botocore.UNSIGNED)


def bucket_with_object(s3, bucket="shared-bucket", key="report.txt", body=b"quarterly numbers"):
    s3.create_bucket(Bucket=bucket)
    s3.put_object(Bucket=bucket, Key=key, Body=body)
    return bucket, key


def public_read(bucket):
    return doc({"Sid": "PublicRead", "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
                "Resource": f"arn:aws:s3:::{bucket}/*"})


def read_of(bucket, key):
    return lambda client: client.get_object(Bucket=bucket, Key=key)["Body"].read()


@pytest.fixture
def s3(server):
    return server.client("s3")


# --------------------------------------------------------------------------------------------
# Block Public Access and anonymous requests
# --------------------------------------------------------------------------------------------


def test_block_public_policy_refuses_a_public_policy_by_default(s3):
    bucket, _ = bucket_with_object(s3)
    with pytest.raises(ClientError) as e:
        s3.put_bucket_policy(Bucket=bucket, Policy=public_read(bucket))
    denied(e)
    with pytest.raises(ClientError) as e:
        s3.get_bucket_policy(Bucket=bucket)
    assert e.value.response["Error"]["Code"] == "NoSuchBucketPolicy"


def test_anonymous_request_without_a_policy_is_denied(server, s3):
    bucket, key = bucket_with_object(s3)
    with pytest.raises(ClientError) as e:
        anonymous(server).get_object(Bucket=bucket, Key=key)
    denied(e)
    with pytest.raises(ClientError) as e:
        anonymous(server).list_objects_v2(Bucket=bucket)
    denied(e)


def test_public_policy_after_removing_block_public_access(server, s3):
    bucket, key = bucket_with_object(s3)
    s3.delete_public_access_block(Bucket=bucket)
    s3.put_bucket_policy(Bucket=bucket, Policy=public_read(bucket))
    assert s3.get_bucket_policy_status(Bucket=bucket)["PolicyStatus"]["IsPublic"] is True
    anon = anonymous(server)
    assert anon.get_object(Bucket=bucket, Key=key)["Body"].read() == b"quarterly numbers"
    # Only reads were granted.
    with pytest.raises(ClientError) as e:
        anon.put_object(Bucket=bucket, Key="graffiti.txt", Body=b"x")
    denied(e)
    with pytest.raises(ClientError) as e:
        anon.list_objects_v2(Bucket=bucket)
    denied(e)


def test_restrict_public_buckets_blocks_anonymous_reads(server, s3):
    bucket, key = bucket_with_object(s3)
    s3.delete_public_access_block(Bucket=bucket)
    s3.put_bucket_policy(Bucket=bucket, Policy=public_read(bucket))
    anon = anonymous(server)
    assert anon.get_object(Bucket=bucket, Key=key)["Body"].read() == b"quarterly numbers"
    s3.put_public_access_block(Bucket=bucket, PublicAccessBlockConfiguration={"RestrictPublicBuckets": True})
    with pytest.raises(ClientError) as e:
        anon.get_object(Bucket=bucket, Key=key)
    denied(e)
    # The owner still reads.
    assert s3.get_object(Bucket=bucket, Key=key)["Body"].read() == b"quarterly numbers"


def test_restrict_public_buckets_also_cuts_other_accounts_granted_by_a_public_policy(server, s3):
    bucket, key = bucket_with_object(s3)
    _, key_b = signup(server, "b@example.com", "B")
    other = server.client("s3", key=key_b)
    s3.delete_public_access_block(Bucket=bucket)
    s3.put_bucket_policy(Bucket=bucket, Policy=public_read(bucket))
    assert read_of(bucket, key)(other) == b"quarterly numbers"
    s3.put_public_access_block(Bucket=bucket, PublicAccessBlockConfiguration={"RestrictPublicBuckets": True})
    with pytest.raises(ClientError) as e:
        read_of(bucket, key)(other)
    denied(e)


def test_block_public_policy_alone(s3):
    bucket, _ = bucket_with_object(s3)
    s3.put_public_access_block(Bucket=bucket, PublicAccessBlockConfiguration={"BlockPublicPolicy": True})
    with pytest.raises(ClientError) as e:
        s3.put_bucket_policy(Bucket=bucket, Policy=public_read(bucket))
    denied(e)
    # A policy naming an account is not public.
    s3.put_bucket_policy(Bucket=bucket, Policy=doc({
        "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "s3:GetObject",
        "Resource": f"arn:aws:s3:::{bucket}/*"}))


def s3control(server, key=("test", "test")):
    """An S3 Control client. Its endpoint rules put the account id in the host name
    (`ACCOUNT.127.0.0.1`); the hook sends the request to the loopback address with that Host."""
    import urllib.parse

    client = server.client("s3control", key=key)

    def to_loopback(request, **_):
        url = urllib.parse.urlsplit(request.url)
        request.headers["Host"] = url.netloc
        request.url = urllib.parse.urlunsplit(url._replace(netloc=f"127.0.0.1:{url.port}"))

    client.meta.events.register("before-send.s3-control", to_loopback)
    return client


def test_account_level_block_public_access_applies_to_every_bucket(server, s3):
    control = s3control(server)
    with pytest.raises(ClientError) as e:
        control.get_public_access_block(AccountId=ACCOUNT)
    assert e.value.response["Error"]["Code"] == "NoSuchPublicAccessBlockConfiguration"
    assert e.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404
    control.put_public_access_block(
        AccountId=ACCOUNT,
        PublicAccessBlockConfiguration={"BlockPublicPolicy": True, "RestrictPublicBuckets": True},
    )
    assert control.get_public_access_block(AccountId=ACCOUNT)["PublicAccessBlockConfiguration"] == {
        "BlockPublicAcls": False, "IgnorePublicAcls": False,
        "BlockPublicPolicy": True, "RestrictPublicBuckets": True,
    }
    bucket, key = bucket_with_object(s3)
    s3.delete_public_access_block(Bucket=bucket)
    # The bucket's own settings are gone, the account's still refuse a public policy.
    with pytest.raises(ClientError) as e:
        s3.put_bucket_policy(Bucket=bucket, Policy=public_read(bucket))
    assert "BlockPublicPolicy" in denied(e)
    control.delete_public_access_block(AccountId=ACCOUNT)
    s3.put_bucket_policy(Bucket=bucket, Policy=public_read(bucket))
    assert read_of(bucket, key)(anonymous(server)) == b"quarterly numbers"
    # Turned back on at the account level, RestrictPublicBuckets cuts anonymous reads again.
    control.put_public_access_block(
        AccountId=ACCOUNT, PublicAccessBlockConfiguration={"RestrictPublicBuckets": True}
    )
    with pytest.raises(ClientError) as e:
        read_of(bucket, key)(anonymous(server))
    denied(e)


def test_account_level_block_public_access_of_another_account_is_refused(server):
    _, key = signup(server, "other@example.com", "Other")
    with pytest.raises(ClientError) as e:
        s3control(server, key=key).get_public_access_block(AccountId=ACCOUNT)
    denied(e)


def test_virtual_hosted_anonymous_read_of_a_public_object(server, s3):
    """An unsigned GET with the bucket in the Host header (virtual-hosted style, s3.localhost)."""
    import subprocess
    from urllib.parse import urlsplit

    bucket, key = bucket_with_object(s3, bucket="public-site", key="index.html", body=b"<h1>public</h1>")
    s3.delete_public_access_block(Bucket=bucket)
    s3.put_bucket_policy(Bucket=bucket, Policy=public_read(bucket))
    port = urlsplit(server.endpoint).port
    out = subprocess.run(
        ["curl", "-sS", "-w", "\n%{http_code}", "-H", f"Host: {bucket}.s3.localhost:{port}",
         f"http://127.0.0.1:{port}/{key}"], capture_output=True, timeout=30)
    body, _, status = out.stdout.rpartition(b"\n")
    assert (int(status), body) == (200, b"<h1>public</h1>")


# --------------------------------------------------------------------------------------------
# Cross-account access through the bucket policy
# --------------------------------------------------------------------------------------------


def test_other_account_needs_the_bucket_policy(server, s3):
    bucket, key = bucket_with_object(s3)
    b_id, key_b = signup(server, "b@example.com", "B")
    other = server.client("s3", key=key_b)
    with pytest.raises(ClientError) as e:
        read_of(bucket, key)(other)
    denied(e)
    s3.put_bucket_policy(Bucket=bucket, Policy=doc({
        "Sid": "PartnerReads", "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{b_id}:root"},
        "Action": "s3:GetObject", "Resource": f"arn:aws:s3:::{bucket}/*"}))
    assert read_of(bucket, key)(other) == b"quarterly numbers"
    # Only what the policy grants.
    with pytest.raises(ClientError) as e:
        other.put_object(Bucket=bucket, Key="from-b.txt", Body=b"x")
    denied(e)
    with pytest.raises(ClientError) as e:
        other.list_objects_v2(Bucket=bucket)
    denied(e)
    with pytest.raises(ClientError) as e:
        other.delete_bucket(Bucket=bucket)
    denied(e)
    # Another account's bucket never shows in one's own listing.
    assert other.list_buckets()["Buckets"] == []


def test_other_account_cannot_configure_the_bucket(server, s3):
    bucket, _ = bucket_with_object(s3)
    _, key_b = signup(server, "b@example.com", "B")
    other = server.client("s3", key=key_b)
    with pytest.raises(ClientError) as e:
        other.put_bucket_policy(Bucket=bucket, Policy=doc({
            "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "s3:*",
            "Resource": f"arn:aws:s3:::{bucket}/*"}))
    denied(e)
    with pytest.raises(ClientError) as e:
        other.delete_public_access_block(Bucket=bucket)
    denied(e)


def test_cross_account_iam_user_needs_both_sides(server, s3):
    bucket, key = bucket_with_object(s3)
    b_id, key_b = signup(server, "b@example.com", "B")
    iam_b = server.client("iam", key=key_b)
    iam_b.create_user(UserName="reader")
    ak = iam_b.create_access_key(UserName="reader")["AccessKey"]
    reader = server.client("s3", key=(ak["AccessKeyId"], ak["SecretAccessKey"]))
    # The bucket policy trusts account B: B still has to delegate to its user.
    s3.put_bucket_policy(Bucket=bucket, Policy=doc({
        "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{b_id}:root"}, "Action": "s3:GetObject",
        "Resource": f"arn:aws:s3:::{bucket}/*"}))
    with pytest.raises(ClientError) as e:
        read_of(bucket, key)(reader)
    denied(e)
    iam_b.put_user_policy(UserName="reader", PolicyName="read", PolicyDocument=doc({
        "Effect": "Allow", "Action": "s3:GetObject", "Resource": f"arn:aws:s3:::{bucket}/*"}))
    assert read_of(bucket, key)(reader) == b"quarterly numbers"


# --------------------------------------------------------------------------------------------
# IAM users of the bucket's own account
# --------------------------------------------------------------------------------------------


def iam_user(server, name, policy=None):
    iam = server.client("iam")
    arn = iam.create_user(UserName=name)["User"]["Arn"]
    if policy:
        iam.put_user_policy(UserName=name, PolicyName="s3", PolicyDocument=policy)
    ak = iam.create_access_key(UserName=name)["AccessKey"]
    return arn, server.client("s3", key=(ak["AccessKeyId"], ak["SecretAccessKey"]))


def test_iam_user_without_policies_is_denied_and_told_why(server, s3):
    bucket, key = bucket_with_object(s3)
    arn, alice = iam_user(server, "alice")
    with pytest.raises(ClientError) as e:
        read_of(bucket, key)(alice)
    message = denied(e)
    assert "s3:GetObject" in message
    assert arn in message
    assert f"arn:aws:s3:::{bucket}/{key}" in message
    assert "no identity-based policy allows" in message
    with pytest.raises(ClientError) as e:
        alice.list_buckets()
    assert "s3:ListAllMyBuckets" in denied(e)
    with pytest.raises(ClientError) as e:
        alice.create_bucket(Bucket="alice-bucket")
    assert "s3:CreateBucket" in denied(e)


def test_iam_user_with_an_identity_policy(server, s3):
    bucket, key = bucket_with_object(s3)
    _, bob = iam_user(server, "bob", doc({
        "Effect": "Allow", "Action": "s3:GetObject", "Resource": f"arn:aws:s3:::{bucket}/*"}))
    assert read_of(bucket, key)(bob) == b"quarterly numbers"
    with pytest.raises(ClientError) as e:
        bob.put_object(Bucket=bucket, Key="bob.txt", Body=b"x")
    assert "s3:PutObject" in denied(e)
    with pytest.raises(ClientError) as e:
        bob.list_objects_v2(Bucket=bucket)
    assert "s3:ListBucket" in denied(e)


def test_missing_key_without_list_permission_is_access_denied(server, s3):
    """Without s3:ListBucket a missing key answers 403, not 404; with it, NoSuchKey."""
    bucket, _ = bucket_with_object(s3)
    _, carol = iam_user(server, "carol", doc({
        "Effect": "Allow", "Action": "s3:GetObject", "Resource": f"arn:aws:s3:::{bucket}/*"}))
    with pytest.raises(ClientError) as e:
        carol.get_object(Bucket=bucket, Key="absent.txt")
    denied(e)
    server.client("iam").put_user_policy(UserName="carol", PolicyName="list", PolicyDocument=doc({
        "Effect": "Allow", "Action": "s3:ListBucket", "Resource": f"arn:aws:s3:::{bucket}"}))
    with pytest.raises(ClientError) as e:
        carol.get_object(Bucket=bucket, Key="absent.txt")
    assert e.value.response["Error"]["Code"] == "NoSuchKey"


def test_same_account_bucket_policy_alone_grants_a_user(server, s3):
    bucket, key = bucket_with_object(s3)
    arn, dave = iam_user(server, "dave")
    s3.put_bucket_policy(Bucket=bucket, Policy=doc({
        "Effect": "Allow", "Principal": {"AWS": arn}, "Action": "s3:GetObject",
        "Resource": f"arn:aws:s3:::{bucket}/*"}))
    assert read_of(bucket, key)(dave) == b"quarterly numbers"


def test_explicit_deny_in_bucket_policy_beats_identity_allow(server, s3):
    bucket, key = bucket_with_object(s3)
    arn, erin = iam_user(server, "erin", doc({"Effect": "Allow", "Action": "s3:*", "Resource": "*"}))
    assert read_of(bucket, key)(erin) == b"quarterly numbers"
    s3.put_bucket_policy(Bucket=bucket, Policy=doc({
        "Sid": "NoErin", "Effect": "Deny", "Principal": {"AWS": arn}, "Action": "s3:GetObject",
        "Resource": f"arn:aws:s3:::{bucket}/*"}))
    with pytest.raises(ClientError) as e:
        read_of(bucket, key)(erin)
    message = denied(e)
    assert "s3:GetObject" in message
    assert "explicit deny in a resource-based policy" in message
    # Other actions are untouched.
    assert erin.list_objects_v2(Bucket=bucket)["KeyCount"] == 1


def test_bucket_policy_deny_applies_to_the_owner_too(s3):
    bucket, key = bucket_with_object(s3)
    s3.put_bucket_policy(Bucket=bucket, Policy=doc({
        "Effect": "Deny", "Principal": "*", "Action": "s3:DeleteObject",
        "Resource": f"arn:aws:s3:::{bucket}/*"}))
    with pytest.raises(ClientError) as e:
        s3.delete_object(Bucket=bucket, Key=key)
    denied(e)
    assert read_of(bucket, key)(s3) == b"quarterly numbers"


def test_session_credentials_of_an_assumed_role(server, s3):
    bucket, key = bucket_with_object(s3)
    iam = server.client("iam")
    trust = doc({"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"}, "Action": "sts:AssumeRole"})
    role = iam.create_role(RoleName="s3-reader", AssumeRolePolicyDocument=trust)["Role"]["Arn"]
    iam.put_role_policy(RoleName="s3-reader", PolicyName="read", PolicyDocument=doc({
        "Effect": "Allow", "Action": "s3:GetObject", "Resource": f"arn:aws:s3:::{bucket}/*"}))
    # Roles may not be assumed by root: an IAM user allowed to assume it does.
    _, _ = iam_user(server, "runner")
    iam.put_user_policy(UserName="runner", PolicyName="assume", PolicyDocument=doc({
        "Effect": "Allow", "Action": "sts:AssumeRole", "Resource": role}))
    ak = iam.create_access_key(UserName="runner")["AccessKey"]
    creds = server.client("sts", key=(ak["AccessKeyId"], ak["SecretAccessKey"])).assume_role(
        RoleArn=role, RoleSessionName="job")["Credentials"]
    session = server.client("s3", key=(creds["AccessKeyId"], creds["SecretAccessKey"]),
                            session_token=creds["SessionToken"])
    assert read_of(bucket, key)(session) == b"quarterly numbers"
    with pytest.raises(ClientError) as e:
        session.delete_object(Bucket=bucket, Key=key)
    message = denied(e)
    assert "assumed-role/s3-reader/job" in message and "s3:DeleteObject" in message


# --------------------------------------------------------------------------------------------
# Organizations: aws:PrincipalOrgID, SCPs, RCPs
# --------------------------------------------------------------------------------------------


def org_member(server, orgs, email="member@example.com", name="Member"):
    """A member account created by the organization, with its sign-up completed; (id, root key)."""
    status = orgs.create_account(Email=email, AccountName=name)["CreateAccountStatus"]
    account_id = orgs.describe_create_account_status(CreateAccountRequestId=status["Id"])[
        "CreateAccountStatus"]["AccountId"]
    out = server.admin("/_localorg/complete-signup", {"AccountId": account_id})
    return account_id, (out["AccessKeyId"], out["SecretAccessKey"])


def org_read_policy(bucket, org_id):
    return doc({"Sid": "OrgReads", "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
                "Resource": f"arn:aws:s3:::{bucket}/*",
                "Condition": {"StringEquals": {"aws:PrincipalOrgID": org_id}}})


def test_principal_org_id_grants_members_until_they_leave(server, orgs, s3):
    org_id = orgs.create_organization(FeatureSet="ALL")["Organization"]["Id"]
    member_id, member_key = org_member(server, orgs)
    _, outsider_key = signup(server, "outsider@example.com", "Outsider")
    bucket, key = bucket_with_object(s3)
    # A policy for "*" conditioned on a fixed organization is not public: Block Public Access lets it in.
    s3.put_bucket_policy(Bucket=bucket, Policy=org_read_policy(bucket, org_id))
    assert s3.get_bucket_policy_status(Bucket=bucket)["PolicyStatus"]["IsPublic"] is False
    member = server.client("s3", key=member_key)
    assert read_of(bucket, key)(member) == b"quarterly numbers"
    with pytest.raises(ClientError) as e:
        read_of(bucket, key)(server.client("s3", key=outsider_key))
    denied(e)
    server.client("organizations", key=member_key).leave_organization()
    with pytest.raises(ClientError) as e:
        read_of(bucket, key)(member)
    denied(e)


def test_principal_org_id_after_removal_by_the_management_account(server, orgs, s3):
    org_id = orgs.create_organization(FeatureSet="ALL")["Organization"]["Id"]
    member_id, member_key = org_member(server, orgs)
    bucket, key = bucket_with_object(s3)
    s3.put_bucket_policy(Bucket=bucket, Policy=org_read_policy(bucket, org_id))
    member = server.client("s3", key=member_key)
    assert read_of(bucket, key)(member) == b"quarterly numbers"
    orgs.remove_account_from_organization(AccountId=member_id)
    with pytest.raises(ClientError) as e:
        read_of(bucket, key)(member)
    denied(e)


def test_scp_denies_s3_in_a_member_account(server, orgs):
    orgs.create_organization(FeatureSet="ALL")
    root = orgs.list_roots()["Roots"][0]["Id"]
    orgs.enable_policy_type(RootId=root, PolicyType="SERVICE_CONTROL_POLICY")
    member_id, member_key = org_member(server, orgs)
    member = server.client("s3", key=member_key)
    member.create_bucket(Bucket="member-bucket")
    pid = orgs.create_policy(Name="NoS3Writes", Description="no writes", Type="SERVICE_CONTROL_POLICY",
                             Content=doc({"Sid": "NoPuts", "Effect": "Deny", "Action": "s3:PutObject",
                                          "Resource": "*"}))["Policy"]["PolicySummary"]["Id"]
    orgs.attach_policy(PolicyId=pid, TargetId=member_id)
    with pytest.raises(ClientError) as e:
        member.put_object(Bucket="member-bucket", Key="k", Body=b"x")
    message = denied(e)
    assert "s3:PutObject" in message
    assert "explicit deny in a service control policy" in message
    # Reads are not affected, and the management account is never bound by SCPs.
    assert member.list_objects_v2(Bucket="member-bucket")["KeyCount"] == 0
    orgs_s3 = server.client("s3")
    orgs_s3.create_bucket(Bucket="mgmt-bucket")
    orgs_s3.put_object(Bucket="mgmt-bucket", Key="k", Body=b"x")


RCP_DENY_OUTSIDERS = {
    "Sid": "EnforceOrgIdentities", "Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "*",
    "Condition": {"StringNotEqualsIfExists": {"aws:PrincipalOrgID": None},
                  "BoolIfExists": {"aws:PrincipalIsAWSService": "false"}}}


def test_rcp_keeps_outsiders_away_from_a_member_bucket(server, orgs):
    org_id = orgs.create_organization(FeatureSet="ALL")["Organization"]["Id"]
    root = orgs.list_roots()["Roots"][0]["Id"]
    member_id, member_key = org_member(server, orgs)
    outsider_id, outsider_key = signup(server, "outsider@example.com", "Outsider")
    member = server.client("s3", key=member_key)
    bucket, key = bucket_with_object(member, bucket="member-data")
    member.put_bucket_policy(Bucket=bucket, Policy=doc({
        "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{outsider_id}:root"}, "Action": "s3:GetObject",
        "Resource": f"arn:aws:s3:::{bucket}/*"}))
    outsider = server.client("s3", key=outsider_key)
    assert read_of(bucket, key)(outsider) == b"quarterly numbers"

    orgs.enable_policy_type(RootId=root, PolicyType="RESOURCE_CONTROL_POLICY")
    statement = json.loads(json.dumps(RCP_DENY_OUTSIDERS))
    statement["Condition"]["StringNotEqualsIfExists"]["aws:PrincipalOrgID"] = org_id
    pid = orgs.create_policy(Name="OrgOnly", Description="org identities only", Type="RESOURCE_CONTROL_POLICY",
                             Content=doc(statement))["Policy"]["PolicySummary"]["Id"]
    orgs.attach_policy(PolicyId=pid, TargetId=root)
    with pytest.raises(ClientError) as e:
        read_of(bucket, key)(outsider)
    denied(e)
    # The member itself and the organization's other accounts are not affected.
    assert read_of(bucket, key)(member) == b"quarterly numbers"
    member.put_bucket_policy(Bucket=bucket, Policy=doc({
        "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"}, "Action": "s3:GetObject",
        "Resource": f"arn:aws:s3:::{bucket}/*"}))
    assert read_of(bucket, key)(server.client("s3")) == b"quarterly numbers"
    # Detaching the RCP gives the outsider back what the bucket policy grants.
    member.put_bucket_policy(Bucket=bucket, Policy=doc({
        "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{outsider_id}:root"}, "Action": "s3:GetObject",
        "Resource": f"arn:aws:s3:::{bucket}/*"}))
    orgs.detach_policy(PolicyId=pid, TargetId=root)
    assert read_of(bucket, key)(outsider) == b"quarterly numbers"


def test_rcps_do_not_bind_the_management_account_resources(server, orgs, s3):
    org_id = orgs.create_organization(FeatureSet="ALL")["Organization"]["Id"]
    root = orgs.list_roots()["Roots"][0]["Id"]
    outsider_id, outsider_key = signup(server, "outsider@example.com", "Outsider")
    bucket, key = bucket_with_object(s3, bucket="mgmt-data")
    s3.put_bucket_policy(Bucket=bucket, Policy=doc({
        "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{outsider_id}:root"}, "Action": "s3:GetObject",
        "Resource": f"arn:aws:s3:::{bucket}/*"}))
    orgs.enable_policy_type(RootId=root, PolicyType="RESOURCE_CONTROL_POLICY")
    statement = json.loads(json.dumps(RCP_DENY_OUTSIDERS))
    statement["Condition"]["StringNotEqualsIfExists"]["aws:PrincipalOrgID"] = org_id
    pid = orgs.create_policy(Name="OrgOnly", Description="org identities only", Type="RESOURCE_CONTROL_POLICY",
                             Content=doc(statement))["Policy"]["PolicySummary"]["Id"]
    orgs.attach_policy(PolicyId=pid, TargetId=root)
    assert read_of(bucket, key)(server.client("s3", key=outsider_key)) == b"quarterly numbers"


# --------------------------------------------------------------------------------------------
# aws:SecureTransport: localorg is plain HTTP unless told to count requests as TLS
# --------------------------------------------------------------------------------------------


def deny_insecure_transport(bucket):
    return doc({"Sid": "AllowSSLRequestsOnly", "Effect": "Deny", "Principal": "*", "Action": "s3:*",
                "Resource": [f"arn:aws:s3:::{bucket}", f"arn:aws:s3:::{bucket}/*"],
                "Condition": {"Bool": {"aws:SecureTransport": "false"}}})


def test_a_policy_denying_insecure_transport_denies_plain_http(s3):
    bucket, key = bucket_with_object(s3)
    s3.put_bucket_policy(Bucket=bucket, Policy=deny_insecure_transport(bucket))
    with pytest.raises(ClientError) as e:
        s3.get_object(Bucket=bucket, Key=key)
    assert "AllowSSLRequestsOnly" in denied(e)


def test_secure_transport_flag_counts_requests_as_tls():
    from conftest import LocalorgServer

    server = LocalorgServer("--secure-transport")
    try:
        s3 = server.client("s3")
        bucket, key = bucket_with_object(s3)
        s3.put_bucket_policy(Bucket=bucket, Policy=deny_insecure_transport(bucket))
        assert s3.get_object(Bucket=bucket, Key=key)["Body"].read() == b"quarterly numbers"
    finally:
        server.stop()
