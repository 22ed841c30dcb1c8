namespace CrowdWatch.Dashboard.Ingest;

/// <summary>Live data: every slot is news, and a slot is judged once it is complete by the clock.</summary>
public sealed class LiveIngestGate : IIngestGate
{
    /// <inheritdoc />
    public bool IsNews => true;

    /// <inheritdoc />
    public bool HistoryLoaded => true;

    /// <inheritdoc />
    public bool Paced => false;

    /// <inheritdoc />
    public long ReadyThroughMs => long.MaxValue;

    /// <inheritdoc />
    public TimeSpan PaceTimeout => TimeSpan.Zero;

    /// <inheritdoc />
    public long? FirstSlotMs(long slotMs) => null;
}
