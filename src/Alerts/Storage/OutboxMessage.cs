namespace CrowdWatch.Alerts.Storage;

/// <summary>A message waiting to be delivered, or delivered, on one channel to one recipient.</summary>
/// <param name="Id">The store's id for it (0 before it is stored).</param>
/// <param name="AlertId">The alert it is about.</param>
/// <param name="Sequence">The alert event it delivers.</param>
/// <param name="Channel">The channel: <c>webhook</c>, <c>sms</c>, <c>cap</c>, ...</param>
/// <param name="Recipient">Where it goes: a URL, a phone number, a feed.</param>
/// <param name="Payload">What is sent.</param>
/// <param name="Attempts">Attempts so far.</param>
/// <param name="NextAttemptMs">When it may be tried next, Unix ms.</param>
/// <param name="DeliveredMs">When it was delivered, Unix ms; null while pending.</param>
/// <param name="LastError">Why the last attempt failed, if it did.</param>
public sealed record OutboxMessage(long Id, Guid AlertId, int Sequence, string Channel, string Recipient, string Payload,
    int Attempts = 0, long NextAttemptMs = 0, long? DeliveredMs = null, string? LastError = null);
