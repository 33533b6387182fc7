//! Encoded authorization messages (`DecodeAuthorizationMessage`) and `GetAccessKeyInfo`.
//!
//! An encoded message is self-contained: the decision JSON, a checksum, obfuscated with a fixed
//! keystream and written in URL-safe Base64 without padding (the alphabet of AWS's messages). It is
//! opaque to clients, not secret: localorg's enforcement produces it where AWS returns "Encoded
//! authorization failure message: …", and `sts:DecodeAuthorizationMessage` turns it back.

use localorg_model::generated::sts::{
    errors, DecodeAuthorizationMessageRequest, DecodeAuthorizationMessageResponse,
    GetAccessKeyInfoRequest, GetAccessKeyInfoResponse,
};
use localorg_model::ApiError;
use localorg_policy::{ContextValue, Decision, Effect, Outcome, Request};
use serde_json::{json, Value};

use localorg_kernel::credentials;
use localorg_kernel::Ctx;

/// The format's first byte.
const VERSION: u8 = 1;

const URL_SAFE: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// The encoded form of a decision (the JSON `DecodeAuthorizationMessage` returns, e.g. from
/// [`authorization_message`]).
pub fn encode_authorization_message(decision_json: &Value) -> String {
    let payload = decision_json.to_string().into_bytes();
    let mut bytes = Vec::with_capacity(payload.len() + 9);
    bytes.push(VERSION);
    bytes.extend_from_slice(&fnv1a(&payload).to_be_bytes());
    bytes.extend_from_slice(&payload);
    keystream_xor(&mut bytes);
    base64url_encode(&bytes)
}

/// The decision JSON of an encoded message; `None` when it is not one localorg produced.
pub fn decode(encoded: &str) -> Option<Value> {
    let mut bytes = base64url_decode(encoded.trim())?;
    keystream_xor(&mut bytes);
    let (&version, rest) = bytes.split_first()?;
    if version != VERSION || rest.len() < 8 {
        return None;
    }
    let (sum, payload) = rest.split_at(8);
    if fnv1a(payload).to_be_bytes().as_slice() != sum {
        return None;
    }
    serde_json::from_slice(payload).ok()
}

/// AWS's decoded-message shape for an engine decision:
/// `{"allowed", "explicitDeny", "matchedStatements": {"items": [...]}, "failures": {"items": []},
/// "context": {"principal": {"id", "arn"}, "action", "resource", "conditions": {"items": [...]}}}`.
/// Matched statements name the deciding policy (`policyId`, `policyType`, localorg additions), the
/// statement's `statementId` (Sid) and `effect`.
pub fn authorization_message(decision: &Decision, request: &Request) -> Value {
    let statements: Vec<Value> = decision
        .deciding
        .iter()
        .map(|d| {
            json!({
                "statementId": d.sid.as_deref().unwrap_or(""),
                "effect": match d.effect { Effect::Allow => "ALLOW", Effect::Deny => "DENY" },
                "policyId": &*d.policy,
                "policyType": d.kind.as_str(),
                "statementIndex": d.index,
            })
        })
        .collect();
    let conditions: Vec<Value> = request
        .context()
        .iter()
        .map(|(key, value)| {
            let values: Vec<Value> = match value {
                ContextValue::Single(v) => vec![json!({ "value": v })],
                ContextValue::Multi(vs) => vs.iter().map(|v| json!({ "value": v })).collect(),
            };
            json!({ "key": key, "values": { "items": values } })
        })
        .collect();
    let principal = request.principal();
    let name = principal.arn.rsplit('/').next().unwrap_or_default();
    json!({
        "allowed": decision.effect == Outcome::Allow,
        "explicitDeny": decision.effect == Outcome::ExplicitDeny,
        "matchedStatements": { "items": statements },
        "failures": { "items": [] },
        "context": {
            "principal": {
                "id": principal.user_id.clone().unwrap_or_default(),
                "name": name,
                "arn": principal.arn,
            },
            "action": request.action(),
            "resource": request.resource(),
            "conditions": { "items": conditions },
        },
    })
}

/// `DecodeAuthorizationMessage`.
pub fn decode_authorization_message(
    input: DecodeAuthorizationMessageRequest,
) -> Result<DecodeAuthorizationMessageResponse, ApiError> {
    let decoded = decode(&input.encoded_message).ok_or_else(|| {
        errors::INVALID_AUTHORIZATION_MESSAGE_EXCEPTION
            .error("The encoded authorization message is invalid.")
    })?;
    Ok(DecodeAuthorizationMessageResponse {
        decoded_message: Some(decoded.to_string()),
    })
}

/// `GetAccessKeyInfo`: the account of a key localorg issued (long-term or temporary, active or
/// not). For a key localorg does not know, AWS still answers for well-formed ids: it reads the
/// account id encoded in the id's bits (the Base32 of the 10 bytes after the 4-letter prefix,
/// bits 1..=40 of the first 6 bytes after dropping the low 7 bits), and so does localorg.
pub fn get_access_key_info(
    ctx: &mut Ctx<'_>,
    input: GetAccessKeyInfoRequest,
) -> Result<GetAccessKeyInfoResponse, ApiError> {
    let id = input.access_key_id.as_str();
    if let Some(key) = credentials::get(ctx.tx.read(), id)? {
        return Ok(GetAccessKeyInfoResponse {
            account: Some(key.account_id),
        });
    }
    let account = account_in_key_id(id).ok_or_else(|| {
        ApiError::new(
            "ValidationError",
            400,
            format!("The access key id {id} is not valid."),
        )
    })?;
    Ok(GetAccessKeyInfoResponse {
        account: Some(account),
    })
}

/// The account id encoded in an `AKIA…`/`ASIA…` key id (20 characters).
fn account_in_key_id(id: &str) -> Option<String> {
    let prefix = id.get(..4)?;
    if !matches!(prefix, "AKIA" | "ASIA") || id.len() != 20 {
        return None;
    }
    let bits = base32_decode(id.get(4..)?)?;
    let mut first = [0u8; 8];
    first.get_mut(2..8)?.copy_from_slice(bits.get(..6)?);
    let account = (u64::from_be_bytes(first) & 0x7fff_ffff_ff80) >> 7;
    Some(format!("{account:012}"))
}

fn base32_decode(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    let (mut buffer, mut bits) = (0u64, 0u32);
    for c in text.bytes() {
        let value = match c {
            b'A'..=b'Z' => c - b'A',
            b'2'..=b'7' => c - b'2' + 26,
            _ => return None,
        };
        buffer = (buffer << 5) | u64::from(value);
        bits += 5;
        if bits >= 8 {
            bits -= 8;
            out.push(u8::try_from((buffer >> bits) & 0xff).ok()?);
        }
    }
    Some(out)
}

fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// XORs with a fixed xorshift keystream (obfuscation, not encryption).
fn keystream_xor(bytes: &mut [u8]) {
    let mut state = 0x6c6f_6361_6c6f_7267u64; // "localorg"
    for b in bytes.iter_mut() {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        *b ^= state.to_le_bytes().first().copied().unwrap_or(0);
    }
}

fn base64url_encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    let sym = |i: u32| char::from(URL_SAFE.get((i & 63) as usize).copied().unwrap_or(b'A'));
    for chunk in bytes.chunks(3) {
        let b = |i: usize| u32::from(chunk.get(i).copied().unwrap_or(0));
        let n = (b(0) << 16) | (b(1) << 8) | b(2);
        out.push(sym(n >> 18));
        out.push(sym(n >> 12));
        if chunk.len() > 1 {
            out.push(sym(n >> 6));
        }
        if chunk.len() > 2 {
            out.push(sym(n));
        }
    }
    out
}

fn base64url_decode(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let (mut buffer, mut bits) = (0u32, 0u32);
    for c in text.bytes() {
        let value = URL_SAFE.iter().position(|s| *s == c)?;
        buffer = (buffer << 6) | u32::try_from(value).ok()?;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push(u8::try_from((buffer >> bits) & 0xff).ok()?);
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_tamper() {
        let v =
            json!({"allowed": false, "explicitDeny": true, "context": {"action": "s3:GetObject"}});
        let enc = encode_authorization_message(&v);
        assert!(enc.bytes().all(|b| URL_SAFE.contains(&b)));
        assert_eq!(decode(&enc), Some(v));
        let mut bad = enc.clone();
        bad.replace_range(10..11, if &enc[10..11] == "A" { "B" } else { "A" });
        assert_eq!(decode(&bad), None);
        assert_eq!(decode("not a message!"), None);
    }

    #[test]
    fn account_from_key_id() {
        // A widely published example key id and the account it encodes.
        assert_eq!(
            account_in_key_id("ASIAQNZGKIQY56JQ7WML").as_deref(),
            Some("029608264753")
        );
        assert_eq!(account_in_key_id("AKIA123"), None);
    }
}
