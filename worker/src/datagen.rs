//! Deterministic synthetic tables for the example dataset, the benchmark and the tests.

use std::fs::File;
use std::path::Path;
use std::sync::Arc;

use arrow_array::builder::{
    BooleanBuilder, Float64Builder, Int32Builder, Int64Builder, StringBuilder, TimestampMicrosecondBuilder,
};
use arrow_array::{ArrayRef, RecordBatch};
use arrow_schema::{DataType, Field, Schema, TimeUnit};
use parquet::arrow::ArrowWriter;
use parquet::basic::Compression;
use parquet::file::properties::WriterProperties;

use crate::error::WorkerError;

/// Rows per row group of generated files (as DuckDB writes).
pub const ROW_GROUP_ROWS: usize = 122_880;

/// The 8-column "orders" schema of the benchmark and the example.
pub fn orders_schema() -> Arc<Schema> {
    Arc::new(Schema::new(vec![
        Field::new("id", DataType::Int64, false),
        Field::new("amount", DataType::Float64, true),
        Field::new("status", DataType::Utf8, false),
        Field::new("email", DataType::Utf8, false),
        Field::new("created_at", DataType::Timestamp(TimeUnit::Microsecond, Some("UTC".into())), false),
        Field::new("is_active", DataType::Boolean, false),
        Field::new("score", DataType::Float64, false),
        Field::new("quantity", DataType::Int32, true),
    ]))
}

/// SplitMix64 generator: small, fast, reproducible.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// A generator from a seed.
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }

    /// Next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Approximately normal (sum of uniforms).
    pub fn normal(&mut self) -> f64 {
        (0..4).map(|_| self.unit()).sum::<f64>() * 1.7320508 - 3.4641016
    }
}

const STATUSES: [&str; 5] = ["pending", "paid", "shipped", "delivered", "cancelled"];
const STATUS_WEIGHTS: [f64; 5] = [0.10, 0.25, 0.30, 0.30, 0.05];
const DOMAINS: [&str; 4] = ["example.com", "mail.test", "corp.example.org", "shop.example.net"];

/// One batch of orders, rows `first..first + rows`.
pub fn orders_batch(first: u64, rows: usize, rng: &mut Rng) -> Result<RecordBatch, WorkerError> {
    let mut id = Int64Builder::with_capacity(rows);
    let mut amount = Float64Builder::with_capacity(rows);
    let mut status = StringBuilder::with_capacity(rows, rows * 8);
    let mut email = StringBuilder::with_capacity(rows, rows * 28);
    let mut created = TimestampMicrosecondBuilder::with_capacity(rows).with_timezone("UTC");
    let mut active = BooleanBuilder::with_capacity(rows);
    let mut score = Float64Builder::with_capacity(rows);
    let mut quantity = Int32Builder::with_capacity(rows);
    let start_us: i64 = 1_672_531_200_000_000; // 2023-01-01T00:00:00Z
    let mut name = String::new();
    for i in 0..rows as u64 {
        let n = first + i;
        id.append_value(n as i64 + 1);
        if rng.unit() < 0.05 {
            amount.append_null();
        } else {
            amount.append_value((rng.normal() * 40.0 + 120.0).abs().mul_add(100.0, 0.0).round() / 100.0);
        }
        let u = rng.unit();
        let mut acc = 0.0;
        let s = STATUS_WEIGHTS
            .iter()
            .position(|w| {
                acc += w;
                u < acc
            })
            .unwrap_or(4);
        status.append_value(STATUSES[s]);
        name.clear();
        use std::fmt::Write;
        let _ = write!(name, "user{:x}.{}@{}", rng.next_u64() % 50_000_000, n % 97, DOMAINS[(n % 4) as usize]);
        email.append_value(&name);
        created.append_value(start_us + (rng.unit() * 730.0 * 86_400e6) as i64);
        active.append_value(rng.unit() < 0.7);
        score.append_value(rng.normal());
        if rng.unit() < 0.01 { quantity.append_null() } else { quantity.append_value(1 + (rng.next_u64() % 20) as i32) }
    }
    let columns: Vec<ArrayRef> = vec![
        Arc::new(id.finish()),
        Arc::new(amount.finish()),
        Arc::new(status.finish()),
        Arc::new(email.finish()),
        Arc::new(created.finish()),
        Arc::new(active.finish()),
        Arc::new(score.finish()),
        Arc::new(quantity.finish()),
    ];
    RecordBatch::try_new(orders_schema(), columns).map_err(|e| WorkerError::InvalidRequest(e.to_string()))
}

/// Writes `rows` orders to a Snappy-compressed Parquet file at `path`.
pub fn write_orders(path: &Path, rows: u64, seed: u64) -> Result<(), WorkerError> {
    let out = |e: &dyn std::fmt::Display| WorkerError::Output { path: path.to_path_buf(), reason: e.to_string() };
    let file = File::create(path).map_err(|e| out(&e))?;
    let props = WriterProperties::builder()
        .set_compression(Compression::SNAPPY)
        .set_max_row_group_row_count(Some(ROW_GROUP_ROWS))
        .build();
    let mut writer = ArrowWriter::try_new(file, orders_schema(), Some(props)).map_err(|e| out(&e))?;
    let mut rng = Rng::new(seed);
    let mut written = 0u64;
    while written < rows {
        let n = (rows - written).min(ROW_GROUP_ROWS as u64) as usize;
        writer.write(&orders_batch(written, n, &mut rng)?).map_err(|e| out(&e))?;
        written += n as u64;
    }
    writer.close().map_err(|e| out(&e))?;
    Ok(())
}
