"""IAM identity providers and extra user credentials: OpenID Connect providers, SAML providers,
SSH public keys, service-specific credentials (and DeleteUser's conflicts with them)."""
import base64
import re
import subprocess
import tempfile
from datetime import datetime, timezone
from pathlib import Path

import pytest
from botocore.exceptions import ClientError

from conftest import aws_cli, signup

ACCOUNT = "000000000000"
GITHUB = "https://token.actions.githubusercontent.com"
GITHUB_ARN = f"arn:aws:iam::{ACCOUNT}:oidc-provider/token.actions.githubusercontent.com"
THUMB = "6938fd4d98bab03faadb97b34396831e3780aea1"
THUMB2 = "1c58a3a8518e8759bf075b76b750d4f2df264fcd"


@pytest.fixture
def iam(server):
    return server.client("iam")


def err(excinfo):
    e = excinfo.value.response
    return e["Error"]["Code"], e["ResponseMetadata"]["HTTPStatusCode"], e["Error"]["Message"]


def metadata(valid_until=None, pad=1200):
    attr = f' validUntil="{valid_until}"' if valid_until else ""
    return (
        '<?xml version="1.0"?>\n'
        f'<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata"{attr} '
        'entityID="https://idp.example.com/saml">\n'
        '<md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">\n'
        f"<!-- {'x' * pad} -->\n"
        "</md:IDPSSODescriptor>\n</md:EntityDescriptor>\n"
    )


# Real keys made by ssh-keygen once per module, with the fingerprints and PEM ssh-keygen computes.
@pytest.fixture(scope="module")
def keys():
    out = {}
    with tempfile.TemporaryDirectory() as d:
        for name, args in [
            ("rsa", ["-t", "rsa", "-b", "2048"]),
            ("rsa2", ["-t", "rsa", "-b", "2048"]),
            ("ed", ["-t", "ed25519"]),
            ("small", ["-t", "rsa", "-b", "1024"]),
        ]:
            path = Path(d) / name
            subprocess.run(
                ["ssh-keygen", "-q", *args, "-N", "", "-C", f"{name}@test", "-f", str(path)],
                check=True,
            )
            pub = (path.with_suffix(".pub")).read_text().strip()
            fp = subprocess.run(
                ["ssh-keygen", "-l", "-E", "md5", "-f", f"{path}.pub"],
                check=True, capture_output=True, text=True,
            ).stdout.split()[1].removeprefix("MD5:")
            if name == "ed":
                # ssh-keygen cannot export Ed25519 as PKCS8: the SPKI is a fixed 12-byte header
                # followed by the 32-byte point (the last 32 bytes of the SSH blob).
                der = bytes.fromhex("302a300506032b6570032100") + base64.b64decode(
                    pub.split()[1]
                )[-32:]
                pem = (
                    "-----BEGIN PUBLIC KEY-----\n"
                    + base64.b64encode(der).decode()
                    + "\n-----END PUBLIC KEY-----\n"
                )
            else:
                pem = subprocess.run(
                    ["ssh-keygen", "-e", "-m", "PKCS8", "-f", f"{path}.pub"],
                    check=True, capture_output=True, text=True,
                ).stdout
            out[name] = {"body": pub, "fp": fp, "pem": pem}
        # Three more 2048-bit keys for the quota test.
        for i in range(4):
            path = Path(d) / f"extra{i}"
            subprocess.run(
                ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(path)], check=True
            )
            out[f"extra{i}"] = {"body": Path(f"{path}.pub").read_text().strip()}
    return out


# --------------------------------------------------------------------------------------------
# OpenID Connect providers
# --------------------------------------------------------------------------------------------


def test_create_get_list_oidc_provider(iam):
    out = iam.create_open_id_connect_provider(
        Url=GITHUB,
        ClientIDList=["sts.amazonaws.com"],
        ThumbprintList=[THUMB],
        Tags=[{"Key": "ci", "Value": "github"}],
    )
    assert out["OpenIDConnectProviderArn"] == GITHUB_ARN
    assert out["Tags"] == [{"Key": "ci", "Value": "github"}]
    got = iam.get_open_id_connect_provider(OpenIDConnectProviderArn=GITHUB_ARN)
    assert got["Url"] == "token.actions.githubusercontent.com"
    assert got["ClientIDList"] == ["sts.amazonaws.com"]
    assert got["ThumbprintList"] == [THUMB]
    assert isinstance(got["CreateDate"], datetime)
    assert got["Tags"] == [{"Key": "ci", "Value": "github"}]

    iam.create_open_id_connect_provider(Url="https://accounts.example.com/tenant/a")
    listed = iam.list_open_id_connect_providers()["OpenIDConnectProviderList"]
    assert [p["Arn"] for p in listed] == [
        f"arn:aws:iam::{ACCOUNT}:oidc-provider/accounts.example.com/tenant/a",
        GITHUB_ARN,
    ]
    # No thumbprints, no client ids: both lists come back empty.
    other = iam.get_open_id_connect_provider(OpenIDConnectProviderArn=listed[0]["Arn"])
    assert other["ThumbprintList"] == []
    assert other["ClientIDList"] == []


def test_create_oidc_provider_errors(iam):
    iam.create_open_id_connect_provider(Url=GITHUB, ThumbprintList=[THUMB])
    with pytest.raises(ClientError) as e:
        iam.create_open_id_connect_provider(Url=GITHUB, ThumbprintList=[THUMB])
    code, status, msg = err(e)
    assert (code, status) == ("EntityAlreadyExists", 409)
    assert GITHUB in msg
    for url in ["http://insecure.example.com", "https://", "https://bad host/x?q=1"]:
        with pytest.raises(ClientError) as e:
            iam.create_open_id_connect_provider(Url=url)
        assert err(e)[:2] == ("InvalidInput", 400), url
    with pytest.raises(ClientError) as e:
        iam.create_open_id_connect_provider(
            Url="https://a.example.com", ThumbprintList=["z" * 40]
        )
    assert err(e)[:2] == ("InvalidInput", 400)
    with pytest.raises(ClientError) as e:
        iam.create_open_id_connect_provider(
            Url="https://a.example.com", ThumbprintList=[f"{i:040x}" for i in range(6)]
        )
    assert err(e)[:2] == ("InvalidInput", 400)
    with pytest.raises(ClientError) as e:
        iam.create_open_id_connect_provider(
            Url="https://a.example.com", Tags=[{"Key": "aws:x", "Value": "1"}]
        )
    assert err(e)[:2] == ("InvalidInput", 400)
    assert len(iam.list_open_id_connect_providers()["OpenIDConnectProviderList"]) == 1


def test_oidc_client_ids_and_thumbprints(iam):
    arn = iam.create_open_id_connect_provider(
        Url=GITHUB, ClientIDList=["sts.amazonaws.com"], ThumbprintList=[THUMB]
    )["OpenIDConnectProviderArn"]
    iam.add_client_id_to_open_id_connect_provider(OpenIDConnectProviderArn=arn, ClientID="app-1")
    iam.add_client_id_to_open_id_connect_provider(OpenIDConnectProviderArn=arn, ClientID="app-1")
    got = iam.get_open_id_connect_provider(OpenIDConnectProviderArn=arn)
    assert got["ClientIDList"] == ["sts.amazonaws.com", "app-1"]
    iam.remove_client_id_from_open_id_connect_provider(
        OpenIDConnectProviderArn=arn, ClientID="sts.amazonaws.com"
    )
    iam.remove_client_id_from_open_id_connect_provider(
        OpenIDConnectProviderArn=arn, ClientID="never-there"
    )
    got = iam.get_open_id_connect_provider(OpenIDConnectProviderArn=arn)
    assert got["ClientIDList"] == ["app-1"]

    iam.update_open_id_connect_provider_thumbprint(
        OpenIDConnectProviderArn=arn, ThumbprintList=[THUMB2, THUMB]
    )
    got = iam.get_open_id_connect_provider(OpenIDConnectProviderArn=arn)
    assert got["ThumbprintList"] == [THUMB2, THUMB]
    with pytest.raises(ClientError) as e:
        iam.update_open_id_connect_provider_thumbprint(
            OpenIDConnectProviderArn=arn, ThumbprintList=["g" * 40]
        )
    assert err(e)[:2] == ("InvalidInput", 400)


def test_oidc_provider_not_found_and_delete(iam):
    missing = f"arn:aws:iam::{ACCOUNT}:oidc-provider/nope.example.com"
    calls = [
        lambda: iam.get_open_id_connect_provider(OpenIDConnectProviderArn=missing),
        lambda: iam.add_client_id_to_open_id_connect_provider(
            OpenIDConnectProviderArn=missing, ClientID="x"
        ),
        lambda: iam.update_open_id_connect_provider_thumbprint(
            OpenIDConnectProviderArn=missing, ThumbprintList=[THUMB]
        ),
        lambda: iam.tag_open_id_connect_provider(
            OpenIDConnectProviderArn=missing, Tags=[{"Key": "a", "Value": "b"}]
        ),
        lambda: iam.list_open_id_connect_provider_tags(OpenIDConnectProviderArn=missing),
    ]
    for call in calls:
        with pytest.raises(ClientError) as e:
            call()
        code, status, msg = err(e)
        assert (code, status) == ("NoSuchEntity", 404)
        assert msg == f"OpenIDConnect Provider not found for arn {missing}"
    arn = iam.create_open_id_connect_provider(Url=GITHUB)["OpenIDConnectProviderArn"]
    iam.delete_open_id_connect_provider(OpenIDConnectProviderArn=arn)
    assert iam.list_open_id_connect_providers()["OpenIDConnectProviderList"] == []
    # Idempotent, as documented.
    iam.delete_open_id_connect_provider(OpenIDConnectProviderArn=arn)
    # Recreating after deletion works.
    assert iam.create_open_id_connect_provider(Url=GITHUB)["OpenIDConnectProviderArn"] == arn


def test_oidc_provider_tags_pagination(iam):
    arn = iam.create_open_id_connect_provider(Url=GITHUB)["OpenIDConnectProviderArn"]
    iam.tag_open_id_connect_provider(
        OpenIDConnectProviderArn=arn,
        Tags=[{"Key": f"k{i}", "Value": str(i)} for i in range(5)],
    )
    page = iam.list_open_id_connect_provider_tags(OpenIDConnectProviderArn=arn, MaxItems=3)
    assert page["IsTruncated"] is True
    assert [t["Key"] for t in page["Tags"]] == ["k0", "k1", "k2"]
    rest = iam.list_open_id_connect_provider_tags(
        OpenIDConnectProviderArn=arn, Marker=page["Marker"]
    )
    assert rest["IsTruncated"] is False
    assert [t["Key"] for t in rest["Tags"]] == ["k3", "k4"]
    iam.untag_open_id_connect_provider(OpenIDConnectProviderArn=arn, TagKeys=["k0", "K1", "zz"])
    tags = iam.list_open_id_connect_provider_tags(OpenIDConnectProviderArn=arn)["Tags"]
    assert [t["Key"] for t in tags] == ["k2", "k3", "k4"]
    with pytest.raises(ClientError) as e:
        iam.tag_open_id_connect_provider(
            OpenIDConnectProviderArn=arn,
            Tags=[{"Key": f"t{i}", "Value": "v"} for i in range(48)],
        )
    assert err(e)[:2] == ("LimitExceeded", 409)


def test_oidc_providers_are_per_account(server, iam):
    iam.create_open_id_connect_provider(Url=GITHUB)
    account, key = signup(server, "oidc@example.com", "oidc")
    other = server.client("iam", key=key)
    assert other.list_open_id_connect_providers()["OpenIDConnectProviderList"] == []
    arn = other.create_open_id_connect_provider(Url=GITHUB)["OpenIDConnectProviderArn"]
    assert arn == f"arn:aws:iam::{account}:oidc-provider/token.actions.githubusercontent.com"
    with pytest.raises(ClientError) as e:
        other.get_open_id_connect_provider(OpenIDConnectProviderArn=GITHUB_ARN)
    assert err(e)[:2] == ("NoSuchEntity", 404)


def test_oidc_provider_cli(server):
    out = aws_cli(
        server, "iam", "create-open-id-connect-provider", "--url", GITHUB,
        "--client-id-list", "sts.amazonaws.com", "--thumbprint-list", THUMB,
    )
    assert out["OpenIDConnectProviderArn"] == GITHUB_ARN
    got = aws_cli(
        server, "iam", "get-open-id-connect-provider",
        "--open-id-connect-provider-arn", GITHUB_ARN,
    )
    assert got["ClientIDList"] == ["sts.amazonaws.com"]


# --------------------------------------------------------------------------------------------
# SAML providers
# --------------------------------------------------------------------------------------------


def test_create_get_list_saml_provider(iam):
    doc = metadata(valid_until="2035-06-01T00:00:00Z")
    out = iam.create_saml_provider(
        Name="okta", SAMLMetadataDocument=doc, Tags=[{"Key": "idp", "Value": "okta"}]
    )
    arn = out["SAMLProviderArn"]
    assert arn == f"arn:aws:iam::{ACCOUNT}:saml-provider/okta"
    assert out["Tags"] == [{"Key": "idp", "Value": "okta"}]
    got = iam.get_saml_provider(SAMLProviderArn=arn)
    assert got["SAMLMetadataDocument"] == doc
    assert got["ValidUntil"] == datetime(2035, 6, 1, tzinfo=timezone.utc)
    assert isinstance(got["CreateDate"], datetime)
    assert re.match(r"^[0-9a-f-]{36}$", got["SAMLProviderUUID"])
    assert got["Tags"] == [{"Key": "idp", "Value": "okta"}]

    iam.create_saml_provider(Name="adfs", SAMLMetadataDocument=metadata())
    listed = iam.list_saml_providers()["SAMLProviderList"]
    assert [p["Arn"] for p in listed] == [f"arn:aws:iam::{ACCOUNT}:saml-provider/adfs", arn]
    assert "ValidUntil" not in listed[0]
    assert listed[1]["ValidUntil"] == datetime(2035, 6, 1, tzinfo=timezone.utc)


def test_saml_provider_errors(server, iam):
    iam.create_saml_provider(Name="okta", SAMLMetadataDocument=metadata())
    with pytest.raises(ClientError) as e:
        iam.create_saml_provider(Name="OKTA", SAMLMetadataDocument=metadata())
    assert err(e)[:2] == ("EntityAlreadyExists", 409)
    with pytest.raises(ClientError) as e:
        iam.create_saml_provider(Name="plain", SAMLMetadataDocument="<html>" + "x" * 1200)
    assert err(e)[:2] == ("InvalidInput", 400)
    # Too short (botocore checks the length too: switch its validation off to reach the server).
    raw = server.client("iam", parameter_validation=False)
    with pytest.raises(ClientError) as e:
        raw.create_saml_provider(Name="short", SAMLMetadataDocument="<EntityDescriptor/>")
    assert err(e)[:2] == ("ValidationError", 400)
    missing = f"arn:aws:iam::{ACCOUNT}:saml-provider/nope"
    for call in [
        lambda: iam.get_saml_provider(SAMLProviderArn=missing),
        lambda: iam.delete_saml_provider(SAMLProviderArn=missing),
        lambda: iam.update_saml_provider(SAMLProviderArn=missing, SAMLMetadataDocument=metadata()),
        lambda: iam.list_saml_provider_tags(SAMLProviderArn=missing),
    ]:
        with pytest.raises(ClientError) as e:
            call()
        assert err(e)[:2] == ("NoSuchEntity", 404)
    assert len(iam.list_saml_providers()["SAMLProviderList"]) == 1


def test_update_and_delete_saml_provider(iam):
    arn = iam.create_saml_provider(Name="okta", SAMLMetadataDocument=metadata())[
        "SAMLProviderArn"
    ]
    doc = metadata(valid_until="2031-01-02T03:04:05Z", pad=2000)
    out = iam.update_saml_provider(SAMLProviderArn=arn, SAMLMetadataDocument=doc)
    assert out["SAMLProviderArn"] == arn
    got = iam.get_saml_provider(SAMLProviderArn=arn)
    assert got["SAMLMetadataDocument"] == doc
    assert got["ValidUntil"] == datetime(2031, 1, 2, 3, 4, 5, tzinfo=timezone.utc)
    with pytest.raises(ClientError) as e:
        iam.update_saml_provider(SAMLProviderArn=arn, SAMLMetadataDocument="y" * 1500)
    assert err(e)[:2] == ("InvalidInput", 400)
    iam.delete_saml_provider(SAMLProviderArn=arn)
    assert iam.list_saml_providers()["SAMLProviderList"] == []
    with pytest.raises(ClientError) as e:
        iam.get_saml_provider(SAMLProviderArn=arn)
    assert err(e)[:2] == ("NoSuchEntity", 404)


def test_saml_provider_tags(iam):
    arn = iam.create_saml_provider(Name="okta", SAMLMetadataDocument=metadata())[
        "SAMLProviderArn"
    ]
    assert iam.list_saml_provider_tags(SAMLProviderArn=arn)["Tags"] == []
    iam.tag_saml_provider(
        SAMLProviderArn=arn, Tags=[{"Key": "a", "Value": "1"}, {"Key": "b", "Value": "2"}]
    )
    iam.tag_saml_provider(SAMLProviderArn=arn, Tags=[{"Key": "A", "Value": "3"}])
    page = iam.list_saml_provider_tags(SAMLProviderArn=arn, MaxItems=1)
    assert page["IsTruncated"] is True
    assert page["Tags"] == [{"Key": "A", "Value": "3"}]
    rest = iam.list_saml_provider_tags(SAMLProviderArn=arn, Marker=page["Marker"])
    assert rest["Tags"] == [{"Key": "b", "Value": "2"}]
    iam.untag_saml_provider(SAMLProviderArn=arn, TagKeys=["b"])
    assert iam.get_saml_provider(SAMLProviderArn=arn)["Tags"] == [{"Key": "A", "Value": "3"}]
    with pytest.raises(ClientError) as e:
        iam.tag_saml_provider(SAMLProviderArn=arn, Tags=[{"Key": "aws:x", "Value": "1"}])
    assert err(e)[:2] == ("InvalidInput", 400)


# --------------------------------------------------------------------------------------------
# SSH public keys
# --------------------------------------------------------------------------------------------


def test_upload_get_ssh_public_key(iam, keys):
    iam.create_user(UserName="dev")
    k = iam.upload_ssh_public_key(UserName="dev", SSHPublicKeyBody=keys["rsa"]["body"] + "\n")[
        "SSHPublicKey"
    ]
    assert re.match(r"^APKA[A-Z2-7]{16}$", k["SSHPublicKeyId"])
    assert k["UserName"] == "dev"
    assert k["Fingerprint"] == keys["rsa"]["fp"]
    assert k["SSHPublicKeyBody"] == keys["rsa"]["body"]
    assert k["Status"] == "Active"
    assert isinstance(k["UploadDate"], datetime)

    got = iam.get_ssh_public_key(
        UserName="dev", SSHPublicKeyId=k["SSHPublicKeyId"], Encoding="SSH"
    )["SSHPublicKey"]
    assert got == k
    pem = iam.get_ssh_public_key(
        UserName="dev", SSHPublicKeyId=k["SSHPublicKeyId"], Encoding="PEM"
    )["SSHPublicKey"]
    assert pem["SSHPublicKeyBody"].strip() == keys["rsa"]["pem"].strip()

    ed = iam.upload_ssh_public_key(UserName="dev", SSHPublicKeyBody=keys["ed"]["body"])[
        "SSHPublicKey"
    ]
    assert ed["Fingerprint"] == keys["ed"]["fp"]
    pem = iam.get_ssh_public_key(
        UserName="dev", SSHPublicKeyId=ed["SSHPublicKeyId"], Encoding="PEM"
    )["SSHPublicKey"]
    assert pem["SSHPublicKeyBody"].strip() == keys["ed"]["pem"].strip()


def test_ssh_public_key_errors(iam, keys):
    iam.create_user(UserName="dev")
    with pytest.raises(ClientError) as e:
        iam.upload_ssh_public_key(UserName="ghost", SSHPublicKeyBody=keys["rsa"]["body"])
    assert err(e)[:2] == ("NoSuchEntity", 404)
    with pytest.raises(ClientError) as e:
        iam.upload_ssh_public_key(UserName="dev", SSHPublicKeyBody="ssh-dss AAAAB3NzaC1kc3M= x")
    assert err(e)[:2] == ("UnrecognizedPublicKeyEncoding", 400)
    with pytest.raises(ClientError) as e:
        iam.upload_ssh_public_key(UserName="dev", SSHPublicKeyBody="ssh-rsa AAAA!!!notbase64")
    assert err(e)[:2] == ("UnrecognizedPublicKeyEncoding", 400)
    with pytest.raises(ClientError) as e:
        iam.upload_ssh_public_key(UserName="dev", SSHPublicKeyBody=keys["small"]["body"])
    assert err(e)[:2] == ("InvalidPublicKey", 400)
    iam.upload_ssh_public_key(UserName="dev", SSHPublicKeyBody=keys["rsa"]["body"])
    with pytest.raises(ClientError) as e:
        iam.upload_ssh_public_key(UserName="dev", SSHPublicKeyBody=keys["rsa"]["body"])
    assert err(e)[:2] == ("DuplicateSSHPublicKey", 400)
    with pytest.raises(ClientError) as e:
        iam.get_ssh_public_key(UserName="dev", SSHPublicKeyId="APKAAAAAAAAAAAAAAAAA", Encoding="SSH")
    code, status, msg = err(e)
    assert (code, status) == ("NoSuchEntity", 404)
    assert msg == "The Public Key with id APKAAAAAAAAAAAAAAAAA cannot be found."


def test_ssh_public_key_quota_list_update_delete(iam, keys):
    iam.create_user(UserName="dev")
    iam.create_user(UserName="other")
    ids = []
    for name in ["rsa", "rsa2", "extra0", "extra1", "extra2"]:
        ids.append(
            iam.upload_ssh_public_key(UserName="dev", SSHPublicKeyBody=keys[name]["body"])[
                "SSHPublicKey"
            ]["SSHPublicKeyId"]
        )
    with pytest.raises(ClientError) as e:
        iam.upload_ssh_public_key(UserName="dev", SSHPublicKeyBody=keys["extra3"]["body"])
    assert err(e)[:2] == ("LimitExceeded", 409)
    # Another user may upload the same key.
    iam.upload_ssh_public_key(UserName="other", SSHPublicKeyBody=keys["rsa"]["body"])

    page = iam.list_ssh_public_keys(UserName="dev", MaxItems=2)
    assert page["IsTruncated"] is True and len(page["SSHPublicKeys"]) == 2
    rest = iam.list_ssh_public_keys(UserName="dev", Marker=page["Marker"])
    assert rest["IsTruncated"] is False
    listed = page["SSHPublicKeys"] + rest["SSHPublicKeys"]
    assert sorted(k["SSHPublicKeyId"] for k in listed) == sorted(ids)
    assert all(k["UserName"] == "dev" and k["Status"] == "Active" for k in listed)
    assert set(listed[0]) == {"UserName", "SSHPublicKeyId", "Status", "UploadDate"}

    iam.update_ssh_public_key(UserName="dev", SSHPublicKeyId=ids[0], Status="Inactive")
    got = iam.get_ssh_public_key(UserName="dev", SSHPublicKeyId=ids[0], Encoding="SSH")
    assert got["SSHPublicKey"]["Status"] == "Inactive"
    # Keys belong to their user.
    with pytest.raises(ClientError) as e:
        iam.delete_ssh_public_key(UserName="other", SSHPublicKeyId=ids[0])
    assert err(e)[:2] == ("NoSuchEntity", 404)
    iam.delete_ssh_public_key(UserName="dev", SSHPublicKeyId=ids[0])
    assert len(iam.list_ssh_public_keys(UserName="dev")["SSHPublicKeys"]) == 4
    with pytest.raises(ClientError) as e:
        iam.update_ssh_public_key(UserName="dev", SSHPublicKeyId=ids[0], Status="Active")
    assert err(e)[:2] == ("NoSuchEntity", 404)


def test_ssh_keys_follow_renamed_user_and_block_delete(iam, keys):
    iam.create_user(UserName="dev")
    key_id = iam.upload_ssh_public_key(UserName="dev", SSHPublicKeyBody=keys["ed"]["body"])[
        "SSHPublicKey"
    ]["SSHPublicKeyId"]
    iam.update_user(UserName="dev", NewUserName="developer")
    listed = iam.list_ssh_public_keys(UserName="developer")["SSHPublicKeys"]
    assert [(k["SSHPublicKeyId"], k["UserName"]) for k in listed] == [(key_id, "developer")]
    with pytest.raises(ClientError) as e:
        iam.delete_user(UserName="developer")
    code, status, msg = err(e)
    assert (code, status) == ("DeleteConflict", 409)
    assert msg == "Cannot delete entity, must delete SSH public keys first."
    iam.delete_ssh_public_key(UserName="developer", SSHPublicKeyId=key_id)
    iam.delete_user(UserName="developer")


def test_ssh_keys_of_calling_user(server, iam, keys):
    # Root without UserName: an empty list.
    assert iam.list_ssh_public_keys()["SSHPublicKeys"] == []
    iam.create_user(UserName="dev")
    iam.upload_ssh_public_key(UserName="dev", SSHPublicKeyBody=keys["ed"]["body"])
    k = iam.create_access_key(UserName="dev")["AccessKey"]
    iam.put_user_policy(
        UserName="dev",
        PolicyName="all",
        PolicyDocument='{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}',
    )
    dev = server.client("iam", key=(k["AccessKeyId"], k["SecretAccessKey"]))
    assert [x["UserName"] for x in dev.list_ssh_public_keys()["SSHPublicKeys"]] == ["dev"]


# --------------------------------------------------------------------------------------------
# Service-specific credentials
# --------------------------------------------------------------------------------------------


def test_service_specific_credentials(iam):
    iam.create_user(UserName="dev")
    c = iam.create_service_specific_credential(
        UserName="dev", ServiceName="codecommit.amazonaws.com"
    )["ServiceSpecificCredential"]
    assert re.match(r"^ACCA[A-Z2-7]{17}$", c["ServiceSpecificCredentialId"])
    assert c["ServiceUserName"] == f"dev-at-{ACCOUNT}"
    assert c["ServiceName"] == "codecommit.amazonaws.com"
    assert len(c["ServicePassword"]) == 44
    assert c["Status"] == "Active"
    assert c["UserName"] == "dev"
    assert isinstance(c["CreateDate"], datetime)

    c2 = iam.create_service_specific_credential(
        UserName="dev", ServiceName="codecommit.amazonaws.com"
    )["ServiceSpecificCredential"]
    assert c2["ServiceUserName"] != c["ServiceUserName"]
    with pytest.raises(ClientError) as e:
        iam.create_service_specific_credential(
            UserName="dev", ServiceName="codecommit.amazonaws.com"
        )
    assert err(e)[:2] == ("LimitExceeded", 409)
    k = iam.create_service_specific_credential(
        UserName="dev", ServiceName="cassandra.amazonaws.com"
    )["ServiceSpecificCredential"]

    listed = iam.list_service_specific_credentials(UserName="dev")["ServiceSpecificCredentials"]
    assert len(listed) == 3
    assert all("ServicePassword" not in x for x in listed)
    only = iam.list_service_specific_credentials(
        UserName="dev", ServiceName="cassandra.amazonaws.com"
    )["ServiceSpecificCredentials"]
    assert [x["ServiceSpecificCredentialId"] for x in only] == [k["ServiceSpecificCredentialId"]]

    iam.update_service_specific_credential(
        UserName="dev", ServiceSpecificCredentialId=c["ServiceSpecificCredentialId"],
        Status="Inactive",
    )
    reset = iam.reset_service_specific_credential(
        UserName="dev", ServiceSpecificCredentialId=c["ServiceSpecificCredentialId"]
    )["ServiceSpecificCredential"]
    assert reset["ServicePassword"] != c["ServicePassword"]
    assert reset["Status"] == "Inactive"
    assert reset["ServiceUserName"] == c["ServiceUserName"]

    with pytest.raises(ClientError) as e:
        iam.delete_user(UserName="dev")
    code, status, msg = err(e)
    assert (code, status) == ("DeleteConflict", 409)
    assert msg == "Cannot delete entity, must delete service specific credentials first."
    for cred in (c, c2, k):
        iam.delete_service_specific_credential(
            UserName="dev", ServiceSpecificCredentialId=cred["ServiceSpecificCredentialId"]
        )
    assert iam.list_service_specific_credentials(UserName="dev")["ServiceSpecificCredentials"] == []
    iam.delete_user(UserName="dev")


def test_service_specific_credential_errors(iam):
    iam.create_user(UserName="dev")
    with pytest.raises(ClientError) as e:
        iam.create_service_specific_credential(UserName="dev", ServiceName="s3.amazonaws.com")
    assert err(e)[:2] == ("NotSupportedService", 404)
    with pytest.raises(ClientError) as e:
        iam.create_service_specific_credential(
            UserName="ghost", ServiceName="codecommit.amazonaws.com"
        )
    assert err(e)[:2] == ("NoSuchEntity", 404)
    bogus = "ACCAAAAAAAAAAAAAAAAAA"
    for call in [
        lambda: iam.reset_service_specific_credential(
            UserName="dev", ServiceSpecificCredentialId=bogus
        ),
        lambda: iam.update_service_specific_credential(
            UserName="dev", ServiceSpecificCredentialId=bogus, Status="Active"
        ),
        lambda: iam.delete_service_specific_credential(
            UserName="dev", ServiceSpecificCredentialId=bogus
        ),
    ]:
        with pytest.raises(ClientError) as e:
            call()
        assert err(e)[:2] == ("NoSuchEntity", 404)


def test_service_specific_credentials_pagination_and_cli(server, iam):
    iam.create_user(UserName="a")
    iam.create_user(UserName="b")
    for u in ("a", "b"):
        for s in ("codecommit.amazonaws.com", "cassandra.amazonaws.com"):
            iam.create_service_specific_credential(UserName=u, ServiceName=s)
    page = iam.list_service_specific_credentials(UserName="a", MaxItems=1)
    assert page["IsTruncated"] is True
    rest = iam.list_service_specific_credentials(UserName="a", Marker=page["Marker"])
    assert len(page["ServiceSpecificCredentials"] + rest["ServiceSpecificCredentials"]) == 2
    everyone = iam.list_service_specific_credentials(AllUsers=True)["ServiceSpecificCredentials"]
    assert sorted({x["UserName"] for x in everyone}) == ["a", "b"] and len(everyone) == 4
    out = aws_cli(
        server, "iam", "list-service-specific-credentials", "--user-name", "b",
        "--service-name", "codecommit.amazonaws.com",
    )
    assert [x["ServiceUserName"] for x in out["ServiceSpecificCredentials"]] == [
        f"b-at-{ACCOUNT}"
    ]


# --------------------------------------------------------------------------------------------
# Signing and server certificates
# --------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def certs():
    """Self-signed certificates and keys made by openssl once per module."""
    out = {}
    with tempfile.TemporaryDirectory() as d:
        for name in ["a", "b", "c", "chain"]:
            key, cert = Path(d) / f"{name}.key", Path(d) / f"{name}.pem"
            subprocess.run(
                ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key),
                 "-out", str(cert), "-subj", f"/CN={name}.example.com", "-days", "30"],
                check=True, capture_output=True,
            )
            end = subprocess.run(
                ["openssl", "x509", "-in", str(cert), "-noout", "-enddate"],
                check=True, capture_output=True, text=True,
            ).stdout.strip().removeprefix("notAfter=")
            out[name] = {
                "cert": cert.read_text(),
                "key": key.read_text(),
                "not_after": datetime.strptime(end, "%b %d %H:%M:%S %Y %Z").replace(
                    tzinfo=timezone.utc
                ),
            }
    return out


def test_signing_certificates(iam, certs):
    iam.create_user(UserName="dev")
    c = iam.upload_signing_certificate(UserName="dev", CertificateBody=certs["a"]["cert"])[
        "Certificate"
    ]
    assert re.match(r"^[A-Z2-7]{28}$", c["CertificateId"])
    assert c["UserName"] == "dev" and c["Status"] == "Active"
    assert c["CertificateBody"] == certs["a"]["cert"].strip()
    assert isinstance(c["UploadDate"], datetime)
    with pytest.raises(ClientError) as e:
        iam.upload_signing_certificate(UserName="dev", CertificateBody=certs["a"]["cert"])
    assert err(e)[:2] == ("DuplicateCertificate", 409)
    iam.upload_signing_certificate(UserName="dev", CertificateBody=certs["b"]["cert"])
    with pytest.raises(ClientError) as e:
        iam.upload_signing_certificate(UserName="dev", CertificateBody=certs["c"]["cert"])
    assert err(e)[:2] == ("LimitExceeded", 409)
    with pytest.raises(ClientError) as e:
        iam.upload_signing_certificate(
            UserName="dev",
            CertificateBody="-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----",
        )
    assert err(e)[:2] == ("MalformedCertificate", 400)

    page = iam.list_signing_certificates(UserName="dev", MaxItems=1)
    assert page["IsTruncated"] is True
    rest = iam.list_signing_certificates(UserName="dev", Marker=page["Marker"])
    ids = {x["CertificateId"] for x in page["Certificates"] + rest["Certificates"]}
    assert c["CertificateId"] in ids and len(ids) == 2

    iam.update_signing_certificate(UserName="dev", CertificateId=c["CertificateId"], Status="Inactive")
    listed = iam.list_signing_certificates(UserName="dev")["Certificates"]
    assert {x["CertificateId"]: x["Status"] for x in listed}[c["CertificateId"]] == "Inactive"

    with pytest.raises(ClientError) as e:
        iam.delete_user(UserName="dev")
    assert err(e) == (
        "DeleteConflict", 409, "Cannot delete entity, must delete signing certificates first."
    )
    for x in listed:
        iam.delete_signing_certificate(UserName="dev", CertificateId=x["CertificateId"])
    with pytest.raises(ClientError) as e:
        iam.delete_signing_certificate(UserName="dev", CertificateId=c["CertificateId"])
    assert err(e)[:2] == ("NoSuchEntity", 404)
    assert iam.list_signing_certificates(UserName="dev")["Certificates"] == []
    iam.delete_user(UserName="dev")
    # The root user's own certificates (no UserName).
    root = iam.upload_signing_certificate(CertificateBody=certs["c"]["cert"])["Certificate"]
    assert root["UserName"] == ACCOUNT
    assert [x["CertificateId"] for x in iam.list_signing_certificates()["Certificates"]] == [
        root["CertificateId"]
    ]


def test_server_certificates(iam, certs):
    meta = iam.upload_server_certificate(
        ServerCertificateName="web",
        Path="/cloudfront/",
        CertificateBody=certs["a"]["cert"],
        PrivateKey=certs["a"]["key"],
        CertificateChain=certs["chain"]["cert"],
        Tags=[{"Key": "env", "Value": "prod"}],
    )
    m = meta["ServerCertificateMetadata"]
    assert re.match(r"^ASCA[A-Z2-7]{17}$", m["ServerCertificateId"])
    assert m["Arn"] == f"arn:aws:iam::{ACCOUNT}:server-certificate/cloudfront/web"
    assert m["Path"] == "/cloudfront/"
    assert m["Expiration"] == certs["a"]["not_after"]
    assert meta["Tags"] == [{"Key": "env", "Value": "prod"}]
    got = iam.get_server_certificate(ServerCertificateName="WEB")["ServerCertificate"]
    assert got["CertificateBody"] == certs["a"]["cert"].strip()
    assert got["CertificateChain"] == certs["chain"]["cert"].strip()
    assert got["ServerCertificateMetadata"] == m
    assert "PrivateKey" not in got

    with pytest.raises(ClientError) as e:
        iam.upload_server_certificate(
            ServerCertificateName="web", CertificateBody=certs["b"]["cert"],
            PrivateKey=certs["b"]["key"],
        )
    assert err(e)[:2] == ("EntityAlreadyExists", 409)
    with pytest.raises(ClientError) as e:
        iam.upload_server_certificate(
            ServerCertificateName="bad", CertificateBody="not a certificate" * 3,
            PrivateKey=certs["b"]["key"],
        )
    assert err(e)[:2] == ("MalformedCertificate", 400)
    with pytest.raises(ClientError) as e:
        iam.upload_server_certificate(
            ServerCertificateName="bad", CertificateBody=certs["b"]["cert"],
            PrivateKey="nope" * 10,
        )
    assert err(e)[:2] == ("MalformedCertificate", 400)

    iam.upload_server_certificate(
        ServerCertificateName="api", CertificateBody=certs["b"]["cert"],
        PrivateKey=certs["b"]["key"],
    )
    page = iam.list_server_certificates(MaxItems=1)
    assert page["IsTruncated"] is True
    assert [x["ServerCertificateName"] for x in page["ServerCertificateMetadataList"]] == ["api"]
    rest = iam.list_server_certificates(Marker=page["Marker"])
    assert [x["ServerCertificateName"] for x in rest["ServerCertificateMetadataList"]] == ["web"]
    only = iam.list_server_certificates(PathPrefix="/cloudfront/")["ServerCertificateMetadataList"]
    assert [x["ServerCertificateName"] for x in only] == ["web"]

    with pytest.raises(ClientError) as e:
        iam.update_server_certificate(ServerCertificateName="web", NewServerCertificateName="api")
    assert err(e)[:2] == ("EntityAlreadyExists", 409)
    iam.update_server_certificate(
        ServerCertificateName="web", NewServerCertificateName="www", NewPath="/"
    )
    got = iam.get_server_certificate(ServerCertificateName="www")["ServerCertificate"]
    assert got["ServerCertificateMetadata"]["Arn"] == f"arn:aws:iam::{ACCOUNT}:server-certificate/www"
    assert got["ServerCertificateMetadata"]["ServerCertificateId"] == m["ServerCertificateId"]
    with pytest.raises(ClientError) as e:
        iam.get_server_certificate(ServerCertificateName="web")
    assert err(e) == (
        "NoSuchEntity", 404, "The Server Certificate with name web cannot be found."
    )

    iam.tag_server_certificate(ServerCertificateName="www", Tags=[{"Key": "team", "Value": "a"}])
    iam.untag_server_certificate(ServerCertificateName="www", TagKeys=["env"])
    tags = iam.list_server_certificate_tags(ServerCertificateName="www")
    assert tags["Tags"] == [{"Key": "team", "Value": "a"}] and tags["IsTruncated"] is False

    iam.delete_server_certificate(ServerCertificateName="www")
    with pytest.raises(ClientError) as e:
        iam.delete_server_certificate(ServerCertificateName="www")
    assert err(e)[:2] == ("NoSuchEntity", 404)
    names = [x["ServerCertificateName"] for x in iam.list_server_certificates()[
        "ServerCertificateMetadataList"
    ]]
    assert names == ["api"]
