-- What profile documents gained: the Iceberg field id of a column (stable across renames, so a
-- drift comparison finds "the same column" of a table in every run), the exact decimal figures of
-- a decimal column, and how an Iceberg table was read (schema, delete files applied, partition
-- specs and per-partition counts). Every statement can run again: columns are added `if not
-- exists`, constraints only when missing, policies dropped before they are created.

-- Columns: field id and exact decimal min, max and sum (numeric keeps the text's scale: 10.50
-- reads back as 10.50).
alter table profiler.column_profiles
  add column if not exists field_id                      integer,
  add column if not exists decimal_precision             smallint,
  add column if not exists decimal_scale                 smallint,
  add column if not exists decimal_min                   numeric,
  add column if not exists decimal_max                   numeric,
  add column if not exists decimal_sum                   numeric,
  add column if not exists decimal_sum_exceeds_38_digits boolean;

-- Tables: how an Iceberg snapshot was read, and its partitioning (the specs as a JSON array of
-- {specId, fields: [{name, sourceColumn, sourceFieldId, transform}]}, as profile.json writes them).
alter table profiler.table_profiles
  add column if not exists iceberg_schema_id         integer,
  add column if not exists iceberg_delete_files      bigint,
  add column if not exists partition_default_spec_id integer,
  add column if not exists partition_specs           jsonb,
  add column if not exists partition_count           bigint,
  add column if not exists partitions_truncated      boolean;

do $$
declare
  c record;
begin
  for c in
    select * from (values
      ('column_profiles', 'column_profiles_decimal_block',
       'check (num_nonnulls(decimal_precision, decimal_scale, decimal_sum, decimal_sum_exceeds_38_digits) in (0, 4))'),
      ('column_profiles', 'column_profiles_decimal_bounds',
       'check (decimal_sum is not null or num_nonnulls(decimal_min, decimal_max) = 0)'),
      ('column_profiles', 'column_profiles_decimal_numeric',
       'check (decimal_sum is null or (kind = ''numeric'' and moments_n is not null))'),
      ('column_profiles', 'column_profiles_decimal_precision',
       'check (decimal_precision >= 1 and decimal_scale <= decimal_precision)'),
      -- Decimal text at the column's scale (none for a negative scale: 12300 at scale -2).
      ('column_profiles', 'column_profiles_decimal_scale',
       'check (scale(decimal_min) = greatest(decimal_scale, 0) and scale(decimal_max) = greatest(decimal_scale, 0)
               and scale(decimal_sum) = greatest(decimal_scale, 0))'),
      ('column_profiles', 'column_profiles_decimal_order', 'check (decimal_min <= decimal_max)'),
      ('table_profiles', 'table_profiles_iceberg_block',
       'check (num_nonnulls(iceberg_schema_id, iceberg_delete_files) in (0, 2))'),
      ('table_profiles', 'table_profiles_iceberg_source',
       'check (iceberg_schema_id is null or source_kind = ''iceberg'')'),
      ('table_profiles', 'table_profiles_iceberg_values',
       'check (iceberg_schema_id >= 0 and iceberg_delete_files >= 0)'),
      -- Metadata mode refuses snapshots with delete files.
      ('table_profiles', 'table_profiles_iceberg_metadata_deletes',
       'check (mode <> ''metadata'' or iceberg_delete_files = 0)'),
      ('table_profiles', 'table_profiles_partitioning_block',
       'check (num_nonnulls(partition_default_spec_id, partition_specs, partition_count, partitions_truncated) in (0, 4))'),
      ('table_profiles', 'table_profiles_partitioning_iceberg',
       'check (partition_count is null or iceberg_schema_id is not null)'),
      ('table_profiles', 'table_profiles_partitioning_values',
       'check (partition_default_spec_id >= 0 and partition_count >= 0)'),
      ('table_profiles', 'table_profiles_partition_specs',
       'check (jsonb_typeof(partition_specs) = ''array''
               and not jsonb_path_exists(partition_specs, ''strict $[*] ? (@.type() != "object")''))')
    ) as t (tbl, name, definition)
  loop
    if not exists (
      select 1 from pg_constraint
      where conrelid = format('profiler.%I', c.tbl)::regclass and conname = c.name
    ) then
      execute format('alter table profiler.%I add constraint %I %s', c.tbl, c.name, c.definition);
    end if;
  end loop;
end
$$;

-- "The same column" of a table across runs: the runs come from table_profiles_by_table, the column
-- of each run from here. A field id names one column of a schema.
create unique index if not exists column_profiles_by_field_id
  on profiler.column_profiles (run_id, field_id) where field_id is not null;

-- Rows and files per partition of an Iceberg snapshot, from its manifests, in the document's order
-- (spec id, then values). Partition values are a JSON object of partition field name to text or
-- null ({"created_at_day": "2024-01-01", "id_bucket": "3", "region": null}).
create table if not exists profiler.partition_counts (
  run_id           bigint not null,
  namespace        text not null,
  position         integer not null check (position >= 0),
  spec_id          integer not null check (spec_id >= 0),
  partition_values jsonb not null check (
                     jsonb_typeof(partition_values) = 'object'
                     and not jsonb_path_exists(partition_values, 'strict $.* ? (@.type() != "string" && @.type() != "null")')),
  row_count        bigint not null check (row_count >= 0),
  data_files       bigint not null check (data_files >= 0),
  delete_files     bigint not null check (delete_files >= 0),
  primary key (run_id, position),
  foreign key (run_id, namespace) references profiler.table_profiles (run_id, namespace) on delete cascade
);

-- Row-level security and grants, exactly as 20261125200200_row_level_security.sql sets them for
-- the other tables.
do $$
declare
  t text;
begin
  foreach t in array array['partition_counts']
  loop
    execute format('alter table profiler.%I enable row level security', t);
    execute format('revoke all on table profiler.%I from public, anon, authenticated', t);
    execute format('grant select on table profiler.%I to authenticated', t);
    execute format('grant select, insert, update, delete on table profiler.%I to service_role', t);

    execute format('drop policy if exists tenant_read on profiler.%I', t);
    execute format(
      'create policy tenant_read on profiler.%I for select to authenticated
         using (namespace = any ((select profiler.jwt_namespaces())::text[]))', t);

    execute format('drop policy if exists service_write on profiler.%I', t);
    execute format(
      'create policy service_write on profiler.%I for all to service_role using (true) with check (true)', t);
  end loop;
end
$$;
