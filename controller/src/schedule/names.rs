//! Deterministic names: a run's job is `<schedule>-<scheduled time in Unix minutes>` (as
//! Kubernetes CronJob names its Jobs), so a restarted controller or a second replica that
//! decides the same run creates the same name and meets AlreadyExists instead of a second job.

use jiff::Timestamp;

/// Longest job name: a DNS label, so the name also fits a label value.
pub const MAX_JOB_NAME: usize = 63;

/// The job of the run scheduled at `scheduled`. A schedule name too long for 63 characters is
/// cut and given a hash of the whole name, so two long names sharing a prefix never collide.
pub fn job_name(schedule: &str, scheduled: Timestamp) -> String {
    let minutes = scheduled.as_second().div_euclid(60).to_string();
    let room = MAX_JOB_NAME - 1 - minutes.len();
    format!("{}-{minutes}", shortened(schedule, room))
}

/// The `profiler.dev/schedule` label value of a schedule's jobs: its name, shortened to 63
/// characters like a job name.
pub fn schedule_label(schedule: &str) -> String {
    shortened(schedule, MAX_JOB_NAME)
}

/// `name` when it fits `room` characters; else its start and an 8-digit hash of all of it,
/// without a trailing `-` or `.` before the hash.
fn shortened(name: &str, room: usize) -> String {
    if name.len() <= room {
        return name.to_owned();
    }
    let head: String = name.chars().take(room - 9).collect();
    format!("{}-{:08x}", head.trim_end_matches(['-', '.']), fnv1a(name))
}

/// FNV-1a, 32 bits: stable across releases (unlike std's hasher).
fn fnv1a(text: &str) -> u32 {
    text.bytes().fold(0x811c_9dc5, |h, b| (h ^ u32::from(b)).wrapping_mul(0x0100_0193))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_carry_the_scheduled_minute_and_fit_63_characters() {
        let t: Timestamp = "2026-01-01T01:00:00Z".parse().unwrap();
        assert_eq!(job_name("orders", t), "orders-29453820");
        let long = format!("{}-b.c", "a".repeat(60));
        let name = job_name(&long, t);
        assert_eq!(name.len(), 63, "{name}");
        assert!(name.ends_with("-29453820") && !name.contains("--"), "{name}");
        let other = job_name(&format!("{}-b.d", "a".repeat(60)), t);
        assert_ne!(name, other, "same prefix, different names");
        let rule = &profiler_crds::rules::OBJECT_NAME;
        assert!(rule.check(&name).is_ok() && rule.check(&other).is_ok());
        assert_eq!(schedule_label("orders"), "orders");
        assert_eq!(schedule_label(&long).len(), 63);
    }
}
