//! A pane's last picture of what it showed, per profile, in one file under
//! the state dir: read back at start and shown as stale until fresh data
//! (the Glue jobs, the DLQs), written again only when what it shows
//! changed. Each pane says what its picture holds and what "changed" means.

use crate::app::Effect;
use serde::de::DeserializeOwned;
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Debug)]
pub struct Kept<P> {
    /// Where this session keeps its picture (profile, Region, endpoint);
    /// `None`: nothing is kept (the demo, or before the start's restore).
    scope: Option<String>,
    /// The other profiles' pictures, written back untouched.
    others: BTreeMap<String, P>,
    /// The picture last written (or read).
    last: Option<P>,
}

impl<P> Default for Kept<P> {
    fn default() -> Self {
        Self {
            scope: None,
            others: BTreeMap::new(),
            last: None,
        }
    }
}

impl<P: Serialize + DeserializeOwned + Clone> Kept<P> {
    /// The file's text at start (empty when there is none): this scope's
    /// picture, if it has one. Unreadable text is no picture.
    pub fn restore(&mut self, text: &str, scope: Option<&str>) -> Option<P> {
        let mut all: BTreeMap<String, P> = serde_json::from_str(text).unwrap_or_default();
        self.scope = scope.map(str::to_string);
        let mine = scope.and_then(|s| all.remove(s));
        self.others = all;
        self.last = mine.clone();
        mine
    }

    /// The effect that writes `picture` to `file`, unless it shows the
    /// `same` as the last one (not on every poll).
    pub fn keep(
        &mut self,
        file: &'static str,
        picture: P,
        same: impl Fn(&P, &P) -> bool,
    ) -> Option<Effect> {
        let scope = self.scope.clone()?;
        if self.last.as_ref().is_some_and(|l| same(l, &picture)) {
            return None;
        }
        let mut all = self.others.clone();
        all.insert(scope, picture.clone());
        self.last = Some(picture);
        Some(Effect::SaveState {
            file,
            json: serde_json::to_string(&all).unwrap_or_else(|_| "{}".into()),
        })
    }
}

/// "as last seen 02:14, refreshing" — or "…, the fresh read failed" once
/// it did (an expired login at 3 a.m. must not look like a slow read).
pub fn last_seen(
    at: chrono::DateTime<chrono::Utc>,
    status: &crate::app::PollStatus,
    rc: &crate::ui::RenderCtx,
) -> String {
    format!(
        "as last seen {}, {}",
        crate::app::clock_time_on(at, rc.tz, Some(rc.now)),
        match status.error {
            Some(_) => "the fresh read failed",
            None => "refreshing",
        }
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn profiles_keep_their_own_picture_and_unchanged_is_not_written() {
        let mut k: Kept<Vec<u32>> = Kept::default();
        assert!(
            k.keep("x.json", vec![9], |a, b| a == b).is_none(),
            "no scope, no file"
        );
        assert_eq!(
            k.restore(r#"{"dev":[1],"prod":[2]}"#, Some("prod")),
            Some(vec![2])
        );
        assert!(
            k.keep("x.json", vec![2], |a, b| a == b).is_none(),
            "unchanged"
        );
        let Some(Effect::SaveState { file, json }) = k.keep("x.json", vec![3], |a, b| a == b)
        else {
            panic!("changed: written")
        };
        assert_eq!(file, "x.json");
        assert_eq!(json, r#"{"dev":[1],"prod":[3]}"#);
        assert_eq!(k.restore("{not json", Some("prod")), None);
        assert_eq!(
            k.restore(r#"{"prod":[2]}"#, None),
            None,
            "the demo keeps none"
        );
    }
}
