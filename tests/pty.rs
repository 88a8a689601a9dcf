//! The real binary in a pseudo-terminal: starts in --demo, shows the Glue
//! pane, quits on `q` with exit code 0, and leaves the terminal restored
//! (main screen, canonical mode and echo back on).

mod common;

use common::pty::Screen;
use portable_pty::{native_pty_system, CommandBuilder, PtySize};
use std::io::{Read, Write};
use std::sync::{Arc, Mutex};

#[test]
fn demo_starts_quits_and_restores_the_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let pty = native_pty_system();
    let pair = pty
        .openpty(PtySize {
            rows: 30,
            cols: 100,
            pixel_width: 0,
            pixel_height: 0,
        })
        .unwrap();
    let mut cmd = CommandBuilder::new("sh");
    cmd.arg("-c");
    cmd.arg(r#""$0" --demo; rc=$?; stty -a; echo "EXITCODE=$rc""#);
    cmd.arg(env!("CARGO_BIN_EXE_pipedeck"));
    cmd.env("XDG_CONFIG_HOME", dir.path().join("config"));
    cmd.env("XDG_STATE_HOME", dir.path().join("state"));
    cmd.env("TERM", "xterm-256color");
    let mut child = pair.slave.spawn_command(cmd).unwrap();
    drop(pair.slave);
    let mut reader = pair.master.try_clone_reader().unwrap();
    let mut writer = pair.master.take_writer().unwrap();
    let screen = Screen {
        parser: Arc::new(Mutex::new(vt100::Parser::new(30, 100, 0))),
        raw: Arc::new(Mutex::new(String::new())),
    };
    let (parser, raw) = (screen.parser.clone(), screen.raw.clone());
    std::thread::spawn(move || {
        let mut buf = [0u8; 8192];
        while let Ok(n) = reader.read(&mut buf) {
            if n == 0 {
                break;
            }
            parser.lock().unwrap().process(&buf[..n]);
            raw.lock()
                .unwrap()
                .push_str(&String::from_utf8_lossy(&buf[..n]));
        }
    });

    screen.wait_for("the Glue pane", |p, _| {
        p.screen().alternate_screen() && p.screen().contents().contains("raw-to-silver-transform")
    });
    let contents = screen.parser.lock().unwrap().screen().contents();
    assert!(
        contents.contains("✗Glue 2") || contents.contains("✗ Glue failed 2"),
        "{contents}"
    );
    writer.write_all(b"q").unwrap();
    writer.flush().unwrap();
    screen.wait_for("exit", |_, raw| raw.contains("EXITCODE="));
    let raw = screen.raw.lock().unwrap().clone();
    assert!(raw.contains("EXITCODE=0"), "{raw}");
    let p = screen.parser.lock().unwrap();
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
    child.wait().unwrap();
}
