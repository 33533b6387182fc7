"""The spine: admin endpoints, sign-up, SigV4 authentication, validation, not-implemented answers,
durability across kill -9, and botocore as the response oracle."""
import json
import os
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import botocore.exceptions
import pytest

from conftest import BIN, ROOT, LocalorgServer, aws_cli, signup


def error_of(excinfo):
    return excinfo.value.response["Error"], excinfo.value.response["ResponseMetadata"]["HTTPStatusCode"]


def test_health(server):
    with urllib.request.urlopen(server.endpoint + "/_localorg/health", timeout=5) as resp:
        assert resp.status == 200
        assert json.loads(resp.read())["status"] == "ok"


def test_default_account_root_can_call(orgs):
    org = orgs.create_organization(FeatureSet="ALL")["Organization"]
    assert org["MasterAccountId"] == "000000000000"
    assert org["Id"].startswith("o-") and len(org["Id"]) == 12
    assert org["Arn"] == f"arn:aws:organizations::000000000000:organization/{org['Id']}"


def test_reset_wipes_state(server, orgs):
    orgs.create_organization()
    server.admin("/moto-api/reset")
    with pytest.raises(botocore.exceptions.ClientError) as e:
        orgs.describe_organization()
    assert error_of(e)[0]["Code"] == "AWSOrganizationsNotInUseException"


def test_signup_creates_standalone_accounts_with_root_keys(server):
    account_id, creds = signup(server, "platform@example.com", "Platform")
    assert len(account_id) == 12 and account_id.isdigit()
    assert creds[0].startswith("AKIA") and len(creds[0]) == 20 and len(creds[1]) == 40
    client = server.client("organizations", key=creds)
    org = client.create_organization()["Organization"]
    assert org["MasterAccountId"] == account_id
    assert org["MasterAccountEmail"] == "platform@example.com"


def test_signup_refuses_a_duplicate_email_case_insensitively(server):
    signup(server, "dup@example.com", "One")
    with pytest.raises(urllib.error.HTTPError) as e:
        signup(server, "DUP@Example.com", "Two")
    assert e.value.code == 409


def test_signup_through_the_cli(server):
    out = subprocess.run(
        [BIN, "signup", "--email", "cli@example.com", "--name", "Cli", "--endpoint", server.endpoint, "--json"],
        capture_output=True, text=True, timeout=30, check=True,
    )
    created = json.loads(out.stdout)
    assert created["Email"] == "cli@example.com"
    client = server.client("organizations", key=(created["AccessKeyId"], created["SecretAccessKey"]))
    assert client.create_organization()["Organization"]["MasterAccountId"] == created["AccountId"]


def test_unknown_access_key_is_rejected(server):
    client = server.client("organizations", key=("AKIAIOSFODNN7EXAMPLE", "x" * 40))
    with pytest.raises(botocore.exceptions.ClientError) as e:
        client.describe_organization()
    err, status = error_of(e)
    assert err["Code"] == "UnrecognizedClientException"
    assert err["Message"] == "The security token included in the request is invalid."
    iam = server.client("iam", key=("AKIAIOSFODNN7EXAMPLE", "x" * 40))
    with pytest.raises(botocore.exceptions.ClientError) as e:
        iam.list_users()
    err, status = error_of(e)
    assert (err["Code"], status) == ("InvalidClientTokenId", 403)


def test_wrong_secret_fails_the_signature_check(server):
    client = server.client("organizations", key=("test", "not-the-secret"))
    with pytest.raises(botocore.exceptions.ClientError) as e:
        client.describe_organization()
    assert error_of(e)[0]["Code"] == "InvalidSignatureException"
    iam = server.client("iam", key=("test", "not-the-secret"))
    with pytest.raises(botocore.exceptions.ClientError) as e:
        iam.list_users()
    err, status = error_of(e)
    assert (err["Code"], status) == ("SignatureDoesNotMatch", 403)


def test_unsigned_request_is_rejected(server):
    req = urllib.request.Request(
        server.endpoint + "/",
        data=b"{}",
        headers={
            "Content-Type": "application/x-amz-json-1.1",
            "X-Amz-Target": "AWSOrganizationsV20161128.DescribeOrganization",
        },
        method="POST",
    )
    with pytest.raises(urllib.error.HTTPError) as e:
        urllib.request.urlopen(req, timeout=5)
    body = json.loads(e.value.read())
    assert body["__type"] == "MissingAuthenticationTokenException"
    assert e.value.headers["x-amzn-RequestId"]


def test_any_signing_region_is_accepted(server):
    client = server.client("organizations", region="eu-central-1")
    assert client.create_organization()["Organization"]["FeatureSet"] == "ALL"


def test_permissive_mode_lets_unknown_keys_act_as_default_root():
    srv = LocalorgServer("--auth", "permissive")
    try:
        client = srv.client("organizations", key=("anything", "goes"))
        assert client.create_organization()["Organization"]["MasterAccountId"] == "000000000000"
        # A key localorg issued is still verified.
        bad = srv.client("organizations", key=("test", "wrong"))
        with pytest.raises(botocore.exceptions.ClientError) as e:
            bad.describe_organization()
        assert error_of(e)[0]["Code"] == "InvalidSignatureException"
    finally:
        srv.stop()


def test_model_constraints_become_organizations_invalid_input(orgs):
    orgs.create_organization()
    with pytest.raises(botocore.exceptions.ClientError) as e:
        orgs.create_account(AccountName="x" * 51, Email="toolong@example.com")
    err, status = error_of(e)
    assert (err["Code"], status) == ("InvalidInputException", 400)
    assert e.value.response["Reason"] == "MAX_LENGTH_EXCEEDED"
    assert "Member must have length less than or equal to 50" in err["Message"]


NOT_IMPLEMENTED = [
    ("iam", "list_policies_granting_service_access", {"Arn": "arn:aws:iam::000000000000:user/x", "ServiceNamespaces": ["iam"]}),
    ("sso-admin", "list_applications", {"InstanceArn": "arn:aws:sso:::instance/ssoins-1234567890abcdef"}),
    ("account", "list_regions", {}),
    ("budgets", "describe_budgets", {"AccountId": "000000000000"}),
    ("ce", "get_cost_categories", {"TimePeriod": {"Start": "2026-01-01", "End": "2026-02-01"}}),
    ("cloudtrail", "list_event_data_stores", {}),
]


@pytest.mark.parametrize("service,method,kwargs", NOT_IMPLEMENTED)
def test_unimplemented_operations_answer_a_4xx_naming_them(server, service, method, kwargs):
    client = server.client(service)
    with pytest.raises(botocore.exceptions.ClientError) as e:
        getattr(client, method)(**kwargs)
    err, status = error_of(e)
    assert status == 400
    assert err["Code"] == "NotImplementedException"
    op = client.meta.method_to_api_mapping[method]
    assert op in err["Message"]


def test_a_portal_call_with_a_bad_token_is_a_4xx(server):
    client = server.client("sso")
    with pytest.raises(botocore.exceptions.ClientError) as e:
        client.list_accounts(accessToken="token")
    err, status = error_of(e)
    assert (err["Code"], status) == ("UnauthorizedException", 401)


def test_the_aws_cli_talks_to_localorg(server):
    created = aws_cli(server, "organizations", "create-organization", "--feature-set", "ALL")
    described = aws_cli(server, "organizations", "describe-organization")
    assert described["Organization"]["Id"] == created["Organization"]["Id"]
    failed = aws_cli(server, "organizations", "create-organization", check=False)
    assert failed.returncode != 0 and "AlreadyInOrganizationException" in failed.stderr


def test_acknowledged_writes_survive_kill_9(tmp_path):
    """Kill the server mid-run; every write it acknowledged must be there after a restart."""
    srv = LocalorgServer(data_dir=tmp_path)
    acknowledged = []
    try:
        orgs = srv.client("organizations")
        org_id = orgs.create_organization()["Organization"]["Id"]
        root = orgs.list_roots()["Roots"][0]["Id"]
        for i in range(25):
            ou = orgs.create_organizational_unit(ParentId=root, Name=f"ou-{i}")
            acknowledged.append(ou["OrganizationalUnit"]["Id"])
    except botocore.exceptions.ClientError as e:
        if e.response["Error"]["Code"] != "NotImplementedException":
            raise
    finally:
        srv.kill()
    again = LocalorgServer(data_dir=tmp_path)
    try:
        orgs = again.client("organizations")
        assert orgs.describe_organization()["Organization"]["Id"] == org_id
        for ou_id in acknowledged:
            assert orgs.describe_organizational_unit(OrganizationalUnitId=ou_id)["OrganizationalUnit"]["Id"] == ou_id
    finally:
        again.stop()


def test_botocore_parses_every_encoded_response_as_meant():
    """localorg-wire's encoder against botocore's parsers, for every operation and error shape."""
    oracle = os.environ.get("WIRE_ORACLE_BIN", str(ROOT / "target" / "debug" / "examples" / "wire_oracle"))
    if not Path(oracle).exists():
        pytest.skip("wire_oracle example not built (scripts/test.sh builds it)")
    sys.path.insert(0, str(ROOT / "crates" / "wire" / "tests" / "fixtures"))
    from check_responses import check_all

    assert check_all(oracle) == []


def test_get_caller_identity_names_the_signer(server):
    sts = server.client("sts")
    ident = sts.get_caller_identity()
    assert ident["Account"] == "000000000000"
    assert ident["Arn"] == "arn:aws:iam::000000000000:root"
    assert ident["UserId"] == "000000000000"
    account_id, creds = signup(server, "who@example.com", "Who")
    assert server.client("sts", key=creds).get_caller_identity()["Account"] == account_id
