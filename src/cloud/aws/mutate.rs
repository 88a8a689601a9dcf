//! The real backend's mutating calls: each authorizes its gate token
//! first, so nothing is sent that the gate did not approve.

use super::{alarms, athena_history, emr, glue, logs, sqs, sqs_ops, AwsCloud};
use crate::cloud::athena::NamedQuery;
use crate::cloud::sqs::redrive::{self, RedriveOutcome, RedrivePlan};
use crate::cloud::{CancelOutcome, CloudMutate, CloudResult, QueryDefinition, StopOutcome};
use crate::gate::{Approved, Call};
use async_trait::async_trait;
use std::collections::BTreeMap;

#[async_trait]
impl CloudMutate for AwsCloud {
    async fn start_job_run(
        &self,
        approved: &Approved,
        job: &str,
        arguments: &BTreeMap<String, String>,
    ) -> CloudResult<String> {
        approved.authorize(Call::StartJobRun { job, arguments })?;
        let started = glue::start_job_run(&self.clients().await?.glue, job, arguments).await;
        // The list's next poll reads this job, whatever its cadence.
        self.glue_memory.lock().unwrap().forget(job);
        started
    }

    async fn stop_job_runs(
        &self,
        approved: &Approved,
        job: &str,
        run_ids: &[String],
    ) -> CloudResult<Vec<StopOutcome>> {
        approved.authorize(Call::StopJobRuns { job, run_ids })?;
        let stopped = glue::stop_job_runs(&self.clients().await?.glue, job, run_ids).await;
        self.glue_memory.lock().unwrap().forget(job);
        stopped
    }

    async fn cancel_steps(
        &self,
        approved: &Approved,
        cluster_id: &str,
        step_ids: &[String],
    ) -> CloudResult<Vec<CancelOutcome>> {
        approved.authorize(Call::CancelSteps {
            cluster_id,
            step_ids,
        })?;
        emr::cancel_steps(&self.clients().await?.emr, cluster_id, step_ids).await
    }

    async fn start_move_task(
        &self,
        approved: &Approved,
        dlq_arn: &str,
        destination_arn: Option<&str>,
        max_per_second: Option<i32>,
    ) -> CloudResult<String> {
        approved.authorize(Call::StartMoveTask {
            dlq_arn,
            destination_arn,
            max_per_second,
        })?;
        let handle = sqs::start_move_task(
            &self.clients().await?.sqs,
            dlq_arn,
            destination_arn,
            max_per_second,
        )
        .await?;
        // Known running from now on: the next polls ask for it, whatever the
        // DLQ holds by then (its counters lag), until it is seen to end.
        sqs::remember_task(
            &self.discovery,
            dlq_arn,
            Some(crate::cloud::MoveTask::started(
                &handle,
                destination_arn,
                max_per_second,
            )),
        );
        Ok(handle)
    }

    async fn cancel_move_task(&self, approved: &Approved, task_handle: &str) -> CloudResult<i64> {
        approved.authorize(Call::CancelMoveTask { task_handle })?;
        sqs::cancel_move_task(&self.clients().await?.sqs, task_handle).await
    }

    async fn purge_queue(&self, approved: &Approved, queue_url: &str) -> CloudResult<()> {
        approved.authorize(Call::PurgeQueue { queue_url })?;
        sqs::purge(&self.clients().await?.sqs, queue_url).await
    }

    async fn set_alarm_actions(
        &self,
        approved: &Approved,
        names: &[String],
        enable: bool,
    ) -> CloudResult<()> {
        approved.authorize(Call::SetAlarmActions { names, enable })?;
        alarms::set_actions(&self.clients().await?.cloudwatch, names, enable).await
    }

    async fn put_query_definition(
        &self,
        approved: &Approved,
        def: &QueryDefinition,
    ) -> CloudResult<String> {
        approved.authorize(Call::PutQueryDefinition { def })?;
        logs::put_query_definition(&self.clients().await?.logs, def).await
    }

    async fn delete_query_definition(&self, approved: &Approved, id: &str) -> CloudResult<()> {
        approved.authorize(Call::DeleteQueryDefinition { id })?;
        logs::delete_query_definition(&self.clients().await?.logs, id).await
    }

    async fn create_named_query(
        &self,
        approved: &Approved,
        query: &NamedQuery,
    ) -> CloudResult<String> {
        approved.authorize(Call::CreateNamedQuery { query })?;
        athena_history::create_named_query(&self.clients().await?.athena, query).await
    }

    async fn delete_named_query(&self, approved: &Approved, id: &str) -> CloudResult<()> {
        approved.authorize(Call::DeleteNamedQuery { id })?;
        athena_history::delete_named_query(&self.clients().await?.athena, id).await
    }

    async fn mark_run_failed(
        &self,
        approved: &Approved,
        table: &str,
        key: &crate::cloud::audit::Item,
        running_word: &str,
        message: &str,
    ) -> CloudResult<bool> {
        approved.authorize(Call::MarkRunFailed {
            table,
            key,
            running_word,
        })?;
        let Some(m) = self.options.audit_tables.iter().find(|m| m.name == table) else {
            return Err(crate::cloud::CloudError::InvalidInput {
                message: format!("table {table} is not in [[audit.tables]]"),
            });
        };
        let client = &self.clients().await?.dynamodb;
        let now = (self.clock)();
        let out =
            super::dynamo_mark::mark_failed(client, m, key, running_word, message, now).await?;
        Ok(out == super::dynamo_mark::MarkOutcome::Marked)
    }

    async fn client_redrive(&self, approved: &Approved, plan: &RedrivePlan) -> RedriveOutcome {
        if let Err(e) = approved.authorize(Call::ClientRedrive { plan }) {
            return RedriveOutcome {
                stopped: Some(e.to_string()),
                ..RedriveOutcome::default()
            };
        }
        let clients = match self.clients().await {
            Ok(c) => c,
            Err(e) => {
                return RedriveOutcome {
                    stopped: Some(e.to_string()),
                    ..RedriveOutcome::default()
                }
            }
        };
        let ops = sqs_ops::SqsOps(clients.sqs.clone());
        redrive::run(&ops, plan, redrive::Limits::default()).await
    }
}
