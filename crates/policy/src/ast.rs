//! The policy grammar: a typed, position-carrying model of a policy document.
//!
//! [`PolicyDocument::parse`] checks the *shape* of a document (which elements
//! exist, which JSON types they hold) and nothing else; rules that depend on the
//! policy type live in [`crate::validate`]. [`PolicyDocument::to_json`] writes the
//! document back: elements in AWS's canonical order, each value in the form it
//! was written (a single string stays a string, an array stays an array, numbers
//! keep their spelling), so `parse(to_json(parse(x))) == parse(x)` up to positions.

use crate::error::PolicyError;
use crate::json::{self, Json, JsonKind, Span};

/// A value with the byte span it came from.
#[derive(Debug, Clone)]
pub struct Spanned<T> {
    /// The value.
    pub value: T,
    /// Where it was in the source (empty for built documents).
    pub span: Span,
}

impl<T: PartialEq> PartialEq for Spanned<T> {
    /// Spans are ignored: two values are equal if their contents are.
    fn eq(&self, other: &Self) -> bool {
        self.value == other.value
    }
}

impl<T> Spanned<T> {
    /// A value with no source position.
    pub fn new(value: T) -> Self {
        Spanned {
            value,
            span: Span::default(),
        }
    }
}

/// A source position that compares equal to every other position, so that
/// documents compare by content (a re-serialized document equals the original).
#[derive(Debug, Clone, Copy, Default)]
pub struct Pos(pub Span);

impl PartialEq for Pos {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

/// A JSON element that may be written as one value or as an array.
#[derive(Debug, Clone, PartialEq)]
pub enum OneOrMany<T> {
    /// Written as a single value.
    One(T),
    /// Written as an array (possibly empty).
    Many(Vec<T>),
}

impl<T> OneOrMany<T> {
    /// The values, in order.
    pub fn as_slice(&self) -> &[T] {
        match self {
            OneOrMany::One(v) => std::slice::from_ref(v),
            OneOrMany::Many(v) => v,
        }
    }
}

/// A whole policy document.
#[derive(Debug, Clone, PartialEq)]
pub struct PolicyDocument {
    /// `Version`, if present.
    pub version: Option<Spanned<String>>,
    /// `Id`, if present.
    pub id: Option<Spanned<String>>,
    /// `Statement`: one object or an array of objects.
    pub statement: OneOrMany<Statement>,
    /// The span of the statement element's value (for locations).
    pub statement_span: Pos,
}

/// `Effect` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Effect {
    /// `"Allow"`
    Allow,
    /// `"Deny"`
    Deny,
}

impl Effect {
    /// The JSON spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Effect::Allow => "Allow",
            Effect::Deny => "Deny",
        }
    }
}

/// One statement.
#[derive(Debug, Clone, PartialEq)]
pub struct Statement {
    /// `Sid`.
    pub sid: Option<Spanned<String>>,
    /// `Effect` (required; checked by validation).
    pub effect: Option<Spanned<Effect>>,
    /// `Principal` or `NotPrincipal`.
    pub principal: Option<PrincipalElement>,
    /// `Action` or `NotAction`.
    pub action: Option<ListElement>,
    /// `Resource` or `NotResource`.
    pub resource: Option<ListElement>,
    /// `Condition`.
    pub condition: Option<Spanned<Vec<ConditionBlock>>>,
    /// The statement object's span.
    pub span: Pos,
}

/// `Action`/`NotAction` or `Resource`/`NotResource`.
#[derive(Debug, Clone, PartialEq)]
pub struct ListElement {
    /// `true` for the `Not…` form.
    pub negated: bool,
    /// The strings.
    pub values: OneOrMany<Spanned<String>>,
    /// The value's span.
    pub span: Pos,
}

/// `Principal` or `NotPrincipal`.
#[derive(Debug, Clone, PartialEq)]
pub struct PrincipalElement {
    /// `true` for `NotPrincipal`.
    pub negated: bool,
    /// `"*"` or a map of principal types.
    pub value: PrincipalValue,
    /// The value's span.
    pub span: Pos,
}

/// The value of a principal element.
#[derive(Debug, Clone, PartialEq)]
pub enum PrincipalValue {
    /// `"*"`: everyone, including anonymous callers.
    Wildcard,
    /// `{"AWS": …, "Service": …, "Federated": …, "CanonicalUser": …}` in source order.
    Map(Vec<(Spanned<PrincipalKind>, OneOrMany<Spanned<String>>)>),
}

/// The keys of a principal map.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PrincipalKind {
    /// `AWS`: account ids, account root ARNs, user/role/session ARNs or `*`.
    Aws,
    /// `Service`: service principal names.
    Service,
    /// `Federated`: identity provider names or ARNs.
    Federated,
    /// `CanonicalUser`: S3 canonical user ids.
    CanonicalUser,
}

impl PrincipalKind {
    /// The JSON spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            PrincipalKind::Aws => "AWS",
            PrincipalKind::Service => "Service",
            PrincipalKind::Federated => "Federated",
            PrincipalKind::CanonicalUser => "CanonicalUser",
        }
    }
}

/// One operator block of `Condition`: `"StringEquals": {key: values, …}`.
#[derive(Debug, Clone, PartialEq)]
pub struct ConditionBlock {
    /// The operator as written (for example `ForAnyValue:StringLikeIfExists`).
    pub operator: Spanned<String>,
    /// The keys and their values.
    pub entries: Vec<ConditionEntry>,
}

/// One key of a condition block.
#[derive(Debug, Clone, PartialEq)]
pub struct ConditionEntry {
    /// The condition key as written.
    pub key: Spanned<String>,
    /// The values (OR'ed).
    pub values: OneOrMany<Spanned<ConditionValue>>,
}

/// A condition value as written in JSON.
#[derive(Debug, Clone, PartialEq)]
pub enum ConditionValue {
    /// A JSON string.
    String(String),
    /// A JSON number (its spelling).
    Number(String),
    /// A JSON boolean.
    Bool(bool),
}

impl ConditionValue {
    /// The value as the string the operators compare.
    pub fn as_text(&self) -> std::borrow::Cow<'_, str> {
        match self {
            ConditionValue::String(s) | ConditionValue::Number(s) => std::borrow::Cow::Borrowed(s),
            ConditionValue::Bool(b) => {
                std::borrow::Cow::Borrowed(if *b { "true" } else { "false" })
            }
        }
    }
}

struct Ctx<'a> {
    text: &'a str,
}

impl Ctx<'_> {
    fn err(&self, code: &'static str, span: Span, path: &str, detail: String) -> PolicyError {
        PolicyError::at(
            self.text,
            code,
            span.start,
            path,
            detail,
            "Syntax errors in policy.",
        )
    }
}

fn expect_string(
    ctx: &Ctx<'_>,
    v: &Json,
    path: &str,
    what: &str,
) -> Result<Spanned<String>, PolicyError> {
    match &v.kind {
        JsonKind::String(s) => Ok(Spanned {
            value: s.clone(),
            span: v.span,
        }),
        _ => Err(ctx.err(
            "INVALID_TYPE",
            v.span,
            path,
            format!("{what} must be a string, found {}", v.type_name()),
        )),
    }
}

fn string_list(
    ctx: &Ctx<'_>,
    v: &Json,
    path: &str,
    what: &str,
) -> Result<OneOrMany<Spanned<String>>, PolicyError> {
    match &v.kind {
        JsonKind::String(s) => Ok(OneOrMany::One(Spanned {
            value: s.clone(),
            span: v.span,
        })),
        JsonKind::Array(items) => {
            let mut out = Vec::with_capacity(items.len());
            for (i, it) in items.iter().enumerate() {
                out.push(expect_string(ctx, it, &format!("{path}[{i}]"), what)?);
            }
            Ok(OneOrMany::Many(out))
        }
        _ => Err(ctx.err(
            "INVALID_TYPE",
            v.span,
            path,
            format!(
                "{what} must be a string or an array of strings, found {}",
                v.type_name()
            ),
        )),
    }
}

fn object<'j>(
    ctx: &Ctx<'_>,
    v: &'j Json,
    path: &str,
    what: &str,
) -> Result<&'j [(json::Key, Json)], PolicyError> {
    match &v.kind {
        JsonKind::Object(m) => {
            for (i, (k, _)) in m.iter().enumerate() {
                if m.iter().take(i).any(|(k2, _)| k2.name == k.name) {
                    return Err(ctx.err(
                        "DUPLICATE_KEY",
                        k.span,
                        path,
                        format!("duplicate key \"{}\" in {what}", k.name),
                    ));
                }
            }
            Ok(m)
        }
        _ => Err(ctx.err(
            "INVALID_TYPE",
            v.span,
            path,
            format!("{what} must be an object, found {}", v.type_name()),
        )),
    }
}

impl PolicyDocument {
    /// Parse a policy document, checking its grammar.
    ///
    /// Fails on JSON syntax errors, unknown or duplicated elements, elements of the
    /// wrong JSON type, both `X` and `NotX` in one statement, and unknown principal
    /// types. Everything else (missing `Effect`, policy-type rules, ARN formats, …)
    /// is reported by [`crate::validate_document`].
    pub fn parse(text: &str) -> Result<PolicyDocument, PolicyError> {
        let ctx = Ctx { text };
        let root = json::parse(text).map_err(|e| {
            PolicyError::at(
                text,
                "SYNTAX_ERROR",
                e.offset,
                "",
                e.message,
                "Syntax errors in policy.",
            )
        })?;
        let members = object(&ctx, &root, "", "the policy document")?;
        let mut version = None;
        let mut id = None;
        let mut statement = None;
        let mut statement_span = root.span;
        for (k, v) in members {
            match k.name.as_str() {
                "Version" => version = Some(expect_string(&ctx, v, "Version", "Version")?),
                "Id" => id = Some(expect_string(&ctx, v, "Id", "Id")?),
                "Statement" => {
                    statement_span = v.span;
                    statement = Some(match &v.kind {
                        JsonKind::Object(_) => {
                            OneOrMany::One(parse_statement(&ctx, v, "Statement")?)
                        }
                        JsonKind::Array(items) => {
                            let mut out = Vec::with_capacity(items.len());
                            for (i, it) in items.iter().enumerate() {
                                out.push(parse_statement(&ctx, it, &format!("Statement[{i}]"))?);
                            }
                            OneOrMany::Many(out)
                        }
                        _ => {
                            return Err(ctx.err(
                                "INVALID_TYPE",
                                v.span,
                                "Statement",
                                format!(
                                    "Statement must be an object or an array, found {}",
                                    v.type_name()
                                ),
                            ))
                        }
                    });
                }
                other => {
                    return Err(ctx.err(
                        "UNKNOWN_ELEMENT",
                        k.span,
                        "",
                        format!("unknown element \"{other}\" in the policy document"),
                    ))
                }
            }
        }
        let Some(statement) = statement else {
            return Err(PolicyError::at(
                text,
                "MISSING_STATEMENT",
                root.span.start,
                "",
                "the policy document has no Statement element".to_string(),
                "Syntax errors in policy.",
            ));
        };
        Ok(PolicyDocument {
            version,
            id,
            statement,
            statement_span: Pos(statement_span),
        })
    }

    /// The statements, in order.
    pub fn statements(&self) -> &[Statement] {
        self.statement.as_slice()
    }

    /// The JSON path of statement `i` (`Statement` or `Statement[i]`).
    pub fn statement_path(&self, i: usize) -> String {
        match self.statement {
            OneOrMany::One(_) => "Statement".to_string(),
            OneOrMany::Many(_) => format!("Statement[{i}]"),
        }
    }

    /// Serialize the document (compact JSON; see the module docs for what is kept).
    pub fn to_json(&self) -> String {
        let mut o = String::new();
        o.push('{');
        let mut first = true;
        let mut field = |o: &mut String, name: &str| {
            if !first {
                o.push(',');
            }
            first = false;
            json::write_string(o, name);
            o.push(':');
        };
        if let Some(v) = &self.version {
            field(&mut o, "Version");
            json::write_string(&mut o, &v.value);
        }
        if let Some(v) = &self.id {
            field(&mut o, "Id");
            json::write_string(&mut o, &v.value);
        }
        field(&mut o, "Statement");
        match &self.statement {
            OneOrMany::One(s) => write_statement(&mut o, s),
            OneOrMany::Many(v) => {
                o.push('[');
                for (i, s) in v.iter().enumerate() {
                    if i > 0 {
                        o.push(',');
                    }
                    write_statement(&mut o, s);
                }
                o.push(']');
            }
        }
        o.push('}');
        o
    }
}

fn parse_statement(ctx: &Ctx<'_>, v: &Json, path: &str) -> Result<Statement, PolicyError> {
    let members = object(ctx, v, path, "a statement")?;
    let mut st = Statement {
        sid: None,
        effect: None,
        principal: None,
        action: None,
        resource: None,
        condition: None,
        span: Pos(v.span),
    };
    for (k, val) in members {
        let p = format!("{path}.{}", k.name);
        let both = |name: &str| {
            ctx.err(
                "CONFLICTING_ELEMENTS",
                k.span,
                path,
                format!("a statement cannot contain both {name} and Not{name}"),
            )
        };
        match k.name.as_str() {
            "Sid" => st.sid = Some(expect_string(ctx, val, &p, "Sid")?),
            "Effect" => {
                let s = expect_string(ctx, val, &p, "Effect")?;
                let e = match s.value.as_str() {
                    "Allow" => Effect::Allow,
                    "Deny" => Effect::Deny,
                    other => {
                        return Err(PolicyError::at(
                            ctx.text,
                            "INVALID_EFFECT",
                            val.span.start,
                            &p,
                            format!("Effect must be \"Allow\" or \"Deny\", found \"{other}\""),
                            "Syntax errors in policy.",
                        ))
                    }
                };
                st.effect = Some(Spanned {
                    value: e,
                    span: s.span,
                });
            }
            "Action" | "NotAction" => {
                if st.action.is_some() {
                    return Err(both("Action"));
                }
                let values = string_list(ctx, val, &p, &k.name)?;
                st.action = Some(ListElement {
                    negated: k.name == "NotAction",
                    values,
                    span: Pos(val.span),
                });
            }
            "Resource" | "NotResource" => {
                if st.resource.is_some() {
                    return Err(both("Resource"));
                }
                let values = string_list(ctx, val, &p, &k.name)?;
                st.resource = Some(ListElement {
                    negated: k.name == "NotResource",
                    values,
                    span: Pos(val.span),
                });
            }
            "Principal" | "NotPrincipal" => {
                if st.principal.is_some() {
                    return Err(both("Principal"));
                }
                st.principal = Some(parse_principal(ctx, val, &p, k.name == "NotPrincipal")?);
            }
            "Condition" => {
                let blocks = object(ctx, val, &p, "Condition")?;
                let mut out = Vec::with_capacity(blocks.len());
                for (op, body) in blocks {
                    let bp = format!("{p}.{}", op.name);
                    let entries = object(ctx, body, &bp, "a condition block")?;
                    let mut es = Vec::with_capacity(entries.len());
                    for (key, vals) in entries {
                        let kp = format!("{bp}.{}", key.name);
                        es.push(ConditionEntry {
                            key: Spanned {
                                value: key.name.clone(),
                                span: key.span,
                            },
                            values: condition_values(ctx, vals, &kp)?,
                        });
                    }
                    out.push(ConditionBlock {
                        operator: Spanned {
                            value: op.name.clone(),
                            span: op.span,
                        },
                        entries: es,
                    });
                }
                st.condition = Some(Spanned {
                    value: out,
                    span: val.span,
                });
            }
            other => {
                return Err(ctx.err(
                    "UNKNOWN_ELEMENT",
                    k.span,
                    path,
                    format!("unknown element \"{other}\" in a statement"),
                ))
            }
        }
    }
    Ok(st)
}

fn condition_value(
    ctx: &Ctx<'_>,
    v: &Json,
    path: &str,
) -> Result<Spanned<ConditionValue>, PolicyError> {
    let value = match &v.kind {
        JsonKind::String(s) => ConditionValue::String(s.clone()),
        JsonKind::Number(n) => ConditionValue::Number(n.clone()),
        JsonKind::Bool(b) => ConditionValue::Bool(*b),
        _ => {
            return Err(ctx.err(
                "INVALID_TYPE",
                v.span,
                path,
                format!(
                    "a condition value must be a string, number or boolean, found {}",
                    v.type_name()
                ),
            ))
        }
    };
    Ok(Spanned {
        value,
        span: v.span,
    })
}

fn condition_values(
    ctx: &Ctx<'_>,
    v: &Json,
    path: &str,
) -> Result<OneOrMany<Spanned<ConditionValue>>, PolicyError> {
    match &v.kind {
        JsonKind::Array(items) => {
            let mut out = Vec::with_capacity(items.len());
            for (i, it) in items.iter().enumerate() {
                out.push(condition_value(ctx, it, &format!("{path}[{i}]"))?);
            }
            Ok(OneOrMany::Many(out))
        }
        _ => Ok(OneOrMany::One(condition_value(ctx, v, path)?)),
    }
}

fn parse_principal(
    ctx: &Ctx<'_>,
    v: &Json,
    path: &str,
    negated: bool,
) -> Result<PrincipalElement, PolicyError> {
    let invalid = |span: Span, detail: String, shown: &str| {
        PolicyError::at(
            ctx.text,
            "INVALID_PRINCIPAL",
            span.start,
            path,
            detail,
            &format!("Invalid principal in policy: {shown}"),
        )
    };
    let value = match &v.kind {
        JsonKind::String(s) if s == "*" => PrincipalValue::Wildcard,
        JsonKind::String(s) => {
            return Err(invalid(
                v.span,
                format!("a principal must be \"*\" or an object, found \"{s}\""),
                &format!("\"{s}\""),
            ))
        }
        JsonKind::Object(_) => {
            let members = object(ctx, v, path, "Principal")?;
            let mut out = Vec::with_capacity(members.len());
            for (k, vals) in members {
                let kind = match k.name.as_str() {
                    "AWS" => PrincipalKind::Aws,
                    "Service" => PrincipalKind::Service,
                    "Federated" => PrincipalKind::Federated,
                    "CanonicalUser" => PrincipalKind::CanonicalUser,
                    other => {
                        return Err(invalid(
                            k.span,
                            format!("unknown principal type \"{other}\""),
                            &format!("\"{other}\""),
                        ))
                    }
                };
                let list = string_list(ctx, vals, &format!("{path}.{}", k.name), "a principal")?;
                out.push((
                    Spanned {
                        value: kind,
                        span: k.span,
                    },
                    list,
                ));
            }
            PrincipalValue::Map(out)
        }
        _ => {
            return Err(invalid(
                v.span,
                format!(
                    "a principal must be \"*\" or an object, found {}",
                    v.type_name()
                ),
                v.type_name(),
            ))
        }
    };
    Ok(PrincipalElement {
        negated,
        value,
        span: Pos(v.span),
    })
}

fn write_list(o: &mut String, l: &OneOrMany<Spanned<String>>) {
    match l {
        OneOrMany::One(s) => json::write_string(o, &s.value),
        OneOrMany::Many(v) => {
            o.push('[');
            for (i, s) in v.iter().enumerate() {
                if i > 0 {
                    o.push(',');
                }
                json::write_string(o, &s.value);
            }
            o.push(']');
        }
    }
}

fn write_cond_value(o: &mut String, v: &ConditionValue) {
    match v {
        ConditionValue::String(s) => json::write_string(o, s),
        ConditionValue::Number(n) => o.push_str(n),
        ConditionValue::Bool(b) => o.push_str(if *b { "true" } else { "false" }),
    }
}

fn write_statement(o: &mut String, s: &Statement) {
    o.push('{');
    let mut first = true;
    let mut field = |o: &mut String, name: &str| {
        if !first {
            o.push(',');
        }
        first = false;
        json::write_string(o, name);
        o.push(':');
    };
    if let Some(sid) = &s.sid {
        field(o, "Sid");
        json::write_string(o, &sid.value);
    }
    if let Some(e) = &s.effect {
        field(o, "Effect");
        json::write_string(o, e.value.as_str());
    }
    if let Some(p) = &s.principal {
        field(
            o,
            if p.negated {
                "NotPrincipal"
            } else {
                "Principal"
            },
        );
        match &p.value {
            PrincipalValue::Wildcard => o.push_str("\"*\""),
            PrincipalValue::Map(m) => {
                o.push('{');
                for (i, (k, v)) in m.iter().enumerate() {
                    if i > 0 {
                        o.push(',');
                    }
                    json::write_string(o, k.value.as_str());
                    o.push(':');
                    write_list(o, v);
                }
                o.push('}');
            }
        }
    }
    if let Some(a) = &s.action {
        field(o, if a.negated { "NotAction" } else { "Action" });
        write_list(o, &a.values);
    }
    if let Some(r) = &s.resource {
        field(o, if r.negated { "NotResource" } else { "Resource" });
        write_list(o, &r.values);
    }
    if let Some(c) = &s.condition {
        field(o, "Condition");
        o.push('{');
        for (i, b) in c.value.iter().enumerate() {
            if i > 0 {
                o.push(',');
            }
            json::write_string(o, &b.operator.value);
            o.push_str(":{");
            for (j, e) in b.entries.iter().enumerate() {
                if j > 0 {
                    o.push(',');
                }
                json::write_string(o, &e.key.value);
                o.push(':');
                match &e.values {
                    OneOrMany::One(v) => write_cond_value(o, &v.value),
                    OneOrMany::Many(vs) => {
                        o.push('[');
                        for (k, v) in vs.iter().enumerate() {
                            if k > 0 {
                                o.push(',');
                            }
                            write_cond_value(o, &v.value);
                        }
                        o.push(']');
                    }
                }
            }
            o.push('}');
        }
        o.push('}');
    }
    o.push('}');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_all_forms_and_round_trips() {
        let t = r#"{"Version":"2012-10-17","Id":"x","Statement":[
          {"Sid":"A","Effect":"Allow","Action":"s3:GetObject","Resource":["arn:aws:s3:::b/*"],
           "Condition":{"NumericLessThan":{"s3:max-keys":10},"Bool":{"aws:SecureTransport":true},
                        "StringEquals":{"aws:PrincipalTag/t":["a","b"]}}},
          {"Effect":"Deny","NotPrincipal":{"AWS":["123456789012"],"Service":"ec2.amazonaws.com"},
           "NotAction":["iam:*"],"NotResource":"*"},
          {"Effect":"Allow","Principal":"*","Action":"sts:AssumeRole"}]}"#;
        let d = PolicyDocument::parse(t).unwrap();
        assert_eq!(d.statements().len(), 3);
        let out = d.to_json();
        let d2 = PolicyDocument::parse(&out).unwrap();
        assert_eq!(d, d2);
        assert_eq!(out, d2.to_json());
        assert!(out.contains("\"s3:max-keys\":10"));
        assert!(out.contains("\"Action\":\"s3:GetObject\""));
    }

    #[test]
    fn grammar_errors_carry_positions() {
        let e = PolicyDocument::parse(
            "{\"Statement\": {\n \"Effect\": \"Allow\", \"Actions\": \"*\"}}",
        )
        .unwrap_err();
        assert_eq!(e.code, "UNKNOWN_ELEMENT");
        assert_eq!((e.line, e.column), (2, 21));
        let e = PolicyDocument::parse(
            r#"{"Statement":{"Effect":"Allow","Action":"*","NotAction":"*"}}"#,
        )
        .unwrap_err();
        assert_eq!(e.code, "CONFLICTING_ELEMENTS");
        let e = PolicyDocument::parse(r#"{"Statement":{"Effect":"allow"}}"#).unwrap_err();
        assert_eq!(e.code, "INVALID_EFFECT");
        let e = PolicyDocument::parse(r#"{"Statement":{"Principal":{"Foo":"x"}}}"#).unwrap_err();
        assert_eq!(e.aws_message, "Invalid principal in policy: \"Foo\"");
        let e = PolicyDocument::parse(r#"{"Statement":{"Action":"a","Action":"b"}}"#).unwrap_err();
        assert_eq!(e.code, "DUPLICATE_KEY");
    }
}
