//! When output is coloured: `--color auto|always|never`, NO_COLOR and CLICOLOR_FORCE.

/// `--color`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ColorWhen {
    #[default]
    Auto,
    Always,
    Never,
}

/// The `--color` values: name and help, for the command line, completions and man pages.
pub const COLOR_WHEN: &[(ColorWhen, &str, &str)] = &[
    (
        ColorWhen::Auto,
        "auto",
        "only on a terminal; never with NO_COLOR, always with CLICOLOR_FORCE",
    ),
    (ColorWhen::Always, "always", "even into a pipe or a file"),
    (ColorWhen::Never, "never", "no escape sequences at all"),
];

/// What the environment says about colour (read by the config layer, which owns env).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ColorEnv {
    /// NO_COLOR set and not empty (no-color.org).
    pub no_color: bool,
    /// CLICOLOR_FORCE set, not empty and not `0`.
    pub clicolor_force: bool,
}

impl ColorWhen {
    pub fn name(self) -> &'static str {
        COLOR_WHEN
            .iter()
            .find(|(w, _, _)| *w == self)
            .map(|(_, n, _)| *n)
            .expect("every ColorWhen has a row in COLOR_WHEN")
    }

    /// Colour is on for `always`, off for `never`; for `auto`, off with NO_COLOR, on with
    /// CLICOLOR_FORCE, and otherwise only on a terminal.
    pub fn decide(self, env: ColorEnv, is_terminal: bool) -> bool {
        match self {
            ColorWhen::Always => true,
            ColorWhen::Never => false,
            ColorWhen::Auto if env.no_color => false,
            ColorWhen::Auto => env.clicolor_force || is_terminal,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colour_rules() {
        let plain = ColorEnv::default();
        let no_color = ColorEnv {
            no_color: true,
            ..plain
        };
        let forced = ColorEnv {
            clicolor_force: true,
            ..plain
        };
        assert!(ColorWhen::Auto.decide(plain, true));
        assert!(!ColorWhen::Auto.decide(plain, false));
        assert!(!ColorWhen::Auto.decide(no_color, true));
        assert!(ColorWhen::Auto.decide(forced, false));
        assert!(ColorWhen::Always.decide(no_color, false));
        assert!(!ColorWhen::Never.decide(forced, true));
        for (w, name, _) in COLOR_WHEN {
            assert_eq!(w.name(), *name);
        }
    }
}
