//! The real SDK clients against `aws-smithy-mocks`: the requests pipedeck sends and what it makes of answers no emulator gives (FAILED states, throttling, AccessDenied, partial batch failures).
//! tests/README.md maps each pane to its tests.

#[path = "../common/mod.rs"]
mod common;

mod alarms;
mod athena;
mod athena_history;
mod audit;
mod audit_records;
mod budget;
mod credentials;
mod dlq_tasks;
mod emr;
mod glue;
mod glue_cadence;
mod insights;
mod insights_languages;
mod insights_limits;
mod logs;
mod sqs;
mod sqs_redrive;
