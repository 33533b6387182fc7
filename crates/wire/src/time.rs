//! Timestamps: canonical epoch seconds <-> ISO 8601, RFC 822 and epoch text.

use serde_json::Value;

/// Epoch seconds as a canonical JSON number: an integer when whole, else a float.
pub(crate) fn number(secs: f64) -> Value {
    if secs.fract() == 0.0 && secs.abs() < 9.0e15 {
        Value::from(secs as i64)
    } else {
        serde_json::Number::from_f64(secs).map_or(Value::Null, Value::Number)
    }
}

/// Parses timestamp text in any of the formats AWS clients send: ISO 8601 / RFC 3339 (with or
/// without fraction and offset), RFC 822 / HTTP dates, or epoch seconds.
pub(crate) fn parse(text: &str) -> Option<f64> {
    let t = text.trim();
    if t.is_empty() {
        return None;
    }
    if let Ok(n) = t.parse::<f64>() {
        return n.is_finite().then_some(n);
    }
    if let Ok(ts) = t.parse::<jiff::Timestamp>() {
        return Some(seconds_of(ts));
    }
    // ISO 8601 without an offset: read as UTC.
    if let Ok(dt) = t.trim_end_matches('Z').parse::<jiff::civil::DateTime>() {
        if let Ok(z) = dt.to_zoned(jiff::tz::TimeZone::UTC) {
            return Some(seconds_of(z.timestamp()));
        }
    }
    if let Ok(z) = jiff::fmt::rfc2822::parse(t) {
        return Some(seconds_of(z.timestamp()));
    }
    None
}

fn seconds_of(ts: jiff::Timestamp) -> f64 {
    ts.as_second() as f64 + f64::from(ts.subsec_nanosecond()) / 1e9
}

/// Splits epoch seconds into a jiff timestamp rounded to milliseconds.
fn to_timestamp(secs: f64) -> Option<jiff::Timestamp> {
    if !secs.is_finite() {
        return None;
    }
    let ms = (secs * 1000.0).round();
    if ms.abs() > 2.5e17 {
        return None;
    }
    jiff::Timestamp::from_millisecond(ms as i64).ok()
}

/// `2024-01-01T00:00:00Z`, or `2024-01-01T00:00:00.123Z` when there are milliseconds.
pub(crate) fn iso8601(secs: f64) -> Option<String> {
    let ts = to_timestamp(secs)?;
    let mut out = ts.strftime("%Y-%m-%dT%H:%M:%S").to_string();
    let ms = ts.subsec_millisecond();
    if ms != 0 {
        out.push_str(&format!(".{ms:03}"));
    }
    out.push('Z');
    Some(out)
}

/// `Mon, 01 Jan 2024 00:00:00 GMT` (the HTTP date form of RFC 822).
pub(crate) fn rfc822(secs: f64) -> Option<String> {
    let ts = to_timestamp(secs)?;
    Some(ts.strftime("%a, %d %b %Y %H:%M:%S GMT").to_string())
}

/// Epoch seconds of a canonical timestamp value (a number, or tolerated text).
pub(crate) fn seconds(v: &Value) -> Option<f64> {
    match v {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => parse(s),
        _ => None,
    }
}

/// Renders a canonical timestamp as text in a model `timestampFormat` (`default` is used when the
/// shape has none).
pub(crate) fn format(secs: f64, shape_format: Option<&str>, default: &str) -> Option<String> {
    match shape_format.unwrap_or(default) {
        "unixTimestamp" => match number(secs) {
            Value::Number(n) => Some(n.to_string()),
            _ => None,
        },
        "rfc822" => rfc822(secs),
        _ => iso8601(secs),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_client_forms() {
        assert_eq!(parse("2024-01-01T00:00:00Z"), Some(1_704_067_200.0));
        assert_eq!(parse("2024-01-01T00:00:00.500Z"), Some(1_704_067_200.5));
        assert_eq!(parse("2024-01-01T01:00:00+01:00"), Some(1_704_067_200.0));
        assert_eq!(parse("2024-01-01T00:00:00"), Some(1_704_067_200.0));
        assert_eq!(
            parse("Mon, 01 Jan 2024 00:00:00 GMT"),
            Some(1_704_067_200.0)
        );
        assert_eq!(parse("1704067200"), Some(1_704_067_200.0));
        assert_eq!(parse("nope"), None);
    }

    #[test]
    fn formats() {
        assert_eq!(iso8601(1_704_067_200.0).unwrap(), "2024-01-01T00:00:00Z");
        assert_eq!(
            iso8601(1_704_067_200.25).unwrap(),
            "2024-01-01T00:00:00.250Z"
        );
        assert_eq!(
            rfc822(1_704_067_200.0).unwrap(),
            "Mon, 01 Jan 2024 00:00:00 GMT"
        );
        assert_eq!(number(5.0), Value::from(5));
        assert_eq!(number(5.5), Value::from(5.5));
    }
}
