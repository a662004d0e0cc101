//! Micro-benchmarks (divan) of the per-notification path, one stage at a time: parse, filter
//! with 1 and 20 topic globs (and a field filter), and each printer. The frames are the
//! simulator's churn pool, the same mix `benches/pipeline.rs` streams through the binary.
//!
//! Run: `cargo bench --bench micro` (each figure is per pass over the 4096-frame pool; divan
//! also prints items per second).

use std::hint::black_box;

use cycle_notify::filter::Filter;
use cycle_notify::filter::FilterSpec;
use cycle_notify::notification::Notification;
use cycle_notify::output::{Format, Printer};
use cycle_notify::sim::{scenario, Rng, Step};
use divan::counter::{BytesCount, ItemsCount};
use divan::Bencher;

fn main() {
    divan::main();
}

/// The churn pool as frame texts (a fixed seed, so runs compare).
fn frames() -> Vec<String> {
    scenario::churn_pool(&mut Rng::new(6), "65f0c0ffee0000000000beef", 0)
        .into_iter()
        .filter_map(|s| match s {
            Step::Text(t) => Some(t.as_str().to_owned()),
            _ => None,
        })
        .collect()
}

fn bytes(frames: &[String]) -> usize {
    frames.iter().map(String::len).sum()
}

#[divan::bench]
fn parse(b: Bencher) {
    let frames = frames();
    b.counter(ItemsCount::new(frames.len()))
        .counter(BytesCount::new(bytes(&frames)))
        .bench_local(|| {
            for f in &frames {
                black_box(Notification::parse(black_box(f)).is_ok());
            }
        });
}

/// `container.*` and then 20 globs: the memo makes both a hash lookup per frame.
const ONE: &[&str] = &["container.*"];
const TWENTY: &[&str] = &[
    "container.instance.*",
    "container.state.*",
    "container.*.error",
    "image.*",
    "environment.*",
    "stack.*",
    "job.*",
    "pipeline.*",
    "infrastructure.server.*",
    "infrastructure.cluster.*",
    "virtual-machine.*",
    "dns.*",
    "sdn.*",
    "billing.*",
    "hub.*",
    "*.error",
    "*.deleted",
    "*.new",
    "ips_pool.*",
    "api_key.*",
];

fn filter_bench(b: Bencher, args: FilterSpec) {
    let frames = frames();
    let parsed: Vec<Notification> = frames
        .iter()
        .map(|f| Notification::parse(f).unwrap())
        .collect();
    let mut filter = Filter::new(&args).unwrap();
    b.counter(ItemsCount::new(parsed.len())).bench_local(|| {
        let mut hits = 0usize;
        for n in &parsed {
            hits += usize::from(filter.matches(black_box(n)));
        }
        black_box(hits)
    });
}

fn topics(globs: &[&str]) -> FilterSpec {
    FilterSpec {
        topics: globs.iter().map(|s| s.to_string()).collect(),
        ..FilterSpec::default()
    }
}

#[divan::bench]
fn filter_1_glob(b: Bencher) {
    filter_bench(b, topics(ONE));
}

#[divan::bench]
fn filter_20_globs(b: Bencher) {
    filter_bench(b, topics(TWENTY));
}

/// A field filter reads `context` for every frame whose topic passes.
#[divan::bench]
fn filter_glob_and_cluster(b: Bencher) {
    let mut args = topics(ONE);
    args.clusters = vec!["production".into()];
    filter_bench(b, args);
}

fn print_bench(b: Bencher, format: Format) {
    let frames = frames();
    let parsed: Vec<(&str, Notification)> = frames
        .iter()
        .map(|f| (f.as_str(), Notification::parse(f).unwrap()))
        .collect();
    let mut printer = Printer::new(format, false, false).unwrap();
    let mut out = Vec::with_capacity(1 << 22);
    b.counter(ItemsCount::new(parsed.len())).bench_local(|| {
        out.clear();
        for (text, n) in &parsed {
            printer.print(&mut out, text, n).unwrap();
        }
        black_box(out.len())
    });
}

#[divan::bench]
fn print_json(b: Bencher) {
    print_bench(b, Format::Json);
}

#[divan::bench]
fn print_raw(b: Bencher) {
    print_bench(b, Format::Raw);
}

#[divan::bench]
fn print_pretty(b: Bencher) {
    print_bench(b, Format::Pretty);
}

/// Parse, `--topic 'container.*'`, json: what `tail` does per frame after the socket.
#[divan::bench]
fn pipeline_json_topic(b: Bencher) {
    let frames = frames();
    let mut filter = Filter::new(&topics(ONE)).unwrap();
    let mut printer = Printer::new(Format::Json, false, false).unwrap();
    let mut out = Vec::with_capacity(1 << 22);
    b.counter(ItemsCount::new(frames.len())).bench_local(|| {
        out.clear();
        for f in &frames {
            let n = Notification::parse(f).unwrap();
            if filter.matches(&n) {
                printer.print(&mut out, f, &n).unwrap();
            }
        }
        black_box(out.len())
    });
}
