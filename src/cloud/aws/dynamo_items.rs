//! Reading DynamoDB items in bulk, for the audit reads: a Scan capped in
//! pages (with an optional filter), and items read whole by their keys
//! (BatchGetItem, after an index that holds keys only).

use super::dynamo::{item, sdk_key};
use super::errors::map_sdk_error;
use crate::cloud::audit::Item;
use crate::cloud::{CloudError, CloudResult};
use aws_sdk_dynamodb::types::{AttributeValue, KeysAndAttributes};
use aws_sdk_dynamodb::Client;
use std::collections::HashMap;

/// BatchGetItem: at most 100 keys a call.
pub const BATCH_KEYS: usize = 100;

/// Scan, at most `pages` pages; true when the table holds more. With a
/// filter (attribute, values) only items whose attribute is one of the
/// values come back (a filter does not make the Scan cheaper: every page
/// read costs the same).
pub(super) async fn capped_scan(
    client: &Client,
    table: &str,
    pages: usize,
    filter: Option<(&str, &[&str])>,
) -> CloudResult<(Vec<Item>, bool)> {
    let mut items = Vec::new();
    let mut start: Option<HashMap<String, AttributeValue>> = None;
    for _ in 0..pages.max(1) {
        let mut ask = client
            .scan()
            .table_name(table)
            .set_exclusive_start_key(start.take());
        if let Some((attr, values)) = filter {
            let names: Vec<String> = (0..values.len()).map(|i| format!(":v{i}")).collect();
            ask = ask
                .filter_expression(format!("#k IN ({})", names.join(", ")))
                .expression_attribute_names("#k", attr);
            for (name, v) in names.iter().zip(values) {
                ask = ask.expression_attribute_values(name, AttributeValue::S(v.to_string()));
            }
        }
        let page = ask
            .send()
            .await
            .map_err(|e| map_sdk_error("dynamodb:Scan", e))?;
        items.extend(page.items().iter().map(item));
        match page.last_evaluated_key() {
            Some(k) => start = Some(k.clone()),
            None => return Ok((items, false)),
        }
    }
    Ok((items, true))
}

/// The items of `partial` (an index's keys) read whole, 100 keys a call;
/// UnprocessedKeys asked again three times with a growing pause. Returns
/// the items and how many keys never came back.
pub(super) async fn batch_get(
    client: &Client,
    table: &str,
    partial: &[Item],
    keys: &[String],
) -> CloudResult<(Vec<Item>, usize)> {
    let wanted: Vec<HashMap<String, AttributeValue>> = partial
        .iter()
        .filter_map(|i| {
            let key: Item = keys
                .iter()
                .filter_map(|k| i.get(k).map(|v| (k.clone(), v.clone())))
                .collect();
            (key.len() == keys.len()).then(|| sdk_key(&key)).flatten()
        })
        .collect();
    let mut out = Vec::new();
    let mut left = 0;
    for chunk in wanted.chunks(BATCH_KEYS) {
        let mut ask = KeysAndAttributes::builder()
            .set_keys(Some(chunk.to_vec()))
            .build()
            .map_err(|e| CloudError::InvalidInput {
                message: e.to_string(),
            })?;
        for attempt in 0..4u32 {
            let got = client
                .batch_get_item()
                .request_items(table, ask.clone())
                .send()
                .await
                .map_err(|e| map_sdk_error("dynamodb:BatchGetItem", e))?;
            if let Some(items) = got.responses().and_then(|r| r.get(table)) {
                out.extend(items.iter().map(item));
            }
            match got.unprocessed_keys().and_then(|u| u.get(table)) {
                Some(rest) if !rest.keys().is_empty() && attempt < 3 => {
                    ask = rest.clone();
                    tokio::time::sleep(std::time::Duration::from_millis(100 << attempt)).await;
                }
                Some(rest) => {
                    left += rest.keys().len();
                    break;
                }
                None => break,
            }
        }
    }
    Ok((out, left))
}
