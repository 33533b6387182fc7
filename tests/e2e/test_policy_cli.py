"""`localorg policy validate|evaluate`: test policies before deploying them."""
import json
import subprocess

from conftest import BIN

ALLOW_GET = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}


def run(*args, stdin=None):
    return subprocess.run([BIN, "policy", *args], input=stdin, capture_output=True, text=True, timeout=30)


def test_validate_accepts_a_good_identity_policy(tmp_path):
    f = tmp_path / "p.json"
    f.write_text(json.dumps(ALLOW_GET))
    out = run("validate", str(f), "--type", "identity", "--json")
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["valid"] is True


def test_validate_rejects_a_principal_in_an_scp(tmp_path):
    doc = {"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Principal": "*", "Action": "*", "Resource": "*"}]}
    f = tmp_path / "scp.json"
    f.write_text(json.dumps(doc))
    out = run("validate", str(f), "--type", "scp", "--json")
    assert out.returncode == 1
    findings = json.loads(out.stdout)["findings"]
    assert any(x["severity"] == "ERROR" for x in findings)


def test_evaluate_names_the_deciding_scp_statement():
    line = {
        "principal": {"arn": "arn:aws:iam::111122223333:user/alice", "account": "111122223333", "type": "User"},
        "action": "s3:GetObject",
        "resource": "arn:aws:s3:::bucket/key",
        "resourceAccount": "111122223333",
        "context": {},
        "identityPolicies": [ALLOW_GET],
        "permissionBoundary": None,
        "sessionPolicies": [],
        "resourcePolicy": None,
        "scps": [[{"id": "p-denys3", "document": {"Version": "2012-10-17", "Statement": [
            {"Sid": "NoS3", "Effect": "Deny", "Action": "s3:*", "Resource": "*"}]}}]],
        "rcps": [],
    }
    allowed = dict(line, scps=[])
    out = run("evaluate", stdin=json.dumps(line) + "\n" + json.dumps(allowed) + "\n")
    assert out.returncode == 0, out.stderr
    first, second = [json.loads(x) for x in out.stdout.splitlines()]
    assert first["decision"] == "ExplicitDeny"
    assert first["deciding"][0]["policy"] == "p-denys3" and first["deciding"][0]["sid"] == "NoS3"
    assert "with an explicit deny in a service control policy" in first["message"]
    assert second["decision"] == "Allow"


def test_evaluate_reports_a_bad_line_and_goes_on():
    out = run("evaluate", stdin='{"nonsense": true}\n')
    assert out.returncode == 1
    assert "error" in json.loads(out.stdout.splitlines()[0])
