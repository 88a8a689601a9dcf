//! One read per resource: the only place a `Resource` becomes a Cloud call.

use crate::app::{Data, Resource};
use crate::cloud::{Cloud, CloudError};

/// Told each part of a long read as it arrives (a Glue job with its runs),
/// with how many of how many parts are in.
pub type Partial<'a> = &'a (dyn Fn(Data, usize, usize) + Send + Sync);

pub async fn fetch(cloud: &dyn Cloud, resource: &Resource) -> Result<Data, CloudError> {
    fetch_streaming(cloud, resource, &|_, _, _| {}).await
}

/// As [`fetch`]; a read that comes in parts tells `partial` each one.
pub async fn fetch_streaming(
    cloud: &dyn Cloud,
    resource: &Resource,
    partial: Partial<'_>,
) -> Result<Data, CloudError> {
    match resource {
        Resource::Identity => cloud.identity().await.map(Data::Identity),
        Resource::GlueJobs => cloud
            .glue_jobs_streaming(&|job, done, total| {
                partial(Data::GlueJobs(vec![job.clone()]), done, total)
            })
            .await
            .map(Data::GlueJobs),
        Resource::GlueRuns { job } => cloud.glue_job_runs(job).await.map(Data::GlueRuns),
        Resource::EmrClusters => cloud.emr_clusters().await.map(Data::EmrClusters),
        Resource::EmrSteps { cluster_id } => cloud.emr_steps(cluster_id).await.map(Data::EmrSteps),
        Resource::Dlqs { configured } => cloud.dlqs(configured).await.map(Data::Dlqs),
        Resource::DlqProgress { url, arn } => {
            cloud.dlq_progress(url, arn).await.map(Data::DlqProgress)
        }
        Resource::DlqMetrics { queues } => cloud.dlq_metrics(queues).await.map(Data::DlqMetrics),
        Resource::Alarms => cloud.alarms().await.map(Data::Alarms),
        Resource::InsightsStart { query, .. } => {
            cloud.start_query(query).await.map(Data::QueryStarted)
        }
        Resource::InsightsResults { query_id } => {
            cloud.query_results(query_id).await.map(Data::QueryResults)
        }
        Resource::LogGroups { prefix } => cloud
            .log_groups(Some(prefix.as_str()))
            .await
            .map(Data::LogGroups),
        Resource::LogRecord { ptr } => cloud.log_record(ptr).await.map(Data::LogRecord),
        Resource::AlarmHistory { name } => cloud.alarm_history(name).await.map(Data::AlarmHistory),
        Resource::AlarmChart { name, window } => {
            cloud.alarm_chart(name, *window).await.map(Data::AlarmChart)
        }
        Resource::DlqPeek { url, max } => cloud.peek(url, *max).await.map(Data::Peeked),
        Resource::ExistingLogGroups { names } => existing_groups(cloud, names)
            .await
            .map(Data::ExistingLogGroups),
        Resource::QueryDefinitions => cloud.query_definitions().await.map(Data::QueryDefinitions),
        Resource::AthenaWorkGroups => cloud.athena_workgroups().await.map(Data::AthenaWorkGroups),
        Resource::AthenaStart { query, .. } => {
            cloud.athena_start(query).await.map(Data::AthenaStarted)
        }
        Resource::AthenaExecution { id } => {
            cloud.athena_execution(id).await.map(Data::AthenaExecution)
        }
        Resource::AthenaCatalogs => cloud.athena_catalogs().await.map(Data::AthenaCatalogs),
        Resource::AthenaDatabases { catalog } => cloud
            .athena_databases(catalog)
            .await
            .map(Data::AthenaDatabases),
        Resource::AthenaTables { catalog, database } => cloud
            .athena_tables(catalog, database)
            .await
            .map(Data::AthenaTables),
        Resource::AthenaHistory { workgroup } => cloud
            .athena_history(workgroup)
            .await
            .map(|h| Data::AthenaHistory(h.flagged())),
        Resource::AthenaNamedQueries { workgroup } => cloud
            .athena_named_queries(workgroup)
            .await
            .map(Data::AthenaNamedQueries),
        Resource::AuditRuns => cloud
            .audit_runs_streaming(&|so_far| {
                let part = crate::cloud::audit::records::AuditDay::partial(so_far.to_vec());
                partial(Data::AuditRuns(part), 0, 0)
            })
            .await
            .map(|t| Data::AuditRuns(t.into())),
        Resource::AuditPipelines { pipelines, n } => cloud
            .audit_pipelines(pipelines, *n)
            .await
            .map(Data::AuditPipelines),
        Resource::AuditRecords(run) => cloud
            .audit_records(run)
            .await
            .map(|r| Data::AuditRecords(Box::new(r))),
        Resource::AuditDetect { table } => cloud
            .audit_detect(table)
            .await
            .map(|d| Data::AuditDetect(Box::new(d))),
        Resource::AthenaRows { id } => cloud
            .athena_rows(id, &|part, done| partial(Data::AthenaRows(part), done, 0))
            .await
            .map(Data::AthenaRows),
    }
}

/// DescribeLogGroups with each name as the prefix, keeping exact matches:
/// a handful of small calls rather than listing every group.
async fn existing_groups(cloud: &dyn Cloud, names: &[String]) -> Result<Vec<String>, CloudError> {
    let mut found = Vec::new();
    for name in names {
        let groups = cloud.log_groups(Some(name)).await?;
        if groups.iter().any(|g| g.name == *name) {
            found.push(name.clone());
        }
    }
    Ok(found)
}
