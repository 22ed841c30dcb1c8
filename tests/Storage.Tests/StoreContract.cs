using CrowdWatch.Alerts.Storage;
using CrowdWatch.Forecast.Storage;
using CrowdWatch.Geo.Areas;
using CrowdWatch.Geo.Grids;
using CrowdWatch.Geo.Storage;
using CrowdWatch.Geo.Zones;
using CrowdWatch.Storage.Access;

namespace CrowdWatch.Storage.Tests;

/// <summary>
/// What every count store must do, run against each backend: the embedded file and a real PostgreSQL server.
/// </summary>
public abstract class StoreContract
{
    private const long Slot0 = 1_759_312_800_000; // 2025-10-01T10:00Z
    private const long Slot = 15 * 60_000;

    private readonly Dictionary<ICountStore, Store> _stores = new(ReferenceEqualityComparer.Instance);

    /// <summary>A new, empty store of the backend under test.</summary>
    protected abstract Task<Store> OpenNewAsync();

    /// <summary>A second handle on the same database as <paramref name="store"/>, as a second instance would open it.</summary>
    protected abstract Task<Store> ReopenAsync(Store store);

    /// <summary>The count store of a new, empty store.</summary>
    protected async Task<ICountStore> NewStoreAsync()
    {
        var store = await OpenNewAsync();
        _stores[store.Counts] = store;
        return store.Counts;
    }

    private async Task<ICountStore> ReopenAsync(ICountStore counts) => (await ReopenAsync(_stores[counts])).Counts;

    private static CountBatch Batch(string source, long[] slots, params CountRecord[] rows) => new("chongqing", source, slots, rows);

    private static CountRecord Devices(long slot, int cell, double value) => new(slot, "devices", cell, value);

    private static Task<IReadOnlyList<CountRecord>> Read(ICountStore store, long from = Slot0, long to = Slot0 + (100 * Slot), int[]? cells = null) =>
        store.ReadAsync(new CountQuery("chongqing", "devices", from, to, cells));

    [Fact]
    public async Task Counts_read_back_in_slot_and_cell_order_within_the_window_and_cells_asked()
    {
        var store = await NewStoreAsync();
        await store.WriteAsync(Batch("a.csv", [Slot0, Slot0 + Slot, Slot0 + (2 * Slot)],
            Devices(Slot0 + Slot, 7, 3), Devices(Slot0, 9, 2), Devices(Slot0, 4, 5), Devices(Slot0 + (2 * Slot), 4, 1),
            new CountRecord(Slot0, "search", 4, 40)));

        Assert.Equal([Devices(Slot0, 4, 5), Devices(Slot0, 9, 2), Devices(Slot0 + Slot, 7, 3), Devices(Slot0 + (2 * Slot), 4, 1)], await Read(store));
        Assert.Equal([Devices(Slot0 + Slot, 7, 3)], await Read(store, Slot0 + Slot, Slot0 + (2 * Slot)));
        Assert.Equal([Devices(Slot0, 4, 5), Devices(Slot0 + (2 * Slot), 4, 1)], await Read(store, cells: [4]));
        Assert.Equal([new CountRecord(Slot0, "search", 4, 40)], await store.ReadAsync(new CountQuery("chongqing", "search", Slot0, Slot0 + Slot)));
        Assert.Empty(await store.ReadAsync(new CountQuery("elsewhere", "devices", Slot0, Slot0 + Slot)));
    }

    [Fact]
    public async Task Writing_a_source_again_replaces_its_slots_instead_of_adding()
    {
        var store = await NewStoreAsync();
        await store.WriteAsync(Batch("a.csv", [Slot0, Slot0 + Slot], Devices(Slot0, 4, 5), Devices(Slot0 + Slot, 4, 6)));
        await store.WriteAsync(Batch("a.csv", [Slot0, Slot0 + Slot], Devices(Slot0, 4, 5), Devices(Slot0 + Slot, 4, 6)));
        Assert.Equal([Devices(Slot0, 4, 5), Devices(Slot0 + Slot, 4, 6)], await Read(store));

        // A covered slot without rows is cleared for that source; a slot not covered is left alone.
        await store.WriteAsync(Batch("a.csv", [Slot0 + Slot]));
        Assert.Equal([Devices(Slot0, 4, 5)], await Read(store));
        Assert.Equal([Slot0, Slot0 + Slot], await store.SlotsOfSourceAsync("chongqing", "a.csv"));
    }

    [Fact]
    public async Task Sources_add_up_and_repeated_rows_in_a_batch_are_summed()
    {
        var store = await NewStoreAsync();
        await store.WriteAsync(Batch("a.csv", [Slot0], Devices(Slot0, 4, 5), Devices(Slot0, 4, 1)));
        await store.WriteAsync(Batch("b.csv", [Slot0], Devices(Slot0, 4, 2), Devices(Slot0, 8, 0)));
        Assert.Equal([Devices(Slot0, 4, 8)], await Read(store));
    }

    [Fact]
    public async Task A_rejected_batch_leaves_the_store_as_it_was()
    {
        var store = await NewStoreAsync();
        await store.WriteAsync(Batch("a.csv", [Slot0], Devices(Slot0, 4, 5)));
        var bad = Batch("a.csv", [Slot0], Devices(Slot0, 4, 9), Devices(Slot0 + Slot, 4, 1));
        var error = await Assert.ThrowsAsync<ArgumentException>(() => store.WriteAsync(bad));
        Assert.Contains("outside the batch's slots", error.Message, StringComparison.Ordinal);
        Assert.Equal([Devices(Slot0, 4, 5)], await Read(store));
    }

    [Fact]
    public async Task Retention_deletes_only_slots_before_the_cut()
    {
        var store = await NewStoreAsync();
        await store.WriteAsync(Batch("a.csv", [Slot0, Slot0 + Slot, Slot0 + (2 * Slot)],
            Devices(Slot0, 1, 1), Devices(Slot0 + Slot, 2, 2), Devices(Slot0 + (2 * Slot), 3, 3)));
        Assert.Equal(2, await store.DeleteBeforeAsync(Slot0 + (2 * Slot)));
        Assert.Equal([Devices(Slot0 + (2 * Slot), 3, 3)], await Read(store));
        Assert.Equal([Slot0 + (2 * Slot)], await store.SlotsOfSourceAsync("chongqing", "a.csv"));
    }

    [Fact]
    public async Task Instances_opening_the_store_together_migrate_it_once_and_keep_its_data()
    {
        var store = await NewStoreAsync();
        await store.WriteAsync(Batch("a.csv", [Slot0], Devices(Slot0, 4, 5)));
        var others = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => ReopenAsync(store)));
        foreach (var other in others)
        {
            Assert.Equal([Devices(Slot0, 4, 5)], await Read(other));
            if (other is IAsyncDisposable disposable) await disposable.DisposeAsync();
        }
    }

    [Fact]
    public async Task Concurrent_writers_of_different_sources_lose_nothing()
    {
        var store = await NewStoreAsync();
        await Task.WhenAll(Enumerable.Range(0, 6).Select(k => Task.Run(() =>
            store.WriteAsync(Batch($"feed-{k}", [Slot0, Slot0 + Slot], Devices(Slot0, 4, k + 1), Devices(Slot0 + Slot, k, 1))))));
        var read = await Read(store);
        Assert.Equal(21, read.Where(r => r.SlotStartMs == Slot0).Sum(r => r.Value));
        Assert.Equal(6, read.Count(r => r.SlotStartMs == Slot0 + Slot));
    }

    [Fact]
    public async Task Zone_totals_read_back_per_slot_summed_over_sources_and_are_replaced_with_their_slots()
    {
        var store = await NewStoreAsync();
        ZoneCountRecord People(long slot, string zone, double value) => new(slot, "people", zone, value);
        await store.WriteAsync(Batch("a.csv", [Slot0, Slot0 + Slot]) with { ZoneRows = [People(Slot0 + Slot, "hongyadong", 120.5), People(Slot0, "hongyadong", 100), People(Slot0, "jiefangbei", 7)] });
        await store.WriteAsync(Batch("b.csv", [Slot0]) with { ZoneRows = [People(Slot0, "hongyadong", 50)] });
        var query = new ZoneQuery("chongqing", "hongyadong", "people", Slot0, Slot0 + (10 * Slot));
        Assert.Equal([People(Slot0, "hongyadong", 150), People(Slot0 + Slot, "hongyadong", 120.5)], await store.ReadZoneAsync(query));
        Assert.Empty(await store.ReadZoneAsync(query with { Channel = "devices" }));

        // Source a again, now only for its first slot and with a new value: its second slot is left alone.
        await store.WriteAsync(Batch("a.csv", [Slot0]) with { ZoneRows = [People(Slot0, "hongyadong", 10)] });
        Assert.Equal([People(Slot0, "hongyadong", 60), People(Slot0 + Slot, "hongyadong", 120.5)], await store.ReadZoneAsync(query));
        Assert.Empty(await store.ReadZoneAsync(query with { Zone = "jiefangbei" }));
    }

    [Fact]
    public async Task Audit_entries_are_kept_in_time_order_and_read_by_window_and_actor()
    {
        var log = (await OpenNewAsync()).Audit;
        await log.AppendAsync(new AuditEntry(Slot0 + 2000, "li.wei", "alert.acknowledge", "alert-17", "second exit opened"));
        await log.AppendAsync(new AuditEntry(Slot0 + 1000, "system", "alert.raise", "alert-17"));
        await log.AppendAsync(new AuditEntry(Slot0 + 9000, "li.wei", "heatmap.view", "chongqing"));
        Assert.Equal(["alert.raise", "alert.acknowledge", "heatmap.view"], (await log.ReadAsync(Slot0, Slot0 + 10_000)).Select(e => e.Action));
        Assert.Equal([new AuditEntry(Slot0 + 2000, "li.wei", "alert.acknowledge", "alert-17", "second exit opened")], await log.ReadAsync(Slot0, Slot0 + 5000, "li.wei"));
        Assert.Empty(await log.ReadAsync(Slot0 + 10_000, Slot0 + 20_000));

        // Only where an operator sets a retention: entries before the cut go, later ones stay.
        Assert.Equal(2, await log.DeleteAuditBeforeAsync(Slot0 + 5000));
        Assert.Equal(["heatmap.view"], (await log.ReadAsync(Slot0, Slot0 + 10_000)).Select(e => e.Action));
    }

    [Fact]
    public async Task Api_keys_verify_until_revoked_and_names_are_unique()
    {
        var keys = (await OpenNewAsync()).Keys;
        var secret = await keys.IssueAsync("police-webhook", "operator");
        Assert.StartsWith(ApiKeySecret.Prefix, secret, StringComparison.Ordinal);
        var key = await keys.VerifyAsync(secret);
        Assert.Equal(("police-webhook", "operator"), (key?.Name, key?.Role));
        Assert.Null(await keys.VerifyAsync(secret + "x"));
        await Assert.ThrowsAsync<ArgumentException>(() => keys.IssueAsync("police-webhook", "viewer"));
        Assert.True(await keys.RevokeAsync("police-webhook"));
        Assert.Null(await keys.VerifyAsync(secret));
        Assert.False(await keys.RevokeAsync("police-webhook"));
    }

    [Fact]
    public async Task Forecast_runs_keep_every_value_and_the_newest_run_is_found()
    {
        var store = (await OpenNewAsync()).Forecasts;
        ForecastValue Value(string place, bool zone, int h) =>
            new(place, zone, h, Slot0 + (h * Slot), 100.25 * h, 90 * h, 110 * h, 80.5 * h, 120 * h, [0.5 / h, 0.25 / h, 0.1 / h, 0.01 / h]);
        var older = new ForecastRun(Guid.NewGuid(), "chongqing", Slot0, Slot0, "historical-average", [Value("hongyadong", true, 1)]);
        var newer = new ForecastRun(Guid.NewGuid(), "chongqing", Slot0 + 60_000, Slot0, "lightgbm h=48",
            [Value("hongyadong", true, 2), Value("hongyadong", true, 1), Value("4391", false, 1)]);
        await store.SaveRunAsync(newer);
        await store.SaveRunAsync(older);

        var latest = await store.LatestRunAsync("chongqing");
        Assert.Equal((newer.Id, newer.IssuedMs, newer.OriginSlotMs, "lightgbm h=48"), (latest!.Id, latest.IssuedMs, latest.OriginSlotMs, latest.Model));
        Assert.Equal([Value("hongyadong", true, 1), Value("hongyadong", true, 2)], await store.ValuesAsync(newer.Id, "hongyadong", true));
        Assert.Equal([Value("4391", false, 1)], await store.ValuesAsync(newer.Id, "4391", false));
        Assert.Empty(await store.ValuesAsync(newer.Id, "4391", true));
        // The map of one target slot: every cell's forecast of it (a zone's are asked apart).
        Assert.Equal([Value("4391", false, 1)], await store.SlotValuesAsync(newer.Id, Slot0 + Slot, isZone: false));
        Assert.Equal([Value("hongyadong", true, 2)], await store.SlotValuesAsync(newer.Id, Slot0 + (2 * Slot), isZone: true));
        Assert.Empty(await store.SlotValuesAsync(newer.Id, Slot0 + (2 * Slot), isZone: false));
        Assert.Null(await store.LatestRunAsync("elsewhere"));
    }

    [Fact]
    public async Task An_alert_event_and_its_messages_are_stored_together_and_the_outbox_tracks_delivery()
    {
        var store = (await OpenNewAsync()).Alerts;
        var id = Guid.NewGuid();
        var raised = new AlertEvent(id, 1, Slot0, "raised", "chongqing", "hongyadong", "orange", "system", null, "<alert/>");
        await store.RecordAsync(raised, [
            new OutboxMessage(0, id, 1, "webhook", "http://127.0.0.1:9/police", "{}", NextAttemptMs: Slot0),
            new OutboxMessage(0, id, 1, "sms", "+8613800000000", "Orange warning at Hongyadong", NextAttemptMs: Slot0),
        ]);
        var acknowledged = new AlertEvent(id, 2, Slot0 + 60_000, "acknowledged", "chongqing", "hongyadong", "orange", "li.wei", "second exit opened");
        await store.RecordAsync(acknowledged, []);
        Assert.Equal([raised, acknowledged], await store.EventsAsync(id));

        // The same sequence twice is refused, and its messages are not queued.
        await Assert.ThrowsAsync<AlertConflictException>(() => store.RecordAsync(acknowledged, [new OutboxMessage(0, id, 2, "sms", "+86", "x", NextAttemptMs: Slot0)]));
        var due = await store.DueAsync(Slot0, 10);
        Assert.Equal(["webhook", "sms"], due.Select(m => m.Channel));

        await store.DeliveredAsync(due[0].Id, Slot0 + 1000);
        await store.FailedAsync(due[1].Id, "gateway answered 503", Slot0 + 30_000);
        Assert.Empty(await store.DueAsync(Slot0 + 29_000, 10));
        var retry = Assert.Single(await store.DueAsync(Slot0 + 30_000, 10));
        Assert.Equal(("sms", 1, "gateway answered 503"), (retry.Channel, retry.Attempts, retry.LastError));

        // Retention takes whole alerts whose last event is before the cut, with their messages; a later alert stays.
        var later = Guid.NewGuid();
        await store.RecordAsync(new AlertEvent(later, 1, Slot0 + Slot, "raised", "chongqing", "jiefangbei", "blue", "system"),
            [new OutboxMessage(0, later, 1, "cap", "feed", "<alert/>", NextAttemptMs: Slot0 + Slot)]);
        Assert.Equal(1, await store.DeleteAlertsBeforeAsync(Slot0 + 120_000));
        Assert.Empty(await store.EventsAsync(id));
        Assert.Single(await store.EventsAsync(later));
        Assert.Equal(["cap"], (await store.DueAsync(Slot0 + Slot, 10)).Select(m => m.Channel));
    }

    [Fact]
    public async Task Dispatchers_on_two_handles_claim_each_due_message_once_and_a_claim_never_settled_comes_back_when_its_lease_ends()
    {
        var first = await OpenNewAsync();
        var second = await ReopenAsync(first); // as another node would open the same store
        var id = Guid.NewGuid();
        await first.Alerts.RecordAsync(new AlertEvent(id, 1, Slot0, "raised", "chongqing", "hongyadong", "red", "system", null, "<alert/>"),
            [.. Enumerable.Range(0, 10).Select(i => new OutboxMessage(0, id, 1, "webhook", $"http://127.0.0.1:9/r{i}", "{}", NextAttemptMs: Slot0))]);
        const long Lease = 120_000;

        // Claiming at the same moment, the two take disjoint messages, and between them all ten.
        var claims = await Task.WhenAll(first.Alerts.ClaimAsync(Slot0, 6, Lease), second.Alerts.ClaimAsync(Slot0, 6, Lease));
        var ids = claims.SelectMany(c => c.Select(m => m.Id)).ToList();
        Assert.Equal(10, ids.Count);
        Assert.Equal(10, ids.Distinct().Count());
        Assert.All(claims, c => Assert.Equal(c.Select(m => m.Id).Order(), c.Select(m => m.Id)));
        Assert.Empty(await first.Alerts.ClaimAsync(Slot0 + Lease - 1, 10, Lease));

        // The first dispatcher settles its claim; the second dies holding its own: those come back, and only those.
        foreach (var m in claims[0]) await first.Alerts.DeliveredAsync(m.Id, Slot0 + 1_000);
        var again = await first.Alerts.ClaimAsync(Slot0 + Lease, 10, Lease);
        Assert.Equal(claims[1].Select(m => m.Id).Order(), again.Select(m => m.Id));
        Assert.Equal(claims[1].Select(m => (m.AlertId, m.Sequence, m.Recipient)).OrderBy(m => m.Recipient), again.Select(m => (m.AlertId, m.Sequence, m.Recipient)).OrderBy(m => m.Recipient));
    }

    [Fact]
    public async Task Open_alerts_are_the_latest_event_of_each_alert_not_resolved_or_expired_with_its_state()
    {
        var store = (await OpenNewAsync()).Alerts;
        var (a, b, c) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        await store.RecordAsync(new AlertEvent(a, 1, Slot0, "raised", "chongqing", "zone:hongyadong", "yellow", "system", null, "<alert/>", "{\"v\":1}"), []);
        await store.RecordAsync(new AlertEvent(a, 2, Slot0 + Slot, "updated", "chongqing", "zone:hongyadong", "orange", "system", null, "<alert/>", "{\"v\":2}"), []);
        await store.RecordAsync(new AlertEvent(b, 1, Slot0, "raised", "chongqing", "zone:jiefangbei", "blue", "system"), []);
        await store.RecordAsync(new AlertEvent(b, 2, Slot0 + (2 * Slot), "resolved", "chongqing", "zone:jiefangbei", "blue", "li.wei"), []);
        await store.RecordAsync(new AlertEvent(c, 1, Slot0 + (3 * Slot), "raised", "elsewhere", "zone:x", "red", "system"), []);
        var open = await store.OpenAlertsAsync();
        Assert.Equal([(c, 1), (a, 2)], open.Select(e => (e.AlertId, e.Sequence)));
        Assert.Equal("{\"v\":2}", open[1].State);
        Assert.Equal([a], (await store.OpenAlertsAsync("chongqing")).Select(e => e.AlertId));
    }

    [Fact]
    public async Task A_place_with_an_open_alert_cannot_be_raised_again_by_another_writer_until_it_is_resolved()
    {
        var store = (await OpenNewAsync()).Alerts;
        var (first, second, third) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        await store.RecordAsync(new AlertEvent(first, 1, Slot0, "raised", "chongqing", "zone:hongyadong", "red", "node-1", null, "<alert/>"),
            [new OutboxMessage(0, first, 1, "webhook", "http://127.0.0.1:1/hook", "{}", 0, Slot0, null)]);
        // A second judge of the same slot (a node that has not seen the first raise) is refused, its message with it.
        var twice = await Assert.ThrowsAsync<AlertConflictException>(() => store.RecordAsync(
            new AlertEvent(second, 1, Slot0 + 1, "raised", "chongqing", "zone:hongyadong", "red", "node-2", null, "<alert/>"),
            [new OutboxMessage(0, second, 1, "webhook", "http://127.0.0.1:1/hook", "{}", 0, Slot0, null)]));
        Assert.Contains("zone:hongyadong", twice.Message, StringComparison.Ordinal);
        Assert.Equal([first], (await store.OpenAlertsAsync("chongqing")).Select(e => e.AlertId));
        Assert.Empty(await store.EventsAsync(second));
        // Due "at any time" (long.MaxValue, as the deliverer's --until-empty asks) is a valid question on every store.
        Assert.Equal([first], (await store.DueAsync(long.MaxValue, 10)).Select(m => m.AlertId));
        // The same event twice (a redelivered judgement) is a conflict too; another place or area is not.
        await Assert.ThrowsAsync<AlertConflictException>(() => store.RecordAsync(new AlertEvent(first, 1, Slot0, "raised", "chongqing", "zone:hongyadong", "red", "node-2"), []));
        await store.RecordAsync(new AlertEvent(third, 1, Slot0, "raised", "chongqing", "zone:jiefangbei", "red", "node-2"), []);
        await store.RecordAsync(new AlertEvent(Guid.NewGuid(), 1, Slot0, "raised", "elsewhere", "zone:hongyadong", "red", "node-2"), []);

        // Resolved, the place may be raised again.
        await store.RecordAsync(new AlertEvent(first, 2, Slot0 + Slot, "resolved", "chongqing", "zone:hongyadong", "red", "li.wei"), []);
        await store.RecordAsync(new AlertEvent(second, 1, Slot0 + (2 * Slot), "raised", "chongqing", "zone:hongyadong", "orange", "node-2"), []);
        Assert.Equal(new[] { second, third }.Order(), (await store.OpenAlertsAsync("chongqing")).Select(e => e.AlertId).Order());
    }

    [Fact]
    public async Task An_area_is_kept_with_its_grid_walkable_surfaces_and_zones_and_saved_again_replaces_it()
    {
        var store = (await OpenNewAsync()).Areas;
        var factory = new NetTopologySuite.Geometries.GeometryFactory();
        var plaza = factory.CreatePolygon([new(106.5780, 29.5625), new(106.5800, 29.5625), new(106.5800, 29.5640), new(106.5780, 29.5640), new(106.5780, 29.5625)]);
        var deck = factory.CreatePolygon([new(106.5776, 29.5623), new(106.5803, 29.5625), new(106.5805, 29.5640), new(106.5776, 29.5623)]);
        Area NewArea(params NetTopologySuite.Geometries.Geometry[] walkable) => new(new AreaSettings
        {
            Name = "hongyadong",
            Grid = new GridDefinition { Centre = (106.5790, 29.5630), WidthM = 1000, HeightM = 800 },
        }, walkable, [new Zone("洪崖洞 Hongyadong", deck, 20_000, null, null)]);

        Assert.Null(await store.LoadAreaAsync("hongyadong"));
        var area = NewArea(plaza);
        await store.SaveAreaAsync(area);
        var kept = await store.LoadAreaAsync("hongyadong");
        Assert.Equal(area.Grid.Spec, kept!.Grid);
        Assert.Equal(area.WalkableM2, kept.WalkableM2);
        Assert.True(kept.WalkableM2.Sum() > 10_000, $"{kept.WalkableM2.Sum()} m²"); // the plaza, about 190 m x 170 m
        Assert.True(plaza.EqualsExact(Assert.Single(kept.WalkableSurfaces), 1e-12));
        Assert.Equal(["洪崖洞 Hongyadong"], kept.Zones);

        // Saved again without the plaza: the cells fall back to the default walkable share, and no surface is left.
        var plain = NewArea();
        await store.SaveAreaAsync(plain);
        kept = await store.LoadAreaAsync("hongyadong");
        Assert.Empty(kept!.WalkableSurfaces);
        Assert.Equal(plain.WalkableM2, kept.WalkableM2);
    }
}
