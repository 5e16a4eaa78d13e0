//! A progress line on stderr while a scan runs, shown only on a terminal and only for scans that
//! last longer than a moment.

use std::io::{IsTerminal, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use crate::run::Progress;

/// Delay before the progress line first appears.
const QUIET_START: Duration = Duration::from_millis(700);

/// Draws `progress` on stderr until `done` is set; call from a dedicated thread.
pub fn draw_until(progress: &Progress, done: &AtomicBool) {
    if !std::io::stderr().is_terminal() {
        return;
    }
    let started = Instant::now();
    let mut drawn = false;
    while !done.load(Ordering::Relaxed) {
        std::thread::sleep(Duration::from_millis(100));
        if started.elapsed() < QUIET_START {
            continue;
        }
        let rows = progress.rows.load(Ordering::Relaxed);
        let total = progress.total.load(Ordering::Relaxed);
        let rate = rows as f64 / started.elapsed().as_secs_f64().max(1e-3);
        let line = if total > 0 {
            let fraction = (rows as f64 / total as f64).min(1.0);
            let filled = (fraction * 30.0) as usize;
            format!(
                "\r[{}{}] {:>5.1}%  {} / {} rows  {}/s ",
                "#".repeat(filled),
                "-".repeat(30 - filled),
                fraction * 100.0,
                human(rows as f64),
                human(total as f64),
                human(rate)
            )
        } else {
            format!("\r{} rows  {}/s ", human(rows as f64), human(rate))
        };
        let mut err = std::io::stderr().lock();
        let _ = err.write_all(line.as_bytes());
        let _ = err.flush();
        drawn = true;
    }
    if drawn {
        let _ = std::io::stderr().write_all(b"\r\x1b[2K");
    }
}

/// 1234567 -> "1.23M".
pub fn human(x: f64) -> String {
    let (v, unit) = if x >= 1e9 {
        (x / 1e9, "G")
    } else if x >= 1e6 {
        (x / 1e6, "M")
    } else if x >= 1e3 {
        (x / 1e3, "k")
    } else {
        return format!("{x:.0}");
    };
    format!("{v:.2}{unit}")
}
