namespace CrowdWatch.Storage.Embedded;

/// <summary>The embedded store's schema, step by step. Steps are never edited once released: a change is a new step.</summary>
internal static class SqliteSchema
{
    /// <summary>The steps, in order.</summary>
    public static readonly IReadOnlyList<Migration> Migrations =
    [
        new(1, "binned counts per area, channel, slot, cell and source; zone totals per slot; grids, cells, walkable surfaces and zone outlines; audit log; API keys; forecast runs; alert events and the outbox", """
            CREATE TABLE area (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
            CREATE TABLE channel (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
            CREATE TABLE count_source (
                id INTEGER PRIMARY KEY,
                area_id INTEGER NOT NULL REFERENCES area (id),
                name TEXT NOT NULL,
                UNIQUE (area_id, name));
            -- The slots each source has written: what makes a re-run replace rather than add.
            CREATE TABLE count_slot (
                source_id INTEGER NOT NULL REFERENCES count_source (id),
                slot_start INTEGER NOT NULL,
                rows INTEGER NOT NULL,
                written_at INTEGER NOT NULL,
                PRIMARY KEY (source_id, slot_start)) WITHOUT ROWID;
            CREATE TABLE count (
                area_id INTEGER NOT NULL,
                channel_id INTEGER NOT NULL,
                slot_start INTEGER NOT NULL,
                cell INTEGER NOT NULL,
                source_id INTEGER NOT NULL,
                value REAL NOT NULL,
                -- Keyed as a batch writes: one source's slots in one run of the key, so a load appends and a
                -- replace deletes a range, with no second index to keep.
                PRIMARY KEY (area_id, slot_start, source_id, channel_id, cell)) WITHOUT ROWID;
            CREATE TABLE zone (
                id INTEGER PRIMARY KEY,
                area_id INTEGER NOT NULL REFERENCES area (id),
                name TEXT NOT NULL,
                UNIQUE (area_id, name));
            -- Zone totals beside the cells: a zone's year is 35 040 rows read in key order, not its cells summed.
            CREATE TABLE zone_count (
                zone_id INTEGER NOT NULL,
                channel_id INTEGER NOT NULL,
                slot_start INTEGER NOT NULL,
                source_id INTEGER NOT NULL,
                value REAL NOT NULL,
                PRIMARY KEY (zone_id, channel_id, slot_start, source_id)) WITHOUT ROWID;
            CREATE INDEX zone_count_by_source ON zone_count (source_id, slot_start);
            -- Each zone's outline as it was when counted (WKB, WGS84): spatial answers come from NetTopologySuite.
            CREATE TABLE zone_geom (
                zone_id INTEGER PRIMARY KEY REFERENCES zone (id),
                wkb BLOB NOT NULL,
                capacity INTEGER,
                walkable_m2 REAL);
            CREATE TABLE grid (
                area_id INTEGER PRIMARY KEY REFERENCES area (id),
                epsg INTEGER NOT NULL, origin_x REAL NOT NULL, origin_y REAL NOT NULL, cell_size_m REAL NOT NULL,
                rows INTEGER NOT NULL, cols INTEGER NOT NULL);
            CREATE TABLE cell (
                area_id INTEGER NOT NULL REFERENCES area (id),
                cell INTEGER NOT NULL,
                walkable_m2 REAL NOT NULL,
                PRIMARY KEY (area_id, cell)) WITHOUT ROWID;
            CREATE TABLE walkable_geom (
                id INTEGER PRIMARY KEY,
                area_id INTEGER NOT NULL REFERENCES area (id),
                wkb BLOB NOT NULL);
            CREATE TABLE audit (
                id INTEGER PRIMARY KEY,
                at INTEGER NOT NULL,
                actor TEXT NOT NULL,
                action TEXT NOT NULL,
                target TEXT NOT NULL,
                detail TEXT);
            CREATE INDEX audit_by_time ON audit (at);
            -- Only the SHA-256 of each secret is kept.
            CREATE TABLE api_key (
                name TEXT PRIMARY KEY,
                role TEXT NOT NULL,
                hash BLOB NOT NULL UNIQUE,
                created_at INTEGER NOT NULL,
                revoked_at INTEGER);
            CREATE TABLE forecast_run (
                id TEXT PRIMARY KEY,
                area_id INTEGER NOT NULL REFERENCES area (id),
                issued_at INTEGER NOT NULL,
                origin_slot INTEGER NOT NULL,
                model TEXT NOT NULL);
            CREATE INDEX forecast_run_latest ON forecast_run (area_id, issued_at);
            CREATE TABLE forecast_value (
                run_id TEXT NOT NULL REFERENCES forecast_run (id),
                is_zone INTEGER NOT NULL,
                place TEXT NOT NULL,
                horizon INTEGER NOT NULL,
                target_slot INTEGER NOT NULL,
                mean REAL NOT NULL, low80 REAL NOT NULL, high80 REAL NOT NULL, low95 REAL NOT NULL, high95 REAL NOT NULL,
                exceedance TEXT NOT NULL, -- JSON array, lowest level first
                PRIMARY KEY (run_id, is_zone, place, horizon)) WITHOUT ROWID;
            CREATE TABLE alert_event (
                alert_id TEXT NOT NULL,
                sequence INTEGER NOT NULL,
                at INTEGER NOT NULL,
                kind TEXT NOT NULL,
                area TEXT NOT NULL,
                place TEXT NOT NULL,
                level TEXT NOT NULL,
                actor TEXT NOT NULL,
                note TEXT,
                message TEXT,
                PRIMARY KEY (alert_id, sequence));
            CREATE TABLE outbox (
                id INTEGER PRIMARY KEY,
                alert_id TEXT NOT NULL,
                sequence INTEGER NOT NULL,
                channel TEXT NOT NULL,
                recipient TEXT NOT NULL,
                payload TEXT NOT NULL,
                attempts INTEGER NOT NULL DEFAULT 0,
                next_attempt INTEGER NOT NULL,
                delivered_at INTEGER,
                last_error TEXT,
                FOREIGN KEY (alert_id, sequence) REFERENCES alert_event (alert_id, sequence));
            CREATE INDEX outbox_due ON outbox (next_attempt) WHERE delivered_at IS NULL;
            """),
        new(2, "alert events keep the alert as it stood after them (JSON), so that open alerts carry on after a restart", """
            ALTER TABLE alert_event ADD COLUMN state TEXT;
            """),
        new(3, "each place's open alert, one at most: the store refuses a second raise of a place, whichever node judges", """
            CREATE TABLE open_place (
                area TEXT NOT NULL,
                place TEXT NOT NULL,
                alert_id TEXT NOT NULL,
                PRIMARY KEY (area, place));
            INSERT OR IGNORE INTO open_place (area, place, alert_id)
                SELECT e.area, e.place, e.alert_id FROM alert_event e
                WHERE e.sequence = (SELECT max(sequence) FROM alert_event m WHERE m.alert_id = e.alert_id)
                AND e.kind NOT IN ('resolved', 'expired') ORDER BY e.at DESC;
            """),
        new(4, "CAMARA sink deliveries: an asynchronous request kept until its answer reached the client's sink", """
            CREATE TABLE sink_delivery (
                operation_id TEXT PRIMARY KEY,
                api TEXT NOT NULL,
                request TEXT NOT NULL,
                sink TEXT NOT NULL,
                token TEXT,
                correlator TEXT,
                accepted INTEGER NOT NULL,
                payload TEXT,
                attempts INTEGER NOT NULL DEFAULT 0,
                next_attempt INTEGER NOT NULL,
                delivered INTEGER,
                last_error TEXT);
            CREATE INDEX sink_delivery_due ON sink_delivery (next_attempt) WHERE delivered IS NULL;
            """),
    ];
}
