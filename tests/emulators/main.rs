//! The real AWS backend over HTTP against the one moto server and the one LocalStack that scripts/test.sh starts (PIPEDECK_MOTO_URL, PIPEDECK_LOCALSTACK_URL).
//! tests/README.md maps each pane to its tests.

#[path = "../common/mod.rs"]
mod common;

mod localstack_alarms;
mod localstack_sqs;
mod moto_athena;
mod moto_athena_history;
mod moto_audit;
mod moto_emr;
mod moto_glue;
mod moto_insights;
mod moto_logs;
mod moto_profile;
