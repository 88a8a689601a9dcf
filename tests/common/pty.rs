//! The real binary in a pseudo-terminal, seen through a vt100 parser.

use portable_pty::{native_pty_system, Child, CommandBuilder, MasterPty, PtySize};
use std::io::{Read, Write};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

pub struct Screen {
    pub parser: Arc<Mutex<vt100::Parser>>,
    pub raw: Arc<Mutex<String>>,
}

impl Screen {
    pub fn wait_for(&self, what: &str, want: impl Fn(&vt100::Parser, &str) -> bool) {
        self.wait_for_within(what, Duration::from_secs(30), want)
    }

    /// As `wait_for`, failing when `within` passes first (for a claim about
    /// when something shows, not only that it does).
    pub fn wait_for_within(
        &self,
        what: &str,
        within: Duration,
        want: impl Fn(&vt100::Parser, &str) -> bool,
    ) {
        let deadline = Instant::now() + within;
        loop {
            {
                let p = self.parser.lock().unwrap();
                let raw = self.raw.lock().unwrap();
                if want(&p, &raw) {
                    return;
                }
            }
            if Instant::now() > deadline {
                let p = self.parser.lock().unwrap();
                panic!(
                    "timed out waiting for {what}; screen:\n{}",
                    p.screen().contents()
                );
            }
            std::thread::sleep(Duration::from_millis(20)); // polling a condition, not synchronising
        }
    }
}

/// A running program in a pty of `cols`×`rows`, its screen, and its input.
pub struct Running {
    pub screen: Screen,
    pub input: Box<dyn Write + Send>,
    pub child: Box<dyn Child + Send + Sync>,
    _master: Box<dyn MasterPty + Send>,
}

impl Running {
    pub fn start(cmd: CommandBuilder, cols: u16, rows: u16) -> Self {
        let pair = native_pty_system()
            .openpty(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .unwrap();
        let child = pair.slave.spawn_command(cmd).unwrap();
        drop(pair.slave);
        let mut reader = pair.master.try_clone_reader().unwrap();
        let input = pair.master.take_writer().unwrap();
        let screen = Screen {
            parser: Arc::new(Mutex::new(vt100::Parser::new(rows, cols, 0))),
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
        Self {
            screen,
            input,
            child,
            _master: pair.master,
        }
    }

    /// Types keys; an Escape is sent alone so it is not read as Alt+key.
    pub fn keys(&mut self, text: &str) {
        self.input.write_all(text.as_bytes()).unwrap();
        self.input.flush().unwrap();
    }

    pub fn contents(&self) -> String {
        self.screen.parser.lock().unwrap().screen().contents()
    }

    pub fn wait_text(&self, what: &str) {
        self.screen
            .wait_for(what, |p, _| p.screen().contents().contains(what));
    }
}

/// The real binary with every AWS service at the test run's LocalStack, on
/// account `acct` (LocalStack takes the access key id as the account), and
/// private config/state dirs under `dir` (a `config/pipedeck/config.toml`
/// there is read).
pub fn pipedeck_on_localstack(acct: &str, dir: &std::path::Path) -> CommandBuilder {
    let url = super::localstack::localstack_url();
    std::fs::write(dir.join("aws-config"), "").unwrap();
    let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_pipedeck"));
    for (k, v) in [
        ("AWS_ACCESS_KEY_ID", acct),
        ("AWS_SECRET_ACCESS_KEY", "test"),
        ("AWS_REGION", "us-east-1"),
        ("AWS_ENDPOINT_URL", url.as_str()),
        ("AWS_EC2_METADATA_DISABLED", "true"),
        ("TERM", "xterm-256color"),
    ] {
        cmd.env(k, v);
    }
    for k in ["AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE"] {
        cmd.env(k, dir.join("aws-config"));
    }
    // LocalStack has no Glue or EMR: those panes say so.
    for k in ["GLUE", "EMR", "STS", "SQS", "CLOUDWATCH", "CLOUDWATCH_LOGS"] {
        cmd.env(format!("AWS_ENDPOINT_URL_{k}"), &url);
    }
    cmd.env("XDG_CONFIG_HOME", dir.join("config"));
    cmd.env("XDG_STATE_HOME", dir.join("state"));
    cmd
}
