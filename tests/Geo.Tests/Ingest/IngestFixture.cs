using System.Text;
using CrowdWatch.Geo.Binning;
using CrowdWatch.Geo.Grids;
using CrowdWatch.Geo.Ingest;
using CrowdWatch.Geo.Privacy;
using CrowdWatch.Geo.Time;

namespace CrowdWatch.Geo.Tests.Ingest;

/// <summary>Runs the ingest readers over in-memory text.</summary>
internal sealed class IngestFixture
{
    public static readonly Grid Grid = Grid.Create(new GridDefinition { Centre = (106.5790, 29.5630), WidthM = 2000, HeightM = 2000 });

    public List<SlotCounts> Closed { get; } = [];

    public List<Rejection> Rejections { get; } = [];

    public IngestReport Report { get; } = new();

    public StringWriter RejectsCsv { get; } = new();

    public IngestReport Pings(string text, bool ndjson = false, long maxErrors = long.MaxValue)
    {
        using var binner = new PingBinner("t", Grid, SlotClock.Create(15, "Asia/Shanghai"), null, PingBinnerOptions.Default, Closed.Add);
        var devices = new DeviceDirectory(new Pseudonymiser(PseudonymKey.Parse("test-key-0123456789abcdef")));
        var ingest = new PingIngest(devices, binner, 150, TimeSpan.FromHours(2));
        var log = new RejectLog(Report, RejectsCsv, maxErrors, Rejections.Add);
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(text));
        if (ndjson) ingest.ReadNdjson(stream, "pings.ndjson", log);
        else ingest.ReadCsv(stream, "pings.csv", log);
        ingest.Complete();
        return Report;
    }

    public IngestReport Searches(string text, PoiGazetteer? gazetteer, byte[]? prefix = null)
    {
        var binner = new SumBinner("t", Grid.Spec.CellCount, SlotClock.Create(15, "Asia/Shanghai"), TimeSpan.FromHours(1), Closed.Add);
        var bytes = (prefix ?? []).Concat(Encoding.UTF8.GetBytes(text)).ToArray();
        using var stream = new MemoryStream(bytes);
        new SearchIngest(Grid, binner, gazetteer).ReadCsv(stream, "searches.csv", new RejectLog(Report, RejectsCsv, observer: Rejections.Add));
        binner.Complete();
        return Report;
    }

    public IngestReport Counts(string text)
    {
        var binner = new SumBinner("t", Grid.Spec.CellCount, SlotClock.Create(15, "Asia/Shanghai"), TimeSpan.FromHours(1), Closed.Add);
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(text));
        new CountIngest(Grid, binner).ReadCsv(stream, "counts.csv", new RejectLog(Report, RejectsCsv, observer: Rejections.Add));
        binner.Complete();
        return Report;
    }

    public static PoiGazetteer Gazetteer(string csv)
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(csv));
        return PoiGazetteer.Load(stream, "poi.csv", new RejectLog(new IngestReport()));
    }
}
