//! `--demo` in a pseudo-terminal: `:athena`, a query typed into the SQL
//! editor, run with ctrl-r (the guardrails ask about its full scan: y);
//! the state moves on by itself and the rows
//! appear, NULL shown as NULL; `q` stops nothing left running and quits.

use crate::common;

use common::pty::Running;
use portable_pty::CommandBuilder;

#[test]
fn type_a_query_run_it_and_see_rows_in_demo() {
    let dir = tempfile::tempdir().unwrap();
    let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_pipedeck"));
    cmd.arg("--demo");
    cmd.env("XDG_CONFIG_HOME", dir.path().join("config"));
    cmd.env("XDG_STATE_HOME", dir.path().join("state"));
    cmd.env("TERM", "xterm-256color");
    let mut app = Running::start(cmd, 130, 36);
    app.wait_text("raw-to-silver-transform");
    app.keys(":athena\r");
    app.wait_text("work group primary");
    // Into the editor, the starter query cleared line by line (ctrl-k).
    app.keys("e");
    app.wait_text("SQL (typing)");
    app.keys("\x1b[A\x1b[A\x1b[H\x0b\x0b\x0b\x0b\x0b\x0b");
    app.keys("SELECT region, sum(amount) AS total FROM sales_db.transactions GROUP BY region");
    app.wait_text("GROUP BY region");
    app.keys("\x12");
    // The guardrails read the table's partition keys first, then ask:
    // no predicate on year/month/day, and primary has no scan limit.
    app.wait_text("scans every partition of sales_db.transactions");
    app.wait_text("Run anyway?");
    app.keys("y");
    app.wait_text("SUCCEEDED");
    app.wait_text("5 row(s), read from the result file in S3");
    app.wait_text("(unknown)");
    let screen = app.contents();
    assert!(screen.contains("NULL"), "{screen}");
    assert!(screen.contains("1234567.89"), "{screen}");
}
