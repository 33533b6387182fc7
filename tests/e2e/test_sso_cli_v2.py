"""`aws sso login` with AWS CLI v2 (Debian's `awscli` package): an `[sso-session]` profile pointed at
localorg through `localorg sso cli-config` (botocore endpoint rule sets under AWS_DATA_PATH: that CLI
has no endpoint settings for its login client), the device code approved with `localorg sso approve`,
then `aws --profile … sts get-caller-identity` answers as the provisioned role in the assigned
account."""
import os
import re
import shutil
import subprocess
import time

import pytest

from conftest import BIN, assigned_user

AWS_V2 = "/usr/bin/aws"
PASSWORD = "password-123"


def aws_v2_available():
    if not os.path.exists(AWS_V2):
        return False
    out = subprocess.run([AWS_V2, "--version"], capture_output=True, text=True, timeout=60)
    return out.stdout.startswith("aws-cli/2.")


pytestmark = pytest.mark.skipif(
    not aws_v2_available() and os.environ.get("CI") != "true",
    reason="AWS CLI v2 is not installed (scripts/test.sh installs Debian's awscli)",
)


@pytest.fixture
def assigned(server):
    return assigned_user(server, "cli-v2@example.com", "CliV2", PASSWORD,
                         managed=["arn:aws:iam::aws:policy/ReadOnlyAccess"])


def test_aws_sso_login_then_the_profile_acts_as_the_assigned_role(server, assigned, tmp_path):
    home = tmp_path / "home"
    (home / ".aws").mkdir(parents=True)
    (home / ".aws" / "config").write_text(
        "[profile dev]\n"
        "sso_session = local\n"
        f"sso_account_id = {assigned['account']}\n"
        "sso_role_name = ReadOnly\n"
        "region = us-east-1\n\n"
        "[sso-session local]\n"
        f"sso_start_url = {server.endpoint}/start/{assigned['store']}\n"
        "sso_region = us-east-1\n"
        "sso_registration_scopes = sso:account:access\n"
    )
    data = home / "aws-data"
    printed = subprocess.run([BIN, "sso", "cli-config", "--endpoint", server.endpoint, "--dir", str(data)],
                             check=True, capture_output=True, text=True, timeout=30).stdout
    assert printed.strip() == f"export AWS_DATA_PATH={data}"
    env = {"HOME": str(home), "PATH": "/usr/bin:/bin", "AWS_DATA_PATH": str(data),
           "AWS_CONFIG_FILE": str(home / ".aws" / "config"), "AWS_PAGER": ""}
    login = subprocess.Popen([AWS_V2, "sso", "login", "--no-browser", "--profile", "dev"], env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        code, seen, deadline = None, "", time.time() + 60
        while code is None and time.time() < deadline:
            line = login.stdout.readline()
            if not line:
                break
            seen += line
            found = re.search(r"\b([A-Z]{4}-[A-Z]{4})\b", line)
            code = found.group(1) if found else None
        assert code, f"no user code in: {seen!r}"
        assert f"{server.endpoint}/start/device" in seen
        approved = subprocess.run([BIN, "sso", "approve", "--user-code", code, "--username", "ann",
                                   "--password", PASSWORD, "--endpoint", server.endpoint],
                                  capture_output=True, text=True, timeout=30)
        assert approved.returncode == 0, approved.stderr
        out, err = login.communicate(timeout=60)
    finally:
        if login.poll() is None:
            login.kill()
    assert login.returncode == 0, err
    assert "Successfully logged into Start URL" in out
    who = subprocess.run([AWS_V2, "--profile", "dev", "sts", "get-caller-identity", "--output", "json"],
                         env=env, capture_output=True, text=True, timeout=60)
    assert who.returncode == 0, who.stderr
    assert f'"Account": "{assigned["account"]}"' in who.stdout
    assert re.search(rf"arn:aws:sts::{assigned['account']}:assumed-role/AWSReservedSSO_ReadOnly_[0-9a-f]{{16}}/ann",
                     who.stdout), who.stdout
    shutil.rmtree(home / ".aws" / "sso", ignore_errors=True)
