using CrowdWatch.Geo.Binning;
using CrowdWatch.Geo.Grids;
using CrowdWatch.Geo.Time;
using CrowdWatch.Geo.Zones;
using NetTopologySuite.Geometries;

namespace CrowdWatch.Geo.Tests.Binning;

public class PingBinnerTests
{
    private static readonly Grid Grid = Grid.Create(new GridDefinition { Centre = (106.5790, 29.5630), WidthM = 1000, HeightM = 1000 });
    private static readonly long T0 = DateTimeOffset.Parse("2026-10-01T20:00:00+08:00", System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeMilliseconds();

    private static (double Lon, double Lat) Centre(int row, int col) => Grid.CellCentre(Grid.CellAt(row, col));

    private static (PingBinner Binner, List<SlotCounts> Closed) NewBinner(ZoneLayer? zones = null, int lateMinutes = 60)
    {
        var closed = new List<SlotCounts>();
        var binner = new PingBinner("t", Grid, SlotClock.Create(15, "Asia/Shanghai"), zones,
            new PingBinnerOptions(TimeSpan.FromMinutes(lateMinutes), TimeSpan.FromMinutes(30), 0.5), closed.Add);
        return (binner, closed);
    }

    [Fact]
    public void Binning_counts_distinct_devices_not_pings()
    {
        var (binner, closed) = NewBinner();
        var (lon, lat) = Centre(3, 3);
        for (var i = 0; i < 10; i++) binner.Add(lon + (i * 1e-6), lat, T0 + (i * 60_000), device: 0);
        for (var i = 0; i < 3; i++) binner.Add(lon, lat, T0 + 30_000 + (i * 60_000), device: 1);
        binner.Complete();

        var slot = Assert.Single(closed);
        Assert.Equal(2, slot.Devices![Grid.CellAt(3, 3).Id]);
        Assert.Equal(2, slot.Devices.Sum());
    }

    [Fact]
    public void Device_crossing_two_cells_in_a_slot_counts_in_each_and_only_once_when_it_returns()
    {
        var (binner, closed) = NewBinner();
        var a = Centre(3, 3);
        var b = Centre(3, 4);
        binner.Add(a.Lon, a.Lat, T0, 7);
        binner.Add(b.Lon, b.Lat, T0 + 60_000, 7);
        binner.Add(a.Lon, a.Lat, T0 + 120_000, 7);
        binner.Complete();

        var slot = Assert.Single(closed);
        Assert.Equal(1, slot.Devices![Grid.CellAt(3, 3).Id]);
        Assert.Equal(1, slot.Devices[Grid.CellAt(3, 4).Id]);
        Assert.Equal(2, slot.Outflow![Grid.CellAt(3, 3).Id] + slot.Outflow[Grid.CellAt(3, 4).Id]);
        Assert.Equal(1, slot.Inflow![Grid.CellAt(3, 4).Id]);
        Assert.Equal(1, slot.Inflow[Grid.CellAt(3, 3).Id]);
    }

    [Fact]
    public void Sightings_further_apart_than_the_flow_gap_are_not_a_movement()
    {
        var (binner, closed) = NewBinner();
        var a = Centre(3, 3);
        var b = Centre(6, 6);
        binner.Add(a.Lon, a.Lat, T0, 1);
        binner.Add(b.Lon, b.Lat, T0 + (31 * 60_000), 1);
        binner.Complete();

        Assert.Equal(2, closed.Count);
        Assert.All(closed, s => Assert.Null(s.Inflow));
    }

    [Fact]
    public void Slots_close_once_the_lateness_has_passed_and_later_pings_for_them_are_late()
    {
        var (binner, closed) = NewBinner(lateMinutes: 30);
        var a = Centre(1, 1);
        Assert.Equal(BinOutcome.Counted, binner.Add(a.Lon, a.Lat, T0, 1));
        Assert.Equal(BinOutcome.Counted, binner.Add(a.Lon, a.Lat, T0 + (50 * 60_000), 2));
        Assert.Single(closed); // 20:00 slot ended 20:15; 20:50 is 35 minutes past its end
        Assert.Equal(BinOutcome.Late, binner.Add(a.Lon, a.Lat, T0 + 60_000, 3));
        Assert.Equal(BinOutcome.Counted, binner.Add(a.Lon, a.Lat, T0 + (20 * 60_000), 4)); // 20:15 slot is still open
        binner.Complete();
        Assert.Equal(3, closed.Count);
        Assert.Equal(1, closed[0].Devices!.Sum());
    }

    [Fact]
    public void Repeated_sighting_at_the_same_second_is_a_duplicate_and_points_outside_are_not_counted()
    {
        var (binner, closed) = NewBinner();
        var a = Centre(2, 2);
        Assert.Equal(BinOutcome.Counted, binner.Add(a.Lon, a.Lat, T0 + 5_000, 1));
        Assert.Equal(BinOutcome.Duplicate, binner.Add(a.Lon + 1e-5, a.Lat, T0 + 5_400, 1));
        Assert.Equal(BinOutcome.OutsideGrid, binner.Add(107.5, 29.0, T0 + 9_000, 2));
        binner.Complete();
        Assert.Equal(1, Assert.Single(closed).Devices!.Sum());
    }

    [Fact]
    public void Movements_between_zones_are_counted_per_origin_and_destination()
    {
        var f = new GeometryFactory();
        Zone Square(string name, int row, int col)
        {
            var e = Grid.CellEnvelope(Grid.CellAt(row, col));
            var ring = new[] { (e.MinX, e.MinY), (e.MaxX, e.MinY), (e.MaxX, e.MaxY), (e.MinX, e.MaxY), (e.MinX, e.MinY) }
                .Select(p => { var (lon, lat) = Grid.Projection.Inverse(p.Item1, p.Item2); return new Coordinate(lon, lat); }).ToArray();
            return new Zone(name, f.CreatePolygon(ring), 100, null, null);
        }

        var zones = new ZoneLayer(Grid, [Square("A", 2, 2), Square("B", 2, 5)]);
        var (binner, closed) = NewBinner(zones);
        var a = Centre(2, 2);
        var b = Centre(2, 5);
        var outside = Centre(8, 8);
        for (var d = 0; d < 3; d++)
        {
            binner.Add(a.Lon, a.Lat, T0 + (d * 1000), d);
            binner.Add(b.Lon, b.Lat, T0 + 120_000 + (d * 1000), d);
        }

        binner.Add(outside.Lon, outside.Lat, T0, 9);
        binner.Add(b.Lon, b.Lat, T0 + 60_000, 9);
        binner.Complete();

        var m = Assert.Single(closed).Movements!;
        Assert.Equal(3, m[(0, 1)]);
        Assert.Equal(1, m[(-1, 1)]);
        Assert.Equal(2, m.Count);
    }

    [Fact]
    public void Device_wandering_through_many_cells_and_back_counts_once_per_cell()
    {
        var (binner, closed) = NewBinner();
        int[] cols = [1, 2, 3, 4, 1, 4, 5, 2, 6, 1];
        for (var i = 0; i < cols.Length; i++)
        {
            var (lon, lat) = Centre(2, cols[i]);
            binner.Add(lon, lat, T0 + (i * 60_000), 3);
        }

        binner.Complete();
        var devices = Assert.Single(closed).Devices!;
        foreach (var col in cols.Distinct()) Assert.Equal(1, devices[Grid.CellAt(2, col).Id]);
        Assert.Equal(6, devices.Sum());
    }

    [Fact]
    public void Sighting_arriving_after_the_device_moved_to_a_later_slot_is_still_counted_once()
    {
        var (binner, closed) = NewBinner();
        var a = Centre(1, 1);
        var b = Centre(1, 2);
        var c = Centre(1, 3);
        binner.Add(a.Lon, a.Lat, T0 + 60_000, 5);             // 20:01, slot 20:00, cell A
        binner.Add(b.Lon, b.Lat, T0 + (20 * 60_000), 5);      // 20:20, slot 20:15
        binner.Add(a.Lon, a.Lat, T0 + (5 * 60_000), 5);       // late 20:05: A again in slot 20:00
        binner.Add(c.Lon, c.Lat, T0 + (6 * 60_000), 5);       // late 20:06: C, new in slot 20:00
        binner.Add(c.Lon, c.Lat, T0 + (7 * 60_000), 5);       // late 20:07: C again
        binner.Complete();

        var first = closed.Single(s => s.SlotStartMs == T0).Devices!;
        Assert.Equal(1, first[Grid.CellAt(1, 1).Id]);
        Assert.Equal(1, first[Grid.CellAt(1, 3).Id]);
        Assert.Equal(2, first.Sum());
    }

    [Fact]
    public void Distinct_counts_match_a_naive_reference_on_shuffled_random_pings()
    {
        var random = new Random(11);
        var closed = new List<SlotCounts>();
        using var binner = new PingBinner("t", Grid, SlotClock.Create(15, "Asia/Shanghai"), null,
            new PingBinnerOptions(TimeSpan.FromHours(6), TimeSpan.FromMinutes(30), 1.0), closed.Add);
        var pings = new List<(double Lon, double Lat, long Ms, int Device)>();
        for (var i = 0; i < 20_000; i++)
        {
            var (lon, lat) = Centre(random.Next(3, 7), random.Next(3, 9));
            pings.Add((lon, lat, T0 + (i * 300L) + random.Next(0, 299), random.Next(0, 300)));
        }

        // Out of order within windows of 200 pings (about a minute), as merged feeds arrive.
        for (var i = 0; i < pings.Count; i++)
        {
            var j = Math.Min(pings.Count - 1, i + random.Next(0, 200));
            (pings[i], pings[j]) = (pings[j], pings[i]);
        }

        var clock = SlotClock.Create(15, "Asia/Shanghai");
        var expected = new Dictionary<(long, int), HashSet<int>>();
        foreach (var p in pings)
        {
            var outcome = binner.Add(p.Lon, p.Lat, p.Ms, p.Device);
            if (outcome == BinOutcome.Duplicate) continue;
            Assert.Equal(BinOutcome.Counted, outcome);
            var key = (clock.SlotStartMs(p.Ms), Grid.TryLocateCell(p.Lon, p.Lat));
            (expected.TryGetValue(key, out var set) ? set : expected[key] = []).Add(p.Device);
        }

        binner.Complete();
        Assert.Equal(expected.Keys.Select(k => k.Item1).Distinct().Count(), closed.Count);
        foreach (var slot in closed)
            for (var cell = 0; cell < slot.CellCount; cell++)
                Assert.Equal(expected.TryGetValue((slot.SlotStartMs, cell), out var set) ? set.Count : 0, slot.Devices![cell]);
    }

    [Fact]
    public void Batches_of_any_size_give_the_counts_and_flows_of_a_naive_reference()
    {
        var random = new Random(5);
        var gapMs = 10 * 60_000L;
        var n = 30_000;
        var lon = new double[n];
        var lat = new double[n];
        var ms = new long[n];
        var dev = new int[n];
        for (var i = 0; i < n; i++)
        {
            // Mostly inside the 10 x 10 grid, some just outside it; devices wander over many cells per slot.
            var (cLon, cLat) = Centre(random.Next(0, 10), random.Next(0, 10));
            var outside = random.Next(20) == 0;
            lon[i] = cLon + (outside ? 0.02 : 0);
            lat[i] = cLat;
            // Now and then the same second again (a duplicate), and out of order within about a minute.
            ms[i] = T0 + (i * 100L) + random.Next(0, 60_000);
            dev[i] = random.Next(0, 500);
            if (i > 0 && random.Next(30) == 0) (lon[i], lat[i], ms[i], dev[i]) = (lon[i - 1], lat[i - 1], ms[i - 1] + 200, dev[i - 1]);
        }

        var clock = SlotClock.Create(15, "Asia/Shanghai");
        var devices = new Dictionary<(long, int), HashSet<int>>();
        var inflow = new Dictionary<(long, int), int>();
        var outflow = new Dictionary<(long, int), int>();
        var last = new Dictionary<int, (long Ms, int Cell)>();
        var expectedOutcomes = new BinOutcome[n];
        for (var i = 0; i < n; i++)
        {
            var cell = Grid.TryLocateCell(lon[i], lat[i]);
            var slot = clock.SlotStartMs(ms[i]);
            var seen = last.TryGetValue(dev[i], out var prev);
            if (seen && Math.Abs(ms[i] - prev.Ms) < 1000)
            {
                expectedOutcomes[i] = BinOutcome.Duplicate;
                continue;
            }

            if (!seen || ms[i] > prev.Ms)
            {
                if (seen && prev.Cell != cell && ms[i] - prev.Ms <= gapMs)
                {
                    if (prev.Cell >= 0) outflow[(slot, prev.Cell)] = outflow.GetValueOrDefault((slot, prev.Cell)) + 1;
                    if (cell >= 0) inflow[(slot, cell)] = inflow.GetValueOrDefault((slot, cell)) + 1;
                }

                last[dev[i]] = (ms[i], cell);
            }

            expectedOutcomes[i] = cell >= 0 ? BinOutcome.Counted : BinOutcome.OutsideGrid;
            if (cell >= 0) (devices.TryGetValue((slot, cell), out var set) ? set : devices[(slot, cell)] = []).Add(dev[i]);
        }

        foreach (var batch in new[] { 1, 7, 1000, 4096, 5000, n })
        {
            var closed = new List<SlotCounts>();
            using var binner = new PingBinner("t", Grid, clock, null, new PingBinnerOptions(TimeSpan.FromHours(6), TimeSpan.FromMilliseconds(gapMs), 1.0), closed.Add);
            var outcomes = new BinOutcome[n];
            for (var start = 0; start < n; start += batch)
            {
                var end = Math.Min(n, start + batch);
                binner.AddBatch(lon.AsSpan(start..end), lat.AsSpan(start..end), ms.AsSpan(start..end), dev.AsSpan(start..end), outcomes.AsSpan(start..end));
            }

            binner.Complete();
            Assert.Equal(expectedOutcomes, outcomes);
            Assert.Equal(devices.Keys.Select(k => k.Item1).Distinct().Count(), closed.Count);
            foreach (var slot in closed)
            {
                for (var cell = 0; cell < slot.CellCount; cell++)
                {
                    Assert.Equal(devices.TryGetValue((slot.SlotStartMs, cell), out var set) ? set.Count : 0, slot.Devices![cell]);
                    Assert.Equal(inflow.GetValueOrDefault((slot.SlotStartMs, cell)), slot.Inflow?[cell] ?? 0);
                    Assert.Equal(outflow.GetValueOrDefault((slot.SlotStartMs, cell)), slot.Outflow?[cell] ?? 0);
                }
            }
        }
    }

    [Theory]
    [InlineData("Australia/Lord_Howe", "2026-04-05T01:00:00+11:00", 60)] // clocks back 30 minutes: a slot cut short
    [InlineData("Europe/London", "2026-10-25T00:00:00+01:00", 15)]       // clocks back an hour: the hour repeats
    [InlineData("America/New_York", "2026-03-08T01:00:00-05:00", 30)]    // clocks forward an hour
    public void Pings_across_an_offset_change_land_in_the_slot_the_clock_gives_them(string zone, string from, int minutes)
    {
        var clock = SlotClock.Create(minutes, zone);
        var closed = new List<SlotCounts>();
        using var binner = new PingBinner("t", Grid, SlotClock.Create(minutes, zone), null,
            new PingBinnerOptions(TimeSpan.FromHours(6), TimeSpan.FromMinutes(30), 1.0), closed.Add);
        var start = DateTimeOffset.Parse(from, System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeMilliseconds();
        var expected = new Dictionary<long, HashSet<int>>();
        var (lon, lat) = Centre(2, 2);
        var times = new List<long>();
        var devices = new List<int>();
        // A new device every minute for four hours, all in one cell, binned as one batch: a slot's count is its
        // length in minutes, so a slot taken too long or too short shows.
        for (var t = 0; t < 240; t++)
        {
            var ms = start + (t * 60_000L);
            times.Add(ms);
            devices.Add(t);
            var slot = clock.SlotStartMs(ms);
            (expected.TryGetValue(slot, out var set) ? set : expected[slot] = []).Add(t);
        }

        var outcomes = new BinOutcome[times.Count];
        binner.AddBatch(Enumerable.Repeat(lon, times.Count).ToArray(), Enumerable.Repeat(lat, times.Count).ToArray(), times.ToArray(), devices.ToArray(), outcomes);
        Assert.All(outcomes, o => Assert.Equal(BinOutcome.Counted, o));
        binner.Complete();
        Assert.Equal(expected.Keys.Order(), closed.Select(c => c.SlotStartMs).Order());
        foreach (var slot in closed) Assert.Equal(expected[slot.SlotStartMs].Count, slot.Devices![Grid.CellAt(2, 2).Id]);
    }

    [Fact]
    public void Pings_given_by_cell_are_counted_as_the_same_pings_given_by_position()
    {
        var random = new Random(7);
        var n = 5000;
        var (lon, lat, ms, device, cells) = (new double[n], new double[n], new long[n], new int[n], new int[n]);
        for (var i = 0; i < n; i++)
        {
            // A few outside the grid too (a degree east).
            (lon[i], lat[i]) = Centre(random.Next(10), random.Next(10));
            if (i % 97 == 0) lon[i] += 1;
            (ms[i], device[i]) = (T0 + (i * 700L), random.Next(300));
            cells[i] = Grid.TryLocateCell(lon[i], lat[i]);
        }

        var (byPosition, positionSlots) = NewBinner();
        var (byCell, cellSlots) = NewBinner();
        byPosition.AddBatch(lon, lat, ms, device, new BinOutcome[n]);
        var outcomes = new BinOutcome[n];
        byCell.AddCellBatch(cells, ms, device, outcomes);
        byPosition.Complete();
        byCell.Complete();

        Assert.Equal(n / 97 + 1, outcomes.Count(o => o == BinOutcome.OutsideGrid));
        Assert.Equal(positionSlots.Count, cellSlots.Count);
        Assert.True(positionSlots.Count > 1);
        for (var s = 0; s < positionSlots.Count; s++)
        {
            Assert.Equal(positionSlots[s].Devices, cellSlots[s].Devices);
            Assert.Equal(positionSlots[s].Inflow, cellSlots[s].Inflow);
        }
    }
}
