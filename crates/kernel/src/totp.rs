//! TOTP (RFC 6238: HOTP of RFC 4226 with HMAC-SHA-1, 30-second steps, 6 digits): the codes of
//! virtual MFA devices, IAM's and Identity Center users' alike.

use hmac::{Hmac, Mac};

use crate::context::BASE32_UPPER;

/// The step, in seconds.
pub const STEP: i64 = 30;
/// Digits of a code.
pub const DIGITS: u32 = 6;

/// The TOTP time step of `now`.
pub fn current_step(now: jiff::Timestamp) -> u64 {
    u64::try_from(now.as_second().div_euclid(STEP)).unwrap_or(0)
}

/// True when `code` is the 6-digit code of `key` at `step`.
pub fn code_matches(key: &[u8], step: u64, code: &str) -> bool {
    let Ok(given) = code.trim().parse::<u32>() else {
        return false;
    };
    code.trim().len() == DIGITS as usize && hotp(key, step, DIGITS) == Some(given)
}

/// HOTP (RFC 4226) with HMAC-SHA-1: the `digits`-digit code of `counter`.
pub fn hotp(key: &[u8], counter: u64, digits: u32) -> Option<u32> {
    let mut mac = Hmac::<sha1::Sha1>::new_from_slice(key).ok()?;
    mac.update(&counter.to_be_bytes());
    let hash = mac.finalize().into_bytes();
    let offset = usize::from(hash.last()? & 0x0f);
    let window = hash.get(offset..offset + 4)?;
    let bytes: [u8; 4] = window.try_into().ok()?;
    let binary = u32::from_be_bytes(bytes) & 0x7fff_ffff;
    Some(binary % 10u32.checked_pow(digits)?)
}

/// RFC 4648 Base32 (upper case, padding optional) to bytes.
pub fn base32_decode(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len() * 5 / 8);
    let (mut buffer, mut bits) = (0u32, 0u32);
    for c in text.trim_end_matches('=').bytes() {
        let value = BASE32_UPPER
            .iter()
            .position(|a| *a == c.to_ascii_uppercase())?;
        buffer = (buffer << 5) | u32::try_from(value).ok()?;
        bits += 5;
        if bits >= 8 {
            bits -= 8;
            out.push(u8::try_from((buffer >> bits) & 0xff).ok()?);
        }
    }
    Some(out)
}

/// The step at which `code` is valid for the Base32 `seed` at `now` (the current step or one
/// either side), newer than `last_step` (each code is accepted once).
pub fn accepted_step(
    seed: &str,
    last_step: Option<u64>,
    code: &str,
    now: jiff::Timestamp,
) -> Option<u64> {
    let key = base32_decode(seed)?;
    let current = current_step(now);
    (current.saturating_sub(1)..=current.saturating_add(1))
        .filter(|s| last_step.is_none_or(|last| *s > last))
        .find(|s| code_matches(&key, *s, code))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc6238_vectors() {
        let key = b"12345678901234567890";
        for (t, code) in [
            (59u64, 94287082u32),
            (1111111109, 7081804),
            (1111111111, 14050471),
            (1234567890, 89005924),
            (2000000000, 69279037),
            (20000000000, 65353130),
        ] {
            assert_eq!(hotp(key, t / 30, 8), Some(code), "t = {t}");
        }
    }

    #[test]
    fn base32_round_trip() {
        // RFC 4648 test vectors.
        assert_eq!(base32_decode("MZXW6YTBOI======").unwrap(), b"foobar");
        assert_eq!(base32_decode("MZXW6YQ").unwrap(), b"foob");
        assert_eq!(
            base32_decode("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ").unwrap(),
            b"12345678901234567890"
        );
        assert!(base32_decode("not base32!").is_none());
    }

    #[test]
    fn six_digit_codes_and_steps() {
        let key = b"12345678901234567890";
        // The 8-digit code's last 6 digits are the 6-digit code.
        assert_eq!(hotp(key, 1, 6), Some(287082));
        assert!(code_matches(key, 1, "287082"));
        assert!(!code_matches(key, 1, "28708"));
        assert!(!code_matches(key, 2, "287082"));
        let t = jiff::Timestamp::from_second(59).unwrap();
        assert_eq!(current_step(t), 1);
    }

    #[test]
    fn a_code_is_accepted_once() {
        let seed = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
        let t = jiff::Timestamp::from_second(59).unwrap();
        assert_eq!(accepted_step(seed, None, "287082", t), Some(1));
        assert_eq!(accepted_step(seed, Some(1), "287082", t), None);
    }
}
