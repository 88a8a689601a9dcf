//! The pure core: `State`, `Msg`, `Effect` and `update`.

mod msg;
mod state;
mod status;
mod text;
mod update;

pub use msg::{Data, Effect, Msg, Resource};
pub use state::{Flash, Level, Overlay, Settings, State};
pub use status::{age, duration, PollStatus};
pub use text::{Edit, TextLine};
pub use update::update;
