"""aws-sso-util against localorg's Identity Center: `login --headless` (the device code approved with
`localorg sso approve`), `roles` listing the assigned account and permission set, and
`credential-process` handing out credentials that act as the provisioned role. The tool reaches
localorg through botocore's AWS_ENDPOINT_URL."""
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import BIN, assigned_user

SSO_UTIL = str(Path(sys.executable).parent / "aws-sso-util")
PASSWORD = "password-123"


@pytest.fixture
def assigned(server):
    return assigned_user(server, "sso-util@example.com", "SsoUtil", PASSWORD)


def test_login_roles_and_credential_process(server, assigned, tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(HOME=str(tmp_path), AWS_ENDPOINT_URL=server.endpoint,
               AWS_CONFIG_FILE=str(tmp_path / "config"))
    login = subprocess.Popen([SSO_UTIL, "login", "--headless", assigned["start_url"], "us-east-1"], env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        code, seen, deadline = None, "", time.time() + 60
        while code is None and time.time() < deadline:
            line = login.stdout.readline()
            if not line:
                break
            seen += line
            found = re.search(r"\b([A-Z]{4}-[A-Z]{4})\b", line)
            code = found.group(1) if found else None
        assert code, seen
        approved = subprocess.run([BIN, "sso", "approve", "--user-code", code, "--username", "ann",
                                   "--password", PASSWORD, "--endpoint", server.endpoint],
                                  capture_output=True, text=True, timeout=30)
        assert approved.returncode == 0, approved.stderr
        out, _ = login.communicate(timeout=60)
    finally:
        if login.poll() is None:
            login.kill()
    assert login.returncode == 0, out
    assert "Login succeeded" in out

    roles = subprocess.run([SSO_UTIL, "roles", "--sso-start-url", assigned["start_url"], "--sso-region",
                            "us-east-1"], env=env, capture_output=True, text=True, timeout=60)
    assert roles.returncode == 0, roles.stderr
    assert re.search(rf"SsoUtil\s+{assigned['account']}\s+ReadOnly", roles.stdout), roles.stdout

    process = subprocess.run([SSO_UTIL, "credential-process", "--start-url", assigned["start_url"],
                              "--region", "us-east-1", "--account-id", assigned["account"],
                              "--role-name", "ReadOnly"], env=env, capture_output=True, text=True, timeout=60)
    assert process.returncode == 0, process.stderr
    creds = json.loads(process.stdout)
    assert creds["Version"] == 1 and creds["AccessKeyId"].startswith("ASIA")
    me = server.client("sts", key=(creds["AccessKeyId"], creds["SecretAccessKey"]),
                       session_token=creds["SessionToken"]).get_caller_identity()
    assert me["Arn"].startswith(f"arn:aws:sts::{assigned['account']}:assumed-role/AWSReservedSSO_ReadOnly_")
    assert me["Arn"].endswith("/ann")
