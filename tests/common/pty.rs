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
        let deadline = Instant::now() + Duration::from_secs(30);
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
