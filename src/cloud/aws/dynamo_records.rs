//! What sits beside an open run, through the DynamoDB SDK: its pipeline's
//! last runs (Query on the pipeline, newest first, one page of
//! `LAST_RUNS`), and its DQ results and errors (Query on the run id in the
//! tables mapped `dq` and `errors`). Where neither the table's key nor an
//! index starts with the attribute, the DQ and errors tables are scanned
//! with a filter, capped in pages like the runs' Scan, and the answer says
//! which index would make it a Query; a pipeline's history is then not
//! read at all (its runs are already in the day's view).

use super::dynamo::{item, mapped_fields, shape_of, Shapes};
use super::dynamo_items::{batch_get, capped_scan};
use super::errors::map_sdk_error;
use crate::cloud::audit::detect::{IndexShape, TableShape};
use crate::cloud::audit::records::{PipelineRef, PipelineRuns, RunRecords, RunRef, LAST_RUNS};
use crate::cloud::audit::{AuditRun, Item, TableKind, TableMapping};
use crate::cloud::CloudResult;
use aws_sdk_dynamodb::types::AttributeValue;
use aws_sdk_dynamodb::Client;
use std::collections::HashMap;

/// A run's DQ results or errors: at most this many pages of a Query.
const RECORD_PAGES: usize = 5;
/// A pipeline's runs by an index with no sort key: pages of 100 read to
/// find the newest.
const UNORDERED_PAGES: usize = 10;

/// Where items with a given attribute value are found by key.
enum Route<'a> {
    Table,
    Index(&'a IndexShape),
}

/// The table itself when its partition key is `attr`, else an index whose
/// partition key is (the one named `preferred` first).
fn route<'a>(shape: &'a TableShape, attr: &str, preferred: Option<&str>) -> Option<Route<'a>> {
    if attr.is_empty() {
        return None;
    }
    if shape.hash_key == attr {
        return Some(Route::Table);
    }
    let on = |i: &&IndexShape| i.hash_key == attr;
    preferred
        .and_then(|n| shape.indexes.iter().filter(on).find(|i| i.name == n))
        .or_else(|| shape.indexes.iter().find(on))
        .map(Route::Index)
}

/// What [`query_eq`] asks: `attr = value`, pages of `limit`.
struct Eq<'a> {
    attr: &'a str,
    value: &'a str,
    limit: i32,
    pages: usize,
}

/// `attr = value` by key, newest first by the sort key: `limit` items a
/// page, at most `pages` pages. Items an index does not project whole are
/// read by key (BatchGetItem).
async fn query_eq(
    client: &Client,
    shape: &TableShape,
    via: &Route<'_>,
    m: &TableMapping,
    ask: Eq<'_>,
) -> CloudResult<Fetched> {
    let Eq {
        attr,
        value,
        limit,
        pages,
    } = ask;
    let index = match via {
        Route::Table => None,
        Route::Index(ix) => Some(ix.name.clone()),
    };
    let op = match &index {
        Some(ix) => format!("dynamodb:Query on {}/index/{ix}", shape.name),
        None => format!("dynamodb:Query on {}", shape.name),
    };
    let mut items = Vec::new();
    let mut start: Option<HashMap<String, AttributeValue>> = None;
    let mut cut = true;
    for _ in 0..pages.max(1) {
        let page = client
            .query()
            .table_name(&shape.name)
            .set_index_name(index.clone())
            .key_condition_expression("#k = :v")
            .expression_attribute_names("#k", attr)
            .expression_attribute_values(":v", AttributeValue::S(value.to_string()))
            .scan_index_forward(false)
            .limit(limit)
            .set_exclusive_start_key(start.take())
            .send()
            .await
            .map_err(|e| map_sdk_error(&op, e))?;
        items.extend(page.items().iter().map(item));
        match page.last_evaluated_key() {
            Some(k) => start = Some(k.clone()),
            None => {
                cut = false;
                break;
            }
        }
    }
    if let Route::Index(ix) = via {
        if !ix.projects(&mapped_fields(m), shape) {
            let keys = shape.key_names();
            let (full, left) = batch_get(client, &shape.name, &items, &keys).await?;
            return Ok(Fetched {
                items: full,
                cut,
                left,
            });
        }
    }
    Ok(Fetched {
        items,
        cut,
        left: 0,
    })
}

/// What [`query_eq`] brought: the items, whether its page cap cut it
/// short, and how many keys BatchGetItem never returned.
struct Fetched {
    items: Vec<Item>,
    cut: bool,
    left: usize,
}

fn unreturned(table: &str, left: usize) -> Option<String> {
    (left > 0).then(|| format!("{table}: {left} item(s) not returned by BatchGetItem"))
}

/// Whether `key` holds times (ISO 8601 or epoch) in what was read.
fn sorted_by_time(items: &[Item], key: &str) -> bool {
    items
        .first()
        .and_then(|i| i.get(key))
        .and_then(|v| v.as_time())
        .is_some()
}

/// The run's neighbours; a table that cannot be read is a note, never the
/// whole answer's failure.
pub async fn records(
    client: &Client,
    shapes: &Shapes,
    tables: &[TableMapping],
    run: &RunRef,
    scan_pages: usize,
) -> RunRecords {
    let mut out = RunRecords::default();
    if let Some(m) = tables
        .iter()
        .find(|t| t.name == run.table && t.kind == TableKind::Runs)
    {
        let n = LAST_RUNS as usize;
        if let Err(e) = last_runs(client, shapes, m, run, n, &mut out).await {
            out.notes.push(format!("{}: {e}", m.name));
        }
    }
    for m in tables.iter().filter(|t| t.kind != TableKind::Runs) {
        match m.kind {
            TableKind::Dq => out.dq_mapped = true,
            _ => out.errors_mapped = true,
        }
        if let Err(e) = beside(client, shapes, m, run, scan_pages, &mut out).await {
            out.section_notes(m.kind).push(format!("{}: {e}", m.name));
        }
    }
    out.sorted()
}

/// Each pipeline's last `n` runs: one Query page each, newest first. A
/// table with no key or index on the pipeline says so once per pipeline
/// (nothing is scanned for it).
pub async fn pipelines(
    client: &Client,
    shapes: &Shapes,
    tables: &[TableMapping],
    asked: &[PipelineRef],
    n: usize,
) -> Vec<PipelineRuns> {
    let mut out = Vec::with_capacity(asked.len());
    for p in asked {
        let mut got = PipelineRuns {
            table: p.table.clone(),
            pipeline: p.pipeline.clone(),
            ..PipelineRuns::default()
        };
        let Some(m) = tables
            .iter()
            .find(|t| t.name == p.table && t.kind == TableKind::Runs)
        else {
            got.error = Some(format!("{} is not a mapped runs table", p.table));
            out.push(got);
            continue;
        };
        let run = RunRef {
            table: p.table.clone(),
            pipeline: Some(p.pipeline.clone()),
            run_id: None,
            glue_run_id: None,
        };
        let mut recs = RunRecords::default();
        match last_runs(client, shapes, m, &run, n, &mut recs).await {
            Ok(()) => {
                got.runs = recs.history;
                got.error = recs.notes.into_iter().next();
            }
            Err(e) => got.error = Some(e.to_string()),
        }
        out.push(got);
    }
    out
}

/// The pipeline's last runs: one Query page of `LAST_RUNS`, newest first.
async fn last_runs(
    client: &Client,
    shapes: &Shapes,
    m: &TableMapping,
    run: &RunRef,
    n: usize,
    out: &mut RunRecords,
) -> CloudResult<()> {
    let Some(pipeline) = run.pipeline.as_deref() else {
        return Ok(());
    };
    let shape = shape_of(client, shapes, &m.name).await?;
    let Some(via) = route(&shape, &m.fields.pipeline, m.pipeline_index.as_deref()) else {
        out.notes.push(format!(
            "{}: no key or index starts with {}, so the pipeline's last runs are not read; a GSI with {} as its partition key would make it one Query",
            m.name, m.fields.pipeline, m.fields.pipeline
        ));
        return Ok(());
    };
    let n = n.clamp(1, 100);
    // "Newest first" is the sort key's order: a time (or a run id
    // written from one, as `run-20240115-…`) gives the latest n in one
    // page; without a sort key the order is the partition's own, so a few
    // pages are read and the newest kept.
    let sort_key = match &via {
        Route::Table => shape.range_key.clone(),
        Route::Index(ix) => ix.range_key.clone(),
    };
    let f = &m.fields;
    let ask = Eq {
        attr: &f.pipeline,
        value: pipeline,
        limit: if sort_key.is_some() { n as i32 } else { 100 },
        pages: if sort_key.is_some() {
            1
        } else {
            UNORDERED_PAGES
        },
    };
    let Fetched { items, cut, left } = query_eq(client, &shape, &via, m, ask).await?;
    out.notes.extend(unreturned(&m.name, left));
    match &sort_key {
        None if cut => out.notes.push(format!(
            "{}: no sort key beside {}: the newest of its first {} runs, not necessarily its latest",
            m.name,
            f.pipeline,
            items.len()
        )),
        // A time (ISO 8601 or epoch), or a run id: in the order they ran.
        Some(k) if *k != f.run_id && !sorted_by_time(&items, k) => {
            out.notes.push(format!(
                "{}: runs in the order of {k}, not of a time: these may not be its latest",
                m.name
            ))
        }
        _ => {}
    }
    let keys = shape.key_names();
    let mut runs: Vec<AuditRun> = items.iter().map(|i| m.run_of(i, &keys)).collect();
    // Newest first by the record's own time.
    runs.sort_by_key(|r| std::cmp::Reverse(r.when()));
    runs.truncate(n);
    out.history = runs;
    Ok(())
}

/// A DQ or errors table's records of the run, by each of its ids.
async fn beside(
    client: &Client,
    shapes: &Shapes,
    m: &TableMapping,
    run: &RunRef,
    scan_pages: usize,
    out: &mut RunRecords,
) -> CloudResult<()> {
    let ids = run.ids();
    if m.fields.run_id.is_empty() {
        out.section_notes(m.kind).push(format!(
            "{}: no run id attribute mapped (fields.run_id): its records cannot be matched to a run",
            m.name
        ));
        return Ok(());
    }
    if ids.is_empty() {
        out.section_notes(m.kind)
            .push(format!("{}: this record has no run id to look up", m.name));
        return Ok(());
    }
    let shape = shape_of(client, shapes, &m.name).await?;
    let mut items = Vec::new();
    match route(&shape, &m.fields.run_id, None) {
        Some(via) => {
            for id in &ids {
                let ask = Eq {
                    attr: &m.fields.run_id,
                    value: id,
                    limit: 100,
                    pages: RECORD_PAGES,
                };
                let Fetched {
                    items: got,
                    cut,
                    left,
                } = query_eq(client, &shape, &via, m, ask).await?;
                let notes = out.section_notes(m.kind);
                notes.extend(unreturned(&m.name, left));
                if cut {
                    notes.push(format!(
                        "{}: more than {RECORD_PAGES} pages for {id}; the oldest not read",
                        m.name
                    ));
                }
                items.extend(got);
            }
        }
        None => {
            let (got, more) =
                capped_scan(client, &m.name, scan_pages, Some((&m.fields.run_id, &ids))).await?;
            out.section_notes(m.kind).push(format!(
                "{}: no key or index starts with {}: read {scan_pages} Scan page(s) at most{}; a GSI with {} as its partition key would make this a Query",
                m.name,
                m.fields.run_id,
                if more { ", and the table holds more" } else { "" },
                m.fields.run_id,
            ));
            items.extend(got);
        }
    }
    match m.kind {
        TableKind::Dq => out.dq.extend(items.iter().map(|i| m.dq_of(i))),
        _ => out.errors.extend(items.iter().map(|i| m.error_of(i))),
    }
    Ok(())
}
