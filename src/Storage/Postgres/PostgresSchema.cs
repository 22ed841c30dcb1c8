namespace CrowdWatch.Storage.Postgres;

/// <summary>The PostgreSQL + PostGIS schema, step by step. Steps are never edited once released: a change is a new step.</summary>
internal static class PostgresSchema
{
    /// <summary>Advisory lock key that serialises migrations of instances starting together.</summary>
    public const long MigrationLock = 0x43_57_4D_49_47; // "CWMIG"

    /// <summary>First key of the advisory locks that serialise writers of one source (second key: the source id).</summary>
    public const int SourceLock = 0x43_57_53_01;

    /// <summary>First key of the advisory locks that serialise creating one month's partition (second key: the month).</summary>
    public const int PartitionLock = 0x43_57_50_01;

    /// <summary>The steps, in order.</summary>
    public static readonly IReadOnlyList<Migration> Migrations =
    [
        new(1, "binned counts per area, channel, slot, cell and source, partitioned by month; zone totals per slot; grids, cells, walkable surfaces and zones with geometry; audit log; API keys; forecast runs; alert events and the outbox", """
            CREATE EXTENSION IF NOT EXISTS postgis;
            CREATE TABLE area (id serial PRIMARY KEY, name text NOT NULL UNIQUE);
            CREATE TABLE channel (id serial PRIMARY KEY, name text NOT NULL UNIQUE);
            CREATE TABLE count_source (
                id serial PRIMARY KEY,
                area_id integer NOT NULL REFERENCES area (id),
                name text NOT NULL,
                UNIQUE (area_id, name));
            -- The slots each source has written: what makes a re-run replace rather than add.
            CREATE TABLE count_slot (
                source_id integer NOT NULL REFERENCES count_source (id),
                slot_start timestamptz NOT NULL,
                rows integer NOT NULL,
                written_at timestamptz NOT NULL DEFAULT now(),
                PRIMARY KEY (source_id, slot_start));
            -- Partitioned by month of the slot (partitions are created as data arrives), so that retention drops
            -- whole partitions and a year's series reads only the months it spans.
            -- The source names the area (count_source.area_id): one column less for every COPY to carry.
            CREATE TABLE count (
                channel_id integer NOT NULL,
                slot_start timestamptz NOT NULL,
                cell integer NOT NULL,
                source_id integer NOT NULL,
                value double precision NOT NULL
            ) PARTITION BY RANGE (slot_start);
            -- No B-tree: rows arrive in time order, so a block-range index on the slot finds a slot's rows for a
            -- fraction of a B-tree's upkeep on every COPY (a B-tree on (source, slot) cost a third more per load).
            -- Each (slot, source, channel, cell) is written once: a batch deletes its source's slots before it
            -- inserts, under a lock per source, and sums repeated rows first, so no unique key is checked per row.
            CREATE INDEX count_by_slot ON count USING brin (slot_start) WITH (pages_per_range = 32, autosummarize = on);
            CREATE TABLE zone (
                id serial PRIMARY KEY,
                area_id integer NOT NULL REFERENCES area (id),
                name text NOT NULL,
                UNIQUE (area_id, name));
            -- Zone totals beside the cells: a zone's year is 35 040 rows read in key order, not its cells summed.
            CREATE TABLE zone_count (
                zone_id integer NOT NULL,
                channel_id integer NOT NULL,
                slot_start timestamptz NOT NULL,
                source_id integer NOT NULL,
                value double precision NOT NULL,
                PRIMARY KEY (zone_id, channel_id, slot_start, source_id));
            CREATE INDEX zone_count_by_source ON zone_count (source_id, slot_start);
            -- Cells and zones with their geometry in WGS84 and in the grid's projected CRS (its SRID on each row),
            -- for spatial questions in SQL: cells inside a polygon, zone overlap, counts in a drawn area.
            CREATE TABLE cell_geom (
                area_id integer NOT NULL REFERENCES area (id),
                cell integer NOT NULL,
                geom geometry(Polygon, 4326) NOT NULL,
                geom_projected geometry(Polygon) NOT NULL,
                walkable_m2 double precision NOT NULL,
                PRIMARY KEY (area_id, cell));
            CREATE TABLE grid (
                area_id integer PRIMARY KEY REFERENCES area (id),
                epsg integer NOT NULL, origin_x double precision NOT NULL, origin_y double precision NOT NULL,
                cell_size_m double precision NOT NULL, rows integer NOT NULL, cols integer NOT NULL);
            CREATE TABLE walkable_geom (
                id bigserial PRIMARY KEY,
                area_id integer NOT NULL REFERENCES area (id),
                geom geometry(Geometry, 4326) NOT NULL,
                geom_projected geometry NOT NULL);
            CREATE INDEX walkable_geom_gist ON walkable_geom USING gist (geom);
            CREATE INDEX cell_geom_gist ON cell_geom USING gist (geom);
            CREATE INDEX cell_geom_projected_gist ON cell_geom USING gist (geom_projected);
            CREATE TABLE zone_geom (
                zone_id integer PRIMARY KEY REFERENCES zone (id),
                geom geometry(MultiPolygon, 4326) NOT NULL,
                geom_projected geometry(MultiPolygon) NOT NULL,
                capacity integer,
                walkable_m2 double precision);
            CREATE INDEX zone_geom_gist ON zone_geom USING gist (geom);
            CREATE TABLE audit (
                id bigserial PRIMARY KEY,
                at timestamptz NOT NULL,
                actor text NOT NULL,
                action text NOT NULL,
                target text NOT NULL,
                detail text);
            CREATE INDEX audit_by_time ON audit (at);
            -- Only the SHA-256 of each secret is kept.
            CREATE TABLE api_key (
                name text PRIMARY KEY,
                role text NOT NULL,
                hash bytea NOT NULL UNIQUE,
                created_at timestamptz NOT NULL,
                revoked_at timestamptz);
            CREATE TABLE forecast_run (
                id uuid PRIMARY KEY,
                area_id integer NOT NULL REFERENCES area (id),
                issued_at timestamptz NOT NULL,
                origin_slot timestamptz NOT NULL,
                model text NOT NULL);
            CREATE INDEX forecast_run_latest ON forecast_run (area_id, issued_at);
            CREATE TABLE forecast_value (
                run_id uuid NOT NULL REFERENCES forecast_run (id),
                is_zone boolean NOT NULL,
                place text NOT NULL,
                horizon integer NOT NULL,
                target_slot timestamptz NOT NULL,
                mean double precision NOT NULL, low80 double precision NOT NULL, high80 double precision NOT NULL,
                low95 double precision NOT NULL, high95 double precision NOT NULL,
                exceedance double precision[] NOT NULL, -- lowest level first
                PRIMARY KEY (run_id, is_zone, place, horizon));
            CREATE TABLE alert_event (
                alert_id uuid NOT NULL,
                sequence integer NOT NULL,
                at timestamptz NOT NULL,
                kind text NOT NULL,
                area text NOT NULL,
                place text NOT NULL,
                level text NOT NULL,
                actor text NOT NULL,
                note text,
                message text,
                PRIMARY KEY (alert_id, sequence));
            CREATE TABLE outbox (
                id bigserial PRIMARY KEY,
                alert_id uuid NOT NULL,
                sequence integer NOT NULL,
                channel text NOT NULL,
                recipient text NOT NULL,
                payload text NOT NULL,
                attempts integer NOT NULL DEFAULT 0,
                next_attempt timestamptz NOT NULL,
                delivered_at timestamptz,
                last_error text,
                FOREIGN KEY (alert_id, sequence) REFERENCES alert_event (alert_id, sequence));
            CREATE INDEX outbox_due ON outbox (next_attempt) WHERE delivered_at IS NULL;
            """),
        new(2, "alert events keep the alert as it stood after them (JSON), so that open alerts carry on after a restart", """
            ALTER TABLE alert_event ADD COLUMN state text;
            """),
        new(3, "each place's open alert, one at most: the store refuses a second raise of a place, whichever node judges", """
            CREATE TABLE open_place (
                area text NOT NULL,
                place text NOT NULL,
                alert_id uuid NOT NULL,
                PRIMARY KEY (area, place));
            INSERT INTO open_place (area, place, alert_id)
                SELECT DISTINCT ON (area, place) area, place, alert_id
                FROM (SELECT DISTINCT ON (alert_id) alert_id, area, place, kind, at FROM alert_event ORDER BY alert_id, sequence DESC) latest
                WHERE kind NOT IN ('resolved', 'expired') ORDER BY area, place, at DESC;
            """),
        new(4, "CAMARA sink deliveries: an asynchronous request kept until its answer reached the client's sink", """
            CREATE TABLE sink_delivery (
                operation_id text PRIMARY KEY,
                api text NOT NULL,
                request text NOT NULL,
                sink text NOT NULL,
                token text,
                correlator text,
                accepted bigint NOT NULL,
                payload text,
                attempts integer NOT NULL DEFAULT 0,
                next_attempt bigint NOT NULL,
                delivered bigint,
                last_error text);
            CREATE INDEX sink_delivery_due ON sink_delivery (next_attempt) WHERE delivered IS NULL;
            """),
    ];
}
