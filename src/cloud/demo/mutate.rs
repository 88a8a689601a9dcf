//! What the demo account does when pipedeck acts: every mutating call,
//! reachable (as on AWS) only with the gate's token.

use super::*;
use crate::gate::Call;

#[async_trait]
impl CloudMutate for DemoCloud {
    async fn start_job_run(
        &self,
        approved: &Approved,
        job: &str,
        arguments: &BTreeMap<String, String>,
    ) -> CloudResult<String> {
        approved.authorize(Call::StartJobRun { job, arguments })?;
        let def = scenario::job_def(job).ok_or_else(|| CloudError::NotFound {
            message: format!("Job {job} not found"),
        })?;
        let active = self
            .runs_now(def)
            .iter()
            .filter(|r| r.state.is_active())
            .count();
        if active >= def.max_concurrent as usize {
            // What Glue itself answers; the gate words it for the screen.
            return Err(CloudError::ConcurrentRunsExceeded {
                message: format!(
                    "Concurrent runs exceeded for {job}: max {} allowed",
                    def.max_concurrent
                ),
            });
        }
        let now = self.now();
        let mut changes = self.changes.lock().expect("demo state");
        let id = scenario::run_id(job, 1_000_000 + changes.started.len() as i64);
        changes.started.push((job.to_string(), id.clone(), now));
        Ok(id)
    }

    async fn stop_job_runs(
        &self,
        approved: &Approved,
        job: &str,
        run_ids: &[String],
    ) -> CloudResult<Vec<StopOutcome>> {
        approved.authorize(Call::StopJobRuns { job, run_ids })?;
        let runs = self.glue_job_runs(job).await?;
        let now = self.now();
        let mut changes = self.changes.lock().expect("demo state");
        Ok(run_ids
            .iter()
            .map(|id| {
                let error = match runs.iter().find(|r| &r.id == id) {
                    None => Some(format!("EntityNotFoundException: run {id} not found")),
                    Some(r) if !r.state.is_stoppable() => Some(format!(
                        "InvalidInputException: run is {} and cannot be stopped",
                        r.state.as_aws()
                    )),
                    Some(_) => {
                        changes.stopped.insert(id.clone(), now);
                        None
                    }
                };
                StopOutcome {
                    run_id: id.clone(),
                    error,
                }
            })
            .collect())
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
        let steps = self.emr_steps(cluster_id).await?;
        let now = self.now();
        let mut changes = self.changes.lock().expect("demo state");
        Ok(step_ids
            .iter()
            .map(|id| {
                let error = match steps.iter().find(|s| &s.id == id) {
                    None => Some(format!("FAILED: step {id} not found")),
                    Some(s) if !s.state.is_cancellable() => Some(format!(
                        "FAILED: step is {} and cannot be cancelled",
                        s.state.as_aws()
                    )),
                    Some(_) => {
                        changes.cancelled.insert(id.clone(), now);
                        None
                    }
                };
                CancelOutcome {
                    step_id: id.clone(),
                    error,
                }
            })
            .collect())
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
        let now = self.now();
        let mut changes = self.changes.lock().expect("demo state");
        sqs::advance_all(&self.queues, &mut changes.move_tasks, now);
        let task = sqs::TaskRequest {
            dlq_arn,
            destination_arn,
            max_per_second,
        };
        sqs::start_task(&self.queues, &mut changes.move_tasks, task, now)
    }

    async fn cancel_move_task(&self, approved: &Approved, task_handle: &str) -> CloudResult<i64> {
        approved.authorize(Call::CancelMoveTask { task_handle })?;
        let now = self.now();
        let mut changes = self.changes.lock().expect("demo state");
        sqs::advance_all(&self.queues, &mut changes.move_tasks, now);
        sqs::cancel_task(&mut changes.move_tasks, task_handle)
    }

    async fn purge_queue(&self, approved: &Approved, queue_url: &str) -> CloudResult<()> {
        approved.authorize(Call::PurgeQueue { queue_url })?;
        let now = self.now();
        let mut changes = self.changes.lock().expect("demo state");
        sqs::purge(&self.queues, &mut changes.purged, queue_url, now)
    }

    async fn set_alarm_actions(
        &self,
        approved: &Approved,
        names: &[String],
        enable: bool,
    ) -> CloudResult<()> {
        approved.authorize(Call::SetAlarmActions { names, enable })?;
        let known = self.alarms_now();
        let mut changes = self.changes.lock().expect("demo state");
        for n in names {
            if !known.iter().any(|a| a.name == *n) {
                return Err(CloudError::NotFound {
                    message: format!("alarm {n} not found"),
                });
            }
            changes.alarm_actions.insert(n.clone(), enable);
        }
        Ok(())
    }

    async fn put_query_definition(
        &self,
        approved: &Approved,
        def: &QueryDefinition,
    ) -> CloudResult<String> {
        approved.authorize(Call::PutQueryDefinition { def })?;
        let stamped = QueryDefinition {
            last_modified: Some(self.now()),
            ..def.clone()
        };
        self.changes
            .lock()
            .expect("demo state")
            .queries
            .put(&stamped)
    }

    async fn delete_query_definition(&self, approved: &Approved, id: &str) -> CloudResult<()> {
        approved.authorize(Call::DeleteQueryDefinition { id })?;
        self.changes.lock().expect("demo state").queries.delete(id)
    }

    async fn create_named_query(
        &self,
        approved: &Approved,
        query: &crate::cloud::athena::NamedQuery,
    ) -> CloudResult<String> {
        approved.authorize(Call::CreateNamedQuery { query })?;
        self.changes
            .lock()
            .expect("demo state")
            .athena
            .create_named(query)
    }

    async fn delete_named_query(&self, approved: &Approved, id: &str) -> CloudResult<()> {
        approved.authorize(Call::DeleteNamedQuery { id })?;
        self.changes
            .lock()
            .expect("demo state")
            .athena
            .delete_named(id)
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
        let now = self.now();
        let mut changes = self.changes.lock().expect("demo state");
        // Conditional: a record already marked is no longer RUNNING.
        if changes.audit_marked.iter().any(|(k, ..)| k == key) {
            return Ok(false);
        }
        changes
            .audit_marked
            .push((key.clone(), message.to_string(), now));
        Ok(true)
    }

    async fn client_redrive(&self, approved: &Approved, plan: &RedrivePlan) -> RedriveOutcome {
        if let Err(e) = approved.authorize(Call::ClientRedrive { plan }) {
            return RedriveOutcome {
                stopped: Some(e.to_string()),
                ..RedriveOutcome::default()
            };
        }
        redrive::run(
            &self.queues,
            plan,
            redrive::Limits {
                max_receives: 500,
                wait_secs: 0,
            },
        )
        .await
    }
}
