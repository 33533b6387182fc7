"""AWS CloudTrail end to end: every call recorded as a management event (LookupEvents by each of its
eight attributes, the CloudTrail record's shape per principal type, secrets left out, denied calls,
the role owner's copy of a cross-account AssumeRole), trails (create and its checks, shadow copies in
other Regions, logging, status, selectors, tags, delete), delivery of gzip log files into S3 under
the documented key layout, organization trails and an SCP denying StopLogging.

Expectations follow the AWS CloudTrail User Guide and API Reference (the record contents, the
userIdentity element, the S3 bucket policy for CloudTrail, the log file name format) and the IAM
User Guide's CloudTrail examples."""
import datetime
import gzip
import json
import re
import tempfile
import time
from pathlib import Path

import pytest
from botocore.exceptions import ClientError

from conftest import aws_cli, signup

ACCOUNT = "000000000000"
REGION = "us-east-1"
OTHER_REGION = "eu-west-1"
CLOUDTRAIL = "cloudtrail.amazonaws.com"
TIME_RE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")


# --------------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------------


def doc(*statements):
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


def error_code(excinfo):
    return excinfo.value.response["Error"]["Code"]


def wait_for(fn, timeout=3.0, interval=0.1):
    """Calls `fn` until it returns something truthy (buffered events are stored every 200 ms)."""
    deadline = time.monotonic() + timeout
    while True:
        result = fn()
        if result or time.monotonic() >= deadline:
            return result
        time.sleep(interval)


def lookup(ct, key=None, value=None, **kw):
    """One LookupEvents call (the first page) filtered by one attribute."""
    if key is not None:
        kw["LookupAttributes"] = [{"AttributeKey": key, "AttributeValue": value}]
    return ct.lookup_events(**kw)["Events"]


def record(event):
    return json.loads(event["CloudTrailEvent"])


def find_event(ct, key, value, pred=lambda e: True, timeout=3.0):
    """Waits for the first event found by (key, value) that satisfies `pred`; returns it (or None)."""
    def attempt():
        for e in lookup(ct, key, value):
            if pred(e):
                return e
        return None
    return wait_for(attempt, timeout=timeout)


def by_request_id(request_id):
    return lambda e: record(e)["requestID"] == request_id


def request_id(response):
    meta = response["ResponseMetadata"]
    assert meta["RequestId"] == meta["HTTPHeaders"]["x-amzn-requestid"]
    return meta["RequestId"]


def all_strings(value):
    """Every key and string value of a JSON value, for secret-leak checks."""
    if isinstance(value, dict):
        for k, v in value.items():
            yield k
            yield from all_strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from all_strings(v)
    elif isinstance(value, str):
        yield value


def trail_arn(name, account=ACCOUNT, region=REGION):
    return f"arn:aws:cloudtrail:{region}:{account}:trail/{name}"


def trail_bucket_policy(bucket, trail_arns, log_paths, acl_condition=False):
    """The CloudTrail bucket policy of the User Guide ("Amazon S3 bucket policy for CloudTrail"):
    AWSCloudTrailAclCheck20150319 (s3:GetBucketAcl on the bucket) and AWSCloudTrailWrite20150319
    (s3:PutObject under each `AWSLogs/...` path), both conditioned on aws:SourceArn = the trail(s).
    `acl_condition` adds the documented `s3:x-amz-acl: bucket-owner-full-control` condition."""
    write_condition = {"aws:SourceArn": trail_arns}
    if acl_condition:
        write_condition["s3:x-amz-acl"] = "bucket-owner-full-control"
    return doc(
        {"Sid": "AWSCloudTrailAclCheck20150319", "Effect": "Allow", "Principal": {"Service": CLOUDTRAIL},
         "Action": "s3:GetBucketAcl", "Resource": f"arn:aws:s3:::{bucket}",
         "Condition": {"StringEquals": {"aws:SourceArn": trail_arns}}},
        {"Sid": "AWSCloudTrailWrite20150319", "Effect": "Allow", "Principal": {"Service": CLOUDTRAIL},
         "Action": "s3:PutObject", "Resource": [f"arn:aws:s3:::{bucket}/{p}/*" for p in log_paths],
         "Condition": {"StringEquals": write_condition}},
    )


def trail_bucket(server, bucket, names, key=("test", "test"), account=ACCOUNT, region=REGION):
    """A bucket whose policy lets CloudTrail deliver for the trails `names` of `account`."""
    s3 = server.client("s3", key=key)
    s3.create_bucket(Bucket=bucket)
    s3.put_bucket_policy(Bucket=bucket, Policy=trail_bucket_policy(
        bucket, [trail_arn(n, account, region) for n in names], [f"AWSLogs/{account}"]))
    return s3


def iam_user_with_key(server, name, policy=None):
    iam = server.client("iam")
    user = iam.create_user(UserName=name)["User"]
    if policy:
        iam.put_user_policy(UserName=name, PolicyName="inline", PolicyDocument=policy)
    ak = iam.create_access_key(UserName=name)["AccessKey"]
    return user, (ak["AccessKeyId"], ak["SecretAccessKey"])


def assumed_session(server, role_name="Auditor", session="job-42", runner="runner"):
    """An IAM user `runner` allowed to assume `role_name` (same account), and the session it gets.
    Returns (role, runner user, runner key, AssumeRole response)."""
    iam = server.client("iam")
    trust = doc({"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"},
                 "Action": "sts:AssumeRole"})
    role = iam.create_role(RoleName=role_name, AssumeRolePolicyDocument=trust)["Role"]
    user, key = iam_user_with_key(server, runner, doc(
        {"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": role["Arn"]}))
    assumed = server.client("sts", key=key).assume_role(RoleArn=role["Arn"], RoleSessionName=session)
    return role, user, key, assumed


def session_client(server, service, assumed, region=REGION):
    c = assumed["Credentials"]
    return server.client(service, key=(c["AccessKeyId"], c["SecretAccessKey"]),
                         session_token=c["SessionToken"], region=region)


def org_member(server, orgs, email="member@example.com", name="Member"):
    """A member account created by the organization, with its sign-up completed; (id, root key)."""
    status = orgs.create_account(Email=email, AccountName=name)["CreateAccountStatus"]
    account_id = orgs.describe_create_account_status(CreateAccountRequestId=status["Id"])[
        "CreateAccountStatus"]["AccountId"]
    out = server.admin("/_localorg/complete-signup", {"AccountId": account_id})
    return account_id, (out["AccessKeyId"], out["SecretAccessKey"])


def deliver(server):
    server.admin("/_localorg/cloudtrail/deliver")


def log_keys(s3, bucket, prefix=""):
    keys, token = [], None
    while True:
        kw = {"Bucket": bucket, "Prefix": prefix}
        if token:
            kw["ContinuationToken"] = token
        page = s3.list_objects_v2(**kw)
        keys += [o["Key"] for o in page.get("Contents", [])]
        token = page.get("NextContinuationToken")
        if not token:
            return keys


def records_of(s3, bucket, keys):
    out = []
    for key in keys:
        body = s3.get_object(Bucket=bucket, Key=key)["Body"].read()
        out += json.loads(gzip.decompress(body))["Records"]
    return out


def log_key_re(account, region, org=None, prefix=""):
    """The documented log file key: [prefix/]AWSLogs/[o-org/]ACCOUNT/CloudTrail/REGION/YYYY/MM/DD/
    ACCOUNT_CloudTrail_REGION_YYYYMMDDTHHmmZ_<16 alphanumerics>.json.gz"""
    org_part = f"{re.escape(org)}/" if org else ""
    return re.compile(
        rf"^{re.escape(prefix)}AWSLogs/{org_part}{account}/CloudTrail/{region}/"
        rf"(\d{{4}})/(\d{{2}})/(\d{{2}})/{account}_CloudTrail_{region}_(\d{{4}})(\d{{2}})(\d{{2}})T\d{{4}}Z_"
        rf"[A-Za-z0-9]{{16}}\.json\.gz$")


@pytest.fixture
def ct(server):
    return server.client("cloudtrail")


@pytest.fixture
def iam(server):
    return server.client("iam")


# --------------------------------------------------------------------------------------------
# 1. LookupEvents by each attribute
# --------------------------------------------------------------------------------------------


def test_lookup_by_event_name_and_event_id(server, ct, iam):
    iam.create_user(UserName="alice")
    iam.create_user(UserName="bob")
    # Successful writes are stored with the write: no waiting.
    events = lookup(ct, "EventName", "CreateUser")
    assert {e["EventName"] for e in events} == {"CreateUser"}
    assert sorted(record(e)["requestParameters"]["userName"] for e in events) == ["alice", "bob"]
    target = events[-1]
    by_id = lookup(ct, "EventId", target["EventId"])
    assert [e["EventId"] for e in by_id] == [target["EventId"]]
    assert record(by_id[0])["eventID"] == target["EventId"]
    assert lookup(ct, "EventId", "00000000-0000-0000-0000-000000000000") == []


def test_lookup_by_read_only(server, ct, iam):
    iam.create_user(UserName="alice")
    iam.list_users()
    reads = wait_for(lambda: [e for e in lookup(ct, "ReadOnly", "true") if e["EventName"] == "ListUsers"])
    assert reads
    read_events = lookup(ct, "ReadOnly", "true")
    assert read_events and {e["ReadOnly"] for e in read_events} == {"true"}
    assert "CreateUser" not in {e["EventName"] for e in read_events}
    write_events = lookup(ct, "ReadOnly", "false")
    assert {e["ReadOnly"] for e in write_events} == {"false"}
    assert "CreateUser" in {e["EventName"] for e in write_events}
    assert "ListUsers" not in {e["EventName"] for e in write_events}


def test_lookup_by_username_for_root_user_and_role_session(server, ct, iam):
    role, runner, runner_key, assumed = assumed_session(server, session="job-42")
    server.client("sts", key=runner_key).get_caller_identity()
    session_client(server, "sts", assumed).get_caller_identity()
    # Root: "root".
    root_events = lookup(ct, "Username", "root")
    assert root_events and {e["Username"] for e in root_events} == {"root"}
    assert "CreateRole" in {e["EventName"] for e in root_events}
    # The IAM user: its name (the AssumeRole call shows the user who made it).
    runner_events = wait_for(lambda: [e for e in lookup(ct, "Username", "runner")
                                      if e["EventName"] == "GetCallerIdentity"])
    assert runner_events
    names = {e["EventName"] for e in lookup(ct, "Username", "runner")}
    assert {"AssumeRole", "GetCallerIdentity"} <= names
    # The role session: the session name.
    session_events = wait_for(lambda: lookup(ct, "Username", "job-42"))
    assert session_events and {e["Username"] for e in session_events} == {"job-42"}
    assert [e["EventName"] for e in session_events] == ["GetCallerIdentity"]
    assert record(session_events[0])["userIdentity"]["type"] == "AssumedRole"


def test_lookup_by_resource_type_and_resource_name(server, ct):
    role, _, _, _ = assumed_session(server)
    by_type = lookup(ct, "ResourceType", "AWS::IAM::Role")
    assert [e["EventName"] for e in by_type] == ["AssumeRole"]
    assert by_type[0]["Resources"] == [{"ResourceType": "AWS::IAM::Role", "ResourceName": role["Arn"]}]
    by_name = lookup(ct, "ResourceName", role["Arn"])
    assert [e["EventId"] for e in by_name] == [by_type[0]["EventId"]]
    rec = record(by_name[0])
    assert rec["resources"] == [{"ARN": role["Arn"], "accountId": ACCOUNT, "type": "AWS::IAM::Role"}]
    assert lookup(ct, "ResourceName", f"arn:aws:iam::{ACCOUNT}:role/Nobody") == []


def test_lookup_by_event_source_and_access_key_id(server, ct):
    user, key = iam_user_with_key(server, "alice")
    server.client("sts", key=key).get_caller_identity()
    iam_events = lookup(ct, "EventSource", "iam.amazonaws.com")
    assert iam_events and {e["EventSource"] for e in iam_events} == {"iam.amazonaws.com"}
    assert {"CreateUser", "CreateAccessKey"} <= {e["EventName"] for e in iam_events}
    sts_events = wait_for(lambda: lookup(ct, "EventSource", "sts.amazonaws.com"))
    assert [e["EventName"] for e in sts_events] == ["GetCallerIdentity"]
    by_key = lookup(ct, "AccessKeyId", key[0])
    assert [e["EventName"] for e in by_key] == ["GetCallerIdentity"]
    assert by_key[0]["AccessKeyId"] == key[0]
    assert by_key[0]["Username"] == "alice"
    # Root's calls were made with the default key.
    assert "CreateUser" in {e["EventName"] for e in lookup(ct, "AccessKeyId", "test")}


def test_lookup_events_with_the_aws_cli(server, iam):
    iam.create_user(UserName="carol")
    out = aws_cli(server, "cloudtrail", "lookup-events", "--lookup-attributes",
                  "AttributeKey=EventName,AttributeValue=CreateUser")
    assert [e["EventName"] for e in out["Events"]] == ["CreateUser"]
    event = out["Events"][0]
    assert event["Username"] == "root"
    assert event["ReadOnly"] == "false"
    assert json.loads(event["CloudTrailEvent"])["requestParameters"] == {"userName": "carol"}
    out = aws_cli(server, "cloudtrail", "lookup-events", "--lookup-attributes",
                  "AttributeKey=Username,AttributeValue=root")
    assert out["Events"] and {e["Username"] for e in out["Events"]} == {"root"}
    assert "CreateUser" in {e["EventName"] for e in out["Events"]}
    out = aws_cli(server, "cloudtrail", "lookup-events", "--lookup-attributes",
                  "AttributeKey=Username,AttributeValue=carol")
    assert out["Events"] == []


# --------------------------------------------------------------------------------------------
# 2. The CloudTrail record
# --------------------------------------------------------------------------------------------


def test_record_of_a_root_write_call(server, ct):
    iam_eu = server.client("iam", region=OTHER_REGION)
    response = iam_eu.create_user(UserName="alice", Path="/eng/", Tags=[{"Key": "team", "Value": "blue"}])
    rid = request_id(response)
    event = find_event(ct, "EventName", "CreateUser", by_request_id(rid))
    assert event is not None
    rec = record(event)
    assert rec["eventVersion"] == "1.11"
    assert rec["userIdentity"] == {"type": "Root", "principalId": ACCOUNT, "arn": f"arn:aws:iam::{ACCOUNT}:root",
                                   "accountId": ACCOUNT, "accessKeyId": "test"}
    assert TIME_RE.match(rec["eventTime"]), rec["eventTime"]
    assert rec["eventSource"] == "iam.amazonaws.com"
    assert rec["eventName"] == "CreateUser"
    # IAM is a global service: recorded in us-east-1 whatever Region the client was configured for.
    assert rec["awsRegion"] == "us-east-1"
    assert rec["requestParameters"] == {"userName": "alice", "path": "/eng/",
                                        "tags": [{"key": "team", "value": "blue"}]}
    user = response["User"]
    assert rec["responseElements"]["user"]["userName"] == "alice"
    assert rec["responseElements"]["user"]["userId"] == user["UserId"]
    assert rec["responseElements"]["user"]["arn"] == user["Arn"]
    assert rec["requestID"] == rid
    assert rec["eventID"] == event["EventId"]
    assert rec["readOnly"] is False
    assert rec["eventType"] == "AwsApiCall"
    assert rec["managementEvent"] is True
    assert rec["recipientAccountId"] == ACCOUNT
    assert rec["eventCategory"] == "Management"
    assert "errorCode" not in rec and "errorMessage" not in rec
    assert rec["userAgent"].startswith("Boto3/") or "Botocore" in rec["userAgent"]
    assert rec["sourceIPAddress"] == "127.0.0.1"
    # The event is in us-east-1 only.
    assert lookup(server.client("cloudtrail", region=OTHER_REGION), "EventName", "CreateUser") == []


def test_record_of_a_read_only_call_has_null_response_elements(server, ct, iam):
    iam.create_user(UserName="alice")
    response = iam.get_user(UserName="alice")
    rid = request_id(response)
    event = find_event(ct, "EventName", "GetUser", by_request_id(rid))
    assert event is not None
    rec = record(event)
    assert rec["readOnly"] is True
    assert event["ReadOnly"] == "true"
    assert rec["requestParameters"] == {"userName": "alice"}
    assert rec["responseElements"] is None
    assert rec["requestID"] == rid


def test_record_of_an_iam_user_call(server, ct):
    user, key = iam_user_with_key(server, "alice")
    response = server.client("sts", key=key).get_caller_identity()
    rid = request_id(response)
    event = find_event(ct, "AccessKeyId", key[0], by_request_id(rid))
    assert event is not None
    rec = record(event)
    assert rec["userIdentity"] == {"type": "IAMUser", "principalId": user["UserId"], "arn": user["Arn"],
                                   "accountId": ACCOUNT, "accessKeyId": key[0], "userName": "alice"}
    assert rec["eventSource"] == "sts.amazonaws.com"
    assert rec["awsRegion"] == REGION
    assert rec["readOnly"] is True
    assert rec["responseElements"] is None
    assert rec["requestID"] == rid


def test_record_of_an_assumed_role_call(server, ct):
    role, _, _, assumed = assumed_session(server, role_name="Auditor", session="job-42")
    response = session_client(server, "sts", assumed).get_caller_identity()
    rid = request_id(response)
    event = find_event(ct, "Username", "job-42", by_request_id(rid))
    assert event is not None
    identity = record(event)["userIdentity"]
    assert identity["type"] == "AssumedRole"
    assert identity["principalId"] == f"{role['RoleId']}:job-42"
    session_arn = f"arn:aws:sts::{ACCOUNT}:assumed-role/Auditor/job-42"
    assert identity["arn"] == assumed["AssumedRoleUser"]["Arn"] == session_arn
    assert identity["accountId"] == ACCOUNT
    assert identity["accessKeyId"] == assumed["Credentials"]["AccessKeyId"]
    assert identity["sessionContext"]["sessionIssuer"] == {
        "type": "Role", "principalId": role["RoleId"], "arn": role["Arn"], "accountId": ACCOUNT,
        "userName": "Auditor"}
    attributes = identity["sessionContext"]["attributes"]
    assert attributes["mfaAuthenticated"] == "false"
    assert TIME_RE.match(attributes["creationDate"]), attributes["creationDate"]
    assert "userName" not in identity


def test_regional_sts_calls_are_recorded_in_their_region(server):
    ct_eu = server.client("cloudtrail", region=OTHER_REGION)
    response = server.client("sts", region=OTHER_REGION).get_caller_identity()
    rid = request_id(response)
    event = find_event(ct_eu, "EventName", "GetCallerIdentity", by_request_id(rid))
    assert event is not None
    assert record(event)["awsRegion"] == OTHER_REGION
    assert lookup(server.client("cloudtrail"), "EventName", "GetCallerIdentity") == []


# --------------------------------------------------------------------------------------------
# 3. Secrets never recorded
# --------------------------------------------------------------------------------------------


def test_create_access_key_event_has_no_secret(server, ct, iam):
    iam.create_user(UserName="alice")
    response = iam.create_access_key(UserName="alice")
    key = response["AccessKey"]
    event = find_event(ct, "EventName", "CreateAccessKey", by_request_id(request_id(response)))
    assert event is not None
    rec = record(event)
    assert rec["requestParameters"] == {"userName": "alice"}
    assert rec["responseElements"]["accessKey"]["accessKeyId"] == key["AccessKeyId"]
    assert rec["responseElements"]["accessKey"]["status"] == "Active"
    strings = list(all_strings(rec))
    assert not any(s.lower() == "secretaccesskey" for s in strings)
    assert key["SecretAccessKey"] not in event["CloudTrailEvent"]


def test_create_login_profile_event_has_no_password(server, ct, iam):
    iam.create_user(UserName="alice")
    password = "Corr3ct-Horse-Battery!"
    response = iam.create_login_profile(UserName="alice", Password=password, PasswordResetRequired=True)
    event = find_event(ct, "EventName", "CreateLoginProfile", by_request_id(request_id(response)))
    assert event is not None
    rec = record(event)
    assert rec["requestParameters"]["userName"] == "alice"
    assert rec["requestParameters"]["passwordResetRequired"] is True
    assert "password" not in rec["requestParameters"]
    assert password not in event["CloudTrailEvent"]


def test_assume_role_event_has_no_secret_or_session_token(server, ct):
    role, runner, runner_key, assumed = assumed_session(server, session="job-42")
    creds = assumed["Credentials"]
    event = find_event(ct, "EventName", "AssumeRole", by_request_id(request_id(assumed)))
    assert event is not None
    rec = record(event)
    assert rec["requestParameters"] == {"roleArn": role["Arn"], "roleSessionName": "job-42"}
    assert rec["responseElements"]["credentials"]["accessKeyId"] == creds["AccessKeyId"]
    assert rec["responseElements"]["assumedRoleUser"]["arn"] == assumed["AssumedRoleUser"]["Arn"]
    text = event["CloudTrailEvent"]
    assert creds["SecretAccessKey"] not in text
    # localorg's choice: the session token is left out too. (The IAM User Guide's example AssumeRole
    # records show responseElements.credentials.sessionToken; only the secret key is never there.)
    assert creds["SessionToken"] not in text
    keys = {s.lower() for s in all_strings(rec)}
    assert "secretaccesskey" not in keys and "sessiontoken" not in keys
    # The caller's identity is the IAM user that called AssumeRole.
    assert rec["userIdentity"]["type"] == "IAMUser"
    assert rec["userIdentity"]["userName"] == "runner"


# --------------------------------------------------------------------------------------------
# 4. Denied calls
# --------------------------------------------------------------------------------------------


def test_denied_call_is_recorded_with_its_error(server, ct):
    user, key = iam_user_with_key(server, "mallory")
    with pytest.raises(ClientError) as e:
        server.client("iam", key=key).list_users()
    assert error_code(e) == "AccessDenied"
    rid = e.value.response["ResponseMetadata"]["RequestId"]
    event = find_event(ct, "Username", "mallory", lambda ev: ev["EventName"] == "ListUsers")
    assert event is not None, "the denied call was not recorded"
    rec = record(event)
    assert rec["errorCode"] == "AccessDenied"
    assert "iam:ListUsers" in rec["errorMessage"]
    assert user["Arn"] in rec["errorMessage"]
    assert rec["errorMessage"] == e.value.response["Error"]["Message"]
    assert rec["responseElements"] is None
    assert rec["requestParameters"] is None
    assert rec["requestID"] == rid
    assert rec["userIdentity"]["type"] == "IAMUser"
    assert rec["readOnly"] is True


def test_failed_call_is_recorded_with_its_error(server, ct, iam):
    with pytest.raises(ClientError) as e:
        iam.get_user(UserName="ghost")
    assert error_code(e) == "NoSuchEntity"
    rid = e.value.response["ResponseMetadata"]["RequestId"]
    event = find_event(ct, "EventName", "GetUser", by_request_id(rid))
    assert event is not None, "the failed call was not recorded"
    rec = record(event)
    # Real IAM records name the error with its exception shape (NoSuchEntityException).
    assert rec["errorCode"] in ("NoSuchEntity", "NoSuchEntityException")
    assert rec["errorMessage"] == e.value.response["Error"]["Message"]
    assert rec["requestParameters"] == {"userName": "ghost"}
    assert rec["responseElements"] is None


# --------------------------------------------------------------------------------------------
# 5. Cross-account AssumeRole: the role owner's copy
# --------------------------------------------------------------------------------------------


def test_cross_account_assume_role_gives_the_role_owner_a_copy(server, ct):
    b_id, b_key = signup(server, "b@example.com", "B")
    iam_b = server.client("iam", key=b_key)
    role_b = iam_b.create_role(RoleName="CrossAudit", AssumeRolePolicyDocument=doc(
        {"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"}, "Action": "sts:AssumeRole"})
    )["Role"]
    runner, runner_key = iam_user_with_key(server, "runner", doc(
        {"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": role_b["Arn"]}))
    assumed = server.client("sts", key=runner_key).assume_role(RoleArn=role_b["Arn"], RoleSessionName="x-acct")
    rid = request_id(assumed)
    mine = find_event(ct, "EventName", "AssumeRole", by_request_id(rid))
    assert mine is not None
    ct_b = server.client("cloudtrail", key=b_key)
    theirs = find_event(ct_b, "EventName", "AssumeRole", by_request_id(rid))
    assert theirs is not None, "the role owner's account got no copy"
    mine_rec, theirs_rec = record(mine), record(theirs)
    assert mine_rec["recipientAccountId"] == ACCOUNT
    assert mine_rec["userIdentity"]["type"] == "IAMUser"
    assert theirs_rec["recipientAccountId"] == b_id
    assert theirs_rec["userIdentity"]["type"] == "AWSAccount"
    assert theirs_rec["userIdentity"]["accountId"] == ACCOUNT
    assert theirs_rec["userIdentity"]["principalId"] == runner["UserId"]
    assert "arn" not in theirs_rec["userIdentity"]
    assert mine_rec["sharedEventID"] == theirs_rec["sharedEventID"]
    assert mine_rec["eventID"] != theirs_rec["eventID"]
    assert theirs_rec["resources"] == [{"ARN": role_b["Arn"], "accountId": b_id, "type": "AWS::IAM::Role"}]
    # B sees only the role owner's copy, not account A's other events.
    assert lookup(ct_b, "EventName", "CreateUser") == []


def test_same_account_assume_role_has_no_shared_event_id(server, ct):
    _, _, _, assumed = assumed_session(server)
    event = find_event(ct, "EventName", "AssumeRole", by_request_id(request_id(assumed)))
    assert event is not None
    assert "sharedEventID" not in record(event)
    assert len(lookup(ct, "EventName", "AssumeRole")) == 1


# --------------------------------------------------------------------------------------------
# 6. LookupEvents parameters, paging and scope
# --------------------------------------------------------------------------------------------


def test_lookup_events_max_results_above_50(ct):
    """API Reference: MaxResults "Possible values are 1 through 50"; InvalidMaxResultsException."""
    with pytest.raises(ClientError) as e:
        ct.lookup_events(MaxResults=51)
    assert error_code(e) == "InvalidMaxResultsException"
    assert "Events" in ct.lookup_events(MaxResults=50)


def test_lookup_events_with_two_attributes(ct):
    with pytest.raises(ClientError) as e:
        ct.lookup_events(LookupAttributes=[{"AttributeKey": "EventName", "AttributeValue": "CreateUser"},
                                           {"AttributeKey": "Username", "AttributeValue": "root"}])
    assert error_code(e) == "InvalidLookupAttributesException"


def test_lookup_events_start_after_end(ct):
    now = datetime.datetime.now(datetime.timezone.utc)
    with pytest.raises(ClientError) as e:
        ct.lookup_events(StartTime=now, EndTime=now - datetime.timedelta(hours=1))
    assert error_code(e) == "InvalidTimeRangeException"


def test_lookup_events_pages_newest_first_and_binds_the_token(server, ct, iam):
    names = [f"user{i}" for i in range(5)]
    for name in names:
        iam.create_user(UserName=name)
        time.sleep(0.01)
    seen, token, pages, first_token = [], None, 0, None
    while True:
        kw = {"LookupAttributes": [{"AttributeKey": "EventName", "AttributeValue": "CreateUser"}],
              "MaxResults": 2}
        if token:
            kw["NextToken"] = token
        page = ct.lookup_events(**kw)
        pages += 1
        assert len(page["Events"]) <= 2
        seen += page["Events"]
        token = page.get("NextToken")
        if not token:
            break
        first_token = first_token or token
    assert pages == 3
    assert [record(e)["requestParameters"]["userName"] for e in seen] == list(reversed(names))
    assert len({e["EventId"] for e in seen}) == 5
    times = [e["EventTime"] for e in seen]
    assert times == sorted(times, reverse=True)
    # A token is valid only with the parameters it was issued for.
    with pytest.raises(ClientError) as e:
        ct.lookup_events(LookupAttributes=[{"AttributeKey": "EventName", "AttributeValue": "DeleteUser"}],
                         MaxResults=2, NextToken=first_token)
    assert error_code(e) == "InvalidNextTokenException"
    with pytest.raises(ClientError) as e:
        ct.lookup_events(LookupAttributes=[{"AttributeKey": "EventName", "AttributeValue": "CreateUser"}],
                         MaxResults=3, NextToken=first_token)
    assert error_code(e) == "InvalidNextTokenException"


def test_time_range_filters_events(server, ct, iam):
    iam.create_user(UserName="early")
    later = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(hours=1)
    assert [e["EventName"] for e in ct.lookup_events(
        LookupAttributes=[{"AttributeKey": "EventName", "AttributeValue": "CreateUser"}],
        StartTime=later, EndTime=later + datetime.timedelta(hours=1))["Events"]] == []
    past = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(hours=1)
    assert len(ct.lookup_events(
        LookupAttributes=[{"AttributeKey": "EventName", "AttributeValue": "CreateUser"}],
        StartTime=past)["Events"]) == 1


def test_other_accounts_and_regions_do_not_see_the_events(server, ct, iam):
    iam.create_user(UserName="alice")
    assert lookup(ct, "EventName", "CreateUser")
    _, b_key = signup(server, "b@example.com", "B")
    ct_b = server.client("cloudtrail", key=b_key)
    assert lookup(ct_b, "EventName", "CreateUser") == []
    b_events = ct_b.lookup_events()["Events"]
    assert all(record(e)["recipientAccountId"] != ACCOUNT for e in b_events)
    ct_eu = server.client("cloudtrail", region=OTHER_REGION)
    assert lookup(ct_eu, "EventName", "CreateUser") == []
    assert lookup(ct_eu, "EventSource", "iam.amazonaws.com") == []


# --------------------------------------------------------------------------------------------
# 7. Trails
# --------------------------------------------------------------------------------------------


def test_the_documented_bucket_policy_lets_create_trail_through(server, ct):
    """The User Guide's policy: AWSCloudTrailWrite20150319 also requires
    s3:x-amz-acl = bucket-owner-full-control, which CloudTrail's writes carry."""
    s3 = server.client("s3")
    s3.create_bucket(Bucket="documented-logs")
    s3.put_bucket_policy(Bucket="documented-logs", Policy=trail_bucket_policy(
        "documented-logs", trail_arn("main"), [f"AWSLogs/{ACCOUNT}"], acl_condition=True))
    created = ct.create_trail(Name="main", S3BucketName="documented-logs")
    assert created["TrailARN"] == trail_arn("main")
    ct.start_logging(Name="main")
    server.client("iam").create_user(UserName="logged")
    deliver(server)
    assert ct.get_trail_status(Name="main").get("LatestDeliveryError") is None
    keys = log_keys(s3, "documented-logs", f"AWSLogs/{ACCOUNT}/CloudTrail/{REGION}/")
    assert keys
    records = records_of(s3, "documented-logs", keys)
    assert any(r["eventName"] == "CreateUser" for r in records)


def test_create_trail_defaults_and_reads(server, ct):
    trail_bucket(server, "trail-logs", ["main"])
    created = ct.create_trail(Name="main", S3BucketName="trail-logs")
    assert created["Name"] == "main"
    assert created["S3BucketName"] == "trail-logs"
    assert created["TrailARN"] == trail_arn("main")
    assert created["IsMultiRegionTrail"] is False
    assert created["IncludeGlobalServiceEvents"] is True
    assert created["LogFileValidationEnabled"] is False
    assert created["IsOrganizationTrail"] is False
    trail = ct.get_trail(Name="main")["Trail"]
    assert trail["TrailARN"] == trail_arn("main")
    assert trail["HomeRegion"] == REGION
    assert trail["IsMultiRegionTrail"] is False
    assert trail["IncludeGlobalServiceEvents"] is True
    assert trail["HasCustomEventSelectors"] is False
    assert ct.get_trail(Name=trail_arn("main"))["Trail"]["Name"] == "main"
    described = ct.describe_trails()["trailList"]
    assert [t["TrailARN"] for t in described] == [trail_arn("main")]
    assert ct.describe_trails(trailNameList=["main"])["trailList"][0]["Name"] == "main"
    assert ct.list_trails()["Trails"] == [{"TrailARN": trail_arn("main"), "Name": "main", "HomeRegion": REGION}]
    # An API-created trail does not log until StartLogging.
    assert ct.get_trail_status(Name="main")["IsLogging"] is False


@pytest.mark.parametrize("name", ["ab", "-trail", "trail-", "my--trail", "my._trail", "my trail",
                                  "192.168.5.4", "a" * 129])
def test_invalid_trail_names(server, ct, name):
    trail_bucket(server, "trail-logs", [name])
    with pytest.raises(ClientError) as e:
        ct.create_trail(Name=name, S3BucketName="trail-logs")
    assert error_code(e) == "InvalidTrailNameException"


def test_trail_create_errors(server, ct):
    names = [f"trail{i}" for i in range(6)] + ["multi"]
    trail_bucket(server, "trail-logs", names)
    ct.create_trail(Name="trail0", S3BucketName="trail-logs")
    with pytest.raises(ClientError) as e:
        ct.create_trail(Name="trail0", S3BucketName="trail-logs")
    assert error_code(e) == "TrailAlreadyExistsException"
    with pytest.raises(ClientError) as e:
        ct.create_trail(Name="multi", S3BucketName="trail-logs", IsMultiRegionTrail=True,
                        IncludeGlobalServiceEvents=False)
    assert error_code(e) == "InvalidParameterCombinationException"
    for name in names[1:5]:
        ct.create_trail(Name=name, S3BucketName="trail-logs")
    with pytest.raises(ClientError) as e:
        ct.create_trail(Name="trail5", S3BucketName="trail-logs")
    assert error_code(e) == "MaximumNumberOfTrailsExceededException"
    assert len(ct.describe_trails()["trailList"]) == 5


def test_trail_bucket_checks(server, ct):
    with pytest.raises(ClientError) as e:
        ct.create_trail(Name="main", S3BucketName="no-such-bucket-here")
    assert error_code(e) == "S3BucketDoesNotExistException"
    s3 = server.client("s3")
    s3.create_bucket(Bucket="bare-bucket")
    with pytest.raises(ClientError) as e:
        ct.create_trail(Name="main", S3BucketName="bare-bucket")
    assert error_code(e) == "InsufficientS3BucketPolicyException"
    # A policy for another trail's ARN does not do either.
    s3.put_bucket_policy(Bucket="bare-bucket", Policy=trail_bucket_policy(
        "bare-bucket", trail_arn("other"), [f"AWSLogs/{ACCOUNT}"]))
    with pytest.raises(ClientError) as e:
        ct.create_trail(Name="main", S3BucketName="bare-bucket")
    assert error_code(e) == "InsufficientS3BucketPolicyException"
    # Nor does one granting the wrong path (a prefix the trail does not use).
    s3.put_bucket_policy(Bucket="bare-bucket", Policy=trail_bucket_policy(
        "bare-bucket", trail_arn("main"), [f"elsewhere/AWSLogs/{ACCOUNT}"]))
    with pytest.raises(ClientError) as e:
        ct.create_trail(Name="main", S3BucketName="bare-bucket")
    assert error_code(e) == "InsufficientS3BucketPolicyException"
    ct.create_trail(Name="main", S3BucketName="bare-bucket", S3KeyPrefix="elsewhere")
    assert ct.describe_trails()["trailList"][0]["S3KeyPrefix"] == "elsewhere"


def test_multi_region_trail_shadows_and_home_region(server, ct):
    trail_bucket(server, "trail-logs", ["everywhere", "local"])
    created = ct.create_trail(Name="everywhere", S3BucketName="trail-logs", IsMultiRegionTrail=True)
    assert created["IsMultiRegionTrail"] is True
    ct.create_trail(Name="local", S3BucketName="trail-logs")
    ct_eu = server.client("cloudtrail", region=OTHER_REGION)
    shadows = ct_eu.describe_trails()["trailList"]
    assert [(t["Name"], t["HomeRegion"], t["TrailARN"]) for t in shadows] == [
        ("everywhere", REGION, trail_arn("everywhere"))]
    assert ct_eu.describe_trails(includeShadowTrails=False)["trailList"] == []
    # Home Region sees both.
    home = ct.describe_trails(includeShadowTrails=False)["trailList"]
    assert {t["Name"] for t in home} == {"everywhere", "local"}
    with pytest.raises(ClientError) as e:
        ct_eu.update_trail(Name=trail_arn("everywhere"), S3KeyPrefix="moved")
    assert error_code(e) == "InvalidHomeRegionException"
    with pytest.raises(ClientError) as e:
        ct_eu.stop_logging(Name=trail_arn("everywhere"))
    assert error_code(e) == "InvalidHomeRegionException"
    with pytest.raises(ClientError) as e:
        ct_eu.delete_trail(Name=trail_arn("everywhere"))
    assert error_code(e) == "InvalidHomeRegionException"
    # From its home Region the update goes through.
    updated = ct.update_trail(Name="everywhere", EnableLogFileValidation=True)
    assert updated["LogFileValidationEnabled"] is True
    assert ct.get_trail(Name="everywhere")["Trail"]["LogFileValidationEnabled"] is True


def test_logging_status_selectors_tags_and_delete(server, ct):
    trail_bucket(server, "trail-logs", ["main"])
    ct.create_trail(Name="main", S3BucketName="trail-logs")
    status = ct.get_trail_status(Name="main")
    assert status["IsLogging"] is False
    assert "StartLoggingTime" not in status
    before = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(seconds=5)
    ct.start_logging(Name="main")
    status = ct.get_trail_status(Name="main")
    assert status["IsLogging"] is True
    started = status["StartLoggingTime"]
    assert before <= started <= datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=5)
    assert "StopLoggingTime" not in status
    time.sleep(1.1)
    ct.stop_logging(Name="main")
    status = ct.get_trail_status(Name="main")
    assert status["IsLogging"] is False
    assert status["StopLoggingTime"] > started
    assert status["StartLoggingTime"] == started

    selectors = ct.get_event_selectors(TrailName="main")
    assert selectors["TrailARN"] == trail_arn("main")
    assert len(selectors["EventSelectors"]) == 1
    default = selectors["EventSelectors"][0]
    assert default["ReadWriteType"] == "All"
    assert default["IncludeManagementEvents"] is True
    assert default.get("DataResources", []) == []
    put = ct.put_event_selectors(TrailName="main", EventSelectors=[
        {"ReadWriteType": "WriteOnly", "IncludeManagementEvents": True}])
    assert put["TrailARN"] == trail_arn("main")
    got = ct.get_event_selectors(TrailName="main")["EventSelectors"]
    assert [(s["ReadWriteType"], s["IncludeManagementEvents"]) for s in got] == [("WriteOnly", True)]
    assert ct.get_trail(Name="main")["Trail"]["HasCustomEventSelectors"] is True

    arn = trail_arn("main")
    ct.add_tags(ResourceId=arn, TagsList=[{"Key": "team", "Value": "sec"}, {"Key": "env", "Value": "prod"}])
    tags = ct.list_tags(ResourceIdList=[arn])["ResourceTagList"]
    assert tags[0]["ResourceId"] == arn
    assert sorted((t["Key"], t["Value"]) for t in tags[0]["TagsList"]) == [("env", "prod"), ("team", "sec")]
    ct.remove_tags(ResourceId=arn, TagsList=[{"Key": "env"}])
    tags = ct.list_tags(ResourceIdList=[arn])["ResourceTagList"]
    assert [(t["Key"], t["Value"]) for t in tags[0]["TagsList"]] == [("team", "sec")]

    ct.delete_trail(Name="main")
    with pytest.raises(ClientError) as e:
        ct.get_trail(Name="main")
    assert error_code(e) == "TrailNotFoundException"
    with pytest.raises(ClientError) as e:
        ct.get_trail_status(Name="main")
    assert error_code(e) == "TrailNotFoundException"
    assert ct.describe_trails()["trailList"] == []
    assert ct.list_trails()["Trails"] == []


def test_trail_calls_are_recorded_as_cloudtrail_events(server, ct):
    trail_bucket(server, "trail-logs", ["main"])
    created = ct.create_trail(Name="main", S3BucketName="trail-logs")
    event = find_event(ct, "EventName", "CreateTrail", by_request_id(request_id(created)))
    assert event is not None
    rec = record(event)
    assert rec["eventSource"] == "cloudtrail.amazonaws.com"
    assert rec["awsRegion"] == REGION
    assert rec["requestParameters"] == {"name": "main", "s3BucketName": "trail-logs"}
    assert rec["responseElements"]["trailARN"] == trail_arn("main")


# --------------------------------------------------------------------------------------------
# 8. Delivery into S3
# --------------------------------------------------------------------------------------------


def test_delivery_writes_the_documented_log_files(server, ct, iam):
    s3 = trail_bucket(server, "trail-logs", ["main"])
    ct.create_trail(Name="main", S3BucketName="trail-logs")
    ct.start_logging(Name="main")
    created = iam.create_user(UserName="delivered-user")
    listed = iam.list_users()
    identity = server.client("sts").get_caller_identity()
    deliver(server)
    keys = log_keys(s3, "trail-logs")
    assert keys
    pattern = log_key_re(ACCOUNT, REGION)
    today = datetime.datetime.now(datetime.timezone.utc)
    for key in keys:
        m = pattern.match(key)
        assert m, key
        y, mo, d, fy, fmo, fd = m.groups()
        assert (y, mo, d) == (fy, fmo, fd)
        assert abs(datetime.date(int(y), int(mo), int(d)) - today.date()) <= datetime.timedelta(days=1)
    records = records_of(s3, "trail-logs", keys)
    by_request = {r["requestID"]: r for r in records}
    for response, name in ((created, "CreateUser"), (listed, "ListUsers"), (identity, "GetCallerIdentity")):
        rec = by_request.get(request_id(response))
        assert rec is not None, f"{name} not delivered"
        assert rec["eventName"] == name
        assert rec["recipientAccountId"] == ACCOUNT
        assert rec["eventVersion"] == "1.11"
    # The same record as LookupEvents returns.
    event = find_event(ct, "EventName", "CreateUser", by_request_id(request_id(created)))
    assert by_request[request_id(created)] == record(event)

    # Downloaded with the AWS CLI, the file is the same gzip of {"Records": [...]}.
    with tempfile.TemporaryDirectory() as tmp:
        target = Path(tmp) / "log.json.gz"
        aws_cli(server, "s3", "cp", f"s3://trail-logs/{keys[0]}", str(target), "--quiet")
        body = json.loads(gzip.decompress(target.read_bytes()))
    assert list(body) == ["Records"]
    assert body["Records"] == json.loads(gzip.decompress(
        s3.get_object(Bucket="trail-logs", Key=keys[0])["Body"].read()))["Records"]


def test_delivery_honours_the_key_prefix(server, ct, iam):
    s3 = server.client("s3")
    s3.create_bucket(Bucket="prefixed-logs")
    s3.put_bucket_policy(Bucket="prefixed-logs", Policy=trail_bucket_policy(
        "prefixed-logs", trail_arn("main"), [f"audit/AWSLogs/{ACCOUNT}"]))
    ct.create_trail(Name="main", S3BucketName="prefixed-logs", S3KeyPrefix="audit")
    ct.start_logging(Name="main")
    iam.create_user(UserName="prefixed")
    deliver(server)
    keys = log_keys(s3, "prefixed-logs")
    assert keys and all(log_key_re(ACCOUNT, REGION, prefix="audit/").match(k) for k in keys), keys


def test_nothing_is_delivered_before_start_logging_or_after_stop(server, ct, iam):
    s3 = trail_bucket(server, "trail-logs", ["main"])
    ct.create_trail(Name="main", S3BucketName="trail-logs")
    iam.create_user(UserName="before")
    deliver(server)
    assert log_keys(s3, "trail-logs") == []
    ct.start_logging(Name="main")
    iam.create_user(UserName="during")
    deliver(server)
    ct.stop_logging(Name="main")
    iam.create_user(UserName="after")
    deliver(server)
    records = records_of(s3, "trail-logs", log_keys(s3, "trail-logs"))
    created = {r["requestParameters"]["userName"] for r in records if r["eventName"] == "CreateUser"}
    assert created == {"during"}


def test_write_only_selector_delivers_no_read_events(server, ct, iam):
    s3 = trail_bucket(server, "trail-logs", ["writes"])
    ct.create_trail(Name="writes", S3BucketName="trail-logs")
    ct.put_event_selectors(TrailName="writes", EventSelectors=[
        {"ReadWriteType": "WriteOnly", "IncludeManagementEvents": True}])
    ct.start_logging(Name="writes")
    iam.create_user(UserName="written")
    iam.list_users()
    iam.get_user(UserName="written")
    server.client("sts").get_caller_identity()
    deliver(server)
    records = records_of(s3, "trail-logs", log_keys(s3, "trail-logs"))
    assert any(r["eventName"] == "CreateUser" for r in records)
    reads = [r["eventName"] for r in records if r["readOnly"] is not False]
    assert records and reads == []
    # The reads were recorded all the same (LookupEvents sees them).
    assert find_event(ct, "EventName", "ListUsers")


def test_single_region_trail_without_global_events_skips_iam(server, ct, iam):
    s3 = trail_bucket(server, "trail-logs", ["regional"])
    ct.create_trail(Name="regional", S3BucketName="trail-logs", IncludeGlobalServiceEvents=False)
    ct.start_logging(Name="regional")
    iam.create_user(UserName="global-one")
    identity = server.client("sts").get_caller_identity()
    deliver(server)
    records = records_of(s3, "trail-logs", log_keys(s3, "trail-logs"))
    assert request_id(identity) in {r["requestID"] for r in records}
    assert not any(r["eventSource"] == "iam.amazonaws.com" for r in records)


def test_multi_region_trail_delivers_each_region_under_its_own_path(server, ct, iam):
    s3 = server.client("s3")
    s3.create_bucket(Bucket="trail-logs")
    s3.put_bucket_policy(Bucket="trail-logs", Policy=trail_bucket_policy(
        "trail-logs", [trail_arn("everywhere"), trail_arn("local")],
        [f"AWSLogs/{ACCOUNT}", f"all/AWSLogs/{ACCOUNT}"]))
    ct.create_trail(Name="everywhere", S3BucketName="trail-logs", IsMultiRegionTrail=True,
                    S3KeyPrefix="all")
    ct.create_trail(Name="local", S3BucketName="trail-logs")
    ct.start_logging(Name="everywhere")
    ct.start_logging(Name="local")
    eu = server.client("sts", region=OTHER_REGION).get_caller_identity()
    home = server.client("sts").get_caller_identity()
    created = iam.create_user(UserName="global-one")
    deliver(server)
    eu_keys = log_keys(s3, "trail-logs", f"all/AWSLogs/{ACCOUNT}/CloudTrail/{OTHER_REGION}/")
    assert eu_keys and all(log_key_re(ACCOUNT, OTHER_REGION, prefix="all/").match(k) for k in eu_keys)
    eu_records = records_of(s3, "trail-logs", eu_keys)
    assert request_id(eu) in {r["requestID"] for r in eu_records}
    assert {r["awsRegion"] for r in eu_records} == {OTHER_REGION}
    home_keys = log_keys(s3, "trail-logs", f"all/AWSLogs/{ACCOUNT}/CloudTrail/{REGION}/")
    home_records = records_of(s3, "trail-logs", home_keys)
    assert {request_id(home), request_id(created)} <= {r["requestID"] for r in home_records}
    # The single-Region trail delivers its own Region only.
    local_keys = log_keys(s3, "trail-logs", f"AWSLogs/{ACCOUNT}/")
    local_ids = {r["requestID"] for r in records_of(s3, "trail-logs", local_keys)}
    assert request_id(home) in local_ids and request_id(eu) not in local_ids
    assert all(f"/CloudTrail/{REGION}/" in k for k in local_keys)


def test_delivery_error_when_the_bucket_policy_stops_allowing_cloudtrail(server, ct, iam):
    s3 = trail_bucket(server, "trail-logs", ["main"])
    ct.create_trail(Name="main", S3BucketName="trail-logs")
    ct.start_logging(Name="main")
    iam.create_user(UserName="first")
    deliver(server)
    status = ct.get_trail_status(Name="main")
    assert status.get("LatestDeliveryError") is None
    assert "LatestDeliveryTime" in status
    delivered_once = log_keys(s3, "trail-logs")
    assert delivered_once

    s3.delete_bucket_policy(Bucket="trail-logs")
    iam.create_user(UserName="while-broken")
    deliver(server)
    status = ct.get_trail_status(Name="main")
    assert status.get("LatestDeliveryError"), status
    assert log_keys(s3, "trail-logs") == delivered_once

    s3.put_bucket_policy(Bucket="trail-logs", Policy=trail_bucket_policy(
        "trail-logs", trail_arn("main"), [f"AWSLogs/{ACCOUNT}"]))
    deliver(server)
    status = ct.get_trail_status(Name="main")
    assert status.get("LatestDeliveryError") is None, status
    records = records_of(s3, "trail-logs", log_keys(s3, "trail-logs"))
    created = [r["requestParameters"]["userName"] for r in records if r["eventName"] == "CreateUser"]
    assert sorted(created) == ["first", "while-broken"]


# --------------------------------------------------------------------------------------------
# 9. Organization trails
# --------------------------------------------------------------------------------------------


def org_trail_bucket(server, bucket, org_id, name="org-trail"):
    s3 = server.client("s3")
    s3.create_bucket(Bucket=bucket)
    s3.put_bucket_policy(Bucket=bucket, Policy=trail_bucket_policy(
        bucket, trail_arn(name), [f"AWSLogs/{ACCOUNT}", f"AWSLogs/{org_id}"]))
    return s3


def ready_org_trail(server, orgs, iam):
    org_id = orgs.create_organization(FeatureSet="ALL")["Organization"]["Id"]
    member_id, member_key = org_member(server, orgs)
    orgs.enable_aws_service_access(ServicePrincipal=CLOUDTRAIL)
    iam.create_service_linked_role(AWSServiceName=CLOUDTRAIL)
    s3 = org_trail_bucket(server, "org-logs", org_id)
    return org_id, member_id, member_key, s3


def test_organization_trail_prerequisites(server, orgs, ct, iam):
    s3 = server.client("s3")
    s3.create_bucket(Bucket="org-logs")
    with pytest.raises(ClientError) as e:
        ct.create_trail(Name="org-trail", S3BucketName="org-logs", IsOrganizationTrail=True)
    assert error_code(e) == "OrganizationsNotInUseException"
    org_id = orgs.create_organization(FeatureSet="ALL")["Organization"]["Id"]
    s3.put_bucket_policy(Bucket="org-logs", Policy=trail_bucket_policy(
        "org-logs", trail_arn("org-trail"), [f"AWSLogs/{ACCOUNT}", f"AWSLogs/{org_id}"]))
    member_id, member_key = org_member(server, orgs)
    with pytest.raises(ClientError) as e:
        server.client("cloudtrail", key=member_key).create_trail(
            Name="org-trail", S3BucketName="org-logs", IsOrganizationTrail=True)
    assert error_code(e) == "NotOrganizationMasterAccountException"
    with pytest.raises(ClientError) as e:
        ct.create_trail(Name="org-trail", S3BucketName="org-logs", IsOrganizationTrail=True)
    assert error_code(e) == "CloudTrailAccessNotEnabledException"
    orgs.enable_aws_service_access(ServicePrincipal=CLOUDTRAIL)
    with pytest.raises(ClientError) as e:
        ct.create_trail(Name="org-trail", S3BucketName="org-logs", IsOrganizationTrail=True)
    assert error_code(e) == "NoManagementAccountSLRExistsException"
    iam.create_service_linked_role(AWSServiceName=CLOUDTRAIL)
    created = ct.create_trail(Name="org-trail", S3BucketName="org-logs", IsOrganizationTrail=True)
    assert created["IsOrganizationTrail"] is True
    assert created["TrailARN"] == trail_arn("org-trail")
    assert ct.get_trail(Name="org-trail")["Trail"]["IsOrganizationTrail"] is True


def test_organization_trail_needs_all_features(server):
    _, key = signup(server, "billing@example.com", "Billing")
    server.client("organizations", key=key).create_organization(FeatureSet="CONSOLIDATED_BILLING")
    with pytest.raises(ClientError) as e:
        server.client("cloudtrail", key=key).create_trail(
            Name="org-trail", S3BucketName="whatever-bucket", IsOrganizationTrail=True)
    assert error_code(e) == "OrganizationNotInAllFeaturesModeException"


def test_organization_trail_seen_but_not_changed_by_members(server, orgs, ct, iam):
    org_id, member_id, member_key, s3 = ready_org_trail(server, orgs, iam)
    ct.create_trail(Name="org-trail", S3BucketName="org-logs", IsOrganizationTrail=True)
    ct.start_logging(Name="org-trail")
    arn = trail_arn("org-trail")
    member_ct = server.client("cloudtrail", key=member_key)
    seen = member_ct.describe_trails()["trailList"]
    assert [(t["TrailARN"], t["IsOrganizationTrail"], t["HomeRegion"]) for t in seen] == [(arn, True, REGION)]
    assert member_ct.get_trail(Name=arn)["Trail"]["TrailARN"] == arn
    assert member_ct.get_trail_status(Name=arn)["IsLogging"] is True
    for call in (member_ct.stop_logging, member_ct.delete_trail):
        with pytest.raises(ClientError) as e:
            call(Name=arn)
        assert error_code(e) in {"NotOrganizationMasterAccountException", "OperationNotPermittedException",
                                 "TrailNotFoundException"}
    with pytest.raises(ClientError):
        member_ct.update_trail(Name=arn, S3KeyPrefix="mine")
    with pytest.raises(ClientError):
        member_ct.put_event_selectors(TrailName=arn, EventSelectors=[{"ReadWriteType": "ReadOnly"}])
    trail = ct.get_trail(Name="org-trail")["Trail"]
    assert trail.get("S3KeyPrefix") is None
    assert ct.get_trail_status(Name="org-trail")["IsLogging"] is True
    assert [t["TrailARN"] for t in ct.describe_trails()["trailList"]] == [arn]


def test_member_describe_trails_without_shadows_hides_the_organization_trail(server, orgs, ct, iam):
    """DescribeTrails: "If you do not include shadow trails, organization trails in a member account
    and Region replication trails will not be returned." """
    _, _, member_key, _ = ready_org_trail(server, orgs, iam)
    ct.create_trail(Name="org-trail", S3BucketName="org-logs", IsOrganizationTrail=True)
    member_ct = server.client("cloudtrail", key=member_key)
    assert len(member_ct.describe_trails()["trailList"]) == 1
    assert member_ct.describe_trails(includeShadowTrails=False)["trailList"] == []
    # The management account owns it: not a shadow there.
    assert len(ct.describe_trails(includeShadowTrails=False)["trailList"]) == 1


def test_organization_trail_delivers_member_events_under_the_org_path(server, orgs, ct, iam):
    org_id, member_id, member_key, s3 = ready_org_trail(server, orgs, iam)
    ct.create_trail(Name="org-trail", S3BucketName="org-logs", IsOrganizationTrail=True)
    ct.start_logging(Name="org-trail")
    member_created = server.client("iam", key=member_key).create_user(UserName="member-user")
    mgmt_created = iam.create_user(UserName="mgmt-user")
    deliver(server)
    member_keys = log_keys(s3, "org-logs", f"AWSLogs/{org_id}/{member_id}/")
    assert member_keys
    assert all(log_key_re(member_id, REGION, org=org_id).match(k) for k in member_keys), member_keys
    member_records = records_of(s3, "org-logs", member_keys)
    rec = next((r for r in member_records if r["requestID"] == request_id(member_created)), None)
    assert rec is not None, "the member's call was not delivered"
    assert rec["recipientAccountId"] == member_id
    assert rec["userIdentity"]["accountId"] == member_id
    assert all(r["recipientAccountId"] == member_id for r in member_records)
    mgmt_keys = log_keys(s3, "org-logs", f"AWSLogs/{org_id}/{ACCOUNT}/")
    assert all(log_key_re(ACCOUNT, REGION, org=org_id).match(k) for k in mgmt_keys), mgmt_keys
    assert request_id(mgmt_created) in {r["requestID"] for r in records_of(s3, "org-logs", mgmt_keys)}
    # Nothing outside the organization's path.
    assert all(k.startswith(f"AWSLogs/{org_id}/") for k in log_keys(s3, "org-logs"))
    # The management account's Event history still holds only its own events.
    assert lookup(ct, "Username", "root") and not any(
        record(e)["recipientAccountId"] == member_id for e in lookup(ct, "EventName", "CreateUser"))


# --------------------------------------------------------------------------------------------
# 10. An SCP denying StopLogging
# --------------------------------------------------------------------------------------------


def test_scp_denies_stop_logging_and_the_denial_is_recorded(server, orgs):
    orgs.create_organization(FeatureSet="ALL")
    root = orgs.list_roots()["Roots"][0]["Id"]
    orgs.enable_policy_type(RootId=root, PolicyType="SERVICE_CONTROL_POLICY")
    member_id, member_key = org_member(server, orgs)
    trail_bucket(server, "member-logs", ["member-trail"], key=member_key, account=member_id)
    member_ct = server.client("cloudtrail", key=member_key)
    member_ct.create_trail(Name="member-trail", S3BucketName="member-logs")
    member_ct.start_logging(Name="member-trail")
    pid = orgs.create_policy(Name="KeepTrails", Description="no StopLogging", Type="SERVICE_CONTROL_POLICY",
                             Content=doc({"Sid": "NoStopLogging", "Effect": "Deny",
                                          "Action": "cloudtrail:StopLogging", "Resource": "*"})
                             )["Policy"]["PolicySummary"]["Id"]
    orgs.attach_policy(PolicyId=pid, TargetId=member_id)
    with pytest.raises(ClientError) as e:
        member_ct.stop_logging(Name="member-trail")
    assert error_code(e) == "AccessDeniedException"
    message = e.value.response["Error"]["Message"]
    assert "cloudtrail:StopLogging" in message
    assert "service control policy" in message
    assert member_ct.get_trail_status(Name="member-trail")["IsLogging"] is True
    rid = e.value.response["ResponseMetadata"]["RequestId"]
    event = find_event(member_ct, "EventName", "StopLogging", by_request_id(rid))
    assert event is not None, "the denied StopLogging was not recorded"
    rec = record(event)
    assert rec["errorCode"] in ("AccessDenied", "AccessDeniedException")
    assert "service control policy" in rec["errorMessage"]
    assert "cloudtrail:StopLogging" in rec["errorMessage"]
    assert rec["responseElements"] is None
    assert rec["recipientAccountId"] == member_id
    assert rec["eventSource"] == "cloudtrail.amazonaws.com"
    assert rec["requestParameters"] == {"name": "member-trail"}
    # The management account's history does not hold the member's event.
    assert find_event(server.client("cloudtrail"), "EventName", "StopLogging", timeout=0.5) is None
    # Other CloudTrail calls are not affected.
    member_ct.put_event_selectors(TrailName="member-trail", EventSelectors=[{"ReadWriteType": "All"}])


# --------------------------------------------------------------------------------------------
# localorg trail tail
# --------------------------------------------------------------------------------------------


def localorg_trail_tail(server, *args, key=("test", "test")):
    import os
    import subprocess

    from conftest import BIN

    env = dict(os.environ, AWS_ACCESS_KEY_ID=key[0], AWS_SECRET_ACCESS_KEY=key[1],
               AWS_DEFAULT_REGION=REGION, AWS_ENDPOINT_URL=server.endpoint)
    env.pop("AWS_SESSION_TOKEN", None)
    proc = subprocess.run([BIN, "trail", "tail", *args], env=env, capture_output=True, text=True,
                          timeout=30)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout.splitlines()


def test_trail_tail_prints_who_did_what_and_why_it_was_denied(server):
    _, key = iam_user_with_key(server, "tail-user")
    iam = server.client("iam", key=key)
    with pytest.raises(ClientError):
        iam.list_users()
    wait_for(lambda: [l for l in localorg_trail_tail(server, "--denied") if "iam:ListUsers" in l])
    denied = localorg_trail_tail(server, "--denied")
    line = next(l for l in denied if "iam:ListUsers" in l)
    assert f"arn:aws:iam::{ACCOUNT}:user/tail-user" in line
    assert "denied: " in line and "because no identity-based policy allows" in line
    everything = localorg_trail_tail(server)
    assert any("iam:CreateUser" in l and l.endswith("allowed") for l in everything)
    assert all("allowed" not in l for l in denied)
    raw = localorg_trail_tail(server, "--denied", "--json")
    assert json.loads(raw[-1])["errorCode"] == "AccessDenied"
    assert localorg_trail_tail(server, "--account", "999999999999") == []


# --------------------------------------------------------------------------------------------
# S3: bucket-level calls are management events, object-level calls are data events
# --------------------------------------------------------------------------------------------


def test_s3_bucket_operations_are_recorded_and_object_operations_are_not(server):
    s3 = server.client("s3")
    ct = server.client("cloudtrail")
    s3.create_bucket(Bucket="audited-bucket")
    s3.put_object(Bucket="audited-bucket", Key="k", Body=b"x")
    with pytest.raises(ClientError):
        s3.get_bucket_policy(Bucket="audited-bucket")
    created = find_event(ct, "EventName", "CreateBucket")
    r = record(created)
    assert (r["eventSource"], r["readOnly"]) == ("s3.amazonaws.com", False)
    assert r["requestParameters"] == {"bucketName": "audited-bucket"}
    assert r["userIdentity"]["type"] == "Root"
    failed = record(find_event(ct, "EventName", "GetBucketPolicy"))
    assert failed["errorCode"] == "NoSuchBucketPolicy" and failed["readOnly"] is True
    time.sleep(0.5)
    assert lookup(ct, "EventName", "PutObject") == []


# --------------------------------------------------------------------------------------------
# Durability: a write's event commits with the write
# --------------------------------------------------------------------------------------------


def test_a_write_s_event_survives_kill_9_with_the_write(tmp_path):
    from conftest import LocalorgServer

    first = LocalorgServer(data_dir=tmp_path / "state")
    try:
        request = first.client("iam").create_user(UserName="durable-ann")
        request_id = request["ResponseMetadata"]["RequestId"]
    finally:
        first.kill()
    second = LocalorgServer(data_dir=tmp_path / "state")
    try:
        assert second.client("iam").get_user(UserName="durable-ann")["User"]["UserName"] == "durable-ann"
        events = lookup(second.client("cloudtrail"), "EventName", "CreateUser")
        assert [record(e)["requestID"] for e in events] == [request_id]
    finally:
        second.stop()
