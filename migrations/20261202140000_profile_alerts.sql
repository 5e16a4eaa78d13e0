-- Alerts of a profile (profile.json's `alerts`): what the profile alone shows is worth a look,
-- e.g. a constant column, mostly nulls, a likely key, skew. One row per alert, in the document's
-- order, written with the run's profile and going with it (on delete cascade). `kind` is the
-- alert kind as the document names it (camelCase, e.g. mostlyNull); it is checked for its form
-- rather than against a list, so a new kind of alert needs no migration. Every statement can run
-- again: the table and index `if not exists`, policies dropped before they are created.

create table if not exists profiler.profile_alerts (
  run_id      bigint not null,
  namespace   text not null,
  position    integer not null check (position >= 0),
  kind        text not null check (kind ~ '^[a-z][A-Za-z0-9]*$'),
  -- The column (its name in column_profiles); null for table-level alerts (sampled).
  column_name text check (length(column_name) >= 1),
  -- The figure that triggered the alert and the threshold it reached (see docs/profile-schema.md).
  figure      double precision not null check (figure not in ('NaN', 'Infinity', '-Infinity')),
  threshold   double precision not null check (threshold not in ('NaN', 'Infinity', '-Infinity')),
  message     text not null,
  primary key (run_id, position),
  foreign key (run_id, namespace) references profiler.table_profiles (run_id, namespace) on delete cascade,
  foreign key (run_id, column_name) references profiler.column_profiles (run_id, name) on delete cascade
);
-- Alerts of a kind in a namespace ("which columns are likely keys", "mostly null columns").
create index if not exists profile_alerts_by_kind on profiler.profile_alerts (namespace, kind);
-- A column's alerts (the column foreign key's delete looks them up).
create index if not exists profile_alerts_by_column
  on profiler.profile_alerts (run_id, column_name) where column_name is not null;

-- Row-level security and grants, exactly as 20261125200200_row_level_security.sql sets them for
-- the other tables.
do $$
declare
  t text;
begin
  foreach t in array array['profile_alerts']
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
