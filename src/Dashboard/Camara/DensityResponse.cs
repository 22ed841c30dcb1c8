using System.Text.Json.Serialization;

namespace CrowdWatch.Dashboard.Camara;

/// <summary>The definition's <c>PopulationDensityResponse</c> (with <c>operationId</c> when delivered to a sink).</summary>
public sealed record DensityResponse(
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("timedPopulationDensityData")] IReadOnlyList<TimedDensity> TimedPopulationDensityData,
    [property: JsonPropertyName("statusInfo"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? StatusInfo = null,
    [property: JsonPropertyName("operationId"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? OperationId = null);

/// <summary>One hourly interval and its cells.</summary>
public sealed record TimedDensity(
    [property: JsonPropertyName("startTime")] string StartTime,
    [property: JsonPropertyName("endTime")] string EndTime,
    [property: JsonPropertyName("cellPopulationDensityData")] IReadOnlyList<CellDensity> CellPopulationDensityData);

/// <summary>One geohash cell in one interval: people per km² and its range, or LOW_DENSITY / NO_DATA without numbers.</summary>
public sealed record CellDensity(
    [property: JsonPropertyName("geohash")] string Geohash,
    [property: JsonPropertyName("dataType")] string DataType,
    [property: JsonPropertyName("pplDensity"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? PplDensity = null,
    [property: JsonPropertyName("minPplDensity"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? MinPplDensity = null,
    [property: JsonPropertyName("maxPplDensity"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? MaxPplDensity = null)
{
    /// <summary>No numbers: fewer than k people.</summary>
    public const string LowDensity = "LOW_DENSITY";

    /// <summary>No numbers: outside our grid (or beyond the newest forecast).</summary>
    public const string NoData = "NO_DATA";

    /// <summary>Numbers.</summary>
    public const string DensityEstimation = "DENSITY_ESTIMATION";
}
