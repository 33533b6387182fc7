"""IAM credentials: access keys (and their use with real clients), login profiles and passwords,
virtual MFA devices with real TOTP codes."""
import base64
import hashlib
import hmac
import json
import re
import struct
import time
from datetime import datetime

import pytest
from botocore.exceptions import ClientError

from conftest import aws_cli, signup

ACCOUNT = "000000000000"
AKIA_RE = re.compile(r"^AKIA[A-Z2-7]{16}$")
PASSWORD = "Str0ng!Passw0rd"
ADMIN = json.dumps(
    {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}
)


@pytest.fixture
def iam(server):
    return server.client("iam")


def err(excinfo):
    e = excinfo.value.response
    return e["Error"]["Code"], e["ResponseMetadata"]["HTTPStatusCode"], e["Error"]["Message"]


def grant_admin(iam, user):
    """Lets the user call anything once enforcement is on (an inline admin policy)."""
    try:
        iam.put_user_policy(UserName=user, PolicyName="admin", PolicyDocument=ADMIN)
    except ClientError as e:
        if e.response["Error"]["Code"] not in ("NotImplementedException", "NotImplemented"):
            raise


def totp(seed_b32, t):
    """RFC 6238: HMAC-SHA-1, 30-second steps, 6 digits."""
    key = base64.b32decode(seed_b32 + "=" * (-len(seed_b32) % 8))
    digest = hmac.new(key, struct.pack(">Q", int(t) // 30), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 1000000:06d}"


def new_device(iam, name="dev", **kw):
    d = iam.create_virtual_mfa_device(VirtualMFADeviceName=name, **kw)["VirtualMFADevice"]
    return d["SerialNumber"], d["Base32StringSeed"].decode()


def enable(iam, user, serial, seed, now=None):
    now = time.time() if now is None else now
    iam.enable_mfa_device(
        UserName=user,
        SerialNumber=serial,
        AuthenticationCode1=totp(seed, now - 30),
        AuthenticationCode2=totp(seed, now),
    )


# --------------------------------------------------------------------------------------------
# Access keys
# --------------------------------------------------------------------------------------------


def test_create_access_key_works_with_boto3(server, iam):
    u = iam.create_user(UserName="alice", Path="/eng/")["User"]
    k = iam.create_access_key(UserName="alice")["AccessKey"]
    assert AKIA_RE.match(k["AccessKeyId"])
    assert len(k["SecretAccessKey"]) == 40
    assert k["Status"] == "Active"
    assert k["UserName"] == "alice"
    assert isinstance(k["CreateDate"], datetime)

    ident = server.client("sts", key=(k["AccessKeyId"], k["SecretAccessKey"])).get_caller_identity()
    assert ident["Arn"] == f"arn:aws:iam::{ACCOUNT}:user/eng/alice"
    assert ident["UserId"] == u["UserId"]
    assert ident["Account"] == ACCOUNT


def test_access_key_quota_and_listing(iam):
    iam.create_user(UserName="bob")
    ids = sorted(iam.create_access_key(UserName="bob")["AccessKey"]["AccessKeyId"] for _ in range(2))
    with pytest.raises(ClientError) as e:
        iam.create_access_key(UserName="bob")
    assert err(e) == ("LimitExceeded", 409, "Cannot exceed quota for AccessKeysPerUser: 2")

    listed = iam.list_access_keys(UserName="bob")
    assert [k["AccessKeyId"] for k in listed["AccessKeyMetadata"]] == ids
    assert all(k["UserName"] == "bob" and k["Status"] == "Active" for k in listed["AccessKeyMetadata"])
    assert listed["IsTruncated"] is False
    page1 = iam.list_access_keys(UserName="bob", MaxItems=1)
    assert [k["AccessKeyId"] for k in page1["AccessKeyMetadata"]] == ids[:1]
    assert page1["IsTruncated"] is True
    page2 = iam.list_access_keys(UserName="bob", MaxItems=1, Marker=page1["Marker"])
    assert [k["AccessKeyId"] for k in page2["AccessKeyMetadata"]] == ids[1:]
    assert page2["IsTruncated"] is False

    with pytest.raises(ClientError) as e:
        iam.create_access_key(UserName="ghost")
    assert err(e) == ("NoSuchEntity", 404, "The user with name ghost cannot be found.")


def test_inactive_key_is_refused_then_deleted(server, iam):
    iam.create_user(UserName="carol")
    k = iam.create_access_key(UserName="carol")["AccessKey"]
    key = (k["AccessKeyId"], k["SecretAccessKey"])
    sts = server.client("sts", key=key)
    sts.get_caller_identity()

    iam.update_access_key(UserName="carol", AccessKeyId=key[0], Status="Inactive")
    assert iam.list_access_keys(UserName="carol")["AccessKeyMetadata"][0]["Status"] == "Inactive"
    with pytest.raises(ClientError) as e:
        sts.get_caller_identity()
    assert err(e)[:2] == ("InvalidClientTokenId", 403)

    iam.update_access_key(UserName="carol", AccessKeyId=key[0], Status="Active")
    assert sts.get_caller_identity()["Arn"].endswith(":user/carol")

    iam.delete_access_key(UserName="carol", AccessKeyId=key[0])
    assert iam.list_access_keys(UserName="carol")["AccessKeyMetadata"] == []
    with pytest.raises(ClientError) as e:
        sts.get_caller_identity()
    assert err(e)[:2] == ("InvalidClientTokenId", 403)
    with pytest.raises(ClientError) as e:
        iam.delete_access_key(UserName="carol", AccessKeyId=key[0])
    assert err(e) == ("NoSuchEntity", 404, f"The Access Key with id {key[0]} cannot be found.")
    # Another user's key is not this user's.
    iam.create_user(UserName="dave")
    other = iam.create_access_key(UserName="dave")["AccessKey"]["AccessKeyId"]
    with pytest.raises(ClientError) as e:
        iam.update_access_key(UserName="carol", AccessKeyId=other, Status="Inactive")
    assert err(e)[:2] == ("NoSuchEntity", 404)


def test_user_manages_own_keys(server, iam):
    iam.create_user(UserName="self")
    grant_admin(iam, "self")
    k = iam.create_access_key(UserName="self")["AccessKey"]
    me = server.client("iam", key=(k["AccessKeyId"], k["SecretAccessKey"]))
    second = me.create_access_key()["AccessKey"]
    assert second["UserName"] == "self"
    ids = {x["AccessKeyId"] for x in me.list_access_keys()["AccessKeyMetadata"]}
    assert ids == {k["AccessKeyId"], second["AccessKeyId"]}
    me.update_access_key(AccessKeyId=second["AccessKeyId"], Status="Inactive")
    me.delete_access_key(AccessKeyId=second["AccessKeyId"])
    assert [x["AccessKeyId"] for x in me.list_access_keys()["AccessKeyMetadata"]] == [
        k["AccessKeyId"]
    ]


def test_root_access_keys(server):
    account, root_key = signup(server, "keys@example.com", "keys")
    iam = server.client("iam", key=root_key)
    listed = iam.list_access_keys()["AccessKeyMetadata"]
    assert [k["AccessKeyId"] for k in listed] == [root_key[0]]
    assert "UserName" not in listed[0]

    k = iam.create_access_key()["AccessKey"]
    assert AKIA_RE.match(k["AccessKeyId"])
    ident = server.client("sts", key=(k["AccessKeyId"], k["SecretAccessKey"])).get_caller_identity()
    assert ident["Arn"] == f"arn:aws:iam::{account}:root"
    assert ident["UserId"] == account
    with pytest.raises(ClientError) as e:
        iam.create_access_key()
    assert err(e) == ("LimitExceeded", 409, "Cannot exceed quota for AccessKeysPerUser: 2")
    iam.delete_access_key(AccessKeyId=k["AccessKeyId"])
    assert len(iam.list_access_keys()["AccessKeyMetadata"]) == 1


def test_get_access_key_last_used(iam):
    iam.create_user(UserName="lu")
    key_id = iam.create_access_key(UserName="lu")["AccessKey"]["AccessKeyId"]
    out = iam.get_access_key_last_used(AccessKeyId=key_id)
    assert out["UserName"] == "lu"
    assert out["AccessKeyLastUsed"] == {"ServiceName": "N/A", "Region": "N/A"}
    with pytest.raises(ClientError) as e:
        iam.get_access_key_last_used(AccessKeyId="AKIAAAAAAAAAAAAAAAAA")
    assert err(e)[:2] == ("NoSuchEntity", 404)


# --------------------------------------------------------------------------------------------
# Login profiles and passwords
# --------------------------------------------------------------------------------------------


def test_login_profile_lifecycle(iam):
    iam.create_user(UserName="web")
    p = iam.create_login_profile(UserName="web", Password=PASSWORD, PasswordResetRequired=True)[
        "LoginProfile"
    ]
    assert p["UserName"] == "web"
    assert p["PasswordResetRequired"] is True
    assert isinstance(p["CreateDate"], datetime)
    with pytest.raises(ClientError) as e:
        iam.create_login_profile(UserName="web", Password=PASSWORD)
    assert err(e)[:2] == ("EntityAlreadyExists", 409)

    got = iam.get_login_profile(UserName="web")["LoginProfile"]
    assert got["PasswordResetRequired"] is True
    iam.update_login_profile(UserName="web", PasswordResetRequired=False)
    assert iam.get_login_profile(UserName="web")["LoginProfile"]["PasswordResetRequired"] is False
    iam.update_login_profile(UserName="web", Password="An0ther!Passw0rd")

    iam.delete_login_profile(UserName="web")
    with pytest.raises(ClientError) as e:
        iam.get_login_profile(UserName="web")
    assert err(e) == ("NoSuchEntity", 404, "Login Profile for User web cannot be found.")
    with pytest.raises(ClientError) as e:
        iam.delete_login_profile(UserName="web")
    assert err(e)[:2] == ("NoSuchEntity", 404)
    with pytest.raises(ClientError) as e:
        iam.update_login_profile(UserName="web", Password=PASSWORD)
    assert err(e)[:2] == ("NoSuchEntity", 404)
    with pytest.raises(ClientError) as e:
        iam.create_login_profile(UserName="ghost", Password=PASSWORD)
    assert err(e)[:2] == ("NoSuchEntity", 404)


def test_password_policies(iam):
    iam.create_user(UserName="pw")
    # Without an account policy, AWS's default applies.
    for weak in ["Sh0rt!", "alllowercaseletters"]:
        with pytest.raises(ClientError) as e:
            iam.create_login_profile(UserName="pw", Password=weak)
        assert err(e)[:2] == ("PasswordPolicyViolation", 400)
    try:
        iam.update_account_password_policy(
            MinimumPasswordLength=20, RequireSymbols=True, RequireNumbers=True
        )
    except ClientError as e:
        if "NotImplemented" in e.response["Error"]["Code"]:
            pytest.skip("password policy not implemented yet")
        raise
    with pytest.raises(ClientError) as e:
        iam.create_login_profile(UserName="pw", Password=PASSWORD)
    assert err(e) == ("PasswordPolicyViolation", 400, "Password should have a minimum length of 20")
    with pytest.raises(ClientError) as e:
        iam.create_login_profile(UserName="pw", Password="NoSymbolsButLong12345")
    assert err(e) == ("PasswordPolicyViolation", 400, "Password should have at least one symbol")
    iam.create_login_profile(UserName="pw", Password="Long!Enough!Passw0rd#")
    with pytest.raises(ClientError) as e:
        iam.update_login_profile(UserName="pw", Password=PASSWORD)
    assert err(e)[0] == "PasswordPolicyViolation"


def test_change_password(server, iam):
    iam.create_user(UserName="cp")
    grant_admin(iam, "cp")
    iam.create_login_profile(UserName="cp", Password=PASSWORD, PasswordResetRequired=True)
    k = iam.create_access_key(UserName="cp")["AccessKey"]
    me = server.client("iam", key=(k["AccessKeyId"], k["SecretAccessKey"]))
    with pytest.raises(ClientError) as e:
        me.change_password(OldPassword="wrong", NewPassword="N3w!Password")
    assert err(e)[:2] == ("AccessDenied", 403)
    with pytest.raises(ClientError) as e:
        me.change_password(OldPassword=PASSWORD, NewPassword="weak")
    assert err(e)[:2] == ("PasswordPolicyViolation", 400)
    me.change_password(OldPassword=PASSWORD, NewPassword="N3w!Password")
    assert iam.get_login_profile(UserName="cp")["LoginProfile"]["PasswordResetRequired"] is False
    with pytest.raises(ClientError) as e:  # the old password is gone
        me.change_password(OldPassword=PASSWORD, NewPassword="Y3t!Another")
    assert err(e)[0] == "AccessDenied"
    with pytest.raises(ClientError) as e:  # root has no IAM password
        iam.change_password(OldPassword=PASSWORD, NewPassword="N3w!Password")
    assert err(e)[:2] == ("InvalidUserType", 400)


# --------------------------------------------------------------------------------------------
# Virtual MFA
# --------------------------------------------------------------------------------------------


def test_create_virtual_mfa_device(iam):
    d = iam.create_virtual_mfa_device(
        VirtualMFADeviceName="phone", Path="/team/", Tags=[{"Key": "k", "Value": "v"}]
    )["VirtualMFADevice"]
    assert d["SerialNumber"] == f"arn:aws:iam::{ACCOUNT}:mfa/team/phone"
    seed = d["Base32StringSeed"].decode()
    assert re.match(r"^[A-Z2-7]{64}$", seed)
    assert len(base64.b32decode(seed)) == 40
    png = d["QRCodePNG"]
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and len(png) > 100
    assert d["Tags"] == [{"Key": "k", "Value": "v"}]
    with pytest.raises(ClientError) as e:
        iam.create_virtual_mfa_device(VirtualMFADeviceName="phone", Path="/team/")
    assert err(e)[:2] == ("EntityAlreadyExists", 409)
    other = iam.create_virtual_mfa_device(VirtualMFADeviceName="phone")["VirtualMFADevice"]
    assert other["SerialNumber"] == f"arn:aws:iam::{ACCOUNT}:mfa/phone"
    assert other["Base32StringSeed"].decode() != seed


def test_enable_mfa_device_with_totp(iam):
    iam.create_user(UserName="mfa")
    serial, seed = new_device(iam, "mfa-phone")
    now = time.time()
    with pytest.raises(ClientError) as e:
        iam.enable_mfa_device(
            UserName="mfa",
            SerialNumber=serial,
            AuthenticationCode1="123456",
            AuthenticationCode2="654321",
        )
    assert err(e) == (
        "InvalidAuthenticationCode",
        403,
        "Authentication code for device is not valid.",
    )
    with pytest.raises(ClientError) as e:  # not consecutive
        iam.enable_mfa_device(
            UserName="mfa",
            SerialNumber=serial,
            AuthenticationCode1=totp(seed, now),
            AuthenticationCode2=totp(seed, now - 30),
        )
    assert err(e)[0] == "InvalidAuthenticationCode"
    with pytest.raises(ClientError) as e:  # an hour ago
        enable(iam, "mfa", serial, seed, now - 3600)
    assert err(e)[0] == "InvalidAuthenticationCode"

    enable(iam, "mfa", serial, seed, now)
    devices = iam.list_mfa_devices(UserName="mfa")["MFADevices"]
    assert [d["SerialNumber"] for d in devices] == [serial]
    assert devices[0]["UserName"] == "mfa"
    assert isinstance(devices[0]["EnableDate"], datetime)
    got = iam.get_mfa_device(SerialNumber=serial, UserName="mfa")
    assert got["SerialNumber"] == serial and got["UserName"] == "mfa"
    assert isinstance(got["EnableDate"], datetime)

    iam.create_user(UserName="other")
    with pytest.raises(ClientError) as e:
        enable(iam, "other", serial, seed, now)
    assert err(e)[:2] == ("EntityAlreadyExists", 409)

    # Codes are accepted once: after deactivating, the same codes cannot enable it again.
    iam.deactivate_mfa_device(UserName="mfa", SerialNumber=serial)
    assert iam.list_mfa_devices(UserName="mfa")["MFADevices"] == []
    with pytest.raises(ClientError) as e:
        enable(iam, "mfa", serial, seed, now)
    assert err(e)[0] == "InvalidAuthenticationCode"
    with pytest.raises(ClientError) as e:
        iam.deactivate_mfa_device(UserName="mfa", SerialNumber=serial)
    assert err(e)[:2] == ("NoSuchEntity", 404)
    with pytest.raises(ClientError) as e:
        enable(iam, "mfa", f"arn:aws:iam::{ACCOUNT}:mfa/none", seed, now)
    assert err(e)[:2] == ("NoSuchEntity", 404)
    with pytest.raises(ClientError) as e:
        enable(iam, "ghost", serial, seed, now)
    assert err(e)[:2] == ("NoSuchEntity", 404)


def test_mfa_device_blocks_deletes(iam):
    iam.create_user(UserName="holder")
    serial, seed = new_device(iam, "holder-phone")
    enable(iam, "holder", serial, seed)
    with pytest.raises(ClientError) as e:
        iam.delete_virtual_mfa_device(SerialNumber=serial)
    assert err(e)[:2] == ("DeleteConflict", 409)
    with pytest.raises(ClientError) as e:
        iam.delete_user(UserName="holder")
    assert err(e) == ("DeleteConflict", 409, "Cannot delete entity, must delete MFA device first.")
    iam.deactivate_mfa_device(UserName="holder", SerialNumber=serial)
    iam.delete_virtual_mfa_device(SerialNumber=serial)
    iam.delete_user(UserName="holder")
    with pytest.raises(ClientError) as e:
        iam.delete_virtual_mfa_device(SerialNumber=serial)
    assert err(e)[:2] == ("NoSuchEntity", 404)


def test_list_virtual_mfa_devices(iam):
    iam.create_user(UserName="lv")
    s1, seed1 = new_device(iam, "a-dev")
    s2, _ = new_device(iam, "b-dev")
    s3, _ = new_device(iam, "c-dev")
    enable(iam, "lv", s1, seed1)

    every = iam.list_virtual_mfa_devices()
    assert [d["SerialNumber"] for d in every["VirtualMFADevices"]] == [s1, s2, s3]
    assert every["IsTruncated"] is False
    first = every["VirtualMFADevices"][0]
    assert first["User"]["UserName"] == "lv"
    assert isinstance(first["EnableDate"], datetime)
    assert "Base32StringSeed" not in first and "QRCodePNG" not in first
    assert "User" not in every["VirtualMFADevices"][1]

    assigned = iam.list_virtual_mfa_devices(AssignmentStatus="Assigned")["VirtualMFADevices"]
    assert [d["SerialNumber"] for d in assigned] == [s1]
    unassigned = iam.list_virtual_mfa_devices(AssignmentStatus="Unassigned")["VirtualMFADevices"]
    assert [d["SerialNumber"] for d in unassigned] == [s2, s3]

    page1 = iam.list_virtual_mfa_devices(MaxItems=2)
    assert [d["SerialNumber"] for d in page1["VirtualMFADevices"]] == [s1, s2]
    assert page1["IsTruncated"] is True
    page2 = iam.list_virtual_mfa_devices(MaxItems=2, Marker=page1["Marker"])
    assert [d["SerialNumber"] for d in page2["VirtualMFADevices"]] == [s3]
    assert page2["IsTruncated"] is False


def test_list_mfa_devices_for_calling_user(server, iam):
    iam.create_user(UserName="me")
    grant_admin(iam, "me")
    serial, seed = new_device(iam, "me-phone")
    enable(iam, "me", serial, seed)
    k = iam.create_access_key(UserName="me")["AccessKey"]
    me = server.client("iam", key=(k["AccessKeyId"], k["SecretAccessKey"]))
    assert [d["SerialNumber"] for d in me.list_mfa_devices()["MFADevices"]] == [serial]
    assert iam.list_mfa_devices()["MFADevices"] == []  # the root user has none
    with pytest.raises(ClientError) as e:
        iam.list_mfa_devices(UserName="ghost")
    assert err(e)[:2] == ("NoSuchEntity", 404)


def test_resync_mfa_device(iam):
    iam.create_user(UserName="rs")
    serial, seed = new_device(iam, "rs-phone")
    now = time.time()
    enable(iam, "rs", serial, seed, now)
    # The device's clock runs five minutes ahead: a resync accepts it.
    ahead = now + 300
    iam.resync_mfa_device(
        UserName="rs",
        SerialNumber=serial,
        AuthenticationCode1=totp(seed, ahead - 30),
        AuthenticationCode2=totp(seed, ahead),
    )
    with pytest.raises(ClientError) as e:
        iam.resync_mfa_device(
            UserName="rs", SerialNumber=serial, AuthenticationCode1="000000", AuthenticationCode2="111111"
        )
    assert err(e)[0] == "InvalidAuthenticationCode"
    unassigned, _ = new_device(iam, "loose")
    with pytest.raises(ClientError) as e:
        iam.resync_mfa_device(
            UserName="rs", SerialNumber=unassigned, AuthenticationCode1="000000", AuthenticationCode2="111111"
        )
    assert err(e)[:2] == ("NoSuchEntity", 404)


def test_mfa_device_tags(iam):
    serial, _ = new_device(iam, "tagged", Tags=[{"Key": "a", "Value": "1"}])
    iam.tag_mfa_device(SerialNumber=serial, Tags=[{"Key": "b", "Value": "2"}, {"Key": "A", "Value": "3"}])
    assert iam.list_mfa_device_tags(SerialNumber=serial)["Tags"] == [
        {"Key": "A", "Value": "3"},
        {"Key": "b", "Value": "2"},
    ]
    page = iam.list_mfa_device_tags(SerialNumber=serial, MaxItems=1)
    assert page["IsTruncated"] is True and len(page["Tags"]) == 1
    rest = iam.list_mfa_device_tags(SerialNumber=serial, Marker=page["Marker"])
    assert rest["Tags"] == [{"Key": "b", "Value": "2"}]
    iam.untag_mfa_device(SerialNumber=serial, TagKeys=["a"])
    assert iam.list_mfa_device_tags(SerialNumber=serial)["Tags"] == [{"Key": "b", "Value": "2"}]
    missing = f"arn:aws:iam::{ACCOUNT}:mfa/missing"
    for call in (
        lambda: iam.tag_mfa_device(SerialNumber=missing, Tags=[{"Key": "x", "Value": "y"}]),
        lambda: iam.untag_mfa_device(SerialNumber=missing, TagKeys=["x"]),
        lambda: iam.list_mfa_device_tags(SerialNumber=missing),
        lambda: iam.get_mfa_device(SerialNumber=missing),
    ):
        with pytest.raises(ClientError) as e:
            call()
        assert err(e)[:2] == ("NoSuchEntity", 404)


# --------------------------------------------------------------------------------------------
# aws CLI
# --------------------------------------------------------------------------------------------


def test_cli_virtual_mfa_and_access_key(server, iam, tmp_path):
    iam.create_user(UserName="cli")
    seed_file = tmp_path / "seed.txt"
    out = aws_cli(
        server,
        "iam",
        "create-virtual-mfa-device",
        "--virtual-mfa-device-name",
        "cli-phone",
        "--outfile",
        str(seed_file),
        "--bootstrap-method",
        "Base32StringSeed",
    )
    serial = out["VirtualMFADevice"]["SerialNumber"]
    assert serial == f"arn:aws:iam::{ACCOUNT}:mfa/cli-phone"
    seed = seed_file.read_text().strip()
    assert re.match(r"^[A-Z2-7]{64}$", seed)
    now = time.time()
    aws_cli(
        server,
        "iam",
        "enable-mfa-device",
        "--user-name",
        "cli",
        "--serial-number",
        serial,
        "--authentication-code1",
        totp(seed, now - 30),
        "--authentication-code2",
        totp(seed, now),
    )
    devices = iam.list_mfa_devices(UserName="cli")["MFADevices"]
    assert [d["SerialNumber"] for d in devices] == [serial]

    key = aws_cli(server, "iam", "create-access-key", "--user-name", "cli")["AccessKey"]
    ident = server.client("sts", key=(key["AccessKeyId"], key["SecretAccessKey"]))
    assert ident.get_caller_identity()["Arn"] == f"arn:aws:iam::{ACCOUNT}:user/cli"


def test_get_access_key_last_used_reports_the_last_signed_call(server, iam):
    iam.create_user(UserName="user-of-keys")
    k = iam.create_access_key(UserName="user-of-keys")["AccessKey"]
    server.client("sts", key=(k["AccessKeyId"], k["SecretAccessKey"]), region="eu-west-1").get_caller_identity()
    used = iam.get_access_key_last_used(AccessKeyId=k["AccessKeyId"])
    assert used["UserName"] == "user-of-keys"
    assert used["AccessKeyLastUsed"]["ServiceName"] == "sts"
    assert used["AccessKeyLastUsed"]["Region"] == "eu-west-1"
    assert isinstance(used["AccessKeyLastUsed"]["LastUsedDate"], datetime)
