namespace CrowdWatch.Dashboard.Tests.Cli;

/// <summary>A deployment in a temporary folder: a 2 km grid around Hongyadong with two zones.</summary>
internal sealed class TestDeployment : IDisposable
{
    public TestDeployment()
    {
        Directory.CreateDirectory(Folder);
        File.WriteAllText(Path.Combine(Folder, "deployment.json"), """
        {
          "areas": [
            { "name": "hongyadong", "centre": [106.5790, 29.5630], "widthM": 2000, "heightM": 2000,
              "cellSizeM": 100, "timeZone": "Asia/Shanghai", "slotMinutes": 15, "panelFactor": 0.3, "k": 10,
              "zones": "zones.geojson", "poi": "poi.csv" }
          ]
        }
        """);
        File.WriteAllText(Path.Combine(Folder, "zones.geojson"), """
        {"type":"FeatureCollection","features":[
          {"type":"Feature","properties":{"name":"洪崖洞 Hongyadong","capacity":20000},
           "geometry":{"type":"Polygon","coordinates":[[[106.5775,29.5622],[106.5802,29.5624],[106.5806,29.5641],[106.5781,29.5639],[106.5775,29.5622]]]}},
          {"type":"Feature","properties":{"name":"Broken"},
           "geometry":{"type":"Polygon","coordinates":[[[106.57,29.56],[106.58,29.57],[106.58,29.56],[106.57,29.57],[106.57,29.56]]]}}
        ]}
        """);
        File.WriteAllText(Path.Combine(Folder, "poi.csv"), "id,name_zh,name_en,aliases,lat,lon\nhyd,洪崖洞,Hongyadong,,29.5630,106.5790\n");
    }

    public string Folder { get; } = Path.Combine(Path.GetTempPath(), "crowdwatch-test-" + Guid.NewGuid().ToString("N"));

    public string File_(string name) => Path.Combine(Folder, name);

    public string DeploymentPath => File_("deployment.json");

    public void Dispose() => Directory.Delete(Folder, recursive: true);
}
