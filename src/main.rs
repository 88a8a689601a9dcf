use clap::Parser;
use crossterm::event::EventStream;
use pipedeck::cli::{Cli, Cmd, Format};
use pipedeck::config::Paths;
use pipedeck::gate::Journal;
use pipedeck::runtime::{self, terminal::TerminalGuard, LoopEnv};
use pipedeck::{headless, startup};
use std::process::ExitCode;

fn main() -> ExitCode {
    let (conn_args, command) = match Cli::parse().resolve() {
        Ok(c) => c,
        Err(e) => e.exit(),
    };
    if let Cmd::Completions { shell } = command {
        use clap::CommandFactory;
        clap_complete::generate(
            shell,
            &mut Cli::command(),
            "pipedeck",
            &mut std::io::stdout(),
        );
        return ExitCode::SUCCESS;
    }
    let paths = Paths::discover();
    // Every file is validated before the terminal is touched.
    let loaded = match startup::load_config(&paths, &conn_args) {
        Ok(l) => l,
        Err(e) => {
            eprintln!("pipedeck: {e}");
            return ExitCode::from(2);
        }
    };
    let _log = startup::init_logging(&paths);
    let rt = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("pipedeck: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    rt.block_on(async move {
        let (cloud, conn, region_source) =
            startup::cloud(&conn_args, &loaded.config, Some(paths.state_dir.clone())).await;
        match command {
            Cmd::Snapshot { format, .. } => {
                let athena = headless::AthenaScope {
                    workgroups: loaded.config.athena.workgroups.clone(),
                    pricing: pipedeck::cloud::athena::Pricing {
                        usd_per_tb: loaded.config.athena.usd_per_tb,
                    },
                };
                let snap = headless::collect(
                    &*cloud,
                    conn,
                    &loaded.config.dlq.queues,
                    &athena,
                    loaded.config.audit.stuck_after(),
                )
                .await;
                let text = match format {
                    Format::Json => headless::render_json(&snap),
                    Format::Markdown => headless::render_markdown(&snap),
                };
                if let Err(e) = headless::print_out(&text) {
                    eprintln!("pipedeck snapshot: cannot write: {e}");
                    return ExitCode::FAILURE;
                }
                if snap.all_failed() {
                    ExitCode::FAILURE
                } else {
                    ExitCode::SUCCESS
                }
            }
            Cmd::Completions { .. } => ExitCode::SUCCESS, // handled above
            Cmd::Insights {
                groups,
                since,
                start,
                end,
                format,
                query,
                ..
            } => {
                use headless::insights::{self, Ended, Window};
                let window = Window {
                    since: since.as_deref(),
                    start: start.as_deref(),
                    end: end.as_deref(),
                };
                let (start, end) = match insights::window(window, chrono::Utc::now()) {
                    Ok(w) => w,
                    Err(e) => {
                        eprintln!("pipedeck insights: {e}");
                        return ExitCode::from(2);
                    }
                };
                let q = pipedeck::cloud::InsightsQuery {
                    groups,
                    start,
                    end,
                    query,
                    // `pipedeck insights` takes Logs Insights QL.
                    language: Default::default(),
                };
                let interrupt = async {
                    let _ = tokio::signal::ctrl_c().await;
                };
                match insights::run(&*cloud, &q, insights::Polling::default(), interrupt).await {
                    Ended::Done(r, elapsed) => {
                        let rows = r.table().render(format.into());
                        if let Err(e) = headless::print_out(&rows) {
                            eprintln!("pipedeck insights: cannot write the rows: {e}");
                            return ExitCode::FAILURE;
                        }
                        eprintln!(
                            "{}",
                            insights::stats_line(&r, elapsed, loaded.config.insights.cost_per_gb)
                        );
                        match insights::failure(&r.status) {
                            None => ExitCode::SUCCESS,
                            Some(why) => {
                                eprintln!("pipedeck insights: {why}");
                                ExitCode::FAILURE
                            }
                        }
                    }
                    Ended::Stopped { query_id } => {
                        eprintln!("pipedeck insights: interrupted; query {query_id} stopped");
                        ExitCode::from(130)
                    }
                    Ended::Error(e) => {
                        eprintln!("pipedeck insights: {e}");
                        ExitCode::FAILURE
                    }
                }
            }
            Cmd::Athena {
                workgroup,
                catalog,
                database,
                output_location,
                format,
                query,
                ..
            } => {
                use headless::athena::{self, Ended};
                let athena_config = &loaded.config.athena;
                let q = pipedeck::cloud::athena::AthenaQuery {
                    sql: query,
                    workgroup,
                    catalog: catalog.or_else(|| Some(athena_config.catalog.clone())),
                    database: database.or_else(|| athena_config.database.clone()),
                    reuse_minutes: (athena_config.reuse_max_age_minutes > 0)
                        .then_some(athena_config.reuse_max_age_minutes),
                    output_location: output_location
                        .or_else(|| athena_config.output_location.clone()),
                };
                let pricing = pipedeck::cloud::athena::Pricing {
                    usd_per_tb: athena_config.usd_per_tb,
                };
                let interrupt = async {
                    let _ = tokio::signal::ctrl_c().await;
                };
                match athena::run(&*cloud, &q, interrupt).await {
                    Ended::Done {
                        execution,
                        rows,
                        source,
                    } => {
                        let mut count = None;
                        if let Some(rows) = rows {
                            match rows {
                                Ok(table) => {
                                    count = Some(table.rows.len());
                                    if let Err(e) =
                                        headless::print_out(&table.render(format.into()))
                                    {
                                        eprintln!("pipedeck athena: cannot write the rows: {e}");
                                        return ExitCode::FAILURE;
                                    }
                                }
                                Err(e) => {
                                    eprintln!("pipedeck athena: the rows could not be read: {e}");
                                    return ExitCode::FAILURE;
                                }
                            }
                        }
                        eprintln!(
                            "{}",
                            athena::stats_line(&execution, count, pricing, source.as_deref())
                        );
                        match athena::failure(&execution) {
                            None => ExitCode::SUCCESS,
                            Some(why) => {
                                eprintln!("pipedeck athena: {why}");
                                ExitCode::FAILURE
                            }
                        }
                    }
                    Ended::Stopped { id } => {
                        eprintln!("pipedeck athena: interrupted; query {id} stopped");
                        ExitCode::from(130)
                    }
                    Ended::Error(e) => {
                        eprintln!("pipedeck athena: {e}");
                        ExitCode::FAILURE
                    }
                }
            }
            Cmd::Info { .. } => {
                let text = headless::info(&paths, &loaded, &conn, &region_source, &*cloud).await;
                print!("{text}");
                ExitCode::SUCCESS
            }
            Cmd::Tui { .. } => {
                let mut state = startup::state(conn, &loaded, &paths);
                let journal = Journal::at(paths.journal_file.clone());
                let (history, unreadable) = journal.recent(500);
                state.panes.journal.load_history(history, unreadable);
                startup::restore_panes(&mut state, &paths.state_dir, chrono::Utc::now());
                let env = LoopEnv {
                    cloud,
                    journal,
                    poll: loaded.config.poll.clone(),
                    theme: loaded.theme.clone(),
                    tz: startup::time_zone(&loaded.config),
                    on_frame: None,
                    stop: Some(stop_signals()),
                    terminal_clipboard: true,
                    system_clipboard: loaded.config.display.system_clipboard,
                    state_dir: Some(paths.state_dir.clone()),
                };
                let result = match TerminalGuard::enter() {
                    Ok((mut terminal, _guard)) => {
                        runtime::run_loop(&mut terminal, EventStream::new(), &mut state, env).await
                    }
                    Err(e) => Err(e.into()),
                };
                match result {
                    Ok(()) => ExitCode::SUCCESS,
                    Err(e) => {
                        eprintln!("pipedeck: {e}");
                        ExitCode::FAILURE
                    }
                }
            }
        }
    })
}

/// SIGTERM and SIGHUP end the loop normally, so the terminal is restored.
fn stop_signals() -> tokio::sync::mpsc::UnboundedReceiver<()> {
    let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        for kind in [SignalKind::terminate(), SignalKind::hangup()] {
            if let Ok(mut s) = signal(kind) {
                let tx = tx.clone();
                tokio::spawn(async move {
                    if s.recv().await.is_some() {
                        let _ = tx.send(());
                    }
                });
            }
        }
    }
    rx
}
