//! CloudWatch Logs Insights through the SDK: DescribeLogGroups (paginated),
//! StartQuery (epoch seconds), GetQueryResults, StopQuery, GetLogRecord,
//! and the saved queries (Describe/Put/DeleteQueryDefinition).

use super::errors::map_sdk_error;
use crate::cloud::logs::{
    InsightsQuery, LogGroup, QueryDefinition, QueryLanguage, QueryResults, QueryStats, QueryStatus,
};
use crate::cloud::{CloudError, CloudResult};
use aws_sdk_cloudwatchlogs::Client;
use std::collections::BTreeMap;

/// A prefix search stops after this many groups: a picker, not an export.
const GROUPS_MAX: usize = 1_000;

pub async fn log_groups(client: &Client, prefix: Option<&str>) -> CloudResult<Vec<LogGroup>> {
    let mut pages = client
        .describe_log_groups()
        .set_log_group_name_prefix(prefix.filter(|p| !p.is_empty()).map(str::to_string))
        .into_paginator()
        .send();
    let mut out = Vec::new();
    while let Some(page) = pages.next().await {
        let page = page.map_err(|e| map_sdk_error("logs:DescribeLogGroups", e))?;
        out.extend(page.log_groups().iter().map(|g| LogGroup {
            name: g.log_group_name().unwrap_or_default().to_string(),
            stored_bytes: g.stored_bytes(),
            retention_days: g.retention_in_days(),
        }));
        if out.len() >= GROUPS_MAX {
            break;
        }
    }
    Ok(out)
}

fn to_sdk(language: &QueryLanguage) -> aws_sdk_cloudwatchlogs::types::QueryLanguage {
    aws_sdk_cloudwatchlogs::types::QueryLanguage::from(language.as_aws())
}

pub async fn start_query(client: &Client, q: &InsightsQuery) -> CloudResult<String> {
    if let Some(message) = q.language.cannot_run() {
        return Err(CloudError::InvalidInput { message });
    }
    // StartQuery's reference: exactly one of the log-group parameters,
    // except for SQL, whose query text names its groups instead.
    let groups = (!q.language.groups_in_text()).then(|| q.groups.clone());
    let out = client
        .start_query()
        .query_language(to_sdk(&q.language))
        .set_log_group_names(groups)
        // StartQuery takes epoch *seconds* (milliseconds would ask for the
        // year 57,000 and find nothing).
        .start_time(q.start.timestamp())
        .end_time(q.end.timestamp())
        .query_string(&q.query)
        .send()
        .await
        .map_err(|e| map_sdk_error("logs:StartQuery", e))?;
    out.query_id()
        .map(str::to_string)
        .ok_or_else(|| CloudError::Other {
            code: "NoQueryId".into(),
            message: "StartQuery answered without a query id".into(),
        })
}

pub async fn query_results(client: &Client, query_id: &str) -> CloudResult<QueryResults> {
    let out = client
        .get_query_results()
        .query_id(query_id)
        .send()
        .await
        .map_err(|e| map_sdk_error("logs:GetQueryResults", e))?;
    let stats = out
        .statistics()
        .map_or(QueryStats::default(), |s| QueryStats {
            records_matched: s.records_matched(),
            records_scanned: s.records_scanned(),
            bytes_scanned: s.bytes_scanned(),
        });
    Ok(QueryResults {
        status: out
            .status()
            .map_or(QueryStatus::Unknown("(none)".into()), |s| {
                QueryStatus::from_aws(s.as_str())
            }),
        rows: out
            .results()
            .iter()
            .map(|row| {
                row.iter()
                    .map(|f| {
                        (
                            f.field().unwrap_or_default().to_string(),
                            f.value().unwrap_or_default().to_string(),
                        )
                    })
                    .collect()
            })
            .collect(),
        stats,
    })
}

/// StopQuery. A query that already ended answers with an error; that is
/// not a failure of the stop (the query is stopped either way).
pub async fn stop_query(client: &Client, query_id: &str) -> CloudResult<()> {
    match client.stop_query().query_id(query_id).send().await {
        Ok(_) => Ok(()),
        Err(e) => match map_sdk_error("logs:StopQuery", e) {
            CloudError::InvalidInput { .. } | CloudError::NotFound { .. } => Ok(()),
            other => Err(other),
        },
    }
}

pub async fn log_record(client: &Client, ptr: &str) -> CloudResult<BTreeMap<String, String>> {
    let out = client
        .get_log_record()
        .log_record_pointer(ptr)
        .send()
        .await
        .map_err(|e| map_sdk_error("logs:GetLogRecord", e))?;
    Ok(out
        .log_record()
        .map(|m| m.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
        .unwrap_or_default())
}

/// The languages saved queries are listed in, one DescribeQueryDefinitions
/// listing each: its `queryLanguage` parameter reads as a filter, and the
/// reference does not say that leaving it out lists every language.
const LISTED_LANGUAGES: [QueryLanguage; 3] =
    [QueryLanguage::Cwli, QueryLanguage::Ppl, QueryLanguage::Sql];

/// Every saved query of every language, following NextToken
/// (DescribeQueryDefinitions has no paginator in the SDK), sorted by name
/// as the console lists them. A definition listed under more than one
/// language (a service that ignores the filter) is kept once.
pub async fn query_definitions(client: &Client) -> CloudResult<Vec<QueryDefinition>> {
    let mut out: Vec<QueryDefinition> = Vec::new();
    for asked in LISTED_LANGUAGES {
        for def in definitions_in(client, &asked).await? {
            let seen = def.id.is_some() && out.iter().any(|d| d.id == def.id);
            if !seen {
                out.push(def);
            }
        }
    }
    out.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(out)
}

async fn definitions_in(
    client: &Client,
    asked: &QueryLanguage,
) -> CloudResult<Vec<QueryDefinition>> {
    let mut out = Vec::new();
    let mut token: Option<String> = None;
    loop {
        let page = client
            .describe_query_definitions()
            .query_language(to_sdk(asked))
            .max_results(1000)
            .set_next_token(token.take())
            .send()
            .await
            .map_err(|e| map_sdk_error("logs:DescribeQueryDefinitions", e))?;
        out.extend(page.query_definitions().iter().map(|d| {
            QueryDefinition {
                id: d.query_definition_id().map(str::to_string),
                name: d.name().unwrap_or_default().to_string(),
                query: d.query_string().unwrap_or_default().to_string(),
                groups: d.log_group_names().to_vec(),
                last_modified: d
                    .last_modified()
                    .and_then(chrono::DateTime::from_timestamp_millis),
                // The definition's own language, else the one listed.
                language: d
                    .query_language()
                    .map_or_else(|| asked.clone(), |l| QueryLanguage::from_aws(l.as_str())),
            }
        }));
        match page.next_token() {
            Some(t) if !t.is_empty() && out.len() < 10_000 => token = Some(t.to_string()),
            _ => break,
        }
    }
    Ok(out)
}

pub async fn put_query_definition(client: &Client, def: &QueryDefinition) -> CloudResult<String> {
    let out = client
        .put_query_definition()
        .query_language(to_sdk(&def.language))
        .name(&def.name)
        .query_string(&def.query)
        .set_query_definition_id(def.id.clone())
        .set_log_group_names((!def.groups.is_empty()).then(|| def.groups.clone()))
        .send()
        .await
        .map_err(|e| map_sdk_error("logs:PutQueryDefinition", e))?;
    Ok(out.query_definition_id().unwrap_or_default().to_string())
}

/// DeleteQueryDefinition; `success: false` is the service saying it did not.
pub async fn delete_query_definition(client: &Client, id: &str) -> CloudResult<()> {
    let out = client
        .delete_query_definition()
        .query_definition_id(id)
        .send()
        .await
        .map_err(|e| map_sdk_error("logs:DeleteQueryDefinition", e))?;
    if out.success() {
        Ok(())
    } else {
        Err(CloudError::Other {
            code: "NotDeleted".into(),
            message: format!("DeleteQueryDefinition answered success=false for {id}"),
        })
    }
}
