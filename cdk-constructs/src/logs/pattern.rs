//! Filter patterns of metric and subscription filters, rendered exactly as aws-cdk-lib's
//! `FilterPattern`, `JsonPattern` and `SpaceDelimitedTextPattern` render them.

/// A rendered filter pattern (what CloudFormation's `FilterPattern` receives). Every pattern
/// type converts into it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LogPattern {
    text: String,
}

impl LogPattern {
    /// The pattern text.
    pub fn log_pattern_string(&self) -> &str {
        &self.text
    }
}

/// A pattern on the fields of JSON log events (`{ $.field = "value" }`); combine them with
/// [`FilterPattern::all`] and [`FilterPattern::any`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JsonPattern {
    json_pattern_string: String,
}

impl JsonPattern {
    /// The pattern without its braces.
    pub fn json_pattern_string(&self) -> &str {
        &self.json_pattern_string
    }

    /// The pattern text (`{ ... }`).
    pub fn log_pattern_string(&self) -> String {
        format!("{{ {} }}", self.json_pattern_string)
    }
}

impl From<JsonPattern> for LogPattern {
    fn from(p: JsonPattern) -> Self {
        LogPattern {
            text: p.log_pattern_string(),
        }
    }
}

/// Comparison of a string value (aws-cdk-lib's `'='` and `'!='`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StringComparison {
    /// `=`
    Eq,
    /// `!=`
    Ne,
}

impl StringComparison {
    fn as_str(self) -> &'static str {
        match self {
            StringComparison::Eq => "=",
            StringComparison::Ne => "!=",
        }
    }
}

/// Comparison of a number (`=`, `!=`, `<`, `<=`, `>`, `>=`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NumericComparison {
    /// `=`
    Eq,
    /// `!=`
    Ne,
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
}

impl NumericComparison {
    fn as_str(self) -> &'static str {
        match self {
            NumericComparison::Eq => "=",
            NumericComparison::Ne => "!=",
            NumericComparison::Lt => "<",
            NumericComparison::Le => "<=",
            NumericComparison::Gt => ">",
            NumericComparison::Ge => ">=",
        }
    }
}

/// JavaScript's rendering of a number (`1`, `1.5`, `-2`).
fn js_number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e21 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

/// aws-cdk-lib's `quoteTerm`: double quotes, with `\` and `"` escaped.
fn quote_term(term: &str) -> String {
    format!("\"{}\"", term.replace('\\', "\\\\").replace('"', "\\\""))
}

/// Builders of filter patterns (aws-cdk-lib's `FilterPattern`).
///
/// ```
/// use cdk_constructs::logs::{FilterPattern, LogPattern, NumericComparison};
/// let p: LogPattern = FilterPattern::all([
///     FilterPattern::exists("$.latency"),
///     FilterPattern::number_value("$.latency", NumericComparison::Gt, 500.0),
/// ]).unwrap().into();
/// assert_eq!(p.log_pattern_string(), "{ ($.latency = \"*\") && ($.latency > 500) }");
/// assert_eq!(FilterPattern::any_term(["ERROR", "WARN"]).log_pattern_string(), "?\"ERROR\" ?\"WARN\"");
/// ```
pub struct FilterPattern;

impl FilterPattern {
    /// The pattern text as given.
    pub fn literal(log_pattern_string: impl Into<String>) -> LogPattern {
        LogPattern {
            text: log_pattern_string.into(),
        }
    }

    /// Every event (the empty pattern).
    pub fn all_events() -> LogPattern {
        Self::literal("")
    }

    /// Events containing every one of `terms`.
    pub fn all_terms<S: AsRef<str>>(terms: impl IntoIterator<Item = S>) -> LogPattern {
        Self::text(vec![terms
            .into_iter()
            .map(|t| t.as_ref().to_string())
            .collect()])
    }

    /// Events containing any of `terms`.
    pub fn any_term<S: AsRef<str>>(terms: impl IntoIterator<Item = S>) -> LogPattern {
        Self::text(
            terms
                .into_iter()
                .map(|t| vec![t.as_ref().to_string()])
                .collect(),
        )
    }

    /// Events containing all terms of any of the groups.
    pub fn any_term_group(groups: Vec<Vec<String>>) -> LogPattern {
        Self::text(groups)
    }

    fn text(clauses: Vec<Vec<String>>) -> LogPattern {
        let quoted: Vec<String> = clauses
            .iter()
            .map(|terms| {
                terms
                    .iter()
                    .map(|t| quote_term(t))
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect();
        let text = if quoted.len() == 1 {
            quoted[0].clone()
        } else {
            quoted
                .iter()
                .map(|q| format!("?{q}"))
                .collect::<Vec<_>>()
                .join(" ")
        };
        LogPattern { text }
    }

    fn json(s: String) -> JsonPattern {
        JsonPattern {
            json_pattern_string: s,
        }
    }

    /// `json_field` compared with a string (`*` wildcards allowed).
    pub fn string_value(
        json_field: &str,
        comparison: StringComparison,
        value: &str,
    ) -> JsonPattern {
        Self::json(format!(
            "{json_field} {} {}",
            comparison.as_str(),
            quote_term(value)
        ))
    }

    /// `json_field` compared with a number.
    pub fn number_value(
        json_field: &str,
        comparison: NumericComparison,
        value: f64,
    ) -> JsonPattern {
        Self::json(format!(
            "{json_field} {} {}",
            comparison.as_str(),
            js_number(value)
        ))
    }

    /// `json_field` matched against a regular expression (`%regex%`).
    pub fn regex_value(json_field: &str, comparison: StringComparison, value: &str) -> JsonPattern {
        Self::json(format!("{json_field} {} %{value}%", comparison.as_str()))
    }

    /// `json_field` is null.
    pub fn is_null(json_field: &str) -> JsonPattern {
        Self::json(format!("{json_field} IS NULL"))
    }

    /// `json_field` does not exist.
    pub fn not_exists(json_field: &str) -> JsonPattern {
        Self::json(format!("{json_field} NOT EXISTS"))
    }

    /// `json_field` exists (`= "*"`).
    pub fn exists(json_field: &str) -> JsonPattern {
        Self::string_value(json_field, StringComparison::Eq, "*")
    }

    /// `json_field` is true / false.
    pub fn boolean_value(json_field: &str, value: bool) -> JsonPattern {
        Self::json(format!(
            "{json_field} {}",
            if value { "IS TRUE" } else { "IS FALSE" }
        ))
    }

    /// All of `patterns` (`(a) && (b)`); one pattern is returned as is; none is an error.
    pub fn all(patterns: impl IntoIterator<Item = JsonPattern>) -> Result<JsonPattern, String> {
        Self::aggregate(
            "&&",
            patterns.into_iter().collect(),
            "Must supply at least one pattern, or use allEvents() to match all events.",
        )
    }

    /// Any of `patterns` (`(a) || (b)`); one pattern is returned as is; none is an error.
    pub fn any(patterns: impl IntoIterator<Item = JsonPattern>) -> Result<JsonPattern, String> {
        Self::aggregate(
            "||",
            patterns.into_iter().collect(),
            "Must supply at least one pattern",
        )
    }

    fn aggregate(
        op: &str,
        mut patterns: Vec<JsonPattern>,
        empty: &str,
    ) -> Result<JsonPattern, String> {
        match patterns.len() {
            0 => Err(empty.to_string()),
            1 => Ok(patterns.remove(0)),
            _ => Ok(Self::json(
                patterns
                    .iter()
                    .map(|p| format!("({})", p.json_pattern_string))
                    .collect::<Vec<_>>()
                    .join(&format!(" {op} ")),
            )),
        }
    }

    /// A pattern on space-delimited events with these columns (`...` matches any number of
    /// columns, at most once).
    pub fn space_delimited<S: AsRef<str>>(
        columns: impl IntoIterator<Item = S>,
    ) -> Result<SpaceDelimitedTextPattern, String> {
        let columns: Vec<String> = columns
            .into_iter()
            .map(|c| c.as_ref().to_string())
            .collect();
        for c in &columns {
            let valid = c == ELLIPSIS
                || (!c.is_empty()
                    && c.chars()
                        .all(|ch| ch.is_ascii_alphanumeric() || ch == '_' || ch == '-'));
            if !valid {
                return Err(format!("Invalid column name: {c}"));
            }
        }
        if columns.iter().filter(|c| *c == ELLIPSIS).count() > 1 {
            return Err("Can use at most one '...' column".into());
        }
        Ok(SpaceDelimitedTextPattern {
            columns,
            restrictions: Vec::new(),
        })
    }
}

const ELLIPSIS: &str = "...";

#[derive(Clone, Debug, PartialEq)]
enum Restriction {
    Str(StringComparison, String),
    Num(NumericComparison, f64),
}

/// A pattern on space-delimited events, with restrictions on columns
/// ([`FilterPattern::space_delimited`]).
#[derive(Clone, Debug, PartialEq)]
pub struct SpaceDelimitedTextPattern {
    columns: Vec<String>,
    restrictions: Vec<(String, Vec<Restriction>)>,
}

impl SpaceDelimitedTextPattern {
    fn restrict(&self, column: &str, r: Restriction) -> Result<Self, String> {
        if column == ELLIPSIS {
            return Err("Can't use '...' in a restriction".into());
        }
        if !self.columns.iter().any(|c| c == column) {
            return Err(format!(
                "Column in restrictions that is not in columns: {column}"
            ));
        }
        let mut next = self.clone();
        match next.restrictions.iter_mut().find(|(c, _)| c == column) {
            Some((_, list)) => list.push(r),
            None => next.restrictions.push((column.to_string(), vec![r])),
        }
        Ok(next)
    }

    /// Restricts `column` to a string comparison.
    pub fn where_string(
        &self,
        column: &str,
        comparison: StringComparison,
        value: &str,
    ) -> Result<Self, String> {
        self.restrict(column, Restriction::Str(comparison, value.to_string()))
    }

    /// Restricts `column` to a numeric comparison.
    pub fn where_number(
        &self,
        column: &str,
        comparison: NumericComparison,
        value: f64,
    ) -> Result<Self, String> {
        self.restrict(column, Restriction::Num(comparison, value))
    }

    /// The pattern text (`[ip, user, ..., status_code = 404]`).
    pub fn log_pattern_string(&self) -> String {
        let cols: Vec<String> = self
            .columns
            .iter()
            .map(|c| match self.restrictions.iter().find(|(rc, _)| rc == c) {
                Some((_, list)) => list
                    .iter()
                    .map(|r| match r {
                        Restriction::Num(op, v) => format!("{c} {} {}", op.as_str(), js_number(*v)),
                        Restriction::Str(op, v) => format!("{c} {} {}", op.as_str(), quote_term(v)),
                    })
                    .collect::<Vec<_>>()
                    .join(" && "),
                None => c.clone(),
            })
            .collect();
        format!("[{}]", cols.join(", "))
    }
}

impl From<SpaceDelimitedTextPattern> for LogPattern {
    fn from(p: SpaceDelimitedTextPattern) -> Self {
        LogPattern {
            text: p.log_pattern_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_as_aws_cdk_lib() {
        assert_eq!(
            FilterPattern::all_terms(["a b", "say \"hi\""]).log_pattern_string(),
            "\"a b\" \"say \\\"hi\\\"\""
        );
        assert_eq!(
            FilterPattern::any_term_group(vec![vec!["a".into(), "b".into()], vec!["c".into()]])
                .log_pattern_string(),
            "?\"a\" \"b\" ?\"c\""
        );
        assert_eq!(
            FilterPattern::regex_value("$.message", StringComparison::Eq, "bind: address")
                .log_pattern_string(),
            "{ $.message = %bind: address% }"
        );
        let p = FilterPattern::any([
            FilterPattern::boolean_value("$.ok", false),
            FilterPattern::is_null("$.x"),
            FilterPattern::not_exists("$.y"),
        ])
        .unwrap();
        assert_eq!(
            p.log_pattern_string(),
            "{ ($.ok IS FALSE) || ($.x IS NULL) || ($.y NOT EXISTS) }"
        );
        assert!(FilterPattern::all([]).is_err());
        let s = FilterPattern::space_delimited(["ip", "...", "status"])
            .unwrap()
            .where_number("status", NumericComparison::Ge, 400.0)
            .unwrap()
            .where_number("status", NumericComparison::Lt, 500.5)
            .unwrap()
            .where_string("ip", StringComparison::Ne, "10.0.0.1")
            .unwrap();
        assert_eq!(
            s.log_pattern_string(),
            "[ip != \"10.0.0.1\", ..., status >= 400 && status < 500.5]"
        );
        assert!(FilterPattern::space_delimited(["...", "..."]).is_err());
        assert!(FilterPattern::space_delimited(["a b"]).is_err());
        assert!(s.where_string("...", StringComparison::Eq, "x").is_err());
        assert!(s.where_string("nope", StringComparison::Eq, "x").is_err());
    }
}
