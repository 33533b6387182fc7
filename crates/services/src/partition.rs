//! The partition: every account that exists, their root users' credentials, and the entry point
//! through which the gateway reaches every service.

use std::path::Path;
use std::sync::{Arc, LazyLock};

use localorg_model::{ApiError, Service};
use localorg_store::{Index, Key, Store, StoreError, Table};
use serde::{Deserialize, Serialize};

use crate::context::{Caller, Clock, IdGen, PrincipalKind, Secret, SystemClock};
use crate::tx::{Ctx, KeyUsage, Settings, TxRef};

/// The default account's root access key, as other local emulators use.
pub const DEFAULT_ACCESS_KEY: &str = "test";
/// The default account's root secret key.
pub const DEFAULT_SECRET_KEY: &str = "test";

/// An AWS account.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AccountRecord {
    /// 12 digits.
    pub id: String,
    /// Account name.
    pub name: String,
    /// The root user's email address (unique across the partition, case-insensitively).
    pub email: String,
    /// `ACTIVE`, `PENDING_CLOSURE` or `SUSPENDED`.
    pub status: String,
    /// When the account was created, ms since epoch.
    pub created_ms: i64,
    /// When it was closed, ms since epoch.
    pub closed_ms: Option<i64>,
    /// Created by an organization (`CreateAccount`) rather than signed up for.
    pub created_by_organization: bool,
    /// The standalone sign-up is complete (always for signed-up accounts; organization-created
    /// accounts need `localorg account complete-signup` before they can leave).
    pub signup_complete: bool,
}

/// An access key: who it belongs to and its secret.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AccessKeyRecord {
    /// The access key id.
    pub access_key_id: String,
    /// The owning account.
    pub account_id: String,
    /// The principal the key signs as.
    pub principal: PrincipalKind,
    /// The secret access key.
    pub secret: Secret,
    /// `Active` or `Inactive`.
    pub status: String,
    /// Created, ms since epoch.
    pub created_ms: i64,
    /// The principal's unique id (`AIDA...` for users, `AROA...:session` for role sessions); the
    /// account id for root.
    #[serde(default)]
    pub principal_id: String,
    /// The principal's ARN (`arn:aws:iam::ACCOUNT:user/path/name`, `...:assumed-role/ROLE/SESSION`);
    /// empty for root.
    #[serde(default)]
    pub principal_arn: String,
    /// Temporary credentials (`ASIA...`): the session token and the session's context.
    #[serde(default)]
    pub session: Option<SessionRecord>,
}

/// The part of temporary credentials only STS hands out.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SessionRecord {
    /// The session token the request must carry (`X-Amz-Security-Token`).
    pub token: Secret,
    /// The session's context.
    pub context: crate::context::SessionContext,
}

/// Accounts by id, unique by lower-cased email.
pub static ACCOUNTS: LazyLock<Table<AccountRecord>> = LazyLock::new(|| {
    Table::new("account").index(Index::unique("email", |a: &AccountRecord| {
        vec![Key::new().str(&a.email.to_lowercase())]
    }))
});

/// Access keys by id, indexed by owning account.
pub static ACCESS_KEYS: LazyLock<Table<AccessKeyRecord>> = LazyLock::new(|| {
    Table::new("access_key").index(Index::multi("account", |k: &AccessKeyRecord| {
        vec![Key::new().str(&k.account_id)]
    }))
});

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

/// The credentials behind an access key id, for the gateway to verify a signature with.
#[derive(Debug, Clone)]
pub struct Credential {
    /// The secret access key.
    pub secret: Secret,
    /// For temporary credentials: the session token requests must carry.
    pub session_token: Option<Secret>,
    /// Who signs with it.
    pub caller: Caller,
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
    /// Canonical JSON input.
    pub input: serde_json::Value,
    /// Ask the policy engine before running (`false` in `--auth permissive`).
    pub authorize: bool,
}

/// Every account and service state of one AWS partition.
pub struct Partition {
    store: Store,
    ids: IdGen,
    clock: Arc<dyn Clock>,
    default_account: String,
    settings: Settings,
    key_usage: KeyUsage,
}

impl Partition {
    /// Opens (or creates) the durable partition under `dir`.
    pub fn open(dir: &Path, default_account: &str) -> Result<Partition, ApiError> {
        std::fs::create_dir_all(dir)
            .map_err(|e| ApiError::internal(format!("cannot create {}: {e}", dir.display())))?;
        Self::with_store(Store::open(dir)?, default_account)
    }

    /// A throwaway partition in memory.
    pub fn in_memory(default_account: &str) -> Result<Partition, ApiError> {
        Self::with_store(Store::in_memory()?, default_account)
    }

    fn with_store(store: Store, default_account: &str) -> Result<Partition, ApiError> {
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

    /// Makes sure the default account and its `test`/`test` root key exist.
    fn bootstrap(&self) -> Result<(), ApiError> {
        let now = self.clock.now().as_millisecond();
        let id = self.default_account.clone();
        self.store.write(|tx| {
            let pk = Key::new().str(&id);
            if ACCOUNTS.contains(tx, &pk)? {
                return Ok(());
            }
            let account = AccountRecord {
                id: id.clone(),
                name: "localorg default account".to_owned(),
                email: format!("root+{id}@localorg.invalid"),
                status: "ACTIVE".to_owned(),
                created_ms: now,
                closed_ms: None,
                created_by_organization: false,
                signup_complete: true,
            };
            ACCOUNTS.put(tx, &pk, &account)?;
            let key = AccessKeyRecord {
                access_key_id: DEFAULT_ACCESS_KEY.to_owned(),
                account_id: id.clone(),
                principal: PrincipalKind::Root,
                secret: Secret::new(DEFAULT_SECRET_KEY.to_owned()),
                status: "Active".to_owned(),
                created_ms: now,
                principal_id: id.clone(),
                principal_arn: String::new(),
                session: None,
            };
            ACCESS_KEYS.put(tx, &Key::new().str(DEFAULT_ACCESS_KEY), &key)?;
            Ok::<(), ApiError>(())
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
            let account = create_account(tx, &self.ids, now, name, email, false)?
                .ok_or_else(|| email_taken(email))?;
            issue_root_key(tx, &self.ids, &account, now)
        })
    }

    /// Completes the standalone sign-up of an account an organization created and hands out a root
    /// access key for it.
    pub fn complete_signup(&self, account_id: &str) -> Result<SignupOutput, ApiError> {
        let now = self.clock.now().as_millisecond();
        self.store.write(|tx| {
            let pk = Key::new().str(account_id);
            let mut account = ACCOUNTS.get(tx, &pk)?.ok_or_else(|| {
                ApiError::new("AccountNotFound", 404, format!("no account {account_id}"))
            })?;
            account.signup_complete = true;
            ACCOUNTS.put(tx, &pk, &account)?;
            issue_root_key(tx, &self.ids, &account, now)
        })
    }

    /// The credentials of an access key id, if localorg issued it and it is active.
    pub fn credential(&self, access_key_id: &str) -> Result<Option<Credential>, ApiError> {
        self.store.read(|tx| {
            let Some(key) = ACCESS_KEYS.get(tx, &Key::new().str(access_key_id))? else {
                return Ok(None);
            };
            if key.status != "Active" {
                return Ok(None);
            }
            let caller = caller_of(&key);
            Ok(Some(Credential {
                secret: key.secret,
                session_token: key.session.map(|sess| sess.token),
                caller,
            }))
        })
    }

    /// The caller unknown keys act as in permissive mode: the default account's root user.
    pub fn default_root_caller(&self) -> Result<Caller, ApiError> {
        Ok(Caller::root(&self.default_account, DEFAULT_ACCESS_KEY))
    }

    /// Runs one API call inside one store transaction: all or nothing.
    pub fn call(&self, call: Call) -> Result<serde_json::Value, ApiError> {
        let Call {
            service,
            operation,
            caller,
            region,
            source_ip,
            input,
            authorize,
        } = call;
        let caller = caller.unwrap_or_else(Caller::anonymous);
        let now = self.clock.now();
        let call = CallScope {
            service,
            operation,
            authorize,
            caller: &caller,
            now,
            region: &region,
            source_ip: &source_ip,
            ids: &self.ids,
            settings: &self.settings,
            key_usage: &self.key_usage,
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
            self.store.read(|tx| call.run(TxRef::Read(tx), input))
        } else {
            self.store
                .write(|tx| call.run(TxRef::Write(tx), input.clone()))
        }
    }
}

/// What stays the same across the attempts of one call's transaction.
struct CallScope<'c> {
    service: Service,
    operation: &'static str,
    authorize: bool,
    caller: &'c Caller,
    now: jiff::Timestamp,
    region: &'c str,
    source_ip: &'c str,
    ids: &'c IdGen,
    settings: &'c Settings,
    key_usage: &'c KeyUsage,
}

impl CallScope<'_> {
    fn run<'t>(
        &'t self,
        tx: TxRef<'t>,
        input: serde_json::Value,
    ) -> Result<serde_json::Value, ApiError> {
        let mut ctx = Ctx {
            tx,
            caller: self.caller,
            now: self.now,
            region: self.region,
            source_ip: self.source_ip,
            ids: self.ids,
            settings: self.settings,
            key_usage: self.key_usage,
        };
        if self.authorize {
            crate::authz::authorize(&ctx, self.service, self.operation, &input)?;
        }
        crate::dispatch(self.service, self.operation, &mut ctx, input)
    }
}

/// The caller an access key signs as.
pub fn caller_of(key: &AccessKeyRecord) -> Caller {
    let account = &key.account_id;
    let (arn, user_id) = match &key.principal {
        PrincipalKind::Root | PrincipalKind::Anonymous => {
            // Root sessions (`GetSessionToken` as root, `AssumeRoot`) keep their session context.
            let mut caller = Caller::root(account, &key.access_key_id);
            caller.session = key.session.as_ref().map(|sess| sess.context.clone());
            return caller;
        }
        PrincipalKind::User { name } => (
            non_empty_or(&key.principal_arn, || {
                format!("arn:aws:iam::{account}:user/{name}")
            }),
            key.principal_id.clone(),
        ),
        PrincipalKind::AssumedRole {
            role_name,
            session_name,
            ..
        } => (
            format!("arn:aws:sts::{account}:assumed-role/{role_name}/{session_name}"),
            key.principal_id.clone(),
        ),
        PrincipalKind::FederatedUser { name, .. } => (
            format!("arn:aws:sts::{account}:federated-user/{name}"),
            format!("{account}:{name}"),
        ),
    };
    Caller {
        account_id: account.clone(),
        arn,
        kind: key.principal.clone(),
        user_id,
        access_key_id: key.access_key_id.clone(),
        session: key.session.as_ref().map(|sess| sess.context.clone()),
    }
}

fn non_empty_or(value: &str, fallback: impl FnOnce() -> String) -> String {
    if value.is_empty() {
        fallback()
    } else {
        value.to_owned()
    }
}

/// Operations that only read state run in a read transaction (concurrently with each other).
/// STS's `GetSessionToken` and `GetFederationToken` issue credentials (they write access keys).
fn is_read_only(operation: &str) -> bool {
    ["Describe", "List", "Get"]
        .iter()
        .any(|p| operation.starts_with(p))
        && !matches!(operation, "GetSessionToken" | "GetFederationToken")
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

/// Creates an account with a fresh id; `None` when the email is already taken in the partition.
pub fn create_account(
    tx: &mut dyn localorg_store::WriteTx,
    ids: &IdGen,
    now_ms: i64,
    name: &str,
    email: &str,
    created_by_organization: bool,
) -> Result<Option<AccountRecord>, StoreError> {
    let email_key = Key::new().str(&email.to_lowercase());
    if ACCOUNTS
        .get_by(tx.as_read(), "email", &email_key)?
        .is_some()
    {
        return Ok(None);
    }
    let id = loop {
        let candidate = ids.account_id();
        if !ACCOUNTS.contains(tx.as_read(), &Key::new().str(&candidate))? {
            break candidate;
        }
    };
    let account = AccountRecord {
        id: id.clone(),
        name: name.to_owned(),
        email: email.to_owned(),
        status: "ACTIVE".to_owned(),
        created_ms: now_ms,
        closed_ms: None,
        created_by_organization,
        signup_complete: !created_by_organization,
    };
    ACCOUNTS.put(tx, &Key::new().str(&id), &account)?;
    Ok(Some(account))
}

fn issue_root_key(
    tx: &mut dyn localorg_store::WriteTx,
    ids: &IdGen,
    account: &AccountRecord,
    now_ms: i64,
) -> Result<SignupOutput, ApiError> {
    let access_key_id = ids.access_key_id("AKIA");
    let secret = ids.secret_access_key();
    let key = AccessKeyRecord {
        access_key_id: access_key_id.clone(),
        account_id: account.id.clone(),
        principal: PrincipalKind::Root,
        secret: secret.clone(),
        status: "Active".to_owned(),
        created_ms: now_ms,
        principal_id: account.id.clone(),
        principal_arn: String::new(),
        session: None,
    };
    ACCESS_KEYS.put(tx, &Key::new().str(&access_key_id), &key)?;
    Ok(SignupOutput {
        account_id: account.id.clone(),
        account_name: account.name.clone(),
        email: account.email.clone(),
        access_key_id,
        secret_access_key: secret.expose().to_owned(),
    })
}
