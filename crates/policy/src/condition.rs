//! Condition operators and their evaluation.
//!
//! Semantics (IAM User Guide, "Condition operators" and "Single-valued vs.
//! multivalued context keys"):
//!
//! * Keys in one block are AND'ed, blocks are AND'ed, the values of one key are OR'ed.
//! * A negated operator (`StringNotEquals`, `NotIpAddress`, `ArnNotLike`, …) is
//!   the negation of its positive form over *all* policy values: the request
//!   value must match none of them.
//! * A key absent from the request: positive operators are false, negated
//!   operators are true, `…IfExists` is true, `Null` tests exactly that.
//! * `ForAnyValue:` — true if at least one request value satisfies the operator;
//!   false when the key is absent or an empty set (true with `IfExists`).
//! * `ForAllValues:` — true if every request value satisfies the operator; true
//!   when the key is absent or an empty set.
//! * A single-valued key under a set operator is a set of one value.
//! * localorg's choice where AWS documents nothing: a multivalued key used
//!   without a set operator behaves like `ForAnyValue:` for positive operators
//!   and like its negation for negated operators (`StringNotEquals` on
//!   `aws:TagKeys` is true when no tag key equals any policy value). Validation
//!   warns about it.
//! * A request value that does not parse as the operator's type (a number, a
//!   date, an IP address, base64, an ARN) matches no policy value.
//! * A policy value whose variable cannot be resolved makes the whole statement
//!   not apply.

use crate::pattern::{ArnPattern, Pattern, Resolver, Syntax};
use crate::request::Request;
use std::net::IpAddr;

/// The base (unqualified) condition operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[allow(missing_docs)]
pub enum BaseOp {
    StringEquals,
    StringNotEquals,
    StringEqualsIgnoreCase,
    StringNotEqualsIgnoreCase,
    StringLike,
    StringNotLike,
    NumericEquals,
    NumericNotEquals,
    NumericLessThan,
    NumericLessThanEquals,
    NumericGreaterThan,
    NumericGreaterThanEquals,
    DateEquals,
    DateNotEquals,
    DateLessThan,
    DateLessThanEquals,
    DateGreaterThan,
    DateGreaterThanEquals,
    Bool,
    BinaryEquals,
    IpAddress,
    NotIpAddress,
    ArnEquals,
    ArnLike,
    ArnNotEquals,
    ArnNotLike,
    Null,
}

const ALL_OPS: [(BaseOp, &str); 27] = [
    (BaseOp::StringEquals, "StringEquals"),
    (BaseOp::StringNotEquals, "StringNotEquals"),
    (BaseOp::StringEqualsIgnoreCase, "StringEqualsIgnoreCase"),
    (
        BaseOp::StringNotEqualsIgnoreCase,
        "StringNotEqualsIgnoreCase",
    ),
    (BaseOp::StringLike, "StringLike"),
    (BaseOp::StringNotLike, "StringNotLike"),
    (BaseOp::NumericEquals, "NumericEquals"),
    (BaseOp::NumericNotEquals, "NumericNotEquals"),
    (BaseOp::NumericLessThan, "NumericLessThan"),
    (BaseOp::NumericLessThanEquals, "NumericLessThanEquals"),
    (BaseOp::NumericGreaterThan, "NumericGreaterThan"),
    (BaseOp::NumericGreaterThanEquals, "NumericGreaterThanEquals"),
    (BaseOp::DateEquals, "DateEquals"),
    (BaseOp::DateNotEquals, "DateNotEquals"),
    (BaseOp::DateLessThan, "DateLessThan"),
    (BaseOp::DateLessThanEquals, "DateLessThanEquals"),
    (BaseOp::DateGreaterThan, "DateGreaterThan"),
    (BaseOp::DateGreaterThanEquals, "DateGreaterThanEquals"),
    (BaseOp::Bool, "Bool"),
    (BaseOp::BinaryEquals, "BinaryEquals"),
    (BaseOp::IpAddress, "IpAddress"),
    (BaseOp::NotIpAddress, "NotIpAddress"),
    (BaseOp::ArnEquals, "ArnEquals"),
    (BaseOp::ArnLike, "ArnLike"),
    (BaseOp::ArnNotEquals, "ArnNotEquals"),
    (BaseOp::ArnNotLike, "ArnNotLike"),
    (BaseOp::Null, "Null"),
];

/// The category of values an operator compares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValueType {
    /// Strings (`String*`).
    String,
    /// Numbers (`Numeric*`).
    Numeric,
    /// Dates (`Date*`).
    Date,
    /// Booleans (`Bool`, `Null`).
    Bool,
    /// Base64 (`BinaryEquals`).
    Binary,
    /// IP addresses / CIDRs.
    Ip,
    /// ARNs (`Arn*`).
    Arn,
}

impl BaseOp {
    /// The operator's name.
    pub fn name(self) -> &'static str {
        ALL_OPS
            .iter()
            .find(|(o, _)| *o == self)
            .map_or("", |(_, n)| n)
    }

    /// `true` for negated operators (`StringNotEquals`, `NotIpAddress`, …).
    pub fn is_negated(self) -> bool {
        use BaseOp::*;
        matches!(
            self,
            StringNotEquals
                | StringNotEqualsIgnoreCase
                | StringNotLike
                | NumericNotEquals
                | DateNotEquals
                | NotIpAddress
                | ArnNotEquals
                | ArnNotLike
        )
    }

    /// The type of value the operator compares.
    pub fn value_type(self) -> ValueType {
        use BaseOp::*;
        match self {
            StringEquals
            | StringNotEquals
            | StringEqualsIgnoreCase
            | StringNotEqualsIgnoreCase
            | StringLike
            | StringNotLike => ValueType::String,
            NumericEquals
            | NumericNotEquals
            | NumericLessThan
            | NumericLessThanEquals
            | NumericGreaterThan
            | NumericGreaterThanEquals => ValueType::Numeric,
            DateEquals
            | DateNotEquals
            | DateLessThan
            | DateLessThanEquals
            | DateGreaterThan
            | DateGreaterThanEquals => ValueType::Date,
            Bool | Null => ValueType::Bool,
            BinaryEquals => ValueType::Binary,
            IpAddress | NotIpAddress => ValueType::Ip,
            ArnEquals | ArnLike | ArnNotEquals | ArnNotLike => ValueType::Arn,
        }
    }

    /// Does the operator resolve policy variables in its values?
    pub fn supports_variables(self) -> bool {
        matches!(self.value_type(), ValueType::String | ValueType::Arn)
    }
}

/// A set qualifier.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SetOp {
    /// No qualifier.
    None,
    /// `ForAllValues:`
    ForAllValues,
    /// `ForAnyValue:`
    ForAnyValue,
}

/// A full operator: optional set qualifier, base operator, optional `IfExists`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Operator {
    /// The base operator.
    pub base: BaseOp,
    /// The set qualifier.
    pub set: SetOp,
    /// The `…IfExists` suffix.
    pub if_exists: bool,
}

impl Operator {
    /// Parse an operator name. Names are matched case-insensitively (localorg's
    /// choice; validation suggests the canonical spelling). `Null` takes no
    /// `IfExists` and no set qualifier.
    pub fn parse(s: &str) -> Option<Operator> {
        let (set, rest) = if let Some(r) = strip_prefix_ci(s, "ForAllValues:") {
            (SetOp::ForAllValues, r)
        } else if let Some(r) = strip_prefix_ci(s, "ForAnyValue:") {
            (SetOp::ForAnyValue, r)
        } else {
            (SetOp::None, s)
        };
        let (rest, if_exists) = match rest.len().checked_sub(8).and_then(|i| rest.get(i..)) {
            Some(suffix) if suffix.eq_ignore_ascii_case("IfExists") => {
                (rest.get(..rest.len() - 8).unwrap_or_default(), true)
            }
            _ => (rest, false),
        };
        let base = ALL_OPS
            .iter()
            .find(|(_, n)| n.eq_ignore_ascii_case(rest))?
            .0;
        if base == BaseOp::Null && (if_exists || set != SetOp::None) {
            return None;
        }
        Some(Operator {
            base,
            set,
            if_exists,
        })
    }

    /// The canonical spelling.
    pub fn canonical(&self) -> String {
        let set = match self.set {
            SetOp::None => "",
            SetOp::ForAllValues => "ForAllValues:",
            SetOp::ForAnyValue => "ForAnyValue:",
        };
        format!(
            "{set}{}{}",
            self.base.name(),
            if self.if_exists { "IfExists" } else { "" }
        )
    }
}

fn strip_prefix_ci<'a>(s: &'a str, p: &str) -> Option<&'a str> {
    let head = s.get(..p.len())?;
    if head.eq_ignore_ascii_case(p) {
        s.get(p.len()..)
    } else {
        None
    }
}

/// An IPv4 or IPv6 network.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cidr {
    addr: IpAddr,
    prefix: u8,
}

impl Cidr {
    /// Parse `10.0.0.0/8`, `2001:db8::/32` or a bare address.
    pub fn parse(s: &str) -> Option<Cidr> {
        let (a, p) = match s.split_once('/') {
            Some((a, p)) => (a, Some(p)),
            None => (s, None),
        };
        let addr: IpAddr = a.trim().parse().ok()?;
        let max = if addr.is_ipv4() { 32 } else { 128 };
        let prefix = match p {
            Some(p) => {
                if p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()) || p.len() > 3 {
                    return None;
                }
                p.parse::<u8>().ok()?
            }
            None => max,
        };
        if prefix > max {
            return None;
        }
        Some(Cidr { addr, prefix })
    }

    /// Is `ip` inside the network?
    pub fn contains(&self, ip: IpAddr) -> bool {
        match (self.addr, ip) {
            (IpAddr::V4(n), IpAddr::V4(a)) => {
                let mask = u32::MAX
                    .checked_shl(32 - u32::from(self.prefix))
                    .unwrap_or(0);
                u32::from(n) & mask == u32::from(a) & mask
            }
            (IpAddr::V6(n), IpAddr::V6(a)) => {
                let mask = u128::MAX
                    .checked_shl(128 - u32::from(self.prefix))
                    .unwrap_or(0);
                u128::from(n) & mask == u128::from(a) & mask
            }
            _ => false,
        }
    }
}

fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn digits(s: &str, n: usize) -> Option<(i64, &str)> {
    let head = s.get(..n)?;
    if !head.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some((head.parse().ok()?, s.get(n..)?))
}

/// Parse an IAM date value into milliseconds since the epoch: ISO 8601
/// (`2024-01-31`, `2024-01-31T12:00:00Z`, fractional seconds, `+hh:mm` offsets,
/// minutes-only times) or epoch seconds (`1706702400`).
pub fn parse_date(s: &str) -> Option<i64> {
    let s = s.trim();
    if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
        let secs: f64 = s.parse().ok()?;
        if !secs.is_finite() || secs > 1e14 {
            return None;
        }
        return Some((secs * 1000.0).round() as i64);
    }
    let (y, r) = digits(s, 4)?;
    let r = r.strip_prefix('-')?;
    let (mo, r) = digits(r, 2)?;
    let r = r.strip_prefix('-')?;
    let (d, r) = digits(r, 2)?;
    if !(1..=12).contains(&mo) || !(1..=31).contains(&d) {
        return None;
    }
    let days = days_from_civil(y, mo, d);
    if r.is_empty() {
        return Some(days * 86_400_000);
    }
    let r = r.strip_prefix('T').or_else(|| r.strip_prefix('t'))?;
    let (h, r) = digits(r, 2)?;
    let r = r.strip_prefix(':')?;
    let (mi, mut r) = digits(r, 2)?;
    let mut sec = 0;
    let mut millis = 0;
    if let Some(rest) = r.strip_prefix(':') {
        let (sv, rest) = digits(rest, 2)?;
        sec = sv;
        r = rest;
        if let Some(frac) = r.strip_prefix('.') {
            let n = frac.bytes().take_while(u8::is_ascii_digit).count();
            if n == 0 {
                return None;
            }
            let f = frac.get(..n)?;
            let ms: String = f.chars().chain("000".chars()).take(3).collect();
            millis = ms.parse().ok()?;
            r = frac.get(n..)?;
        }
    }
    if h > 24 || mi > 59 || sec > 60 {
        return None;
    }
    let offset_min = if r == "Z" || r == "z" || r.is_empty() {
        0
    } else {
        let sign = match r.get(..1)? {
            "+" => 1,
            "-" => -1,
            _ => return None,
        };
        let r = r.get(1..)?;
        let (oh, r) = digits(r, 2)?;
        let r = r.strip_prefix(':').unwrap_or(r);
        let (om, r) = digits(r, 2)?;
        if !r.is_empty() {
            return None;
        }
        sign * (oh * 60 + om)
    };
    Some(((days * 86_400 + h * 3600 + mi * 60 + sec - offset_min * 60) * 1000) + millis)
}

/// Parse a numeric condition value (integers and decimals).
pub fn parse_number(s: &str) -> Option<f64> {
    let t = s.trim();
    if t.is_empty()
        || !t
            .bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b'-' | b'+' | b'.' | b'e' | b'E'))
    {
        return None;
    }
    t.parse::<f64>().ok().filter(|f| f.is_finite())
}

/// Parse a `Bool`/`Null` value (`true`/`false`, any case).
pub fn parse_bool(s: &str) -> Option<bool> {
    if s.eq_ignore_ascii_case("true") {
        Some(true)
    } else if s.eq_ignore_ascii_case("false") {
        Some(false)
    } else {
        None
    }
}

fn decode_base64(s: &str) -> Option<Vec<u8>> {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD
        .decode(s.trim())
        .ok()
}

/// Does `text` parse as a value of type `t`? (Used by validation.)
pub fn value_parses(t: ValueType, text: &str) -> bool {
    match t {
        ValueType::String | ValueType::Arn => true,
        ValueType::Numeric => parse_number(text).is_some(),
        ValueType::Date => parse_date(text).is_some(),
        ValueType::Bool => parse_bool(text).is_some(),
        ValueType::Binary => decode_base64(text).is_some(),
        ValueType::Ip => Cidr::parse(text).is_some(),
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Values {
    Str(Vec<Pattern>),
    Num(Vec<Option<f64>>),
    Date(Vec<Option<i64>>),
    Bool(Vec<Option<bool>>),
    Bin(Vec<Option<Vec<u8>>>),
    Ip(Vec<Option<Cidr>>),
    Arn(Vec<ArnPattern>),
}

/// One compiled `operator: {key: values}` entry.
#[derive(Debug, Clone, PartialEq)]
pub struct CompiledCondition {
    op: Operator,
    key: Box<str>,
    values: Values,
}

impl CompiledCondition {
    /// Compile one key of a block. `variables` is false for version 2008-10-17.
    pub(crate) fn compile(
        op: Operator,
        key: &str,
        values: &[String],
        variables: bool,
    ) -> CompiledCondition {
        let syn = |wildcards| Syntax {
            wildcards,
            variables: variables && op.base.supports_variables(),
            lowercase: false,
        };
        use BaseOp::*;
        let vals = match op.base {
            StringEquals | StringNotEquals | StringEqualsIgnoreCase | StringNotEqualsIgnoreCase => {
                Values::Str(
                    values
                        .iter()
                        .map(|v| Pattern::compile(v, syn(false)))
                        .collect(),
                )
            }
            StringLike | StringNotLike => Values::Str(
                values
                    .iter()
                    .map(|v| Pattern::compile(v, syn(true)))
                    .collect(),
            ),
            ArnEquals | ArnLike | ArnNotEquals | ArnNotLike => Values::Arn(
                values
                    .iter()
                    .map(|v| ArnPattern::compile(v, syn(true)))
                    .collect(),
            ),
            Bool | Null => Values::Bool(values.iter().map(|v| parse_bool(v)).collect()),
            BinaryEquals => Values::Bin(values.iter().map(|v| decode_base64(v)).collect()),
            IpAddress | NotIpAddress => Values::Ip(values.iter().map(|v| Cidr::parse(v)).collect()),
            _ => match op.base.value_type() {
                ValueType::Date => Values::Date(values.iter().map(|v| parse_date(v)).collect()),
                _ => Values::Num(values.iter().map(|v| parse_number(v)).collect()),
            },
        };
        CompiledCondition {
            op,
            key: key.to_lowercase().into_boxed_str(),
            values: vals,
        }
    }

    /// The operator.
    pub fn operator(&self) -> Operator {
        self.op
    }

    /// Does one request value satisfy the *positive* form of the operator for
    /// any policy value? `None` when a variable cannot be resolved.
    fn positive(&self, v: &str, r: &dyn Resolver) -> Option<bool> {
        use BaseOp::*;
        match &self.values {
            Values::Str(pats) => {
                let ic = matches!(
                    self.op.base,
                    StringEqualsIgnoreCase | StringNotEqualsIgnoreCase
                );
                for p in pats {
                    let m = if ic {
                        p.equals_ignore_case(v, r)?
                    } else {
                        p.matches(v, r)?
                    };
                    if m {
                        return Some(true);
                    }
                }
                Some(false)
            }
            Values::Arn(pats) => {
                if !v.starts_with("arn:") && !pats.iter().any(ArnPattern::is_any) {
                    return Some(false);
                }
                for p in pats {
                    if p.matches(v, r)? {
                        return Some(true);
                    }
                }
                Some(false)
            }
            Values::Num(ns) => {
                let Some(x) = parse_number(v) else {
                    return Some(false);
                };
                Some(ns.iter().flatten().any(|&n| match self.op.base {
                    NumericEquals | NumericNotEquals => x == n,
                    NumericLessThan => x < n,
                    NumericLessThanEquals => x <= n,
                    NumericGreaterThan => x > n,
                    _ => x >= n,
                }))
            }
            Values::Date(ds) => {
                let Some(x) = parse_date(v) else {
                    return Some(false);
                };
                Some(ds.iter().flatten().any(|&n| match self.op.base {
                    DateEquals | DateNotEquals => x == n,
                    DateLessThan => x < n,
                    DateLessThanEquals => x <= n,
                    DateGreaterThan => x > n,
                    _ => x >= n,
                }))
            }
            Values::Bool(bs) => {
                let Some(x) = parse_bool(v) else {
                    return Some(false);
                };
                Some(bs.iter().flatten().any(|&b| b == x))
            }
            Values::Bin(bs) => {
                let Some(x) = decode_base64(v) else {
                    return Some(false);
                };
                Some(bs.iter().flatten().any(|b| *b == x))
            }
            Values::Ip(cs) => {
                let Ok(ip) = v.trim().parse::<IpAddr>() else {
                    return Some(false);
                };
                Some(cs.iter().flatten().any(|c| c.contains(ip)))
            }
        }
    }

    /// Evaluate against a request. `None` when a variable cannot be resolved.
    pub fn eval(&self, req: &Request) -> Option<bool> {
        let present = req.values(&self.key);
        if self.op.base == BaseOp::Null {
            let Values::Bool(bs) = &self.values else {
                return Some(false);
            };
            let absent = present.is_none();
            return Some(bs.iter().flatten().any(|&b| b == absent));
        }
        let negated = self.op.base.is_negated();
        let Some(vals) = present else {
            return Some(match self.op.set {
                SetOp::ForAllValues => true,
                SetOp::ForAnyValue => self.op.if_exists,
                SetOp::None => self.op.if_exists || negated,
            });
        };
        match self.op.set {
            SetOp::None => {
                let mut any = false;
                for v in vals {
                    if self.positive(v, req)? {
                        any = true;
                        break;
                    }
                }
                Some(any != negated)
            }
            SetOp::ForAnyValue => {
                for v in vals {
                    if self.positive(v, req)? != negated {
                        return Some(true);
                    }
                }
                Some(false)
            }
            SetOp::ForAllValues => {
                for v in vals {
                    if self.positive(v, req)? == negated {
                        return Some(false);
                    }
                }
                Some(true)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operators_parse() {
        let o = Operator::parse("ForAnyValue:StringLikeIfExists").unwrap();
        assert_eq!(
            (o.base, o.set, o.if_exists),
            (BaseOp::StringLike, SetOp::ForAnyValue, true)
        );
        assert_eq!(o.canonical(), "ForAnyValue:StringLikeIfExists");
        assert!(Operator::parse("NullIfExists").is_none());
        assert!(Operator::parse("StringEqualz").is_none());
        assert!(Operator::parse("IfExists").is_none());
        assert_eq!(
            Operator::parse("stringequals").unwrap().base,
            BaseOp::StringEquals
        );
    }

    #[test]
    fn dates() {
        assert_eq!(parse_date("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(parse_date("1970-01-02"), Some(86_400_000));
        assert_eq!(
            parse_date("2020-01-01T00:00:00+01:00"),
            parse_date("2019-12-31T23:00:00Z")
        );
        assert_eq!(
            parse_date("2020-01-01T00:00:00.5Z"),
            parse_date("2020-01-01T00:00:00Z").map(|x| x + 500)
        );
        assert_eq!(parse_date("1577836800"), parse_date("2020-01-01T00:00:00Z"));
        assert_eq!(
            parse_date("2020-01-01T10:30Z"),
            parse_date("2020-01-01T10:30:00Z")
        );
        for bad in [
            "",
            "2020-13-01",
            "2020-01-01T",
            "yesterday",
            "2020-01-01T00:00:00+5",
        ] {
            assert_eq!(parse_date(bad), None, "{bad}");
        }
    }

    #[test]
    fn cidrs() {
        let c = Cidr::parse("10.1.0.0/16").unwrap();
        assert!(c.contains("10.1.200.3".parse().unwrap()));
        assert!(!c.contains("10.2.0.1".parse().unwrap()));
        assert!(Cidr::parse("0.0.0.0/0")
            .unwrap()
            .contains("8.8.8.8".parse().unwrap()));
        let v6 = Cidr::parse("2001:db8::/32").unwrap();
        assert!(v6.contains("2001:db8:1::1".parse().unwrap()));
        assert!(!v6.contains("10.0.0.1".parse().unwrap()));
        assert!(Cidr::parse("10.0.0.0/33").is_none());
        assert!(Cidr::parse("10.0.0/8").is_none());
        assert!(Cidr::parse("::/0")
            .unwrap()
            .contains("::1".parse().unwrap()));
    }
}
