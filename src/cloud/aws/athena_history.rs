//! What ran in a work group, and its saved queries.
//!
//! History: ListQueryExecutions (ids only, newest first, 50 a page) then
//! BatchGetQueryExecution (50 ids a call). An ended execution never
//! changes, so it is kept — in memory and in `athena-history.json` under
//! the state dir — and a refresh describes only ids it has not seen end;
//! listing stops at the first page whose ids are all known to have ended.
//! Ids the batch leaves unprocessed are asked once more, then reported.
//!
//! An endpoint without the batch calls (moto answers them with an HTML
//! 500) is read one id at a time instead, for the rest of the session.

use super::athena::{execution, from_sdk};
use super::errors::map_sdk_error;
use crate::cloud::athena::{Execution, History, NamedQueries, NamedQuery};
use crate::cloud::{CloudError, CloudResult};
use aws_sdk_athena::Client;
use futures::StreamExt;
use std::collections::BTreeMap;

/// ListQueryExecutions and ListNamedQueries: at most 50 a page.
pub const PAGE: i32 = 50;
/// BatchGetQueryExecution and BatchGetNamedQuery: at most 50 ids a call.
pub const BATCH: usize = 50;
/// The most new ids one read describes (ten batch calls), and the most
/// pages it lists: older ones are left for the next read, said as "more".
pub const MAX_IDS: usize = 500;
pub const MAX_PAGES: usize = 40;

use super::athena_cache::write_atomically;
pub use super::athena_cache::{HistoryCache, FILE};

/// The work group's executions, newest first: what was listed, the kept
/// ones older than the first page already known, and the ones seen
/// running (described again on every read, listed or not, so a long query
/// does not drop out while it runs).
pub async fn history(
    client: &Client,
    workgroup: &str,
    scope: &str,
    cache: &std::sync::Mutex<HistoryCache>,
    now: chrono::DateTime<chrono::Utc>,
) -> CloudResult<History> {
    let scope = format!("{scope}|{workgroup}");
    // Read off the lock, and without blocking the runtime's one worker.
    let unread = cache.lock().unwrap().unread_path();
    let text = match unread {
        Some(path) => tokio::fs::read_to_string(path).await.ok(),
        None => None,
    };
    cache.lock().unwrap().load(text);
    let (ids, more) = list_ids(client, workgroup, &scope, cache).await?;
    let wanted: Vec<String> = {
        let c = cache.lock().unwrap();
        let mut wanted: Vec<String> = ids
            .iter()
            .filter(|id| !c.known_ended(&scope, id))
            .cloned()
            .collect();
        for id in c.running(&scope) {
            if !wanted.contains(&id) {
                wanted.push(id);
            }
        }
        wanted
    };
    let batch_missing = cache.lock().unwrap().batch_missing;
    let (fresh, unprocessed) = describe(client, &wanted, batch_missing, cache).await?;
    let (changed, json, path) = {
        let mut c = cache.lock().unwrap();
        let changed = c.remember(&scope, &fresh, !more, now);
        (changed, c.to_json(), c.path.clone())
    };
    if let (true, Some(path)) = (changed, path) {
        if let Err(e) = write_atomically(&path, &json).await {
            tracing::warn!(error = %e, "could not keep the Athena history");
        }
    }
    let mut by_id: BTreeMap<String, Execution> = cache.lock().unwrap().ended(&scope);
    for e in fresh {
        by_id.insert(e.id.clone(), e);
    }
    let mut executions: Vec<Execution> = by_id.into_values().collect();
    executions.sort_by(|a, b| b.submitted.cmp(&a.submitted).then(b.id.cmp(&a.id)));
    Ok(History {
        executions,
        unprocessed,
        more,
        ..History::default()
    })
}

/// Ids newest first. Once a read has reached the end of the listing
/// ("complete"), the next ones stop after a page whose every id is known
/// to have ended: what lies beyond was read before. Until then each read
/// goes on where the known ids end, up to [`MAX_IDS`] new ids or
/// [`MAX_PAGES`] pages, and says there is more.
async fn list_ids(
    client: &Client,
    workgroup: &str,
    scope: &str,
    cache: &std::sync::Mutex<HistoryCache>,
) -> CloudResult<(Vec<String>, bool)> {
    let complete = cache.lock().unwrap().is_complete(scope);
    let mut ids: Vec<String> = Vec::new();
    let mut next: Option<String> = None;
    let (mut unknown, mut pages) = (0, 0);
    loop {
        let out = client
            .list_query_executions()
            .work_group(workgroup)
            .max_results(PAGE)
            .set_next_token(next.take())
            .send()
            .await
            .map_err(|e| map_sdk_error("athena:ListQueryExecutions", e))?;
        pages += 1;
        let page = out.query_execution_ids();
        let new = {
            let c = cache.lock().unwrap();
            page.iter().filter(|id| !c.known_ended(scope, id)).count()
        };
        unknown += new;
        ids.extend(page.iter().cloned());
        next = out.next_token().map(str::to_string);
        match next {
            None => return Ok((ids, false)),
            Some(_) if complete && new == 0 && !page.is_empty() => return Ok((ids, false)),
            Some(_) if unknown >= MAX_IDS || pages >= MAX_PAGES => return Ok((ids, true)),
            Some(_) => {}
        }
    }
}

/// BatchGetQueryExecution in chunks of 50; unprocessed ids asked once
/// more, then reported with the service's reason.
async fn describe(
    client: &Client,
    ids: &[String],
    batch_missing: bool,
    cache: &std::sync::Mutex<HistoryCache>,
) -> CloudResult<(Vec<Execution>, Vec<(String, String)>)> {
    if batch_missing {
        return one_by_one(client, ids).await;
    }
    let mut found = Vec::new();
    let mut unprocessed = Vec::new();
    for chunk in ids.chunks(BATCH) {
        let (got, left) = match batch(client, chunk).await {
            Ok(r) => r,
            Err(e) if answered_without_a_code(&e) => {
                cache.lock().unwrap().batch_missing = true;
                return one_by_one(client, ids).await;
            }
            Err(e) => return Err(e),
        };
        found.extend(got);
        if left.is_empty() {
            continue;
        }
        let again: Vec<String> = left.iter().map(|(id, _)| id.clone()).collect();
        let (got, still) = batch(client, &again).await?;
        found.extend(got);
        unprocessed.extend(still);
    }
    Ok((found, unprocessed))
}

async fn batch(
    client: &Client,
    ids: &[String],
) -> CloudResult<(Vec<Execution>, Vec<(String, String)>)> {
    let out = client
        .batch_get_query_execution()
        .set_query_execution_ids(Some(ids.to_vec()))
        .send()
        .await
        .map_err(|e| map_sdk_error("athena:BatchGetQueryExecution", e))?;
    let got = out
        .query_executions()
        .iter()
        .map(|q| from_sdk(q, ""))
        .collect();
    let left = out
        .unprocessed_query_execution_ids()
        .iter()
        .map(|u| {
            (
                u.query_execution_id().unwrap_or_default().to_string(),
                reason(u.error_code(), u.error_message()),
            )
        })
        .collect();
    Ok((got, left))
}

/// GetQueryExecution each, four at a time.
async fn one_by_one(
    client: &Client,
    ids: &[String],
) -> CloudResult<(Vec<Execution>, Vec<(String, String)>)> {
    let answers: Vec<_> = futures::stream::iter(ids.iter().cloned())
        .map(|id| async move { (execution(client, &id).await, id) })
        .buffered(4)
        .collect()
        .await;
    let mut found = Vec::new();
    let mut left = Vec::new();
    for (r, id) in answers {
        match r {
            Ok(e) => found.push(e),
            Err(e @ (CloudError::Throttled { .. } | CloudError::AccessDenied { .. })) => {
                return Err(e)
            }
            Err(e) => left.push((id, e.to_string())),
        }
    }
    Ok((found, left))
}

fn reason(code: Option<&str>, message: Option<&str>) -> String {
    match (code, message) {
        (Some(c), Some(m)) => format!("{c}: {m}"),
        (Some(c), None) => c.to_string(),
        (None, Some(m)) => m.to_string(),
        (None, None) => "not described".into(),
    }
}

/// An HTML error page instead of an AWS error: an endpoint without the
/// call (an emulator), not a refusal.
fn answered_without_a_code(e: &CloudError) -> bool {
    // Not a proxy's passing 502/503: those are retried, not given up on.
    matches!(e, CloudError::Other { code, .. }
        if ["HTTP 404", "HTTP 405", "HTTP 500", "HTTP 501"].contains(&code.as_str()))
}

/// The work group's saved queries (ListNamedQueries, every page up to
/// [`MAX_IDS`], then BatchGetNamedQuery 50 at a time), by name.
pub async fn named_queries(
    client: &Client,
    workgroup: &str,
    cache: &std::sync::Mutex<HistoryCache>,
) -> CloudResult<NamedQueries> {
    let mut ids: Vec<String> = Vec::new();
    let mut next: Option<String> = None;
    loop {
        let out = client
            .list_named_queries()
            .work_group(workgroup)
            .max_results(PAGE)
            .set_next_token(next.take())
            .send()
            .await
            .map_err(|e| map_sdk_error("athena:ListNamedQueries", e))?;
        ids.extend(out.named_query_ids().iter().cloned());
        next = out.next_token().map(str::to_string);
        if next.is_none() || ids.len() >= MAX_IDS {
            break;
        }
    }
    let mut all = NamedQueries::default();
    for chunk in ids.chunks(BATCH) {
        let missing = cache.lock().unwrap().named_batch_missing;
        if !missing {
            match named_batch(client, chunk).await {
                Ok((got, left)) => {
                    all.queries.extend(got);
                    all.unprocessed.extend(left);
                    continue;
                }
                Err(e) if answered_without_a_code(&e) => {
                    cache.lock().unwrap().named_batch_missing = true
                }
                Err(e) => return Err(e),
            }
        }
        for id in chunk {
            match client.get_named_query().named_query_id(id).send().await {
                Ok(out) => all.queries.extend(out.named_query().map(named)),
                Err(e) => all.unprocessed.push((
                    id.clone(),
                    map_sdk_error("athena:GetNamedQuery", e).to_string(),
                )),
            }
        }
    }
    all.queries.sort_by_key(|q| q.name.to_lowercase());
    Ok(all)
}

async fn named_batch(
    client: &Client,
    ids: &[String],
) -> CloudResult<(Vec<NamedQuery>, Vec<(String, String)>)> {
    let out = client
        .batch_get_named_query()
        .set_named_query_ids(Some(ids.to_vec()))
        .send()
        .await
        .map_err(|e| map_sdk_error("athena:BatchGetNamedQuery", e))?;
    let left = out
        .unprocessed_named_query_ids()
        .iter()
        .map(|u| {
            (
                u.named_query_id().unwrap_or_default().to_string(),
                reason(u.error_code(), u.error_message()),
            )
        })
        .collect();
    Ok((out.named_queries().iter().map(named).collect(), left))
}

fn named(q: &aws_sdk_athena::types::NamedQuery) -> NamedQuery {
    NamedQuery {
        id: q.named_query_id().map(str::to_string),
        name: q.name().to_string(),
        description: q.description().map(str::to_string),
        sql: q.query_string().to_string(),
        database: q.database().to_string(),
        workgroup: q.work_group().map(str::to_string),
    }
}

/// CreateNamedQuery; returns the new id. (Athena has no "replace": a
/// second save of a name is a second query.)
pub(super) async fn create_named_query(client: &Client, q: &NamedQuery) -> CloudResult<String> {
    let out = client
        .create_named_query()
        .name(&q.name)
        .database(&q.database)
        .query_string(&q.sql)
        .set_description(q.description.clone())
        .set_work_group(q.workgroup.clone())
        .send()
        .await
        .map_err(|e| map_sdk_error("athena:CreateNamedQuery", e))?;
    Ok(out.named_query_id().unwrap_or_default().to_string())
}

pub(super) async fn delete_named_query(client: &Client, id: &str) -> CloudResult<()> {
    client
        .delete_named_query()
        .named_query_id(id)
        .send()
        .await
        .map_err(|e| map_sdk_error("athena:DeleteNamedQuery", e))?;
    Ok(())
}
