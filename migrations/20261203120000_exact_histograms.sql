-- Exact histograms: whether a column's histogram bins were counted exactly in the scan (bounds
-- known from the source's statistics) rather than read from the quantile sketch. Null for
-- columns without a distribution and for rows written before this migration (read as false).
alter table profiler.column_profiles
  add column if not exists histogram_exact boolean;
