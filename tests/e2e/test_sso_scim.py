"""SCIM v2 for external identity providers: a per-store bearer token (`localorg sso scim-token`),
Users and Groups created, read, listed with `filter=… eq "…"`, replaced, patched (group members
included) and deleted over plain HTTP as Okta or Entra ID send them; users pushed over SCIM are
identitystore users; errors are RFC 7644 bodies."""
import json
import subprocess
import urllib.error
import urllib.parse
import urllib.request

import pytest

from conftest import BIN

ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"


@pytest.fixture
def scim(server):
    sso = server.client("sso-admin")
    store = sso.describe_instance(InstanceArn=sso.create_instance()["InstanceArn"])["IdentityStoreId"]
    out = subprocess.run([BIN, "sso", "scim-token", "--identity-store-id", store, "--json",
                          "--endpoint", server.endpoint], check=True, capture_output=True, text=True, timeout=30)
    token = json.loads(out.stdout)["Token"]

    def call(method, path, body=None, token=token):
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(f"{server.endpoint}/scim/v2/{path}", data=data, method=method)
        req.add_header("Content-Type", "application/scim+json")
        if token:
            req.add_header("Authorization", f"Bearer {token}")
        try:
            with urllib.request.urlopen(req, timeout=10) as resp:
                text = resp.read()
                return resp.status, json.loads(text) if text else None
        except urllib.error.HTTPError as e:
            text = e.read()
            return e.code, json.loads(text) if text else None

    call.store = store
    return call


def new_user(scim, user_name, **extra):
    body = {"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "userName": user_name,
            "displayName": user_name.title(), "name": {"givenName": user_name.title(), "familyName": "Doe"},
            "emails": [{"value": f"{user_name}@example.com", "type": "work", "primary": True}],
            "active": True, **extra}
    status, user = scim("POST", "Users", body)
    assert status == 201, user
    return user


def test_service_provider_config_and_the_token_are_required(server, scim):
    status, config = scim("GET", "ServiceProviderConfig")
    assert status == 200 and config["patch"]["supported"] is True and config["filter"]["supported"] is True
    status, error = scim("GET", "Users", token=None)
    assert status == 401 and error["schemas"] == ["urn:ietf:params:scim:api:messages:2.0:Error"]
    status, _ = scim("GET", "Users", token="forged")
    assert status == 401


def test_users_pushed_over_scim_are_identity_store_users(server, scim):
    user = new_user(scim, "ann", externalId="okta-00u1", **{ENTERPRISE: {"costCenter": "42"}})
    assert user["userName"] == "ann" and user["externalId"] == "okta-00u1"
    assert user["name"] == {"givenName": "Ann", "familyName": "Doe"}
    assert user["meta"]["resourceType"] == "User"
    assert user["meta"]["location"] == f"{server.endpoint}/scim/v2/Users/{user['id']}"
    assert user[ENTERPRISE] == {"costCenter": "42"}
    ids = server.client("identitystore")
    described = ids.describe_user(IdentityStoreId=scim.store, UserId=user["id"])
    assert described["UserName"] == "ann"
    assert described["ExternalIds"] == [{"Issuer": "scim", "Id": "okta-00u1"}]
    found = ids.get_user_id(IdentityStoreId=scim.store, AlternateIdentifier={
        "ExternalId": {"Issuer": "scim", "Id": "okta-00u1"}})
    assert found["UserId"] == user["id"]


def test_list_with_a_filter_and_paging(server, scim):
    for name in ("ann", "bob", "cid"):
        new_user(scim, name)
    status, listed = scim("GET", "Users?" + urllib.parse.urlencode({"filter": 'userName eq "BOB"'}))
    assert status == 200 and listed["totalResults"] == 1
    assert [u["userName"] for u in listed["Resources"]] == ["bob"]
    status, page = scim("GET", "Users?startIndex=2&count=1")
    assert page["totalResults"] == 3 and page["itemsPerPage"] == 1 and page["startIndex"] == 2
    status, error = scim("GET", "Users?" + urllib.parse.urlencode({"filter": 'userName sw "a"'}))
    assert status == 400 and error["scimType"] == "invalidFilter"


def test_duplicates_and_missing_resources_are_rfc7644_errors(server, scim):
    new_user(scim, "ann")
    status, error = scim("POST", "Users", {"userName": "ANN", "displayName": "x",
                                          "name": {"givenName": "a", "familyName": "b"}})
    assert status == 409 and error["scimType"] == "uniqueness" and error["status"] == "409"
    status, error = scim("GET", "Users/ffffffffff-00000000-0000-4000-a000-000000000000")
    assert status == 404 and error["status"] == "404"


def test_put_patch_and_delete_a_user(server, scim):
    user = new_user(scim, "dan")
    status, replaced = scim("PUT", f"Users/{user['id']}", {
        "userName": "dan", "displayName": "Daniel", "name": {"givenName": "Daniel", "familyName": "Doe"},
        "active": True})
    assert status == 200 and replaced["displayName"] == "Daniel" and "emails" not in replaced
    status, patched = scim("PATCH", f"Users/{user['id']}", {
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        "Operations": [{"op": "replace", "path": "name.givenName", "value": "Dani"},
                       {"op": "replace", "value": {"title": "Engineer"}},
                       {"op": "replace", "path": "active", "value": False}]})
    assert status == 200
    assert patched["name"]["givenName"] == "Dani" and patched["title"] == "Engineer"
    assert patched["active"] is False
    ids = server.client("identitystore")
    assert ids.describe_user(IdentityStoreId=scim.store, UserId=user["id"])["UserStatus"] == "DISABLED"
    status, _ = scim("DELETE", f"Users/{user['id']}")
    assert status == 204
    status, _ = scim("GET", f"Users/{user['id']}")
    assert status == 404


def test_groups_and_their_members(server, scim):
    ann, bob = new_user(scim, "ann"), new_user(scim, "bob")
    status, group = scim("POST", "Groups", {"displayName": "devs", "members": [{"value": ann["id"]}]})
    assert status == 201 and group["displayName"] == "devs"
    ids = server.client("identitystore")

    def members():
        out = ids.list_group_memberships(IdentityStoreId=scim.store, GroupId=group["id"])
        return sorted(m["MemberId"]["UserId"] for m in out["GroupMemberships"])

    assert members() == [ann["id"]]
    scim("PATCH", f"Groups/{group['id']}", {"Operations": [
        {"op": "add", "path": "members", "value": [{"value": bob["id"]}]}]})
    assert members() == sorted([ann["id"], bob["id"]])
    scim("PATCH", f"Groups/{group['id']}", {"Operations": [
        {"op": "remove", "path": f'members[value eq "{ann["id"]}"]'}]})
    assert members() == [bob["id"]]
    status, renamed = scim("PATCH", f"Groups/{group['id']}", {"Operations": [
        {"op": "replace", "path": "displayName", "value": "developers"}]})
    assert status == 200 and renamed["displayName"] == "developers"
    status, listed = scim("GET", "Groups?" + urllib.parse.urlencode({"filter": 'displayName eq "developers"'}))
    assert [g["id"] for g in listed["Resources"]] == [group["id"]]
    status, _ = scim("DELETE", f"Groups/{group['id']}")
    assert status == 204
    assert ids.list_groups(IdentityStoreId=scim.store)["Groups"] == []
