using System.Diagnostics.Metrics;
using CrowdWatch.Alerts.Lifecycle;

namespace CrowdWatch.Dashboard.Alerting;

/// <summary>The alerting's meters (<c>CrowdWatch.Alerts</c>): alert events by kind and level, slots judged and how long judging took.</summary>
public sealed class AlertMetrics : IDisposable
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "CrowdWatch.Alerts";

    private readonly Meter _meter = new(MeterName);
    private readonly Counter<long> _events;
    private readonly Counter<long> _slots;
    private readonly Histogram<double> _evaluation;

    /// <summary>Creates the instruments.</summary>
    public AlertMetrics()
    {
        _events = _meter.CreateCounter<long>("crowdwatch.alerts.events", description: "Alert events recorded, by kind and level");
        _slots = _meter.CreateCounter<long>("crowdwatch.alerts.slots", description: "Slots judged");
        _evaluation = _meter.CreateHistogram<double>("crowdwatch.alerts.evaluation", unit: "ms", description: "Time to judge a slot and record its alert events");
    }

    internal void Event(AlertChange change) =>
        _events.Add(1, new KeyValuePair<string, object?>("kind", change.Kind.ToString().ToLowerInvariant()), new KeyValuePair<string, object?>("level", change.Alert.Level.ToString().ToLowerInvariant()));

    internal void Slot(string area, double ms)
    {
        _slots.Add(1, new KeyValuePair<string, object?>("area", area));
        _evaluation.Record(ms, new KeyValuePair<string, object?>("area", area));
    }

    /// <inheritdoc />
    public void Dispose() => _meter.Dispose();
}
