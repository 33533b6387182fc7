//! The error returned when a policy cannot be parsed or compiled.

/// Why a policy document was rejected.
///
/// `aws_message` is the text IAM / Organizations put in a
/// `MalformedPolicyDocument` error; `detail` is localorg's longer explanation
/// and `path`/`line`/`column` say where the problem is.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{code} at {location}: {detail}", location = self.location())]
pub struct PolicyError {
    /// A stable code in Access Analyzer style (`SYNTAX_ERROR`, `MISSING_ACTION`, …).
    pub code: &'static str,
    /// localorg's explanation.
    pub detail: String,
    /// The message AWS returns for this problem.
    pub aws_message: String,
    /// JSON path of the offending element (`Statement[1].Action[0]`), empty for the document.
    pub path: String,
    /// 1-based line (0 when unknown).
    pub line: usize,
    /// 1-based column in characters (0 when unknown).
    pub column: usize,
}

impl PolicyError {
    /// An error at byte `offset` of `text`.
    pub fn at(
        text: &str,
        code: &'static str,
        offset: usize,
        path: &str,
        detail: String,
        aws: &str,
    ) -> Self {
        let (line, column) = crate::json::line_col(text, offset);
        PolicyError {
            code,
            detail,
            aws_message: aws.to_string(),
            path: path.to_string(),
            line,
            column,
        }
    }

    /// `line L, column C` (and the path when there is one).
    pub fn location(&self) -> String {
        if self.path.is_empty() {
            format!("line {}, column {}", self.line, self.column)
        } else {
            format!("{} (line {}, column {})", self.path, self.line, self.column)
        }
    }
}
