//! One module per subcommand; each takes resolved settings and the run's writers.

pub mod tail;

use std::net::SocketAddr;
use std::sync::Arc;

use anyhow::{Context, Result};

use crate::api::Api;
use crate::report::Report;
use crate::settings::{Credentials, Secret, Settings};
use crate::sim::{self, Hub, HubConfig, Script};

/// The API a network command talks to: the configured hub, or with `--demo` a simulated
/// hub started in this process (kept alive by the returned handle).
pub async fn api_for(
    settings: &Settings,
    demo: bool,
    report: &mut Report<'_>,
) -> Result<(Api, Option<Hub>)> {
    if !demo {
        return Ok((Api::new(settings.credentials()?)?, None));
    }
    let hub_id = sim::Rng::from_time().hex(24);
    let id = hub_id.clone();
    let script = Script::Endless(Arc::new(move |rng: &mut sim::Rng, round| {
        sim::scenario::demo_round(rng, &id, round, 1.0)
    }));
    let hub = Hub::start(
        HubConfig::new("demo-key", &hub_id, script),
        SocketAddr::from(([127, 0, 0, 1], 0)),
    )
    .await
    .context("cannot start the demo hub")?;
    report.info(&format!(
        "demo: simulated hub {hub_id} on {} (no account needed; Ctrl-C to stop)",
        hub.base_url()
    ));
    let creds = Credentials {
        api_key: Secret::new("demo-key"),
        hub_id,
        base_url: url::Url::parse(&hub.base_url())?,
    };
    Ok((Api::new(creds)?, Some(hub)))
}
