//! `topics`: the embedded catalogue of notification topics, optionally narrowed by globs.

use std::io::Write;

use anyhow::Result;
use globset::GlobMatcher;

use crate::catalog::topics::{self, Topic};
use crate::cli::TopicsArgs;
use crate::leaf::exit::{Exit, Fail};
use crate::output::report::Report;
use crate::output::TopicPrinter;

pub fn run(
    args: &TopicsArgs,
    out: &mut dyn Write,
    out_is_terminal: bool,
    report: &mut Report<'_>,
) -> Result<Exit> {
    let printer =
        TopicPrinter::new(args.output, out_is_terminal).map_err(|e| Fail::usage(e.to_string()))?;
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
    printer.print(out, &selected)?;
    Ok(Exit::Success)
}
