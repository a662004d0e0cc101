//! `topics`: the embedded catalogue of notification topics, optionally narrowed by globs.

use std::io::Write;

use anyhow::Result;
use globset::GlobMatcher;

use crate::catalog::topics::{self, Topic};
use crate::cli::{ListFormat, TopicsArgs};
use crate::leaf::exit::{Exit, Fail};
use crate::output::report::Report;

pub fn run(args: &TopicsArgs, out: &mut dyn Write, report: &mut Report<'_>) -> Result<Exit> {
    let matchers = args
        .globs
        .iter()
        .map(|g| {
            topics::matcher(g).map_err(|e| Fail::usage(format!("invalid topic glob '{g}': {e}")))
        })
        .collect::<Result<Vec<GlobMatcher>>>()?;
    // A glob that finds nothing is most likely a typo; say what is close, as `tail` does.
    for g in &args.globs {
        if let Some(close) = topics::suggestions(g, 3) {
            report.warn(&format!(
                "'{g}' matches no known topic (did you mean {}?)",
                close.join(", ")
            ));
        }
    }
    let selected: Vec<Topic> = topics::all()
        .filter(|t| matchers.is_empty() || matchers.iter().any(|m| m.is_match(t.name)))
        .collect();
    let mut text = String::new();
    match args.output {
        ListFormat::Text => {
            let width = selected.iter().map(|t| t.name.len()).max().unwrap_or(0);
            for t in &selected {
                if t.legacy {
                    text.push_str(&format!("{:width$}  legacy\n", t.name));
                } else {
                    text.push_str(t.name);
                    text.push('\n');
                }
            }
        }
        ListFormat::Json => {
            for t in &selected {
                let status = if t.legacy { "legacy" } else { "current" };
                text.push_str(&serde_json::json!({"topic": t.name, "status": status}).to_string());
                text.push('\n');
            }
        }
    }
    out.write_all(text.as_bytes())?;
    out.flush()?;
    Ok(Exit::Success)
}
