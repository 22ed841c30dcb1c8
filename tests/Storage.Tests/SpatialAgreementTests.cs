using CrowdWatch.Geo.Areas;
using CrowdWatch.Geo.Grids;
using CrowdWatch.Geo.Storage;
using CrowdWatch.Geo.Zones;
using CrowdWatch.Storage.Embedded;
using CrowdWatch.Storage.Postgres;
using NetTopologySuite.Geometries;

namespace CrowdWatch.Storage.Tests;

/// <summary>PostGIS's answers to the spatial questions agree with NetTopologySuite's (the embedded store's).</summary>
[Collection(PostgresCollection.Name)]
public sealed class SpatialAgreementTests(PostgresServer server) : IDisposable
{
    private static readonly GeometryFactory Wgs84 = new();
    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"crowdwatch-spatial-{Guid.NewGuid():N}");

    private static Polygon Polygon(params (double Lon, double Lat)[] ring) =>
        Wgs84.CreatePolygon([.. ring.Select(p => new Coordinate(p.Lon, p.Lat)), new Coordinate(ring[0].Lon, ring[0].Lat)]);

    // Hongyadong's viewing decks, roughly, as a zone; and a skewed quadrilateral as a drawn area over part of it.
    private static readonly Polygon Zone = Polygon((106.5775, 29.5622), (106.5802, 29.5624), (106.5806, 29.5641), (106.5781, 29.5639));
    private static readonly Polygon Drawn = Polygon((106.5760, 29.5600), (106.5830, 29.5612), (106.5818, 29.5668), (106.5771, 29.5650));

    private static Area NewArea() => new(new AreaSettings
    {
        Name = "hongyadong",
        Grid = new GridDefinition { Centre = (106.5790, 29.5630), WidthM = 2000, HeightM = 2000 },
        PanelFactor = 0.3,
    }, [], [new Zone("洪崖洞 Hongyadong", Zone, 20_000, null, null)]);

    [Fact]
    public async Task PostGIS_overlaps_and_drawn_area_counts_agree_with_NetTopologySuite()
    {
        var area = NewArea();
        await using var postgresStore = Stores.Over(await PostgresDatabase.OpenAsync(await server.NewDatabaseAsync()));
        var embeddedStore = Stores.Over(await SqliteDatabase.OpenAsync(Path.Combine(_folder, "crowdwatch.db")));
        var (postgres, embedded) = (postgresStore.Areas, embeddedStore.Areas);
        await postgres.SaveAreaAsync(area);
        await embedded.SaveAreaAsync(area);

        foreach (var (polygon, nts) in new[] { (Drawn, DrawnArea.Overlaps(area, Drawn)), (Zone, area.Zones.Overlaps[0].OrderBy(o => o.CellId).ToList()) })
        {
            var sql = await postgres.OverlapsAsync(area, polygon);
            Assert.True(nts.Count > 5, $"{nts.Count} cells");
            Assert.Equal(nts.Select(o => o.CellId), sql.Select(o => o.CellId));
            foreach (var (a, b) in nts.Zip(sql))
            {
                Assert.Equal(a.CellFraction, b.CellFraction, 6);
                Assert.Equal(a.AreaM2, b.AreaM2, 2);
            }

            Assert.Contains(sql, o => o.CellFraction == 1); // cells wholly inside
            Assert.Contains(sql, o => o.CellFraction < 1);  // and cut by the edge
        }

        // The same counts in both stores: the drawn area's totals per slot agree.
        const long Slot = 1_790_000_000_000;
        var cells = area.Grid.Spec.CellCount;
        var batch = new CountBatch(area.Name, "test", [Slot, Slot + 900_000],
            [.. Enumerable.Range(0, cells).SelectMany(c => new[] { new CountRecord(Slot, "people", c, 1 + (c % 17)), new CountRecord(Slot + 900_000, "people", c, 2 + (c % 5)) })]);
        await postgresStore.Counts.WriteAsync(batch);
        await embeddedStore.Counts.WriteAsync(batch);
        var fromSql = await postgres.ReadAreaAsync(area, Drawn, "people", Slot, Slot + 1_800_000);
        var fromNts = await embedded.ReadAreaAsync(area, Drawn, "people", Slot, Slot + 1_800_000);
        Assert.Equal(2, fromSql.Count);
        Assert.Equal(fromNts.Select(p => p.SlotStartMs), fromSql.Select(p => p.SlotStartMs));
        foreach (var (a, b) in fromNts.Zip(fromSql)) Assert.Equal(a.Value, b.Value, 4);
        Assert.True(fromSql[0].Value > 100, $"{fromSql[0].Value}");
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (Directory.Exists(_folder)) Directory.Delete(_folder, recursive: true);
    }
}
