//! Environment variables: `VARS`, the one table of every variable the program reads (the man
//! page's ENVIRONMENT section is generated from it), and access to them behind a trait so
//! tests pass a map. Code reads a variable only through a row of the table (`Env::get`): a
//! `Name` cannot be made outside this module, so a variable nobody documented cannot be read.

/// One row of the table: the names a setting is read under and what it does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Var {
    names: &'static [&'static str],
    about: &'static str,
}

impl Var {
    /// The names, in the order they are looked up: the first one set wins (lowercase before
    /// uppercase for the proxy variables, as curl and wget do).
    pub fn names(&self) -> &'static [&'static str] {
        self.names
    }

    /// One sentence for the man page.
    pub fn about(&self) -> &'static str {
        self.about
    }
}

/// Defines each row as a constant and `VARS` as all of them, so no row is left out of it.
macro_rules! table {
    ($($(#[$doc:meta])* $id:ident = [$($name:literal),+], $about:literal;)+) => {
        $($(#[$doc])* pub const $id: Var = Var { names: &[$($name),+], about: $about };)+
        /// Every variable the program (or a library it configures) reads, in man-page order.
        pub const VARS: &[Var] = &[$($id),+];
    };
}

table! {
    CYCLE_API_KEY = ["CYCLE_API_KEY"], "API key, as --api-key.";
    CYCLE_HUB_ID = ["CYCLE_HUB_ID"], "Hub id, as --hub.";
    CYCLE_BASE_URL = ["CYCLE_BASE_URL"],
        "API base URL, as --base-url (default https://api.cycle.io).";
    CYCLE_PROFILE = ["CYCLE_PROFILE"], "Profile of the config file, as --profile.";
    CYCLE_NOTIFY_CONFIG = ["CYCLE_NOTIFY_CONFIG"],
        "Config file to read instead of the default one, as --config.";
    CYCLE_NOTIFY_FORWARD_SECRET = ["CYCLE_NOTIFY_FORWARD_SECRET"],
        "Signing secret (whsec_...) for tail --forward-to, as --forward-secret.";
    NATS_URL = ["NATS_URL"],
        "NATS servers for tail --publish when it is given no URL (as the nats CLI reads it).";
    NATS_CREDS = ["NATS_CREDS"], "NATS credentials file, as --nats-creds.";
    CYCLE_API_TOKEN = ["CYCLE_API_TOKEN"],
        "The container's internal API token (Cycle sets it in every container), sent as x-cycle-token by --internal.";
    CYCLE_INTERNAL_SOCKET = ["CYCLE_INTERNAL_SOCKET"],
        "The internal API's unix socket for --internal, as --internal-socket (default /var/run/cycle/api/api.sock).";
    NO_COLOR = ["NO_COLOR"], "When set and not empty, --color auto never colours.";
    CLICOLOR_FORCE = ["CLICOLOR_FORCE"],
        "When set and not 0, --color auto colours even when stdout is not a terminal.";
    /// Read by jiff's system time zone lookup, not through `Env`.
    TZ = ["TZ"],
        "Time zone of the times in pretty output (a name such as Europe/Berlin, a zoneinfo path or a POSIX rule); without it, /etc/localtime.";
    HTTPS_PROXY = ["https_proxy", "HTTPS_PROXY"],
        "Proxy for https:// and wss:// URLs (the token call, state reads and the socket): http://host:port (CONNECT), socks5h://host:port or socks5://host:port (SOCKS5; socks5 resolves the hub's name here), with optional user:password@; any other value is a usage error. The lowercase name wins.";
    HTTP_PROXY = ["http_proxy", "HTTP_PROXY"],
        "Proxy for http:// and ws:// URLs (loopback hosts, the only ones plain http may reach, never use a proxy).";
    ALL_PROXY = ["all_proxy", "ALL_PROXY"],
        "Proxy for both kinds of URL (the token call and the socket alike) when the variable for that kind is unset; the same forms as HTTPS_PROXY.";
    NO_PROXY = ["no_proxy", "NO_PROXY"],
        "Hosts that bypass the proxy, separated by commas or spaces: domains (with their subdomains; .example.com and *.example.com alike; a :port is ignored), IP addresses, CIDR ranges, or * for all.";
    /// Read by the trust-store loader (rustls-native-certs) from the process environment;
    /// hub::tls reads it too, to name it when it cannot be read.
    SSL_CERT_FILE = ["SSL_CERT_FILE"],
        "A PEM bundle of CA certificates to trust instead of the operating system's store; one that cannot be read is an error (exit 2).";
    /// As SSL_CERT_FILE.
    SSL_CERT_DIR = ["SSL_CERT_DIR"],
        "Directories of CA certificates to trust instead of the operating system's store; one that cannot be read is an error (exit 2).";
    /// Read by `dirs::config_dir`, not through `Env`.
    XDG_CONFIG_HOME = ["XDG_CONFIG_HOME"],
        "On Linux, the directory holding cycle-notify/config.toml (default ~/.config).";
}

/// The name of a variable to look up: only a row of `VARS` hands one out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Name(&'static str);

impl Name {
    pub fn as_str(self) -> &'static str {
        self.0
    }
}

/// Reads environment variables; the real one is `std::env`, tests pass a map. An empty value
/// counts as unset.
pub trait Env {
    /// The value under one name, as the platform has it. Callers use `get`.
    fn lookup(&self, name: Name) -> Option<String>;

    /// The value of a row: the first of its names that is set and not empty.
    fn get(&self, var: &Var) -> Option<String> {
        self.get_named(var).map(|(_, value)| value)
    }

    /// Like `get`, with the name it was found under (for messages and `config show`).
    fn get_named(&self, var: &Var) -> Option<(&'static str, String)> {
        var.names.iter().find_map(|&name| {
            self.lookup(Name(name))
                .filter(|v| !v.is_empty())
                .map(|v| (name, v))
        })
    }
}

pub struct ProcessEnv;

impl Env for ProcessEnv {
    fn lookup(&self, name: Name) -> Option<String> {
        std::env::var(name.0).ok()
    }
}

impl<F: Fn(&str) -> Option<String>> Env for F {
    fn lookup(&self, name: Name) -> Option<String> {
        self(name.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_have_distinct_names_and_one_sentence() {
        let mut names: Vec<&str> = VARS.iter().flat_map(|v| v.names()).copied().collect();
        let count = names.len();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), count, "a name in two rows");
        for v in VARS {
            assert!(
                v.about().ends_with('.') && !v.about().contains('\n'),
                "{v:?}"
            );
        }
    }

    #[test]
    fn first_name_set_wins_and_empty_is_unset() {
        let env = |n: &str| match n {
            "https_proxy" => Some(String::new()),
            "HTTPS_PROXY" => Some("http://upper:1".to_string()),
            "all_proxy" => Some("http://lower:2".to_string()),
            "ALL_PROXY" => Some("http://upper:2".to_string()),
            _ => None,
        };
        assert_eq!(
            env.get_named(&HTTPS_PROXY),
            Some(("HTTPS_PROXY", "http://upper:1".to_string()))
        );
        assert_eq!(env.get(&ALL_PROXY).as_deref(), Some("http://lower:2"));
        assert_eq!(env.get(&NO_PROXY), None);
    }
}
