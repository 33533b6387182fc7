//! Scalar types the generated API uses where Rust has no single obvious one.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A point in time as AWS models it. In the canonical JSON form shared by every protocol
/// (see `localorg-wire`), a timestamp is a number of seconds since the Unix epoch (fraction allowed);
/// the wire layer renders it per protocol (epoch seconds for JSON, ISO 8601 for XML).
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Timestamp(pub f64);

impl Timestamp {
    /// From whole milliseconds since the epoch.
    pub fn from_millis(ms: i64) -> Self {
        Timestamp(ms as f64 / 1000.0)
    }

    /// Whole milliseconds since the epoch.
    pub fn as_millis(self) -> i64 {
        (self.0 * 1000.0).round() as i64
    }
}

/// Binary data. In the canonical JSON form it is a base64 string, as on every AWS protocol.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Blob(pub Vec<u8>);

impl Serialize for Blob {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use base64::Engine as _;
        s.serialize_str(&base64::engine::general_purpose::STANDARD.encode(&self.0))
    }
}

impl<'de> Deserialize<'de> for Blob {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use base64::Engine as _;
        let text = String::deserialize(d)?;
        base64::engine::general_purpose::STANDARD
            .decode(text.as_bytes())
            .map(Blob)
            .map_err(serde::de::Error::custom)
    }
}
