//! Sources by URI: the one syntax the CLI, the verbs and the docs (docs/sources.md) use to name a
//! table, mapped onto the same source types the job document uses.
//!
//! ```text
//! athena://[CATALOG/]DATABASE.TABLE[?workgroup=WG][&output=s3://BUCKET/PREFIX/]
//! redshift://WORKGROUP/DATABASE/SCHEMA.TABLE[?secret=ARN | ?user=USER]
//! redshift://cluster:ID/DATABASE/SCHEMA.TABLE?secret=ARN | ?user=USER
//! iceberg+glue://NAMESPACE.TABLE[?catalog_id=ACCOUNT]
//! iceberg+rest://HOST[:PORT][/PATH]/NAMESPACE.TABLE[?warehouse=W][&tls=false]
//! s3://BUCKET/PATH/TABLE.metadata.json | s3://BUCKET/PREFIX/ | PATH | file://PATH | GLOB
//! ```
//!
//! Names are percent-decoded (UTF-8): a dot inside a name is `%2E`, a slash `%2F`, `?` `%3F`,
//! `%` `%25`; anything else (quotes, semicolons, spaces, any Unicode) may be written as is. Names
//! are never spliced into SQL here: the connectors quote them with the one dialect module.

use std::fmt;

use profiler_crds::{AthenaSource, IcebergCatalog, QueryMethod, RedshiftAuth, RedshiftSource, RedshiftTarget};

use super::SourceSpec;

/// Athena's default data catalog.
pub const ATHENA_DEFAULT_CATALOG: &str = "AwsDataCatalog";
/// Athena's default workgroup.
pub const ATHENA_DEFAULT_WORKGROUP: &str = "primary";

const ATHENA_SHAPE: &str = "athena://[CATALOG/]DATABASE.TABLE[?workgroup=WG&output=s3://BUCKET/PREFIX/]";
const REDSHIFT_SHAPE: &str = "redshift://WORKGROUP/DATABASE/SCHEMA.TABLE or redshift://cluster:ID/DATABASE/SCHEMA.TABLE, with ?secret=ARN or ?user=USER";
const GLUE_SHAPE: &str = "iceberg+glue://NAMESPACE.TABLE[?catalog_id=ACCOUNT]";
const REST_SHAPE: &str = "iceberg+rest://HOST[:PORT][/PATH]/NAMESPACE.TABLE[?warehouse=W&tls=false]";

/// A source named by a URI.
#[derive(Debug, Clone, PartialEq)]
pub enum SourceUri {
    /// A table queried through Athena (pushdown unless the caller asks for a sample).
    Athena(AthenaSource),
    /// A table queried through the Redshift Data API.
    Redshift(RedshiftSource),
    /// An Iceberg table named in a catalog.
    Iceberg {
        /// The catalog.
        catalog: IcebergCatalog,
        /// Namespace, nested levels dotted.
        namespace: String,
        /// Table.
        table: String,
    },
    /// Files: Parquet files, a directory or glob, an Iceberg table directory or metadata file,
    /// local or `s3://`; the kind is detected as `profiler profile` always has.
    Files(String),
}

/// A URI that does not name a source, with the part at fault and the shape expected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UriError {
    /// A scheme the profiler does not read.
    #[error(
        "{uri}: unknown scheme {scheme}://; expected athena://, redshift://, iceberg+glue://, iceberg+rest://, s3:// \
         or a local path (docs/sources.md)"
    )]
    UnknownScheme {
        /// The URI.
        uri: String,
        /// Its scheme.
        scheme: String,
    },
    /// A part that is missing or malformed.
    #[error("{uri}: {problem}; expected {expected}")]
    Malformed {
        /// The URI.
        uri: String,
        /// Which part is wrong and how.
        problem: String,
        /// The shape of a correct URI of this scheme.
        expected: &'static str,
    },
}

impl SourceUri {
    /// Parses a source URI (or a local path, which is taken as it is).
    pub fn parse(text: &str) -> Result<Self, UriError> {
        let Some((scheme, rest)) = text.split_once("://") else {
            return Ok(Self::Files(text.to_owned()));
        };
        let p = Parser { uri: text };
        match scheme.to_ascii_lowercase().as_str() {
            "athena" => p.athena(rest),
            "redshift" => p.redshift(rest),
            "iceberg+glue" => p.glue(rest),
            "iceberg+rest" => p.rest(rest),
            "s3" | "s3a" | "s3n" | "file" => Ok(Self::Files(text.to_owned())),
            _ if scheme.contains(['/', '\\']) => Ok(Self::Files(text.to_owned())),
            _ => Err(UriError::UnknownScheme { uri: text.to_owned(), scheme: scheme.to_owned() }),
        }
    }

    /// Whether the source is a SQL engine's table (Athena, Redshift).
    pub fn is_sql(&self) -> bool {
        matches!(self, Self::Athena(_) | Self::Redshift(_))
    }

    /// The source as the file and Iceberg readers take it; `None` for the SQL engines' tables.
    pub fn file_spec(&self, snapshot_id: Option<i64>) -> Option<SourceSpec> {
        match self {
            Self::Athena(_) | Self::Redshift(_) => None,
            Self::Iceberg { catalog, namespace, table } => Some(SourceSpec::Iceberg {
                location: format!("{namespace}.{table}"),
                snapshot_id,
                catalog: Some(catalog.clone()),
            }),
            Self::Files(location) => Some(SourceSpec::detect(location, snapshot_id)),
        }
    }

    /// Sets how a SQL engine's table is profiled (no effect on other sources).
    pub fn set_method(&mut self, method: QueryMethod) {
        match self {
            Self::Athena(s) => s.method = method,
            Self::Redshift(s) => s.method = method,
            Self::Iceberg { .. } | Self::Files(_) => {}
        }
    }
}

/// The canonical URI, names percent-encoded where the syntax needs it.
impl fmt::Display for SourceUri {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Athena(s) => {
                write!(f, "athena://{}/{}.{}", enc(&s.catalog), enc(&s.database), enc(&s.table))?;
                write!(f, "?workgroup={}", enc(&s.workgroup))?;
                if let Some(output) = &s.output_location {
                    write!(f, "&output={output}")?;
                }
                Ok(())
            }
            Self::Redshift(s) => {
                match &s.target {
                    RedshiftTarget::Workgroup(w) => write!(f, "redshift://{}", enc(w))?,
                    RedshiftTarget::Cluster(c) => write!(f, "redshift://cluster:{}", enc(c))?,
                }
                write!(f, "/{}/{}.{}", enc(&s.database), enc(&s.schema), enc(&s.table))?;
                match &s.auth {
                    Some(RedshiftAuth::SecretArn(arn)) => write!(f, "?secret={arn}"),
                    Some(RedshiftAuth::DbUser(user)) => write!(f, "?user={}", enc(user)),
                    None => Ok(()),
                }
            }
            Self::Iceberg { catalog, namespace, table } => {
                let ident = format!("{}.{}", namespace.split('.').map(enc).collect::<Vec<_>>().join("."), enc(table));
                match catalog {
                    IcebergCatalog::Glue { catalog_id: None } => write!(f, "iceberg+glue://{ident}"),
                    IcebergCatalog::Glue { catalog_id: Some(id) } => {
                        write!(f, "iceberg+glue://{ident}?catalog_id={id}")
                    }
                    IcebergCatalog::Rest { uri, warehouse } => {
                        let (tls, base) = match uri.strip_prefix("http://") {
                            Some(base) => (false, base),
                            None => (true, uri.strip_prefix("https://").unwrap_or(uri)),
                        };
                        write!(f, "iceberg+rest://{}/{ident}", base.trim_end_matches('/'))?;
                        let mut sep = '?';
                        if let Some(w) = warehouse {
                            write!(f, "{sep}warehouse={}", enc(w))?;
                            sep = '&';
                        }
                        if !tls {
                            write!(f, "{sep}tls=false")?;
                        }
                        Ok(())
                    }
                    IcebergCatalog::S3Tables { table_bucket_arn } => write!(f, "{table_bucket_arn}#{ident}"),
                    IcebergCatalog::Sql { uri, .. } => write!(f, "{uri}#{ident}"),
                }
            }
            Self::Files(location) => f.write_str(location),
        }
    }
}

/// Percent-encodes the characters the syntax gives a meaning to.
fn enc(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.chars() {
        match c {
            '%' => out.push_str("%25"),
            '.' => out.push_str("%2E"),
            '/' => out.push_str("%2F"),
            '?' => out.push_str("%3F"),
            '&' => out.push_str("%26"),
            '=' => out.push_str("%3D"),
            c if c.is_control() => {
                let mut buf = [0; 4];
                for b in c.encode_utf8(&mut buf).bytes() {
                    out.push_str(&format!("%{b:02X}"));
                }
            }
            c => out.push(c),
        }
    }
    out
}

/// Parsing of one URI, for errors that quote it.
struct Parser<'a> {
    uri: &'a str,
}

impl Parser<'_> {
    fn error(&self, problem: impl Into<String>, expected: &'static str) -> UriError {
        UriError::Malformed { uri: self.uri.to_owned(), problem: problem.into(), expected }
    }

    /// A name: percent-decoded, not empty.
    fn name(&self, raw: &str, what: &str, expected: &'static str) -> Result<String, UriError> {
        let name = decode(raw).map_err(|reason| self.error(format!("the {what} {raw:?} {reason}"), expected))?;
        if name.is_empty() {
            return Err(self.error(format!("the {what} is empty"), expected));
        }
        Ok(name)
    }

    /// `A.B` with exactly one unencoded dot.
    fn pair(&self, raw: &str, first: &str, second: &str, expected: &'static str) -> Result<(String, String), UriError> {
        let mut parts = raw.split('.');
        match (parts.next(), parts.next(), parts.next()) {
            (Some(a), Some(b), None) => Ok((self.name(a, first, expected)?, self.name(b, second, expected)?)),
            (_, None, _) => Err(self.error(format!("{raw:?} is not {first}.{second}"), expected)),
            _ => Err(self.error(format!("{raw:?} has more than one dot; write a dot inside a name as %2E"), expected)),
        }
    }

    /// `NS1.NS2.TABLE`: the table after the last dot.
    fn namespaced(&self, raw: &str, expected: &'static str) -> Result<(String, String), UriError> {
        let Some((namespace, table)) = raw.rsplit_once('.') else {
            return Err(self.error(format!("{raw:?} is not NAMESPACE.TABLE"), expected));
        };
        let levels: Result<Vec<String>, UriError> =
            namespace.split('.').map(|level| self.name(level, "namespace", expected)).collect();
        Ok((levels?.join("."), self.name(table, "table", expected)?))
    }

    /// The query's `key=value` pairs (values decoded), refusing keys other than `allowed`.
    fn query(
        &self,
        query: Option<&str>,
        allowed: &[&str],
        expected: &'static str,
    ) -> Result<Vec<(String, String)>, UriError> {
        let mut pairs: Vec<(String, String)> = Vec::new();
        for pair in query.unwrap_or("").split('&').filter(|p| !p.is_empty()) {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            if !allowed.contains(&key) {
                return Err(self
                    .error(format!("unknown parameter {key:?} (this scheme takes {})", allowed.join(", ")), expected));
            }
            if pairs.iter().any(|(k, _)| k == key) {
                return Err(self.error(format!("parameter {key:?} is given twice"), expected));
            }
            let value = self.name(value, &format!("value of {key}"), expected)?;
            pairs.push((key.to_owned(), value));
        }
        Ok(pairs)
    }

    fn athena(&self, rest: &str) -> Result<SourceUri, UriError> {
        let (path, query) = split_query(rest);
        let (catalog, table_part) = match path.split_once('/') {
            Some((catalog, table)) => (self.name(catalog, "catalog", ATHENA_SHAPE)?, table),
            None => (ATHENA_DEFAULT_CATALOG.to_owned(), path),
        };
        if table_part.is_empty() {
            return Err(self.error("the table is missing (DATABASE.TABLE)", ATHENA_SHAPE));
        }
        if table_part.contains('/') {
            return Err(self.error(format!("{path:?} has too many '/'-separated parts"), ATHENA_SHAPE));
        }
        let (database, table) = self.pair(table_part, "database", "table", ATHENA_SHAPE)?;
        let mut source = AthenaSource {
            catalog,
            database,
            table,
            workgroup: ATHENA_DEFAULT_WORKGROUP.to_owned(),
            output_location: None,
            method: QueryMethod::Pushdown,
        };
        for (key, value) in self.query(query, &["workgroup", "output"], ATHENA_SHAPE)? {
            match key.as_str() {
                "workgroup" => source.workgroup = value,
                _ => {
                    if !value.starts_with("s3://") || value.len() <= "s3://".len() {
                        return Err(self
                            .error(format!("output {value:?} is not an s3://BUCKET/PREFIX/ location"), ATHENA_SHAPE));
                    }
                    source.output_location = Some(value);
                }
            }
        }
        Ok(SourceUri::Athena(source))
    }

    fn redshift(&self, rest: &str) -> Result<SourceUri, UriError> {
        let (path, query) = split_query(rest);
        let parts: Vec<&str> = path.split('/').collect();
        let [target, database, table_part] = parts.as_slice() else {
            return Err(self.error(
                format!("{path:?} is not TARGET/DATABASE/SCHEMA.TABLE ({} '/'-separated parts)", parts.len()),
                REDSHIFT_SHAPE,
            ));
        };
        let target = match target.strip_prefix("cluster:") {
            Some(id) => RedshiftTarget::Cluster(self.name(id, "cluster identifier", REDSHIFT_SHAPE)?),
            None => RedshiftTarget::Workgroup(self.name(target, "workgroup", REDSHIFT_SHAPE)?),
        };
        let database = self.name(database, "database", REDSHIFT_SHAPE)?;
        let (schema, table) = self.pair(table_part, "schema", "table", REDSHIFT_SHAPE)?;
        let mut auth = None;
        for (key, value) in self.query(query, &["secret", "user"], REDSHIFT_SHAPE)? {
            if auth.is_some() {
                return Err(self.error("give either secret= or user=, not both", REDSHIFT_SHAPE));
            }
            auth = Some(match key.as_str() {
                "secret" if !value.starts_with("arn:") => {
                    return Err(self.error(
                        format!("secret {value:?} is not a Secrets Manager ARN (arn:aws:secretsmanager:...)"),
                        REDSHIFT_SHAPE,
                    ));
                }
                "secret" => RedshiftAuth::SecretArn(value),
                _ => RedshiftAuth::DbUser(value),
            });
        }
        if matches!(target, RedshiftTarget::Cluster(_)) && auth.is_none() {
            return Err(
                self.error("a provisioned cluster needs credentials: add ?secret=ARN or ?user=USER", REDSHIFT_SHAPE)
            );
        }
        Ok(SourceUri::Redshift(RedshiftSource { target, database, schema, table, auth, method: QueryMethod::Pushdown }))
    }

    fn glue(&self, rest: &str) -> Result<SourceUri, UriError> {
        let (path, query) = split_query(rest);
        if path.contains('/') {
            return Err(self.error(format!("{path:?} contains '/'; the table is NAMESPACE.TABLE"), GLUE_SHAPE));
        }
        let (namespace, table) = self.namespaced(path, GLUE_SHAPE)?;
        let mut catalog_id = None;
        for (_, value) in self.query(query, &["catalog_id"], GLUE_SHAPE)? {
            if value.len() != 12 || !value.bytes().all(|b| b.is_ascii_digit()) {
                return Err(self.error(format!("catalog_id {value:?} is not a 12-digit account id"), GLUE_SHAPE));
            }
            catalog_id = Some(value);
        }
        Ok(SourceUri::Iceberg { catalog: IcebergCatalog::Glue { catalog_id }, namespace, table })
    }

    fn rest(&self, rest: &str) -> Result<SourceUri, UriError> {
        let (path, query) = split_query(rest);
        let Some((base, ident)) = path.rsplit_once('/') else {
            return Err(self.error("the table is missing after the host (HOST/NAMESPACE.TABLE)", REST_SHAPE));
        };
        let host = base.split('/').next().unwrap_or("");
        if host.is_empty() {
            return Err(self.error("the host is missing", REST_SHAPE));
        }
        if let Some((_, port)) = host.rsplit_once(':')
            && port.parse::<u16>().is_err()
        {
            return Err(self.error(format!("port {port:?} is not a number from 0 to 65535"), REST_SHAPE));
        }
        let (namespace, table) = self.namespaced(ident, REST_SHAPE)?;
        let (mut warehouse, mut tls) = (None, true);
        for (key, value) in self.query(query, &["warehouse", "tls"], REST_SHAPE)? {
            match key.as_str() {
                "warehouse" => warehouse = Some(value),
                _ => {
                    tls = match value.as_str() {
                        "true" => true,
                        "false" => false,
                        _ => return Err(self.error(format!("tls={value:?} is neither true nor false"), REST_SHAPE)),
                    }
                }
            }
        }
        let uri = format!("{}://{base}", if tls { "https" } else { "http" });
        Ok(SourceUri::Iceberg { catalog: IcebergCatalog::Rest { uri, warehouse }, namespace, table })
    }
}

/// `path` and the query after the first `?`.
fn split_query(rest: &str) -> (&str, Option<&str>) {
    match rest.split_once('?') {
        Some((path, query)) => (path, Some(query)),
        None => (rest, None),
    }
}

/// Percent-decodes `raw` as UTF-8.
fn decode(raw: &str) -> Result<String, &'static str> {
    let bytes = raw.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = bytes.get(i + 1..i + 3).ok_or("has a '%' without two hex digits after it (write % as %25)")?;
            let text = std::str::from_utf8(hex).map_err(|_| "has a '%' without two hex digits after it")?;
            out.push(
                u8::from_str_radix(text, 16)
                    .map_err(|_| "has a '%' without two hex digits after it (write % as %25)")?,
            );
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).map_err(|_| "decodes to bytes that are not UTF-8")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::connector::sql::{Dialect, TableRef};

    fn athena(uri: &str) -> AthenaSource {
        match SourceUri::parse(uri).unwrap() {
            SourceUri::Athena(s) => s,
            other => panic!("{other:?}"),
        }
    }

    fn redshift(uri: &str) -> RedshiftSource {
        match SourceUri::parse(uri).unwrap() {
            SourceUri::Redshift(s) => s,
            other => panic!("{other:?}"),
        }
    }

    fn problem(uri: &str) -> String {
        SourceUri::parse(uri).unwrap_err().to_string()
    }

    #[test]
    fn athena_uris() {
        let s = athena("athena://sales.orders");
        assert_eq!((s.catalog.as_str(), s.database.as_str(), s.table.as_str()), ("AwsDataCatalog", "sales", "orders"));
        assert_eq!((s.workgroup.as_str(), s.output_location.as_deref()), ("primary", None));
        assert_eq!(s.method, QueryMethod::Pushdown);
        let s = athena("athena://lake/sales.orders?workgroup=analysts&output=s3://results/athena/");
        assert_eq!((s.catalog.as_str(), s.workgroup.as_str()), ("lake", "analysts"));
        assert_eq!(s.output_location.as_deref(), Some("s3://results/athena/"));
        let text = SourceUri::Athena(s.clone()).to_string();
        assert_eq!(text, "athena://lake/sales.orders?workgroup=analysts&output=s3://results/athena/");
        assert_eq!(athena(&text), s, "the canonical form parses back");
    }

    #[test]
    fn redshift_uris() {
        let s = redshift("redshift://analytics/dev/public.events");
        assert_eq!(s.target, RedshiftTarget::Workgroup("analytics".into()));
        assert_eq!((s.database.as_str(), s.schema.as_str(), s.table.as_str()), ("dev", "public", "events"));
        assert_eq!(s.auth, None);
        let arn = "arn:aws:secretsmanager:us-east-1:123456789012:secret:rs-AbCdEf";
        let s = redshift(&format!("redshift://cluster:prod-1/dev/public.events?secret={arn}"));
        assert_eq!(s.target, RedshiftTarget::Cluster("prod-1".into()));
        assert_eq!(s.auth, Some(RedshiftAuth::SecretArn(arn.into())));
        let s = redshift("redshift://cluster:prod-1/dev/public.events?user=etl");
        assert_eq!(s.auth, Some(RedshiftAuth::DbUser("etl".into())));
        assert_eq!(redshift(&SourceUri::Redshift(s.clone()).to_string()), s);
    }

    #[test]
    fn iceberg_uris() {
        let glue = SourceUri::parse("iceberg+glue://lake.raw.orders").unwrap();
        assert_eq!(
            glue,
            SourceUri::Iceberg {
                catalog: IcebergCatalog::Glue { catalog_id: None },
                namespace: "lake.raw".into(),
                table: "orders".into()
            }
        );
        assert_eq!(
            glue.file_spec(Some(7)),
            Some(SourceSpec::Iceberg {
                location: "lake.raw.orders".into(),
                snapshot_id: Some(7),
                catalog: Some(IcebergCatalog::Glue { catalog_id: None })
            })
        );
        let with_id = SourceUri::parse("iceberg+glue://db.t?catalog_id=123456789012").unwrap();
        assert!(matches!(with_id, SourceUri::Iceberg { catalog: IcebergCatalog::Glue { catalog_id: Some(_) }, .. }));
        let rest = SourceUri::parse("iceberg+rest://localhost:8181/api/catalog/ns.t?warehouse=wh&tls=false").unwrap();
        assert_eq!(
            rest,
            SourceUri::Iceberg {
                catalog: IcebergCatalog::Rest {
                    uri: "http://localhost:8181/api/catalog".into(),
                    warehouse: Some("wh".into())
                },
                namespace: "ns".into(),
                table: "t".into()
            }
        );
        assert_eq!(rest.to_string(), "iceberg+rest://localhost:8181/api/catalog/ns.t?warehouse=wh&tls=false");
        let https = SourceUri::parse("iceberg+rest://rest.example/ns.t").unwrap();
        assert!(
            matches!(https, SourceUri::Iceberg { catalog: IcebergCatalog::Rest { ref uri, .. }, .. } if uri == "https://rest.example")
        );
    }

    #[test]
    fn files_and_paths_are_taken_as_they_are() {
        for text in ["examples/data/orders.parquet", "data/*.parquet", "/tmp/t", "s3://b/p/", "file:///tmp/x.parquet"] {
            assert_eq!(SourceUri::parse(text).unwrap(), SourceUri::Files(text.into()), "{text}");
        }
        assert!(matches!(
            SourceUri::parse("s3://b/t/metadata/v2.metadata.json").unwrap().file_spec(None),
            Some(SourceSpec::Iceberg { catalog: None, .. })
        ));
        assert_eq!(SourceUri::parse("athena://a.b").unwrap().file_spec(None), None);
    }

    #[test]
    fn errors_name_the_part_and_the_shape() {
        let cases = [
            ("bigquery://p.d.t", "unknown scheme bigquery://"),
            ("athena://", "the table is missing"),
            ("athena://orders", "\"orders\" is not database.table"),
            ("athena://a.b.c", "more than one dot; write a dot inside a name as %2E"),
            ("athena://c/d/e.f", "too many '/'-separated parts"),
            ("athena://.t", "the database is empty"),
            ("athena://d.t?region=eu", "unknown parameter \"region\" (this scheme takes workgroup, output)"),
            ("athena://d.t?output=/tmp", "not an s3://BUCKET/PREFIX/ location"),
            ("athena://d.t?workgroup=a&workgroup=b", "given twice"),
            ("athena://d.t%zz", "has a '%' without two hex digits"),
            ("redshift://wg/dev", "is not TARGET/DATABASE/SCHEMA.TABLE (2 '/'-separated parts)"),
            ("redshift://cluster:c1/dev/s.t", "a provisioned cluster needs credentials"),
            ("redshift://wg/dev/s.t?secret=abc", "is not a Secrets Manager ARN"),
            ("redshift://wg/dev/s.t?user=a&secret=arn:x", "either secret= or user="),
            ("iceberg+glue://orders", "is not NAMESPACE.TABLE"),
            ("iceberg+glue://db.t?catalog_id=42", "not a 12-digit account id"),
            ("iceberg+rest://host", "the table is missing after the host"),
            ("iceberg+rest://host:http/ns.t", "port \"http\""),
            ("iceberg+rest://h/ns.t?tls=maybe", "neither true nor false"),
        ];
        for (uri, expected) in cases {
            let message = problem(uri);
            assert!(message.contains(expected), "{uri}: {message}");
            assert!(message.starts_with(uri), "names the URI: {message}");
        }
        assert!(problem("athena://orders").contains("expected athena://[CATALOG/]DATABASE.TABLE"));
        assert!(problem("redshift://x").contains("expected redshift://WORKGROUP/DATABASE/SCHEMA.TABLE"));
    }

    #[test]
    fn hostile_names_decode_and_stay_quoted_by_the_dialect() {
        let s = redshift("redshift://wg/dev/sales%20%22eu%22.orders%22%3B%20DROP%20TABLE%20canary%3B%20--");
        assert_eq!((s.schema.as_str(), s.table.as_str()), ("sales \"eu\"", "orders\"; DROP TABLE canary; --"));
        let table = TableRef { parts: vec![s.schema.clone(), s.table.clone()] };
        assert_eq!(
            table.quoted(Dialect::Redshift).unwrap(),
            "\"sales \"\"eu\"\"\".\"orders\"\"; DROP TABLE canary; --\""
        );
        // Quotes, semicolons and Unicode may also be written as they are.
        let a = athena("athena://ventes.commandes\";DROP TABLE x;--été");
        assert_eq!(a.table, "commandes\";DROP TABLE x;--été");
        let quoted = TableRef { parts: vec![a.catalog.clone(), a.database.clone(), a.table.clone()] };
        assert_eq!(
            quoted.quoted(Dialect::Athena).unwrap(),
            "\"AwsDataCatalog\".\"ventes\".\"commandes\"\";DROP TABLE x;--été\""
        );
        // Dots, slashes and percents inside names are encoded, and survive a round trip.
        let a = athena("athena://my%2Fcat/db%2Ename.t%25%3F%26");
        assert_eq!((a.catalog.as_str(), a.database.as_str(), a.table.as_str()), ("my/cat", "db.name", "t%?&"));
        assert_eq!(athena(&SourceUri::Athena(a.clone()).to_string()), a);
        // NUL decodes, and the dialect refuses to name it.
        let nul = athena("athena://db.a%00b");
        assert!(TableRef { parts: vec![nul.table] }.quoted(Dialect::Athena).is_err());
        assert!(problem("athena://db.%FF").contains("not UTF-8"));
    }
}
