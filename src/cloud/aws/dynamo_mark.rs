//! The audit tables' one write: marking a RUNNING record FAILED with a
//! conditional UpdateItem. Called only from `CloudMutate::mark_run_failed`,
//! after its gate token is authorized.

use super::dynamo::sdk_key;
use super::errors::map_sdk_error;
use crate::cloud::audit::{Item, TableMapping};
use crate::cloud::{CloudError, CloudResult};
use aws_sdk_dynamodb::types::AttributeValue;
use aws_sdk_dynamodb::Client;
use chrono::{DateTime, Utc};

/// The table's failed word, in the case its running word is written in
/// (a table writing `running` expects `failed`).
fn failed_like(m: &TableMapping, running_word: &str) -> String {
    let w = m.status.failed_word();
    if running_word == running_word.to_lowercase() {
        w.to_lowercase()
    } else {
        w.to_string()
    }
}

/// What a "mark failed" found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MarkOutcome {
    Marked,
    /// The status was no longer the running word: not changed.
    AlreadyFinished,
}

/// Sets the table's failed word, the end time and a message naming who
/// marked it — only while the status still holds `running_word`
/// (ConditionExpression `#s = :running`).
pub(super) async fn mark_failed(
    client: &Client,
    m: &TableMapping,
    key: &Item,
    running_word: &str,
    message: &str,
    now: DateTime<Utc>,
) -> CloudResult<MarkOutcome> {
    let key = sdk_key(key).ok_or_else(|| CloudError::InvalidInput {
        message: "the item's key is binary: pipedeck cannot name it".into(),
    })?;
    let f = &m.fields;
    let mut sets = vec!["#s = :failed".to_string()];
    let mut req = client
        .update_item()
        .table_name(&m.name)
        .set_key(Some(key))
        .condition_expression("#s = :running")
        .expression_attribute_names("#s", &f.status)
        .expression_attribute_values(":failed", AttributeValue::S(failed_like(m, running_word)))
        .expression_attribute_values(":running", AttributeValue::S(running_word.into()));
    if !f.ended.is_empty() {
        sets.push("#e = :end".into());
        req = req
            .expression_attribute_names("#e", &f.ended)
            .expression_attribute_values(
                ":end",
                AttributeValue::S(now.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)),
            );
    }
    if !f.error_message.is_empty() {
        sets.push("#m = :msg".into());
        req = req
            .expression_attribute_names("#m", &f.error_message)
            .expression_attribute_values(":msg", AttributeValue::S(message.into()));
    }
    match req
        .update_expression(format!("SET {}", sets.join(", ")))
        .send()
        .await
    {
        Ok(_) => Ok(MarkOutcome::Marked),
        Err(e)
            if e.as_service_error()
                .is_some_and(|s| s.is_conditional_check_failed_exception()) =>
        {
            Ok(MarkOutcome::AlreadyFinished)
        }
        Err(e) => Err(map_sdk_error("dynamodb:UpdateItem", e)),
    }
}
