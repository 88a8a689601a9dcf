//! The import rules ARCHITECTURE.md states, checked on the source: every
//! `crate::…` path counts, in `use` lines and inline alike. A rule broken
//! here is a layer reaching up or sideways; move the code, not the rule.

use std::path::{Path, PathBuf};

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Every `crate::a::b…` path in a file (comments included: a doc link to
/// a layer above is a smell too), as "a::b::…".
fn crate_paths(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(i) = rest.find("crate::") {
        let tail = &rest[i + "crate::".len()..];
        let path: String = tail
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == ':')
            .collect();
        out.push(path.trim_end_matches(':').to_string());
        rest = &tail[path.len().max(1)..];
    }
    out
}

/// (file, path) for every `crate::` path in files under `src/<under>`.
fn paths_in(under: &str) -> Vec<(String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    let dir = root.join(under);
    if dir.is_dir() {
        rust_files(&dir, &mut files);
    } else {
        files.push(root.join(format!("{under}.rs")));
    }
    let mut found = Vec::new();
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap();
        let name = f.strip_prefix(&root).unwrap().display().to_string();
        for p in crate_paths(&text) {
            found.push((name.clone(), p));
        }
    }
    found
}

fn forbid(under: &str, banned: &[&str]) -> Vec<String> {
    paths_in(under)
        .into_iter()
        .filter(|(_, p)| {
            banned
                .iter()
                .any(|b| p == b || p.starts_with(&format!("{b}::")))
        })
        .map(|(f, p)| format!("src/{f}: crate::{p}"))
        .collect()
}

const PANES: &[&str] = &[
    "panes::glue",
    "panes::emr",
    "panes::dlq",
    "panes::alarms",
    "panes::insights",
    "panes::journal",
];

#[test]
fn config_is_the_bottom_layer() {
    let bad = forbid(
        "config",
        &["cloud", "app", "panes", "ui", "runtime", "gate", "headless"],
    );
    assert!(bad.is_empty(), "config reaches up:\n{}", bad.join("\n"));
}

#[test]
fn the_cloud_boundary_knows_no_screen() {
    let bad = forbid("cloud", &["app", "panes", "ui", "runtime", "headless"]);
    assert!(bad.is_empty(), "cloud reaches up:\n{}", bad.join("\n"));
}

#[test]
fn the_gate_knows_no_screen() {
    let bad = forbid("gate", &["app", "panes", "ui", "runtime", "headless"]);
    assert!(bad.is_empty(), "gate reaches up:\n{}", bad.join("\n"));
}

#[test]
fn panes_talk_to_the_cloud_only_through_messages() {
    let bad = forbid(
        "panes",
        &["cloud::aws", "cloud::demo", "runtime", "headless"],
    );
    assert!(
        bad.is_empty(),
        "a pane reaches a backend:\n{}",
        bad.join("\n")
    );
}

#[test]
fn the_frame_draws_panes_through_their_trait_only() {
    let mut banned: Vec<&str> = PANES.to_vec();
    banned.extend(["cloud::aws", "cloud::demo", "runtime"]);
    let bad = forbid("ui", &banned);
    assert!(bad.is_empty(), "ui imports a pane:\n{}", bad.join("\n"));
}

#[test]
fn widgets_and_components_stand_below_the_frame() {
    let frame = ["panes", "runtime", "ui::chrome", "ui::overlay", "ui::help"];
    let mut bad = forbid("ui/components", &frame);
    bad.extend(forbid("ui/widgets", &frame));
    bad.extend(forbid("ui/fit", &frame));
    assert!(
        bad.is_empty(),
        "a widget imports the frame:\n{}",
        bad.join("\n")
    );
}

#[test]
fn the_demo_speaks_like_the_service_not_like_the_screen() {
    // The gate words an error for people; a backend answers as AWS would.
    let bad = forbid("cloud", &["gate::concurrency_message"]);
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}

#[test]
fn the_runtime_keeps_every_pane_alike() {
    let bad = forbid("runtime", PANES);
    assert!(
        bad.is_empty(),
        "the runtime knows a pane:\n{}",
        bad.join("\n")
    );
}

#[test]
fn the_checker_sees_inline_paths() {
    let found = crate_paths("let x = crate::cloud::aws::AwsCloud::new(o); // crate::ui::x");
    assert_eq!(found, ["cloud::aws::AwsCloud::new", "ui::x"]);
}
