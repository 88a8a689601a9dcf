//! `update(state, msg) -> effects` and the pieces around it, without a terminal or a network: one module per pane or subject.
//! tests/README.md maps each pane to its tests.

#[path = "../common/mod.rs"]
mod common;

mod alarms;
mod alarms_warm_start;
mod architecture;
mod athena;
mod athena_history;
mod audit;
mod audit_links;
mod audit_pipelines;
mod config_readme;
mod demo_data;
mod dlq;
mod dlq_warm_start;
mod emr;
mod event_loop;
mod gate;
mod gate_token;
mod glue;
mod glue_streak;
mod glue_streaming;
mod insights;
mod insights_languages;
mod insights_triage;
mod insights_triage_and_output;
mod keys;
mod messages;
mod state_files;
