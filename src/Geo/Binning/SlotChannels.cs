
namespace CrowdWatch.Geo.Binning;

/// <summary>
/// The non-zero values of a closed slot by cell and channel, as the series file and the store both keep them:
/// <c>devices</c>, <c>people</c> (devices / panel factor), <c>inflow</c>, <c>outflow</c>, <c>search</c> and the
/// pre-aggregated channels by their names.
/// </summary>
public static class SlotChannels
{
    /// <summary>Each non-zero value, cell by cell.</summary>
    public static IEnumerable<(int Cell, string Channel, double Value)> Of(SlotCounts counts, double panelFactor)
    {
        ArgumentNullException.ThrowIfNull(counts);
        for (var cell = 0; cell < counts.CellCount; cell++)
        {
            if (counts.Devices is { } d && d[cell] > 0)
            {
                yield return (cell, "devices", d[cell]);
                yield return (cell, "people", d[cell] / panelFactor);
            }

            if (counts.Inflow is { } i && i[cell] > 0) yield return (cell, "inflow", i[cell]);
            if (counts.Outflow is { } o && o[cell] > 0) yield return (cell, "outflow", o[cell]);
            if (counts.Search is { } s && s[cell] > 0) yield return (cell, "search", s[cell]);
            if (counts.Channels is { } channels)
                foreach (var (name, values) in channels)
                    if (values[cell] > 0) yield return (cell, name, values[cell]);
        }
    }
}
