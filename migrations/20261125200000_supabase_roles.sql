-- Supabase compatibility layer. On Supabase the API roles (anon, authenticated, service_role),
-- the auth schema and auth.jwt() already exist and nothing here changes them. On a plain Postgres
-- (tests, self-hosted) they are created the way Supabase defines them, so the row-level security
-- policies of the profile store behave the same in both places. Every statement is guarded and can
-- run again.

-- Roles are shared by all databases of a server; two databases migrated at the same moment may
-- race to create them, so a role that appeared meanwhile is fine.
do $$
declare
  r text;
begin
  foreach r in array array['anon', 'authenticated', 'service_role'] loop
    if not exists (select 1 from pg_roles where rolname = r) then
      begin
        execute format('create role %I nologin noinherit', r);
      exception when duplicate_object or unique_violation then
        null;
      end;
    end if;
  end loop;
end
$$;

do $$
begin
  if not exists (select 1 from pg_namespace where nspname = 'auth') then
    create schema auth;
    grant usage on schema auth to anon, authenticated, service_role;
  end if;
  -- Supabase's definition: the claims of the request's JWT, as PostgREST sets them.
  if to_regprocedure('auth.jwt()') is null then
    create function auth.jwt() returns jsonb
      language sql stable
      as $fn$
        select coalesce(
          nullif(current_setting('request.jwt.claim', true), ''),
          nullif(current_setting('request.jwt.claims', true), '')
        )::jsonb
      $fn$;
    grant execute on function auth.jwt() to anon, authenticated, service_role;
  end if;
end
$$;

-- sqlx keeps its bookkeeping in public._sqlx_migrations; on Supabase the public schema is served
-- by the Data API, so keep API roles away from it. The service role may read it: the controller
-- and the worker check the schema version when they connect. (No-op when the Supabase CLI applies
-- these files; `profiler migrate` afterwards records them.)
do $$
begin
  if to_regclass('public._sqlx_migrations') is not null then
    alter table public._sqlx_migrations enable row level security;
    revoke all on table public._sqlx_migrations from anon, authenticated;
    grant select on table public._sqlx_migrations to service_role;
    drop policy if exists service_read on public._sqlx_migrations;
    create policy service_read on public._sqlx_migrations for select to service_role using (true);
  end if;
end
$$;
