namespace CrowdWatch.Geo.Binning;

/// <summary>Settings of the ping binner.</summary>
/// <param name="Lateness">How long after a slot ends pings for it are still accepted (out-of-order feeds).</param>
/// <param name="FlowGap">Longest gap between two sightings of a device that still counts as a movement between cells.</param>
/// <param name="PanelFactor">Devices observed per person present: people = devices / factor.</param>
public sealed record PingBinnerOptions(TimeSpan Lateness, TimeSpan FlowGap, double PanelFactor)
{
    /// <summary>One hour of lateness, 30-minute flow gap, every person observed.</summary>
    public static readonly PingBinnerOptions Default = new(TimeSpan.FromHours(1), TimeSpan.FromMinutes(30), 1.0);
}
