-- The profile store: jobs, runs (attempts), table profiles and per-column profiles with their
-- quantiles, histogram bins, top values and serialized sketches. Every row carries the Kubernetes
-- namespace it belongs to (the tenancy key of the row-level security policies); composite foreign
-- keys keep a child's namespace equal to its parent's. Constraints make inconsistent rows
-- impossible; deleting a job removes everything below it.

create schema if not exists profiler;

-- One row per ProfileJob custom resource.
create table if not exists profiler.profile_jobs (
  uid          uuid primary key,
  namespace    text not null check (namespace ~ '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$' and length(namespace) <= 63),
  name         text not null check (name ~ '^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$' and length(name) <= 253),
  spec         jsonb not null check (jsonb_typeof(spec) = 'object'),
  phase        text not null check (phase in ('Pending', 'Submitted', 'Running', 'Succeeded', 'Failed', 'Cancelled')),
  message      text,
  created_at   timestamptz not null default now(),
  updated_at   timestamptz not null default now(),
  completed_at timestamptz,
  unique (uid, namespace),
  check ((completed_at is not null) = (phase in ('Succeeded', 'Failed', 'Cancelled')))
);
create index if not exists profile_jobs_by_namespace_phase on profiler.profile_jobs (namespace, phase, created_at desc);
create index if not exists profile_jobs_by_namespace_name on profiler.profile_jobs (namespace, name);

-- One row per attempt of a job (one Step Functions execution, or one local CLI run).
create table if not exists profiler.profile_runs (
  id            bigint generated always as identity primary key,
  job_uid       uuid not null,
  namespace     text not null,
  attempt       integer not null check (attempt between 1 and 10000),
  execution_arn text check (execution_arn ~ '^arn:aws[a-z-]*:states:'),
  status        text not null check (status in ('Running', 'Succeeded', 'Failed', 'Cancelled')),
  started_at    timestamptz not null,
  finished_at   timestamptz,
  error         text,
  error_kind    text check (error_kind in ('badInput', 'transient', 'internal')),
  profile_uri   text check (profile_uri ~ '^(s3|file)://.'),
  report_uri    text check (report_uri ~ '^(s3|file)://.'),
  unique (job_uid, attempt),
  unique (id, namespace),
  foreign key (job_uid, namespace) references profiler.profile_jobs (uid, namespace) on delete cascade,
  check ((finished_at is null) = (status = 'Running')),
  check (finished_at is null or finished_at >= started_at),
  check ((status = 'Failed') = (error is not null)),
  check (error_kind is null or status = 'Failed')
);
create index if not exists profile_runs_by_namespace_started on profiler.profile_runs (namespace, started_at desc);

-- The table-level figures of one run's profile (profile.json without its columns).
create table if not exists profiler.table_profiles (
  run_id           bigint primary key,
  namespace        text not null,
  table_ref        text not null check (length(table_ref) between 1 and 4096),
  source_kind      text not null check (source_kind in ('parquet', 'iceberg', 'athena', 'redshift')),
  source_files     bigint not null check (source_files >= 0),
  snapshot_id      bigint,
  mode             text not null check (mode in ('scan', 'metadata', 'pushdown')),
  sampling_method  text not null check (sampling_method in ('full', 'reservoir', 'bernoulli')),
  sample_size      bigint check (sample_size >= 0),
  sample_fraction  double precision check (sample_fraction > 0 and sample_fraction <= 1),
  sample_seed      bigint,
  rows_read        bigint not null check (rows_read >= 0),
  -- Metadata mode reads no row (rows_read = 0) but describes all of them.
  rows_profiled    bigint not null check (rows_profiled >= 0),
  column_count     integer not null check (column_count >= 0),
  bytes_scanned    bigint check (bytes_scanned >= 0),
  format_version   integer not null check (format_version >= 1),
  profiler_version text not null,
  started_at       timestamptz not null,
  duration_ms      bigint not null check (duration_ms >= 0),
  unique (run_id, namespace),
  foreign key (run_id, namespace) references profiler.profile_runs (id, namespace) on delete cascade,
  check (mode = 'metadata' or rows_profiled <= rows_read),
  check (case sampling_method
           when 'full' then num_nonnulls(sample_size, sample_fraction, sample_seed) = 0
           when 'reservoir' then sample_size is not null and sample_seed is not null and sample_fraction is null
           else sample_fraction is not null and sample_seed is not null and sample_size is null
         end)
);
-- Latest profile of a table; a column's history over time.
create index if not exists table_profiles_by_table on profiler.table_profiles (namespace, table_ref, started_at desc);

-- One row per profiled column of a run. Each statistics block of the profile document is a group
-- of columns that are all set or all null; the kind decides which blocks may be present.
create table if not exists profiler.column_profiles (
  run_id            bigint not null,
  ordinal           integer not null check (ordinal >= 0),
  namespace         text not null,
  name              text not null check (length(name) >= 1),
  data_type         text not null,
  kind              text not null check (kind in ('numeric', 'temporal', 'string', 'binary', 'boolean', 'list', 'other')),
  row_count         bigint not null check (row_count >= 0),
  non_null          bigint not null check (non_null >= 0),
  nulls             bigint not null check (nulls >= 0),
  null_fraction     double precision not null check (null_fraction between 0 and 1),
  min_value         text,
  max_value         text,
  -- distinct (HyperLogLog)
  distinct_estimate double precision check (distinct_estimate >= 0),
  distinct_lower    double precision,
  distinct_upper    double precision,
  distinct_rse      double precision check (distinct_rse >= 0),
  distinct_exact    boolean,
  -- numeric
  num_min           double precision,
  num_max           double precision,
  num_sum           double precision,
  num_mean          double precision,
  num_variance      double precision check (num_variance >= 0),
  num_stddev        double precision check (num_stddev >= 0),
  zeros             bigint check (zeros >= 0),
  negatives         bigint check (negatives >= 0),
  nan_count         bigint check (nan_count >= 0),
  positive_infinity bigint check (positive_infinity >= 0),
  negative_infinity bigint check (negative_infinity >= 0),
  moments_n         bigint check (moments_n >= 0),
  moments_mean      double precision,
  moments_m2        double precision,
  moments_sum       double precision,
  -- temporal
  temporal_unit     text check (temporal_unit in ('days', 'milliseconds', 'microseconds', 'nanoseconds', 'seconds')),
  temporal_timezone text,
  min_raw           bigint,
  max_raw           bigint,
  -- distribution of numeric and temporal columns (quantiles and bins in their own tables)
  rank_error        double precision check (rank_error >= 0 and rank_error < 1),
  -- strings and binary
  min_length        bigint check (min_length >= 0),
  max_length        bigint check (max_length >= min_length),
  mean_length       double precision check (mean_length >= 0),
  total_length      bigint check (total_length >= 0),
  empty_count       bigint check (empty_count >= 0),
  top_values_max_error bigint check (top_values_max_error >= 0),
  content_type      text check (content_type in ('integer', 'decimal', 'boolean', 'date', 'timestamp', 'uuid', 'email', 'text')),
  content_fraction  double precision check (content_fraction between 0 and 1),
  content_counts    jsonb check (jsonb_typeof(content_counts) = 'object'),
  -- booleans
  true_count        bigint check (true_count >= 0),
  false_count       bigint check (false_count >= 0),
  -- lists
  list_min_length   bigint check (list_min_length >= 0),
  list_max_length   bigint check (list_max_length >= list_min_length),
  list_mean_length  double precision check (list_mean_length >= 0),
  list_total_length bigint check (list_total_length >= 0),
  list_empty        bigint check (list_empty >= 0),
  -- Iceberg manifest figures (metadata mode)
  meta_files_with_stats bigint check (meta_files_with_stats >= 0),
  meta_files        bigint check (meta_files >= meta_files_with_stats),
  meta_nan_count    bigint check (meta_nan_count >= 0),
  meta_bounds_may_be_truncated boolean,
  primary key (run_id, ordinal),
  unique (run_id, name),
  unique (run_id, ordinal, namespace),
  foreign key (run_id, namespace) references profiler.table_profiles (run_id, namespace) on delete cascade,
  check (non_null + nulls = row_count),
  check (num_nonnulls(distinct_estimate, distinct_lower, distinct_upper, distinct_rse, distinct_exact) in (0, 5)),
  check (distinct_lower <= distinct_estimate and distinct_estimate <= distinct_upper),
  check (num_nonnulls(num_sum, zeros, negatives, nan_count, positive_infinity, negative_infinity,
                      moments_n, moments_mean, moments_m2, moments_sum) in (0, 10)),
  check (moments_n is not null or num_nonnulls(num_min, num_max, num_mean, num_variance, num_stddev) = 0),
  check (moments_n is null or kind = 'numeric'),
  check (num_min <= num_max),
  check (temporal_unit is not null or num_nonnulls(temporal_timezone, min_raw, max_raw) = 0),
  check (temporal_unit is null or kind = 'temporal'),
  check (min_raw <= max_raw),
  check (rank_error is null or moments_n is not null or temporal_unit is not null),
  check (num_nonnulls(total_length, empty_count, top_values_max_error) in (0, 3)),
  check (total_length is not null or num_nonnulls(min_length, max_length, mean_length, content_type) = 0),
  check (total_length is null or kind in ('string', 'binary')),
  check (empty_count <= non_null),
  check (num_nonnulls(content_type, content_fraction, content_counts) in (0, 3)),
  check (num_nonnulls(true_count, false_count) in (0, 2)),
  check (true_count is null or (kind = 'boolean' and true_count + false_count = non_null)),
  check (list_total_length is not null
         or num_nonnulls(list_min_length, list_max_length, list_mean_length, list_empty) = 0),
  check (num_nonnulls(list_total_length, list_empty) in (0, 2)),
  check (list_total_length is null or kind = 'list'),
  check (num_nonnulls(meta_files_with_stats, meta_files, meta_bounds_may_be_truncated) in (0, 3)),
  check (meta_files is not null or meta_nan_count is null)
);

-- Quantile estimates of a numeric or temporal column (p1 ... p99).
create table if not exists profiler.column_quantiles (
  run_id    bigint not null,
  ordinal   integer not null,
  namespace text not null,
  rank      double precision not null check (rank between 0 and 1),
  value     double precision not null,
  label     text not null,
  primary key (run_id, ordinal, rank),
  foreign key (run_id, ordinal, namespace)
    references profiler.column_profiles (run_id, ordinal, namespace) on delete cascade
);

-- Histogram bins of a numeric or temporal column, in order.
create table if not exists profiler.column_histograms (
  run_id    bigint not null,
  ordinal   integer not null,
  namespace text not null,
  bin       integer not null check (bin >= 0),
  lower     double precision not null,
  upper     double precision not null check (upper >= lower),
  count     bigint not null check (count >= 0),
  primary key (run_id, ordinal, bin),
  foreign key (run_id, ordinal, namespace)
    references profiler.column_profiles (run_id, ordinal, namespace) on delete cascade
);

-- Most frequent values of a string or binary column, most frequent first (rank 1).
create table if not exists profiler.column_frequencies (
  run_id    bigint not null,
  ordinal   integer not null,
  namespace text not null,
  rank      integer not null check (rank >= 1),
  value     text not null,
  count     bigint not null check (count >= 1),
  primary key (run_id, ordinal, rank),
  foreign key (run_id, ordinal, namespace)
    references profiler.column_profiles (run_id, ordinal, namespace) on delete cascade
);

-- Serialized Apache DataSketches images, so a later run can merge with this one.
create table if not exists profiler.column_sketches (
  run_id    bigint not null,
  ordinal   integer not null,
  namespace text not null,
  kind      text not null check (kind in ('hll', 'kll', 'frequentItems')),
  image     bytea not null check (length(image) > 0),
  primary key (run_id, ordinal, kind),
  foreign key (run_id, ordinal, namespace)
    references profiler.column_profiles (run_id, ordinal, namespace) on delete cascade
);
