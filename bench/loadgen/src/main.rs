//! `localorg-loadgen`: a loopback-only load generator for localorg and moto_server. Every request
//! is signed with SigV4 (a fresh signature each time, through the real auth path); every run is
//! bounded by an op count and a wall-clock duration, and stops by itself. Results are one JSON
//! object per run (stdout, and appended to `--out` as JSON lines).

mod client;
mod s3;
mod stats;
mod target;
mod workloads;

use std::io::Write as _;
use std::process::{Command, ExitCode, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use clap::{Parser, Subcommand};
use serde_json::{json, Value};

use crate::client::{Conn, Creds, STS};
use crate::target::Endpoint;
use crate::workloads::{Failure, Limits, Workload};

/// Longest run accepted for any phase (seconds).
const MAX_DURATION_S: f64 = 900.0;
/// Most ops accepted for one run.
const MAX_OPS: u64 = 100_000_000;
/// Most connections accepted.
const MAX_CONNECTIONS: u64 = 256;
/// Largest s3-multipart object accepted, in MB (10 GB).
const MAX_SIZE_MB: u64 = 10 * 1024;

#[derive(Debug, Parser)]
#[command(
    name = "localorg-loadgen",
    about = "Loopback-only SigV4 load generator for localorg and moto_server"
)]
struct Cli {
    #[command(subcommand)]
    command: Cmd,
}

#[derive(Debug, clap::Args)]
struct Target {
    /// Server root, e.g. http://127.0.0.1:4566 (loopback only).
    #[arg(long, env = "LOADGEN_ENDPOINT")]
    endpoint: String,
    /// Access key id to sign with.
    #[arg(long, default_value = "test")]
    access_key: String,
    /// Secret access key to sign with.
    #[arg(long, default_value = "test")]
    secret_key: String,
    /// Signing region.
    #[arg(long, default_value = "us-east-1")]
    region: String,
    /// Label recorded in the JSON (e.g. `localorg` or `moto`).
    #[arg(long, default_value = "server")]
    label: String,
    /// Append the JSON result as one line to this file.
    #[arg(long)]
    out: Option<std::path::PathBuf>,
}

#[derive(Debug, Subcommand)]
enum Cmd {
    /// Set up, then run one workload for a bounded time and op count.
    Run {
        #[command(flatten)]
        target: Target,
        /// The workload.
        #[arg(long, value_enum)]
        workload: Workload,
        /// Concurrent connections (sequential workloads use one).
        #[arg(long, default_value_t = 4, value_parser = clap::value_parser!(u64).range(1..=MAX_CONNECTIONS))]
        connections: u64,
        /// Stop after this many seconds.
        #[arg(long, default_value_t = 5.0, value_parser = parse_duration)]
        duration: f64,
        /// Stop after this many ops (for create-accounts: the number of accounts).
        #[arg(long, default_value_t = 1_000_000, value_parser = clap::value_parser!(u64).range(1..=MAX_OPS))]
        count: u64,
        /// seed-accounts: grow the organization to this many accounts (including the management one).
        #[arg(long, default_value_t = 1000)]
        accounts: u64,
        /// s3-multipart: the object's size in MB (1 MB = 1,048,576 bytes), uploaded in 8 MB parts.
        #[arg(long, default_value_t = 1024, value_parser = clap::value_parser!(u64).range(1..=MAX_SIZE_MB))]
        size_mb: u64,
        /// Free-form tag recorded in the JSON (e.g. a phase name).
        #[arg(long, default_value = "")]
        tag: String,
        /// Round number recorded in the JSON.
        #[arg(long, default_value_t = 0)]
        round: u64,
    },
    /// Spawn a server command, and time until its first successful signed GetCallerIdentity.
    /// The child is killed when done.
    ColdStart {
        #[command(flatten)]
        target: Target,
        /// Give up after this many seconds.
        #[arg(long, default_value_t = 60.0, value_parser = parse_duration)]
        timeout: f64,
        /// The server command and its arguments (after `--`).
        #[arg(last = true, required = true)]
        command: Vec<String>,
    },
    /// `POST /moto-api/reset` (served by both moto_server and localorg): back to a fresh state.
    Reset {
        #[command(flatten)]
        target: Target,
    },
    /// Wait (bounded) until the endpoint answers a signed GetCallerIdentity.
    WaitReady {
        #[command(flatten)]
        target: Target,
        /// Give up after this many seconds.
        #[arg(long, default_value_t = 60.0, value_parser = parse_duration)]
        timeout: f64,
    },
}

/// A duration in seconds within (0, MAX_DURATION_S].
fn parse_duration(s: &str) -> Result<f64, String> {
    let v: f64 = s.parse().map_err(|_| format!("{s:?} is not a number"))?;
    if !(v > 0.0 && v <= MAX_DURATION_S) {
        return Err(format!("must be > 0 and <= {MAX_DURATION_S} seconds"));
    }
    Ok(v)
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("localorg-loadgen: runtime: {e}");
            return ExitCode::from(2);
        }
    };
    match runtime.block_on(dispatch(cli.command)) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("localorg-loadgen: {e}");
            ExitCode::from(2)
        }
    }
}

fn creds(t: &Target) -> Creds {
    Creds {
        access_key: t.access_key.clone(),
        secret_key: t.secret_key.clone(),
        token: None,
    }
}

fn emit(target: &Target, result: &Value) -> Result<(), String> {
    println!("{result}");
    if let Some(path) = &target.out {
        let mut f = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
            .map_err(|e| format!("{}: {e}", path.display()))?;
        writeln!(f, "{result}").map_err(|e| format!("{}: {e}", path.display()))?;
    }
    Ok(())
}

async fn dispatch(cmd: Cmd) -> Result<ExitCode, String> {
    match cmd {
        Cmd::Run {
            target,
            workload,
            connections,
            duration,
            count,
            accounts,
            size_mb,
            tag,
            round,
        } => {
            let endpoint = Endpoint::parse(&target.endpoint).map_err(|e| e.to_string())?;
            let mut result = json!({
                "label": target.label,
                "workload": workload.name(),
                "tag": tag,
                "round": round,
                "endpoint": endpoint.base_url(),
                "connections": if workload.sequential() { 1 } else { connections },
                "duration_limit_s": duration,
                "count_limit": count,
            });
            let t0 = Instant::now();
            let setup = workloads::setup(
                workload,
                &endpoint,
                &target.region,
                creds(&target),
                count,
                accounts,
                size_mb,
            )
            .await;
            let setup_s = stats::round3(t0.elapsed().as_secs_f64());
            let code = match setup {
                Err(f) => {
                    let (status, note) = match f {
                        Failure::NotImplemented(op) => ("not_implemented", op),
                        Failure::Error(e) => ("setup_failed", e),
                    };
                    set(&mut result, "status", json!(status));
                    set(&mut result, "note", json!(note));
                    set(&mut result, "setup_s", json!(setup_s));
                    ExitCode::from(if status == "not_implemented" { 0 } else { 1 })
                }
                Ok(prepared) => {
                    let prepared = Arc::new(prepared);
                    let limits = Limits {
                        connections,
                        duration: Duration::from_secs_f64(duration),
                        max_ops: count,
                    };
                    let deadline = Instant::now() + limits.duration;
                    let (mut rec, elapsed) =
                        workloads::measure(prepared.clone(), &endpoint, &target.region, &limits)
                            .await?;
                    let after = workloads::finish(
                        &prepared,
                        &endpoint,
                        &target.region,
                        &mut rec,
                        elapsed,
                        deadline,
                    )
                    .await;
                    let mut summary = rec.summary(elapsed);
                    if let (Value::Object(dst), Value::Object(src)) = (&mut result, &mut summary) {
                        dst.append(src);
                    }
                    set(&mut result, "setup_s", json!(setup_s));
                    let mut extra = prepared.extra.clone();
                    extra.extend(after);
                    if workload == Workload::ListAccounts {
                        extra.insert(
                            "accounts_seen".into(),
                            json!(prepared.seen.load(std::sync::atomic::Ordering::Relaxed)),
                        );
                    }
                    set(&mut result, "extra", Value::Object(extra));
                    let (status, code) = if let Some(op) = &rec.not_implemented {
                        set(&mut result, "note", json!(op));
                        ("not_implemented", 0)
                    } else if rec.ok == 0 && rec.error_count() == 0 {
                        ("no_ops", 0)
                    } else if rec.error_count() > 0 {
                        ("errors", 1)
                    } else {
                        ("ok", 0)
                    };
                    set(&mut result, "status", json!(status));
                    ExitCode::from(code)
                }
            };
            let summary = summary_line(&result);
            eprintln!("{summary}");
            emit(&target, &result)?;
            Ok(code)
        }
        Cmd::ColdStart {
            target,
            timeout,
            command,
        } => {
            let endpoint = Endpoint::parse(&target.endpoint).map_err(|e| e.to_string())?;
            let (program, args) = command
                .split_first()
                .ok_or_else(|| "no command given".to_owned())?;
            let started = Instant::now();
            let mut child = Command::new(program)
                .args(args)
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .map_err(|e| format!("spawn {program}: {e}"))?;
            let ready = wait_ready(&endpoint, &target, Duration::from_secs_f64(timeout)).await;
            let elapsed = started.elapsed();
            let _ = child.kill();
            let _ = child.wait();
            let result = json!({
                "label": target.label,
                "workload": "cold-start",
                "endpoint": endpoint.base_url(),
                "status": if ready.is_ok() { "ok" } else { "timeout" },
                "cold_start_ms": stats::round3(elapsed.as_secs_f64() * 1000.0),
                "note": ready.err().unwrap_or_default(),
            });
            eprintln!("{}", summary_line(&result));
            emit(&target, &result)?;
            Ok(ExitCode::SUCCESS)
        }
        Cmd::Reset { target } => {
            let endpoint = Endpoint::parse(&target.endpoint).map_err(|e| e.to_string())?;
            let status = Conn::new(endpoint, &target.region)
                .post_unsigned("/moto-api/reset")
                .await?;
            if (200..300).contains(&status) {
                Ok(ExitCode::SUCCESS)
            } else {
                Err(format!("reset answered HTTP {status}"))
            }
        }
        Cmd::WaitReady { target, timeout } => {
            let endpoint = Endpoint::parse(&target.endpoint).map_err(|e| e.to_string())?;
            wait_ready(&endpoint, &target, Duration::from_secs_f64(timeout)).await?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// Polls a signed GetCallerIdentity (a fresh connection each try, 1 ms apart) until it succeeds.
async fn wait_ready(endpoint: &Endpoint, target: &Target, timeout: Duration) -> Result<(), String> {
    let deadline = Instant::now() + timeout;
    let creds = creds(target);
    let mut last = String::new();
    while Instant::now() < deadline {
        let mut conn = Conn::new(endpoint.clone(), &target.region);
        let a = conn
            .call(STS, "GetCallerIdentity", &json!({}), &creds)
            .await;
        if a.ok() {
            return Ok(());
        }
        last = a.error.unwrap_or_default();
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
    Err(format!("not ready after {timeout:?} (last: {last})"))
}

/// Sets `key` on a JSON object.
fn set(v: &mut Value, key: &str, value: Value) {
    if let Value::Object(m) = v {
        m.insert(key.to_owned(), value);
    }
}

/// A one-line human summary for stderr.
fn summary_line(r: &Value) -> String {
    let s = |k: &str| match r.get(k) {
        Some(Value::String(v)) => v.clone(),
        Some(v) => v.to_string(),
        None => String::new(),
    };
    let lat = r.get("latency_us").cloned().unwrap_or(Value::Null);
    format!(
        "[{}] {} {}: status={} ops={} reqs={} errors={} req/s={} ops/s={} p50={}us p90={}us p99={}us max={}us cold_start_ms={} {}",
        s("label"),
        s("workload"),
        s("tag"),
        s("status"),
        s("ops"),
        s("requests"),
        s("errors"),
        s("requests_per_s"),
        s("ops_per_s"),
        lat.get("p50").map(Value::to_string).unwrap_or_default(),
        lat.get("p90").map(Value::to_string).unwrap_or_default(),
        lat.get("p99").map(Value::to_string).unwrap_or_default(),
        lat.get("max").map(Value::to_string).unwrap_or_default(),
        s("cold_start_ms"),
        s("note"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn run_arguments_parse_with_defaults_and_bounds() {
        let cli = Cli::try_parse_from([
            "localorg-loadgen",
            "run",
            "--endpoint",
            "http://127.0.0.1:4566",
            "--workload",
            "describe-organization",
        ])
        .unwrap();
        let Cmd::Run {
            target,
            workload,
            connections,
            duration,
            count,
            ..
        } = cli.command
        else {
            panic!("not run")
        };
        assert_eq!(workload, Workload::DescribeOrganization);
        assert_eq!((connections, duration, count), (4, 5.0, 1_000_000));
        assert_eq!(target.access_key, "test");
        assert_eq!(target.region, "us-east-1");

        for bad in [
            vec!["--duration", "0"],
            vec!["--duration", "100000"],
            vec!["--duration", "-1"],
            vec!["--connections", "0"],
            vec!["--connections", "100000"],
            vec!["--count", "0"],
            vec!["--workload", "no-such-workload"],
            vec!["--size-mb", "0"],
            vec!["--size-mb", "20000"],
        ] {
            let mut args = vec![
                "localorg-loadgen",
                "run",
                "--endpoint",
                "http://127.0.0.1:1",
                "--workload",
                "get-caller-identity",
            ];
            args.extend(bad.iter().copied());
            assert!(Cli::try_parse_from(&args).is_err(), "{bad:?} accepted");
        }
    }

    #[test]
    fn s3_workloads_parse_by_name() {
        for (name, want) in [
            ("s3-put-4k", Workload::S3Put4k),
            ("s3-get-4k", Workload::S3Get4k),
            ("s3-multipart", Workload::S3Multipart),
        ] {
            let cli = Cli::try_parse_from([
                "localorg-loadgen",
                "run",
                "--endpoint",
                "http://127.0.0.1:4566",
                "--workload",
                name,
            ])
            .unwrap();
            let Cmd::Run {
                workload, size_mb, ..
            } = cli.command
            else {
                panic!("not run")
            };
            assert_eq!((workload, workload.name(), size_mb), (want, name, 1024));
        }
    }

    #[test]
    fn cold_start_takes_a_trailing_command() {
        let cli = Cli::try_parse_from([
            "localorg-loadgen",
            "cold-start",
            "--endpoint",
            "http://127.0.0.1:4566",
            "--",
            "localorg",
            "serve",
            "--in-memory",
        ])
        .unwrap();
        let Cmd::ColdStart { command, .. } = cli.command else {
            panic!("not cold-start")
        };
        assert_eq!(command, ["localorg", "serve", "--in-memory"]);
    }

    #[test]
    fn a_remote_target_is_refused_before_any_request() {
        let cli = Cli::try_parse_from([
            "localorg-loadgen",
            "run",
            "--endpoint",
            "http://93.184.216.34:80",
            "--workload",
            "get-caller-identity",
            "--duration",
            "1",
        ])
        .unwrap();
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let err = rt.block_on(dispatch(cli.command)).unwrap_err();
        assert!(err.contains("non-loopback"), "{err}");
    }
}
