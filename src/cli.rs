//! Command-line flags and subcommands.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

const EXAMPLES: &str = "\
Examples:
  pipedeck --demo                       the console on a simulated account (no AWS needed)
  pipedeck --profile prod --region eu-west-1
  pipedeck --read-only                  look, never act
  pipedeck snapshot --demo              what is failing, as JSON
  pipedeck snapshot --format markdown   an incident note for the channel
  pipedeck insights --group /aws-glue/jobs/error --since 1h 'fields @timestamp, @message | limit 20'
  pipedeck info                         versions, paths, identity
  pipedeck completions zsh              shell completions";

#[derive(Debug, Parser)]
#[command(name = "pipedeck", version, about = "A terminal console for on-call data-pipeline engineers on AWS", after_help = EXAMPLES)]
pub struct Cli {
    #[command(flatten)]
    pub conn: ConnArgs,
    #[command(subcommand)]
    pub command: Option<Cmd>,
}

#[derive(Debug, Clone, Args)]
pub struct ConnArgs {
    /// Use the built-in demo account instead of AWS.
    #[arg(long, global = true)]
    pub demo: bool,
    /// AWS profile (default: AWS_PROFILE, then "default").
    #[arg(long, global = true)]
    pub profile: Option<String>,
    /// AWS region (default: AWS_REGION, then the profile's region).
    #[arg(long, global = true)]
    pub region: Option<String>,
    /// Send every AWS call to this endpoint (e.g. a local emulator).
    #[arg(long, global = true, value_name = "URL")]
    pub endpoint_url: Option<String>,
    /// Refuse every mutating action.
    #[arg(long, global = true)]
    pub read_only: bool,
    /// Theme preset (dark, light, high-contrast), name in <config>/themes, or a file.
    #[arg(long, global = true)]
    pub theme: Option<String>,
    /// Keymap preset (default, arrows) or a file.
    #[arg(long, global = true)]
    pub keymap: Option<String>,
    /// Config file (default: <config dir>/config.toml).
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum Cmd {
    /// The interactive console (the default).
    Tui,
    /// Poll every pane once, print, exit.
    Snapshot {
        #[arg(long, value_enum, default_value_t = Format::Json)]
        format: Format,
    },
    /// Run one Logs Insights query and print its rows (statistics on stderr).
    #[command(
        after_help = "Examples:\n  pipedeck insights --group /aws-glue/jobs/error --since 1h 'fields @timestamp, @message | sort @timestamp desc | limit 50'\n  pipedeck insights --group /aws/lambda/a --group /aws/lambda/b --start 2026-11-27T02:00:00Z --end 2026-11-27T03:00:00Z --format csv 'stats count(*) by bin(5m)'\n\nExit status: 0 Complete; 1 rejected, Failed, Cancelled, Timeout or Unknown; 2 bad arguments; 130 interrupted (the query is stopped first)."
    )]
    Insights {
        /// Log group to search (repeat for several, up to 50).
        #[arg(long = "group", value_name = "NAME", required = true)]
        groups: Vec<String>,
        /// How far back from now: 90s, 15m, 1h, 7d.
        #[arg(long, value_name = "DURATION")]
        since: Option<String>,
        /// Window start: RFC 3339 or epoch seconds (with --end).
        #[arg(long, value_name = "TIME")]
        start: Option<String>,
        /// Window end: RFC 3339 or epoch seconds (with --start).
        #[arg(long, value_name = "TIME")]
        end: Option<String>,
        #[arg(long, value_enum, default_value_t = RowFormat::Json)]
        format: RowFormat,
        /// The Logs Insights query.
        query: String,
    },
    /// Print version, paths, connection and caller identity.
    Info,
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    #[command(
        after_help = "Examples:\n  pipedeck completions bash > ~/.local/share/bash-completion/completions/pipedeck\n  pipedeck completions zsh > \"${fpath[1]}/_pipedeck\"\n  pipedeck completions fish > ~/.config/fish/completions/pipedeck.fish"
    )]
    Completions { shell: clap_complete::Shell },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RowFormat {
    Json,
    Csv,
    Markdown,
}

impl From<RowFormat> for crate::export::Format {
    fn from(f: RowFormat) -> Self {
        match f {
            RowFormat::Json => Self::Json,
            RowFormat::Csv => Self::Csv,
            RowFormat::Markdown => Self::Markdown,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Json,
    Markdown,
}
