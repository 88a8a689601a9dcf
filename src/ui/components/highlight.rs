//! Syntax colouring for query languages, as token kinds per line. The
//! editor crate styles only the cursor and selection; the colours are ours.

/// What a piece of a line is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Token {
    Command,
    Function,
    Keyword,
    Field,
    Str,
    Regex,
    Number,
    Pipe,
    Comment,
    Plain,
}

/// A language: its commands, functions and keywords (lowercase), and how
/// its comments, quotes, regexes and pipes are written.
pub struct Grammar {
    pub commands: &'static [&'static str],
    pub functions: &'static [&'static str],
    pub keywords: &'static [&'static str],
    /// What starts a comment to the end of the line (`#`, `--`).
    pub line_comment: &'static str,
    /// SQL: `/* … */` comments; `"…"` and backticks quote names, not text.
    pub sql: bool,
}

pub const INSIGHTS: Grammar = Grammar {
    commands: &[
        "fields",
        "filter",
        "stats",
        "sort",
        "limit",
        "parse",
        "display",
        "dedup",
        "pattern",
        "unmask",
        "diff",
        "filterindex",
        "source",
        "anomaly",
        "unnest",
        "lookup",
    ],
    functions: &[
        "count",
        "count_distinct",
        "sum",
        "avg",
        "min",
        "max",
        "pct",
        "stddev",
        "bin",
        "earliest",
        "latest",
        "sortsfirst",
        "sortslast",
        "ispresent",
        "isempty",
        "isblank",
        "isvalidip",
        "concat",
        "ltrim",
        "rtrim",
        "trim",
        "strlen",
        "toupper",
        "tolower",
        "substr",
        "replace",
        "strcontains",
        "abs",
        "ceil",
        "floor",
        "greatest",
        "least",
        "log",
        "sqrt",
        "datefloor",
        "dateceil",
        "fromMillis",
        "toMillis",
        "now",
        "coalesce",
        "jsonparse",
        "isipv4insubnet",
    ],
    keywords: &[
        "by", "as", "and", "or", "not", "in", "like", "desc", "asc", "with",
    ],
    line_comment: "#",
    sql: false,
};

/// Athena's SQL (Trino): clauses as commands, the rest as keywords.
pub const SQL: Grammar = Grammar {
    commands: &[
        "select",
        "from",
        "where",
        "group",
        "order",
        "having",
        "limit",
        "offset",
        "join",
        "with",
        "union",
        "intersect",
        "except",
        "insert",
        "into",
        "values",
        "create",
        "drop",
        "alter",
        "show",
        "describe",
        "explain",
        "msck",
        "repair",
        "unload",
        "merge",
        "update",
        "delete",
        "vacuum",
        "optimize",
    ],
    functions: &[
        "count",
        "sum",
        "avg",
        "min",
        "max",
        "approx_distinct",
        "approx_percentile",
        "array_agg",
        "map_agg",
        "date_trunc",
        "date_add",
        "date_diff",
        "date_format",
        "date_parse",
        "from_iso8601_timestamp",
        "from_unixtime",
        "to_unixtime",
        "current_date",
        "current_timestamp",
        "now",
        "coalesce",
        "nullif",
        "cast",
        "try_cast",
        "try",
        "lower",
        "upper",
        "substr",
        "trim",
        "length",
        "concat",
        "split",
        "replace",
        "regexp_like",
        "regexp_extract",
        "regexp_replace",
        "json_extract",
        "json_extract_scalar",
        "json_parse",
        "json_format",
        "element_at",
        "cardinality",
        "contains",
        "round",
        "floor",
        "ceil",
        "abs",
        "greatest",
        "least",
        "row_number",
        "rank",
        "dense_rank",
        "lag",
        "lead",
        "first_value",
        "last_value",
        "year",
        "month",
        "day",
        "hour",
        "minute",
        "if",
        "format",
    ],
    keywords: &[
        "by",
        "as",
        "and",
        "or",
        "not",
        "in",
        "is",
        "null",
        "like",
        "between",
        "exists",
        "on",
        "using",
        "inner",
        "left",
        "right",
        "full",
        "outer",
        "cross",
        "all",
        "distinct",
        "case",
        "when",
        "then",
        "else",
        "end",
        "asc",
        "desc",
        "nulls",
        "first",
        "last",
        "true",
        "false",
        "table",
        "external",
        "database",
        "schema",
        "view",
        "partitions",
        "partition",
        "partitioned",
        "stored",
        "location",
        "tblproperties",
        "if",
        "over",
        "rows",
        "range",
        "unnest",
        "lateral",
        "date",
        "timestamp",
        "interval",
        "array",
        "map",
        "row",
        "tables",
        "columns",
        "for",
        "system_time",
        "at",
    ],
    line_comment: "--",
    sql: true,
};

fn word_kind(word: &str, g: &Grammar, next_is_paren: bool) -> Token {
    let lower = word.to_ascii_lowercase();
    if word.starts_with('@') {
        Token::Field
    } else if next_is_paren && g.functions.iter().any(|f| f.eq_ignore_ascii_case(&lower)) {
        Token::Function
    } else if g.commands.contains(&lower.as_str()) {
        Token::Command
    } else if g.keywords.contains(&lower.as_str()) {
        Token::Keyword
    } else if word.chars().all(|c| c.is_ascii_digit() || c == '.') && !word.is_empty() {
        Token::Number
    } else {
        Token::Plain
    }
}

/// Splits a line into (token, text) runs covering it exactly.
pub fn tokens(line: &str, g: &Grammar) -> Vec<(Token, String)> {
    let chars: Vec<char> = line.chars().collect();
    let mut out: Vec<(Token, String)> = Vec::new();
    let mut i = 0;
    let push = |out: &mut Vec<(Token, String)>, t: Token, s: String| match out.last_mut() {
        Some((lt, ls)) if *lt == t && t == Token::Plain => ls.push_str(&s),
        _ => out.push((t, s)),
    };
    while i < chars.len() {
        let c = chars[i];
        let rest: String = chars[i..].iter().collect();
        if rest.starts_with(g.line_comment) {
            push(&mut out, Token::Comment, rest);
            break;
        }
        // A `/* … */` comment, to its end or the line's.
        if g.sql && rest.starts_with("/*") {
            let len = rest
                .find("*/")
                .map_or(chars.len() - i, |e| rest[..e + 2].chars().count());
            push(&mut out, Token::Comment, chars[i..i + len].iter().collect());
            i += len;
            continue;
        }
        if c == '"' || c == '\'' || c == '`' {
            let mut j = i + 1;
            while j < chars.len() && chars[j] != c {
                // SQL doubles a quote to escape it; a backslash is text.
                j += if chars[j] == '\\' && !g.sql { 2 } else { 1 };
            }
            let end = (j + 1).min(chars.len());
            // In SQL "…" and `…` are names (a column, a table).
            let kind = if g.sql && c != '\'' {
                Token::Field
            } else {
                Token::Str
            };
            push(&mut out, kind, chars[i..end].iter().collect());
            i = end;
            continue;
        }
        // A regex starts where a value would: after `like`, `=~`, `parse`,
        // `(`, `,` or at the start of an expression.
        if c == '/' && !g.sql {
            let before = out
                .iter()
                .rev()
                .find(|(_, s)| !s.trim().is_empty())
                .map(|(t, s)| (*t, s.trim().to_string()));
            let regex_place = match &before {
                None => true,
                Some((Token::Keyword, k)) => k.eq_ignore_ascii_case("like"),
                Some((Token::Command, _)) => true,
                Some((_, s)) => s.ends_with("=~") || s.ends_with('(') || s.ends_with(','),
            };
            if regex_place {
                let mut j = i + 1;
                while j < chars.len() && chars[j] != '/' {
                    j += if chars[j] == '\\' { 2 } else { 1 };
                }
                let end = (j + 1).min(chars.len());
                push(&mut out, Token::Regex, chars[i..end].iter().collect());
                i = end;
                continue;
            }
        }
        if c == '|' && !g.sql {
            push(&mut out, Token::Pipe, "|".into());
            i += 1;
            continue;
        }
        if c.is_alphanumeric() || c == '@' || c == '_' || c == '.' {
            let mut j = i;
            while j < chars.len() && (chars[j].is_alphanumeric() || "@_.".contains(chars[j])) {
                j += 1;
            }
            let word: String = chars[i..j].iter().collect();
            let next_is_paren = chars[j..].iter().find(|c| !c.is_whitespace()) == Some(&'(');
            push(&mut out, word_kind(&word, g, next_is_paren), word);
            i = j;
            continue;
        }
        push(&mut out, Token::Plain, c.to_string());
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(line: &str) -> Vec<(Token, String)> {
        tokens(line, &INSIGHTS)
            .into_iter()
            .filter(|(t, _)| *t != Token::Plain)
            .collect()
    }

    #[test]
    fn insights_lines_are_coloured_by_role() {
        let k = kinds(
            r#"filter @message like /Empty file/ and level = "ERROR" | stats count(*) by bin(5m)"#,
        );
        assert_eq!(
            k,
            [
                (Token::Command, "filter".into()),
                (Token::Field, "@message".into()),
                (Token::Keyword, "like".into()),
                (Token::Regex, "/Empty file/".into()),
                (Token::Keyword, "and".into()),
                (Token::Str, "\"ERROR\"".into()),
                (Token::Pipe, "|".into()),
                (Token::Command, "stats".into()),
                (Token::Function, "count".into()),
                (Token::Keyword, "by".into()),
                (Token::Function, "bin".into()),
            ]
        );
    }

    #[test]
    fn tokens_cover_the_line_exactly_even_when_unterminated() {
        for line in [
            "fields \"open",
            "filter x like /abc",
            "# note | here",
            "a/b | c",
            "",
        ] {
            let joined: String = tokens(line, &INSIGHTS)
                .into_iter()
                .map(|(_, s)| s)
                .collect();
            assert_eq!(joined, line);
        }
        assert_eq!(
            kinds("sort @timestamp desc | limit 20")[5],
            (Token::Number, "20".into())
        );
    }

    #[test]
    fn sql_lines_are_coloured_by_role() {
        let k: Vec<(Token, String)> = tokens(
            r#"SELECT "order id", count(*) FROM silver_db.orders WHERE dt = '2026-11-30' -- today"#,
            &SQL,
        )
        .into_iter()
        .filter(|(t, _)| *t != Token::Plain)
        .collect();
        assert_eq!(
            k,
            [
                (Token::Command, "SELECT".into()),
                (Token::Field, "\"order id\"".into()),
                (Token::Function, "count".into()),
                (Token::Command, "FROM".into()),
                (Token::Command, "WHERE".into()),
                (Token::Str, "'2026-11-30'".into()),
                (Token::Comment, "-- today".into()),
            ]
        );
        let block = tokens("a /* note */ || b / 2", &SQL);
        assert!(
            block.contains(&(Token::Comment, "/* note */".into())),
            "{block:?}"
        );
        assert!(!block
            .iter()
            .any(|(t, _)| matches!(t, Token::Regex | Token::Pipe)));
        for line in ["SELECT 'open", "/* never closed", "x -- y", "'it''s'", ""] {
            let joined: String = tokens(line, &SQL).into_iter().map(|(_, s)| s).collect();
            assert_eq!(joined, line);
        }
    }
}
