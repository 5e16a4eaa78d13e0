//! Deterministic Step Functions execution names: the same job attempt always gets the same
//! name, so a controller restart can never start a second execution for it (Step Functions
//! refuses a name that exists).

/// Longest execution name Step Functions accepts.
const MAX_LEN: usize = 80;

/// The execution name of `attempt` of the ProfileJob `namespace/name` with `uid`:
/// `<namespace>-<name>` (shortened, only `[A-Za-z0-9-_]`) then the uid and the attempt, which
/// alone make it unique.
pub fn execution_name(namespace: &str, name: &str, uid: &str, attempt: u32) -> String {
    let tail = format!("-{uid}-{attempt}");
    let readable: String = format!("{namespace}-{name}")
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '_' { c } else { '-' })
        .take(MAX_LEN.saturating_sub(tail.len()))
        .collect();
    format!("{readable}{tail}")
}

/// The ARN an execution named `name` of `state_machine_arn` has
/// (`arn:aws:states:<region>:<account>:stateMachine:<sm>` → `…:execution:<sm>:<name>`), known
/// before it is started so it can be written to status first.
pub fn execution_arn(state_machine_arn: &str, name: &str) -> Option<String> {
    let (prefix, machine) = state_machine_arn.split_once(":stateMachine:")?;
    Some(format!("{prefix}:execution:{machine}:{name}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_deterministic_short_and_legal() {
        let uid = "6a1f0e9c-2b7d-4c3e-8f51-0a9b8c7d6e5f";
        let a = execution_name("team-a", "orders.daily", uid, 1);
        assert_eq!(a, format!("team-a-orders-daily-{uid}-1"));
        assert_eq!(a, execution_name("team-a", "orders.daily", uid, 1));
        assert_ne!(a, execution_name("team-a", "orders.daily", uid, 2));
        let long = execution_name(&"n".repeat(63), &"x".repeat(253), uid, 10);
        assert_eq!(long.len(), 80);
        assert!(long.ends_with(&format!("{uid}-10")));
        assert!(long.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'));
    }

    #[test]
    fn execution_arns_follow_the_state_machine() {
        assert_eq!(
            execution_arn("arn:aws:states:us-east-1:123456789012:stateMachine:profiler", "e-1").as_deref(),
            Some("arn:aws:states:us-east-1:123456789012:execution:profiler:e-1")
        );
        assert_eq!(execution_arn("not-an-arn", "e"), None);
    }
}
