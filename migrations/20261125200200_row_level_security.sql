-- Row-level security of the profile store. Tenancy is the Kubernetes namespace: a Supabase user
-- reads the rows of the namespaces listed in the JWT claim app_metadata.namespaces (a JSON array
-- of strings); anon reads nothing; only service_role (the controller and the worker) writes.
-- The database owner (the role migrations run as) is not subject to these policies.

-- The namespaces the current request's JWT grants; empty when the claim is absent or malformed.
create or replace function profiler.jwt_namespaces() returns text[]
  language sql stable
  set search_path = ''
  as $fn$
    select case
      when jsonb_typeof(auth.jwt() -> 'app_metadata' -> 'namespaces') = 'array' then
        array(select jsonb_array_elements_text(auth.jwt() -> 'app_metadata' -> 'namespaces'))
      else '{}'::text[]
    end
  $fn$;

revoke all on function profiler.jwt_namespaces() from public;
grant execute on function profiler.jwt_namespaces() to authenticated, service_role;

revoke all on schema profiler from public, anon;
grant usage on schema profiler to authenticated, service_role;

do $$
declare
  t text;
begin
  foreach t in array array['profile_jobs', 'profile_runs', 'table_profiles', 'column_profiles',
                           'column_quantiles', 'column_histograms', 'column_frequencies', 'column_sketches']
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

grant usage on all sequences in schema profiler to service_role;
