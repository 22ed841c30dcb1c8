namespace CrowdWatch.Dashboard.Ingest;

/// <summary>
/// What the live services ask of whatever feeds the store: whether data arriving now is news, and whether a slot is
/// whole yet. Live ingest answers "always" (<see cref="LiveIngestGate"/>); a paced replay holds each slot back until
/// its people and searches are in, so that the same evening gives the same warnings on a loaded machine.
/// </summary>
public interface IIngestGate
{
    /// <summary>Whether slots arriving now are news (false while a replay loads its history: those slots are the past).</summary>
    bool IsNews { get; }

    /// <summary>Whether the history the feed loads first is all in (forecasts fit once it is); live, always.</summary>
    bool HistoryLoaded { get; }

    /// <summary>Whether the feed says when each slot is whole (<see cref="ReadyThroughMs"/>); live data never does.</summary>
    bool Paced { get; }

    /// <summary>The start of the newest slot whose data are all in (Unix ms), where <see cref="Paced"/>.</summary>
    long ReadyThroughMs { get; }

    /// <summary>How long a judge waits for a slot to be whole, where <see cref="Paced"/>.</summary>
    TimeSpan PaceTimeout { get; }

    /// <summary>The first slot to judge, given the slot length (null: from the newest complete slot, as live).</summary>
    long? FirstSlotMs(long slotMs);
}
