-- The triggers of 0003 name backtest_result_symbols without a schema, so that the catalog can
-- live in any schema; unpinned, that name was looked up in the search_path of the session that
-- fired them. A session whose search_path leads elsewhere (psql, an administrator's script)
-- then failed to delete or truncate rows of the catalog by its qualified name, or changed a
-- table of the same name in another schema. Each function now runs with the search_path pinned
-- to the schema it was created in (pg_temp last, so that no temporary table can stand in).
DO $$
BEGIN
    EXECUTE format('ALTER FUNCTION %I.backtest_result_symbols_sync() SET search_path = %I, pg_temp',
                   current_schema(), current_schema());
    EXECUTE format('ALTER FUNCTION %I.backtest_result_symbols_truncate() SET search_path = %I, pg_temp',
                   current_schema(), current_schema());
END;
$$;
