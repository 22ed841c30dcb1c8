using System.ComponentModel.DataAnnotations;

namespace CrowdWatch.Dashboard.Camara;

/// <summary>The CAMARA APIs (Population Density Data, Region Device Count) served from our cells.</summary>
public sealed class CamaraOptions
{
    /// <summary>Configuration section.</summary>
    public const string Section = "Camara";

    /// <summary>The API root the definitions' server paths hang under (<c>{apiRoot}/population-density-data/vwip</c>); empty: the host's root.</summary>
    [RegularExpression("^(/[A-Za-z0-9._~-]+)*$")]
    public string ApiRoot { get; set; } = "";

    /// <summary>Coarsest geohash precision served (coarser cells are bigger than a city's grid).</summary>
    [Range(1, 12)]
    public int MinPrecision { get; set; } = 4;

    /// <summary>Finest geohash precision served (finer cells only split a 100 m grid cell evenly).</summary>
    [Range(1, 12)]
    public int MaxPrecision { get; set; } = 9;

    /// <summary>How far back a window may start (days): the spec's three months.</summary>
    [Range(1, 3660)]
    public int MaxDaysBack { get; set; } = 92;

    /// <summary>Longest window (hours): the spec's seven days, 168 hourly intervals.</summary>
    [Range(1, 168)]
    public int MaxHours { get; set; } = 168;

    /// <summary>Most geohash cells in one answer (the spec's 10 000 per interval).</summary>
    [Range(1, 10_000)]
    public int MaxCells { get; set; } = 10_000;

    /// <summary>Most cells times intervals answered at once; more asks for a sink (asynchronous delivery).</summary>
    [Range(1, 100_000_000)]
    public int MaxSyncCellHours { get; set; } = 240_000;

    /// <summary>Most cells times intervals answered to a sink; more is UNSUPPORTED_REQUEST.</summary>
    [Range(1, 100_000_000)]
    public int MaxAsyncCellHours { get; set; } = 1_680_000;

    /// <summary>The first wait before a sink delivery is tried again (s); it doubles each time, up to ten minutes.</summary>
    [Range(0.1, 600)]
    public double SinkRetrySeconds { get; set; } = 5;

    /// <summary>Also accept <c>http://127.0.0.1</c> sinks (tests only; the spec allows https only).</summary>
    public bool AllowLoopbackHttpSinks { get; set; }

    /// <summary>The Population Density Data API's base path.</summary>
    public string DensityBase => ApiRoot + "/population-density-data/vwip";

    /// <summary>The Region Device Count API's base path.</summary>
    public string DeviceCountBase => ApiRoot + "/regionDeviceCount/vwip";
}
