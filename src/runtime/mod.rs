//! The event loop: terminal events, poll results and the clock become
//! messages; `update` turns them into effects; the frame is redrawn.
//! Nothing here awaits the network: every Cloud call lives in a task.

mod backoff;
mod clipboard;
mod effects;
mod fetch;
pub mod terminal;

pub use backoff::Backoff;
pub use effects::{write_export, write_state, Effects};
pub use fetch::fetch;

use crate::app::{update, Effect, Msg, State};
use crate::cloud::SharedCloud;
use crate::config::{PollConfig, Theme};
use crate::gate::Journal;
use chrono::{FixedOffset, Utc};
use crossterm::event::Event;
use futures::{Stream, StreamExt};
use ratatui::backend::Backend;
use ratatui::buffer::Buffer;
use ratatui::Terminal;
use std::time::Duration;
use tokio::sync::mpsc;

/// Observer of every drawn frame.
pub type FrameHook = Box<dyn FnMut(&Buffer) + Send>;

pub struct LoopEnv {
    pub cloud: SharedCloud,
    pub journal: Journal,
    pub poll: PollConfig,
    pub theme: Theme,
    pub tz: FixedOffset,
    /// Called with every drawn frame (tests observe the screen this way).
    pub on_frame: Option<FrameHook>,
    /// Extra ways to be told to stop (SIGTERM, SIGHUP); `None` for tests.
    pub stop: Option<mpsc::UnboundedReceiver<()>>,
    /// Copy writes OSC 52 (and Bell rings) on the real terminal only.
    pub terminal_clipboard: bool,
    /// Copy to the desktop clipboard instead, where there is one.
    pub system_clipboard: bool,
    /// Where panes keep their state (`Effect::SaveState`); `None` keeps it
    /// in memory only.
    pub state_dir: Option<std::path::PathBuf>,
}

pub async fn run_loop<B, S>(
    terminal: &mut Terminal<B>,
    mut events: S,
    state: &mut State,
    mut env: LoopEnv,
) -> anyhow::Result<()>
where
    B: Backend,
    B::Error: Send + Sync + 'static,
    S: Stream<Item = std::io::Result<Event>> + Unpin,
{
    let (tx, mut rx) = mpsc::unbounded_channel::<Msg>();
    let mut effects = Effects::new(env.cloud.clone(), env.journal.clone(), env.poll.clone(), tx);
    if env.terminal_clipboard {
        effects = effects.with_terminal_clipboard();
    }
    if env.terminal_clipboard && env.system_clipboard {
        effects = effects.with_system_clipboard();
    }
    effects = effects.with_state_dir(env.state_dir.clone());
    effects.reconcile(&state.subscriptions());
    let mut tick = tokio::time::interval(Duration::from_secs(1));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
    let mut stop = env.stop.take();
    if let Ok(size) = terminal.size() {
        update(
            state,
            Msg::Resize {
                width: size.width,
                height: size.height,
            },
        );
    }
    draw(terminal, state, &mut env)?;
    loop {
        let first = tokio::select! {
            ev = events.next() => match ev {
                Some(Ok(Event::Key(k))) => Msg::Key(k),
                Some(Ok(Event::Resize(width, height))) => Msg::Resize { width, height },
                Some(Ok(_)) => continue,
                Some(Err(e)) => return Err(e.into()),
                None => break,
            },
            Some(m) = rx.recv() => m,
            _ = tick.tick() => Msg::Tick(Utc::now()),
            Some(()) = async { match stop.as_mut() { Some(s) => s.recv().await, None => std::future::pending().await } } => break,
        };
        // Apply everything that is already waiting before drawing once.
        let ticked = matches!(first, Msg::Tick(_));
        let mut batch = vec![first];
        while let Ok(m) = rx.try_recv() {
            batch.push(m);
        }
        // The cloud's own counters (a lock and a copy, never a call).
        if let Some(f) = ticked.then(|| env.cloud.footprint()).flatten() {
            batch.push(Msg::Footprint(f));
        }
        for msg in batch {
            for effect in update(state, msg) {
                if effect != Effect::Quit {
                    effects.run(effect);
                }
            }
        }
        if state.quitting {
            break;
        }
        effects.reconcile(&state.subscriptions());
        draw(terminal, state, &mut env)?;
    }
    effects.finish(Duration::from_secs(5)).await;
    Ok(())
}

fn draw<B>(terminal: &mut Terminal<B>, state: &State, env: &mut LoopEnv) -> anyhow::Result<()>
where
    B: Backend,
    B::Error: Send + Sync + 'static,
{
    let frame = terminal.draw(|f| crate::ui::render(state, f, &env.theme, env.tz))?;
    if let Some(cb) = env.on_frame.as_mut() {
        cb(frame.buffer);
    }
    Ok(())
}
