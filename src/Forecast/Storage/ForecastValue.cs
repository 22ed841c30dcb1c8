namespace CrowdWatch.Forecast.Storage;

/// <summary>
/// One forecast of one place (a cell, by its id, or a zone, by its name) for one target slot: the expected count, its
/// 80% and 95% intervals, and the probability of reaching each danger level (lowest level first).
/// </summary>
/// <param name="Place">The cell id as text, or the zone's name.</param>
/// <param name="IsZone">Whether <paramref name="Place"/> names a zone.</param>
/// <param name="Horizon">Slots ahead of the run's origin, 1 for the next slot.</param>
/// <param name="TargetSlotMs">UTC start of the slot forecast, Unix ms.</param>
/// <param name="Mean">Expected people.</param>
/// <param name="Low80">Lower end of the 80% interval.</param>
/// <param name="High80">Upper end of the 80% interval.</param>
/// <param name="Low95">Lower end of the 95% interval.</param>
/// <param name="High95">Upper end of the 95% interval.</param>
/// <param name="Exceedance">Probability of reaching each danger level, lowest level first.</param>
public sealed record ForecastValue(string Place, bool IsZone, int Horizon, long TargetSlotMs, double Mean,
    double Low80, double High80, double Low95, double High95, IReadOnlyList<double> Exceedance)
{
    /// <inheritdoc />
    public bool Equals(ForecastValue? other) =>
        other is not null && Place == other.Place && IsZone == other.IsZone && Horizon == other.Horizon && TargetSlotMs == other.TargetSlotMs
        && Mean.Equals(other.Mean) && Low80.Equals(other.Low80) && High80.Equals(other.High80) && Low95.Equals(other.Low95)
        && High95.Equals(other.High95) && Exceedance.SequenceEqual(other.Exceedance);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Place, IsZone, Horizon, TargetSlotMs, Mean);
}
