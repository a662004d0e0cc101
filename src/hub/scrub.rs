//! The scrubber: credentials taken out of anything a server says before it can reach a
//! terminal or a log. A hostile or careless API may echo the request (its `Authorization`
//! header, the socket path with `?token=`) in an error title; what the hub layer reports
//! carries `(redacted)` instead. The terminal sanitiser (output/sanitize.rs) runs after this.

/// What replaces a credential.
pub const REDACTED: &str = "(redacted)";

/// Secrets shorter than this are not searched for: replacing every `k` of a text would
/// mangle it, and a real key or token is far longer.
const MIN_SECRET: usize = 6;

/// Markers after which the next word is a credential, whatever it is (matched without
/// regard to case). `authorization:` may be followed by a scheme, which is kept.
const MARKERS: &[&str] = &[
    "authorization:",
    "authorization=",
    "proxy-authorization:",
    "x-cycle-token:",
    "bearer ",
    "token=",
    "api_key=",
    "apikey=",
    "api-key:",
];

const SCHEMES: &[&str] = &["bearer", "basic", "token", "digest"];

/// `text` with every occurrence of `secrets`, every credential after a marker and every
/// `user:password@` of a URL replaced.
pub fn scrub(text: &str, secrets: &[&str]) -> String {
    let mut out = text.to_string();
    for secret in secrets {
        if secret.len() >= MIN_SECRET && out.contains(secret) {
            out = out.replace(secret, REDACTED);
        }
    }
    redact_userinfo(&redact_after_markers(&out))
}

/// `scheme://user:pw@host` → `scheme://(redacted)@host`.
fn redact_userinfo(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("://") {
        let start = at + 3;
        out.push_str(&rest[..start]);
        let authority_end = rest[start..]
            .find(|c: char| c == '/' || c == '?' || c == '#' || is_delimiter(c))
            .map_or(rest.len(), |n| start + n);
        let authority = &rest[start..authority_end];
        match authority.rfind('@') {
            Some(user_end) if authority[..user_end] != *REDACTED => {
                out.push_str(REDACTED);
                out.push_str(&authority[user_end..]);
            }
            _ => out.push_str(authority),
        }
        rest = &rest[authority_end..];
    }
    out.push_str(rest);
    out
}

fn is_delimiter(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '"' | '\'' | '&' | ',' | ';' | ')' | '(' | '<' | '>' | '}' | '{' | '[' | ']'
        )
}

fn redact_after_markers(text: &str) -> String {
    let lower = text.to_ascii_lowercase();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < text.len() {
        let Some((at, marker)) = MARKERS
            .iter()
            .filter_map(|m| lower[i..].find(m).map(|p| (i + p, *m)))
            .min_by_key(|(p, m)| (*p, usize::MAX - m.len()))
        else {
            break;
        };
        let mut j = at + marker.len();
        out.push_str(&text[i..j]);
        // Spaces, then (after `authorization:`) a scheme name, then the credential.
        let skip_spaces = |j: usize| j + text[j..].len() - text[j..].trim_start().len();
        j = skip_spaces(j);
        out.push_str(&text[at + marker.len()..j]);
        let word_end = |j: usize| text[j..].find(is_delimiter).map_or(text.len(), |n| j + n);
        let end = word_end(j);
        if marker.starts_with("authorization")
            && SCHEMES.contains(&lower[j..end].as_ref())
            && text[end..].starts_with(' ')
        {
            let after = skip_spaces(end);
            out.push_str(&text[j..after]);
            j = after;
        }
        let end = word_end(j);
        if end > j && &text[j..end] != REDACTED {
            out.push_str(REDACTED);
        } else {
            out.push_str(&text[j..end]);
        }
        i = end;
    }
    out.push_str(&text[i.min(text.len())..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_secrets_and_credentials_after_markers_are_redacted() {
        let key = "k3y-0123456789abcdef";
        let token = "tok_ABCDEF123456";
        let cases = [
            (
                format!("Invalid key: Authorization: Bearer {key}"),
                "Invalid key: Authorization: Bearer (redacted)",
            ),
            (
                format!(
                    "bad request GET /v1/hubs/current/notifications?token={token}&x=1 HTTP/1.1"
                ),
                "bad request GET /v1/hubs/current/notifications?token=(redacted)&x=1 HTTP/1.1",
            ),
            (
                format!("the key {key} is revoked"),
                "the key (redacted) is revoked",
            ),
            (
                "authorization: basic dXNlcjpwYXNz\r\nhost: x".to_string(),
                "authorization: basic (redacted)\r\nhost: x",
            ),
            (
                "{\"authorization\":\"Bearer abc.def\"}".to_string(),
                "{\"authorization\":\"Bearer (redacted)\"}",
            ),
            (
                "x-cycle-token: s3cr3t".to_string(),
                "x-cycle-token: (redacted)",
            ),
            (
                "Authorization: opaque-value".to_string(),
                "Authorization: (redacted)",
            ),
            (
                "Invalid token: a token was refused".to_string(),
                "Invalid token: a token was refused",
            ),
            (
                "ends with a marker: Bearer ".to_string(),
                "ends with a marker: Bearer ",
            ),
        ];
        for (input, want) in cases {
            assert_eq!(scrub(&input, &[key, token]), want, "{input:?}");
        }
        assert_eq!(
            scrub(
                "error sending request for url (https://me:pw@api.example/v1/x)",
                &[]
            ),
            "error sending request for url (https://(redacted)@api.example/v1/x)"
        );
        assert_eq!(
            scrub("see https://api.example/a@b", &[]),
            "see https://api.example/a@b"
        );
        // Short secrets are not hunted for; unicode around the markers is kept whole.
        assert_eq!(scrub("a k b", &["k"]), "a k b");
        assert_eq!(scrub("é token=ü€ ok", &[]), "é token=(redacted) ok");
        // Idempotent.
        let once = scrub(&format!("Bearer {key}"), &[key]);
        assert_eq!(scrub(&once, &[key]), once);
    }
}
