//! Athena through aws-sdk-athena: work groups, start / poll / stop, and
//! the result rows — from the result file in S3 when it can be read
//! (one streamed GetObject), else through GetQueryResults pages.

use super::errors::map_sdk_error;
use crate::cloud::athena::csv::CsvRows;
use crate::cloud::athena::header::{first_row_is_header, split_utility_row};
use crate::cloud::athena::{
    AthenaError, AthenaQuery, Cell, Column, Execution, QueryState, ResultPart, RowSource, WorkGroup,
};
use crate::cloud::{CloudError, CloudResult};
use aws_sdk_athena::types::{
    EncryptionOption, QueryExecutionContext, ResultReuseByAgeConfiguration,
    ResultReuseConfiguration, WorkGroupState,
};
use aws_sdk_athena::Client;
use chrono::{DateTime, Utc};
use futures::StreamExt;

/// GetWorkGroup for this many groups at once (an account has up to 1,000).
const DETAIL_CONCURRENCY: usize = 4;
/// GetQueryResults' largest page.
const PAGE_ROWS: i32 = 1000;
/// Rows handed to the pane at a time while a file streams in.
pub const STREAM_BATCH: usize = 5_000;

use crate::cloud::AthenaRowsProgress as RowsProgress;

pub async fn workgroups(client: &Client) -> CloudResult<Vec<WorkGroup>> {
    let summaries: Vec<_> = client
        .list_work_groups()
        .max_results(50)
        .into_paginator()
        .send()
        .try_collect()
        .await
        .map_err(|e| map_sdk_error("athena:ListWorkGroups", e))?
        .into_iter()
        .flat_map(|page| page.work_groups.unwrap_or_default())
        .collect();
    let reservations = reservations(client).await;
    let mut groups: Vec<WorkGroup> = futures::stream::iter(summaries)
        .map(|s| async move {
            let name = s.name().unwrap_or_default().to_string();
            let mut g = WorkGroup {
                name: name.clone(),
                enabled: s.state() != Some(&WorkGroupState::Disabled),
                description: s.description().map(str::to_string),
                engine: s
                    .engine_version()
                    .and_then(|v| v.effective_engine_version())
                    .map(str::to_string),
                ..Default::default()
            };
            match client.get_work_group().work_group(&name).send().await {
                Ok(out) => {
                    if let Some(conf) = out.work_group().and_then(|w| w.configuration()) {
                        let result = conf.result_configuration();
                        g.output_location =
                            result.and_then(|r| r.output_location()).map(str::to_string);
                        g.client_encrypted = result
                            .and_then(|r| r.encryption_configuration())
                            .is_some_and(|e| e.encryption_option() == &EncryptionOption::CseKms);
                        g.managed_results = conf
                            .managed_query_results_configuration()
                            .is_some_and(|m| m.enabled());
                        g.scan_cutoff = conf.bytes_scanned_cutoff_per_query();
                        g.enforced = conf.enforce_work_group_configuration().unwrap_or(false);
                        if let Some(e) = conf
                            .engine_version()
                            .and_then(|v| v.effective_engine_version())
                        {
                            g.engine = Some(e.to_string());
                        }
                    }
                }
                Err(e) => {
                    g.detail_error = Some(map_sdk_error("athena:GetWorkGroup", e).to_string())
                }
            }
            g
        })
        .buffered(DETAIL_CONCURRENCY)
        .collect()
        .await;
    for g in &mut groups {
        g.reservation = reservations
            .iter()
            .find(|(_, members)| members.contains(&g.name))
            .map(|(r, _)| r.clone());
    }
    // Enabled first, then by name: the group to run in is near the top.
    groups.sort_by(|a, b| b.enabled.cmp(&a.enabled).then(a.name.cmp(&b.name)));
    Ok(groups)
}

/// Capacity reservations and the work groups assigned to each. No field of
/// a work group says it runs on one; without the permissions (or the
/// API, on an emulator) every group is taken as billed by scan.
async fn reservations(client: &Client) -> Vec<(String, Vec<String>)> {
    let Ok(list) = client.list_capacity_reservations().send().await else {
        return vec![];
    };
    let mut out = Vec::new();
    for r in list.capacity_reservations() {
        let name = r.name().to_string();
        let Ok(a) = client
            .get_capacity_assignment_configuration()
            .capacity_reservation_name(&name)
            .send()
            .await
        else {
            continue;
        };
        let members = a
            .capacity_assignment_configuration()
            .map(|c| {
                c.capacity_assignments()
                    .iter()
                    .flat_map(|a| a.work_group_names().iter().cloned())
                    .collect()
            })
            .unwrap_or_default();
        out.push((name, members));
    }
    out
}

pub async fn start(client: &Client, q: &AthenaQuery) -> CloudResult<String> {
    let context = (q.catalog.is_some() || q.database.is_some()).then(|| {
        QueryExecutionContext::builder()
            .set_catalog(q.catalog.clone())
            .set_database(q.database.clone())
            .build()
    });
    let reuse = q.reuse_minutes.map(|minutes| {
        ResultReuseConfiguration::builder()
            .result_reuse_by_age_configuration(
                ResultReuseByAgeConfiguration::builder()
                    .enabled(true)
                    // 0..=10080 (seven days) is what Athena accepts.
                    .max_age_in_minutes(minutes.clamp(0, 10_080))
                    .build(),
            )
            .build()
    });
    let out = client
        .start_query_execution()
        .query_string(&q.sql)
        .work_group(&q.workgroup)
        .set_query_execution_context(context)
        .set_result_reuse_configuration(reuse)
        .set_result_configuration(q.output_location.as_ref().map(|o| {
            aws_sdk_athena::types::ResultConfiguration::builder()
                .output_location(o)
                .build()
        }))
        .send()
        .await
        .map_err(|e| map_sdk_error("athena:StartQueryExecution", e))?;
    out.query_execution_id()
        .map(str::to_string)
        .ok_or_else(|| CloudError::Other {
            code: "athena".into(),
            message: "athena:StartQueryExecution answered without a query id".into(),
        })
}

pub async fn stop(client: &Client, id: &str) -> CloudResult<()> {
    client
        .stop_query_execution()
        .query_execution_id(id)
        .send()
        .await
        .map_err(|e| map_sdk_error("athena:StopQueryExecution", e))?;
    Ok(())
}

fn time(t: Option<&aws_smithy_types::DateTime>) -> Option<DateTime<Utc>> {
    t.and_then(|t| DateTime::from_timestamp_millis(t.to_millis().ok()?))
}

pub async fn execution(client: &Client, id: &str) -> CloudResult<Execution> {
    let out = client
        .get_query_execution()
        .query_execution_id(id)
        .send()
        .await
        .map_err(|e| map_sdk_error("athena:GetQueryExecution", e))?;
    let Some(q) = out.query_execution() else {
        return Err(CloudError::NotFound {
            message: format!("no query execution {id}"),
        });
    };
    Ok(from_sdk(q, id))
}

/// A QueryExecution as GetQueryExecution and BatchGetQueryExecution
/// describe it; `id` stands in for an id the answer leaves out.
pub fn from_sdk(q: &aws_sdk_athena::types::QueryExecution, id: &str) -> Execution {
    let status = q.status();
    let stats = q.statistics();
    let result = q.result_configuration();
    Execution {
        id: q.query_execution_id().unwrap_or(id).to_string(),
        sql: q.query().unwrap_or_default().to_string(),
        state: status
            .and_then(|s| s.state())
            .map(|s| QueryState::from_aws(s.as_str())),
        reason: status
            .and_then(|s| s.state_change_reason())
            .map(str::to_string),
        error: status.and_then(|s| s.athena_error()).map(|e| AthenaError {
            category: e.error_category(),
            kind: e.error_type(),
            retryable: e.retryable(),
            message: e.error_message().map(str::to_string),
        }),
        statement_type: q.statement_type().map(|t| t.as_str().to_string()),
        substatement_type: q.substatement_type().map(str::to_string),
        workgroup: q.work_group().map(str::to_string),
        submitted: time(status.and_then(|s| s.submission_date_time())),
        completed: time(status.and_then(|s| s.completion_date_time())),
        queue_ms: stats.and_then(|s| s.query_queue_time_in_millis()),
        engine_ms: stats.and_then(|s| s.engine_execution_time_in_millis()),
        total_ms: stats.and_then(|s| s.total_execution_time_in_millis()),
        scanned_bytes: stats.and_then(|s| s.data_scanned_in_bytes()),
        reused: stats
            .and_then(|s| s.result_reuse_information())
            .is_some_and(|r| r.reused_previous_result()),
        output_location: result.and_then(|r| r.output_location()).map(str::to_string),
        client_encrypted: result
            .and_then(|r| r.encryption_configuration())
            .is_some_and(|e| e.encryption_option() == &EncryptionOption::CseKms),
        managed_results: q
            .managed_query_results_configuration()
            .is_some_and(|m| m.enabled()),
        dpu_count: stats.and_then(|s| s.dpu_count()),
    }
}

/// Why the rows cannot come from the file, or `None` when they can.
pub fn file_refused(e: &Execution) -> Option<String> {
    let Some(uri) = e.output_location.as_deref() else {
        return Some(if e.managed_results {
            "managed results have no file of yours".into()
        } else {
            "the query names no result file".into()
        });
    };
    if e.managed_results {
        return Some("managed results have no file of yours".into());
    }
    if !e.is_select() {
        return Some("not a SELECT (its file is not a table of rows)".into());
    }
    if e.client_encrypted {
        return Some("the file is client-side encrypted (CSE_KMS)".into());
    }
    if !uri.ends_with(".csv") || split_s3(uri).is_none() {
        return Some(format!("{uri} is not a CSV result file"));
    }
    None
}

/// `s3://bucket/key` → (bucket, key).
pub fn split_s3(uri: &str) -> Option<(&str, &str)> {
    let rest = uri.strip_prefix("s3://")?;
    let (bucket, key) = rest.split_once('/')?;
    (!bucket.is_empty() && !key.is_empty()).then_some((bucket, key))
}

struct ResultPage {
    columns: Vec<Column>,
    labels: Vec<String>,
    rows: Vec<Vec<Cell>>,
    next: Option<String>,
    update_count: Option<i64>,
}

async fn results_page(
    client: &Client,
    id: &str,
    token: Option<String>,
    max: i32,
) -> CloudResult<ResultPage> {
    let out = client
        .get_query_results()
        .query_execution_id(id)
        .set_next_token(token)
        .max_results(max)
        .send()
        .await
        .map_err(|e| map_sdk_error("athena:GetQueryResults", e))?;
    let set = out.result_set();
    let info = set
        .and_then(|s| s.result_set_metadata())
        .map(|m| m.column_info())
        .unwrap_or_default();
    let columns = info
        .iter()
        .map(|c| Column {
            name: c.name().to_string(),
            kind: c.r#type().to_string(),
        })
        .collect();
    let labels = info
        .iter()
        .map(|c| c.label().unwrap_or(c.name()).to_string())
        .collect();
    let rows = set
        .map(|s| s.rows())
        .unwrap_or_default()
        .iter()
        .map(|r| {
            r.data()
                .iter()
                .map(|d| d.var_char_value().map(str::to_string))
                .collect()
        })
        .collect();
    Ok(ResultPage {
        columns,
        labels,
        rows,
        next: out.next_token().map(str::to_string),
        update_count: out.update_count(),
    })
}

/// Every row of a finished query, told to `progress` part by part.
pub async fn rows(
    athena: &Client,
    s3: &aws_sdk_s3::Client,
    e: &Execution,
    progress: RowsProgress<'_>,
) -> CloudResult<ResultPart> {
    if e.state != Some(QueryState::Succeeded) {
        return Err(CloudError::InvalidInput {
            message: format!("{} has no rows: it is {}", e.id, e.state_name()),
        });
    }
    let why = match file_refused(e) {
        Some(why) => why,
        None => {
            // The types come from ColumnInfo: one small page.
            let columns = results_page(athena, &e.id, None, 1).await?.columns;
            let uri = e.output_location.clone().unwrap_or_default();
            match from_file(s3, &uri, &columns, progress).await {
                Ok(part) => return Ok(part),
                Err(err) => format!("the result file could not be read ({err})"),
            }
        }
    };
    from_api(athena, e, RowSource::Api { why }, progress).await
}

async fn from_file(
    s3: &aws_sdk_s3::Client,
    uri: &str,
    columns: &[Column],
    progress: RowsProgress<'_>,
) -> CloudResult<ResultPart> {
    let (bucket, key) = split_s3(uri).ok_or_else(|| CloudError::InvalidInput {
        message: format!("{uri} is not an s3:// URI"),
    })?;
    let out = s3
        .get_object()
        .bucket(bucket)
        .key(key)
        .send()
        .await
        .map_err(|e| map_sdk_error("s3:GetObject", e))?;
    let source = Some(RowSource::File {
        uri: uri.to_string(),
    });
    let mut body = out.body;
    let mut csv = CsvRows::new();
    let mut header_seen = false;
    let mut batch: Vec<Vec<Cell>> = Vec::new();
    let mut total = 0usize;
    let mut emit = |rows: Vec<Vec<Cell>>, batch: &mut Vec<Vec<Cell>>, force: bool| {
        for row in rows {
            if !header_seen {
                // The file's first line names the columns.
                header_seen = true;
                continue;
            }
            batch.push(row);
        }
        if (force && !batch.is_empty()) || batch.len() >= STREAM_BATCH {
            total += batch.len();
            progress(
                ResultPart {
                    columns: columns.to_vec(),
                    rows: std::mem::take(batch),
                    source: source.clone(),
                    update_count: None,
                },
                total,
            );
        }
    };
    while let Some(chunk) = body.try_next().await.map_err(|e| CloudError::Network {
        message: format!("s3:GetObject: the result file stopped arriving: {e}"),
    })? {
        emit(csv.feed(&chunk), &mut batch, false);
    }
    emit(csv.finish(), &mut batch, true);
    Ok(ResultPart {
        columns: columns.to_vec(),
        rows: vec![],
        source,
        update_count: None,
    })
}

async fn from_api(
    client: &Client,
    e: &Execution,
    source: RowSource,
    progress: RowsProgress<'_>,
) -> CloudResult<ResultPart> {
    let mut page = results_page(client, &e.id, None, PAGE_ROWS).await?;
    let (columns, labels, update_count) =
        (page.columns.clone(), page.labels.clone(), page.update_count);
    if page
        .rows
        .first()
        .is_some_and(|first| first_row_is_header(e, &columns, &labels, first))
    {
        page.rows.remove(0);
    }
    let mut total = 0;
    loop {
        let rows: Vec<Vec<Cell>> = std::mem::take(&mut page.rows)
            .into_iter()
            .map(|r| split_utility_row(r, columns.len()))
            .collect();
        total += rows.len();
        progress(
            ResultPart {
                columns: columns.clone(),
                rows,
                source: Some(source.clone()),
                update_count,
            },
            total,
        );
        let Some(token) = page.next.take() else {
            break;
        };
        page = results_page(client, &e.id, Some(token), PAGE_ROWS).await?;
    }
    Ok(ResultPart {
        columns,
        rows: vec![],
        source: Some(source),
        update_count,
    })
}
