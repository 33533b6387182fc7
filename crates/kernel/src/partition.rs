//! The partition: the durable store, the clock, the id generator and the registry of service
//! families, and the entry point through which the gateway reaches every service
//! ([`Partition::call`]: one call, one transaction, authorization first).

use std::path::Path;
use std::sync::Arc;

use localorg_model::{ApiError, Service};
use localorg_store::Store;
use serde::Serialize;

use crate::accounts::{self, AccountRecord};
use crate::audit::{AuditEvent, AuditSink};
use crate::context::{Caller, Clock, IdGen, PrincipalKind, Secret, SystemClock};
use crate::credentials::{self, AccessKeyRecord, Credential};
use crate::service::Registry;
use crate::tx::{Ctx, KeyUsage, Settings, TxRef};

/// The default account's root access key, as other local emulators use.
pub const DEFAULT_ACCESS_KEY: &str = "test";
/// The default account's root secret key.
pub const DEFAULT_SECRET_KEY: &str = "test";

/// The result of signing up (or completing sign-up): the account and its root credentials.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct SignupOutput {
    /// The account.
    pub account_id: String,
    /// Its name.
    pub account_name: String,
    /// Its root email.
    pub email: String,
    /// A root access key.
    pub access_key_id: String,
    /// Its secret.
    pub secret_access_key: String,
}

/// One API call, authenticated and decoded.
#[derive(Debug)]
pub struct Call {
    /// The service.
    pub service: Service,
    /// The operation name.
    pub operation: &'static str,
    /// Who is calling (`None`: an unsigned operation).
    pub caller: Option<Caller>,
    /// The signing region.
    pub region: String,
    /// The caller's IP address.
    pub source_ip: String,
    /// The endpoint the client called (`http://HOST:PORT`).
    pub endpoint: String,
    /// Canonical JSON input.
    pub input: serde_json::Value,
    /// Ask the policy engine before running (`false` in `--auth permissive`).
    pub authorize: bool,
    /// The request id the answer carries (CloudTrail's `requestID`).
    pub request_id: String,
    /// The client's `User-Agent`.
    pub user_agent: String,
}

/// Who makes a request, and from where: what a [`Ctx`] holds besides the transaction.
#[derive(Debug, Clone, Copy)]
pub struct Requester<'a> {
    /// The authenticated caller ([`Caller::anonymous`] for unsigned requests).
    pub caller: &'a Caller,
    /// The signing region.
    pub region: &'a str,
    /// The caller's IP address.
    pub source_ip: &'a str,
    /// The endpoint the client called.
    pub endpoint: &'a str,
}

/// Every account and service state of one AWS partition.
pub struct Partition {
    store: Store,
    ids: IdGen,
    clock: Arc<dyn Clock>,
    default_account: String,
    settings: Settings,
    key_usage: KeyUsage,
    registry: Registry,
}

impl Partition {
    /// Opens (or creates) the durable partition under `dir`, playing the services of `registry`.
    pub fn open(
        dir: &Path,
        default_account: &str,
        registry: Registry,
    ) -> Result<Partition, ApiError> {
        std::fs::create_dir_all(dir)
            .map_err(|e| ApiError::internal(format!("cannot create {}: {e}", dir.display())))?;
        Self::with_store(Store::open(dir)?, default_account, registry)
    }

    /// A throwaway partition in memory, playing the services of `registry`.
    pub fn in_memory(default_account: &str, registry: Registry) -> Result<Partition, ApiError> {
        Self::with_store(Store::in_memory()?, default_account, registry)
    }

    fn with_store(
        store: Store,
        default_account: &str,
        registry: Registry,
    ) -> Result<Partition, ApiError> {
        if default_account.len() != 12 || !default_account.bytes().all(|b| b.is_ascii_digit()) {
            return Err(ApiError::new(
                "InvalidParameter",
                400,
                format!("the default account id must be 12 digits, not '{default_account}'"),
            ));
        }
        let partition = Partition {
            store,
            ids: IdGen::from_entropy(),
            clock: Arc::new(SystemClock),
            default_account: default_account.to_owned(),
            settings: Settings::default(),
            key_usage: KeyUsage::default(),
            registry,
        };
        partition.bootstrap()?;
        Ok(partition)
    }

    /// Replaces the quotas and knobs.
    pub fn set_settings(&mut self, settings: Settings) {
        self.settings = settings;
    }

    /// Replaces the clock (tests).
    pub fn set_clock(&mut self, clock: Arc<dyn Clock>) {
        self.clock = clock;
    }

    /// The audit sink every answered call is offered to (the gateway's last stage).
    pub fn audit(&self) -> &dyn AuditSink {
        self.registry.audit()
    }

    /// The store (for deliverers that read the outbox, localorg's own pages, and tests).
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// The partition's id generator.
    pub fn ids(&self) -> &IdGen {
        &self.ids
    }

    /// Now, by the partition's clock, in ms since the epoch.
    pub fn now_ms(&self) -> i64 {
        self.clock.now().as_millisecond()
    }

    /// Makes sure the default account and its `test`/`test` root key exist.
    fn bootstrap(&self) -> Result<(), ApiError> {
        let now = self.clock.now().as_millisecond();
        let id = self.default_account.clone();
        self.store.write(|tx| {
            if accounts::exists(tx.as_read(), &id)? {
                return Ok(());
            }
            accounts::update(
                tx,
                &AccountRecord {
                    id: id.clone(),
                    name: "localorg default account".to_owned(),
                    email: format!("root+{id}@localorg.invalid"),
                    status: "ACTIVE".to_owned(),
                    created_ms: now,
                    closed_ms: None,
                    created_by_organization: false,
                    signup_complete: true,
                },
            )?;
            credentials::put(
                tx,
                &AccessKeyRecord {
                    access_key_id: DEFAULT_ACCESS_KEY.to_owned(),
                    account_id: id.clone(),
                    principal: PrincipalKind::Root,
                    secret: Secret::new(DEFAULT_SECRET_KEY.to_owned()),
                    status: "Active".to_owned(),
                    created_ms: now,
                    principal_id: id.clone(),
                    principal_arn: String::new(),
                    session: None,
                },
            )
        })
    }

    /// Wipes everything back to a fresh partition.
    pub fn reset(&self) -> Result<(), ApiError> {
        self.store.reset()?;
        self.bootstrap()
    }

    /// Creates a standalone account, as signing up on the AWS website does.
    pub fn signup(&self, email: &str, name: &str) -> Result<SignupOutput, ApiError> {
        validate_signup(email, name)?;
        let now = self.clock.now().as_millisecond();
        self.store.write(|tx| {
            let account = accounts::create(tx, &self.ids, now, name, email, false)?
                .ok_or_else(|| email_taken(email))?;
            issue_root_key(tx, &self.ids, &account, now)
        })
    }

    /// Completes the standalone sign-up of an account an organization created and hands out a root
    /// access key for it.
    pub fn complete_signup(&self, account_id: &str) -> Result<SignupOutput, ApiError> {
        let now = self.clock.now().as_millisecond();
        self.store.write(|tx| {
            let mut account = accounts::get(tx.as_read(), account_id)?.ok_or_else(|| {
                ApiError::new("AccountNotFound", 404, format!("no account {account_id}"))
            })?;
            account.signup_complete = true;
            accounts::update(tx, &account)?;
            issue_root_key(tx, &self.ids, &account, now)
        })
    }

    /// The credentials of an access key id, if localorg issued it and it is active.
    pub fn credential(&self, access_key_id: &str) -> Result<Option<Credential>, ApiError> {
        self.store
            .read(|tx| credentials::credential(tx, access_key_id))
    }

    /// The caller unknown keys act as in permissive mode: the default account's root user.
    pub fn default_root_caller(&self) -> Result<Caller, ApiError> {
        Ok(Caller::root(&self.default_account, DEFAULT_ACCESS_KEY))
    }

    /// Asks the policy engine whether `caller` may run `operation` of `service` on `input`, as
    /// [`Partition::call`] would before running it (for localorg's own signed endpoints, which
    /// stand for an AWS operation: an administrator's password reset is `identitystore:UpdateUser`).
    pub fn authorize(
        &self,
        caller: &Caller,
        service: Service,
        operation: &'static str,
        input: &serde_json::Value,
        region: &str,
        source_ip: &str,
    ) -> Result<(), ApiError> {
        let scope = CallScope {
            caller,
            now: self.clock.now(),
            region,
            source_ip,
            endpoint: "",
            ids: &self.ids,
            settings: &self.settings,
            key_usage: &self.key_usage,
            registry: &self.registry,
        };
        self.store.read(|tx| {
            let ctx = scope.ctx(TxRef::Read(tx));
            crate::authz::authorize(&ctx, service, operation, input)
        })
    }

    /// Runs `f` in a read transaction on behalf of `requester`: the door for a service whose
    /// requests do not fit [`Partition::call`] (S3 streams its bodies, and authorizes each request
    /// itself, with the bucket's policy).
    pub fn read_as<T>(
        &self,
        requester: &Requester<'_>,
        f: impl FnOnce(&Ctx<'_>) -> Result<T, ApiError>,
    ) -> Result<T, ApiError> {
        let scope = self.scope_of(requester);
        self.store.read(|tx| f(&scope.ctx(TxRef::Read(tx))))
    }

    /// Runs `f` in the write transaction on behalf of `requester`: all or nothing, as
    /// [`Partition::call`]. `f` may run again when the store retries the transaction.
    pub fn write_as<T>(
        &self,
        requester: &Requester<'_>,
        mut f: impl FnMut(&mut Ctx<'_>) -> Result<T, ApiError>,
    ) -> Result<T, ApiError> {
        let scope = self.scope_of(requester);
        self.store.write(|tx| f(&mut scope.ctx(TxRef::Write(tx))))
    }

    /// Notes that the requester's access key signed a request to `signing_name`
    /// (`GetAccessKeyLastUsed`).
    pub fn record_key_use(&self, requester: &Requester<'_>, signing_name: &str) {
        if !requester.caller.access_key_id.is_empty() {
            self.key_usage.record(
                &requester.caller.access_key_id,
                self.now_ms(),
                signing_name,
                requester.region,
            );
        }
    }

    fn scope_of<'c>(&'c self, requester: &Requester<'c>) -> CallScope<'c> {
        CallScope {
            caller: requester.caller,
            now: self.clock.now(),
            region: requester.region,
            source_ip: requester.source_ip,
            endpoint: requester.endpoint,
            ids: &self.ids,
            settings: &self.settings,
            key_usage: &self.key_usage,
            registry: &self.registry,
        }
    }

    /// The registry of families and ports.
    pub fn registry(&self) -> &Registry {
        &self.registry
    }

    /// Runs one API call inside one store transaction: all or nothing.
    pub fn call(&self, call: Call) -> Result<serde_json::Value, ApiError> {
        let Call {
            service,
            operation,
            caller,
            region,
            source_ip,
            endpoint,
            input,
            authorize,
            request_id,
            user_agent,
        } = call;
        let caller = caller.unwrap_or_else(Caller::anonymous);
        let now = self.clock.now();
        let scope = CallScope {
            caller: &caller,
            now,
            region: &region,
            source_ip: &source_ip,
            endpoint: &endpoint,
            ids: &self.ids,
            settings: &self.settings,
            key_usage: &self.key_usage,
            registry: &self.registry,
        };
        if !caller.access_key_id.is_empty() {
            let signing_name = service.model().metadata.signing_name();
            self.key_usage.record(
                &caller.access_key_id,
                now.as_millisecond(),
                signing_name,
                &region,
            );
        }
        if is_read_only(operation) {
            return self
                .store
                .read(|tx| scope.run(TxRef::Read(tx), service, operation, authorize, input));
        }
        let sink = self.registry.audit();
        self.store.write(|tx| {
            let output = scope.run(
                TxRef::Write(&mut *tx),
                service,
                operation,
                authorize,
                input.clone(),
            )?;
            // A write that succeeds is recorded in its own transaction.
            if sink.enabled() {
                let payloads = sink.wants_payloads();
                sink.record_in(
                    tx,
                    &AuditEvent {
                        request_id: &request_id,
                        at: now,
                        service: service.model_name(),
                        operation,
                        caller: Some(&caller),
                        region: &region,
                        source_ip: &source_ip,
                        user_agent: &user_agent,
                        read_only: false,
                        request: payloads.then_some(&input),
                        response: payloads.then_some(&output),
                        error: None,
                    },
                )?;
            }
            Ok(output)
        })
    }
}

/// What stays the same across the attempts of one call's transaction.
struct CallScope<'c> {
    caller: &'c Caller,
    now: jiff::Timestamp,
    region: &'c str,
    source_ip: &'c str,
    endpoint: &'c str,
    ids: &'c IdGen,
    settings: &'c Settings,
    key_usage: &'c KeyUsage,
    registry: &'c Registry,
}

impl CallScope<'_> {
    fn ctx<'t>(&'t self, tx: TxRef<'t>) -> Ctx<'t> {
        Ctx {
            tx,
            caller: self.caller,
            now: self.now,
            region: self.region,
            source_ip: self.source_ip,
            endpoint: self.endpoint,
            ids: self.ids,
            settings: self.settings,
            key_usage: self.key_usage,
            registry: self.registry,
        }
    }

    fn run<'t>(
        &'t self,
        tx: TxRef<'t>,
        service: Service,
        operation: &'static str,
        authorize: bool,
        input: serde_json::Value,
    ) -> Result<serde_json::Value, ApiError> {
        let mut ctx = self.ctx(tx);
        if authorize {
            crate::authz::authorize(&ctx, service, operation, &input)?;
        }
        match self.registry.family(service) {
            Some(family) => family.call(&mut ctx, service, operation, input),
            None => crate::not_yet::dispatch(service, operation, &mut ctx, input),
        }
    }
}

/// Operations that only read state run in a read transaction (concurrently with each other).
/// STS's `GetSessionToken` and `GetFederationToken` and the access portal's `GetRoleCredentials`
/// issue credentials (they write access keys).
pub fn is_read_only(operation: &str) -> bool {
    ["Describe", "List", "Get"]
        .iter()
        .any(|p| operation.starts_with(p))
        && !matches!(
            operation,
            "GetSessionToken" | "GetFederationToken" | "GetRoleCredentials"
        )
}

fn validate_signup(email: &str, name: &str) -> Result<(), ApiError> {
    let bad = |m: &str| ApiError::new("InvalidParameter", 400, m.to_owned());
    let (local, domain) = email
        .split_once('@')
        .ok_or_else(|| bad("the email address is not valid"))?;
    if local.is_empty() || !domain.contains('.') || email.len() > 64 || email.len() < 6 {
        return Err(bad("the email address is not valid"));
    }
    if name.trim().is_empty() || name.chars().count() > 50 {
        return Err(bad("the account name must have 1 to 50 characters"));
    }
    Ok(())
}

fn email_taken(email: &str) -> ApiError {
    ApiError::new(
        "EmailAlreadyExists",
        409,
        format!("an account with the root email address {email} already exists"),
    )
}

fn issue_root_key(
    tx: &mut dyn localorg_store::WriteTx,
    ids: &IdGen,
    account: &AccountRecord,
    now_ms: i64,
) -> Result<SignupOutput, ApiError> {
    let (access_key_id, secret) = credentials::issue_root_key(tx, ids, &account.id, now_ms)?;
    Ok(SignupOutput {
        account_id: account.id.clone(),
        account_name: account.name.clone(),
        email: account.email.clone(),
        access_key_id,
        secret_access_key: secret.expose().to_owned(),
    })
}
