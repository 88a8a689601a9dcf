//! The binary's headless surface: flags, exit codes, config errors,
//! `snapshot` on the demo account, version, help and completions.

fn pipedeck(args: &[&str], dir: &std::path::Path) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_pipedeck"))
        .args(args)
        .env("XDG_CONFIG_HOME", dir.join("c"))
        .env("XDG_STATE_HOME", dir.join("s"))
        .output()
        .unwrap()
}

#[test]
fn version_help_and_completions() {
    let dir = tempfile::tempdir().unwrap();
    let v = pipedeck(&["--version"], dir.path());
    assert!(v.status.success());
    assert_eq!(
        String::from_utf8_lossy(&v.stdout).trim(),
        format!("pipedeck {}", env!("CARGO_PKG_VERSION"))
    );
    let h = String::from_utf8_lossy(&pipedeck(&["--help"], dir.path()).stdout).to_string();
    assert!(
        h.contains("Examples:") && h.contains("pipedeck --demo"),
        "{h}"
    );
    for (shell, marker) in [
        ("bash", "_pipedeck()"),
        ("zsh", "#compdef pipedeck"),
        ("fish", "complete -c pipedeck"),
    ] {
        let out = pipedeck(&["completions", shell], dir.path());
        assert!(out.status.success(), "{shell}");
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(text.contains(marker), "{shell}: {text}");
        assert!(text.contains("snapshot"), "{shell} completes subcommands");
    }
    // A broken config does not stand between a user and their completions.
    std::fs::create_dir_all(dir.path().join("c/pipedeck")).unwrap();
    std::fs::write(dir.path().join("c/pipedeck/config.toml"), "theme = [").unwrap();
    assert!(pipedeck(&["completions", "bash"], dir.path())
        .status
        .success());
    assert_eq!(
        pipedeck(&["--demo", "snapshot"], dir.path()).status.code(),
        Some(2)
    );
    let bad = pipedeck(&["completions", "cmd.exe"], dir.path());
    assert_eq!(bad.status.code(), Some(2));
}

#[test]
fn broken_config_exits_2_before_touching_the_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("bad.toml");
    std::fs::write(&cfg, "theme = \"dark\"\n[poll]\nglue_secs = \"soon\"\n").unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_pipedeck"))
        .args(["--demo", "--config"])
        .arg(&cfg)
        .env("XDG_CONFIG_HOME", dir.path().join("c"))
        .env("XDG_STATE_HOME", dir.path().join("s"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("bad.toml:3"), "{err}");
    assert!(err.contains("invalid type"), "{err}");
    assert!(out.stdout.is_empty(), "nothing drawn");
}

#[test]
fn broken_theme_and_user_keymap_name_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let theme = dir.path().join("mine.toml");
    std::fs::write(&theme, "name = \"mine\"\n[colors]\nfg = \"blurple\"\n").unwrap();
    let run = |args: &[&str], config_home: &std::path::Path| {
        std::process::Command::new(env!("CARGO_BIN_EXE_pipedeck"))
            .args(args)
            .env("XDG_CONFIG_HOME", config_home)
            .env("XDG_STATE_HOME", dir.path().join("s"))
            .output()
            .unwrap()
    };
    let out = run(
        &["--demo", "--theme", theme.to_str().unwrap()],
        &dir.path().join("c"),
    );
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("mine.toml:3") && err.contains("blurple"),
        "{err}"
    );

    let home = dir.path().join("c2");
    std::fs::create_dir_all(home.join("pipedeck")).unwrap();
    std::fs::write(
        home.join("pipedeck/keymap.toml"),
        "[normal]\nhelp = [\"F1\"]\nteleport = [\"t\"]\n",
    )
    .unwrap();
    let out = run(&["--demo", "snapshot"], &home);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("keymap.toml:3") && err.contains("teleport"),
        "{err}"
    );

    let out = run(&["--demo", "--theme", "nope"], &dir.path().join("c"));
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("theme 'nope'"));
}

#[test]
fn demo_snapshot_json_and_markdown() {
    let dir = tempfile::tempdir().unwrap();
    let run = |fmt: &str| {
        std::process::Command::new(env!("CARGO_BIN_EXE_pipedeck"))
            .args(["snapshot", "--demo", "--format", fmt])
            .env("XDG_CONFIG_HOME", dir.path().join("c"))
            .env("XDG_STATE_HOME", dir.path().join("s"))
            .output()
            .unwrap()
    };
    let out = run("json");
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["account"], "123456789012");
    assert_eq!(v["glue"]["error"], serde_json::Value::Null);
    let jobs = v["glue"]["jobs"].as_array().unwrap();
    let raw = jobs
        .iter()
        .find(|j| j["name"] == "raw-to-silver-transform")
        .unwrap();
    assert_eq!(raw["last_run"]["state"], "FAILED");
    assert!(raw["last_run"]["error_message"]
        .as_str()
        .unwrap()
        .contains("Empty file"));
    assert!(raw["last_run"]["started_at"]
        .as_str()
        .unwrap()
        .ends_with('Z'));
    // The demo's DLQs: deepest first, sources from RedrivePolicy, the
    // SNS-fed one from config, ages from CloudWatch.
    assert_eq!(v["dlq"]["error"], serde_json::Value::Null);
    let queues = v["dlq"]["queues"].as_array().unwrap();
    assert_eq!(queues[0]["name"], "pipeline-events-dlq");
    assert_eq!(queues[0]["visible"], 37);
    assert_eq!(queues[0]["sources"], serde_json::json!(["pipeline-events"]));
    assert_eq!(queues[0]["max_receive_count"], 3);
    assert_eq!(queues[0]["oldest_age_s"], 2400);
    assert_eq!(queues[0]["move_task"], serde_json::Value::Null);
    let fanout = queues
        .iter()
        .find(|q| q["name"] == "alerts-fanout-dlq")
        .unwrap();
    assert_eq!(fanout["sources"], serde_json::json!([]));
    assert_eq!(fanout["configured"], true);
    let empty = queues
        .iter()
        .find(|q| q["name"] == "file-arrival-dlq")
        .unwrap();
    assert_eq!(empty["visible"], 0);
    assert_eq!(empty["oldest_age_s"], serde_json::Value::Null);
    // Alarms: ALARM first (longest first), composites typed, metric math
    // without namespace, a disabled one visible.
    assert_eq!(v["alarms"]["error"], serde_json::Value::Null);
    let alarms = v["alarms"]["alarms"].as_array().unwrap();
    assert_eq!(v["alarms"]["in_alarm"], 4);
    assert_eq!(alarms[0]["name"], "pipeline-events-DLQ-not-empty");
    assert_eq!(alarms[0]["state"], "ALARM");
    assert_eq!(alarms[0]["namespace"], "AWS/SQS");
    assert_eq!(alarms[0]["threshold"], 0.0);
    assert!(alarms[0]["state_since"].as_str().unwrap().ends_with('Z'));
    let composite = alarms.iter().find(|a| a["type"] == "composite").unwrap();
    assert_eq!(composite["namespace"], serde_json::Value::Null);
    assert_eq!(composite["threshold"], serde_json::Value::Null);
    let math = alarms
        .iter()
        .find(|a| a["name"] == "orders-rows-anomaly")
        .unwrap();
    assert_eq!(math["type"], "metric");
    assert_eq!(math["metric"], serde_json::Value::Null);
    assert_eq!(math["state"], "INSUFFICIENT_DATA");
    let off = alarms
        .iter()
        .find(|a| a["name"] == "GlueJobDurationBreached-orders-bronze-to-silver")
        .unwrap();
    assert_eq!(off["actions_enabled"], false);
    let md = run("markdown");
    let md = String::from_utf8_lossy(&md.stdout);
    assert!(
        md.contains("**2 Glue jobs failing, 2 EMR clusters with failures, 4 alarms in ALARM, 43 messages in DLQs.**"),
        "{md}"
    );
    assert!(md.contains("2 of 8 jobs failing"), "{md}");
    assert!(md.contains("daily-pipeline-7f3a9c21"), "{md}");
    assert!(md.contains("log: `s3://my-logs/emr/"), "{md}");
    assert!(md.contains("raw-to-silver-transform"), "{md}");
    assert!(
        md.contains(
            "- **pipeline-events-dlq**: 37 message(s), oldest 40 min — from pipeline-events"
        ),
        "{md}"
    );
}
