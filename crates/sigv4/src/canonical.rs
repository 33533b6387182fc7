//! The canonical request of SigV4 for non-S3 services.

use percent_encoding::{percent_decode, percent_encode, AsciiSet, NON_ALPHANUMERIC};

/// Everything but the RFC 3986 unreserved characters is encoded.
const QUERY_SET: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// As [`QUERY_SET`], but `/` separates path segments and stays.
const PATH_SET: &AsciiSet = &QUERY_SET.remove(b'/');

/// Removes dot segments (RFC 3986 5.2.4) and empty segments (AWS collapses
/// consecutive slashes) from an absolute path. Works on the raw path, so an
/// encoded `%2E%2E` is data, not a dot segment.
pub(crate) fn normalize_path(raw: &str) -> String {
    if raw.is_empty() {
        return "/".to_owned();
    }
    let mut segments: Vec<&str> = Vec::new();
    for segment in raw.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                segments.pop();
            }
            other => segments.push(other),
        }
    }
    let mut out = String::with_capacity(raw.len() + 1);
    out.push('/');
    out.push_str(&segments.join("/"));
    let trailing = ["/", "/.", "/.."].iter().any(|s| raw.ends_with(s));
    if trailing && !out.ends_with('/') {
        out.push('/');
    }
    out
}

/// The canonical URI: the raw (already percent-encoded) path, normalized, and
/// URI-encoded again, so `%3A` on the wire becomes `%253A` ("double encoding",
/// which every non-S3 service uses).
pub(crate) fn canonical_uri(raw_path: &str) -> String {
    let normalized = normalize_path(raw_path);
    percent_encode(normalized.as_bytes(), PATH_SET).to_string()
}

/// Decodes one query component as a server does: `+` is a space, `%XX` a byte;
/// a malformed escape stays literal.
fn decode_component(raw: &[u8]) -> Vec<u8> {
    let plus_as_space: Vec<u8> = raw
        .iter()
        .map(|&b| if b == b'+' { b' ' } else { b })
        .collect();
    percent_decode(&plus_as_space).collect()
}

/// Splits a raw query string into decoded `(name, value)` pairs, in order.
/// Empty pieces (`a=1&&b=2`) are skipped; `name` without `=` has an empty value.
pub(crate) fn parse_query(raw: &str) -> Vec<(Vec<u8>, Vec<u8>)> {
    raw.as_bytes()
        .split(|&b| b == b'&')
        .filter(|piece| !piece.is_empty())
        .map(|piece| {
            let (name, value) = match piece.iter().position(|&b| b == b'=') {
                Some(eq) => (
                    piece.get(..eq).unwrap_or_default(),
                    piece.get(eq + 1..).unwrap_or_default(),
                ),
                None => (piece, &[][..]),
            };
            (decode_component(name), decode_component(value))
        })
        .collect()
}

/// The first decoded value of query parameter `name`, as (lossy) UTF-8.
pub(crate) fn query_param(pairs: &[(Vec<u8>, Vec<u8>)], name: &str) -> Option<String> {
    pairs
        .iter()
        .find(|(k, _)| k.as_slice() == name.as_bytes())
        .map(|(_, v)| String::from_utf8_lossy(v).into_owned())
}

/// The canonical query string: every pair re-encoded, sorted by encoded name
/// then encoded value, joined with `&`. `skip` names a parameter to leave out
/// (`X-Amz-Signature` for presigned requests).
pub(crate) fn canonical_query(pairs: &[(Vec<u8>, Vec<u8>)], skip: Option<&str>) -> String {
    let mut encoded: Vec<(String, String)> = pairs
        .iter()
        .filter(|(k, _)| skip.is_none_or(|s| k.as_slice() != s.as_bytes()))
        .map(|(k, v)| {
            (
                percent_encode(k, QUERY_SET).to_string(),
                percent_encode(v, QUERY_SET).to_string(),
            )
        })
        .collect();
    encoded.sort();
    let mut out = String::new();
    for (i, (k, v)) in encoded.iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        out.push_str(k);
        out.push('=');
        out.push_str(v);
    }
    out
}

/// Trims a header value and collapses runs of spaces and tabs to one space.
fn trim_collapse(value: &[u8], out: &mut Vec<u8>) {
    let mut pending_space = false;
    let mut started = false;
    for &b in value {
        if b == b' ' || b == b'\t' {
            pending_space = started;
        } else {
            if pending_space {
                out.push(b' ');
                pending_space = false;
            }
            out.push(b);
            started = true;
        }
    }
}

/// The canonical value of header `name`: every occurrence trimmed and collapsed,
/// joined with `,`. An absent header gives an empty value.
pub(crate) fn canonical_header_value(headers: &http::HeaderMap, name: &str) -> Vec<u8> {
    let mut out = Vec::new();
    for (i, value) in headers.get_all(name).iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        trim_collapse(value.as_bytes(), &mut out);
    }
    out
}

/// Hex-encoded SHA-256.
pub(crate) fn sha256_hex(data: &[u8]) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(data))
}

/// Everything that goes into the canonical request.
pub(crate) struct CanonicalInput<'a> {
    pub method: &'a str,
    pub path: &'a str,
    pub query: &'a [(Vec<u8>, Vec<u8>)],
    pub skip_query_param: Option<&'a str>,
    pub headers: &'a http::HeaderMap,
    pub signed_headers: &'a [String],
    pub payload_hash: &'a str,
}

/// Builds the canonical request (bytes: header values may carry non-UTF-8 octets).
pub(crate) fn canonical_request(input: &CanonicalInput<'_>) -> Vec<u8> {
    let mut out = Vec::with_capacity(256);
    out.extend_from_slice(input.method.as_bytes());
    out.push(b'\n');
    out.extend_from_slice(canonical_uri(input.path).as_bytes());
    out.push(b'\n');
    out.extend_from_slice(canonical_query(input.query, input.skip_query_param).as_bytes());
    out.push(b'\n');
    for name in input.signed_headers {
        out.extend_from_slice(name.as_bytes());
        out.push(b':');
        out.extend_from_slice(&canonical_header_value(input.headers, name));
        out.push(b'\n');
    }
    out.push(b'\n');
    out.extend_from_slice(input.signed_headers.join(";").as_bytes());
    out.push(b'\n');
    out.extend_from_slice(input.payload_hash.as_bytes());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalizes_paths_like_the_test_suite() {
        assert_eq!(normalize_path(""), "/");
        assert_eq!(normalize_path("/"), "/");
        assert_eq!(normalize_path("//example//"), "/example/");
        assert_eq!(normalize_path("/example1/example2/../.."), "/");
        assert_eq!(normalize_path("/./example"), "/example");
        assert_eq!(normalize_path("/a/b/."), "/a/b/");
        assert_eq!(normalize_path("/../foo"), "/foo");
        assert_eq!(normalize_path("relative"), "/relative");
        assert_eq!(normalize_path("/a/%2E%2E/b"), "/a/%2E%2E/b");
    }

    #[test]
    fn double_encodes_paths() {
        assert_eq!(
            canonical_uri("/test/@connections/JBDvjfGEIAMCERw%3D"),
            "/test/%40connections/JBDvjfGEIAMCERw%253D"
        );
        assert_eq!(canonical_uri("/example space/"), "/example%20space/");
        assert_eq!(canonical_uri("/\u{1234}"), "/%E1%88%B4");
        assert_eq!(canonical_uri("/-._~az09"), "/-._~az09");
    }

    #[test]
    fn canonicalizes_queries() {
        let q = parse_query("Param-3=Value3&Param=Value2&%E1%88%B4=Value1");
        assert_eq!(
            canonical_query(&q, None),
            "%E1%88%B4=Value1&Param=Value2&Param-3=Value3"
        );
        let q = parse_query("b=2&a&a=1&&=x&c=a+b%20c&d=%zz");
        assert_eq!(
            canonical_query(&q, None),
            "=x&a=&a=1&b=2&c=a%20b%20c&d=%25zz"
        );
        let q = parse_query("X-Amz-Signature=abc&k=v");
        assert_eq!(canonical_query(&q, Some("X-Amz-Signature")), "k=v");
    }

    #[test]
    fn trims_and_collapses_header_values() {
        let mut out = Vec::new();
        trim_collapse(b"  a   b \t c  ", &mut out);
        assert_eq!(out, b"a b c");
        let mut headers = http::HeaderMap::new();
        headers.append("my-header1", http::HeaderValue::from_static("value2"));
        headers.append("my-header1", http::HeaderValue::from_static(" value1 "));
        assert_eq!(
            canonical_header_value(&headers, "my-header1"),
            b"value2,value1"
        );
    }
}
