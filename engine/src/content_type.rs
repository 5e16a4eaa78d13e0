//! Recognises what a string holds (integer, decimal, boolean, date, timestamp, uuid, email, text)
//! with byte-level checks: no regex, no allocation.

use profiler_crds::ContentType;

use crate::fxhash::{le_word, short_word};

/// All content types, in the order of [`index`].
pub const ALL: [ContentType; 8] = [
    ContentType::Integer,
    ContentType::Decimal,
    ContentType::Boolean,
    ContentType::Date,
    ContentType::Timestamp,
    ContentType::Uuid,
    ContentType::Email,
    ContentType::Text,
];

/// Position of `t` in [`ALL`].
pub fn index(t: ContentType) -> usize {
    match t {
        ContentType::Integer => 0,
        ContentType::Decimal => 1,
        ContentType::Boolean => 2,
        ContentType::Date => 3,
        ContentType::Timestamp => 4,
        ContentType::Uuid => 5,
        ContentType::Email => 6,
        ContentType::Text => 7,
    }
}

/// Classifies one string.
pub fn classify(s: &str) -> ContentType {
    classify_bytes(s.as_bytes())
}

/// Classifies the UTF-8 bytes of one string (the checks only look at ASCII bytes).
pub fn classify_bytes(b: &[u8]) -> ContentType {
    classify_remembering(b, &mut KnownDomains::default())
}

/// The last few distinct e-mail domains found valid. The addresses of a column mostly share a
/// handful of domains, and a domain equal to a known one needs no second check.
#[derive(Debug, Default)]
pub struct KnownDomains<'a> {
    slots: [Option<&'a [u8]>; KNOWN_DOMAINS],
    /// The slot the next new domain replaces (round robin).
    next: usize,
}

/// Domains a [`KnownDomains`] remembers.
const KNOWN_DOMAINS: usize = 8;

impl<'a> KnownDomains<'a> {
    fn contains(&self, domain: &[u8]) -> bool {
        self.slots.iter().any(|known| known.is_some_and(|known| same_bytes(known, domain)))
    }

    fn insert(&mut self, domain: &'a [u8]) {
        self.slots[self.next] = Some(domain);
        self.next = (self.next + 1) % KNOWN_DOMAINS;
    }
}

/// Whether `a` and `b` hold the same bytes. Up to 16 bytes are compared as two words (the first
/// and the last eight, or a short value's zero-padded word), without a call.
fn same_bytes(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    match a.len() {
        0..8 => short_word(a) == short_word(b),
        8..=16 => a.first_chunk::<8>() == b.first_chunk::<8>() && a.last_chunk::<8>() == b.last_chunk::<8>(),
        _ => a == b,
    }
}

/// [`classify_bytes`] for one of a run of values, remembering valid e-mail domains in `known`.
pub fn classify_remembering<'a>(b: &'a [u8], known: &mut KnownDomains<'a>) -> ContentType {
    let Some(&first) = b.first() else { return ContentType::Text };
    let numeric_start = first.is_ascii_digit() || matches!(first, b'+' | b'-' | b'.');
    if numeric_start && is_integer(b) {
        ContentType::Integer
    } else if numeric_start && is_decimal(b) {
        ContentType::Decimal
    } else if is_boolean(b) {
        ContentType::Boolean
    } else if b.len() == 10 && is_date(b) {
        ContentType::Date
    } else if b.len() > 10 && is_date(&b[..10]) && is_time_suffix(&b[10..]) {
        ContentType::Timestamp
    } else if is_uuid(b) {
        ContentType::Uuid
    } else if is_email(b, known) {
        ContentType::Email
    } else {
        ContentType::Text
    }
}

fn digits(b: &[u8]) -> usize {
    b.iter().take_while(|c| c.is_ascii_digit()).count()
}

fn strip_sign(b: &[u8]) -> &[u8] {
    match b.first() {
        Some(b'+' | b'-') => &b[1..],
        _ => b,
    }
}

fn is_integer(b: &[u8]) -> bool {
    let d = strip_sign(b);
    !d.is_empty() && digits(d) == d.len()
}

fn is_decimal(b: &[u8]) -> bool {
    let d = strip_sign(b);
    let int = digits(d);
    let rest = &d[int..];
    let (frac, rest) = match rest.first() {
        Some(b'.') => {
            let f = digits(&rest[1..]);
            (f, &rest[1 + f..])
        }
        _ => (0, rest),
    };
    if int + frac == 0 {
        return false;
    }
    match rest.first() {
        None => frac > 0 || d.len() > int,
        Some(b'e' | b'E') => {
            let e = strip_sign(&rest[1..]);
            !e.is_empty() && digits(e) == e.len()
        }
        _ => false,
    }
}

fn is_boolean(b: &[u8]) -> bool {
    if b.len() > 5 {
        return false;
    }
    let mut lower = [0u8; 5];
    for (i, c) in b.iter().enumerate() {
        lower[i] = c.to_ascii_lowercase();
    }
    matches!(&lower[..b.len()], b"true" | b"false" | b"yes" | b"no" | b"t" | b"f" | b"y" | b"n")
}

fn two(b: &[u8]) -> Option<u32> {
    (b.len() == 2 && digits(b) == 2).then(|| u32::from(b[0] - b'0') * 10 + u32::from(b[1] - b'0'))
}

fn is_date(b: &[u8]) -> bool {
    if b.len() != 10 || digits(&b[..4]) != 4 || b[4] != b'-' || b[7] != b'-' {
        return false;
    }
    matches!((two(&b[5..7]), two(&b[8..10])), (Some(m), Some(d)) if (1..=12).contains(&m) && (1..=31).contains(&d))
}

fn is_time_suffix(b: &[u8]) -> bool {
    // [T ]hh:mm[:ss[.fff]][Z|±hh[:mm]]
    if b.len() < 6 || !(b[0] == b'T' || b[0] == b' ') || b[3] != b':' {
        return false;
    }
    let (Some(h), Some(m)) = (two(&b[1..3]), two(&b[4..6])) else { return false };
    if h > 23 || m > 59 {
        return false;
    }
    let mut rest = &b[6..];
    if rest.first() == Some(&b':') {
        match rest.get(1..3).and_then(two) {
            Some(s) if s <= 60 => rest = &rest[3..],
            _ => return false,
        }
        if rest.first() == Some(&b'.') {
            let f = digits(&rest[1..]);
            if f == 0 {
                return false;
            }
            rest = &rest[1 + f..];
        }
    }
    match rest {
        [] | [b'Z'] => true,
        [b'+' | b'-', zone @ ..] => match zone.len() {
            2 | 4 => digits(zone) == zone.len(),
            5 => zone[2] == b':' && digits(&zone[..2]) == 2 && digits(&zone[3..]) == 2,
            _ => false,
        },
        _ => false,
    }
}

fn is_uuid(b: &[u8]) -> bool {
    b.len() == 36
        && b.iter().enumerate().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => *c == b'-',
            _ => c.is_ascii_hexdigit(),
        })
}

/// Byte classes for the e-mail check, one lookup per byte.
const LOCAL: u8 = 1;
const DOMAIN: u8 = 2;
const ALPHA: u8 = 4;
const CLASSES: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut c = 0;
    while c < 256 {
        let b = c as u8;
        let alpha = b.is_ascii_alphabetic();
        let alnum = alpha || b.is_ascii_digit();
        let mut class = 0;
        if alnum {
            class |= LOCAL | DOMAIN;
        }
        if alpha {
            class |= ALPHA;
        }
        if matches!(b, b'.' | b'-') {
            class |= LOCAL | DOMAIN;
        }
        if matches!(
            b,
            b'!' | b'#'
                | b'$'
                | b'%'
                | b'&'
                | b'\''
                | b'*'
                | b'+'
                | b'/'
                | b'='
                | b'?'
                | b'^'
                | b'_'
                | b'`'
                | b'{'
                | b'|'
                | b'}'
                | b'~'
        ) {
            class |= LOCAL;
        }
        t[c] = class;
        c += 1;
    }
    t
};

/// Whether every byte of `b` is in `class` (one bit): the classes of all bytes are and-ed without
/// a branch per byte, eight at a time; a value of eight bytes or more ends with its last eight
/// (and-ing a byte twice changes nothing).
fn all_in(b: &[u8], class: u8) -> bool {
    let classes = |bytes: &[u8]| bytes.iter().fold(u8::MAX, |acc, c| acc & CLASSES[usize::from(*c)]);
    let shared = match b.last_chunk::<8>() {
        None => classes(b),
        Some(last) => b.as_chunks::<8>().0.iter().fold(classes(last), |acc, chunk| acc & classes(chunk)),
    };
    shared & class != 0
}

/// `local@domain.tld`: a non-empty local part before the first `@`, a domain with a dot that is
/// not its first byte, and an alphabetic top-level part of two or more letters. The `@` is found
/// eight bytes at a time, the dot from the end; byte classes are and-ed without a branch per byte.
/// A domain among the `known` ones needs no check; a new valid one is remembered.
fn is_email<'a>(b: &'a [u8], known: &mut KnownDomains<'a>) -> bool {
    let Some(at) = find_at(b) else { return false };
    if at == 0 || !all_in(&b[..at], LOCAL) {
        return false;
    }
    let domain = &b[at + 1..];
    if known.contains(domain) {
        return true;
    }
    let Some(dot) = domain.iter().rposition(|c| *c == b'.') else { return false };
    let valid =
        dot > 0 && domain.len() - dot > 2 && all_in(&domain[dot + 1..], ALPHA) && all_in(&domain[..dot], DOMAIN);
    if valid {
        known.insert(domain);
    }
    valid
}

/// Position of the first `@` in `b`, one eight-byte word at a time (the zero-byte test on the word
/// xor-ed with `@`s; its lowest flagged byte is always a true match).
fn find_at(b: &[u8]) -> Option<usize> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    const ATS: u64 = ONES * b'@' as u64;
    let first_zero = |w: u64| {
        let x = w ^ ATS;
        let z = x.wrapping_sub(ONES) & !x & HIGH;
        (z != 0).then(|| z.trailing_zeros() as usize / 8)
    };
    let mut chunks = b.chunks_exact(8);
    let mut base = 0;
    for c in &mut chunks {
        if let Some(i) = first_zero(le_word(c)) {
            return Some(base + i);
        }
        base += 8;
    }
    // The padding of the tail word is zeros, which never match `@`.
    let rest = chunks.remainder();
    if rest.is_empty() { None } else { first_zero(short_word(rest)).map(|i| base + i) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ContentType::*;

    #[test]
    fn classifies_each_kind() {
        let cases = [
            ("42", Integer),
            ("-7", Integer),
            ("+0012", Integer),
            ("3.14", Decimal),
            ("-0.5e-3", Decimal),
            (".5", Decimal),
            ("1e9", Decimal),
            ("TRUE", Boolean),
            ("n", Boolean),
            ("2024-02-29", Date),
            ("2024-13-01", Text),
            ("2024-02-29T10:11:12.123Z", Timestamp),
            ("2024-02-29 10:11", Timestamp),
            ("2024-02-29T10:11:12+02:00", Timestamp),
            ("123e4567-e89b-12d3-a456-426614174000", Uuid),
            ("jane.doe+x@example.co.uk", Email),
            ("jane@localhost", Text),
            ("@example.com", Text),
            ("", Text),
            ("-", Text),
            (".", Text),
            ("héllo wörld", Text),
            ("a@b.cd", Email),
            ("a@b.c", Text),
            ("a@.cd", Text),
            ("a@b@c.de", Text),
            ("a b@c.de", Text),
            ("a@b_c.de", Text),
            ("a@b.c1", Text),
            ("a@b.cd.", Text),
            ("é@b.cd", Text),
        ];
        for (s, want) in cases {
            assert_eq!(classify(s), want, "{s:?}");
        }
    }

    #[test]
    fn compares_bytes_of_every_length() {
        let base: Vec<u8> = (0..24u8).map(|i| b'a' + i).collect();
        for len in 0..=base.len() {
            let a = &base[..len];
            let copy = a.to_vec();
            assert!(same_bytes(a, &copy), "len {len}: a copy elsewhere in memory");
            for at in 0..len {
                let mut b = a.to_vec();
                b[at] ^= 0x20;
                assert!(!same_bytes(a, &b), "len {len}, byte {at} differs");
            }
            assert!(!same_bytes(a, &base[..len.saturating_sub(1)]) || len == 0);
        }
    }

    #[test]
    fn finds_the_first_at() {
        let text = b"abcdefgh@jklmnopq@stuvw";
        for start in 0..text.len() {
            for end in start..=text.len() {
                let b = &text[start..end];
                assert_eq!(find_at(b), b.iter().position(|c| *c == b'@'), "{:?}", String::from_utf8_lossy(b));
            }
        }
        assert_eq!(find_at(&[0x40 ^ 0x80, b'@']), Some(1));
        assert_eq!(find_at(&[0x41, 0x3f, b'@']), Some(2));
    }

    /// The e-mail check as first written, to compare the single-scan version against.
    fn reference_email(b: &[u8]) -> bool {
        let Some(at) = b.iter().position(|c| *c == b'@') else { return false };
        let (local, domain) = (&b[..at], &b[at + 1..]);
        let Some(dot) = domain.iter().rposition(|c| *c == b'.') else { return false };
        let all = |b: &[u8], class: u8| b.iter().all(|c| CLASSES[usize::from(*c)] & class != 0);
        !local.is_empty()
            && dot > 0
            && domain.len() - dot > 2
            && all(local, LOCAL)
            && all(domain, DOMAIN)
            && all(&domain[dot + 1..], ALPHA)
    }

    #[test]
    fn email_check_matches_the_reference() {
        let alphabet = b"ab1.-@_ +\xc3\xc0?A";
        let mut state = 0x2545_f491_4f6c_dd1du64;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let values: Vec<Vec<u8>> = (0..200_000)
            .map(|_| {
                let len = (next() % 24) as usize;
                (0..len).map(|_| alphabet[(next() >> 40) as usize % alphabet.len()]).collect()
            })
            .collect();
        let mut known = KnownDomains::default();
        for b in &values {
            let expected = reference_email(b);
            assert_eq!(is_email(b, &mut KnownDomains::default()), expected, "{:?}", String::from_utf8_lossy(b));
            assert_eq!(is_email(b, &mut known), expected, "after others: {:?}", String::from_utf8_lossy(b));
        }
        // Values sharing domains, valid or not, in turn.
        let mut known = KnownDomains::default();
        let domains =
            (0..12).map(|i| format!("d{i}.ex.com").into_bytes()).chain([b"ex.c".to_vec(), b"e x.com".to_vec()]);
        let domains: Vec<Vec<u8>> = domains.collect();
        let turns = domains.iter().chain(domains.iter().rev()).chain(domains.iter().step_by(5));
        let addresses: Vec<Vec<u8>> = turns
            .flat_map(|domain| [&b"a"[..], b"", b"b c", b"d"].map(|local| [local, b"@", domain].concat()))
            .collect();
        for b in &addresses {
            assert_eq!(is_email(b, &mut known), reference_email(b), "{:?}", String::from_utf8_lossy(b));
        }
    }

    #[test]
    fn every_byte_in_every_position_is_judged_like_the_reference() {
        for base in [&b"first.o'neil-99@mail.example-1.com"[..], b"x@ab.cd", b"a.b@c.de", b"ABCDEFGH@IJKLMNOP.QRstuv"] {
            for position in 0..base.len() {
                for byte in 0..=255u8 {
                    let mut b = base.to_vec();
                    b[position] = byte;
                    let fresh = is_email(&b, &mut KnownDomains::default());
                    assert_eq!(fresh, reference_email(&b), "{:?}", String::from_utf8_lossy(&b));
                }
            }
        }
    }

    #[test]
    fn index_follows_all() {
        for (i, t) in ALL.iter().enumerate() {
            assert_eq!(index(*t), i);
        }
    }
}
