//! The alerts of a profile as reports show them: badges (counts by kind) and one line per alert
//! (column, kind, figure, threshold, what).

use profiler_crds::{Alert, AlertKind};

use super::short_number;

/// The figure of `alert` in the unit of its kind (a percentage for fractions).
pub fn figure(alert: &Alert) -> String {
    value(alert.kind, alert.figure)
}

/// The threshold of `alert`, with how the figure compares to it (e.g. "> 50%", "≥ 16").
pub fn threshold(alert: &Alert) -> String {
    let op = match alert.kind {
        AlertKind::AllNull => "=",
        AlertKind::Constant => "≤",
        AlertKind::Unique => "bounds ∋",
        AlertKind::Skewed => "|x| >",
        AlertKind::TruncatedBounds => "≥",
        AlertKind::Sampled => "<",
        _ => ">",
    };
    format!("{op} {}", value(alert.kind, alert.threshold))
}

/// What the alert says, without the column name its message starts with.
pub fn detail(alert: &Alert) -> &str {
    match &alert.column {
        Some(column) => {
            alert.message.strip_prefix(column.as_str()).and_then(|m| m.strip_prefix(": ")).unwrap_or(&alert.message)
        }
        None => &alert.message,
    }
}

fn value(kind: AlertKind, x: f64) -> String {
    match kind {
        AlertKind::AllNull
        | AlertKind::MostlyNull
        | AlertKind::Zeros
        | AlertKind::Infinite
        | AlertKind::EmptyStrings
        | AlertKind::MixedTypes
        | AlertKind::Sampled => {
            let p = x * 100.0;
            if p != 0.0 && p.abs() < 1.0 {
                format!("{p:.2}%")
            } else {
                format!("{}%", short_number((p * 10.0).round() / 10.0))
            }
        }
        AlertKind::Imbalanced | AlertKind::Skewed => format!("{x:.2}"),
        AlertKind::Constant | AlertKind::Unique | AlertKind::HighCardinality | AlertKind::TruncatedBounds => {
            short_number(x.round())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn alert(kind: AlertKind, figure: f64, threshold: f64) -> Alert {
        Alert { kind, column: Some("c".into()), figure, threshold, message: "c: what it is".into() }
    }

    #[test]
    fn figures_in_their_units() {
        let a = alert(AlertKind::MostlyNull, 0.625, 0.5);
        assert_eq!((figure(&a), threshold(&a)), ("62.5%".to_owned(), "> 50%".to_owned()));
        let a = alert(AlertKind::Infinite, 0.001, 0.0);
        assert_eq!((figure(&a), threshold(&a)), ("0.10%".to_owned(), "> 0%".to_owned()));
        let a = alert(AlertKind::Unique, 999.6, 1000.0);
        assert_eq!((figure(&a), threshold(&a)), ("1000".to_owned(), "bounds ∋ 1000".to_owned()));
        let a = alert(AlertKind::Skewed, -0.712, 0.5);
        assert_eq!((figure(&a), threshold(&a)), ("-0.71".to_owned(), "|x| > 0.50".to_owned()));
        assert_eq!(detail(&a), "what it is");
    }
}
