-- Drift comparisons: each successful run of a scheduled profile is compared with the previous
-- successful profile of the same table, and the comparison (diff.json) is kept here. One row per
-- comparison in `profile_comparisons` (its summary as columns, the whole document as jsonb so it
-- reads back exactly) and one row per finding in `comparison_findings`, for SQL over findings.
-- A comparison belongs to the run that produced profile B and goes with that run's profile
-- (on delete cascade); the baseline's run is referenced while its profile is in the store.
-- Every statement can run again: tables and indexes `if not exists`, the baseline's foreign key
-- only when missing, policies dropped before they are created.

-- One row per comparison of a run's profile (B) with a baseline profile (A) of the table.
create table if not exists profiler.profile_comparisons (
  run_id               bigint primary key,
  namespace            text not null,
  -- B's table, as its profile names it (table_profiles.table_ref of run_id).
  table_ref            text not null check (length(table_ref) between 1 and 4096),
  -- The baseline's run while its profile is in the store (null once it is deleted, or when the
  -- baseline came from elsewhere, e.g. a profile.json file); the rest describes it either way.
  baseline_run_id      bigint,
  baseline_location    text not null check (length(baseline_location) between 1 and 4096),
  baseline_snapshot_id bigint,
  baseline_started_at  timestamptz not null,
  baseline_row_count   bigint not null check (baseline_row_count >= 0),
  compared_at          timestamptz not null,
  -- The summary (diff.json's `summary`).
  drift                boolean not null,
  highest_severity     text check (highest_severity in ('info', 'warning', 'critical')),
  info_count           bigint not null check (info_count >= 0),
  warning_count        bigint not null check (warning_count >= 0),
  critical_count       bigint not null check (critical_count >= 0),
  -- Most severe first, cut to a limit (20); drifted_column_count counts them before the cut.
  drifted_columns      text[] not null,
  drifted_column_count bigint not null check (drifted_column_count >= 0),
  thresholds           jsonb not null check (jsonb_typeof(thresholds) = 'object'),
  -- The whole comparison document, as the worker wrote it.
  document             jsonb not null check (jsonb_typeof(document) = 'object'),
  format_version       integer not null check (format_version >= 1),
  unique (run_id, namespace),
  foreign key (run_id, namespace) references profiler.table_profiles (run_id, namespace) on delete cascade,
  constraint profile_comparisons_baseline_other_run check (baseline_run_id <> run_id),
  -- Drift is a warning or a critical finding.
  constraint profile_comparisons_summary_drift check (drift = (warning_count + critical_count > 0)),
  -- The highest severity is the highest one counted, and there is one exactly when anything is.
  constraint profile_comparisons_summary_highest check (
    case highest_severity
      when 'critical' then critical_count > 0
      when 'warning' then critical_count = 0 and warning_count > 0
      when 'info' then critical_count = 0 and warning_count = 0 and info_count > 0
      else info_count + warning_count + critical_count = 0
    end),
  -- Drifted columns have a warning or critical finding; the list is cut, never longer than the
  -- count; a plain list of names (one dimension, no null).
  constraint profile_comparisons_summary_columns check (
    cardinality(drifted_columns) <= drifted_column_count
    and (drifted_column_count = 0 or drift)
    and case when coalesce(array_ndims(drifted_columns), 1) = 1
             then array_position(drifted_columns, null) is null
             else false
        end),
  -- The columns say what the document says (a part missing from the document is a refusal, not
  -- an unknown).
  constraint profile_comparisons_document_agrees check (coalesce(
    document -> 'formatVersion' = to_jsonb(format_version)
    and document -> 'thresholds' = thresholds
    and document #> '{summary,drift}' = to_jsonb(drift)
    and (document #>> '{summary,highestSeverity}') is not distinct from highest_severity
    and document #> '{summary,findings,info}' = to_jsonb(info_count)
    and document #> '{summary,findings,warning}' = to_jsonb(warning_count)
    and document #> '{summary,findings,critical}' = to_jsonb(critical_count)
    and document #> '{summary,driftedColumns}' = to_jsonb(drifted_columns)
    and document #> '{summary,driftedColumnCount}' = to_jsonb(drifted_column_count)
    and case jsonb_typeof(document -> 'findings')
          when 'array' then jsonb_array_length(document -> 'findings') = info_count + warning_count + critical_count
          else false
        end
    and document #>> '{b,location}' = table_ref
    and document #>> '{a,location}' = baseline_location
    and (document #> '{a,snapshotId}') is not distinct from to_jsonb(baseline_snapshot_id)
    and document #> '{a,rowCount}' = to_jsonb(baseline_row_count), false))
);
-- Latest comparisons of a table, in the order the reads list them (no sort: the newest N rows of
-- the index).
create index if not exists profile_comparisons_by_table
  on profiler.profile_comparisons (namespace, table_ref, compared_at desc, run_id desc);
-- Drifted tables of a namespace, newest first ("tables with critical drift today").
create index if not exists profile_comparisons_drifted
  on profiler.profile_comparisons (namespace, compared_at desc) where drift;

-- The baseline's run, while its profile is in the store. The key includes the namespace, so a
-- baseline is always of the comparison's namespace; deleting the baseline's profile sets only
-- baseline_run_id to null (the namespace is the row's own). That column list needs PostgreSQL 15
-- (Supabase runs 15 and later); on an older server the key is on baseline_run_id alone.
do $$
begin
  if not exists (
    select 1 from pg_constraint
    where conrelid = 'profiler.profile_comparisons'::regclass and conname = 'profile_comparisons_baseline'
  ) then
    if current_setting('server_version_num')::integer >= 150000 then
      execute 'alter table profiler.profile_comparisons add constraint profile_comparisons_baseline
                 foreign key (baseline_run_id, namespace) references profiler.table_profiles (run_id, namespace)
                 on delete set null (baseline_run_id)';
    else
      execute 'alter table profiler.profile_comparisons add constraint profile_comparisons_baseline
                 foreign key (baseline_run_id) references profiler.table_profiles (run_id)
                 on delete set null';
    end if;
  end if;
end
$$;
-- The run that wrote a given profile.json (a comparison's baseline named by its URI).
create index if not exists profile_runs_by_profile_uri
  on profiler.profile_runs (profile_uri) where profile_uri is not null;

-- Comparisons whose baseline is a given run (the foreign key's delete looks them up).
create index if not exists profile_comparisons_by_baseline
  on profiler.profile_comparisons (baseline_run_id) where baseline_run_id is not null;

-- One row per finding of a comparison, in the document's order (most severe first). `kind` is the
-- finding kind as diff.json names it (camelCase, e.g. nullFractionChanged); it is checked for its
-- form rather than against a list, so a new kind of finding needs no migration. `a` and `b` are
-- the figures of each side (a JSON number or string). A column's findings over time: the runs
-- come from profile_comparisons_by_table, each run's findings from the primary key.
create table if not exists profiler.comparison_findings (
  run_id        bigint not null,
  namespace     text not null,
  position      integer not null check (position >= 0),
  kind          text not null check (kind ~ '^[a-z][A-Za-z0-9]*$'),
  severity      text not null check (severity in ('info', 'warning', 'critical')),
  -- The column (its name in B, or in A for a removed column); null for table-level findings.
  column_name   text check (length(column_name) >= 1),
  field_id      integer,
  previous_name text check (length(previous_name) >= 1),
  statistic     double precision check (statistic not in ('NaN', 'Infinity', '-Infinity')),
  threshold     double precision check (threshold not in ('NaN', 'Infinity', '-Infinity')),
  message       text not null,
  a             jsonb check (jsonb_typeof(a) in ('number', 'string')),
  b             jsonb check (jsonb_typeof(b) in ('number', 'string')),
  detail        text,
  primary key (run_id, position),
  foreign key (run_id, namespace) references profiler.profile_comparisons (run_id, namespace) on delete cascade,
  constraint comparison_findings_column check (column_name is not null or num_nonnulls(field_id, previous_name) = 0),
  constraint comparison_findings_renamed check (previous_name <> column_name)
);

-- Row-level security and grants, exactly as 20261125200200_row_level_security.sql sets them for
-- the other tables.
do $$
declare
  t text;
begin
  foreach t in array array['profile_comparisons', 'comparison_findings']
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
