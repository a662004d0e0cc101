//! The human format: local time, topic coloured by family, full id, `prev → state`, error,
//! and the context that matters.

use std::io::{self, Write};

use owo_colors::{OwoColorize, Style};

use crate::notification::Notification;

#[derive(Debug)]
pub struct Pretty {
    color: bool,
}

/// Topic families and their colours; anything else is plain.
const FAMILIES: &[(&str, Style)] = &[
    ("container.", Style::new().cyan()),
    ("image.", Style::new().blue()),
    ("environment.", Style::new().green()),
    ("stack.", Style::new().magenta()),
    ("job.", Style::new().yellow()),
    ("pipeline.", Style::new().yellow()),
    ("infrastructure.", Style::new().bright_blue()),
    ("virtual-machine.", Style::new().bright_cyan()),
    ("dns.", Style::new().bright_magenta()),
    ("sdn.", Style::new().bright_magenta()),
    ("billing.", Style::new().bright_green()),
    ("hub.", Style::new().bright_yellow()),
];

const BAD_STATES: &[&str] = &[
    "error",
    "failed",
    "deleted",
    "expired",
    "cancelled",
    "unhealthy",
];
const GOOD_STATES: &[&str] = &[
    "running",
    "live",
    "completed",
    "complete",
    "healthy",
    "ready",
];

impl Pretty {
    pub fn new(color: bool) -> Pretty {
        Pretty { color }
    }

    fn paint<'t>(&self, text: &'t str, style: Style) -> Painted<'t> {
        Painted {
            text,
            style: self.color.then_some(style),
        }
    }

    pub fn print(&mut self, out: &mut impl Write, n: &Notification) -> io::Result<()> {
        let topic: &str = &n.topic;
        let topic_style = if topic.ends_with(".error") {
            Style::new().red().bold()
        } else {
            FAMILIES
                .iter()
                .find(|(prefix, _)| topic.starts_with(prefix))
                .map_or(Style::new(), |(_, s)| *s)
        };
        write!(
            out,
            "{}  {:<42}",
            self.paint(&clock(), Style::new().dimmed()),
            self.paint(topic, topic_style)
        )?;
        let object = n.object();
        if let Some(id) = object.id.get() {
            write!(out, "  {id}")?;
        }
        if let Some(state) = object.state.get() {
            out.write_all(b"  ")?;
            if let Some(prev) = object.previous_state() {
                write!(out, "{} → ", self.paint(prev, Style::new().dimmed()))?;
            }
            write!(out, "{}", self.paint(state, state_style(state)))?;
        }
        let notes = n.annotations();
        for (label, value) in [("health", notes.health.get()), ("ready", notes.ready.get())] {
            if let Some(v) = value {
                write!(out, "  {label}={}", self.paint(v, state_style(v)))?;
            }
        }
        if let Some(err) = object.error_text() {
            let style = Style::new().red();
            write!(
                out,
                "  {}",
                self.paint(&format!("error: {}", err.replace('\n', " ")), style)
            )?;
        }
        let ctx = n.context();
        for (label, list) in [
            ("env", &ctx.environments),
            ("container", &ctx.containers),
            ("cluster", &ctx.clusters),
        ] {
            if list.0.is_empty() {
                continue;
            }
            // The context of an environment or container topic is often the object itself.
            if object
                .id
                .get()
                .is_some_and(|id| list.0.len() == 1 && list.contains(id))
            {
                continue;
            }
            write!(
                out,
                "  {}",
                self.paint(
                    &format!("{label}={}", list.0.join(",")),
                    Style::new().dimmed()
                )
            )?;
        }
        out.write_all(b"\n")
    }
}

impl Pretty {
    /// A connection record: the time, the topic in bold, and what happened.
    pub fn print_status(
        &mut self,
        out: &mut impl Write,
        topic: &str,
        summary: &str,
    ) -> io::Result<()> {
        writeln!(
            out,
            "{}  {:<42}  {}",
            self.paint(&clock(), Style::new().dimmed()),
            self.paint(topic, Style::new().bold()),
            summary
        )
    }
}

fn state_style(state: &str) -> Style {
    if BAD_STATES.contains(&state) {
        Style::new().red()
    } else if GOOD_STATES.contains(&state) {
        Style::new().green()
    } else {
        Style::new().yellow()
    }
}

struct Painted<'t> {
    text: &'t str,
    style: Option<Style>,
}

impl std::fmt::Display for Painted<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.style {
            Some(style) => {
                // Padding applies to the visible text, not to the escape codes around it.
                let padded = match f.width() {
                    Some(w) => format!("{:<w$}", self.text),
                    None => self.text.to_string(),
                };
                write!(f, "{}", padded.style(style))
            }
            None => f.pad(self.text),
        }
    }
}

/// Local wall-clock time with milliseconds; the notification carries no timestamp of its own.
fn clock() -> String {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    let secs = now.as_secs() as libc::time_t;
    // SAFETY: localtime_r writes only into the tm we pass; a zeroed tm is a valid value.
    let mut tm: libc::tm = unsafe { std::mem::zeroed() };
    let ok = unsafe { !libc::localtime_r(&secs, &mut tm).is_null() };
    let (h, m, s) = if ok {
        (tm.tm_hour as u64, tm.tm_min as u64, tm.tm_sec as u64)
    } else {
        let day = now.as_secs() % 86_400;
        (day / 3600, day / 60 % 60, day % 60)
    };
    format!("{h:02}:{m:02}:{s:02}.{:03}", now.subsec_millis())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(frame: &str, color: bool) -> String {
        let mut out = Vec::new();
        Pretty::new(color)
            .print(&mut out, &Notification::parse(frame).unwrap())
            .unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn shows_id_transition_error_and_context() {
        let l = line(
            r#"{"topic":"container.instance.state.changed","object":{"id":"65f0c0ffee0000000000abcd","state":"failed","previous_state":"running","error":"oom"},"context":{"environments":["e1"],"containers":["c1"],"clusters":["prod"]}}"#,
            false,
        );
        assert!(l.contains("container.instance.state.changed"), "{l}");
        assert!(l.contains("65f0c0ffee0000000000abcd"), "{l}");
        assert!(l.contains("running → failed"), "{l}");
        assert!(l.contains("error: oom"), "{l}");
        assert!(
            l.contains("env=e1") && l.contains("container=c1") && l.contains("cluster=prod"),
            "{l}"
        );
        assert!(!l.contains('\x1b'));
        assert!(l.ends_with('\n') && l.matches('\n').count() == 1);
    }

    #[test]
    fn colour_only_when_asked() {
        let l = line(r#"{"topic":"image.error","object":{"error":"x"}}"#, true);
        assert!(l.contains("\x1b[31"), "{l:?}");
    }
}
