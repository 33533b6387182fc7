//! Who is calling, when, and the id generator: what every service operation receives besides its input.

use std::fmt;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Mutex;

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use zeroize::Zeroizing;

/// A secret string (secret access key, session token, password): never printed, zeroed on drop.
#[derive(Clone)]
pub struct Secret(Zeroizing<String>);

impl serde::Serialize for Secret {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl<'de> serde::Deserialize<'de> for Secret {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        String::deserialize(d).map(Secret::new)
    }
}

impl Secret {
    /// Wraps a secret.
    pub fn new(value: String) -> Self {
        Secret(Zeroizing::new(value))
    }

    /// The secret itself, for signature checks and the one answer that hands it out.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(..)")
    }
}

/// The kind of principal that signed a request.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum PrincipalKind {
    /// The account's root user.
    Root,
    /// Nobody: an unsigned call to an operation AWS serves without SigV4 (the access portal and
    /// OIDC, which authenticate with bearer tokens of their own).
    Anonymous,
    /// An IAM user.
    User {
        /// The user name.
        name: String,
    },
    /// A role session (`sts:AssumeRole*`): `arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION`.
    AssumedRole {
        /// The role's name.
        role_name: String,
        /// The role's path.
        role_path: String,
        /// The session name.
        session_name: String,
    },
    /// A federated user (`sts:GetFederationToken`): `arn:aws:sts::ACCOUNT:federated-user/NAME`.
    FederatedUser {
        /// The federated user's name.
        name: String,
        /// The IAM user whose credentials asked for the token.
        issuer_user: String,
    },
}

/// What temporary credentials carry besides the principal (STS sessions).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct SessionContext {
    /// Issued, ms since epoch.
    pub issued_ms: i64,
    /// Expires, ms since epoch.
    pub expires_ms: i64,
    /// When MFA was used to get these credentials, ms since epoch (`aws:MultiFactorAuthPresent`,
    /// `aws:MultiFactorAuthAge`).
    #[serde(default)]
    pub mfa_authenticated_ms: Option<i64>,
    /// Inline session policy documents (JSON text).
    #[serde(default)]
    pub policies: Vec<String>,
    /// Managed session policy ARNs.
    #[serde(default)]
    pub policy_arns: Vec<String>,
    /// Session tags (principal tags of the session), in the order given.
    #[serde(default)]
    pub tags: Vec<(String, String)>,
    /// Keys of the session tags that pass on to chained sessions.
    #[serde(default)]
    pub transitive_tag_keys: Vec<String>,
    /// `sts:SourceIdentity`.
    #[serde(default)]
    pub source_identity: Option<String>,
    /// The session came from another role session (role chaining: at most one hour).
    #[serde(default)]
    pub chained: bool,
}

/// The authenticated principal of a request.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Caller {
    /// The principal's account.
    pub account_id: String,
    /// The principal's ARN (`arn:aws:iam::123456789012:root`, ...).
    pub arn: String,
    /// What the principal is.
    pub kind: PrincipalKind,
    /// `aws:userid` (the account id for root).
    pub user_id: String,
    /// The access key that signed the request.
    pub access_key_id: String,
    /// For temporary credentials: the session's context.
    #[serde(default)]
    pub session: Option<SessionContext>,
}

impl Caller {
    /// The caller of an unsigned operation.
    pub fn anonymous() -> Caller {
        Caller {
            account_id: String::new(),
            arn: "anonymous".to_owned(),
            kind: PrincipalKind::Anonymous,
            user_id: String::new(),
            access_key_id: String::new(),
            session: None,
        }
    }

    /// The root user of `account_id`, signing with `access_key_id`.
    pub fn root(account_id: &str, access_key_id: &str) -> Caller {
        Caller {
            account_id: account_id.to_owned(),
            arn: format!("arn:aws:iam::{account_id}:root"),
            kind: PrincipalKind::Root,
            user_id: account_id.to_owned(),
            access_key_id: access_key_id.to_owned(),
            session: None,
        }
    }
}

/// Where time comes from: the system clock in production, a settable one in tests.
pub trait Clock: Send + Sync {
    /// Now.
    fn now(&self) -> jiff::Timestamp;
}

/// The system clock.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> jiff::Timestamp {
        jiff::Timestamp::now()
    }
}

/// A clock tests move by hand.
#[derive(Debug)]
pub struct ManualClock(AtomicI64);

impl ManualClock {
    /// Starts at `start`.
    pub fn new(start: jiff::Timestamp) -> Self {
        ManualClock(AtomicI64::new(start.as_millisecond()))
    }

    /// Moves the clock forward.
    pub fn advance(&self, by: jiff::SignedDuration) {
        self.0.fetch_add(by.as_millis() as i64, Ordering::SeqCst);
    }
}

impl Clock for ManualClock {
    fn now(&self) -> jiff::Timestamp {
        jiff::Timestamp::from_millisecond(self.0.load(Ordering::SeqCst))
            .unwrap_or(jiff::Timestamp::UNIX_EPOCH)
    }
}

/// Lower-case letters and digits: the alphabet of Organizations ids.
pub const LOWER_ALNUM: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";
/// Lower-case hexadecimal digits (UUIDs, Identity Center ids).
pub const LOWER_HEX: &[u8] = b"0123456789abcdef";
/// Letters and digits: opaque tokens (OIDC clients, device codes, access tokens).
pub const ALNUM: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
/// Upper-case Base32 (RFC 4648) as IAM unique ids and access key ids use.
pub const BASE32_UPPER: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
/// Characters of secret access keys.
pub const SECRET_CHARS: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Random ids: seedable so tests are deterministic.
#[derive(Debug)]
pub struct IdGen(Mutex<StdRng>);

impl IdGen {
    /// Seeded from the OS.
    pub fn from_entropy() -> Self {
        IdGen(Mutex::new(StdRng::from_os_rng()))
    }

    /// Deterministic.
    pub fn seeded(seed: u64) -> Self {
        IdGen(Mutex::new(StdRng::seed_from_u64(seed)))
    }

    /// `len` characters drawn from `alphabet`.
    pub fn string(&self, alphabet: &[u8], len: usize) -> String {
        let mut rng = self.0.lock().unwrap_or_else(|p| p.into_inner());
        (0..len)
            .map(|_| {
                let i = rng.random_range(0..alphabet.len());
                alphabet.get(i).copied().map_or('0', char::from)
            })
            .collect()
    }

    /// A 12-digit account id that does not start with 0 (so it never collides with the default one).
    pub fn account_id(&self) -> String {
        let mut rng = self.0.lock().unwrap_or_else(|p| p.into_inner());
        rng.random_range(100_000_000_000u64..1_000_000_000_000u64)
            .to_string()
    }

    /// A new AKIA/ASIA-style access key id: prefix + 16 Base32 characters.
    pub fn access_key_id(&self, prefix: &str) -> String {
        format!("{prefix}{}", self.string(BASE32_UPPER, 16))
    }

    /// A random version-4 UUID (`8-4-4-4-12` lower-case hex).
    pub fn uuid(&self) -> String {
        let hex = self.string(LOWER_HEX, 32);
        let part = |a: usize, b: usize| hex.get(a..b).unwrap_or_default().to_owned();
        format!(
            "{}-{}-4{}-a{}-{}",
            part(0, 8),
            part(8, 12),
            part(13, 16),
            part(17, 20),
            part(20, 32)
        )
    }

    /// A new 40-character secret access key.
    pub fn secret_access_key(&self) -> Secret {
        Secret::new(self.string(SECRET_CHARS, 40))
    }
}
