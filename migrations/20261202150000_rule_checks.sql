-- Data quality rules verified by a run (a ProfileJob's spec.rules): one row per verification in
-- `rule_checks` (its summary as columns, the whole check.json as jsonb so it reads back exactly)
-- and one row per rule in `rule_results`, for SQL over rules ("which rules of this table failed
-- this week"). A check belongs to its run (on delete cascade); the run need not have a profile.
-- Every statement can run again: tables and indexes `if not exists`, policies dropped before they
-- are created.

-- One row per run whose rules were verified.
create table if not exists profiler.rule_checks (
  run_id         bigint primary key,
  namespace      text not null,
  -- The checked table, as check.json's source names it (the profile's table_ref of the same run).
  table_ref      text not null check (length(table_ref) between 1 and 4096),
  source_kind    text not null check (source_kind in ('parquet', 'iceberg', 'athena', 'redshift')),
  snapshot_id    bigint,
  -- Rows the rules were evaluated on.
  row_count      bigint not null check (row_count >= 0),
  started_at     timestamptz not null,
  checked_at     timestamptz not null,
  duration_ms    bigint not null check (duration_ms >= 0),
  -- The summary (check.json's `summary`).
  rule_count     integer not null check (rule_count >= 0),
  passed_count   integer not null check (passed_count >= 0),
  failed_count   integer not null check (failed_count >= 0),
  error_count    integer not null check (error_count >= 0),
  all_passed     boolean not null,
  -- Names of the rules that failed or were not evaluated, in rule set order, cut to a limit (20).
  failing        text[] not null,
  -- The whole check document, as the worker wrote it.
  document       jsonb not null check (jsonb_typeof(document) = 'object'),
  format_version integer not null check (format_version >= 1),
  unique (run_id, namespace),
  foreign key (run_id, namespace) references profiler.profile_runs (id, namespace) on delete cascade,
  constraint rule_checks_counts check (passed_count + failed_count + error_count = rule_count),
  constraint rule_checks_all_passed check (all_passed = (failed_count + error_count = 0)),
  -- A plain list of names (one dimension, no null), never longer than what did not pass.
  constraint rule_checks_failing check (
    cardinality(failing) <= failed_count + error_count
    and case when coalesce(array_ndims(failing), 1) = 1
             then array_position(failing, null) is null
             else false
        end),
  -- The columns say what the document says.
  constraint rule_checks_document_agrees check (coalesce(
    document -> 'formatVersion' = to_jsonb(format_version)
    and document #>> '{source,location}' = table_ref
    and document -> 'rowCount' = to_jsonb(row_count)
    and document #> '{summary,rules}' = to_jsonb(rule_count)
    and document #> '{summary,passed}' = to_jsonb(passed_count)
    and document #> '{summary,failed}' = to_jsonb(failed_count)
    and document #> '{summary,errors}' = to_jsonb(error_count)
    and coalesce(document #> '{summary,failing}', '[]'::jsonb) = to_jsonb(failing)
    and case jsonb_typeof(document -> 'results')
          when 'array' then jsonb_array_length(document -> 'results') = rule_count
          else false
        end, false))
);
-- Latest checks of a table, in the order the reads list them (no sort: the newest N rows of the
-- index).
create index if not exists rule_checks_by_table
  on profiler.rule_checks (namespace, table_ref, checked_at desc, run_id desc);
-- Checks with a failed rule in a namespace, newest first ("tables that broke a rule today").
create index if not exists rule_checks_failed
  on profiler.rule_checks (namespace, checked_at desc) where not all_passed;

-- One row per rule of a check, in the rule set's order. `rule_type` is the rule type as rules.yaml
-- names it (camelCase, e.g. allowedValues); it is checked for its form rather than against a
-- list, so a new rule type needs no migration. A rule's history: the runs come from
-- rule_checks_by_table, each run's rule from (run_id, name).
create table if not exists profiler.rule_results (
  run_id         bigint not null,
  namespace      text not null,
  position       integer not null check (position >= 0),
  name           text not null check (name ~ '^[a-z0-9]([a-z0-9_-]*[a-z0-9])?$' and length(name) <= 63),
  rule_type      text not null check (rule_type ~ '^[a-z][A-Za-z]*$'),
  column_name    text check (length(column_name) >= 1),
  outcome        text not null check (outcome in ('passed', 'failed', 'error')),
  expected       text not null,
  observed       text not null,
  observed_value double precision check (observed_value not in ('NaN', 'Infinity', '-Infinity')),
  failing_rows   bigint check (failing_rows >= 0),
  error          text,
  primary key (run_id, position),
  unique (run_id, name),
  foreign key (run_id, namespace) references profiler.rule_checks (run_id, namespace) on delete cascade,
  -- Only a rule that could not be evaluated says why.
  constraint rule_results_error check (error is null or outcome = 'error')
);
-- The rules of a namespace that did not pass, by name ("how often does amount-range fail").
create index if not exists rule_results_not_passed
  on profiler.rule_results (namespace, name) where outcome <> 'passed';

-- Row-level security and grants, exactly as 20261125200200_row_level_security.sql sets them for
-- the other tables.
do $$
declare
  t text;
begin
  foreach t in array array['rule_checks', 'rule_results']
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
