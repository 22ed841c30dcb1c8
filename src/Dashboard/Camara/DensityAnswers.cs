using System.Collections.Concurrent;
using System.Globalization;
using CrowdWatch.Forecast.Storage;
using CrowdWatch.Geo.Areas;
using CrowdWatch.Geo.Geohashes;
using CrowdWatch.Geo.Storage;
using CrowdWatch.Geo.Zones;
using Microsoft.Extensions.Options;
using NetTopologySuite.Geometries;

namespace CrowdWatch.Dashboard.Camara;

/// <summary>
/// Answers Population Density Data requests from our cells: past intervals from the stored counts (people per km²:
/// the hour's mean over its slots, the range its lowest and highest slot), future intervals from the newest forecast
/// run (the mean, the range the 80% interval). A geohash cell gets each grid cell's people by the share of that cell's
/// walkable area inside it (<see cref="WalkableShares"/>), over the ground of it our grid covers; one with fewer
/// than the area's k people in any slot of the hour is LOW_DENSITY, one less than half covered by our grid NO_DATA.
/// </summary>
public sealed class DensityAnswers(ICountStore counts, IForecastStore forecasts, IOptions<CamaraOptions> options, TimeProvider time, AreaRegions regions)
{
    private const long Hour = 3_600_000;
    private readonly ConcurrentDictionary<string, GeohashShares> _shares = new(StringComparer.Ordinal);
    private readonly GeometryFactory _factory = new();

    /// <summary>The answer to <paramref name="request"/>, or the error the definition gives for it.</summary>
    public Task<(DensityResponse? Response, CamaraError? Error)> AnswerAsync(DensityRequest request, CancellationToken cancellationToken = default) =>
        AnswerAsync(request, checkOnly: false, cancellationToken);

    /// <summary>The error the definition gives for <paramref name="request"/>, or null: what an asynchronous request is checked for before its 202.</summary>
    public async Task<CamaraError?> CheckAsync(DensityRequest request, CancellationToken cancellationToken = default) =>
        (await AnswerAsync(request, checkOnly: true, cancellationToken).ConfigureAwait(false)).Error;

    private async Task<(DensityResponse? Response, CamaraError? Error)> AnswerAsync(DensityRequest request, bool checkOnly, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var o = options.Value;
        var now = time.GetUtcNow();
        if (request.End < request.Start) return Fail(400, "POPULATION_DENSITY_DATA.INVALID_END_TIME", "Indicated endTime is earlier than the startTime");
        if (request.End - request.Start > TimeSpan.FromHours(o.MaxHours))
            return Fail(400, "POPULATION_DENSITY_DATA.MAX_TIME_PERIOD_EXCEEDED", $"Indicated time period is greater than the maximum allowed ({o.MaxHours} hours between startTime and endTime)");
        if (request.Start < now && request.End > now)
            return Fail(400, "POPULATION_DENSITY_DATA.INVALID_TIME_PERIOD", "Indicated time period is partially in the past and partially in the future");
        if (request.Start < now - TimeSpan.FromDays(o.MaxDaysBack))
            return Fail(400, "POPULATION_DENSITY_DATA.MIN_STARTTIME_EXCEEDED", $"Indicated startTime is earlier than the minimum allowed ({o.MaxDaysBack} days back)");

        // The cells asked for: a polygon's at its precision, or the geohashes listed.
        string[] hashes;
        Geometry? polygon = null;
        if (request.Boundary is { } boundary)
        {
            if (CamaraEndpoints.Polygon(boundary, _factory) is not { } p) return Fail(400, "POPULATION_DENSITY_DATA.INVALID_AREA", "The area is not a simple polygon (it crosses itself or has no area)");
            polygon = p;
            if (request.Precision < o.MinPrecision || request.Precision > o.MaxPrecision)
                return Fail(422, "POPULATION_DENSITY_DATA.UNSUPPORTED_PRECISION", $"Indicated cell precision (Geohash length) is not supported: {o.MinPrecision} to {o.MaxPrecision}");
            if (GeohashCover.Of(p, request.Precision, o.MaxCells) is not { } cover)
                return Fail(422, "POPULATION_DENSITY_DATA.UNSUPPORTED_REQUEST", $"Indicated combination of area and precision is too big: more than {o.MaxCells} cells");
            hashes = [.. cover];
        }
        else
        {
            hashes = [.. request.Geohashes!.Distinct(StringComparer.Ordinal)];
            if (hashes.FirstOrDefault(h => h.Length < o.MinPrecision || h.Length > o.MaxPrecision) is { } unsupported)
                return Fail(422, "POPULATION_DENSITY_DATA.UNSUPPORTED_PRECISION", $"Indicated cell precision (Geohash length) of '{unsupported}' is not supported: {o.MinPrecision} to {o.MaxPrecision}");
        }

        var hours = HourWindow.Of(request.Start.ToUnixTimeMilliseconds(), request.End.ToUnixTimeMilliseconds());
        if ((long)hashes.Length * hours.Length > o.MaxSyncCellHours && request.Sink is null)
            return Fail(422, "POPULATION_DENSITY_DATA.UNSUPPORTED_SYNC_RESPONSE", $"Indicated combination of area, time interval and precision is too big for a synchronous answer ({o.MaxSyncCellHours} cell-hours)");
        if ((long)hashes.Length * hours.Length > o.MaxAsyncCellHours)
            return Fail(422, "POPULATION_DENSITY_DATA.UNSUPPORTED_REQUEST", $"Indicated combination of area, time interval and precision is too big for both synchronous and asynchronous processing ({o.MaxAsyncCellHours} cell-hours)");

        if (regions.AreaOf(polygon ?? Union(hashes)) is not { } area) return (new DensityResponse("AREA_NOT_SUPPORTED", []), null);
        var shares = _shares.GetOrAdd(area.Name, _ => new GeohashShares(regions.Of(area)));
        var cells = hashes.Select(shares.Of).ToArray();
        var covered = cells.Select(c => c.CoveredFraction >= 0.5).ToArray();
        if (!covered.Any(c => c)) return (new DensityResponse("AREA_NOT_SUPPORTED", []), null);

        var future = request.Start >= now;
        double[][][] values;
        if (future)
        {
            // The newest run must reach the slot holding startTime.
            var run = await forecasts.LatestRunAsync(area.Name, cancellationToken).ConfigureAwait(false);
            var slotMs = area.Settings.SlotMinutes * 60_000L;
            var first = request.Start.ToUnixTimeMilliseconds() / slotMs * slotMs;
            var firstValues = run is null ? [] : await forecasts.SlotValuesAsync(run.Id, first, isZone: false, cancellationToken).ConfigureAwait(false);
            if (run is null || firstValues.Count == 0)
                return Fail(400, "POPULATION_DENSITY_DATA.MAX_STARTTIME_EXCEEDED", "Indicated startTime is greater than the maximum allowed: the newest forecast does not reach it");
            if (checkOnly) return (null, null);
            values = await ForecastAsync(area, run, cells, hours, (first, firstValues), cancellationToken).ConfigureAwait(false);
        }
        else if (checkOnly) return (null, null);
        else values = await ObservedAsync(area, cells, hours, cancellationToken).ConfigureAwait(false);

        var timed = new TimedDensity[hours.Length];
        for (var h = 0; h < hours.Length; h++)
        {
            var list = new CellDensity[cells.Length];
            for (var g = 0; g < cells.Length; g++)
                list[g] = !covered[g] || values[h] is null ? new CellDensity(cells[g].Hash, CellDensity.NoData) : Cell(area, cells[g], values[h][g]);
            timed[h] = new TimedDensity(Utc(hours[h]), Utc(hours[h] + Hour), list);
        }

        var whole = covered.All(c => c) && (polygon is null || Within(area, polygon));
        return (new DensityResponse(whole ? "SUPPORTED_AREA" : "PART_OF_AREA_NOT_SUPPORTED", timed), null);
    }

    // Per slot of the hour: mean people, low, high (observed slots: all three the people).
    private static CellDensity Cell(Area area, GeohashCell cell, double[] slots)
    {
        // slots holds triples (mean, low, high) per slot.
        var n = slots.Length / 3;
        double sum = 0, low = double.MaxValue, high = 0, least = double.MaxValue;
        for (var s = 0; s < n; s++)
        {
            sum += slots[3 * s];
            least = Math.Min(least, slots[3 * s]);
            low = Math.Min(low, slots[(3 * s) + 1]);
            high = Math.Max(high, slots[(3 * s) + 2]);
        }

        if (n == 0 || area.K.Suppresses(least)) return new CellDensity(cell.Hash, CellDensity.LowDensity);
        var km2 = cell.CoveredKm2;
        static int Density(double people, double km2) => (int)Math.Clamp(Math.Round(people / km2), 0, int.MaxValue);
        return new CellDensity(cell.Hash, CellDensity.DensityEstimation, Density(sum / n, km2), Density(low, km2), Density(high, km2));
    }

    private async Task<double[][][]> ObservedAsync(Area area, GeohashCell[] cells, long[] hours, CancellationToken cancellationToken)
    {
        var slotMs = area.Settings.SlotMinutes * 60_000L;
        var wanted = cells.SelectMany(c => c.Cells).Distinct().ToArray();
        var rows = await counts.ReadAsync(new CountQuery(area.Name, "people", hours[0], hours[^1] + Hour, wanted), cancellationToken).ConfigureAwait(false);
        // The store keeps only cells with someone in them: a slot with no row for a cell had nobody there.
        var bySlot = rows.GroupBy(r => r.SlotStartMs).ToDictionary(g => g.Key, g => g.GroupBy(r => r.Cell).ToDictionary(c => c.Key, c => c.Sum(r => r.Value)));
        var people = new double[area.Grid.Spec.CellCount];
        var result = new double[hours.Length][][];
        for (var h = 0; h < hours.Length; h++)
        {
            var perSlot = (int)(Hour / slotMs);
            result[h] = [.. cells.Select(_ => new double[3 * perSlot])];
            for (var s = 0; s < perSlot; s++)
            {
                var slot = hours[h] + (s * slotMs);
                if (bySlot.TryGetValue(slot, out var inSlot)) foreach (var (cell, value) in inSlot) people[cell] = value;
                for (var g = 0; g < cells.Length; g++)
                {
                    var p = cells[g].People(people);
                    (result[h][g][3 * s], result[h][g][(3 * s) + 1], result[h][g][(3 * s) + 2]) = (p, p, p);
                }

                if (inSlot is not null) foreach (var cell in inSlot.Keys) people[cell] = 0;
            }
        }

        return result;
    }

    // read: the slot the time check has already read, not read again.
    private async Task<double[][][]> ForecastAsync(Area area, ForecastRun run, GeohashCell[] cells, long[] hours, (long Slot, IReadOnlyList<ForecastValue> Values) read,
        CancellationToken cancellationToken)
    {
        var slotMs = area.Settings.SlotMinutes * 60_000L;
        var perSlot = (int)(Hour / slotMs);
        var n = area.Grid.Spec.CellCount;
        var (mean, low, high) = (new double[n], new double[n], new double[n]);
        var result = new double[hours.Length][][];
        for (var h = 0; h < hours.Length; h++)
        {
            var perCell = cells.Select(_ => new List<double>()).ToArray();
            for (var s = 0; s < perSlot; s++)
            {
                var slot = hours[h] + (s * slotMs);
                var values = slot == read.Slot ? read.Values : await forecasts.SlotValuesAsync(run.Id, slot, isZone: false, cancellationToken).ConfigureAwait(false);
                if (values.Count == 0) continue;
                Array.Clear(mean);
                Array.Clear(low);
                Array.Clear(high);
                foreach (var v in values)
                    if (int.TryParse(v.Place, NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id < n) (mean[id], low[id], high[id]) = (v.Mean, v.Low80, v.High80);
                // The range is the cells' 80% intervals added up: it assumes the cells rise and fall together, so it
                // is at least as wide as the sum's own 80% interval.
                for (var g = 0; g < cells.Length; g++) perCell[g].AddRange([cells[g].People(mean), cells[g].People(low), cells[g].People(high)]);
            }

            // An hour the run does not reach has no numbers (NO_DATA).
            result[h] = perCell[0].Count == 0 ? null! : [.. perCell.Select(l => l.ToArray())];
        }

        return result;
    }

    private Geometry Union(IEnumerable<string> hashes) => _factory.BuildGeometry(hashes.Select(h => Geohash.Bounds(h).ToPolygon(_factory))).Envelope;

    private bool Within(Area area, Geometry wgs84) => regions.Bounds(area).Contains(wgs84);

    private static (DensityResponse?, CamaraError?) Fail(int status, string code, string message) => (null, new CamaraError(status, code, message));

    private static string Utc(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
