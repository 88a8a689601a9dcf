//! The pipelines' audit tables through the DynamoDB SDK: a table's shape
//! (DescribeTable), a sample for `detect` (one Scan page of 25), the last
//! 24 hours of runs and every RUNNING one, and the conditional "mark
//! failed". Never an unbounded Scan: DescribeTable's ItemCount is six
//! hours stale (a new table says 0), so where only a Scan would do it is
//! capped in pages and the answer says which index would make it a Query.
//! The one write, "mark failed", is in `dynamo_mark`.

use super::dynamo_items::{batch_get, capped_scan};
use super::errors::map_sdk_error;
use crate::cloud::audit::detect::{IndexShape, TableShape};
use crate::cloud::audit::{AttrValue, AuditRun, Item, RunStatus, TableMapping, TableRead};
use crate::cloud::{AuditProgress, CloudError, CloudResult};
use aws_sdk_dynamodb::types::{AttributeValue, KeyType};
use aws_sdk_dynamodb::Client;
use chrono::{DateTime, Duration, Utc};
use std::collections::HashMap;

/// One status word's Query: pages of at most this many items (or 1 MB),
/// so that a read stops soon after the window's oldest item …
pub const PAGE_ITEMS: i32 = 500;
/// … and at most this many pages (50,000 records of one word a day; the
/// benchmark reads 50,000 records in 150 calls).
pub const MAX_WORD_PAGES: usize = 100;
/// `detect`'s sample.
pub const SAMPLE: i32 = 25;

pub fn attr(v: &AttributeValue) -> AttrValue {
    match v {
        AttributeValue::S(s) => AttrValue::S(s.clone()),
        AttributeValue::N(n) => AttrValue::N(n.clone()),
        AttributeValue::Bool(b) => AttrValue::Bool(*b),
        AttributeValue::L(l) => AttrValue::L(l.iter().map(attr).collect()),
        AttributeValue::M(m) => AttrValue::M(m.iter().map(|(k, v)| (k.clone(), attr(v))).collect()),
        AttributeValue::Ss(s) => AttrValue::Ss(s.clone()),
        AttributeValue::Ns(s) => AttrValue::Ns(s.clone()),
        AttributeValue::B(b) => AttrValue::B(b.as_ref().len()),
        AttributeValue::Bs(b) => AttrValue::B(b.iter().map(|x| x.as_ref().len()).sum()),
        // NULL, and a type added after this was written.
        _ => AttrValue::Null,
    }
}

pub fn item(m: &HashMap<String, AttributeValue>) -> Item {
    m.iter().map(|(k, v)| (k.clone(), attr(v))).collect()
}

/// A key attribute back to the SDK (keys are S or N; binary keys are not
/// kept, so an item keyed by one cannot be updated from here).
fn key_value(v: &AttrValue) -> Option<AttributeValue> {
    match v {
        AttrValue::S(s) => Some(AttributeValue::S(s.clone())),
        AttrValue::N(n) => Some(AttributeValue::N(n.clone())),
        _ => None,
    }
}

pub(super) fn sdk_key(key: &Item) -> Option<HashMap<String, AttributeValue>> {
    key.iter()
        .map(|(k, v)| key_value(v).map(|v| (k.clone(), v)))
        .collect()
}

pub async fn describe(client: &Client, table: &str) -> CloudResult<TableShape> {
    let out = client
        .describe_table()
        .table_name(table)
        .send()
        .await
        .map_err(|e| map_sdk_error("dynamodb:DescribeTable", e))?;
    let t = out.table().ok_or_else(|| CloudError::NotFound {
        message: format!("table {table} was not described"),
    })?;
    let key = |schema: &[aws_sdk_dynamodb::types::KeySchemaElement], kind: KeyType| {
        schema
            .iter()
            .find(|k| *k.key_type() == kind)
            .map(|k| k.attribute_name().to_string())
    };
    Ok(TableShape {
        name: t.table_name().unwrap_or(table).to_string(),
        hash_key: key(t.key_schema(), KeyType::Hash).unwrap_or_default(),
        range_key: key(t.key_schema(), KeyType::Range),
        indexes: t
            .global_secondary_indexes()
            .iter()
            .map(|g| IndexShape {
                name: g.index_name().unwrap_or_default().to_string(),
                hash_key: key(g.key_schema(), KeyType::Hash).unwrap_or_default(),
                range_key: key(g.key_schema(), KeyType::Range),
                projection: g
                    .projection()
                    .and_then(|p| p.projection_type())
                    .map_or("ALL".into(), |p| p.as_str().to_string()),
                projected: g
                    .projection()
                    .map(|p| p.non_key_attributes().to_vec())
                    .unwrap_or_default(),
            })
            .collect(),
        item_count: t.item_count(),
    })
}

/// Every runs table's read, one after the other (paced by the budget
/// either way), telling `progress` each one's urgent runs before its
/// succeeded pages; DQ and errors tables are read beside an open run,
/// not as runs.
pub async fn read_tables(
    client: &Client,
    shapes: &Shapes,
    tables: &[TableMapping],
    now: DateTime<Utc>,
    scan_pages: usize,
    progress: AuditProgress<'_>,
) -> Vec<TableRead> {
    let mut reads: Vec<TableRead> = Vec::with_capacity(tables.len());
    for m in tables
        .iter()
        .filter(|m| m.kind == crate::cloud::audit::TableKind::Runs)
    {
        let done = &reads;
        let urgent = |runs: &[AuditRun]| {
            let mut so_far = done.clone();
            so_far.push(TableRead {
                table: m.name.clone(),
                runs: runs.to_vec(),
                notes: vec!["reading its succeeded runs…".into()],
                error: None,
            });
            progress(&so_far);
        };
        let read = read_table(client, shapes, m, now, scan_pages, &urgent).await;
        reads.push(read);
    }
    reads
}

/// A configured table's read: its shape once a session (DescribeTable;
/// its counts are hours old anyway), then [`recent`]; a failure is the
/// table's, not the pane's.
pub async fn read_table(
    client: &Client,
    shapes: &Shapes,
    m: &TableMapping,
    now: DateTime<Utc>,
    scan_pages: usize,
    urgent: Urgent<'_>,
) -> TableRead {
    let read = match shape_of(client, shapes, &m.name).await {
        Ok(shape) => recent_streaming(client, &shape, m, now, scan_pages, urgent).await,
        Err(e) => Err(e),
    };
    match read {
        Ok(r) => TableRead {
            table: m.name.clone(),
            runs: r.runs,
            notes: r.notes,
            error: None,
        },
        Err(e) => TableRead {
            table: m.name.clone(),
            error: Some(e.to_string()),
            ..TableRead::default()
        },
    }
}

/// The table's shape, described once a session.
pub(super) async fn shape_of(
    client: &Client,
    shapes: &Shapes,
    table: &str,
) -> CloudResult<TableShape> {
    let known = shapes.lock().unwrap().get(table).cloned();
    match known {
        Some(s) => Ok(s),
        None => describe(client, table).await.inspect(|s| {
            shapes.lock().unwrap().insert(table.to_string(), s.clone());
        }),
    }
}

/// Tables described this session, by name.
pub type Shapes = std::sync::Mutex<std::collections::BTreeMap<String, TableShape>>;

/// One Scan page of at most 25 items: what `detect` reads.
pub async fn sample(client: &Client, table: &str) -> CloudResult<Vec<Item>> {
    let out = client
        .scan()
        .table_name(table)
        .limit(SAMPLE)
        .send()
        .await
        .map_err(|e| map_sdk_error("dynamodb:Scan", e))?;
    Ok(out.items().iter().map(item).collect())
}

/// The last 24 hours of runs, every RUNNING one whatever its age, and what
/// reading them cost or left out.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RecentRuns {
    pub runs: Vec<AuditRun>,
    /// Said under the list: a capped Scan and the index that would help,
    /// pages left unread, keys BatchGetItem did not return.
    pub notes: Vec<String>,
}

/// Told the failed, partial and running runs (newest first) once their
/// words are read, before the succeeded ones.
pub type Urgent<'a> = &'a (dyn Fn(&[AuditRun]) + Send + Sync);

pub async fn recent(
    client: &Client,
    shape: &TableShape,
    m: &TableMapping,
    now: DateTime<Utc>,
    scan_pages: usize,
) -> CloudResult<RecentRuns> {
    recent_streaming(client, shape, m, now, scan_pages, &|_| {}).await
}

/// As [`recent`], telling `urgent` the runs that need a look first when
/// the index holds them whole (a keys-only index waits for BatchGetItem).
pub async fn recent_streaming(
    client: &Client,
    shape: &TableShape,
    m: &TableMapping,
    now: DateTime<Utc>,
    scan_pages: usize,
    urgent: Urgent<'_>,
) -> CloudResult<RecentRuns> {
    let since = now - Duration::hours(24);
    let keys = shape.key_names();
    let mut out = RecentRuns::default();
    // A named index is used only when its partition key is the status.
    let on_status = |i: &&IndexShape| !m.fields.status.is_empty() && i.hash_key == m.fields.status;
    let named = m
        .status_index
        .as_ref()
        .map(|n| shape.indexes.iter().find(|i| i.name == *n));
    let index = match named {
        Some(Some(i)) if on_status(&i) => Some(i),
        Some(Some(i)) => {
            out.notes.push(format!(
                "index {} is keyed on {}, not the status: not used",
                i.name, i.hash_key
            ));
            shape.indexes.iter().find(on_status)
        }
        Some(None) => {
            out.notes.push(format!(
                "no index named {} on the table",
                m.status_index.as_deref().unwrap_or("")
            ));
            shape.indexes.iter().find(on_status)
        }
        None => shape.indexes.iter().find(on_status),
    };
    let items = match index {
        Some(ix) => {
            let mut items = Vec::new();
            // The time the index is ordered by, when it is the mapped
            // start or end: then a read stops at the window's edge.
            let ordered_by_time = ix
                .range_key
                .as_ref()
                .is_some_and(|r| !r.is_empty() && (*r == m.fields.started || *r == m.fields.ended));
            let whole = ix.projects(&mapped_fields(m), shape);
            let mut told = false;
            for word in status_words(&m.status) {
                // The first succeeded word: what needs a look is all in.
                if !told && whole && m.status.read(&word) == RunStatus::Succeeded {
                    told = true;
                    let so_far = unique_by_key(items.clone(), &keys);
                    let mut runs = in_window(&so_far, m, &keys, since);
                    runs.sort_by(AuditRun::most_urgent_first);
                    urgent(&runs);
                }
                let all_ages = m.status.read(&word) == RunStatus::Running;
                let stop_at = (!all_ages && ordered_by_time).then_some(since);
                let (got, cut) = by_status(client, shape, ix, &word, stop_at).await?;
                if cut {
                    out.notes.push(format!(
                        "{word}: more than {MAX_WORD_PAGES} pages through {}; the oldest not read",
                        ix.name
                    ));
                }
                items.extend(got);
            }
            let items = unique_by_key(items, &keys);
            let mapped = mapped_fields(m);
            if ix.projects(&mapped, shape) {
                items
            } else {
                // The index holds keys (and some attributes): the items
                // themselves by key.
                let (full, left) = batch_get(client, &shape.name, &items, &keys).await?;
                if left > 0 {
                    out.notes
                        .push(format!("{left} item(s) not returned by BatchGetItem"));
                }
                full
            }
        }
        None => {
            let (items, more) = capped_scan(client, &shape.name, scan_pages, None).await?;
            out.notes.push(format!(
                "no index on {}: read {} Scan page(s) at most{}; a GSI with {} as its partition key would make this one Query per status",
                if m.fields.status.is_empty() { "the status" } else { &m.fields.status },
                scan_pages,
                if more { ", and the table holds more" } else { "" },
                if m.fields.status.is_empty() { "the status" } else { &m.fields.status },
            ));
            items
        }
    };
    out.runs = in_window(&items, m, &keys, since);
    out.runs.sort_by(AuditRun::most_urgent_first);
    Ok(out)
}

/// The items as runs of the window: seen since `since`, or RUNNING.
fn in_window(
    items: &[Item],
    m: &TableMapping,
    keys: &[String],
    since: DateTime<Utc>,
) -> Vec<AuditRun> {
    items
        .iter()
        .map(|i| m.run_of(i, keys))
        // A run that started yesterday and failed an hour ago is today's.
        .filter(|r| r.status == RunStatus::Running || r.last_seen().is_none_or(|t| t >= since))
        .collect()
}

/// Each configured word once, with its lower- and upper-case forms: a
/// Query matches exactly, while the mapping compares without case.
fn status_words(s: &crate::cloud::audit::StatusWords) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for w in s
        .failed
        .iter()
        .chain(&s.partial)
        .chain(&s.running)
        .chain(&s.succeeded)
    {
        for form in [w.clone(), w.to_lowercase(), w.to_uppercase()] {
            if !out.contains(&form) {
                out.push(form);
            }
        }
    }
    out
}

/// Items once each by their table key (a run may change status between
/// two words' Queries; BatchGetItem refuses duplicate keys).
fn unique_by_key(items: Vec<Item>, keys: &[String]) -> Vec<Item> {
    let mut seen = std::collections::BTreeSet::new();
    items
        .into_iter()
        .filter(|i| {
            let key: Vec<String> = keys
                .iter()
                .map(|k| i.get(k).map_or(String::new(), AttrValue::text))
                .collect();
            seen.insert(key)
        })
        .collect()
}

/// The attributes the mapping reads, for "does the index project them".
pub(super) fn mapped_fields(m: &TableMapping) -> Vec<&str> {
    let f = &m.fields;
    [
        &f.pipeline,
        &f.run_id,
        &f.glue_run_id,
        &f.status,
        &f.started,
        &f.ended,
        &f.duration,
        &f.rows_read,
        &f.rows_written,
        &f.rows_rejected,
        &f.dq_score,
        &f.error_message,
        &f.error_type,
        &f.failed_rules,
        &f.passed,
        &f.attempt,
        &f.recoverable,
    ]
    .into_iter()
    .map(String::as_str)
    .filter(|a| !a.is_empty())
    .collect()
}

/// One status word through the index, newest first (ScanIndexForward
/// false): pages until an item older than `stop_at` (only given when the
/// index is ordered by the run's time; RUNNING reads every age: a stuck
/// run is old by definition). Returns the items and whether the page cap
/// cut it short.
async fn by_status(
    client: &Client,
    shape: &TableShape,
    ix: &IndexShape,
    word: &str,
    stop_at: Option<DateTime<Utc>>,
) -> CloudResult<(Vec<Item>, bool)> {
    let op = format!("dynamodb:Query on {}/index/{}", shape.name, ix.name);
    let mut items = Vec::new();
    let mut start: Option<HashMap<String, AttributeValue>> = None;
    for _ in 0..MAX_WORD_PAGES {
        let page = client
            .query()
            .table_name(&shape.name)
            .index_name(&ix.name)
            .key_condition_expression("#s = :w")
            .expression_attribute_names("#s", &ix.hash_key)
            .expression_attribute_values(":w", AttributeValue::S(word.to_string()))
            .scan_index_forward(false)
            .limit(PAGE_ITEMS)
            .set_exclusive_start_key(start.take())
            .send()
            .await
            .map_err(|e| map_sdk_error(&op, e))?;
        let got: Vec<Item> = page.items().iter().map(item).collect();
        // Ordered by the index's sort key: once it is a time older than
        // the window, the rest is older still.
        let older = stop_at.is_some_and(|since| {
            got.last()
                .and_then(|i| ix.range_key.as_ref().and_then(|k| i.get(k)))
                .and_then(AttrValue::as_time)
                .is_some_and(|t| t < since)
        });
        items.extend(got);
        match page.last_evaluated_key() {
            Some(k) if !older => start = Some(k.clone()),
            _ => return Ok((items, false)),
        }
    }
    Ok((items, true))
}
