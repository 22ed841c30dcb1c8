using System.Text.Json.Serialization;

namespace CrowdWatch.Dashboard.Camara;

/// <summary>
/// The definition's <c>RegionDeviceCountResponse</c>. Its schema requires <c>count</c>, so a status that gives no number
/// (AREA_NOT_SUPPORTED, DENSITY_BELOW_PRIVACY_THRESHOLD, TIME_INTERVAL_NO_DATA_FOUND) comes with count 0.
/// </summary>
public sealed record DeviceCountResponse(
    [property: JsonPropertyName("count")] long Count,
    [property: JsonPropertyName("status")] string Status);
