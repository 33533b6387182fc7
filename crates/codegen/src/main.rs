//! `cargo run -p codegen`: generates `crates/model/src/generated/` from the vendored botocore models
//! in `crates/model/models/`. `cargo run -p codegen -- --check` exits 1 when the committed output
//! differs from what would be generated (CI runs it).
//!
//! The output is rustfmt-formatted (rustfmt runs as a subprocess, with the workspace's rustfmt
//! config if there is one) and deterministic: models are read in file-name order, shapes, members
//! and operations in name order.

#[allow(
    dead_code,
    reason = "shared with localorg-model; codegen reads only part of it"
)]
#[path = "../../model/src/botocore.rs"]
#[rustfmt::skip] // owned by localorg-model: `cargo fmt -p codegen` must not reformat it
mod botocore;
mod emit;
mod naming;
mod tables;

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};

use serde::Deserialize;

use crate::botocore::ServiceModel;
use crate::emit::ServiceInput;

fn main() -> ExitCode {
    let mut check = false;
    for arg in std::env::args().skip(1) {
        match arg.as_str() {
            "--check" => check = true,
            "-h" | "--help" => {
                println!("usage: codegen [--check]\n  writes crates/model/src/generated/ from crates/model/models/;\n  --check: exit 1 if the committed files differ instead of writing");
                return ExitCode::SUCCESS;
            }
            other => {
                eprintln!("codegen: unknown argument `{other}` (try --help)");
                return ExitCode::from(2);
            }
        }
    }
    match run(check) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(e) => {
            eprintln!("codegen: {e}");
            ExitCode::from(2)
        }
    }
}

/// The workspace root (two levels above this crate).
fn workspace_root() -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join("..");
    root.canonicalize().unwrap_or(root)
}

/// Fields of a shape that `botocore.rs` does not type.
#[derive(Deserialize)]
struct ExtraShape {
    #[serde(default)]
    fault: bool,
}

#[derive(Deserialize)]
struct ExtraModel {
    shapes: BTreeMap<String, ExtraShape>,
}

/// Returns whether the output is up to date (always true when writing).
fn run(check: bool) -> Result<bool, String> {
    let root = workspace_root();
    let models_dir = root.join("crates/model/models");
    let out_dir = root.join("crates/model/src/generated");

    let mut names: Vec<String> = Vec::new();
    let entries =
        std::fs::read_dir(&models_dir).map_err(|e| format!("{}: {e}", models_dir.display()))?;
    for entry in entries {
        let entry = entry.map_err(|e| e.to_string())?;
        let file = entry.file_name().to_string_lossy().into_owned();
        if let Some(stem) = file.strip_suffix(".json") {
            names.push(stem.to_owned());
        }
    }
    names.sort();

    let mut models = Vec::new();
    for name in &names {
        let path = models_dir.join(format!("{name}.json"));
        let text =
            std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        let model: ServiceModel =
            serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
        let extra: ExtraModel =
            serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
        let faults: BTreeSet<String> = extra
            .shapes
            .into_iter()
            .filter(|(_, s)| s.fault)
            .map(|(n, _)| n)
            .collect();
        let info = tables::service_info(name)
            .ok_or_else(|| format!("model `{name}` is not in codegen's tables.rs SERVICES"))?;
        models.push((info, model, faults));
    }
    let inputs: Vec<ServiceInput<'_>> = models
        .iter()
        .map(|(info, model, faults)| ServiceInput {
            info,
            model,
            faults,
        })
        .collect();

    let mut files: BTreeMap<String, String> = BTreeMap::new();
    files.insert("mod.rs".to_owned(), rustfmt(&root, &emit::mod_rs(&inputs))?);
    for input in &inputs {
        let source = emit::service_module(input)?;
        files.insert(format!("{}.rs", input.module()), rustfmt(&root, &source)?);
    }

    if check {
        let mut up_to_date = true;
        for (file, text) in &files {
            let path = out_dir.join(file);
            match std::fs::read_to_string(&path) {
                Ok(existing) if existing == *text => {}
                Ok(_) => {
                    eprintln!(
                        "codegen --check: {} differs from the generated text",
                        path.display()
                    );
                    up_to_date = false;
                }
                Err(e) => {
                    eprintln!("codegen --check: {}: {e}", path.display());
                    up_to_date = false;
                }
            }
        }
        for stale in stale_files(&out_dir, &files)? {
            eprintln!(
                "codegen --check: {} is not generated any more",
                stale.display()
            );
            up_to_date = false;
        }
        if !up_to_date {
            eprintln!("codegen --check: run `cargo run -p codegen` and commit the result");
        }
        return Ok(up_to_date);
    }

    std::fs::create_dir_all(&out_dir).map_err(|e| format!("{}: {e}", out_dir.display()))?;
    for stale in stale_files(&out_dir, &files)? {
        std::fs::remove_file(&stale).map_err(|e| format!("{}: {e}", stale.display()))?;
    }
    for (file, text) in &files {
        let path = out_dir.join(file);
        if std::fs::read_to_string(&path).ok().as_deref() != Some(text.as_str()) {
            std::fs::write(&path, text).map_err(|e| format!("{}: {e}", path.display()))?;
            eprintln!("codegen: wrote {}", path.display());
        }
    }
    Ok(true)
}

/// `.rs` files in the output directory that codegen no longer produces.
fn stale_files(out_dir: &Path, files: &BTreeMap<String, String>) -> Result<Vec<PathBuf>, String> {
    let mut stale = Vec::new();
    let entries = match std::fs::read_dir(out_dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(stale),
        Err(e) => return Err(format!("{}: {e}", out_dir.display())),
    };
    for entry in entries {
        let entry = entry.map_err(|e| e.to_string())?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.ends_with(".rs") && !files.contains_key(&name) {
            stale.push(entry.path());
        }
    }
    stale.sort();
    Ok(stale)
}

/// Formats Rust source with rustfmt (edition 2021, the workspace's config when present).
fn rustfmt(root: &Path, source: &str) -> Result<String, String> {
    let rustfmt = std::env::var_os("RUSTFMT").unwrap_or_else(|| "rustfmt".into());
    let mut cmd = Command::new(rustfmt);
    cmd.args(["--edition", "2021", "--emit", "stdout"]);
    for config in ["rustfmt.toml", ".rustfmt.toml"] {
        let path = root.join(config);
        if path.is_file() {
            cmd.arg("--config-path").arg(path);
            break;
        }
    }
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run rustfmt: {e}"))?;
    let mut stdin = child.stdin.take().ok_or("rustfmt: no stdin")?;
    let text = source.to_owned();
    let writer = std::thread::spawn(move || stdin.write_all(text.as_bytes()));
    let output = child
        .wait_with_output()
        .map_err(|e| format!("rustfmt: {e}"))?;
    writer
        .join()
        .map_err(|_| "rustfmt: writer thread failed".to_owned())?
        .map_err(|e| format!("rustfmt stdin: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "rustfmt failed: {}",
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    String::from_utf8(output.stdout).map_err(|e| format!("rustfmt output: {e}"))
}
