//! Order-preserving encoding of key tuples.
//!
//! A key is a tuple of parts; each part is a type tag followed by its payload:
//!
//! | part  | tag    | payload                                                          |
//! |-------|--------|------------------------------------------------------------------|
//! | bytes | `0x01` | the bytes, each `0x00` escaped as `0x00 0xFF`, terminated by a lone `0x00` |
//! | str   | `0x02` | UTF-8, escaped and terminated like bytes                         |
//! | u64   | `0x03` | 8 bytes big-endian                                               |
//! | i64   | `0x04` | 8 bytes big-endian of the value with its sign bit flipped        |
//!
//! Properties (checked by property tests):
//! - comparing encodings bytewise orders tuples part by part (parts of different types order
//!   by tag), and a tuple sorts before every longer tuple that extends it;
//! - the extensions of a tuple `t` (including `t`) are exactly the keys in
//!   `[enc(t), enc(t) ++ 0xFF)`: after a string's terminator `0x00` comes a tag
//!   (`0x01..=0x04`) or nothing, while an escaped `0x00` inside a string is followed by
//!   `0xFF`. So [`Key::prefix_range`] over `("acct", "user")` never matches
//!   `("acct", "users", ...)` nor `("acct", "user\0x")`. (A plain byte-prefix scan would
//!   match the latter: always scan tuples with `prefix_range`, not `scan_prefix`.)
//! - concatenating two encoded tuples gives the encoding of the concatenated tuple;
//! - decoding returns the parts.

use std::fmt;

use crate::range::KeyRange;

const TAG_BYTES: u8 = 0x01;
const TAG_STR: u8 = 0x02;
const TAG_U64: u8 = 0x03;
const TAG_I64: u8 = 0x04;
const ESCAPE: u8 = 0xFF;

/// An encoded key tuple, built with chained calls: `Key::new().str("acct").u64(7)`.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Key(Vec<u8>);

/// One decoded part of a key.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum KeyPart {
    /// Raw bytes.
    Bytes(Vec<u8>),
    /// A string.
    Str(String),
    /// An unsigned integer.
    U64(u64),
    /// A signed integer.
    I64(i64),
}

/// The bytes are not a valid key encoding.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid key encoding: {0}")]
pub struct KeyError(pub &'static str);

impl From<KeyError> for crate::StoreError {
    fn from(e: KeyError) -> Self {
        crate::StoreError::Corrupt(e.to_string())
    }
}

fn push_escaped(out: &mut Vec<u8>, tag: u8, bytes: &[u8]) {
    out.reserve(bytes.len() + 2);
    out.push(tag);
    for &b in bytes {
        out.push(b);
        if b == 0 {
            out.push(ESCAPE);
        }
    }
    out.push(0);
}

impl Key {
    /// The empty tuple.
    pub fn new() -> Key {
        Key(Vec::new())
    }

    /// Appends a string part.
    #[must_use]
    pub fn str(mut self, s: &str) -> Key {
        push_escaped(&mut self.0, TAG_STR, s.as_bytes());
        self
    }

    /// Appends the beginning of a string part, without its terminator: as a range prefix
    /// ([`KeyRange::prefix`] of its bytes) it matches exactly the keys whose next part is a
    /// string that starts with `s` (S3 lists object keys by prefix this way).
    #[must_use]
    pub fn str_prefix(mut self, s: &str) -> Key {
        push_escaped(&mut self.0, TAG_STR, s.as_bytes());
        self.0.pop();
        self
    }

    /// Appends a bytes part.
    #[must_use]
    pub fn bytes(mut self, b: &[u8]) -> Key {
        push_escaped(&mut self.0, TAG_BYTES, b);
        self
    }

    /// Appends an unsigned integer part.
    #[must_use]
    pub fn u64(mut self, v: u64) -> Key {
        self.0.push(TAG_U64);
        self.0.extend_from_slice(&v.to_be_bytes());
        self
    }

    /// Appends a signed integer part.
    #[must_use]
    pub fn i64(mut self, v: i64) -> Key {
        self.0.push(TAG_I64);
        self.0
            .extend_from_slice(&((v as u64) ^ (1u64 << 63)).to_be_bytes());
        self
    }

    /// Appends a decoded part.
    #[must_use]
    pub fn part(self, p: &KeyPart) -> Key {
        match p {
            KeyPart::Bytes(b) => self.bytes(b),
            KeyPart::Str(s) => self.str(s),
            KeyPart::U64(v) => self.u64(*v),
            KeyPart::I64(v) => self.i64(*v),
        }
    }

    /// Appends all parts of another key.
    #[must_use]
    pub fn concat(mut self, other: &Key) -> Key {
        self.0.extend_from_slice(&other.0);
        self
    }

    /// Wraps bytes after checking they are a valid encoding.
    pub fn from_bytes(bytes: Vec<u8>) -> Result<Key, KeyError> {
        let mut d = KeyDecoder::new(&bytes);
        while d.next_part()?.is_some() {}
        Ok(Key(bytes))
    }

    /// The encoded bytes.
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    /// The encoded bytes, by value.
    pub fn into_bytes(self) -> Vec<u8> {
        self.0
    }

    /// True for the empty tuple.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The range of every key that extends this tuple (including itself):
    /// `[self, self ++ 0xFF)`.
    pub fn prefix_range(&self) -> KeyRange {
        if self.0.is_empty() {
            return KeyRange::all();
        }
        let mut end = self.0.clone();
        end.push(ESCAPE);
        KeyRange::between(&self.0, &end)
    }

    /// True when `other` encodes a tuple that extends `self` (or equals it).
    pub fn is_prefix_of(&self, other: &[u8]) -> bool {
        match other.strip_prefix(self.0.as_slice()) {
            Some(rest) => rest.first() != Some(&ESCAPE),
            None => false,
        }
    }

    /// A decoder over the parts.
    pub fn decoder(&self) -> KeyDecoder<'_> {
        KeyDecoder::new(&self.0)
    }

    /// Decodes every part.
    pub fn parts(&self) -> Result<Vec<KeyPart>, KeyError> {
        decode(&self.0)
    }
}

impl AsRef<[u8]> for Key {
    fn as_ref(&self) -> &[u8] {
        &self.0
    }
}

impl From<Key> for Vec<u8> {
    fn from(k: Key) -> Vec<u8> {
        k.0
    }
}

impl fmt::Debug for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match decode(&self.0) {
            Ok(parts) => {
                let mut t = f.debug_tuple("Key");
                for p in &parts {
                    match p {
                        KeyPart::Bytes(b) => t.field(b),
                        KeyPart::Str(s) => t.field(s),
                        KeyPart::U64(v) => t.field(v),
                        KeyPart::I64(v) => t.field(v),
                    };
                }
                t.finish()
            }
            Err(_) => write!(f, "Key(invalid {:02x?})", self.0),
        }
    }
}

/// Decodes every part of an encoded key.
pub fn decode(bytes: &[u8]) -> Result<Vec<KeyPart>, KeyError> {
    let mut d = KeyDecoder::new(bytes);
    let mut out = Vec::new();
    while let Some(p) = d.next_part()? {
        out.push(p);
    }
    Ok(out)
}

/// Reads the parts of an encoded key one by one.
#[derive(Debug, Clone)]
pub struct KeyDecoder<'a> {
    rest: &'a [u8],
}

impl<'a> KeyDecoder<'a> {
    /// A decoder over `bytes`.
    pub fn new(bytes: &'a [u8]) -> Self {
        KeyDecoder { rest: bytes }
    }

    /// The bytes not decoded yet (themselves a valid key if the input was).
    pub fn remaining(&self) -> &'a [u8] {
        self.rest
    }

    /// True when every part has been read.
    pub fn is_done(&self) -> bool {
        self.rest.is_empty()
    }

    fn unescape(&mut self) -> Result<Vec<u8>, KeyError> {
        let mut out = Vec::new();
        let mut iter = self.rest.iter().enumerate();
        while let Some((i, &b)) = iter.next() {
            if b == 0 {
                if self.rest.get(i + 1) == Some(&ESCAPE) {
                    out.push(0);
                    iter.next();
                } else {
                    self.rest = self.rest.get(i + 1..).unwrap_or_default();
                    return Ok(out);
                }
            } else {
                out.push(b);
            }
        }
        Err(KeyError("unterminated string"))
    }

    fn fixed8(&mut self) -> Result<[u8; 8], KeyError> {
        let (head, tail) = self
            .rest
            .split_first_chunk::<8>()
            .ok_or(KeyError("truncated integer"))?;
        self.rest = tail;
        Ok(*head)
    }

    /// The next part, or `None` at the end.
    pub fn next_part(&mut self) -> Result<Option<KeyPart>, KeyError> {
        let Some((&tag, tail)) = self.rest.split_first() else {
            return Ok(None);
        };
        self.rest = tail;
        let part = match tag {
            TAG_BYTES => KeyPart::Bytes(self.unescape()?),
            TAG_STR => KeyPart::Str(
                String::from_utf8(self.unescape()?).map_err(|_| KeyError("invalid UTF-8"))?,
            ),
            TAG_U64 => KeyPart::U64(u64::from_be_bytes(self.fixed8()?)),
            TAG_I64 => KeyPart::I64((u64::from_be_bytes(self.fixed8()?) ^ (1u64 << 63)) as i64),
            _ => return Err(KeyError("unknown tag")),
        };
        Ok(Some(part))
    }

    /// The next part, which must be a string.
    pub fn str(&mut self) -> Result<String, KeyError> {
        match self.next_part()? {
            Some(KeyPart::Str(s)) => Ok(s),
            _ => Err(KeyError("expected a string part")),
        }
    }

    /// The next part, which must be bytes.
    pub fn bytes(&mut self) -> Result<Vec<u8>, KeyError> {
        match self.next_part()? {
            Some(KeyPart::Bytes(b)) => Ok(b),
            _ => Err(KeyError("expected a bytes part")),
        }
    }

    /// The next part, which must be a u64.
    pub fn u64(&mut self) -> Result<u64, KeyError> {
        match self.next_part()? {
            Some(KeyPart::U64(v)) => Ok(v),
            _ => Err(KeyError("expected a u64 part")),
        }
    }

    /// The next part, which must be an i64.
    pub fn i64(&mut self) -> Result<i64, KeyError> {
        match self.next_part()? {
            Some(KeyPart::I64(v)) => Ok(v),
            _ => Err(KeyError("expected an i64 part")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn part() -> impl Strategy<Value = KeyPart> {
        prop_oneof![
            proptest::collection::vec(prop_oneof![Just(0u8), Just(0xFFu8), any::<u8>()], 0..6)
                .prop_map(KeyPart::Bytes),
            "[a\\x00\\x01\\u{ff}\\u{10000}b-]{0,5}".prop_map(KeyPart::Str),
            prop_oneof![Just(0u64), Just(u64::MAX), any::<u64>()].prop_map(KeyPart::U64),
            prop_oneof![
                Just(0i64),
                Just(-1i64),
                Just(i64::MIN),
                Just(i64::MAX),
                any::<i64>()
            ]
            .prop_map(KeyPart::I64),
        ]
    }

    fn tuple() -> impl Strategy<Value = Vec<KeyPart>> {
        proptest::collection::vec(part(), 0..4)
    }

    fn tag(p: &KeyPart) -> u8 {
        match p {
            KeyPart::Bytes(_) => TAG_BYTES,
            KeyPart::Str(_) => TAG_STR,
            KeyPart::U64(_) => TAG_U64,
            KeyPart::I64(_) => TAG_I64,
        }
    }

    /// The intended tuple order: part by part, parts by (type tag, natural value order).
    fn cmp_tuple(a: &[KeyPart], b: &[KeyPart]) -> std::cmp::Ordering {
        for (x, y) in a.iter().zip(b) {
            let o = tag(x).cmp(&tag(y)).then_with(|| match (x, y) {
                (KeyPart::Bytes(p), KeyPart::Bytes(q)) => p.cmp(q),
                (KeyPart::Str(p), KeyPart::Str(q)) => p.cmp(q),
                (KeyPart::U64(p), KeyPart::U64(q)) => p.cmp(q),
                (KeyPart::I64(p), KeyPart::I64(q)) => p.cmp(q),
                _ => std::cmp::Ordering::Equal,
            });
            if o.is_ne() {
                return o;
            }
        }
        a.len().cmp(&b.len())
    }

    fn enc(t: &[KeyPart]) -> Key {
        t.iter().fold(Key::new(), |k, p| k.part(p))
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

        #[test]
        fn round_trips(t in tuple()) {
            let k = enc(&t);
            prop_assert_eq!(k.parts().unwrap(), t);
            prop_assert!(Key::from_bytes(k.as_bytes().to_vec()).is_ok());
        }

        #[test]
        fn preserves_order(a in tuple(), b in tuple()) {
            let (ka, kb) = (enc(&a), enc(&b));
            prop_assert_eq!(ka.as_bytes().cmp(kb.as_bytes()), cmp_tuple(&a, &b));
        }

        #[test]
        fn prefix_matches_only_extensions(a in tuple(), b in tuple()) {
            let (ka, kb) = (enc(&a), enc(&b));
            let is_ext = b.len() >= a.len() && b.get(..a.len()) == Some(&a[..]);
            prop_assert_eq!(ka.is_prefix_of(kb.as_bytes()), is_ext);
            prop_assert_eq!(ka.prefix_range().contains(kb.as_bytes()), is_ext);
        }

        #[test]
        fn concat_is_tuple_concat(a in tuple(), b in tuple()) {
            let mut ab = a.clone();
            ab.extend(b.iter().cloned());
            prop_assert_eq!(enc(&a).concat(&enc(&b)), enc(&ab));
        }

        #[test]
        fn a_string_prefix_matches_exactly_the_strings_that_start_with_it(
            head in "[a-c\\x00/é]{0,4}", s in "[a-c\\x00/é]{0,6}", tail in any::<u64>()
        ) {
            let range = crate::KeyRange::prefix(Key::new().u64(7).str_prefix(&head).as_bytes());
            let key = Key::new().u64(7).str(&s).u64(tail);
            prop_assert_eq!(range.contains(key.as_bytes()), s.starts_with(&head));
        }

        #[test]
        fn decoding_garbage_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..24)) {
            let _ = decode(&bytes);
        }
    }

    #[test]
    fn string_prefix_does_not_match_longer_string() {
        let users = Key::new().str("acct").str("user");
        let other = Key::new().str("acct").str("users").str("x");
        assert!(!users.is_prefix_of(other.as_bytes()));
        let nul = Key::new().str("acct").str("user\0x");
        assert!(!users.is_prefix_of(nul.as_bytes()));
        assert!(users.is_prefix_of(Key::new().str("acct").str("user").str("bob").as_bytes()));
    }

    #[test]
    fn typed_decoder() {
        let k = Key::new().str("a").u64(5).i64(-3).bytes(b"\0z");
        let mut d = k.decoder();
        assert_eq!(d.str().unwrap(), "a");
        assert_eq!(d.u64().unwrap(), 5);
        assert_eq!(d.i64().unwrap(), -3);
        assert_eq!(d.bytes().unwrap(), b"\0z");
        assert!(d.is_done());
        assert!(d.str().is_err());
        assert_eq!(format!("{:?}", Key::new().str("a").u64(1)), "Key(\"a\", 1)");
    }
}
