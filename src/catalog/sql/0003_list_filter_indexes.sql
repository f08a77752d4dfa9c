-- `btstore list` filters by status, strategy, symbols and a created_at range and pages newest
-- first by the keyset (created_at, task_id). Every filter needs an index whose order is that
-- keyset after its equality columns, so that a page is one index range scan that stops after
-- n rows however many rows match and however deep the page (docs/performance.md).

CREATE INDEX IF NOT EXISTS idx_backtest_results_status_created_at
    ON backtest_results(status, created_at DESC, task_id DESC);
CREATE INDEX IF NOT EXISTS idx_backtest_results_strategy_created_at
    ON backtest_results(strategy, created_at DESC, task_id DESC);
CREATE INDEX IF NOT EXISTS idx_backtest_results_strategy_status_created_at
    ON backtest_results(strategy, status, created_at DESC, task_id DESC);

-- The GIN index on symbols finds the rows holding a symbol but not in keyset order: a page of
-- a symbol held by 700 rows had to read and sort all 700, and a common symbol made the planner
-- walk created_at instead, which is slow for rarer ones. This table holds one row per
-- (symbol, result), kept by the triggers below in the same transaction, so a symbol's results
-- are one ordered index range; status and strategy ride along in the index so the combined
-- filters are checked without visiting backtest_results.
CREATE TABLE IF NOT EXISTS backtest_result_symbols (
    symbol TEXT NOT NULL,
    created_at TIMESTAMP WITH TIME ZONE NOT NULL,
    task_id UUID NOT NULL,
    status VARCHAR(20) NOT NULL,
    strategy VARCHAR(100) NOT NULL,
    PRIMARY KEY (symbol, created_at, task_id) INCLUDE (status, strategy)
);
-- A strategy and a symbol together: a rare strategy among a common symbol's rows (or the
-- reverse) would otherwise scan many index entries for a few matches.
CREATE INDEX IF NOT EXISTS idx_backtest_result_symbols_strategy
    ON backtest_result_symbols(strategy, symbol, created_at, task_id) INCLUDE (status);

-- Statement triggers: one set-based statement per INSERT, UPDATE or DELETE, however many rows
-- it touches (a cleanup deleting thousands of results stays one pass).
CREATE OR REPLACE FUNCTION backtest_result_symbols_sync()
RETURNS TRIGGER AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        DELETE FROM backtest_result_symbols s
        USING old_rows o,
              LATERAL jsonb_array_elements_text(
                  CASE WHEN jsonb_typeof(o.symbols) = 'array' THEN o.symbols ELSE '[]' END) AS e
        WHERE s.symbol = e.value AND s.created_at = o.created_at AND s.task_id = o.task_id;
    END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') THEN
        INSERT INTO backtest_result_symbols (symbol, created_at, task_id, status, strategy)
        SELECT DISTINCT e.value, n.created_at, n.task_id, n.status, n.strategy
        FROM new_rows n,
             LATERAL jsonb_array_elements_text(
                 CASE WHEN jsonb_typeof(n.symbols) = 'array' THEN n.symbols ELSE '[]' END) AS e
        WHERE n.created_at IS NOT NULL;
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql
-- The transition tables have no statistics: without these the planner may delete 10,000
-- results' symbol rows with a sequential scan and hash join over the whole table (15 s at
-- 1M results) instead of one primary-key probe per symbol row (a fraction of a second).
SET enable_seqscan = off SET enable_hashjoin = off SET enable_mergejoin = off;

DROP TRIGGER IF EXISTS backtest_result_symbols_insert ON backtest_results;
CREATE TRIGGER backtest_result_symbols_insert AFTER INSERT ON backtest_results
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION backtest_result_symbols_sync();
DROP TRIGGER IF EXISTS backtest_result_symbols_update ON backtest_results;
CREATE TRIGGER backtest_result_symbols_update AFTER UPDATE ON backtest_results
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION backtest_result_symbols_sync();
DROP TRIGGER IF EXISTS backtest_result_symbols_delete ON backtest_results;
CREATE TRIGGER backtest_result_symbols_delete AFTER DELETE ON backtest_results
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION backtest_result_symbols_sync();

CREATE OR REPLACE FUNCTION backtest_result_symbols_truncate()
RETURNS TRIGGER AS $$
BEGIN
    TRUNCATE backtest_result_symbols;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

DROP TRIGGER IF EXISTS backtest_result_symbols_truncate ON backtest_results;
CREATE TRIGGER backtest_result_symbols_truncate AFTER TRUNCATE ON backtest_results
    FOR EACH STATEMENT EXECUTE FUNCTION backtest_result_symbols_truncate();

-- Filled from the rows already there. Every statement above may meet its object already made
-- (a catalog whose backtest_results was dropped and migrated again keeps this table), so the
-- table is refilled from scratch.
TRUNCATE backtest_result_symbols;
INSERT INTO backtest_result_symbols (symbol, created_at, task_id, status, strategy)
SELECT DISTINCT e.value, r.created_at, r.task_id, r.status, r.strategy
FROM backtest_results r,
     LATERAL jsonb_array_elements_text(
         CASE WHEN jsonb_typeof(r.symbols) = 'array' THEN r.symbols ELSE '[]' END) AS e
WHERE r.created_at IS NOT NULL;
