/** GreptimeDB SQL's vocabulary, for highlighting and completion. */
export const sqlKeywords =
  `SELECT FROM WHERE GROUP BY HAVING ORDER LIMIT OFFSET AS AND OR NOT IN IS NULL LIKE ILIKE BETWEEN
CASE WHEN THEN ELSE END DISTINCT ALL UNION INTERSECT EXCEPT JOIN LEFT RIGHT INNER OUTER FULL CROSS NATURAL ON USING
INSERT INTO VALUES UPDATE SET DELETE TRUNCATE CREATE TABLE DATABASE SCHEMA IF EXISTS DROP ALTER ADD COLUMN MODIFY RENAME
PRIMARY KEY TIME INDEX ENGINE WITH PARTITION PARTITIONS SHOW TABLES DATABASES COLUMNS DESCRIBE DESC ASC EXPLAIN ANALYZE
VERBOSE TQL EVAL EVALUATE ALIGN FILL RANGE TO INTERVAL ADMIN FLUSH COMPACT COPY FORMAT DEFAULT CAST TRUE FALSE
NULLS FIRST LAST OVER WINDOW ROWS PRECEDING FOLLOWING CURRENT ROW FULLTEXT SKIPPING INVERTED VIEW FLOW SINK
EXTERNAL LOCATION STRING DOUBLE FLOAT BIGINT INT INTEGER SMALLINT TINYINT BOOLEAN TIMESTAMP DATE DATETIME UINT8 UINT16
UINT32 UINT64 INT8 INT16 INT32 INT64 FLOAT32 FLOAT64 VARCHAR TEXT JSON`
    .split(/\s+/)
    .filter(Boolean);

export const sqlFunctions = `count sum avg min max first_value last_value stddev variance median approx_distinct
approx_percentile_cont abs ceil floor round sqrt exp ln log log2 log10 pow power sin cos tan greatest least coalesce
nullif ifnull concat concat_ws length lower upper trim ltrim rtrim substr substring replace split_part starts_with
ends_with regexp_match regexp_replace strpos lpad rpad reverse to_char now current_timestamp date_trunc date_bin
date_part extract to_timestamp to_timestamp_millis to_unixtime date_format row_number rank dense_rank lag lead
ntile cume_dist percent_rank array_agg string_agg`
  .split(/\s+/)
  .filter(Boolean);
