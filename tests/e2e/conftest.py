"""End-to-end harness: a real `localorg serve` on a free loopback port, driven by real AWS clients.

The binary comes from $LOCALORG_BIN (scripts/test.sh sets it) or target/debug/localorg.
One server per test session (in-memory state); every test starts from a fresh partition via
POST /_localorg/reset. Tests that need their own server (durability, restarts) use `LocalorgServer`.
"""
import json
import os
import re
import signal
import subprocess
import time
import urllib.request
from pathlib import Path

import boto3
import botocore.config
import pytest

ROOT = Path(__file__).resolve().parents[2]
BIN = os.environ.get("LOCALORG_BIN", str(ROOT / "target" / "debug" / "localorg"))
DEFAULT_KEY = ("test", "test")
REGION = "us-east-1"
LISTEN_RE = re.compile(r"listening on (http://127\.0\.0\.1:\d+)")


class LocalorgServer:
    """A `localorg serve` child process bound to 127.0.0.1 on a port the OS picks."""

    def __init__(self, *args, data_dir=None):
        cmd = [BIN, "serve", "--listen", "127.0.0.1:0"]
        cmd += ["--data-dir", str(data_dir)] if data_dir else ["--in-memory"]
        cmd += list(args)
        self.proc = subprocess.Popen(
            cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, bufsize=1
        )
        self.endpoint = None
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            line = self.proc.stdout.readline()
            if not line:
                break
            m = LISTEN_RE.search(line)
            if m:
                self.endpoint = m.group(1)
                break
        if not self.endpoint:
            self.proc.kill()
            raise RuntimeError(f"localorg did not start: {cmd}")
        # Drain stdout so the server never blocks on a full pipe.
        self._drain = subprocess.Popen(["cat"], stdin=self.proc.stdout, stdout=subprocess.DEVNULL)

    def admin(self, path, body=None):
        data = json.dumps(body).encode() if body is not None else b""
        req = urllib.request.Request(self.endpoint + path, data=data, method="POST")
        req.add_header("Content-Type", "application/json")
        with urllib.request.urlopen(req, timeout=10) as resp:
            text = resp.read()
            return json.loads(text) if text else None

    def client(self, service, key=DEFAULT_KEY, region=REGION, session_token=None, **kw):
        return boto3.client(
            service,
            endpoint_url=self.endpoint,
            region_name=region,
            aws_access_key_id=key[0],
            aws_secret_access_key=key[1],
            aws_session_token=session_token,
            config=botocore.config.Config(retries={"max_attempts": 1}, **kw),
        )

    def kill(self, sig=signal.SIGKILL):
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
            self.proc.wait(timeout=15)
        self._drain.wait(timeout=5)

    def stop(self):
        self.kill(signal.SIGTERM)


@pytest.fixture(scope="session")
def server():
    srv = LocalorgServer()
    yield srv
    srv.stop()


@pytest.fixture(autouse=True)
def _fresh_partition(request):
    """Every test starts from a fresh partition on the shared server."""
    if "server" in request.fixturenames:
        request.getfixturevalue("server").admin("/_localorg/reset")


@pytest.fixture
def orgs(server):
    """Organizations client as the root user of the default account 000000000000."""
    return server.client("organizations")


def signup(server, email, name):
    """Creates a standalone account through the admin endpoint; returns its root credentials."""
    out = server.admin("/_localorg/signup", {"Email": email, "AccountName": name})
    return out["AccountId"], (out["AccessKeyId"], out["SecretAccessKey"])


def aws_cli(server, *args, key=DEFAULT_KEY, check=True):
    """Runs the aws CLI (v1, from the venv) against the server; returns parsed JSON output."""
    env = dict(os.environ)
    env.update(
        AWS_ACCESS_KEY_ID=key[0],
        AWS_SECRET_ACCESS_KEY=key[1],
        AWS_DEFAULT_REGION=REGION,
        AWS_ENDPOINT_URL=server.endpoint,
        AWS_CONFIG_FILE="/dev/null",
        AWS_SHARED_CREDENTIALS_FILE="/dev/null",
        AWS_MAX_ATTEMPTS="1",
    )
    env.pop("AWS_PROFILE", None)
    venv_aws = Path(os.sys.executable).parent / "aws"
    cmd = [str(venv_aws) if venv_aws.exists() else "aws", *args, "--output", "json"]
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=60)
    if check and proc.returncode != 0:
        raise AssertionError(f"aws {' '.join(args)} failed ({proc.returncode}): {proc.stderr}")
    if proc.returncode != 0:
        return proc
    return json.loads(proc.stdout) if proc.stdout.strip() else {}


def localorg_sso(server, *args, key=DEFAULT_KEY, check=True):
    """`localorg sso …` against the server, signed (where it signs) with `key` from the environment."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(AWS_ACCESS_KEY_ID=key[0], AWS_SECRET_ACCESS_KEY=key[1], AWS_REGION=REGION)
    done = subprocess.run([BIN, "sso", *args, "--endpoint", server.endpoint], env=env,
                          capture_output=True, text=True, timeout=60)
    if check:
        assert done.returncode == 0, done.stderr
    return done


def assigned_user(server, email, account_name, password, managed=()):
    """An organization with one created member account, the organization's Identity Center instance,
    the user `ann` (with `password`) and the permission set `ReadOnly` (with the AWS managed
    policies `managed`) assigned to her in the member account."""
    orgs = server.client("organizations")
    orgs.create_organization(FeatureSet="ALL")
    status = orgs.create_account(Email=email, AccountName=account_name)["CreateAccountStatus"]
    account = orgs.describe_create_account_status(CreateAccountRequestId=status["Id"])[
        "CreateAccountStatus"]["AccountId"]
    sso, ids = server.client("sso-admin"), server.client("identitystore")
    arn = sso.create_instance(Name="org")["InstanceArn"]
    store = sso.describe_instance(InstanceArn=arn)["IdentityStoreId"]
    user = ids.create_user(IdentityStoreId=store, UserName="ann", DisplayName="Ann Lee",
                           Name={"GivenName": "Ann", "FamilyName": "Lee"})["UserId"]
    ps = sso.create_permission_set(InstanceArn=arn, Name="ReadOnly")["PermissionSet"]["PermissionSetArn"]
    for policy in managed:
        sso.attach_managed_policy_to_permission_set(InstanceArn=arn, PermissionSetArn=ps,
                                                    ManagedPolicyArn=policy)
    sso.create_account_assignment(InstanceArn=arn, TargetId=account, TargetType="AWS_ACCOUNT",
                                  PermissionSetArn=ps, PrincipalType="USER", PrincipalId=user)
    localorg_sso(server, "set-password", "--identity-store-id", store, "--username", "ann",
                 "--password", password)
    return {"account": account, "store": store, "start_url": f"{server.endpoint}/start/{store}"}
