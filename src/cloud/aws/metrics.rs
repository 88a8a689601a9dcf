//! CloudWatch figures for DLQs: one GetMetricData call (paginated) reads an
//! hour of depth and the oldest message's age for up to 250 queues.

use super::errors::map_sdk_error;
use super::glue::to_chrono;
use crate::cloud::sqs::{DlqMetrics, QueueMetrics};
use crate::cloud::CloudResult;
use aws_sdk_cloudwatch::types::{Dimension, Metric, MetricDataQuery, MetricStat};
use aws_sdk_cloudwatch::Client;
use chrono::{Duration, Utc};

/// GetMetricData takes at most 500 queries; two per queue.
const QUEUES_PER_CALL: usize = 250;
const PERIOD_SECS: i32 = 60;

fn query(id: String, queue: &str, metric: &str) -> MetricDataQuery {
    let metric = Metric::builder()
        .namespace("AWS/SQS")
        .metric_name(metric)
        .dimensions(Dimension::builder().name("QueueName").value(queue).build())
        .build();
    MetricDataQuery::builder()
        .id(id)
        .metric_stat(
            MetricStat::builder()
                .metric(metric)
                .period(PERIOD_SECS)
                .stat("Maximum")
                .build(),
        )
        .return_data(true)
        .build()
}

pub async fn dlq_metrics(client: &Client, names: &[String]) -> CloudResult<DlqMetrics> {
    let end = Utc::now();
    let start = end - Duration::hours(1);
    let mut out = DlqMetrics::default();
    for (chunk_no, chunk) in names.chunks(QUEUES_PER_CALL).enumerate() {
        let mut queries = Vec::new();
        for (i, name) in chunk.iter().enumerate() {
            let n = chunk_no * QUEUES_PER_CALL + i;
            queries.push(query(
                format!("d{n}"),
                name,
                "ApproximateNumberOfMessagesVisible",
            ));
            queries.push(query(
                format!("a{n}"),
                name,
                "ApproximateAgeOfOldestMessage",
            ));
        }
        let pages: Vec<_> = client
            .get_metric_data()
            .set_metric_data_queries(Some(queries))
            .start_time(aws_smithy_types::DateTime::from_secs(start.timestamp()))
            .end_time(aws_smithy_types::DateTime::from_secs(end.timestamp()))
            .scan_by(aws_sdk_cloudwatch::types::ScanBy::TimestampAscending)
            .into_paginator()
            .send()
            .try_collect()
            .await
            .map_err(|e| map_sdk_error("cloudwatch:GetMetricData", e))?;
        let results = pages
            .iter()
            .flat_map(|p| p.metric_data_results().iter().cloned());
        for r in results {
            let Some(id) = r.id() else { continue };
            let (kind, n) = id.split_at(1);
            let Some(name) = n.parse::<usize>().ok().and_then(|n| names.get(n)) else {
                continue;
            };
            let mut points: Vec<_> = r
                .timestamps()
                .iter()
                .filter_map(to_chrono)
                .zip(r.values().iter().copied())
                .collect();
            points.sort_by_key(|(t, _)| *t);
            let entry: &mut QueueMetrics = out.queues.entry(name.clone()).or_default();
            match kind {
                "d" => entry.depth.extend(points),
                _ => {
                    if let Some((_, v)) = points.last() {
                        entry.oldest_age_s = Some(*v as i64);
                    }
                }
            }
        }
    }
    Ok(out)
}
