//! What is never shown: values of arguments that carry credentials. The
//! values still go to AWS unchanged; only the screen (dialogs, details)
//! masks them, and the journal names arguments, never their values.
//!
//! It fails closed: any name with password, secret, token, credential or a
//! `key` part is a secret, except the few `…_key` names that are object or
//! partition keys (`--source_key` is the file an on-call wants to see).

/// Shown instead of a secret's value; fixed, so it does not leak the length.
pub const MASK: &str = "••••••";

/// Words that make any name a secret, wherever they appear in it.
const SECRET_WORDS: &[&str] = &[
    "password",
    "passwd",
    "secret",
    "token",
    "credential",
    "apikey",
    "accesskey",
    "privatekey",
    "accountkey",
];

/// Name parts that are secrets on their own ("--db_pass", "--pwd").
const SECRET_PARTS: &[&str] = &["pass", "pwd", "key", "keys", "keyfile", "sas", "jwt"];

/// A `key` right after one of these is an object, partition or lookup key.
const DATA_KEY_OWNERS: &[&str] = &[
    "source",
    "src",
    "s3",
    "object",
    "file",
    "input",
    "output",
    "target",
    "dest",
    "destination",
    "partition",
    "sort",
    "primary",
    "hash",
    "range",
    "row",
    "join",
    "group",
    "dedup",
    "idempotency",
    "lookup",
    "cache",
    "bucket",
];

pub fn is_secret_name(name: &str) -> bool {
    // "storageAccountKey" → "storage_account_key" so camelCase splits too.
    let mut snake = String::with_capacity(name.len() + 4);
    for (i, c) in name.chars().enumerate() {
        if c.is_ascii_uppercase() && i > 0 {
            snake.push('_');
        }
        snake.push(c.to_ascii_lowercase());
    }
    let joined: String = snake.chars().filter(char::is_ascii_alphanumeric).collect();
    if SECRET_WORDS.iter().any(|w| joined.contains(w)) {
        return true;
    }
    let parts: Vec<&str> = snake
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|p| !p.is_empty())
        .collect();
    parts.iter().enumerate().any(|(i, p)| {
        if !SECRET_PARTS.contains(p) {
            return false;
        }
        let data_key = (*p == "key" || *p == "keys")
            && (i > 0 && DATA_KEY_OWNERS.contains(&parts[i - 1])
                || parts.get(i + 1).is_some_and(|n| *n == "prefix"));
        !data_key
    })
}

/// A value with any secret inside it masked: `name=value` pairs whose name
/// is a secret (`spark.hadoop.fs.s3a.secret.key=…`, `password=…`) and the
/// password of a URL (`jdbc:postgresql://user:pw@host`).
pub fn mask_value(value: &str) -> String {
    value
        .split(' ')
        .map(mask_word)
        .collect::<Vec<_>>()
        .join(" ")
}

fn mask_word(word: &str) -> String {
    if let Some((name, _)) = word.split_once('=') {
        if is_secret_name(name) {
            return format!("{name}={MASK}");
        }
    }
    if let Some(scheme_end) = word.find("://") {
        let rest = &word[scheme_end + 3..];
        let host_start = rest.find('/').unwrap_or(rest.len());
        if let Some(at) = rest[..host_start].rfind('@') {
            if let Some(colon) = rest[..at].find(':') {
                let user_end = scheme_end + 3 + colon;
                let host = scheme_end + 3 + at;
                return format!("{}:{MASK}{}", &word[..user_end], &word[host..]);
            }
        }
    }
    word.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_names_fail_closed_but_object_keys_show() {
        for secret in [
            "--db_password",
            "--API_TOKEN",
            "--aws_secret",
            "--kms_key_id",
            "--storage_account_key",
            "--storageAccountKey",
            "--db_key",
            "--jwt_key",
            "--sas_key",
            "--keyfile",
            "--db_pass",
            "--pwd",
            "--key",
        ] {
            assert!(is_secret_name(secret), "{secret} shown");
        }
        for data in [
            "--source_key",
            "--s3_key",
            "--partition_key",
            "--key_prefix",
            "--source_bucket",
            "--table",
            "--JOB_NAME",
            "--enable-metrics",
        ] {
            assert!(!is_secret_name(data), "{data} masked");
        }
    }

    #[test]
    fn secrets_inside_values_are_masked() {
        assert_eq!(
            mask_value("spark.hadoop.fs.s3a.secret.key=AKIA/xyz spark.executor.memory=4g"),
            "spark.hadoop.fs.s3a.secret.key=•••••• spark.executor.memory=4g"
        );
        assert_eq!(
            mask_value("jdbc:postgresql://etl:hunter2@db.internal:5432/orders"),
            "jdbc:postgresql://etl:••••••@db.internal:5432/orders"
        );
        assert_eq!(
            mask_value("s3://bucket/a=b/key.csv"),
            "s3://bucket/a=b/key.csv"
        );
        assert_eq!(mask_value("naïve=ü://x"), "naïve=ü://x");
    }
}
