"""Organizations OUs: create/describe/update/delete, the parent/child tree, depth and name rules."""
import re

import pytest
from botocore.exceptions import ClientError

from conftest import aws_cli, signup


def error(excinfo):
    return excinfo.value.response["Error"]


def new_org(orgs):
    org = orgs.create_organization(FeatureSet="ALL")["Organization"]
    root = orgs.list_roots()["Roots"][0]
    return org, root


def create_ou(orgs, parent_id, name, **kw):
    return orgs.create_organizational_unit(ParentId=parent_id, Name=name, **kw)[
        "OrganizationalUnit"
    ]


def create_account(orgs, email, name="acct"):
    resp = orgs.create_account(Email=email, AccountName=name)["CreateAccountStatus"]
    return orgs.describe_create_account_status(CreateAccountRequestId=resp["Id"])[
        "CreateAccountStatus"
    ]["AccountId"]


def member_client(server, orgs, email):
    account_id = create_account(orgs, email, "member")
    out = server.admin("/_localorg/complete-signup", {"AccountId": account_id})
    return account_id, server.client(
        "organizations", key=(out["AccessKeyId"], out["SecretAccessKey"])
    )


def test_create_and_describe_ou(orgs):
    org, root = new_org(orgs)
    ou = create_ou(orgs, root["Id"], "Engineering", Tags=[{"Key": "team", "Value": "eng"}])
    suffix = root["Id"][2:]
    assert re.match(rf"^ou-{suffix}-[a-z0-9]{{8}}$", ou["Id"])
    assert ou["Name"] == "Engineering"
    assert ou["Arn"] == f"arn:aws:organizations::000000000000:ou/{org['Id']}/{ou['Id']}"
    described = orgs.describe_organizational_unit(OrganizationalUnitId=ou["Id"])[
        "OrganizationalUnit"
    ]
    assert described == ou
    assert orgs.list_tags_for_resource(ResourceId=ou["Id"])["Tags"] == [
        {"Key": "team", "Value": "eng"}
    ]
    assert orgs.list_parents(ChildId=ou["Id"])["Parents"] == [{"Id": root["Id"], "Type": "ROOT"}]


def test_create_ou_errors(orgs, server):
    with pytest.raises(ClientError) as e:
        orgs.create_organizational_unit(ParentId="r-abcd", Name="x")
    assert error(e)["Code"] == "AWSOrganizationsNotInUseException"
    _, root = new_org(orgs)
    create_ou(orgs, root["Id"], "dup")
    with pytest.raises(ClientError) as e:
        create_ou(orgs, root["Id"], "dup")
    assert error(e)["Code"] == "DuplicateOrganizationalUnitException"
    # The same name under another parent is fine.
    other = create_ou(orgs, root["Id"], "other")
    create_ou(orgs, other["Id"], "dup")
    for parent_id in ("r-zzzz", "ou-zzzz-12345678"):
        with pytest.raises(ClientError) as e:
            create_ou(orgs, parent_id, "x")
        assert error(e)["Code"] == "ParentNotFoundException"
    with pytest.raises(ClientError) as e:
        create_ou(orgs, "not-a-parent", "x")
    assert error(e)["Code"] == "InvalidInputException"
    # Invalid tags fail the whole request: nothing is created.
    with pytest.raises(ClientError) as e:
        create_ou(orgs, root["Id"], "tagged",
                  Tags=[{"Key": "a", "Value": "1"}, {"Key": "a", "Value": "2"}])
    assert error(e)["Code"] == "InvalidInputException"
    assert e.value.response["Reason"] == "DUPLICATE_TAG_KEY"
    names = {o["Name"] for o in orgs.list_organizational_units_for_parent(ParentId=root["Id"])[
        "OrganizationalUnits"]}
    assert names == {"dup", "other"}

    _, member = member_client(server, orgs, "m@example.com")
    with pytest.raises(ClientError) as e:
        member.create_organizational_unit(ParentId=root["Id"], Name="nope")
    assert error(e)["Code"] == "AccessDeniedException"
    with pytest.raises(ClientError) as e:
        member.list_children(ParentId=root["Id"], ChildType="ACCOUNT")
    assert error(e)["Code"] == "AccessDeniedException"


def test_ou_depth_limit(orgs):
    _, root = new_org(orgs)
    parent = root["Id"]
    chain = []
    for level in range(1, 6):
        ou = create_ou(orgs, parent, f"level{level}")
        chain.append(ou["Id"])
        parent = ou["Id"]
    with pytest.raises(ClientError) as e:
        create_ou(orgs, parent, "level6")
    assert error(e)["Code"] == "ConstraintViolationException"
    assert e.value.response["Reason"] == "OU_DEPTH_LIMIT_EXCEEDED"
    # Each level's parent is the level above; the first level's is the root.
    expected = [{"Id": root["Id"], "Type": "ROOT"}] + [
        {"Id": ou_id, "Type": "ORGANIZATIONAL_UNIT"} for ou_id in chain[:-1]
    ]
    for ou_id, parent_ref in zip(chain, expected):
        assert orgs.list_parents(ChildId=ou_id)["Parents"] == [parent_ref]


def test_update_ou(orgs, server):
    _, root = new_org(orgs)
    a = create_ou(orgs, root["Id"], "a")
    create_ou(orgs, root["Id"], "b")
    renamed = orgs.update_organizational_unit(OrganizationalUnitId=a["Id"], Name="alpha")[
        "OrganizationalUnit"
    ]
    assert renamed["Name"] == "alpha" and renamed["Id"] == a["Id"] and renamed["Arn"] == a["Arn"]
    assert orgs.describe_organizational_unit(OrganizationalUnitId=a["Id"])[
        "OrganizationalUnit"]["Name"] == "alpha"
    # The old name is free again.
    create_ou(orgs, root["Id"], "a")
    with pytest.raises(ClientError) as e:
        orgs.update_organizational_unit(OrganizationalUnitId=a["Id"], Name="b")
    assert error(e)["Code"] == "DuplicateOrganizationalUnitException"
    # Renaming to its own name is a no-op.
    same = orgs.update_organizational_unit(OrganizationalUnitId=a["Id"], Name="alpha")
    assert same["OrganizationalUnit"]["Name"] == "alpha"
    with pytest.raises(ClientError) as e:
        orgs.update_organizational_unit(OrganizationalUnitId="ou-zzzz-12345678", Name="x")
    assert error(e)["Code"] == "OrganizationalUnitNotFoundException"
    _, member = member_client(server, orgs, "m@example.com")
    with pytest.raises(ClientError) as e:
        member.update_organizational_unit(OrganizationalUnitId=a["Id"], Name="y")
    assert error(e)["Code"] == "AccessDeniedException"


def test_delete_ou(orgs):
    _, root = new_org(orgs)
    parent = create_ou(orgs, root["Id"], "parent", Tags=[{"Key": "k", "Value": "v"}])
    child = create_ou(orgs, parent["Id"], "child")
    with pytest.raises(ClientError) as e:
        orgs.delete_organizational_unit(OrganizationalUnitId=parent["Id"])
    assert error(e)["Code"] == "OrganizationalUnitNotEmptyException"

    acct = create_account(orgs, "in-child@example.com")
    orgs.move_account(AccountId=acct, SourceParentId=root["Id"], DestinationParentId=child["Id"])
    with pytest.raises(ClientError) as e:
        orgs.delete_organizational_unit(OrganizationalUnitId=child["Id"])
    assert error(e)["Code"] == "OrganizationalUnitNotEmptyException"
    orgs.move_account(AccountId=acct, SourceParentId=child["Id"], DestinationParentId=root["Id"])

    orgs.delete_organizational_unit(OrganizationalUnitId=child["Id"])
    orgs.delete_organizational_unit(OrganizationalUnitId=parent["Id"])
    for ou_id in (child["Id"], parent["Id"]):
        with pytest.raises(ClientError) as e:
            orgs.describe_organizational_unit(OrganizationalUnitId=ou_id)
        assert error(e)["Code"] == "OrganizationalUnitNotFoundException"
    with pytest.raises(ClientError) as e:
        orgs.delete_organizational_unit(OrganizationalUnitId=parent["Id"])
    assert error(e)["Code"] == "OrganizationalUnitNotFoundException"
    with pytest.raises(ClientError) as e:
        orgs.list_tags_for_resource(ResourceId=parent["Id"])
    assert error(e)["Code"] == "TargetNotFoundException"
    # Its name can be reused.
    create_ou(orgs, root["Id"], "parent")
    assert orgs.list_organizational_units_for_parent(ParentId=root["Id"])[
        "OrganizationalUnits"][0]["Name"] == "parent"


def test_list_ous_for_parent_paginates(orgs):
    _, root = new_org(orgs)
    made = {create_ou(orgs, root["Id"], f"ou{i}")["Id"] for i in range(7)}
    nested = create_ou(orgs, next(iter(made)), "nested")
    seen = []
    resp = orgs.list_organizational_units_for_parent(ParentId=root["Id"], MaxResults=3)
    seen += resp["OrganizationalUnits"]
    while "NextToken" in resp:
        assert len(resp["OrganizationalUnits"]) == 3
        resp = orgs.list_organizational_units_for_parent(
            ParentId=root["Id"], MaxResults=3, NextToken=resp["NextToken"]
        )
        seen += resp["OrganizationalUnits"]
    ids = [o["Id"] for o in seen]
    assert len(ids) == len(set(ids)) == 7 and set(ids) == made
    assert nested["Id"] not in ids
    with pytest.raises(ClientError) as e:
        orgs.list_organizational_units_for_parent(ParentId=root["Id"], NextToken="bogus!!")
    assert error(e)["Code"] == "InvalidInputException"
    with pytest.raises(ClientError) as e:
        orgs.list_organizational_units_for_parent(ParentId="ou-zzzz-12345678")
    assert error(e)["Code"] == "ParentNotFoundException"


def test_list_children(orgs):
    _, root = new_org(orgs)
    ous = {create_ou(orgs, root["Id"], f"ou{i}")["Id"] for i in range(3)}
    accounts = {create_account(orgs, f"c{i}@example.com") for i in range(4)}
    accounts.add("000000000000")

    kids = orgs.list_children(ParentId=root["Id"], ChildType="ORGANIZATIONAL_UNIT")["Children"]
    assert {c["Id"] for c in kids} == ous
    assert {c["Type"] for c in kids} == {"ORGANIZATIONAL_UNIT"}

    seen = []
    resp = orgs.list_children(ParentId=root["Id"], ChildType="ACCOUNT", MaxResults=2)
    seen += resp["Children"]
    while "NextToken" in resp:
        resp = orgs.list_children(ParentId=root["Id"], ChildType="ACCOUNT", MaxResults=2,
                                  NextToken=resp["NextToken"])
        seen += resp["Children"]
    assert sorted(c["Id"] for c in seen) == sorted(accounts)
    assert {c["Type"] for c in seen} == {"ACCOUNT"}

    paged = [
        c["Id"]
        for page in orgs.get_paginator("list_children").paginate(
            ParentId=root["Id"], ChildType="ACCOUNT", PaginationConfig={"PageSize": 3}
        )
        for c in page["Children"]
    ]
    assert sorted(paged) == sorted(accounts)

    empty = next(iter(ous))
    assert orgs.list_children(ParentId=empty, ChildType="ACCOUNT")["Children"] == []
    with pytest.raises(ClientError) as e:
        orgs.list_children(ParentId="ou-zzzz-12345678", ChildType="ACCOUNT")
    assert error(e)["Code"] == "ParentNotFoundException"
    with pytest.raises(ClientError) as e:
        orgs.list_children(ParentId=root["Id"], ChildType="BUCKET")
    assert error(e)["Code"] == "InvalidInputException"
    with pytest.raises(ClientError) as e:
        orgs.list_children(ParentId=root["Id"], ChildType="ACCOUNT", NextToken="xyz")
    assert error(e)["Code"] == "InvalidInputException"


def test_list_parents_errors(orgs, server):
    new_org(orgs)
    for child in ("123456789012", "ou-zzzz-12345678"):
        with pytest.raises(ClientError) as e:
            orgs.list_parents(ChildId=child)
        assert error(e)["Code"] == "ChildNotFoundException"
    # A standalone account is not a child of this organization.
    solo_id, solo_key = signup(server, "solo@example.com", "solo")
    with pytest.raises(ClientError) as e:
        orgs.list_parents(ChildId=solo_id)
    assert error(e)["Code"] == "ChildNotFoundException"
    solo = server.client("organizations", key=solo_key)
    with pytest.raises(ClientError) as e:
        solo.list_parents(ChildId=solo_id)
    assert error(e)["Code"] == "AWSOrganizationsNotInUseException"


def test_cli_ou_tree(server):
    aws_cli(server, "organizations", "create-organization")
    root_id = aws_cli(server, "organizations", "list-roots")["Roots"][0]["Id"]
    ou = aws_cli(
        server, "organizations", "create-organizational-unit",
        "--parent-id", root_id, "--name", "Workloads",
    )["OrganizationalUnit"]
    listed = aws_cli(
        server, "organizations", "list-organizational-units-for-parent", "--parent-id", root_id
    )["OrganizationalUnits"]
    assert listed == [ou]
    children = aws_cli(
        server, "organizations", "list-children",
        "--parent-id", root_id, "--child-type", "ORGANIZATIONAL_UNIT",
    )["Children"]
    assert children == [{"Id": ou["Id"], "Type": "ORGANIZATIONAL_UNIT"}]
