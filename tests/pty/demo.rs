//! The real binary in a pseudo-terminal: starts in --demo, shows the Glue
//! pane, quits on `q` with exit code 0, and leaves the terminal restored
//! (main screen, canonical mode and echo back on).

use crate::common;

use common::pty::Running;
use portable_pty::CommandBuilder;

#[test]
fn demo_starts_quits_and_restores_the_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let mut cmd = CommandBuilder::new("sh");
    cmd.arg("-c");
    cmd.arg(r#""$0" --demo; rc=$?; stty -a; echo "EXITCODE=$rc""#);
    cmd.arg(env!("CARGO_BIN_EXE_pipedeck"));
    cmd.env("XDG_CONFIG_HOME", dir.path().join("config"));
    cmd.env("XDG_STATE_HOME", dir.path().join("state"));
    cmd.env("TERM", "xterm-256color");
    let mut app = Running::start(cmd, 100, 30);
    app.screen.wait_for("the Glue pane", |p, _| {
        p.screen().alternate_screen() && p.screen().contents().contains("raw-to-silver-transform")
    });
    let contents = app.contents();
    assert!(
        // Three failing: a retry running after a failure still counts.
        contents.contains("✗Glue 3") || contents.contains("✗ Glue failed 3"),
        "{contents}"
    );
    app.keys("q");
    app.screen
        .wait_for("exit", |_, raw| raw.contains("EXITCODE="));
    let raw = app.screen.raw.lock().unwrap().clone();
    assert!(raw.contains("EXITCODE=0"), "{raw}");
    let p = app.screen.parser.lock().unwrap();
    assert!(!p.screen().alternate_screen(), "left the alternate screen");
    let stty = raw.split("EXITCODE").next().unwrap();
    assert!(
        stty.contains(" icanon") && !stty.contains("-icanon"),
        "canonical mode restored: {stty}"
    );
    assert!(
        stty.contains(" echo ") && !stty.contains("-echo "),
        "echo restored: {stty}"
    );
    assert!(!p.screen().hide_cursor(), "cursor shown again");
    drop(p);
    app.child.wait().unwrap();
}
