//! The localorg gateway and composition root.
//!
//! One request travels: detect the service and operation -> authenticate (SigV4 against keys
//! localorg issued) -> decode the protocol into canonical JSON -> authorize -> handle inside one
//! store transaction -> encode the answer in the protocol the client spoke -> audit. Admin
//! endpoints live under `/_localorg/`.
//!
//! This crate is the only one that knows every service family: [`registry`] puts them together
//! with the kernel ports they fill.

mod admin;
mod gateway;
mod s3;
mod signin;

use std::future::Future;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use axum::Router;
pub use localorg_kernel::Settings;
use localorg_kernel::{Partition, Registry};
use tokio::net::TcpListener;

/// How requests are authenticated and authorized.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthMode {
    /// Every request must be signed with a key localorg issued, and is authorized by the policy engine.
    Enforce,
    /// Known keys are still verified; unknown keys act as the root user of the default account and
    /// authorization is skipped (for test suites that send dummy keys).
    Permissive,
}

/// What `localorg serve` was asked for.
#[derive(Debug, Clone)]
pub struct ServeConfig {
    /// Address to bind.
    pub listen: SocketAddr,
    /// Directory of the durable state; `None` keeps everything in memory.
    pub data_dir: Option<PathBuf>,
    /// Authentication and authorization mode.
    pub auth: AuthMode,
    /// The standalone account that exists from the start (root key `test` / `test`).
    pub default_account: String,
    /// Quotas and knobs of the partition.
    pub settings: localorg_kernel::Settings,
    /// How often trails deliver their new events to S3.
    pub trail_delivery_interval: std::time::Duration,
    /// Record calls as CloudTrail events.
    pub event_recording: bool,
}

/// Errors that stop the server from starting.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// The listen address could not be bound.
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        /// The address.
        addr: SocketAddr,
        /// Why.
        source: std::io::Error,
    },
    /// The state could not be opened.
    #[error("cannot open the state: {0}")]
    State(String),
    /// Serving failed.
    #[error("server failed: {0}")]
    Io(#[from] std::io::Error),
}

/// Shared by every request.
#[derive(Clone)]
pub struct AppState {
    partition: Arc<Partition>,
    auth: AuthMode,
    /// S3, which streams its bodies past the gateway's buffered pipeline.
    s3: s3s::service::S3Service,
    /// S3's object bodies.
    blobs: Arc<localorg_s3::Blobs>,
    /// CloudTrail's recording of calls (its waiting events are stored on a schedule).
    trail: Arc<localorg_cloudtrail::CloudTrailRecorder>,
}

impl AppState {
    /// Serves `partition` in `auth` mode (embedders and tests that build their own partition).
    pub fn new(partition: Partition, auth: AuthMode) -> AppState {
        Self::with_parts(
            Arc::new(partition),
            auth,
            Arc::new(localorg_s3::Blobs::in_memory()),
            Arc::default(),
        )
    }

    fn with_parts(
        partition: Arc<Partition>,
        auth: AuthMode,
        blobs: Arc<localorg_s3::Blobs>,
        trail: Arc<localorg_cloudtrail::CloudTrailRecorder>,
    ) -> AppState {
        let s3 =
            localorg_s3::S3Front::new(partition.clone(), blobs.clone(), auth == AuthMode::Enforce);
        AppState {
            s3: s3.service(),
            blobs,
            trail,
            partition,
            auth,
        }
    }

    /// Opens (or creates) the partition the configuration names.
    pub fn open(config: &ServeConfig) -> Result<AppState, ServeError> {
        let blobs = Arc::new(match &config.data_dir {
            Some(dir) => localorg_s3::Blobs::on_disk(dir.join("s3"))
                .map_err(|e| ServeError::State(format!("cannot open object storage: {e}")))?,
            None => localorg_s3::Blobs::in_memory(),
        });
        let trail = Arc::new(localorg_cloudtrail::CloudTrailRecorder::default());
        let mut registry = registry_with(blobs.clone(), trail.clone());
        if !config.event_recording {
            registry = registry.with_audit(Arc::new(localorg_kernel::audit::NoAudit));
        }
        let mut partition = match &config.data_dir {
            Some(dir) => Partition::open(dir, &config.default_account, registry),
            None => Partition::in_memory(&config.default_account, registry),
        }
        .map_err(|e| ServeError::State(e.to_string()))?;
        partition.set_settings(config.settings.clone());
        Ok(Self::with_parts(
            Arc::new(partition),
            config.auth,
            blobs,
            trail,
        ))
    }

    /// Stores CloudTrail's waiting events now.
    pub(crate) fn flush_events(&self) {
        self.trail
            .flush(self.partition.store(), self.partition.now_ms());
    }

    /// Stores waiting events, then delivers every logging trail's new events now.
    pub(crate) fn deliver_trails(&self) {
        self.flush_events();
        localorg_cloudtrail::deliver(&self.partition);
    }
}

/// Every service family localorg plays, with S3's bodies in memory.
pub fn registry() -> Registry {
    registry_with(Arc::new(localorg_s3::Blobs::in_memory()), Arc::default())
}

/// Every service family localorg plays, and the kernel ports they fill: Organizations the
/// organization tree, IAM the directory of principals, S3 object delivery (with its bodies in
/// `blobs`), CloudTrail the audit sink (`trail`). A new service family is added here.
pub fn registry_with(
    blobs: Arc<localorg_s3::Blobs>,
    trail: Arc<localorg_cloudtrail::CloudTrailRecorder>,
) -> Registry {
    let organizations = Arc::new(localorg_organizations::OrganizationsFamily);
    let iam = Arc::new(localorg_iam::IamFamily);
    Registry::new()
        .with_family(organizations.clone())
        .with_family(iam.clone())
        .with_family(Arc::new(localorg_sts::StsFamily))
        .with_family(Arc::new(localorg_identitycenter::IdentityCenterFamily))
        .with_family(Arc::new(localorg_cloudtrail::CloudTrailFamily))
        .with_organizations(organizations)
        .with_directory(iam)
        .with_delivery(Arc::new(localorg_s3::S3Delivery::new(blobs)))
        .with_audit(trail)
}

/// The HTTP router: admin endpoints, then every AWS request.
pub fn router(state: AppState) -> Router {
    admin::routes()
        .merge(signin::routes())
        .fallback(gateway::handle)
        .with_state(state)
}

/// Runs `localorg serve` until SIGTERM or Ctrl-C.
pub async fn serve(config: ServeConfig) -> Result<(), ServeError> {
    let started = std::time::Instant::now();
    let state = AppState::open(&config)?;
    let listener = TcpListener::bind(config.listen)
        .await
        .map_err(|source| ServeError::Bind {
            addr: config.listen,
            source,
        })?;
    let addr = listener.local_addr()?;
    print_banner(&config, addr, started.elapsed());
    let background = spawn_background(&state, config.trail_delivery_interval);
    let served = run(listener, state.clone(), shutdown_signal()).await;
    background.abort();
    // What is waiting is stored and delivered before the process ends.
    tokio::task::block_in_place(|| state.deliver_trails());
    served
}

/// CloudTrail's schedule: waiting events stored every `FLUSH_INTERVAL`, trails delivered every
/// `delivery_interval`.
fn spawn_background(
    state: &AppState,
    delivery_interval: std::time::Duration,
) -> tokio::task::JoinHandle<()> {
    let state = state.clone();
    tokio::spawn(async move {
        let mut flush = tokio::time::interval(localorg_cloudtrail::FLUSH_INTERVAL);
        let mut deliver = tokio::time::interval(delivery_interval);
        deliver.tick().await;
        loop {
            tokio::select! {
                _ = flush.tick() => {
                    let state = state.clone();
                    let _ = tokio::task::spawn_blocking(move || state.flush_events()).await;
                }
                _ = deliver.tick() => {
                    let state = state.clone();
                    let _ = tokio::task::spawn_blocking(move || state.deliver_trails()).await;
                }
            }
        }
    })
}

/// Serves on a bound listener until `shutdown` completes (tests bind port 0 and call this).
pub async fn run(
    listener: TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), ServeError> {
    use axum::serve::ListenerExt as _;
    // Without TCP_NODELAY a body written after its headers waits for the client's delayed ACK
    // (~40 ms): streamed S3 bodies are.
    let listener = listener.tap_io(|tcp| {
        let _ = tcp.set_nodelay(true);
    });
    axum::serve(
        listener,
        router(state).into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await?;
    Ok(())
}

fn print_banner(config: &ServeConfig, addr: SocketAddr, took: std::time::Duration) {
    let storage = match &config.data_dir {
        Some(dir) => format!("state in {}", dir.display()),
        None => "state in memory".to_owned(),
    };
    // The first line is what scripts wait for; keep its shape.
    println!(
        "localorg listening on http://{addr} ({storage}, ready in {} ms)",
        took.as_millis()
    );
    println!();
    println!("  export AWS_ENDPOINT_URL=http://{addr}");
    println!(
        "  export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_DEFAULT_REGION=us-east-1"
    );
    println!("  aws organizations create-organization --feature-set ALL");
    println!();
    println!(
        "  (root user of account {} ; auth mode: {:?})",
        config.default_account, config.auth
    );
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down");
}
