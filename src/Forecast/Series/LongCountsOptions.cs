namespace CrowdWatch.Forecast.Series;

/// <summary>How a long counts file is read (see <see cref="LongCountsPanel"/>).</summary>
public sealed record LongCountsOptions
{
    /// <summary>The key columns that together name a place (e.g. row and col); null: a usual key name, or row and col.</summary>
    public IReadOnlyList<string>? Keys { get; init; }

    /// <summary>The value columns, one channel each; null: the only column beside timestamp and keys.</summary>
    public IReadOnlyList<string>? Values { get; init; }

    /// <summary>Slot length in minutes; null: the shortest step between timestamps.</summary>
    public int? SlotMinutes { get; init; }

    /// <summary>The zone of timestamps without a UTC offset; null refuses them.</summary>
    public TimeZoneInfo? TimeZone { get; init; }
}
