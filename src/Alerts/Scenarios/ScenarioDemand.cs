namespace CrowdWatch.Alerts.Scenarios;

/// <summary>
/// The people each cell would hold at each scenario step: the baseline per slot read at the steps (linearly between
/// slot midpoints, as a slot's count is its people through the slot), times the scenario's changes.
/// </summary>
public static class ScenarioDemand
{
    /// <summary>
    /// Demand at <paramref name="steps"/> + 1 points from <paramref name="fromMs"/>: <paramref name="baseline"/>[slot][cell]
    /// holds the slots from <paramref name="baselineStartMs"/> of <paramref name="slotMinutes"/>; each cell is scaled by
    /// <paramref name="factor"/>[cell] (1 where the scenario changes nothing).
    /// </summary>
    public static double[][] Build(double[][] baseline, long baselineStartMs, int slotMinutes, long fromMs, int stepMinutes, int steps, double[]? factor = null)
    {
        ArgumentNullException.ThrowIfNull(baseline);
        if (baseline.Length == 0) throw new ArgumentException("the baseline holds no slot", nameof(baseline));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(slotMinutes);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(stepMinutes);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(steps);
        var n = baseline[0].Length;
        if (factor is not null && factor.Length != n) throw new ArgumentException($"expected a factor for each of the {n} cells", nameof(factor));
        var slotMs = slotMinutes * 60_000.0;
        var result = new double[steps + 1][];
        for (var i = 0; i <= steps; i++)
        {
            // Position in slots, measured from the first slot's midpoint.
            var x = (fromMs + (i * stepMinutes * 60_000.0) - baselineStartMs - (slotMs / 2)) / slotMs;
            var lo = Math.Clamp((int)Math.Floor(x), 0, baseline.Length - 1);
            var hi = Math.Min(lo + 1, baseline.Length - 1);
            var w = Math.Clamp(x - lo, 0, 1);
            var (a, b) = (baseline[lo], baseline[hi]);
            var row = result[i] = new double[n];
            for (var c = 0; c < n; c++)
            {
                // A cell the baseline has no value for holds nobody.
                var v = ((double.IsNaN(a[c]) ? 0 : a[c]) * (1 - w)) + ((double.IsNaN(b[c]) ? 0 : b[c]) * w);
                row[c] = Math.Max(0, v) * (factor?[c] ?? 1);
            }
        }

        return result;
    }
}
