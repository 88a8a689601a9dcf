//! The pure core: `State`, `Msg`, `Effect` and `update`.

mod confirm;
mod msg;
mod state;
mod status;
mod text;
mod timefmt;
mod update;

pub use msg::{Data, Effect, Msg, Resource};
pub use state::{Flash, Level, Overlay, Settings, State};
pub use status::{age, duration, PollStatus};
pub use text::{Edit, TextLine};
pub use timefmt::{clock_time, clock_time_on, full_time, full_time_ago, rfc3339_clock, zone};
pub use update::update;
