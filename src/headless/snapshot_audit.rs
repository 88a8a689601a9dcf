//! The snapshot's audit section: per configured table, the runs on-call
//! must see — failed, partial and stuck in the last 24 hours.
//!
//! `"audit": {"error", "tables": [{"name", "error", "notes", "runs":
//! [{"pipeline", "run_id", "glue_run_id", "status", "stuck", "started_at",
//! "ended_at", "rows_written", "rows_rejected", "dq_score", "error"}]}]}`

use super::snapshot::rfc3339;
use crate::cloud::audit::{needs_a_look, stuck_flags, AuditRun, TableRead};
use chrono::{DateTime, Utc};
use serde_json::{json, Value};

/// The runs of `t` worth a note, with whether each is stuck.
pub fn worth_a_note(
    t: &TableRead,
    now: DateTime<Utc>,
    stuck_after: Option<std::time::Duration>,
) -> Vec<(&AuditRun, bool)> {
    let stuck = stuck_flags(&t.runs, now, stuck_after);
    t.runs
        .iter()
        .zip(stuck)
        .filter(|(r, s)| needs_a_look(r, *s))
        .collect()
}

pub fn json(
    section: &Result<Vec<TableRead>, String>,
    now: DateTime<Utc>,
    stuck_after: Option<std::time::Duration>,
) -> Value {
    match section {
        Err(e) => json!({"error": e, "tables": []}),
        Ok(tables) => json!({
            "error": null,
            "tables": tables.iter().map(|t| json!({
                "name": t.table,
                "error": t.error,
                "notes": t.notes,
                "runs": worth_a_note(t, now, stuck_after).into_iter().map(|(r, stuck)| json!({
                    "pipeline": r.pipeline,
                    "run_id": r.run_id,
                    "glue_run_id": r.glue_run_id,
                    "status": r.status.label(),
                    "stuck": stuck,
                    "started_at": rfc3339(r.started),
                    "ended_at": rfc3339(r.ended),
                    "rows_written": r.rows_written,
                    "rows_rejected": r.rows_rejected,
                    // On the table's own scale, as its pipelines wrote it.
                    "dq_score": r.dq.map(|d| d.score * d.scale),
                    "error": match (&r.error_type, &r.error_message) {
                        (Some(t), Some(m)) => Some(format!("{t}: {m}")),
                        (t, m) => t.clone().or(m.clone()),
                    },
                })).collect::<Vec<_>>(),
            })).collect::<Vec<_>>(),
        }),
    }
}
