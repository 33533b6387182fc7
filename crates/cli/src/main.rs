//! `localorg`: the AWS multi-account control plane as one local binary.
//!
//! `localorg serve` runs the server; the other subcommands are client-side tools that talk to a
//! running server's admin endpoints (`/_localorg/...`) or work offline (`policy`).

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

mod trail;

use clap::{Args, Parser, Subcommand, ValueEnum};
use localorg_server::{AuthMode, ServeConfig};

/// The AWS multi-account control plane (Organizations, IAM, STS, Identity Center, ...) on your machine.
#[derive(Debug, Parser)]
#[command(name = "localorg", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Runs the server: real AWS clients talk to it as they would to AWS.
    Serve(ServeArgs),
    /// Creates a new standalone account, as signing up on the AWS website does, and prints its root
    /// user's credentials.
    Signup(SignupArgs),
    /// Account tools.
    #[command(subcommand)]
    Account(AccountCommand),
    /// Policy tools: validate and evaluate IAM policies offline, before deploying them.
    #[command(subcommand)]
    Policy(PolicyCommand),
    /// IAM Identity Center tools: users' passwords, approving a sign-in (`aws sso login`).
    #[command(subcommand)]
    Sso(SsoCommand),
    /// CloudTrail tools: who did what, and why it was allowed or denied.
    #[command(subcommand)]
    Trail(TrailCommand),
}

#[derive(Debug, Subcommand)]
enum TrailCommand {
    /// Prints the recorded events of the credentials' account (LookupEvents, signed with the AWS
    /// credentials of the environment) in the Region of `AWS_REGION`, oldest first: time, account,
    /// principal, service:operation, and allowed or denied with the deciding policy and statement.
    Tail {
        /// Only events of this account (LookupEvents answers for the credentials' account).
        #[arg(long)]
        account: Option<String>,
        /// Only denied calls.
        #[arg(long)]
        denied: bool,
        /// Keep printing new events as they are recorded (Ctrl-C to stop).
        #[arg(long)]
        follow: bool,
        /// How many of the latest events to print first.
        #[arg(long, default_value_t = 50)]
        max: usize,
        #[command(flatten)]
        endpoint: Endpoint,
    },
}

#[derive(Debug, Subcommand)]
enum SsoCommand {
    /// Sets the password an identity store user signs in to the access portal with, as an
    /// administrator of the instance: signed with the AWS credentials of the environment
    /// (`AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`), which need
    /// `identitystore:UpdateUser` in the account that owns the instance.
    SetPassword {
        /// The identity store (`d-…`); by default the instance of the credentials' account.
        #[arg(long, conflicts_with = "instance")]
        identity_store_id: Option<String>,
        /// The instance (`arn:aws:sso:::instance/ssoins-…`), instead of its identity store.
        #[arg(long)]
        instance: Option<String>,
        /// The user's `UserName`.
        #[arg(long)]
        username: String,
        /// The new password (at least 8 characters).
        #[arg(long)]
        password: String,
        #[command(flatten)]
        endpoint: Endpoint,
    },
    /// Points AWS CLI v2 (and other botocore-based tools without endpoint settings, such as
    /// `aws sso login`) at localorg: writes endpoint rule sets for every service localorg plays
    /// into DIR and prints the `AWS_DATA_PATH` line to export.
    CliConfig {
        /// The localorg server.
        #[arg(
            long,
            default_value = "http://127.0.0.1:4566",
            env = "AWS_ENDPOINT_URL"
        )]
        endpoint: String,
        /// Where to write the rule sets (default: `$HOME/.localorg/aws-data`).
        #[arg(long)]
        dir: Option<PathBuf>,
    },
    /// Approves a device code (`aws sso login` prints it) as the user, exactly as the sign-in page
    /// does; exits non-zero when the code or the password is wrong.
    Approve {
        /// The code the client shows (`ABCD-EFGH`).
        #[arg(long)]
        user_code: String,
        /// The user's `UserName`.
        #[arg(long)]
        username: String,
        /// The user's password.
        #[arg(long)]
        password: String,
        /// The current code of the user's MFA device, if it registered one.
        #[arg(long)]
        totp: Option<String>,
        #[command(flatten)]
        endpoint: Endpoint,
    },
    /// Issues a SCIM bearer token for an identity store: external identity providers push users
    /// and groups to `<endpoint>/scim/v2/` with it.
    ScimToken {
        /// The identity store (`d-…`) of the instance.
        #[arg(long)]
        identity_store_id: String,
        #[command(flatten)]
        endpoint: Endpoint,
    },
    /// Registers a virtual MFA device for an identity store user and prints its Base32 seed (and
    /// the otpauth URI an authenticator app reads): signing in then needs a TOTP code.
    RegisterMfa {
        /// The identity store (`d-…`) of the instance.
        #[arg(long)]
        identity_store_id: String,
        /// The user's `UserName`.
        #[arg(long)]
        username: String,
        #[command(flatten)]
        endpoint: Endpoint,
    },
}

#[derive(Debug, Args)]
struct ServeArgs {
    /// Address to listen on (`127.0.0.1:0` picks a free port).
    #[arg(long, default_value = "127.0.0.1:4566", env = "LOCALORG_LISTEN")]
    listen: SocketAddr,
    /// Directory of the durable state (SQLite, WAL).
    #[arg(
        long,
        default_value = ".localorg",
        env = "LOCALORG_DATA_DIR",
        conflicts_with = "in_memory"
    )]
    data_dir: PathBuf,
    /// Keep all state in memory (gone when the server stops).
    #[arg(long)]
    in_memory: bool,
    /// `enforce`: every request must be signed with a key localorg issued and is authorized by the
    /// policy engine. `permissive`: unknown keys act as the root user of --default-account.
    #[arg(long, value_enum, default_value_t = Auth::Enforce, env = "LOCALORG_AUTH")]
    auth: Auth,
    /// The standalone account that exists from the start (root key `test` / secret `test`).
    #[arg(long, default_value = "000000000000")]
    default_account: String,
    /// How many accounts one organization may hold (AWS's own default quota is 10; raise-able).
    #[arg(long, default_value_t = 10_000, env = "LOCALORG_MAX_ACCOUNTS_PER_ORG")]
    max_accounts_per_org: usize,
    /// Treat requests as made over TLS (`aws:SecureTransport` true), for policies that deny
    /// insecure transport (localorg itself listens on plain HTTP).
    #[arg(long, env = "LOCALORG_SECURE_TRANSPORT")]
    secure_transport: bool,
    /// Seconds between trail deliveries to S3 (AWS takes about 5 minutes).
    #[arg(long, default_value_t = 10, env = "LOCALORG_TRAIL_DELIVERY_INTERVAL")]
    trail_delivery_interval: u64,
    /// Do not record calls as CloudTrail events (LookupEvents and trails then see nothing).
    #[arg(long, env = "LOCALORG_NO_EVENT_RECORDING")]
    no_event_recording: bool,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum Auth {
    Enforce,
    Permissive,
}

#[derive(Debug, Args)]
struct Endpoint {
    /// The localorg server to talk to.
    #[arg(
        long,
        default_value = "http://127.0.0.1:4566",
        env = "AWS_ENDPOINT_URL"
    )]
    endpoint: String,
    /// Print JSON instead of text.
    #[arg(long)]
    json: bool,
}

#[derive(Debug, Args)]
struct SignupArgs {
    /// The root user's email address (unique across all accounts).
    #[arg(long)]
    email: String,
    /// The account name.
    #[arg(long)]
    name: String,
    #[command(flatten)]
    endpoint: Endpoint,
}

#[derive(Debug, Subcommand)]
enum AccountCommand {
    /// Completes the standalone sign-up of an account an organization created (so it may leave the
    /// organization), and prints root user credentials for it.
    CompleteSignup {
        /// The 12-digit account id.
        #[arg(long)]
        account_id: String,
        #[command(flatten)]
        endpoint: Endpoint,
    },
}

#[derive(Debug, Subcommand)]
enum PolicyCommand {
    /// Validates a policy document; exit code 1 when it has errors.
    Validate {
        /// The policy document (JSON file).
        file: PathBuf,
        /// What kind of policy the document is.
        #[arg(long = "type", value_enum)]
        kind: PolicyKind,
        /// Print findings as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Evaluates requests given as JSON lines (from FILE or stdin), one JSON decision per line.
    Evaluate {
        /// A `.jsonl` file; stdin when absent.
        file: Option<PathBuf>,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum PolicyKind {
    Identity,
    Resource,
    Trust,
    Boundary,
    Session,
    Scp,
    Rcp,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Serve(args) => serve(args),
        Command::Signup(args) => admin_call(
            &args.endpoint,
            "/_localorg/signup",
            serde_json::json!({"Email": args.email, "AccountName": args.name}),
        ),
        Command::Account(AccountCommand::CompleteSignup {
            account_id,
            endpoint,
        }) => admin_call(
            &endpoint,
            "/_localorg/complete-signup",
            serde_json::json!({"AccountId": account_id}),
        ),
        Command::Policy(cmd) => policy(cmd),
        Command::Trail(TrailCommand::Tail {
            account,
            denied,
            follow,
            max,
            endpoint,
        }) => trail::tail(
            &trail::Filter {
                account,
                denied,
                max,
            },
            follow,
            &endpoint.endpoint,
            endpoint.json,
        ),
        Command::Sso(SsoCommand::SetPassword {
            identity_store_id,
            instance,
            username,
            password,
            endpoint,
        }) => signed_admin_call(
            &endpoint,
            "/_localorg/sso/set-password",
            serde_json::json!({
                "IdentityStoreId": identity_store_id,
                "InstanceArn": instance,
                "UserName": username,
                "Password": password,
            }),
        ),
        Command::Sso(SsoCommand::CliConfig { endpoint, dir }) => cli_config(&endpoint, dir),
        Command::Sso(SsoCommand::Approve {
            user_code,
            username,
            password,
            totp,
            endpoint,
        }) => admin_call(
            &endpoint,
            "/_localorg/sso/approve",
            serde_json::json!({
                "UserCode": user_code,
                "UserName": username,
                "Password": password,
                "Totp": totp,
            }),
        ),
        Command::Sso(SsoCommand::ScimToken {
            identity_store_id,
            endpoint,
        }) => admin_call(
            &endpoint,
            "/_localorg/sso/scim-token",
            serde_json::json!({"IdentityStoreId": identity_store_id}),
        ),
        Command::Sso(SsoCommand::RegisterMfa {
            identity_store_id,
            username,
            endpoint,
        }) => admin_call(
            &endpoint,
            "/_localorg/sso/register-mfa",
            serde_json::json!({"IdentityStoreId": identity_store_id, "UserName": username}),
        ),
    };
    match result {
        Ok(code) => code,
        Err(message) => {
            eprintln!("localorg: {message}");
            ExitCode::from(2)
        }
    }
}

fn serve(args: ServeArgs) -> Result<ExitCode, String> {
    // One log line per request: written by a background thread so requests never wait on stderr.
    let (writer, _flush_on_exit) = tracing_appender::non_blocking(std::io::stderr());
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("LOCALORG_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .with_writer(writer)
        .with_ansi(false)
        .init();
    let config = ServeConfig {
        listen: args.listen,
        data_dir: (!args.in_memory).then_some(args.data_dir),
        auth: match args.auth {
            Auth::Enforce => AuthMode::Enforce,
            Auth::Permissive => AuthMode::Permissive,
        },
        default_account: args.default_account,
        settings: localorg_server::Settings {
            max_accounts_per_organization: args.max_accounts_per_org,
            secure_transport: args.secure_transport,
        },
        event_recording: !args.no_event_recording,
        trail_delivery_interval: std::time::Duration::from_secs(
            args.trail_delivery_interval.max(1),
        ),
    };
    let runtime =
        tokio::runtime::Runtime::new().map_err(|e| format!("cannot start runtime: {e}"))?;
    runtime
        .block_on(localorg_server::serve(config))
        .map_err(|e| e.to_string())?;
    Ok(ExitCode::SUCCESS)
}

/// Writes botocore endpoint rule sets that send every service localorg plays to `endpoint` (an
/// explicit `--endpoint-url` still wins), and prints the `AWS_DATA_PATH` line.
fn cli_config(endpoint: &str, dir: Option<PathBuf>) -> Result<ExitCode, String> {
    let dir = match dir {
        Some(dir) => dir,
        None => std::env::var_os("HOME")
            .map(|home| PathBuf::from(home).join(".localorg").join("aws-data"))
            .ok_or("HOME is not set: pass --dir")?,
    };
    let endpoint = endpoint.trim_end_matches('/');
    let builtin = |name: &str, kind: &str| serde_json::json!({"builtIn": name, "required": false, "type": kind, "documentation": ""});
    let flag = |name: &str| {
        serde_json::json!({
            "builtIn": name, "required": true, "default": false, "type": "Boolean", "documentation": ""
        })
    };
    let parameters = serde_json::json!({
        "Region": builtin("AWS::Region", "String"),
        "UseDualStack": flag("AWS::UseDualStack"),
        "UseFIPS": flag("AWS::UseFIPS"),
        "Endpoint": builtin("SDK::Endpoint", "String"),
    });
    let endpoint_of =
        |url: serde_json::Value| serde_json::json!({"url": url, "properties": {}, "headers": {}});
    let rule_set = serde_json::json!({
        "version": "1.0",
        "parameters": parameters,
        "rules": [
            {
                "conditions": [{"fn": "isSet", "argv": [{"ref": "Endpoint"}]}],
                "endpoint": endpoint_of(serde_json::json!({"ref": "Endpoint"})),
                "type": "endpoint"
            },
            {"conditions": [], "endpoint": endpoint_of(serde_json::json!(endpoint)), "type": "endpoint"}
        ]
    });
    let text = serde_json::to_string_pretty(&rule_set).map_err(|e| e.to_string())?;
    for service in localorg_model::Service::ALL {
        let version = &service.model().metadata.api_version;
        let folder = dir.join(service.model_name()).join(version);
        std::fs::create_dir_all(&folder)
            .map_err(|e| format!("cannot create {}: {e}", folder.display()))?;
        let file = folder.join("endpoint-rule-set-1.json");
        std::fs::write(&file, &text)
            .map_err(|e| format!("cannot write {}: {e}", file.display()))?;
    }
    println!("export AWS_DATA_PATH={}", dir.display());
    Ok(ExitCode::SUCCESS)
}

/// Calls an admin endpoint that acts for an AWS principal: the request is SigV4-signed with the
/// credentials of the environment.
fn signed_admin_call(
    endpoint: &Endpoint,
    path: &str,
    body: serde_json::Value,
) -> Result<ExitCode, String> {
    let (url, response) = signed_post(
        &endpoint.endpoint,
        path,
        "identitystore",
        &[("content-type", "application/json")],
        &body.to_string(),
    )?;
    print_answer(endpoint, &url, response)
}

/// POSTs `payload` to `path`, SigV4-signed for `service` with the credentials of the environment
/// (`AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`, `AWS_REGION`).
fn signed_post(
    endpoint: &str,
    path: &str,
    service: &str,
    extra_headers: &[(&str, &str)],
    payload: &str,
) -> Result<(String, ureq::http::Response<ureq::Body>), String> {
    use aws_sigv4::http_request::{sign, SignableBody, SignableRequest, SigningSettings};
    let env = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
    let (Some(key), Some(secret)) = (env("AWS_ACCESS_KEY_ID"), env("AWS_SECRET_ACCESS_KEY")) else {
        return Err("set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY".to_owned());
    };
    let region = env("AWS_REGION")
        .or_else(|| env("AWS_DEFAULT_REGION"))
        .unwrap_or_else(|| "us-east-1".to_owned());
    let base = endpoint.trim_end_matches('/');
    let url = format!("{base}{path}");
    let host = base
        .split_once("://")
        .map_or(base, |(_, rest)| rest)
        .to_owned();
    let identity: aws_smithy_runtime_api::client::identity::Identity =
        aws_credential_types::Credentials::new(
            key,
            secret,
            env("AWS_SESSION_TOKEN"),
            None,
            "localorg",
        )
        .into();
    let params = aws_sigv4::sign::v4::SigningParams::builder()
        .identity(&identity)
        .region(&region)
        .name(service)
        .time(std::time::SystemTime::now())
        .settings(SigningSettings::default())
        .build()
        .map_err(|e| format!("cannot sign: {e}"))?
        .into();
    let mut headers = vec![("host", host.as_str())];
    headers.extend_from_slice(extra_headers);
    let signable = SignableRequest::new(
        "POST",
        url.as_str(),
        headers.iter().copied(),
        SignableBody::Bytes(payload.as_bytes()),
    )
    .map_err(|e| format!("cannot sign: {e}"))?;
    let (instructions, _) = sign(signable, &params)
        .map_err(|e| format!("cannot sign: {e}"))?
        .into_parts();
    let mut request = ureq::post(&url)
        .config()
        .http_status_as_error(false)
        .build();
    for (name, value) in extra_headers {
        request = request.header(*name, *value);
    }
    for (name, value) in instructions.headers() {
        request = request.header(name, value);
    }
    let response = request
        .send(payload.as_bytes())
        .map_err(|e| format!("cannot reach {url}: {e}"))?;
    Ok((url, response))
}

/// Calls an admin endpoint of a running server and prints its answer.
fn admin_call(
    endpoint: &Endpoint,
    path: &str,
    body: serde_json::Value,
) -> Result<ExitCode, String> {
    let url = format!("{}{}", endpoint.endpoint.trim_end_matches('/'), path);
    let response = ureq::post(&url)
        .config()
        .http_status_as_error(false)
        .build()
        .send_json(&body)
        .map_err(|e| format!("cannot reach {url}: {e}"))?;
    print_answer(endpoint, &url, response)
}

/// Prints an admin endpoint's JSON answer (an error's message on failure).
fn print_answer(
    endpoint: &Endpoint,
    url: &str,
    response: ureq::http::Response<ureq::Body>,
) -> Result<ExitCode, String> {
    let status = response.status();
    let answer: serde_json::Value = response
        .into_body()
        .read_json()
        .map_err(|e| format!("unexpected answer from {url}: {e}"))?;
    if !status.is_success() {
        let message = answer
            .get("message")
            .and_then(|m| m.as_str())
            .unwrap_or("request failed");
        return Err(message.to_owned());
    }
    if endpoint.json {
        println!("{answer:#}");
    } else if let Some(fields) = answer.as_object() {
        for (key, value) in fields {
            println!(
                "{key}: {}",
                value
                    .as_str()
                    .map_or_else(|| value.to_string(), str::to_owned)
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn policy(cmd: PolicyCommand) -> Result<ExitCode, String> {
    use localorg_policy::PolicyType;
    match cmd {
        PolicyCommand::Validate { file, kind, json } => {
            let text = std::fs::read_to_string(&file)
                .map_err(|e| format!("cannot read {}: {e}", file.display()))?;
            let kind = match kind {
                PolicyKind::Identity => PolicyType::Identity,
                PolicyKind::Resource => PolicyType::Resource,
                PolicyKind::Trust => PolicyType::Trust,
                PolicyKind::Boundary => PolicyType::Boundary,
                PolicyKind::Session => PolicyType::Session,
                PolicyKind::Scp => PolicyType::Scp,
                PolicyKind::Rcp => PolicyType::Rcp,
            };
            let valid = localorg_policy::cli::validate(&text, kind, json, std::io::stdout().lock())
                .map_err(|e| format!("cannot write: {e}"))?;
            Ok(if valid {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            })
        }
        PolicyCommand::Evaluate { file } => {
            let output = std::io::stdout().lock();
            let stats = match file {
                Some(path) => {
                    let f = std::fs::File::open(&path)
                        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
                    localorg_policy::evaluate_jsonl(std::io::BufReader::new(f), output)
                }
                None => localorg_policy::evaluate_jsonl(std::io::stdin().lock(), output),
            }
            .map_err(|e| format!("evaluation failed: {e}"))?;
            Ok(if stats.errors == 0 {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            })
        }
    }
}
