//! Kubernetes name rules (DNS-1123), shared by every component that checks a namespace or name.

/// A DNS-1123 label: 1 to 63 lowercase letters, digits and '-', starting and ending with a letter
/// or digit (Kubernetes namespaces).
pub fn is_dns_label(s: &str) -> bool {
    is_dns_name(s, 63, false)
}

/// A DNS-1123 subdomain: 1 to 253 lowercase letters, digits, '-' and '.', starting and ending with
/// a letter or digit (names of most Kubernetes objects).
pub fn is_dns_subdomain(s: &str) -> bool {
    is_dns_name(s, 253, true)
}

fn is_dns_name(s: &str, max: usize, dots: bool) -> bool {
    let ok_char = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || (dots && c == '.');
    let alnum = |c: Option<char>| c.is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit());
    !s.is_empty() && s.len() <= max && s.chars().all(ok_char) && alnum(s.chars().next()) && alnum(s.chars().last())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_and_subdomains() {
        for ok in ["a", "team-a", "0abc", &"a".repeat(63)] {
            assert!(is_dns_label(ok), "{ok}");
        }
        for bad in ["", "-a", "a-", "Team", "a.b", "a_b", &"a".repeat(64), "ü"] {
            assert!(!is_dns_label(bad), "{bad}");
        }
        assert!(is_dns_subdomain("orders.daily-1"));
        assert!(!is_dns_subdomain("orders.."));
        assert!(!is_dns_subdomain(&"a".repeat(254)));
    }
}
