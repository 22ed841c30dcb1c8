using CrowdWatch.Geo.Privacy;

namespace CrowdWatch.Dashboard.Cli;

/// <summary>The k floor for an exported channel: what kind of group each channel's value counts.</summary>
internal static class ExportFloor
{
    /// <summary>
    /// Whether <paramref name="value"/> of <paramref name="channel"/> must be written without a number: devices are
    /// distinct devices (people = devices over the panel factor); searches are queries, counted as they are; people,
    /// flows and pre-aggregated channels are estimated people.
    /// </summary>
    public static bool Suppresses(KThreshold k, string channel, double value) => channel switch
    {
        "devices" => k.Suppresses(value / k.PanelFactor, value),
        "search" => !(value >= k.K),
        _ => k.Suppresses(value),
    };
}
