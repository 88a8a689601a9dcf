//! pipedeck: a terminal console for on-call data-pipeline engineers on AWS.
//!
//! Data flows one way: terminal events, poll results and the clock become
//! [`app::Msg`]s; [`app::update`] changes [`app::State`] and returns
//! [`app::Effect`]s; the [`runtime`] runs them as tasks against the
//! [`cloud`] boundary; [`ui`] draws the state.

pub mod app;
pub mod cli;
pub mod cloud;
pub mod config;
pub mod export;
pub mod gate;
pub mod headless;
pub mod panes;
pub mod runtime;
pub mod startup;
pub mod ui;
