"""Organizations administration: trusted access, delegated administrators (and what they may
read), the organization's resource policy, and the operations localorg answers as unavailable
(GovCloud, billing transfers)."""
import datetime
import json

import pytest
from botocore.exceptions import ClientError

from conftest import aws_cli, signup

MGMT = "000000000000"


def error(call, *args, **kwargs):
    with pytest.raises(ClientError) as info:
        call(*args, **kwargs)
    return info.value.response


def assert_error(resp, code, reason=None, status=400):
    assert resp["Error"]["Code"] == code, resp
    assert resp["ResponseMetadata"]["HTTPStatusCode"] == status
    if reason is not None:
        assert resp.get("Reason") == reason, resp
    assert resp["Error"]["Message"]


def new_org(orgs, feature_set="ALL"):
    return orgs.create_organization(FeatureSet=feature_set)["Organization"]


def standalone(server, name):
    account_id, key = signup(server, f"{name}@example.com", name)
    return account_id, server.client("organizations", key=key)


def join(server, orgs, name):
    """A standalone account invited into the caller's organization, accepted."""
    account_id, client = standalone(server, name)
    handshake = orgs.invite_account_to_organization(Target={"Id": account_id, "Type": "ACCOUNT"})
    client.accept_handshake(HandshakeId=handshake["Handshake"]["Id"])
    return account_id, client


def recent(ts):
    now = datetime.datetime.now(datetime.timezone.utc)
    return abs((ts - now).total_seconds()) < 60


# ---------------------------------------------------------------------------------------------
# Trusted access
# ---------------------------------------------------------------------------------------------


def test_service_access_enable_list_disable(orgs):
    new_org(orgs)
    assert orgs.list_aws_service_access_for_organization()["EnabledServicePrincipals"] == []
    orgs.enable_aws_service_access(ServicePrincipal="sso.amazonaws.com")
    orgs.enable_aws_service_access(ServicePrincipal="sso.amazonaws.com")  # idempotent
    orgs.enable_aws_service_access(ServicePrincipal="config.amazonaws.com")
    orgs.enable_aws_service_access(ServicePrincipal="guardduty.amazonaws.com")
    listed = orgs.list_aws_service_access_for_organization()["EnabledServicePrincipals"]
    assert [p["ServicePrincipal"] for p in listed] == [
        "config.amazonaws.com",
        "guardduty.amazonaws.com",
        "sso.amazonaws.com",
    ]
    assert all(recent(p["DateEnabled"]) for p in listed)

    first = orgs.list_aws_service_access_for_organization(MaxResults=2)
    assert len(first["EnabledServicePrincipals"]) == 2
    rest = orgs.list_aws_service_access_for_organization(MaxResults=2, NextToken=first["NextToken"])
    assert [p["ServicePrincipal"] for p in rest["EnabledServicePrincipals"]] == ["sso.amazonaws.com"]
    assert "NextToken" not in rest
    assert_error(
        error(orgs.list_aws_service_access_for_organization, NextToken="garbage"),
        "InvalidInputException",
        "INVALID_PAGINATION_TOKEN",
    )

    orgs.disable_aws_service_access(ServicePrincipal="config.amazonaws.com")
    orgs.disable_aws_service_access(ServicePrincipal="config.amazonaws.com")  # idempotent
    listed = orgs.list_aws_service_access_for_organization()["EnabledServicePrincipals"]
    assert [p["ServicePrincipal"] for p in listed] == [
        "guardduty.amazonaws.com",
        "sso.amazonaws.com",
    ]


def test_service_access_errors(orgs, server):
    _, solo_orgs = standalone(server, "solo")
    assert_error(
        error(solo_orgs.enable_aws_service_access, ServicePrincipal="sso.amazonaws.com"),
        "AWSOrganizationsNotInUseException",
    )
    assert_error(
        error(solo_orgs.list_aws_service_access_for_organization),
        "AWSOrganizationsNotInUseException",
    )
    new_org(orgs)
    _, bob_orgs = join(server, orgs, "bob")
    for call in (bob_orgs.enable_aws_service_access, bob_orgs.disable_aws_service_access):
        assert_error(error(call, ServicePrincipal="sso.amazonaws.com"), "AccessDeniedException")
    assert_error(error(bob_orgs.list_aws_service_access_for_organization), "AccessDeniedException")
    assert_error(
        error(orgs.enable_aws_service_access, ServicePrincipal="example.com"),
        "InvalidInputException",
        "UNRECOGNIZED_SERVICE_PRINCIPAL",
    )


def test_service_access_needs_all_features(orgs):
    new_org(orgs, "CONSOLIDATED_BILLING")
    assert_error(
        error(orgs.enable_aws_service_access, ServicePrincipal="sso.amazonaws.com"),
        "ConstraintViolationException",
        "ORGANIZATION_NOT_IN_ALL_FEATURES_MODE",
    )


# ---------------------------------------------------------------------------------------------
# Delegated administrators
# ---------------------------------------------------------------------------------------------


def test_register_list_deregister(orgs, server):
    org = new_org(orgs)
    alice, _ = join(server, orgs, "alice")
    bob, _ = join(server, orgs, "bob")
    # Trusted access first.
    assert_error(
        error(orgs.register_delegated_administrator, AccountId=alice, ServicePrincipal="sso.amazonaws.com"),
        "ConstraintViolationException",
        "SERVICE_ACCESS_NOT_ENABLED",
    )
    for principal in ("sso.amazonaws.com", "member.org.stacksets.cloudformation.amazonaws.com"):
        orgs.enable_aws_service_access(ServicePrincipal=principal)
    orgs.register_delegated_administrator(AccountId=alice, ServicePrincipal="sso.amazonaws.com")

    [admin] = orgs.list_delegated_administrators()["DelegatedAdministrators"]
    assert admin["Id"] == alice
    assert admin["Arn"] == f"arn:aws:organizations::{MGMT}:account/{org['Id']}/{alice}"
    assert admin["Email"] == "alice@example.com"
    assert admin["Name"] == "alice"
    assert admin["Status"] == "ACTIVE"
    assert admin["State"] == "ACTIVE"
    assert admin["JoinedMethod"] == "INVITED"
    assert recent(admin["JoinedTimestamp"])
    assert recent(admin["DelegationEnabledDate"])

    # Errors.
    assert_error(
        error(orgs.register_delegated_administrator, AccountId=alice, ServicePrincipal="sso.amazonaws.com"),
        "AccountAlreadyRegisteredException",
    )
    assert_error(
        error(orgs.register_delegated_administrator, AccountId=MGMT, ServicePrincipal="sso.amazonaws.com"),
        "ConstraintViolationException",
        "CANNOT_REGISTER_MASTER_AS_DELEGATED_ADMINISTRATOR",
    )
    assert_error(
        error(orgs.register_delegated_administrator, AccountId="123456789012", ServicePrincipal="sso.amazonaws.com"),
        "AccountNotFoundException",
    )
    assert_error(
        error(orgs.register_delegated_administrator, AccountId=bob, ServicePrincipal="sso.amazonaws.com"),
        "ConstraintViolationException",
        "DELEGATED_ADMINISTRATOR_EXISTS_FOR_THIS_SERVICE",
    )
    assert_error(
        error(orgs.register_delegated_administrator, AccountId=bob, ServicePrincipal="example.com"),
        "InvalidInputException",
        "UNRECOGNIZED_SERVICE_PRINCIPAL",
    )

    # StackSets takes several delegated administrators.
    stacksets = "member.org.stacksets.cloudformation.amazonaws.com"
    orgs.register_delegated_administrator(AccountId=alice, ServicePrincipal=stacksets)
    orgs.register_delegated_administrator(AccountId=bob, ServicePrincipal=stacksets)

    everyone = orgs.list_delegated_administrators()["DelegatedAdministrators"]
    assert sorted(a["Id"] for a in everyone) == sorted([alice, bob])
    sso = orgs.list_delegated_administrators(ServicePrincipal="sso.amazonaws.com")
    assert [a["Id"] for a in sso["DelegatedAdministrators"]] == [alice]
    first = orgs.list_delegated_administrators(MaxResults=1)
    second = orgs.list_delegated_administrators(MaxResults=1, NextToken=first["NextToken"])
    assert "NextToken" not in second
    assert {first["DelegatedAdministrators"][0]["Id"], second["DelegatedAdministrators"][0]["Id"]} == {
        alice,
        bob,
    }
    assert_error(
        error(orgs.list_delegated_administrators, NextToken="garbage"),
        "InvalidInputException",
        "INVALID_PAGINATION_TOKEN",
    )

    services = orgs.list_delegated_services_for_account(AccountId=alice)["DelegatedServices"]
    assert sorted(s["ServicePrincipal"] for s in services) == sorted(["sso.amazonaws.com", stacksets])
    assert all(recent(s["DelegationEnabledDate"]) for s in services)
    page = orgs.list_delegated_services_for_account(AccountId=alice, MaxResults=1)
    assert len(page["DelegatedServices"]) == 1 and page["NextToken"]

    orgs.deregister_delegated_administrator(AccountId=alice, ServicePrincipal="sso.amazonaws.com")
    assert_error(
        error(orgs.deregister_delegated_administrator, AccountId=alice, ServicePrincipal="sso.amazonaws.com"),
        "AccountNotRegisteredException",
    )
    assert_error(
        error(orgs.deregister_delegated_administrator, AccountId="123456789012", ServicePrincipal="sso.amazonaws.com"),
        "AccountNotFoundException",
    )
    services = orgs.list_delegated_services_for_account(AccountId=alice)["DelegatedServices"]
    assert [s["ServicePrincipal"] for s in services] == [stacksets]
    orgs.deregister_delegated_administrator(AccountId=alice, ServicePrincipal=stacksets)
    assert_error(
        error(orgs.list_delegated_services_for_account, AccountId=alice),
        "AccountNotRegisteredException",
    )
    assert_error(
        error(orgs.list_delegated_services_for_account, AccountId="123456789012"),
        "AccountNotFoundException",
    )


def test_delegated_admin_callers(orgs, server):
    _, solo_orgs = standalone(server, "solo")
    assert_error(error(solo_orgs.list_delegated_administrators), "AWSOrganizationsNotInUseException")
    new_org(orgs)
    alice, alice_orgs = join(server, orgs, "alice")
    orgs.enable_aws_service_access(ServicePrincipal="sso.amazonaws.com")
    assert_error(
        error(alice_orgs.register_delegated_administrator, AccountId=alice, ServicePrincipal="sso.amazonaws.com"),
        "AccessDeniedException",
    )
    assert_error(error(alice_orgs.list_delegated_administrators), "AccessDeniedException")
    assert_error(
        error(alice_orgs.list_delegated_services_for_account, AccountId=alice),
        "AccessDeniedException",
    )


def test_delegated_admin_reads_the_organization(orgs, server):
    org = new_org(orgs)
    alice, alice_orgs = join(server, orgs, "alice")
    bob, bob_orgs = join(server, orgs, "bob")
    # Before: members can't read the organization's structure.
    assert_error(error(alice_orgs.list_accounts), "AccessDeniedException")
    assert_error(error(alice_orgs.describe_account, AccountId=bob), "AccessDeniedException")

    orgs.enable_aws_service_access(ServicePrincipal="sso.amazonaws.com")
    orgs.register_delegated_administrator(AccountId=alice, ServicePrincipal="sso.amazonaws.com")

    ids = sorted(a["Id"] for a in alice_orgs.list_accounts()["Accounts"])
    assert ids == sorted([MGMT, alice, bob])
    assert alice_orgs.describe_account(AccountId=bob)["Account"]["Id"] == bob
    assert alice_orgs.list_roots()["Roots"][0]["Id"].startswith("r-")
    assert [a["Id"] for a in alice_orgs.list_delegated_administrators()["DelegatedAdministrators"]] == [alice]
    services = alice_orgs.list_delegated_services_for_account(AccountId=alice)["DelegatedServices"]
    assert [s["ServicePrincipal"] for s in services] == ["sso.amazonaws.com"]
    listed = alice_orgs.list_aws_service_access_for_organization()["EnabledServicePrincipals"]
    assert [p["ServicePrincipal"] for p in listed] == ["sso.amazonaws.com"]
    sent = alice_orgs.list_handshakes_for_organization()["Handshakes"]
    assert len(sent) == 2
    assert alice_orgs.describe_handshake(HandshakeId=sent[0]["Id"])["Handshake"]["Id"] == sent[0]["Id"]
    # ...but still can't change it.
    assert_error(
        error(alice_orgs.create_account, Email="x@example.com", AccountName="x"),
        "AccessDeniedException",
    )
    assert_error(
        error(
            alice_orgs.invite_account_to_organization,
            Target={"Id": "y@example.com", "Type": "EMAIL"},
        ),
        "AccessDeniedException",
    )
    assert_error(
        error(alice_orgs.enable_aws_service_access, ServicePrincipal="config.amazonaws.com"),
        "AccessDeniedException",
    )
    # A member that is not a delegated administrator still can't read.
    assert_error(error(bob_orgs.list_accounts), "AccessDeniedException")

    # Deregistering takes the access away again.
    orgs.deregister_delegated_administrator(AccountId=alice, ServicePrincipal="sso.amazonaws.com")
    assert_error(error(alice_orgs.list_accounts), "AccessDeniedException")
    assert org["Id"] == alice_orgs.describe_organization()["Organization"]["Id"]


def test_disabling_service_access_deregisters_its_delegated_admins(orgs, server):
    new_org(orgs)
    alice, alice_orgs = join(server, orgs, "alice")
    orgs.enable_aws_service_access(ServicePrincipal="guardduty.amazonaws.com")
    orgs.register_delegated_administrator(AccountId=alice, ServicePrincipal="guardduty.amazonaws.com")
    orgs.disable_aws_service_access(ServicePrincipal="guardduty.amazonaws.com")
    assert orgs.list_delegated_administrators()["DelegatedAdministrators"] == []
    assert_error(error(alice_orgs.list_accounts), "AccessDeniedException")


def test_delegated_admin_needs_all_features(orgs, server):
    new_org(orgs, "CONSOLIDATED_BILLING")
    alice, _ = join(server, orgs, "alice")
    assert_error(
        error(orgs.register_delegated_administrator, AccountId=alice, ServicePrincipal="sso.amazonaws.com"),
        "ConstraintViolationException",
        "ORGANIZATION_NOT_IN_ALL_FEATURES_MODE",
    )


def test_cli_delegated_administrator(server):
    aws_cli(server, "organizations", "create-organization")
    orgs = server.client("organizations")
    alice, _ = join(server, orgs, "alice")
    aws_cli(server, "organizations", "enable-aws-service-access", "--service-principal", "sso.amazonaws.com")
    aws_cli(
        server,
        "organizations",
        "register-delegated-administrator",
        "--account-id",
        alice,
        "--service-principal",
        "sso.amazonaws.com",
    )
    out = aws_cli(server, "organizations", "list-delegated-administrators")
    assert [a["Id"] for a in out["DelegatedAdministrators"]] == [alice]


# ---------------------------------------------------------------------------------------------
# Resource policy
# ---------------------------------------------------------------------------------------------

POLICY = json.dumps(
    {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "AllowDescribe",
                "Effect": "Allow",
                "Principal": {"AWS": "arn:aws:iam::111111111111:root"},
                "Action": ["organizations:DescribeOrganization"],
                "Resource": "*",
            }
        ],
    }
)


def test_resource_policy_lifecycle(orgs, server):
    org = new_org(orgs)
    assert_error(error(orgs.describe_resource_policy), "ResourcePolicyNotFoundException")
    put = orgs.put_resource_policy(Content=POLICY, Tags=[{"Key": "owner", "Value": "sec"}])["ResourcePolicy"]
    summary = put["ResourcePolicySummary"]
    assert summary["Id"].startswith("rp-") and len(summary["Id"]) == 11
    assert summary["Arn"] == f"arn:aws:organizations::{MGMT}:resourcepolicy/{org['Id']}/{summary['Id']}"
    assert put["Content"] == POLICY
    assert orgs.describe_resource_policy()["ResourcePolicy"] == put
    assert orgs.list_tags_for_resource(ResourceId=summary["Id"])["Tags"] == [
        {"Key": "owner", "Value": "sec"}
    ]
    # Replacing keeps the id.
    updated = POLICY.replace("AllowDescribe", "AllowDescribe2")
    again = orgs.put_resource_policy(Content=updated)["ResourcePolicy"]
    assert again["ResourcePolicySummary"] == summary
    assert orgs.describe_resource_policy()["ResourcePolicy"]["Content"] == updated

    orgs.delete_resource_policy()
    assert_error(error(orgs.describe_resource_policy), "ResourcePolicyNotFoundException")
    assert_error(error(orgs.delete_resource_policy), "ResourcePolicyNotFoundException")
    fresh = orgs.put_resource_policy(Content=POLICY)["ResourcePolicy"]["ResourcePolicySummary"]
    assert fresh["Id"] != summary["Id"]


def test_resource_policy_errors_and_callers(orgs, server):
    _, solo_orgs = standalone(server, "solo")
    assert_error(error(solo_orgs.put_resource_policy, Content=POLICY), "AWSOrganizationsNotInUseException")
    assert_error(error(solo_orgs.describe_resource_policy), "AWSOrganizationsNotInUseException")
    new_org(orgs)
    for content in ("not json", "[]", '{"Version": "2012-10-17"}'):
        assert_error(
            error(orgs.put_resource_policy, Content=content), "MalformedPolicyDocumentException"
        )
    assert_error(
        error(orgs.put_resource_policy, Content=POLICY, Tags=[{"Key": "aws:x", "Value": "1"}]),
        "InvalidInputException",
        "INVALID_SYSTEM_TAGS_PARAMETER",
    )
    assert_error(error(orgs.describe_resource_policy), "ResourcePolicyNotFoundException")
    orgs.put_resource_policy(Content=POLICY)
    alice, alice_orgs = join(server, orgs, "alice")
    assert_error(error(alice_orgs.put_resource_policy, Content=POLICY), "AccessDeniedException")
    assert_error(error(alice_orgs.delete_resource_policy), "AccessDeniedException")
    assert_error(error(alice_orgs.describe_resource_policy), "AccessDeniedException")
    # Delegated administrators may read it.
    orgs.enable_aws_service_access(ServicePrincipal="sso.amazonaws.com")
    orgs.register_delegated_administrator(AccountId=alice, ServicePrincipal="sso.amazonaws.com")
    assert alice_orgs.describe_resource_policy()["ResourcePolicy"]["Content"] == POLICY
    assert_error(error(alice_orgs.delete_resource_policy), "AccessDeniedException")


def test_cli_resource_policy(server):
    aws_cli(server, "organizations", "create-organization")
    out = aws_cli(server, "organizations", "put-resource-policy", "--content", POLICY)
    assert out["ResourcePolicy"]["ResourcePolicySummary"]["Id"].startswith("rp-")
    described = aws_cli(server, "organizations", "describe-resource-policy")
    assert json.loads(described["ResourcePolicy"]["Content"]) == json.loads(POLICY)


# ---------------------------------------------------------------------------------------------
# Unavailable features
# ---------------------------------------------------------------------------------------------

TRANSFER_ID = "rt-0123456789"


def test_create_gov_cloud_account_is_unavailable(orgs, server):
    _, solo_orgs = standalone(server, "solo")
    kwargs = {"Email": "gov@example.com", "AccountName": "gov"}
    assert_error(error(solo_orgs.create_gov_cloud_account, **kwargs), "AWSOrganizationsNotInUseException")
    new_org(orgs)
    resp = error(orgs.create_gov_cloud_account, **kwargs)
    assert_error(resp, "ConstraintViolationException", "MASTER_ACCOUNT_NOT_GOVCLOUD_ENABLED")
    assert "GovCloud" in resp["Error"]["Message"]
    _, bob_orgs = join(server, orgs, "bob")
    assert_error(error(bob_orgs.create_gov_cloud_account, **kwargs), "AccessDeniedException")
    # Nothing was created.
    assert len(orgs.list_accounts()["Accounts"]) == 2


def test_describe_responsibility_transfer(orgs):
    new_org(orgs)
    assert_error(
        error(orgs.describe_responsibility_transfer, Id=TRANSFER_ID),
        "ResponsibilityTransferNotFoundException",
    )


def test_terminate_responsibility_transfer(orgs):
    new_org(orgs)
    assert_error(
        error(orgs.terminate_responsibility_transfer, Id=TRANSFER_ID),
        "ResponsibilityTransferNotFoundException",
    )


def test_update_responsibility_transfer(orgs):
    new_org(orgs)
    assert_error(
        error(orgs.update_responsibility_transfer, Id=TRANSFER_ID, Name="renamed"),
        "ResponsibilityTransferNotFoundException",
    )


def test_invite_organization_to_transfer_responsibility(orgs, server):
    new_org(orgs)
    partner, partner_orgs = standalone(server, "partner")
    partner_orgs.create_organization()
    resp = error(
        orgs.invite_organization_to_transfer_responsibility,
        Type="BILLING",
        Target={"Id": partner, "Type": "ACCOUNT"},
        StartTimestamp=datetime.datetime(2030, 1, 1, tzinfo=datetime.timezone.utc),
        SourceName="billing",
    )
    assert_error(resp, "ConstraintViolationException", "UNMET_BILLING_PREREQUISITE")
    assert "billing transfer" in resp["Error"]["Message"].lower()


def test_list_responsibility_transfers_are_empty(orgs):
    new_org(orgs)
    inbound = orgs.list_inbound_responsibility_transfers(Type="BILLING")
    assert inbound["ResponsibilityTransfers"] == []
    assert inbound["ResponseMetadata"]["HTTPStatusCode"] == 200
    outbound = orgs.list_outbound_responsibility_transfers(Type="BILLING")
    assert outbound["ResponsibilityTransfers"] == []
    assert_error(
        error(orgs.list_inbound_responsibility_transfers, Type="BILLING", Id=TRANSFER_ID),
        "ResponsibilityTransferNotFoundException",
    )


def test_responsibility_transfers_callers(orgs, server):
    _, solo_orgs = standalone(server, "solo")
    new_org(orgs)
    _, bob_orgs = join(server, orgs, "bob")
    calls = [
        ("describe_responsibility_transfer", {"Id": TRANSFER_ID}),
        ("terminate_responsibility_transfer", {"Id": TRANSFER_ID}),
        ("update_responsibility_transfer", {"Id": TRANSFER_ID, "Name": "x"}),
        ("list_inbound_responsibility_transfers", {"Type": "BILLING"}),
        ("list_outbound_responsibility_transfers", {"Type": "BILLING"}),
    ]
    for name, kwargs in calls:
        assert_error(error(getattr(solo_orgs, name), **kwargs), "AWSOrganizationsNotInUseException")
        assert_error(error(getattr(bob_orgs, name), **kwargs), "AccessDeniedException")
