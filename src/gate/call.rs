//! What a mutating Cloud method is about to send, so the gate's token can
//! say whether it approved exactly that. A token minted for "re-run job A"
//! must not start job B, stop a run or purge a queue.

use super::{Action, Approved};
use crate::cloud::{CloudError, CloudResult, QueryDefinition, RedrivePlan};
use std::collections::BTreeMap;

/// A mutating call with the parameters it will send.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Call<'a> {
    StartJobRun {
        job: &'a str,
        arguments: &'a BTreeMap<String, String>,
    },
    StopJobRuns {
        job: &'a str,
        run_ids: &'a [String],
    },
    CancelSteps {
        cluster_id: &'a str,
        step_ids: &'a [String],
    },
    StartMoveTask {
        dlq_arn: &'a str,
        destination_arn: Option<&'a str>,
        max_per_second: Option<i32>,
    },
    CancelMoveTask {
        task_handle: &'a str,
    },
    PurgeQueue {
        queue_url: &'a str,
    },
    ClientRedrive {
        plan: &'a RedrivePlan,
    },
    SetAlarmActions {
        names: &'a [String],
        enable: bool,
    },
    PutQueryDefinition {
        def: &'a QueryDefinition,
    },
    DeleteQueryDefinition {
        id: &'a str,
    },
    CreateNamedQuery {
        query: &'a crate::cloud::athena::NamedQuery,
    },
    DeleteNamedQuery {
        id: &'a str,
    },
    MarkRunFailed {
        table: &'a str,
        key: &'a crate::cloud::audit::Item,
        running_word: &'a str,
    },
}

impl Action {
    /// Whether confirming this action allows `call`: the same operation on
    /// the same resources with the same parameters.
    fn permits(&self, call: &Call<'_>) -> bool {
        match (self, *call) {
            (
                Action::RerunGlueJob { job, arguments, .. },
                Call::StartJobRun {
                    job: j,
                    arguments: a,
                },
            ) => job == j && arguments == a,
            (Action::StopGlueRuns { job, run_ids }, Call::StopJobRuns { job: j, run_ids: r }) => {
                job == j && run_ids.as_slice() == r
            }
            (
                Action::CancelEmrSteps {
                    cluster_id,
                    step_ids,
                    ..
                },
                Call::CancelSteps {
                    cluster_id: c,
                    step_ids: s,
                },
            ) => cluster_id == c && step_ids.as_slice() == s,
            (
                Action::RedriveDlq {
                    dlq_arn,
                    destination,
                    max_per_second,
                    ..
                },
                Call::StartMoveTask {
                    dlq_arn: a,
                    destination_arn: d,
                    max_per_second: m,
                },
            ) => {
                dlq_arn == a
                    && destination.as_ref().map(|(_, arn)| arn.as_str()) == d
                    && *max_per_second == m
            }
            (
                Action::CancelRedrive { task_handle, .. },
                Call::CancelMoveTask { task_handle: t },
            ) => task_handle == t,
            (Action::PurgeDlq { url, .. }, Call::PurgeQueue { queue_url }) => url == queue_url,
            // The executor stamps its action id into the plan (FIFO
            // deduplication ids); everything the user confirmed must match.
            (Action::ClientRedrive { plan, .. }, Call::ClientRedrive { plan: p }) => {
                plan.dlq_url == p.dlq_url
                    && plan.fifo == p.fifo
                    && plan.destination == p.destination
                    && plan.only == p.only
            }
            (
                Action::SetAlarmActions { names, enable },
                Call::SetAlarmActions {
                    names: n,
                    enable: e,
                },
            ) => names.as_slice() == n && *enable == e,
            (Action::SaveQueryDefinition { definition }, Call::PutQueryDefinition { def }) => {
                definition == def
            }
            (Action::DeleteQueryDefinition { id, .. }, Call::DeleteQueryDefinition { id: i }) => {
                id == i
            }
            (Action::SaveNamedQuery { query }, Call::CreateNamedQuery { query: q }) => query == q,
            (Action::DeleteNamedQuery { id, .. }, Call::DeleteNamedQuery { id: i }) => id == i,
            (
                Action::MarkRunFailed {
                    table,
                    key,
                    running_word,
                    ..
                },
                Call::MarkRunFailed {
                    table: t,
                    key: k,
                    running_word: w,
                },
            ) => table == t && key == k && running_word == w,
            _ => false,
        }
    }
}

impl Approved {
    /// The first thing every mutating Cloud method does: nothing is sent
    /// unless this token was minted for exactly this call.
    pub fn authorize(&self, call: Call<'_>) -> CloudResult<()> {
        if self.action.permits(&call) {
            Ok(())
        } else {
            Err(CloudError::NotApproved {
                message: format!(
                    "the confirmation was for {} on {}, not this call ({})",
                    self.action.name(),
                    self.action.target(),
                    call.operation()
                ),
            })
        }
    }
}

impl Call<'_> {
    fn operation(&self) -> &'static str {
        match self {
            Call::StartJobRun { .. } => "StartJobRun",
            Call::StopJobRuns { .. } => "BatchStopJobRun",
            Call::CancelSteps { .. } => "CancelSteps",
            Call::StartMoveTask { .. } => "StartMessageMoveTask",
            Call::CancelMoveTask { .. } => "CancelMessageMoveTask",
            Call::PurgeQueue { .. } => "PurgeQueue",
            Call::ClientRedrive { .. } => "client-side redrive",
            Call::SetAlarmActions { .. } => "Enable/DisableAlarmActions",
            Call::PutQueryDefinition { .. } => "PutQueryDefinition",
            Call::DeleteQueryDefinition { .. } => "DeleteQueryDefinition",
            Call::CreateNamedQuery { .. } => "CreateNamedQuery",
            Call::DeleteNamedQuery { .. } => "DeleteNamedQuery",
            Call::MarkRunFailed { .. } => "UpdateItem (mark failed)",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cloud::sqs::redrive::Destination;
    use crate::gate::{confirm, request, Decision, GatePolicy, JournalContext};

    fn approved(action: Action) -> Approved {
        let policy = GatePolicy {
            read_only: false,
            typed_confirm: &[],
            context: JournalContext::default(),
        };
        match request(action, Ok(()), policy) {
            Decision::Confirm(p) => confirm(p).expect("yes/no"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_client_redrive_is_held_to_its_plan_but_not_to_the_executors_stamp() {
        let plan = RedrivePlan {
            dlq_url: "https://sqs/orders-dlq".into(),
            only: Some(["m1".to_string()].into_iter().collect()),
            ..RedrivePlan::default()
        };
        let token = approved(Action::ClientRedrive {
            queue: "orders-dlq".into(),
            count: 1,
            destination: "orders".into(),
            plan: plan.clone(),
        });
        let stamped = RedrivePlan {
            action_id: "a-1".into(),
            ..plan.clone()
        };
        assert!(token
            .authorize(Call::ClientRedrive { plan: &stamped })
            .is_ok());
        let everything = RedrivePlan {
            only: None,
            ..plan.clone()
        };
        assert!(token
            .authorize(Call::ClientRedrive { plan: &everything })
            .is_err());
        let elsewhere = RedrivePlan {
            destination: Destination::default(),
            dlq_url: "https://sqs/other-dlq".into(),
            ..plan
        };
        assert!(token
            .authorize(Call::ClientRedrive { plan: &elsewhere })
            .is_err());
    }
}
