using CrowdWatch.Geo.Areas;
using CrowdWatch.Geo.Ingest;

namespace CrowdWatch.Geo.CountFiles;

/// <summary>
/// An area's per-zone history from a wide series file (the sample city's eight weeks): per slot, the true people in
/// each zone (channel <c>truth</c>, where the file has it) and the people estimated from distinct devices (devices /
/// panel factor), each zone taking its cells' counts by the share of the cell it covers.
/// </summary>
public sealed class ZoneHistory
{
    private readonly Dictionary<long, double[]> _truth;
    private readonly Dictionary<long, double[]> _estimated;

    private ZoneHistory(Dictionary<long, double[]> truth, Dictionary<long, double[]> estimated)
    {
        (_truth, _estimated) = (truth, estimated);
        Slots = [.. truth.Keys.Union(estimated.Keys).Order()];
    }

    /// <summary>Slot starts (Unix ms) with any data, ascending.</summary>
    public long[] Slots { get; }

    /// <summary>Rows of the file that could not be read.</summary>
    public long Rejected { get; private init; }

    /// <summary>Loads a wide series file (gzip when it ends in .gz) for <paramref name="area"/>.</summary>
    public static ZoneHistory Load(Area area, string path)
    {
        ArgumentNullException.ThrowIfNull(area);
        var zones = area.Zones.Zones.Count;
        var truth = new Dictionary<long, double[]>();
        var estimated = new Dictionary<long, double[]>();
        var byCell = new double[area.Grid.Spec.CellCount];
        var log = new RejectLog(new IngestReport());
        using var input = InputFile.OpenRead(path);
        // Each row becomes its zones' totals as it is read: eight weeks of a few hundred cells need not be held.
        WideSeries.Read(input, path, log, (ms, channel, cells, values) =>
        {
            if (channel is not ("truth" or "devices")) return;
            Array.Clear(byCell);
            var scale = channel == "devices" ? 1 / area.Settings.PanelFactor : 1;
            for (var i = 0; i < values.Length; i++) byCell[cells[i]] = values[i] * scale;
            var perZone = new double[zones];
            for (var z = 0; z < zones; z++) perZone[z] = area.Zones.ZonePeople(z, byCell);
            (channel == "truth" ? truth : estimated)[ms] = perZone;
        });

        return new ZoneHistory(truth, estimated) { Rejected = log.Report.Rejected };
    }

    /// <summary>True people in zone <paramref name="zone"/> at slot <paramref name="slotMs"/>, if known.</summary>
    public double? TruePeople(long slotMs, int zone) => _truth.TryGetValue(slotMs, out var v) ? v[zone] : null;

    /// <summary>People estimated from devices in zone <paramref name="zone"/> at slot <paramref name="slotMs"/>, if known.</summary>
    public double? EstimatedPeople(long slotMs, int zone) => _estimated.TryGetValue(slotMs, out var v) ? v[zone] : null;
}
