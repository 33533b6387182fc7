"""Organizations handshakes: invitations (by account id and by email), accepting, declining,
canceling, listing, and the EnableAllFeatures process, through boto3 and the aws CLI."""
import datetime

import pytest
from botocore.exceptions import ClientError

from conftest import aws_cli, signup

MGMT = "000000000000"
MGMT_EMAIL = f"root+{MGMT}@localorg.invalid"


def error(call, *args, **kwargs):
    with pytest.raises(ClientError) as info:
        call(*args, **kwargs)
    return info.value.response


def assert_error(resp, code, reason=None, status=400):
    assert resp["Error"]["Code"] == code, resp
    assert resp["ResponseMetadata"]["HTTPStatusCode"] == status
    if reason is not None:
        assert resp.get("Reason") == reason, resp


def new_org(orgs, feature_set="ALL"):
    return orgs.create_organization(FeatureSet=feature_set)["Organization"]


def standalone(server, name):
    account_id, key = signup(server, f"{name}@example.com", name)
    return account_id, server.client("organizations", key=key)


def invite(orgs, target, kind="ACCOUNT", **kw):
    return orgs.invite_account_to_organization(Target={"Id": target, "Type": kind}, **kw)[
        "Handshake"
    ]


def join(server, orgs, name):
    """A standalone account invited into the caller's organization, accepted."""
    account_id, client = standalone(server, name)
    handshake = invite(orgs, account_id)
    client.accept_handshake(HandshakeId=handshake["Id"])
    return account_id, client


def resource(handshake, kind):
    return [r for r in handshake["Resources"] if r["Type"] == kind]


# ---------------------------------------------------------------------------------------------
# Inviting
# ---------------------------------------------------------------------------------------------


def test_invite_by_account_id_shape(orgs, server):
    org = new_org(orgs)
    alice, _ = standalone(server, "alice")
    h = invite(orgs, alice, Notes="Welcome aboard")
    assert h["Id"].startswith("h-")
    assert h["Arn"] == f"arn:aws:organizations::{MGMT}:handshake/{org['Id']}/invite/{h['Id']}"
    assert h["Action"] == "INVITE"
    assert h["State"] == "OPEN"
    assert {"Id": org["Id"], "Type": "ORGANIZATION"} in h["Parties"]
    assert {"Id": alice, "Type": "ACCOUNT"} in h["Parties"]
    # Expires 15 days after the request.
    assert h["ExpirationTimestamp"] - h["RequestedTimestamp"] == datetime.timedelta(days=15)
    now = datetime.datetime.now(datetime.timezone.utc)
    assert abs((h["RequestedTimestamp"] - now).total_seconds()) < 60
    # AWS's resource tree: the organization (with the management account's email and name and the
    # feature set), then the invited account, then the notes.
    [org_res] = resource(h, "ORGANIZATION")
    assert org_res["Value"] == org["Id"]
    children = {r["Type"]: r["Value"] for r in org_res["Resources"]}
    assert children == {
        "MASTER_EMAIL": MGMT_EMAIL,
        "MASTER_NAME": "localorg default account",
        "ORGANIZATION_FEATURE_SET": "ALL",
    }
    assert resource(h, "ACCOUNT") == [{"Type": "ACCOUNT", "Value": alice}]
    assert resource(h, "NOTES") == [{"Type": "NOTES", "Value": "Welcome aboard"}]
    # Both sides can describe it.
    assert orgs.describe_handshake(HandshakeId=h["Id"])["Handshake"] == h


def test_accept_joins_the_organization_under_the_root(orgs, server):
    org = new_org(orgs)
    alice, alice_orgs = standalone(server, "alice")
    h = invite(orgs, alice, Tags=[{"Key": "team", "Value": "blue"}])
    # The invitee sees it before joining (a standalone account may list its invitations).
    listed = alice_orgs.list_handshakes_for_account()["Handshakes"]
    assert [x["Id"] for x in listed] == [h["Id"]]
    assert alice_orgs.describe_handshake(HandshakeId=h["Id"])["Handshake"]["State"] == "OPEN"

    accepted = alice_orgs.accept_handshake(HandshakeId=h["Id"])["Handshake"]
    assert accepted["State"] == "ACCEPTED"
    assert accepted["Id"] == h["Id"]

    account = orgs.describe_account(AccountId=alice)["Account"]
    assert account["JoinedMethod"] == "INVITED"
    assert account["Status"] == "ACTIVE"
    assert account["Email"] == "alice@example.com"
    root = orgs.list_roots()["Roots"][0]
    assert orgs.list_parents(ChildId=alice)["Parents"] == [{"Id": root["Id"], "Type": "ROOT"}]
    assert alice_orgs.describe_organization()["Organization"]["Id"] == org["Id"]
    # The invitation's tags are attached to the account when it joins.
    tags = orgs.list_tags_for_resource(ResourceId=alice)["Tags"]
    assert tags == [{"Key": "team", "Value": "blue"}]
    # Accepted handshakes stay listed.
    states = {x["Id"]: x["State"] for x in orgs.list_handshakes_for_organization()["Handshakes"]}
    assert states == {h["Id"]: "ACCEPTED"}


def test_accept_attaches_default_policies(orgs, server):
    new_org(orgs)
    root = orgs.list_roots()["Roots"][0]["Id"]
    orgs.enable_policy_type(RootId=root, PolicyType="SERVICE_CONTROL_POLICY")
    alice, _ = join(server, orgs, "alice")
    policies = orgs.list_policies_for_target(TargetId=alice, Filter="SERVICE_CONTROL_POLICY")
    assert [p["Id"] for p in policies["Policies"]] == ["p-FullAWSAccess"]


def test_invite_by_email_is_case_insensitive(orgs, server):
    new_org(orgs)
    bob, key = signup(server, "Bob@Example.com", "bob")
    bob_orgs = server.client("organizations", key=key)
    h = invite(orgs, "bob@EXAMPLE.com", kind="EMAIL")
    assert {"Id": "bob@EXAMPLE.com", "Type": "EMAIL"} in h["Parties"]
    assert resource(h, "EMAIL") == [{"Type": "EMAIL", "Value": "bob@EXAMPLE.com"}]
    assert resource(h, "NOTES") == []
    assert [x["Id"] for x in bob_orgs.list_handshakes_for_account()["Handshakes"]] == [h["Id"]]
    # Inviting the same account again by id is a duplicate.
    assert_error(error(invite, orgs, bob), "DuplicateHandshakeException")
    bob_orgs.accept_handshake(HandshakeId=h["Id"])
    assert orgs.describe_account(AccountId=bob)["Account"]["JoinedMethod"] == "INVITED"


def test_invite_email_before_the_account_exists(orgs, server):
    new_org(orgs)
    h = invite(orgs, "later@example.com", kind="EMAIL")
    later, key = signup(server, "later@example.com", "later")
    later_orgs = server.client("organizations", key=key)
    assert [x["Id"] for x in later_orgs.list_handshakes_for_account()["Handshakes"]] == [h["Id"]]
    later_orgs.accept_handshake(HandshakeId=h["Id"])
    assert later in [a["Id"] for a in orgs.list_accounts()["Accounts"]]


def test_invite_errors(orgs, server):
    alice, alice_orgs = standalone(server, "alice")
    # Not in an organization.
    assert_error(error(invite, orgs, alice), "AWSOrganizationsNotInUseException")
    org = new_org(orgs)
    # A member can't invite.
    bob, bob_orgs = join(server, orgs, "bob")
    assert_error(error(invite, bob_orgs, alice), "AccessDeniedException")
    assert_error(
        error(invite, orgs, org["Id"], kind="ORGANIZATION"),
        "InvalidInputException",
        "INVALID_PARTY_TYPE_TARGET",
    )
    assert_error(
        error(invite, orgs, "alice@example.com", kind="ACCOUNT"),
        "InvalidInputException",
        "INVALID_PARTY_TYPE_TARGET",
    )
    assert_error(
        error(invite, orgs, "not-an-email", kind="EMAIL"),
        "InvalidInputException",
        "INVALID_EMAIL_ADDRESS_TARGET",
    )
    assert_error(error(invite, orgs, "123456789012"), "AccountNotFoundException")
    # Accounts already in this organization.
    for member in (MGMT, bob):
        assert_error(
            error(invite, orgs, member),
            "HandshakeConstraintViolationException",
            "ALREADY_IN_AN_ORGANIZATION",
        )
    assert_error(
        error(invite, orgs, "bob@example.com", kind="EMAIL"),
        "HandshakeConstraintViolationException",
        "ALREADY_IN_AN_ORGANIZATION",
    )
    # Tags are checked when the invitation is sent.
    assert_error(
        error(
            invite,
            orgs,
            alice,
            Tags=[{"Key": "a", "Value": "1"}, {"Key": "a", "Value": "2"}],
        ),
        "InvalidInputException",
        "DUPLICATE_TAG_KEY",
    )
    assert_error(
        error(invite, orgs, alice, Tags=[{"Key": "aws:x", "Value": "1"}]),
        "InvalidInputException",
        "INVALID_SYSTEM_TAGS_PARAMETER",
    )
    # One open invitation per account; a canceled one can be sent again.
    first = invite(orgs, alice)
    assert_error(error(invite, orgs, alice), "DuplicateHandshakeException")
    assert_error(error(invite, orgs, "ALICE@example.com", kind="EMAIL"), "DuplicateHandshakeException")
    orgs.cancel_handshake(HandshakeId=first["Id"])
    assert invite(orgs, alice)["State"] == "OPEN"


def test_invite_counts_toward_the_account_quota(server):
    from conftest import LocalorgServer

    srv = LocalorgServer("--max-accounts-per-org", "3")
    try:
        orgs = srv.client("organizations")
        new_org(orgs)
        a, a_key = signup(srv, "a@example.com", "a")
        b, _ = signup(srv, "b@example.com", "b")
        c, _ = signup(srv, "c@example.com", "c")
        invite(orgs, a)
        invite(orgs, b)
        # The management account and two open invitations fill a quota of 3.
        assert_error(
            error(invite, orgs, c),
            "HandshakeConstraintViolationException",
            "ACCOUNT_NUMBER_LIMIT_EXCEEDED",
        )
    finally:
        srv.stop()


def test_accepting_needs_the_account_to_be_outside_any_organization(orgs, server):
    new_org(orgs)
    carol, carol_orgs = standalone(server, "carol")
    carol_orgs.create_organization()
    # An account in another organization can be invited, but must leave before accepting.
    h = invite(orgs, carol)
    assert_error(
        error(carol_orgs.accept_handshake, HandshakeId=h["Id"]),
        "HandshakeConstraintViolationException",
        "ALREADY_IN_AN_ORGANIZATION",
    )
    carol_orgs.delete_organization()
    assert carol_orgs.accept_handshake(HandshakeId=h["Id"])["Handshake"]["State"] == "ACCEPTED"


# ---------------------------------------------------------------------------------------------
# Declining and canceling
# ---------------------------------------------------------------------------------------------


def test_decline(orgs, server):
    new_org(orgs)
    alice, alice_orgs = standalone(server, "alice")
    h = invite(orgs, alice)
    declined = alice_orgs.decline_handshake(HandshakeId=h["Id"])["Handshake"]
    assert declined["State"] == "DECLINED"
    assert orgs.describe_handshake(HandshakeId=h["Id"])["Handshake"]["State"] == "DECLINED"
    assert_error(
        error(alice_orgs.decline_handshake, HandshakeId=h["Id"]),
        "HandshakeAlreadyInStateException",
    )
    assert_error(
        error(alice_orgs.accept_handshake, HandshakeId=h["Id"]),
        "InvalidHandshakeTransitionException",
    )
    assert_error(
        error(orgs.cancel_handshake, HandshakeId=h["Id"]), "InvalidHandshakeTransitionException"
    )
    assert alice not in [a["Id"] for a in orgs.list_accounts()["Accounts"]]
    # A new invitation can follow a declined one.
    assert invite(orgs, alice)["State"] == "OPEN"


def test_cancel(orgs, server):
    new_org(orgs)
    alice, alice_orgs = standalone(server, "alice")
    h = invite(orgs, alice)
    canceled = orgs.cancel_handshake(HandshakeId=h["Id"])["Handshake"]
    assert canceled["State"] == "CANCELED"
    assert alice_orgs.describe_handshake(HandshakeId=h["Id"])["Handshake"]["State"] == "CANCELED"
    assert_error(
        error(orgs.cancel_handshake, HandshakeId=h["Id"]), "HandshakeAlreadyInStateException"
    )
    assert_error(
        error(alice_orgs.accept_handshake, HandshakeId=h["Id"]),
        "InvalidHandshakeTransitionException",
    )
    assert_error(
        error(alice_orgs.decline_handshake, HandshakeId=h["Id"]),
        "InvalidHandshakeTransitionException",
    )


def test_only_the_right_side_answers(orgs, server):
    new_org(orgs)
    alice, alice_orgs = standalone(server, "alice")
    _, eve_orgs = standalone(server, "eve")
    h = invite(orgs, alice)
    # The sender can't accept or decline its own invitation; the recipient can't cancel it.
    assert_error(error(orgs.accept_handshake, HandshakeId=h["Id"]), "AccessDeniedException")
    assert_error(error(orgs.decline_handshake, HandshakeId=h["Id"]), "AccessDeniedException")
    assert_error(error(alice_orgs.cancel_handshake, HandshakeId=h["Id"]), "AccessDeniedException")
    # A third account can't see it at all.
    for call in (
        eve_orgs.describe_handshake,
        eve_orgs.accept_handshake,
        eve_orgs.decline_handshake,
        eve_orgs.cancel_handshake,
    ):
        assert_error(error(call, HandshakeId=h["Id"]), "HandshakeNotFoundException")
    assert eve_orgs.list_handshakes_for_account()["Handshakes"] == []
    assert orgs.describe_handshake(HandshakeId=h["Id"])["Handshake"]["State"] == "OPEN"


def test_handshake_not_found(orgs):
    new_org(orgs)
    for call in (
        orgs.describe_handshake,
        orgs.accept_handshake,
        orgs.decline_handshake,
        orgs.cancel_handshake,
    ):
        assert_error(error(call, HandshakeId="h-0123456789"), "HandshakeNotFoundException")
    # The id pattern is checked before anything else.
    assert_error(error(orgs.describe_handshake, HandshakeId="nope"), "InvalidInputException")


# ---------------------------------------------------------------------------------------------
# Listing
# ---------------------------------------------------------------------------------------------


def test_list_handshakes_for_organization_pages_and_filters(orgs, server):
    new_org(orgs)
    sent = [invite(orgs, standalone(server, f"user{i}")[0])["Id"] for i in range(3)]
    first = orgs.list_handshakes_for_organization(MaxResults=2)
    assert len(first["Handshakes"]) == 2
    second = orgs.list_handshakes_for_organization(MaxResults=2, NextToken=first["NextToken"])
    assert len(second["Handshakes"]) == 1
    assert "NextToken" not in second
    listed = [h["Id"] for h in first["Handshakes"] + second["Handshakes"]]
    assert sorted(listed) == sorted(sent)
    assert_error(
        error(orgs.list_handshakes_for_organization, NextToken="garbage"),
        "InvalidInputException",
        "INVALID_PAGINATION_TOKEN",
    )
    invites = orgs.list_handshakes_for_organization(Filter={"ActionType": "INVITE"})
    assert len(invites["Handshakes"]) == 3
    none = orgs.list_handshakes_for_organization(Filter={"ActionType": "ENABLE_ALL_FEATURES"})
    assert none["Handshakes"] == []
    assert_error(
        error(
            orgs.list_handshakes_for_organization,
            Filter={"ActionType": "INVITE", "ParentHandshakeId": "h-0123456789"},
        ),
        "InvalidInputException",
        "MAX_FILTER_LIMIT_EXCEEDED",
    )
    # The paginator walks every page.
    pages = orgs.get_paginator("list_handshakes_for_organization").paginate(
        PaginationConfig={"PageSize": 1}
    )
    assert sorted(h["Id"] for p in pages for h in p["Handshakes"]) == sorted(sent)


def test_list_handshakes_for_organization_callers(orgs, server):
    _, solo_orgs = standalone(server, "solo")
    assert_error(error(solo_orgs.list_handshakes_for_organization), "AWSOrganizationsNotInUseException")
    new_org(orgs)
    _, bob_orgs = join(server, orgs, "bob")
    assert_error(error(bob_orgs.list_handshakes_for_organization), "AccessDeniedException")


def test_list_handshakes_for_account_across_organizations(orgs, server):
    new_org(orgs)
    alice, alice_orgs = standalone(server, "alice")
    _, dave_orgs = standalone(server, "dave")
    dave_orgs.create_organization()
    h1 = invite(orgs, alice)
    h2 = invite(dave_orgs, "alice@example.com", kind="EMAIL")
    listed = alice_orgs.list_handshakes_for_account()["Handshakes"]
    assert sorted(h["Id"] for h in listed) == sorted([h1["Id"], h2["Id"]])
    page = alice_orgs.list_handshakes_for_account(MaxResults=1)
    assert len(page["Handshakes"]) == 1
    rest = alice_orgs.list_handshakes_for_account(MaxResults=1, NextToken=page["NextToken"])
    assert len(rest["Handshakes"]) == 1
    assert "NextToken" not in rest
    assert {page["Handshakes"][0]["Id"], rest["Handshakes"][0]["Id"]} == {h1["Id"], h2["Id"]}
    assert_error(
        error(alice_orgs.list_handshakes_for_account, NextToken="garbage"),
        "InvalidInputException",
        "INVALID_PAGINATION_TOKEN",
    )
    filtered = alice_orgs.list_handshakes_for_account(Filter={"ActionType": "APPROVE_ALL_FEATURES"})
    assert filtered["Handshakes"] == []
    # The sender does not receive its own invitations.
    assert orgs.list_handshakes_for_account()["Handshakes"] == []
    # After joining one organization, the other invitation can't be accepted.
    alice_orgs.accept_handshake(HandshakeId=h1["Id"])
    assert_error(
        error(alice_orgs.accept_handshake, HandshakeId=h2["Id"]),
        "HandshakeConstraintViolationException",
        "ALREADY_IN_AN_ORGANIZATION",
    )


# ---------------------------------------------------------------------------------------------
# EnableAllFeatures
# ---------------------------------------------------------------------------------------------


def test_enable_all_features_whole_flow(orgs, server):
    org = new_org(orgs, "CONSOLIDATED_BILLING")
    alice, alice_orgs = join(server, orgs, "alice")
    bob, bob_orgs = join(server, orgs, "bob")
    carol, _ = standalone(server, "carol")

    parent = orgs.enable_all_features()["Handshake"]
    assert parent["Action"] == "ENABLE_ALL_FEATURES"
    assert parent["State"] == "REQUESTED"
    assert parent["Parties"] == [{"Id": org["Id"], "Type": "ORGANIZATION"}]
    assert parent["Resources"] == [{"Type": "ORGANIZATION", "Value": org["Id"]}]
    assert parent["Arn"] == (
        f"arn:aws:organizations::{MGMT}:handshake/{org['Id']}/enable_all_features/{parent['Id']}"
    )
    assert parent["ExpirationTimestamp"] - parent["RequestedTimestamp"] == datetime.timedelta(
        days=15
    )

    # While the change is pending: no invitations, no second request.
    assert_error(
        error(invite, orgs, carol),
        "HandshakeConstraintViolationException",
        "INVITE_DISABLED_DURING_ENABLE_ALL_FEATURES",
    )
    assert_error(
        error(orgs.enable_all_features),
        "HandshakeConstraintViolationException",
        "ORGANIZATION_IS_ALREADY_PENDING_ALL_FEATURES_MIGRATION",
    )

    # Each invited member got an approval request pointing at the parent.
    children = orgs.list_handshakes_for_organization(
        Filter={"ParentHandshakeId": parent["Id"]}
    )["Handshakes"]
    assert sorted(c["Parties"][1]["Id"] for c in children) == sorted([alice, bob])
    [alice_req] = alice_orgs.list_handshakes_for_account(
        Filter={"ActionType": "APPROVE_ALL_FEATURES"}
    )["Handshakes"]
    assert alice_req["State"] == "OPEN"
    assert resource(alice_req, "PARENT_HANDSHAKE") == [
        {"Type": "PARENT_HANDSHAKE", "Value": parent["Id"]}
    ]
    assert {"Id": alice, "Type": "ACCOUNT"} in alice_req["Parties"]
    [bob_req] = bob_orgs.list_handshakes_for_account(Filter={"ParentHandshakeId": parent["Id"]})[
        "Handshakes"
    ]

    # The management account finalizes only after every member approved.
    assert_error(
        error(orgs.accept_handshake, HandshakeId=parent["Id"]),
        "InvalidHandshakeTransitionException",
    )
    # Members are not parties to the organization's request, nor to each other's approvals.
    assert_error(
        error(alice_orgs.accept_handshake, HandshakeId=parent["Id"]), "HandshakeNotFoundException"
    )
    assert_error(
        error(alice_orgs.accept_handshake, HandshakeId=bob_req["Id"]), "HandshakeNotFoundException"
    )

    assert alice_orgs.accept_handshake(HandshakeId=alice_req["Id"])["Handshake"]["State"] == "ACCEPTED"
    assert orgs.describe_handshake(HandshakeId=parent["Id"])["Handshake"]["State"] == "REQUESTED"
    bob_orgs.accept_handshake(HandshakeId=bob_req["Id"])
    assert orgs.describe_handshake(HandshakeId=parent["Id"])["Handshake"]["State"] == "OPEN"
    assert orgs.describe_organization()["Organization"]["FeatureSet"] == "CONSOLIDATED_BILLING"

    done = orgs.accept_handshake(HandshakeId=parent["Id"])["Handshake"]
    assert done["State"] == "ACCEPTED"
    assert orgs.describe_organization()["Organization"]["FeatureSet"] == "ALL"
    assert_error(
        error(orgs.enable_all_features),
        "HandshakeConstraintViolationException",
        "ORGANIZATION_ALREADY_HAS_ALL_FEATURES",
    )
    # Invitations work again, and now carry the new feature set.
    h = invite(orgs, carol)
    [org_res] = resource(h, "ORGANIZATION")
    assert {"Type": "ORGANIZATION_FEATURE_SET", "Value": "ALL"} in org_res["Resources"]


def test_enable_all_features_created_accounts_approve_implicitly(orgs):
    new_org(orgs, "CONSOLIDATED_BILLING")
    orgs.create_account(Email="made@example.com", AccountName="made")
    parent = orgs.enable_all_features()["Handshake"]
    children = orgs.list_handshakes_for_organization(
        Filter={"ActionType": "APPROVE_ALL_FEATURES"}
    )["Handshakes"]
    assert children == []
    # Nobody has to approve: the management account can finalize at once.
    assert orgs.describe_handshake(HandshakeId=parent["Id"])["Handshake"]["State"] == "OPEN"
    orgs.accept_handshake(HandshakeId=parent["Id"])
    assert orgs.describe_organization()["Organization"]["FeatureSet"] == "ALL"


def test_enable_all_features_cancel_and_decline(orgs, server):
    new_org(orgs, "CONSOLIDATED_BILLING")
    alice, alice_orgs = join(server, orgs, "alice")
    parent = orgs.enable_all_features()["Handshake"]
    [req] = alice_orgs.list_handshakes_for_account()["Handshakes"][-1:]
    assert req["Action"] == "APPROVE_ALL_FEATURES"
    # A member declining leaves the request pending.
    alice_orgs.decline_handshake(HandshakeId=req["Id"])
    assert orgs.describe_handshake(HandshakeId=parent["Id"])["Handshake"]["State"] == "REQUESTED"
    # Canceling the request ends the process; the organization keeps its feature set.
    orgs.cancel_handshake(HandshakeId=parent["Id"])
    assert orgs.describe_handshake(HandshakeId=parent["Id"])["Handshake"]["State"] == "CANCELED"
    assert orgs.describe_organization()["Organization"]["FeatureSet"] == "CONSOLIDATED_BILLING"
    # Starting over sends fresh approvals; canceling cancels the open ones too.
    again = orgs.enable_all_features()["Handshake"]
    [fresh] = alice_orgs.list_handshakes_for_account(Filter={"ParentHandshakeId": again["Id"]})[
        "Handshakes"
    ]
    assert fresh["State"] == "OPEN"
    orgs.cancel_handshake(HandshakeId=again["Id"])
    assert alice_orgs.describe_handshake(HandshakeId=fresh["Id"])["Handshake"]["State"] == "CANCELED"
    solo, _ = standalone(server, "solo")
    assert invite(orgs, solo)["State"] == "OPEN"


def test_enable_all_features_callers(orgs, server):
    _, solo_orgs = standalone(server, "solo")
    assert_error(error(solo_orgs.enable_all_features), "AWSOrganizationsNotInUseException")
    new_org(orgs, "CONSOLIDATED_BILLING")
    _, bob_orgs = join(server, orgs, "bob")
    assert_error(error(bob_orgs.enable_all_features), "AccessDeniedException")


# ---------------------------------------------------------------------------------------------
# aws CLI
# ---------------------------------------------------------------------------------------------


def test_cli_invite_accept_and_list(server):
    aws_cli(server, "organizations", "create-organization")
    alice, key = signup(server, "alice@example.com", "alice")
    out = aws_cli(
        server,
        "organizations",
        "invite-account-to-organization",
        "--target",
        f"Id={alice},Type=ACCOUNT",
        "--notes",
        "hello",
    )
    handshake_id = out["Handshake"]["Id"]
    assert out["Handshake"]["State"] == "OPEN"
    listed = aws_cli(server, "organizations", "list-handshakes-for-account", key=key)
    assert [h["Id"] for h in listed["Handshakes"]] == [handshake_id]
    accepted = aws_cli(
        server, "organizations", "accept-handshake", "--handshake-id", handshake_id, key=key
    )
    assert accepted["Handshake"]["State"] == "ACCEPTED"
    accounts = aws_cli(server, "organizations", "list-accounts")["Accounts"]
    assert alice in [a["Id"] for a in accounts]
    failed = aws_cli(
        server,
        "organizations",
        "accept-handshake",
        "--handshake-id",
        handshake_id,
        key=key,
        check=False,
    )
    assert failed.returncode != 0
    assert "HandshakeAlreadyInStateException" in failed.stderr
